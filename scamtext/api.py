"""The library's front door: predict, explain, train and load, with the shipped model.

Examples
--------
>>> import scamtext
>>> result = scamtext.predict("恭喜您获得《奔跑吧》场外幸运观众二等奖，请登录 hxbpb.com 领取")[0]
>>> result.label, result.is_scam
('fake_prize', True)
>>> round(sum(result.probabilities.values()), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from functools import lru_cache
from itertools import islice
from pathlib import Path

from ._validation import check_texts
from .explain import Explanation, explain_text
from .models import ScamClassifier
from .persistence import load_model as _load_model
from .taxonomy import is_scam

ModelLike = ScamClassifier | str | Path | None


@dataclass(frozen=True)
class Prediction:
    """The classification of one message.

    Attributes
    ----------
    label : str
        The most probable label id.
    is_scam : bool
        False only when ``label`` is ``normal``.
    score : float
        Calibrated probability of ``label``.
    probabilities : dict of str to float
        Probability of every label the model knows.
    """

    label: str
    is_scam: bool
    score: float
    probabilities: dict[str, float]

    def to_dict(self) -> dict:
        """Return a JSON-ready dict."""
        return asdict(self)


@lru_cache(maxsize=1)
def _default_model() -> ScamClassifier:
    return _load_model(None)


def load_model(
    path: str | Path | None = None, *, trusted: list[str] | None = None
) -> ScamClassifier:
    """Load a saved model folder; ``None`` returns the model shipped with scamtext.

    See :func:`scamtext.persistence.load_model` for the safety checks.

    >>> load_model().kind
    'linear'
    """
    if path is None and not trusted:
        return _default_model()
    return _load_model(path, trusted=trusted)


def _resolve(model: ModelLike) -> ScamClassifier:
    return model if isinstance(model, ScamClassifier) else load_model(model)


def predict(texts: str | Iterable[str], *, model: ModelLike = None) -> list[Prediction]:
    """Classify messages; a single string is treated as one message.

    Parameters
    ----------
    texts : str or iterable of str
    model : ScamClassifier, path or None
        None uses the shipped model.

    Returns
    -------
    list of Prediction, in input order.
    """
    texts = check_texts(texts, allow_single=True)
    classifier = _resolve(model)
    if not texts:
        return []
    probabilities = classifier.predict_proba(texts)
    labels = [str(c) for c in classifier.classes_]
    results = []
    for row in probabilities:
        best = int(row.argmax())
        results.append(
            Prediction(
                label=labels[best],
                is_scam=is_scam(labels[best]),
                score=float(row[best]),
                probabilities={label: float(p) for label, p in zip(labels, row)},
            )
        )
    return results


def classify_iter(
    texts: Iterable[str], *, model: ModelLike = None, batch_size: int = 1000
) -> Iterator[Prediction]:
    """Yield a :class:`Prediction` per message, reading ``texts`` in batches.

    Memory stays bounded by ``batch_size`` whatever the length of ``texts``.

    >>> [p.is_scam for p in classify_iter(["明天见", "刷单返利，先垫付后返佣"])]
    [False, True]
    """
    classifier = _resolve(model)
    iterator = iter(texts)
    while batch := list(islice(iterator, batch_size)):
        yield from predict(batch, model=classifier)


def explain(
    text: str, *, label: str | None = None, model: ModelLike = None, top_k: int = 10
) -> Explanation:
    """Explain the label of one message (see :mod:`scamtext.explain`).

    >>> exp = explain("您好，我是你们班主任，请家长扫码缴纳资料费268元")
    >>> exp.label
    'group_payment'
    """
    return explain_text(_resolve(model), text, label=label, top_k=top_k)


def train(
    texts: Iterable[str], labels: Iterable[str], *, kind: str = "linear", **params
) -> ScamClassifier:
    """Fit a new :class:`ScamClassifier` of ``kind`` on messages and their label ids.

    ``params`` are :class:`ScamClassifier` parameters (``C``, ``n_estimators``...).
    """
    return ScamClassifier(kind=kind, **params).fit(list(texts), list(labels))
