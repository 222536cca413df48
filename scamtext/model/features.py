"""Features: word and character n-gram TF-IDF plus hand-made scam-intent cues.

:func:`make_features` assembles the feature union that both model kinds share.
:class:`CueFeatures` counts placeholder tokens and scam-intent cues (a request
to transfer money, fees before a payout, secrecy, urgency...) in normalised
text; each cue carries a plain Chinese and English description that
explanations show.

Examples
--------
>>> cues = CueFeatures().fit(["x"])
>>> cues.get_feature_names_out()[:3].tolist()
['has_URL', 'has_EMAIL', 'has_IDNO']
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline

from .._validation import TextInputMixin, check_texts
from ..text.cues import CUE_BY_ID, CUES, PLACEHOLDER_PATTERNS
from ..text.normalize import PLACEHOLDERS
from ..text.segment import JiebaSegmenter


class CueFeatures(TextInputMixin, TransformerMixin, BaseEstimator):
    """Binary features: each placeholder present, each scam-intent cue present.

    Works on normalised text (see :func:`scamtext.text.normalize.normalize_text`).
    Binary rather than counts, so that long messages do not score higher just
    by being long.

    Attributes
    ----------
    feature_names_ : ndarray of str
        ``has_<PLACEHOLDER>`` then ``cue_<id>``.
    """

    def fit(self, X, y=None):
        """Check ``X`` and set :attr:`feature_names_`."""
        check_texts(X)
        self.feature_names_ = np.array(
            [f"has_{token}" for token in PLACEHOLDERS] + [f"cue_{cue.id}" for cue in CUES],
            dtype=object,
        )
        self.n_features_in_ = 1
        return self

    def transform(self, X):
        """Return a sparse 0/1 matrix, one row per message."""
        texts = check_texts(X)
        patterns = list(PLACEHOLDER_PATTERNS.values()) + [cue.pattern for cue in CUES]
        rows, cols = [], []
        for row, text in enumerate(texts):
            for col, pattern in enumerate(patterns):
                if pattern.search(text):
                    rows.append(row)
                    cols.append(col)
        data = np.ones(len(rows), dtype=np.float64)
        return sp.csr_matrix((data, (rows, cols)), shape=(len(texts), len(patterns)))

    def locate(self, text: str, feature: str) -> list[tuple[int, int]]:
        """Return the spans of normalised ``text`` that set ``feature``.

        >>> CueFeatures().locate("加 vx 领奖", "cue_prize_claim")
        [(5, 7)]
        """
        kind, _, name = feature.partition("_")
        pattern = PLACEHOLDER_PATTERNS[name] if kind == "has" else CUE_BY_ID[name].pattern
        return [m.span() for m in pattern.finditer(text)]

    def get_feature_names_out(self, input_features=None):
        """Return :attr:`feature_names_`."""
        return self.feature_names_


class CompactTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` that stays small in memory and on disk.

    It forgets the terms it pruned (``stop_words_``, kept by scikit-learn only
    for introspection: hundreds of thousands of strings on a real corpus), and
    saves its vocabulary as one newline-joined string instead of a dict, which
    skops would otherwise store node by node (slow to write and to load).
    Normalised text holds no newlines, so no term contains one.
    """

    def fit(self, raw_documents, y=None):
        super().fit(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return self

    def fit_transform(self, raw_documents, y=None):
        X = super().fit_transform(raw_documents, y)
        self.__dict__.pop("stop_words_", None)
        return X

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: never change the live object
        if "vocabulary_" in state:
            terms = sorted(state["vocabulary_"], key=state["vocabulary_"].get)
            state["vocabulary_"] = "\n".join(terms)
        return state

    def __setstate__(self, state):
        if isinstance(state.get("vocabulary_"), str):
            terms = state["vocabulary_"].split("\n") if state["vocabulary_"] else []
            state = {**state, "vocabulary_": {term: i for i, term in enumerate(terms)}}
        super().__setstate__(state)


def make_features(
    *,
    word_ngram_range: tuple[int, int] = (1, 2),
    char_ngram_range: tuple[int, int] = (1, 3),
    word_max_features: int | None = 60_000,
    char_max_features: int | None = 60_000,
    min_df: int = 2,
) -> FeatureUnion:
    """Return the feature union ``words`` + ``chars`` + ``cues`` over normalised text.

    ``words`` is TF-IDF over jieba words (n-grams of words), ``chars`` TF-IDF over
    character n-grams (robust to segmentation errors), ``cues`` the
    :class:`CueFeatures`. TF-IDF uses sublinear term frequency and l2 rows, so
    message length alone does not move the score.

    Examples
    --------
    >>> union = make_features(min_df=1).fit(["加 vx 领奖", "您的 CODE"])
    >>> union.transform(["加 vx"]).shape[0]
    1
    """
    words = Pipeline(
        [
            ("segment", JiebaSegmenter()),
            (
                "tfidf",
                CompactTfidfVectorizer(
                    token_pattern=r"\S+",
                    lowercase=False,
                    ngram_range=word_ngram_range,
                    min_df=min_df,
                    max_features=word_max_features,
                    sublinear_tf=True,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    chars = CompactTfidfVectorizer(
        analyzer="char",
        lowercase=False,
        ngram_range=char_ngram_range,
        min_df=min_df,
        max_features=char_max_features,
        sublinear_tf=True,
        dtype=np.float32,
    )
    return FeatureUnion([("words", words), ("chars", chars), ("cues", CueFeatures())])
