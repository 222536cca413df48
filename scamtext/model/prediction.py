"""From probabilities to answers: the :class:`Prediction` of one message.

Every path that classifies (the library, streams, Spark, the service) goes through
:func:`predict_with`, so the top label is chosen in one place.

Examples
--------
>>> import numpy as np
>>> [p.label for p in predictions_from_proba(["loan", "normal"], np.array([[0.2, 0.8]]))]
['normal']
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np

from .._validation import check_texts
from ..taxonomy import is_scam


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


def predictions_from_proba(classes: Sequence[str], proba: np.ndarray) -> list[Prediction]:
    """Turn a probability matrix (columns in ``classes`` order) into predictions."""
    labels = [str(c) for c in classes]
    best = np.asarray(proba).argmax(axis=1)
    return [
        Prediction(
            label=labels[b],
            is_scam=is_scam(labels[b]),
            score=float(row[b]),
            probabilities={label: float(p) for label, p in zip(labels, row)},
        )
        for b, row in zip(best, proba)
    ]


def predict_with(classifier, texts) -> list[Prediction]:
    """Classify ``texts`` (a list of str) with a fitted classifier, in input order."""
    texts = check_texts(texts)
    if not texts:
        return []
    return predictions_from_proba(classifier.classes_, classifier.predict_proba(texts))
