"""Read and write files of messages: ``.txt``, ``.jsonl`` and ``.csv``, each also ``.gz``.

One suffix table (:data:`SUFFIXES`) serves every command and the Spark path. Every
record is a dict with at least ``text``; other fields of ``.jsonl`` objects and ``.csv``
columns are kept, so that they can be passed through to the output. Files are read
lazily, line by line, as bytes: memory does not grow with the file, and each line is
decoded on its own, so one line in another encoding costs that line only.

A record that cannot be read raises :class:`BadRecordError` naming the file and line,
or, with ``skip_bad=True``, is reported by a warning and counted in
:attr:`RecordReader.skipped`. What makes a record bad:

- a line that is not UTF-8 (GBK, UTF-16, stray bytes), or longer than
  :data:`MAX_LINE_BYTES`; a message longer than
  :data:`~scamtext._validation.MAX_CHARS` characters;
- JSON that is invalid, not an object, without a string ``text``, nested deeper than
  :data:`MAX_JSON_DEPTH`, with a number longer than :data:`MAX_NUMBER_CHARS` characters
  or out of range, with ``NaN``/``Infinity`` (not standard JSON), or with a lone
  surrogate such as ``"\\ud800"`` (not a character: it cannot be written as UTF-8);
- a CSV row with more or fewer fields than the header, a field longer than the ``csv``
  module's limit (131,072 characters), or a quote that is never closed properly. Such
  a quote would swallow the lines after it into one field: the record is reported at
  the line where it opened and the lines after it are read again as rows;
- compressed data that ends early (a truncated ``.gz``): reported at the line where it
  ends; nothing after it can be read.

A UTF-8 byte-order mark at the start of a file is dropped. ``.txt`` lines end at
``\\n`` (or ``\\r\\n``); a ``\\r`` elsewhere is part of the message. A file that cannot
be read at all (a UTF-16 file, a file named ``.gz`` that is not gzip data, a CSV
header without ``text``, a closed stdin) raises :class:`~scamtext.exceptions.SchemaError`.

Examples
--------
>>> import io
>>> reader = RecordReader(io.BytesIO('{"id": 1, "text": "你好"}\\n'.encode()), fmt="jsonl",
...                       name="<mem>")
>>> list(reader)
[{'id': 1, 'text': '你好'}]
>>> format_of("cases.jsonl.gz"), format_of("msgs.csv")
('jsonl', 'csv')
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import os
import re
import sys
import warnings
import zlib
from collections import deque
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, BinaryIO, TextIO

from .._validation import MAX_CHARS
from ..exceptions import SchemaError
from .atomic import atomic_write

SUFFIXES = {
    ".txt": "txt",
    ".jsonl": "jsonl",
    ".json": "jsonl",
    ".ndjson": "jsonl",
    ".csv": "csv",
    ".parquet": "parquet",
    ".pq": "parquet",
}
"""File name suffix (before any ``.gz``) to format. ``json`` files hold JSON lines."""

FORMATS = ("txt", "jsonl", "csv")
"""The formats this module reads and writes (Parquet is read by the Spark path only)."""

MAX_LINE_BYTES = 2**20
"""Longest line read (1 MiB); a longer line is a bad record and is skipped unread."""

MAX_JSON_DEPTH = 100
"""Deepest nesting of JSON arrays and objects in a record."""

MAX_NUMBER_CHARS = 1000
"""Longest JSON number, in characters."""

_SURROGATE = re.compile("[\ud800-\udfff]")
_LINE_BREAKS = str.maketrans({c: f"\\u{ord(c):04x}" for c in "\x85\u2028\u2029"})
"""Characters that JSON leaves as they are but that split lines for many readers."""
_GZIP_MAGIC = b"\x1f\x8b"
_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")


class BadRecordError(SchemaError):
    """A record of an input file that cannot be read: names the file and line."""

    def __init__(self, name: str, line: int, reason: str):
        self.name = name
        self.line = line
        self.reason = reason
        super().__init__(f"{name}:{line}: {reason}")


def format_of(path: str | os.PathLike, given: str | None = None, *, allowed=FORMATS) -> str:
    """Return the format of ``path`` (``given`` wins); unknown suffixes are an error.

    >>> format_of("x.tsv")
    Traceback (most recent call last):
    ...
    scamtext.exceptions.SchemaError: cannot tell the format of 'x.tsv' from its suffix; \
use one of .txt, .jsonl, .json, .ndjson, .csv (optionally .gz) or give the format \
(txt, jsonl, csv)
    """
    if given is not None:
        fmt = {"json": "jsonl", "ndjson": "jsonl"}.get(given.lower(), given.lower())
        if fmt not in allowed:
            raise SchemaError(f"format {given!r} is not one of {', '.join(allowed)}")
        return fmt
    suffixes = [s.lower() for s in Path(os.fspath(path).rstrip("/")).suffixes]
    if suffixes and suffixes[-1] == ".gz":
        suffixes.pop()
    found = SUFFIXES.get(suffixes[-1]) if suffixes else None
    if found is None or found not in allowed:
        known = ", ".join(s for s, f in SUFFIXES.items() if f in allowed)
        raise SchemaError(
            f"cannot tell the format of {os.fspath(path)!r} from its suffix; use one of "
            f"{known} (optionally .gz) or give the format ({', '.join(allowed)})"
        )
    return found


def open_text(path: str | os.PathLike | None) -> TextIO:
    """Open ``path`` for reading text (UTF-8, ``.gz`` decompressed); ``-``/None is stdin."""
    if path in (None, "-"):
        return io.TextIOWrapper(open_binary(None), encoding="utf-8", newline="")
    if os.fspath(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


def open_binary(path: str | os.PathLike | None) -> BinaryIO:
    """Open ``path`` for reading bytes (``.gz`` decompressed); ``-``/None is stdin.

    A closed stdin, or a file named ``.gz`` that does not hold gzip data, is a
    :class:`~scamtext.exceptions.SchemaError`.
    """
    if path in (None, "-"):
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None or stream.closed:
            raise SchemaError("stdin is closed: give the messages as arguments or --input FILE")
        return stream
    if not os.fspath(path).endswith(".gz"):
        return open(path, "rb")
    with open(path, "rb") as file:
        head = file.read(2)
    if head and head != _GZIP_MAGIC:
        raise SchemaError(
            f"{os.fspath(path)}: not gzip data although the name ends in .gz (it starts with "
            f"{head!r}); rename it without .gz or compress it"
        )
    return gzip.open(path, "rb")  # type: ignore[return-value]


class _LineError(Exception):
    """A line that cannot be decoded; ``final`` when nothing after it can be read."""

    def __init__(self, number: int, reason: str, final: bool = False):
        self.number = number
        self.reason = reason
        self.final = final


def _not_utf8(raw: bytes, error: UnicodeDecodeError) -> str:
    """Say why ``raw`` is not UTF-8, and what it looks like instead."""
    reason = f"not UTF-8 text (byte 0x{raw[error.start]:02x} at byte {error.start + 1})"
    if b"\x00" in raw or raw.startswith(_UTF16_BOMS):
        return reason + "; it looks like UTF-16: convert the file to UTF-8"
    try:
        raw.decode("gb18030")
    except UnicodeDecodeError:
        return reason + "; convert the file to UTF-8"
    return reason + "; it looks like GBK/GB18030: convert the file to UTF-8"


class _Lines:
    """The numbered, decoded lines of a stream, each with its line end; lines can be put back.

    ``taken`` holds the lines handed out since the last :meth:`mark`, so that a CSV
    record that fails can be read again line by line.
    """

    def __init__(self, stream: IO, name: str):
        self.stream = stream
        self.name = name
        self.number = 0  # the last line read from the stream
        self.current = 0  # the last line handed out
        self.pending: deque[tuple[int, str]] = deque()
        self.taken: list[tuple[int, str]] = []

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        number, text = self.pending.popleft() if self.pending else self._read()
        self.taken.append((number, text))
        self.current = number
        return text

    def mark(self) -> None:
        """Start a new record: forget the lines handed out so far."""
        self.taken = []

    def put_back(self, lines: list[tuple[int, str]]) -> None:
        """Hand ``lines`` out again, first, in their order."""
        self.pending.extendleft(reversed(lines))

    def _readline(self, limit: int):
        try:
            return self.stream.readline(limit)
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise _LineError(
                self.number + 1,
                f"the compressed data ends early or is damaged ({error}); nothing after "
                "this line can be read",
                final=True,
            ) from None

    def _read(self) -> tuple[int, str]:
        raw = self._readline(MAX_LINE_BYTES + 1)
        if not raw:
            raise StopIteration
        self.number += 1
        self.current = self.number
        if len(raw) > MAX_LINE_BYTES and raw[-1:] not in (b"\n", "\n"):
            while (rest := self._readline(MAX_LINE_BYTES)) and rest[-1:] not in (b"\n", "\n"):
                pass
            raise _LineError(self.number, f"line longer than {MAX_LINE_BYTES:,} bytes")
        if isinstance(raw, str):  # a text stream: already decoded
            return self.number, raw.lstrip("\ufeff") if self.number == 1 else raw
        if self.number == 1:
            if raw.startswith(_UTF16_BOMS):
                raise SchemaError(
                    f"{self.name}: the file is UTF-16 (it starts with a UTF-16 byte-order mark); "
                    "scamtext reads UTF-8: convert it, e.g. iconv -f UTF-16 -t UTF-8"
                )
            if raw.startswith(_UTF8_BOM):
                raw = raw[len(_UTF8_BOM) :]
        try:
            return self.number, raw.decode("utf-8")
        except UnicodeDecodeError as error:
            raise _LineError(self.number, _not_utf8(raw, error)) from None


class _JSONLimitError(ValueError):
    """A JSON value that scamtext does not accept (see :func:`parse_json_line`)."""


def _json_int(text: str) -> int:
    if len(text) > MAX_NUMBER_CHARS:
        raise _JSONLimitError(f"a number longer than {MAX_NUMBER_CHARS:,} characters")
    return int(text)


def _json_float(text: str) -> float:
    if len(text) > MAX_NUMBER_CHARS:
        raise _JSONLimitError(f"a number longer than {MAX_NUMBER_CHARS:,} characters")
    value = float(text)
    if math.isinf(value):
        raise _JSONLimitError(f"the number {text[:20]} is out of range")
    return value


def _json_constant(name: str):
    raise _JSONLimitError(f"{name} is not standard JSON")


def _check_json_value(value: object) -> None:
    """Refuse nesting deeper than :data:`MAX_JSON_DEPTH` and lone surrogates (no recursion)."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, str):
            found = _SURROGATE.search(item)
            if found:
                code = f"\\u{ord(found.group()):04x}"
                raise _JSONLimitError(
                    f"a string holds a lone surrogate ({code}), which is not a character"
                )
        elif isinstance(item, (dict, list)):
            if depth > MAX_JSON_DEPTH:
                raise _JSONLimitError(f"nested deeper than {MAX_JSON_DEPTH} levels")
            children = [*item.keys(), *item.values()] if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def parse_json_line(line: str) -> object:
    """Parse one line of JSON within scamtext's limits; ``ValueError`` says what is wrong.

    >>> parse_json_line('{"text": "你好", "n": 1.5}')
    {'text': '你好', 'n': 1.5}
    >>> parse_json_line('{"text": "a", "v": NaN}')
    Traceback (most recent call last):
    ...
    ValueError: NaN is not standard JSON
    """
    try:
        value = json.loads(
            line,
            parse_int=_json_int,
            parse_float=_json_float,
            parse_constant=_json_constant,
        )
    except json.JSONDecodeError as error:
        raise ValueError(f"invalid JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise ValueError(f"nested deeper than {MAX_JSON_DEPTH} levels") from None
    except _JSONLimitError as error:
        raise ValueError(str(error)) from None
    try:
        _check_json_value(value)
    except _JSONLimitError as error:
        raise ValueError(str(error)) from None
    return value


def _too_long(text: str) -> str | None:
    if len(text) > MAX_CHARS:
        return (
            f"the message has {len(text):,} characters, more than the {MAX_CHARS:,} "
            "scamtext classifies; split it"
        )
    return None


class RecordReader:
    """Iterate over the records of an open stream (bytes; a text stream is read as it is).

    Parameters
    ----------
    stream : binary or text stream
    fmt : {"txt", "jsonl", "csv"}
    name : str
        Shown in error messages (the file name).
    skip_bad : bool, default=False
        Warn about malformed records and go on, instead of raising.
    reserved : iterable of str, default=()
        Field names a record may not hold (the fields the caller will add): such a
        record is a bad one, so that nothing is overwritten.

    Attributes
    ----------
    read : int
        Records read so far (good and skipped).
    skipped : int
        Malformed records skipped.
    line : int
        The line where the last record given out starts.
    error : BadRecordError or None
        The error that ended :meth:`until_error`, if any.
    """

    def __init__(
        self,
        stream: IO,
        *,
        fmt: str,
        name: str,
        skip_bad: bool = False,
        reserved: Iterable[str] = (),
    ):
        if fmt not in FORMATS:
            raise SchemaError(f"unknown input format {fmt!r}; expected one of {FORMATS}")
        self.stream = stream
        self.fmt = fmt
        self.name = name
        self.skip_bad = skip_bad
        self.reserved = tuple(reserved)
        self.read = 0
        self.skipped = 0
        self.line = 0
        self.error: BadRecordError | None = None

    def _bad(self, line: int, reason: str) -> None:
        self.read += 1
        error = BadRecordError(self.name, line, reason)
        if not self.skip_bad:
            raise error
        self.skipped += 1
        warnings.warn(f"skipped {error}", stacklevel=3)

    def __iter__(self) -> Iterator[dict]:
        parse = {"txt": self._txt, "jsonl": self._jsonl, "csv": self._csv}[self.fmt]
        for line, record in parse(_Lines(self.stream, self.name)):
            clash = [name for name in self.reserved if name in record]
            if clash:
                self._bad(
                    line,
                    f"field {clash[0]!r} would be overwritten by scamtext's output; rename it "
                    "or give a prefix for scamtext's fields (--prefix scamtext_)",
                )
                continue
            self.read += 1
            self.line = line
            yield record

    def until_error(self) -> Iterator[dict]:
        """Yield the records up to the first bad one, keep its error in :attr:`error`.

        Whoever consumes the records decides when to raise it (:meth:`raise_error`), so
        that every record before the bad line is handled first.
        """
        try:
            yield from self
        except BadRecordError as error:
            self.error = error

    def raise_error(self) -> None:
        """Raise the error :meth:`until_error` stopped at, if any."""
        if self.error is not None:
            raise self.error

    def _lines(self, lines: _Lines) -> Iterator[tuple[int, str]]:
        """Yield ``(number, line)``; undecodable lines are reported, a final one ends it."""
        while True:
            try:
                line = next(lines)
            except StopIteration:
                return
            except _LineError as error:
                self._bad(error.number, error.reason)
                if error.final:
                    return
                continue
            yield lines.current, line

    def _txt(self, lines: _Lines) -> Iterator[tuple[int, dict]]:
        for number, line in self._lines(lines):
            text = line[:-1] if line.endswith("\n") else line
            text = text[:-1] if text.endswith("\r") else text
            if reason := _too_long(text):
                self._bad(number, reason)
            else:
                yield number, {"text": text}

    def _jsonl(self, lines: _Lines) -> Iterator[tuple[int, dict]]:
        for number, line in self._lines(lines):
            if not line.strip():
                continue
            try:
                record = parse_json_line(line)
            except ValueError as error:
                self._bad(number, str(error))
                continue
            if not isinstance(record, dict):
                self._bad(number, f"expected a JSON object, got {type(record).__name__}")
            elif not isinstance(record.get("text"), str):
                shown = type(record.get("text")).__name__ if "text" in record else "no 'text' field"
                self._bad(number, f"'text' must be a string ({shown})")
            elif reason := _too_long(record["text"]):
                self._bad(number, reason)
            else:
                yield number, record

    @staticmethod
    def _csv_rows(lines: _Lines) -> Iterator[tuple[int, list[str] | None, str]]:
        """Yield ``(first line, fields, "")`` per CSV row, ``(line, None, reason)`` per bad one.

        A row that fails after several lines (an open quote) is reported at its first
        line, and the lines after it are read again as rows.
        """
        rows = csv.reader(lines, strict=True)
        while True:
            lines.mark()
            try:
                row = next(rows)
            except StopIteration:
                return
            except _LineError as error:
                start = lines.taken[0][0] if lines.taken else error.number
                reason = error.reason
                if start != error.number:
                    reason = f"the row that starts here reaches line {error.number}: {reason}"
                yield start, None, reason
                if error.final:
                    return
                rows = csv.reader(lines, strict=True)
                continue
            except csv.Error as error:
                taken = lines.taken
                start, end = taken[0][0], taken[-1][0]
                reason = f"malformed CSV ({error})"
                if end > start:
                    reason = (
                        f"a quoted field opened on this line is not closed properly ({error}); "
                        f"lines {start + 1}-{end} are read again as rows"
                    )
                    lines.put_back(taken[1:])
                yield start, None, reason
                rows = csv.reader(lines, strict=True)  # a fresh parser, out of the quote
                continue
            if row:
                yield lines.taken[0][0], row, ""

    def _csv(self, lines: _Lines) -> Iterator[tuple[int, dict]]:
        rows = self._csv_rows(lines)
        first = next(rows, None)
        if first is None:  # an empty file
            return
        number, header, reason = first
        if header is None:
            raise BadRecordError(self.name, number, f"unreadable header: {reason}")
        if "text" not in header:
            raise BadRecordError(self.name, number, f"no 'text' column in header {header}")
        twice = sorted({name for name in header if header.count(name) > 1})
        if twice:
            raise BadRecordError(self.name, number, f"header names columns more than once: {twice}")
        for number, row, reason in rows:
            if row is None:
                self._bad(number, reason)
            elif len(row) != len(header):
                self._bad(
                    number,
                    f"row does not have as many fields as the header ({len(row)}, not "
                    f"{len(header)})",
                )
            elif too_long := _too_long(row[header.index("text")]):
                self._bad(number, too_long)
            else:
                yield number, dict(zip(header, row))


@contextmanager
def read_records(
    path: str | os.PathLike | None,
    *,
    fmt: str | None = None,
    skip_bad: bool = False,
    reserved: Iterable[str] = (),
) -> Iterator[RecordReader]:
    """Open ``path`` (``-``/None: stdin, read as txt unless ``fmt``) and yield its reader.

    See :class:`RecordReader` for ``skip_bad`` and ``reserved``.
    """
    stdin = path in (None, "-")
    fmt = fmt if fmt is not None or not stdin else "txt"
    fmt = format_of(path or "-", fmt)
    name = "<stdin>" if path is None or stdin else os.fspath(path)
    stream = open_binary(path)
    try:
        yield RecordReader(stream, fmt=fmt, name=name, skip_bad=skip_bad, reserved=reserved)
    finally:
        if not stdin:
            stream.close()


def read_labeled(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Read messages and label ids from a ``.jsonl`` or ``.csv`` file (or ``.gz``).

    Labels outside the taxonomy are allowed here (new scam types); a missing or empty
    one is a :class:`BadRecordError` naming the line.
    """
    if format_of(path) == "txt":
        raise SchemaError(f"{os.fspath(path)}: expected a .jsonl or .csv file with 'label'")
    texts, labels = [], []
    with read_records(path) as reader:
        for row in reader:
            label = row.get("label")
            if not isinstance(label, str) or not label:
                raise BadRecordError(reader.name, reader.line, "needs a non-empty 'label'")
            texts.append(row["text"])
            labels.append(label)
    return texts, labels


def same_file(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Whether two paths name the same existing file (through links and relative paths)."""
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


@contextmanager
def open_output(path: str | os.PathLike | None, *, inputs: Iterable = ()) -> Iterator[IO]:
    """Yield a text stream for results: stdout for None/``-``, else a file written atomically.

    The file appears (or is replaced) only when the block ends without an error; an
    output that is one of ``inputs`` is refused before anything is opened.
    """
    if path in (None, "-"):
        yield sys.stdout
        return
    for source in inputs:
        if source not in (None, "-") and same_file(source, path):
            raise SchemaError(f"output {os.fspath(path)!r} is the input file; choose another")
    with atomic_write(path) as stream:
        yield stream


def write_jsonl(stream: IO, records: Iterable[dict]) -> int:
    """Write each record as one line of standard JSON; return how many were written.

    Output is always valid UTF-8 and standard JSON, one record a line: a record holding
    ``NaN``, an infinity or a lone surrogate is a ``ValueError`` before anything of it is
    written, and the characters that other readers take for line breaks (``\\u2028``,
    ``\\u2029``, ``\\x85``) are written as JSON escapes.

    >>> import io
    >>> write_jsonl(io.StringIO(), [{"text": "\\ud800"}])
    Traceback (most recent call last):
    ...
    ValueError: record 1 holds a lone surrogate (\\ud800), which cannot be written as UTF-8
    """
    n = 0
    for record in records:
        line = json.dumps(record, ensure_ascii=False, allow_nan=False).translate(_LINE_BREAKS)
        found = _SURROGATE.search(line)
        if found:
            raise ValueError(
                f"record {n + 1} holds a lone surrogate (\\u{ord(found.group()):04x}), which "
                "cannot be written as UTF-8"
            )
        stream.write(line + "\n")
        n += 1
    return n
