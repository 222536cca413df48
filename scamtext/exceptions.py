"""Exceptions raised by scamtext.

Each subclasses a built-in exception, so ``except ValueError`` still catches bad
input, and builds its message from its own arguments.
"""

from __future__ import annotations

from collections.abc import Iterable


class ScamTextError(Exception):
    """Base class of every error scamtext raises on purpose."""


class InvalidInputError(ScamTextError, ValueError):
    """Input of the wrong type: names the position and the type found.

    >>> str(InvalidInputError(3, None))
    'texts[3] is NoneType (None); expected str'
    >>> str(InvalidInputError(None, "hi"))
    'texts is a single str; expected a list of str (wrap it: [text])'
    >>> str(InvalidInputError(None, b"hi"))
    'texts is bytes; expected a list of str'
    """

    def __init__(self, position: int | None, value: object, where: str = "texts"):
        self.position = position
        self.value = value
        if position is None and isinstance(value, str):
            message = f"{where} is a single str; expected a list of str (wrap it: [text])"
        elif position is None:
            message = f"{where} is {type(value).__name__}; expected a list of str"
        else:
            shown = repr(value)
            if len(shown) > 40:
                shown = shown[:37] + "..."
            message = f"{where}[{position}] is {type(value).__name__} ({shown}); expected str"
        super().__init__(message)


class InvalidLabelError(ScamTextError, ValueError):
    """A label id that the taxonomy (or the model) does not know."""

    def __init__(self, label: object, known: Iterable[str]):
        self.label = label
        super().__init__(f"unknown label {label!r}; expected one of: {', '.join(known)}")


class SchemaError(ScamTextError, ValueError):
    """A data file or record does not have the expected fields or format."""


class ModelLoadError(ScamTextError, RuntimeError):
    """A model file is missing, foreign, tampered with or holds untrusted types."""

    def __init__(self, path: object, reason: str):
        self.path = path
        self.reason = reason
        super().__init__(f"cannot load model from {path}: {reason}")
