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

import copy
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from ._validation import check_texts
from .model.classifier import ScamClassifier
from .model.explain import Explanation, explain_text
from .model.persistence import load_model as _load_model
from .model.persistence import resolve_model
from .model.prediction import Prediction, predict_with

ModelLike = ScamClassifier | str | Path | None


def load_model(
    path: str | Path | None = None, *, trusted: list[str] | None = None
) -> ScamClassifier:
    """Load a saved model folder; ``None`` returns a copy of the model shipped with scamtext.

    The copy is yours to change: refitting it never changes what :func:`predict` returns.
    See :func:`scamtext.model.persistence.load_model` for the safety checks.

    >>> load_model().kind
    'linear'
    >>> load_model() is load_model()
    False
    """
    if path is None and not trusted:
        return copy.deepcopy(resolve_model(None))
    return _load_model(path, trusted=trusted)


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
    return predict_with(resolve_model(model), texts)


def classify_iter(
    texts: Iterable[str], *, model: ModelLike = None, batch_size: int = 1000
) -> Iterator[Prediction]:
    """Yield a :class:`Prediction` per message, reading ``texts`` in batches.

    Memory stays bounded by ``batch_size`` whatever the length of ``texts``.

    >>> [p.is_scam for p in classify_iter(["明天见", "刷单返利，先垫付后返佣"])]
    [False, True]
    """
    from .batch.stream import batched, classify_batches

    for results in classify_batches(batched(texts, batch_size), model=model):
        yield from results


def classify_records(
    records: Iterable[dict],
    *,
    model: ModelLike = None,
    batch_size: int = 1000,
    jobs: int = 1,
    prefix: str = "",
    on_batch: Callable[[int], None] | None = None,
) -> Iterator[dict]:
    """Yield each record (a dict with ``text``) with the prediction's fields added, in order.

    See :func:`scamtext.batch.stream.classify_records`.

    >>> [r["id"] for r in classify_records([{"id": 7, "text": "明天见"}])]
    [7]
    """
    from .batch.stream import classify_records as classify

    yield from classify(
        records, model=model, batch_size=batch_size, jobs=jobs, prefix=prefix, on_batch=on_batch
    )


def explain(
    text: str, *, label: str | None = None, model: ModelLike = None, top_k: int = 10
) -> Explanation:
    """Explain the label of one message (see :mod:`scamtext.model.explain`).

    >>> exp = explain("您好，我是你们班主任，请家长扫码缴纳资料费268元")
    >>> exp.label
    'group_payment'
    """
    return explain_text(resolve_model(model), text, label=label, top_k=top_k)


def train(
    texts: Iterable[str], labels: Iterable[str], *, kind: str = "linear", **params
) -> ScamClassifier:
    """Fit a new :class:`ScamClassifier` of ``kind`` on messages and their label ids.

    ``params`` are :class:`ScamClassifier` parameters (``C``, ``n_estimators``...).
    """
    return ScamClassifier(kind=kind, **params).fit(list(texts), list(labels))
