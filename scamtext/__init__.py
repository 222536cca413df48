"""scamtext: classify Chinese text messages as normal or as a kind of scam, and explain why.

>>> import scamtext
>>> scamtext.predict("明天下午三点开会，记得带材料")[0].label
'normal'
"""

from .api import Prediction, classify_iter, explain, load_model, predict, train
from .data import load_corpus, load_heldout
from .exceptions import (
    InvalidInputError,
    InvalidLabelError,
    ModelLoadError,
    ScamTextError,
    SchemaError,
)
from .explain import Evidence, Explanation
from .models import ScamClassifier, make_pipeline
from .persistence import save_model
from .taxonomy import LABELS, SCAM_LABELS

__version__ = "0.1.0"

__all__ = [
    "LABELS",
    "SCAM_LABELS",
    "Evidence",
    "Explanation",
    "InvalidInputError",
    "InvalidLabelError",
    "ModelLoadError",
    "Prediction",
    "SchemaError",
    "ScamClassifier",
    "ScamTextError",
    "classify_iter",
    "explain",
    "load_corpus",
    "load_heldout",
    "load_model",
    "make_pipeline",
    "predict",
    "save_model",
    "train",
]
