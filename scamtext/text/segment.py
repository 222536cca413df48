"""Jieba word segmentation that is picklable and leaves jieba's global state alone.

``jieba.cut`` and ``jieba.add_word`` share one global dictionary, and a
``jieba.Tokenizer`` holds a lock that cannot be pickled. :class:`JiebaSegmenter`
stores only plain parameters, builds a private tokenizer on first use (with the
domain dictionary of scam vocabulary in ``resources/user_dict.txt``) and drops
it when pickled.

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
import threading
from importlib import resources
from pathlib import Path

from sklearn.base import BaseEstimator, TransformerMixin

from .._validation import StatelessTextTransformer, check_texts

DEFAULT_USER_DICT = "default"
_INIT_LOCK = threading.Lock()


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

    Notes
    -----
    :meth:`transform` returns each message as its words joined by single spaces
    (white space itself is dropped), ready for a ``TfidfVectorizer`` with
    ``token_pattern=r"\\S+"``.
    """

    def __init__(self, *, user_dict: str | Path | None = DEFAULT_USER_DICT, hmm: bool = True):
        self.user_dict = user_dict
        self.hmm = hmm

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
