"""The peers of the benchmark: the usual open-source recipes, and scamtext itself.

- ``nb``: jieba words + TF-IDF + multinomial naive Bayes, the classic spam-SMS recipe;
- ``svm``: jieba words + TF-IDF + linear SVM;
- ``fasttext``: fastText on jieba words (``pip install fasttext``; skipped if missing);
- ``scamtext-linear`` and ``scamtext-gbdt``: the two scamtext model kinds.

Each has ``fit``, ``predict``, ``predict_proba`` (None when it has no probabilities),
``classes_`` and ``size_bytes``. The scamtext kind of the shipped model is trained with
that model's recipe (its ``train_config`` settings), so that its figures are the default
model's.

>>> sorted(PEERS)
['fasttext', 'nb', 'scamtext-gbdt', 'scamtext-linear', 'svm']
"""

from __future__ import annotations

import logging
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

import numpy as np


def _jieba_words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # the peers run in their own processes
    return [w for w in jieba.lcut(text) if not w.isspace()]


class JiebaTfidfPeer:
    """jieba words -> TF-IDF -> a scikit-learn classifier: the usual recipe, no normalisation."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, texts, labels):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline

        self.pipeline = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        tokenizer=_jieba_words,
                        token_pattern=None,
                        lowercase=False,
                        ngram_range=(1, 2),
                        min_df=2,
                        sublinear_tf=True,
                    ),
                ),
                ("model", self.estimator),
            ]
        ).fit(texts, labels)
        return self

    def predict(self, texts):
        return self.pipeline.predict(texts)

    def predict_proba(self, texts):
        if not hasattr(self.pipeline, "predict_proba"):
            return None
        return self.pipeline.predict_proba(texts)

    @property
    def classes_(self):
        return self.pipeline.classes_

    def size_bytes(self) -> int:
        return len(pickle.dumps(self.pipeline))


class FastTextPeer:
    """fastText supervised on jieba words (its ``predict`` breaks on NumPy 2: call the binding)."""

    def fit(self, texts, labels):
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            for text, label in zip(texts, labels):
                f.write(f"__label__{label} {self._line(text)}\n")
        try:
            self.model = fasttext.train_supervised(
                f.name,
                epoch=25,
                lr=0.5,
                wordNgrams=2,
                dim=64,
                bucket=200_000,
                verbose=0,
                thread=2,
                seed=0,
            )
        finally:
            os.unlink(f.name)
        self.classes_ = np.array(sorted(label[9:] for label in self.model.labels), dtype=object)
        return self

    @staticmethod
    def _line(text: str) -> str:
        return " ".join(_jieba_words(text.replace("\n", " ")))

    def predict_proba(self, texts):
        index = {label: i for i, label in enumerate(self.classes_)}
        proba = np.zeros((len(texts), len(index)))
        for row, text in enumerate(texts):
            for p, label in self.model.f.predict(
                self._line(text) + "\n", len(index), 0.0, "strict"
            ):
                proba[row, index[label[9:]]] = p
        return proba

    def predict(self, texts):
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def size_bytes(self) -> int:
        with tempfile.TemporaryDirectory() as folder:
            self.model.save_model(str(Path(folder) / "m.bin"))
            return (Path(folder) / "m.bin").stat().st_size


def shipped_recipe() -> dict:
    """Return the kind and settings that trained the shipped model.

    >>> sorted(shipped_recipe())
    ['kind', 'params', 'random_state']
    """
    from scamtext.model.persistence import read_metadata

    metadata = read_metadata()
    config = metadata.get("train_config", {})
    return {
        "kind": metadata["kind"],
        "params": dict(config.get("params", {})),
        "random_state": config.get("random_state", 0),
    }


class ScamTextPeer:
    """A :class:`~scamtext.model.classifier.ScamClassifier` of one kind.

    The kind of the shipped model gets that model's settings; the other kind the defaults.
    """

    def __init__(self, kind: str):
        self.kind = kind

    def fit(self, texts, labels):
        from scamtext.model.classifier import ScamClassifier

        recipe = shipped_recipe()
        settings = (
            {"random_state": recipe["random_state"], **recipe["params"]}
            if recipe["kind"] == self.kind
            else {}
        )
        if self.kind == "gbdt":
            settings = {"n_jobs": 2, **settings}
        self.model = ScamClassifier(kind=self.kind, **settings).fit(texts, labels)
        self.classes_ = self.model.classes_
        return self

    def predict(self, texts):
        return self.model.predict(texts)

    def predict_proba(self, texts):
        return self.model.predict_proba(texts)

    def size_bytes(self) -> int:
        from scamtext.model.persistence import save_model

        with tempfile.TemporaryDirectory() as folder:
            path = save_model(self.model, Path(folder) / "m")
            return sum(p.stat().st_size for p in path.iterdir())


def _nb():
    from sklearn.naive_bayes import MultinomialNB

    return JiebaTfidfPeer(MultinomialNB(alpha=0.01))


def _svm():
    from sklearn.svm import LinearSVC

    return JiebaTfidfPeer(LinearSVC(C=1.0))


PEERS: dict[str, Callable[[], object]] = {
    "nb": _nb,
    "svm": _svm,
    "fasttext": FastTextPeer,
    "scamtext-linear": lambda: ScamTextPeer("linear"),
    "scamtext-gbdt": lambda: ScamTextPeer("gbdt"),
}
PEER_TITLES = {
    "nb": "jieba + TF-IDF + MultinomialNB",
    "svm": "jieba + TF-IDF + LinearSVC",
    "fasttext": "fastText on jieba words",
    "scamtext-linear": "scamtext linear",
    "scamtext-gbdt": "scamtext gbdt",
}
