"""Jieba word segmentation that is picklable and leaves jieba's global state alone.

Two implementations of jieba's algorithm, with the same dictionary and the domain
dictionary of scam vocabulary (``resources/user_dict.txt``): ``rjieba`` (the default),
a binding of the Rust jieba-rs, about 12 times faster, and ``jieba``, the Python
original, which models saved before the ``backend`` parameter existed use. They cut
99.6% of the words of the scamtext data alike (``reports/speed.md``); they differ
mostly on runs such as ``2-3`` and ``abc_123``, which rjieba keeps whole.

The module-level ``jieba.cut``/``rjieba.cut`` and their ``add_word`` share one global
dictionary, and neither tokenizer can be pickled. :class:`JiebaSegmenter` stores
only plain parameters, builds a private tokenizer on first use and drops it when
pickled.

Examples
--------
>>> seg = JiebaSegmenter()
>>> seg.segment("请将资金转入安全账户")
['请', '将', '资金', '转入', '安全账户']
>>> seg.transform(["点击 URL 领取"])
['点击 URL 领取']
"""

from __future__ import annotations

import logging
import re
import threading
from importlib import resources
from pathlib import Path

from sklearn.base import BaseEstimator, TransformerMixin

from .._validation import StatelessTextTransformer, check_texts

DEFAULT_USER_DICT = "default"
BACKENDS = ("rjieba", "jieba")
"""Segmentation libraries :class:`JiebaSegmenter` can use."""
_INIT_LOCK = threading.Lock()
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _read_user_dict(user_dict: str | Path | None) -> list[tuple[str, int | None, str | None]]:
    if user_dict is None:
        return []
    if user_dict == DEFAULT_USER_DICT:
        lines = (
            resources.files("scamtext.text")
            .joinpath("resources/user_dict.txt")
            .read_text(encoding="utf-8")
            .splitlines()
        )
    else:
        lines = Path(user_dict).read_text(encoding="utf-8").splitlines()
    entries = []
    for line in lines:
        parts = line.split()
        if not parts:
            continue
        freq = int(parts[1]) if len(parts) > 1 else None
        tag = parts[2] if len(parts) > 2 else None
        entries.append((parts[0], freq, tag))
    return entries


class _RustTokenizer:
    """A private ``rjieba.Jieba``, with jieba's ``tokenize``/``lcut`` interface.

    jieba-rs takes UTF-8, which cannot hold a lone surrogate: such a text is cut
    with U+FFFD in its place, and the words are read back from the original.
    """

    def __init__(self):
        import rjieba

        self.jieba = rjieba.Jieba()

    def add_word(self, word: str, freq: int | None, tag: str | None) -> None:
        self.jieba.add_word(word, freq, tag)

    def tokenize(self, text: str, HMM: bool = True) -> list[tuple[str, int, int]]:
        try:
            return self.jieba.tokenize(text, hmm=HMM)
        except UnicodeEncodeError:
            safe = _SURROGATE_RE.sub("\ufffd", text)
            return [(text[s:e], s, e) for _, s, e in self.jieba.tokenize(safe, hmm=HMM)]

    def lcut(self, text: str, HMM: bool = True) -> list[str]:
        try:
            return self.jieba.cut(text, hmm=HMM)
        except UnicodeEncodeError:
            return [word for word, _, _ in self.tokenize(text, HMM)]


class JiebaSegmenter(StatelessTextTransformer, TransformerMixin, BaseEstimator):
    """Cut normalised messages into words with a private jieba tokenizer.

    Parameters
    ----------
    user_dict : str, Path or None, default="default"
        Extra vocabulary, one ``word [freq [tag]]`` a line, as jieba reads it.
        ``"default"`` uses the scam vocabulary shipped with scamtext; ``None``
        uses jieba's dictionary alone.
    hmm : bool, default=True
        Let jieba's HMM join characters into words it does not know.
    backend : {"rjieba", "jieba"}, default="rjieba"
        The library that cuts (see the module docstring). Model files saved before
        this parameter existed load with ``"jieba"``, the library they were trained with.

    Notes
    -----
    :meth:`transform` returns each message as its words joined by single spaces
    (white space itself is dropped), ready for a ``TfidfVectorizer`` with
    ``token_pattern=r"\\S+"``.
    """

    def __init__(
        self,
        *,
        user_dict: str | Path | None = DEFAULT_USER_DICT,
        hmm: bool = True,
        backend: str = "rjieba",
    ):
        self.user_dict = user_dict
        self.hmm = hmm
        self.backend = backend

    def _tokenizer(self):
        tokenizer = self.__dict__.get("_jieba")
        if tokenizer is None:
            with _INIT_LOCK:
                tokenizer = self.__dict__.get("_jieba")
                if tokenizer is None:
                    tokenizer = self._build_tokenizer()
                    self.__dict__["_jieba"] = tokenizer
        return tokenizer

    def _build_tokenizer(self):
        if self.backend not in BACKENDS:
            raise ValueError(f"backend must be one of {BACKENDS}, got {self.backend!r}")
        if self.backend == "rjieba":
            tokenizer = _RustTokenizer()
        else:
            import jieba

            tokenizer = jieba.Tokenizer()
            logger = logging.getLogger("jieba")
            level = logger.level
            logger.setLevel(logging.WARNING)  # jieba logs its dictionary loading at INFO
            try:
                tokenizer.initialize()
            finally:
                logger.setLevel(level)
        for word, freq, tag in _read_user_dict(self.user_dict):
            tokenizer.add_word(word, freq, tag)
        return tokenizer

    def tokenize(self, text: str) -> list[tuple[str, int, int]]:
        """Return ``(word, start, end)`` for each word of ``text``, white space left out.

        >>> JiebaSegmenter().tokenize("加 vx 领红包")
        [('加', 0, 1), ('vx', 2, 4), ('领', 5, 6), ('红包', 6, 8)]
        """
        return [
            (word, start, end)
            for word, start, end in self._tokenizer().tokenize(text, HMM=self.hmm)
            if not word.isspace()
        ]

    def segment(self, text: str) -> list[str]:
        """Return the words of one message, white space left out."""
        return [w for w in self._tokenizer().lcut(text, HMM=self.hmm) if not w.isspace()]

    def transform(self, X) -> list[str]:
        """Return each message as its words joined by single spaces."""
        return [" ".join(self.segment(text)) for text in check_texts(X)]

    def get_feature_names_out(self, input_features=None):
        """Return ``["text"]``: the output is still one text column."""
        import numpy as np

        return np.array(["text"], dtype=object)

    def __getstate__(self):
        state = dict(super().__getstate__())  # a copy: keep the live tokenizer
        state.pop("_jieba", None)
        return state

    def __setstate__(self, state):
        # Saved before ``backend`` existed: those models were trained on jieba's cuts.
        super().__setstate__({"backend": "jieba", **state})
