"""The one place that inspects raw input given to the library."""

from __future__ import annotations

import re
from collections.abc import Iterable

from .exceptions import InvalidInputError
from .taxonomy import LABELS

MAX_CHARS = 100_000
"""Longest message classified, in characters; a longer one is refused (split it)."""

WINDOW_CHARS = 2_000
"""Messages longer than this are classified in windows of this many characters."""

WINDOW_OVERLAP = 500
"""Characters that neighbouring windows share, so that a scam of up to this length
always lies whole inside one window."""

_SURROGATE = re.compile("[\ud800-\udfff]")


class UnusableTextError(InvalidInputError):
    """A message that is a str but cannot be classified: too long, or not valid text."""

    def __init__(self, position: int, reason: str, where: str = "texts"):
        self.position = position
        self.value = None
        ValueError.__init__(self, f"{where}[{position}] {reason}")


def check_texts(
    texts: object, *, allow_single: bool = False, max_chars: int | None = None
) -> list[str]:
    """Return ``texts`` as a list of str, or raise naming the first bad item.

    Parameters
    ----------
    texts : iterable of str
        The messages. A bare ``str`` is accepted only if ``allow_single``.
    allow_single : bool
        Wrap a single string in a list instead of refusing it.
    max_chars : int, optional
        Refuse messages longer than this (the classifier passes :data:`MAX_CHARS`).

    Raises
    ------
    InvalidInputError
        For a bare string (unless allowed), a non-iterable, any item that is not a
        ``str`` (``None``, bytes, NaN, numbers...), a message with a lone surrogate
        (``"\\ud800"``: not a character, it cannot be written as UTF-8) or one longer
        than ``max_chars``.

    Examples
    --------
    >>> check_texts(["a", ""])
    ['a', '']
    >>> check_texts(["a", None])
    Traceback (most recent call last):
    ...
    scamtext.exceptions.InvalidInputError: texts[1] is NoneType (None); expected str
    >>> check_texts(["ok", "x" * 11], max_chars=10)
    Traceback (most recent call last):
    ...
    scamtext._validation.UnusableTextError: texts[1] has 11 characters, more than the 10 \
scamtext classifies; split it into messages
    """
    if isinstance(texts, str) and not allow_single:
        raise InvalidInputError(None, texts)
    if isinstance(texts, (bytes, bytearray)) or not isinstance(texts, Iterable):
        raise InvalidInputError(None, texts)
    checked = [texts] if isinstance(texts, str) else list(texts)
    for position, text in enumerate(checked):
        if not isinstance(text, str):
            raise InvalidInputError(position, text)
        if max_chars is not None and len(text) > max_chars:
            raise UnusableTextError(
                position,
                f"has {len(text):,} characters, more than the {max_chars:,} scamtext "
                "classifies; split it into messages",
            )
        found = _SURROGATE.search(text)
        if found:
            raise UnusableTextError(
                position,
                f"holds a lone surrogate (\\u{ord(found.group()):04x}) at position "
                f"{found.start()}, which is not a character",
            )
    return checked


def text_windows(length: int) -> list[tuple[int, int]]:
    """Return the ``(start, end)`` windows in which a message of ``length`` is classified.

    A message of at most :data:`WINDOW_CHARS` characters is one window; a longer one
    is covered by windows of :data:`WINDOW_CHARS` that overlap by
    :data:`WINDOW_OVERLAP`, the last one ending at the end of the message. Every
    character is in some window.

    >>> text_windows(10)
    [(0, 10)]
    >>> text_windows(4_000)
    [(0, 2000), (1500, 3500), (2000, 4000)]
    """
    if length <= WINDOW_CHARS:
        return [(0, length)]
    stride = WINDOW_CHARS - WINDOW_OVERLAP
    starts = [*range(0, length - WINDOW_CHARS, stride), length - WINDOW_CHARS]
    return [(start, start + WINDOW_CHARS) for start in starts]


def check_labels(labels: object, n_texts: int) -> list[str]:
    """Return ``labels`` as a list of label ids, as many as the texts.

    Each label must be a well-formed id that imitates neither a label of the taxonomy
    nor another of ``labels`` (:func:`scamtext.lifecycle.labels.check_label`).

    >>> check_labels(["normal", "loan"], 2)
    ['normal', 'loan']
    """
    if isinstance(labels, str) or not isinstance(labels, Iterable):
        raise InvalidInputError(None, labels, where="y")
    from .lifecycle.labels import check_label

    checked = list(labels)
    for position, label in enumerate(checked):
        if not isinstance(label, str):
            raise InvalidInputError(position, label, where="y")
    in_use = list(LABELS)
    for label in dict.fromkeys(checked):
        check_label(label, in_use)
        in_use.append(label)
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
