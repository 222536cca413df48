"""scamtext: classify Chinese text messages as normal or as a kind of scam, and explain why.

The pipeline, folder by folder: ``text/`` (normalise, segment, cues) feeds ``model/``
(features, classifier, explanations, model files); ``batch/`` runs it over streams and
Spark, ``serve/`` over HTTP, ``cli/`` from the shell; ``lifecycle/`` trains, evaluates and
retrains; ``io/`` reads and writes files of messages. Names are imported on first use, so
``import scamtext`` stays fast.

>>> import scamtext
>>> scamtext.predict("明天下午三点开会，记得带材料")[0].label
'normal'
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

__version__ = "0.2.0"

_EXPORTS = {
    "Prediction": "api",
    "classify_iter": "api",
    "classify_records": "api",
    "explain": "api",
    "load_model": "api",
    "predict": "api",
    "train": "api",
    "load_corpus": "lifecycle.corpus",
    "load_heldout": "lifecycle.corpus",
    "load_benchmark_set": "lifecycle.corpus",
    "InvalidInputError": "exceptions",
    "InvalidLabelError": "exceptions",
    "ModelLoadError": "exceptions",
    "ScamTextError": "exceptions",
    "SchemaError": "exceptions",
    "Evidence": "model.explain",
    "Explanation": "model.explain",
    "ScamClassifier": "model.classifier",
    "save_model": "model.persistence",
    "LABELS": "taxonomy",
    "SCAM_LABELS": "taxonomy",
}

__all__ = [
    "Evidence",
    "Explanation",
    "InvalidInputError",
    "InvalidLabelError",
    "LABELS",
    "ModelLoadError",
    "Prediction",
    "SCAM_LABELS",
    "ScamClassifier",
    "ScamTextError",
    "SchemaError",
    "classify_iter",
    "classify_records",
    "explain",
    "load_benchmark_set",
    "load_corpus",
    "load_heldout",
    "load_model",
    "predict",
    "save_model",
    "train",
]

if TYPE_CHECKING:
    from .api import (
        Prediction,
        classify_iter,
        classify_records,
        explain,
        load_model,
        predict,
        train,
    )
    from .exceptions import (
        InvalidInputError,
        InvalidLabelError,
        ModelLoadError,
        ScamTextError,
        SchemaError,
    )
    from .lifecycle.corpus import load_benchmark_set, load_corpus, load_heldout
    from .model.classifier import ScamClassifier
    from .model.explain import Evidence, Explanation
    from .model.persistence import save_model
    from .taxonomy import LABELS, SCAM_LABELS


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module 'scamtext' has no attribute {name!r}")
    value = getattr(import_module(f".{_EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
