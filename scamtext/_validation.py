"""The one place that inspects raw input given to the library."""

from __future__ import annotations

import warnings
from collections.abc import Iterable

from .exceptions import InvalidInputError, InvalidLabelError

MAX_CHARS = 20_000
"""Longer messages are classified on their first ``MAX_CHARS`` characters."""


def check_texts(texts: object, *, allow_single: bool = False) -> list[str]:
    """Return ``texts`` as a list of str, or raise naming the first bad item.

    Parameters
    ----------
    texts : iterable of str
        The messages. A bare ``str`` is accepted only if ``allow_single``.
    allow_single : bool
        Wrap a single string in a list instead of refusing it.

    Raises
    ------
    InvalidInputError
        For a bare string (unless allowed), a non-iterable, or any item that is
        not a ``str`` (``None``, bytes, NaN, numbers...).

    Examples
    --------
    >>> check_texts(["a", ""])
    ['a', '']
    >>> check_texts(["a", None])
    Traceback (most recent call last):
    ...
    scamtext.exceptions.InvalidInputError: texts[1] is NoneType (None); expected str
    """
    if isinstance(texts, str):
        if allow_single:
            return [texts]
        raise InvalidInputError(None, texts)
    if isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Iterable):
        raise InvalidInputError(None, texts)
    checked = list(texts)
    for position, text in enumerate(checked):
        if not isinstance(text, str):
            raise InvalidInputError(position, text)
    return checked


def truncate_long(texts: list[str]) -> list[str]:
    """Cut messages longer than :data:`MAX_CHARS`, with a warning that says how many.

    >>> truncate_long(["short"])
    ['short']
    """
    long = sum(len(t) > MAX_CHARS for t in texts)
    if not long:
        return texts
    warnings.warn(
        f"{long} message(s) longer than {MAX_CHARS} characters were classified on "
        f"their first {MAX_CHARS} characters",
        stacklevel=3,
    )
    return [t[:MAX_CHARS] for t in texts]


def check_labels(labels: object, n_texts: int) -> list[str]:
    """Return ``labels`` as a list of non-empty str ids, as many as the texts.

    >>> check_labels(["normal", "loan"], 2)
    ['normal', 'loan']
    """
    if isinstance(labels, str) or not isinstance(labels, Iterable):
        raise InvalidInputError(None, labels, where="y")
    checked = list(labels)
    for position, label in enumerate(checked):
        if not isinstance(label, str):
            raise InvalidInputError(position, label, where="y")
        if not label.strip():
            raise InvalidLabelError(label, ["a non-empty label id"])
    if len(checked) != n_texts:
        raise ValueError(f"got {n_texts} texts but {len(checked)} labels")
    return checked


class TextInputMixin:
    """Declare that an estimator takes a list of str, as ``CountVectorizer`` does."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.two_d_array = False
        return tags


class StatelessTextTransformer(TextInputMixin):
    """Base of text transformers that learn nothing: ``fit`` only checks its input."""

    def fit(self, X, y=None):
        """Check ``X`` and return ``self``; nothing is learned."""
        check_texts(X)
        self.n_features_in_ = 1
        return self

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.requires_fit = False
        return tags
