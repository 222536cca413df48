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

from itertools import repeat

import numpy as np
import scipy.sparse as sp
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion, Pipeline
from sklearn.utils._sparse import _align_api_if_sparse
from sklearn.utils.sparsefuncs_fast import (
    inplace_csr_row_normalize_l1,
    inplace_csr_row_normalize_l2,
)

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
        # A placeholder pattern can only match where its token is: try that first.
        tests = [
            (lambda text, token=token, search=pattern.search: token in text and search(text))
            for token, pattern in PLACEHOLDER_PATTERNS.items()
        ] + [cue.pattern.search for cue in CUES]
        cols = []
        indptr = [0]
        for text in texts:
            cols += [col for col, test in enumerate(tests) if test(text)]
            indptr.append(len(cols))
        data = np.ones(len(cols), dtype=np.float64)
        return sp.csr_matrix((data, cols, indptr), shape=(len(texts), len(tests)))

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


_SPACE_FREE_TOKENS = (r"\S+", r"(?u)\b\w\w+\b")
"""Token patterns whose tokens hold no space (so a term's words are its split on spaces)."""


class CompactTfidfVectorizer(TfidfVectorizer):
    """A ``TfidfVectorizer`` that stays small in memory and on disk, and transforms fast.

    It forgets the terms it pruned (``stop_words_``, kept by scikit-learn only
    for introspection: hundreds of thousands of strings on a real corpus), and
    saves its vocabulary as one newline-joined string instead of a dict, which
    skops would otherwise store node by node (slow to write and to load).
    Normalised text holds no newlines, so no term contains one.

    :meth:`transform` counts the n-grams of the settings scamtext uses (``char``
    n-grams, or ``word`` n-grams of the token pattern; no lower-casing, accents,
    preprocessor or stop words) several times faster than scikit-learn's loop, with
    the same result; other settings take scikit-learn's path.

    Examples
    --------
    >>> vec = CompactTfidfVectorizer(analyzer="char", ngram_range=(1, 2)).fit(["加微信", "微信"])
    >>> sorted(vec.vocabulary_)
    ['信', '加', '加微', '微', '微信']
    >>> vec.transform(["微信红包"]).nnz
    3
    """

    def _shortcut(self) -> bool:
        """True for the settings whose n-grams :meth:`_count_vocab` finds itself."""
        plain = (
            self.input == "content"
            and not self.lowercase
            and self.preprocessor is None
            and self.strip_accents is None
            and self.ngram_range[1] <= 3  # three 21-bit symbols fill an int64
        )
        word = (
            self.analyzer == "word"
            and self.tokenizer is None
            and self.stop_words is None
            and self.token_pattern in _SPACE_FREE_TOKENS
        )
        return plain and (self.analyzer == "char" or word)

    def transform(self, raw_documents):
        """Return the TF-IDF matrix of ``raw_documents``: scikit-learn's result, with
        the counting and weighing done directly for the settings scamtext uses."""
        if isinstance(raw_documents, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        docs = list(raw_documents)
        if not docs or not self._shortcut() or self.norm not in (None, "l1", "l2"):
            return super().transform(docs)  # its checks refuse an empty list
        if not hasattr(self, "vocabulary_") or not hasattr(self, "_tfidf"):
            raise NotFittedError("The TF-IDF vectorizer is not fitted")
        _, X = self._count_vocab(docs, fixed_vocab=True)
        if self.binary:
            X.data.fill(1)
        # TfidfTransformer.transform's steps, without its input checks
        if self.sublinear_tf:
            np.log(X.data, X.data)
            X.data += 1.0
        if hasattr(self._tfidf, "idf_"):
            X.data *= self._tfidf.idf_[X.indices]
        if self.norm == "l2":
            inplace_csr_row_normalize_l2(X)
        elif self.norm == "l1":
            inplace_csr_row_normalize_l1(X)
        return X

    def _count_vocab(self, raw_documents, fixed_vocab):
        if not (fixed_vocab and self._shortcut()):
            return super()._count_vocab(raw_documents, fixed_vocab)
        docs = [self.decode(doc) for doc in raw_documents]
        rows, cols = self._known_ngrams(docs)
        X = sp.csr_array(
            (np.ones(len(rows), dtype=self.dtype), (rows, cols)),
            shape=(len(docs), len(self.vocabulary_)),
        )
        X.sum_duplicates()  # sorted indices, one entry per term holding its count
        return self.vocabulary_, _align_api_if_sparse(X)

    def _known_ngrams(self, docs: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Row and vocabulary index of every n-gram of ``docs`` in the vocabulary.

        Each document becomes a sequence of symbols (code points, or numbered words);
        an n-gram of symbols is one integer (21 bits a symbol), looked up in the sorted
        keys of the vocabulary's n-grams, for the whole batch at once.
        """
        numbers, tables = self._tables()
        symbols, lengths = self._symbols(docs, numbers)
        ends = np.repeat(np.cumsum(lengths), lengths)  # where each symbol's document ends
        row_of = np.repeat(np.arange(len(docs)), lengths)
        positions = np.arange(len(symbols))
        keys = np.zeros(len(symbols), dtype=np.int64)
        rows, cols = [np.zeros(0, dtype=np.int64)], [np.zeros(0, dtype=np.int64)]
        low, high = self.ngram_range
        for n in range(1, high + 1):
            keys[: len(symbols) - n + 1] <<= 21
            keys[: len(symbols) - n + 1] |= symbols[n - 1 :]
            known, index = tables[n]
            if n < low or not len(known):
                continue
            inside = positions + n <= ends
            found = np.minimum(np.searchsorted(known, keys[inside]), len(known) - 1)
            hit = known[found] == keys[inside]
            rows.append(row_of[inside][hit])
            cols.append(index[found[hit]])
        return np.concatenate(rows), np.concatenate(cols)

    def _symbols(self, docs: list[str], numbers: dict[str, int] | None):
        """The symbols of all ``docs`` in one array, and how many each has."""
        if numbers is None:  # characters, white space runs made one space as scikit-learn does
            texts = [self._white_spaces.sub(" ", doc) for doc in docs]
            lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
            joined = "".join(texts).encode("utf-32-le", "surrogatepass")
            return np.frombuffer(joined, dtype=np.uint32).astype(np.int64), lengths
        tokenize, number = self.build_tokenizer(), numbers.get
        symbols: list[int] = []
        lengths = np.zeros(len(docs), dtype=np.int64)
        for row, doc in enumerate(docs):
            tokens = tokenize(doc)
            symbols += map(number, tokens, repeat(0))  # 0: a word no term holds
            lengths[row] = len(tokens)
        return np.asarray(symbols, dtype=np.int64), lengths

    def _tables(self) -> tuple[dict[str, int] | None, dict[int, tuple[np.ndarray, np.ndarray]]]:
        """The word numbers (None for characters) and, for each n, the sorted keys of the
        vocabulary's n-grams with their indices; built on first use, kept until the
        vocabulary changes."""
        cached = self.__dict__.get("_tables_of")
        if cached is not None and cached[0] is self.vocabulary_:
            return cached[1]
        high = self.ngram_range[1]
        numbers: dict[str, int] | None = None
        if self.analyzer == "char":
            spelled = {term: [ord(c) for c in term] for term in self.vocabulary_}
        else:
            numbers = {}
            spelled = {
                term: [numbers.setdefault(w, len(numbers) + 1) for w in term.split(" ")]
                for term in self.vocabulary_
            }
        by_length: dict[int, list[str]] = {n: [] for n in range(1, high + 1)}
        for term, spelling in spelled.items():
            if len(spelling) in by_length:  # a longer term is never made: never found
                by_length[len(spelling)].append(term)
        tables = {}
        for n, terms in by_length.items():
            keys = np.zeros(len(terms), dtype=np.int64)
            for k in range(n):
                keys = (keys << 21) | np.array([spelled[t][k] for t in terms], dtype=np.int64)
            index = np.array([self.vocabulary_[t] for t in terms], dtype=np.int64)
            order = np.argsort(keys)
            tables[n] = (keys[order], index[order])
        self.__dict__["_tables_of"] = (self.vocabulary_, (numbers, tables))
        return numbers, tables

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
        state.pop("_tables_of", None)
        if "vocabulary_" in state:
            terms = sorted(state["vocabulary_"], key=state["vocabulary_"].get)
            state["vocabulary_"] = "\n".join(terms)
        return state

    def __setstate__(self, state):
        if isinstance(state.get("vocabulary_"), str):
            terms = state["vocabulary_"].split("\n") if state["vocabulary_"] else []
            state = {**state, "vocabulary_": {term: i for i, term in enumerate(terms)}}
        super().__setstate__(state)


class TextFeatures(FeatureUnion):
    """A ``FeatureUnion`` that transforms with its parts one after the other.

    scikit-learn's union sends every transform through joblib, which costs more than
    the features of one short message; with ``n_jobs`` None or 1 and no routed
    parameters, this one calls each part directly (same matrix).

    Examples
    --------
    >>> union = make_features(min_df=1).fit(["加 vx 领奖", "您的 CODE"])
    >>> type(union).__name__, union.transform(["加 vx"]).shape[0]
    ('TextFeatures', 1)
    """

    def transform(self, X, **params):
        """Return the parts' features of ``X`` side by side."""
        if params or self.n_jobs not in (None, 1):
            return super().transform(X, **params)
        parts = [
            part.transform(X) if weight is None else part.transform(X) * weight
            for _, part, weight in self._iter()
        ]
        return self._hstack(parts)


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
    return TextFeatures([("words", words), ("chars", chars), ("cues", CueFeatures())])
