"""Read and write files of messages: ``.txt``, ``.jsonl`` and ``.csv``, each also ``.gz``.

One suffix table (:data:`SUFFIXES`) serves every command and the Spark path. Every
record is a dict with at least ``text``; other fields of ``.jsonl`` objects and ``.csv``
columns are kept, so that they can be passed through to the output. Files are read
lazily, line by line: memory does not grow with the file. A malformed record raises
:class:`BadRecordError` naming the file and line, or, with ``skip_bad=True``, is
reported by a warning and counted in :attr:`RecordReader.skipped`.

Examples
--------
>>> import io
>>> reader = RecordReader(io.StringIO('{"id": 1, "text": "你好"}\\n'), fmt="jsonl", name="<mem>")
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
import os
import sys
import warnings
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, TextIO

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


class BadRecordError(SchemaError):
    """A record of an input file that cannot be read: names the file and line."""

    def __init__(self, name: str, line: int, reason: str):
        self.name = name
        self.line = line
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
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="")
    if os.fspath(path).endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8", newline="")
    return open(path, encoding="utf-8", newline="")


class RecordReader:
    """Iterate over the records of an open text stream.

    Parameters
    ----------
    stream : text stream
    fmt : {"txt", "jsonl", "csv"}
    name : str
        Shown in error messages (the file name).
    skip_bad : bool, default=False
        Warn about malformed records and go on, instead of raising.

    Attributes
    ----------
    read : int
        Records read so far (good and skipped).
    skipped : int
        Malformed records skipped.
    """

    def __init__(self, stream: TextIO, *, fmt: str, name: str, skip_bad: bool = False):
        if fmt not in FORMATS:
            raise SchemaError(f"unknown input format {fmt!r}; expected one of {FORMATS}")
        self.stream = stream
        self.fmt = fmt
        self.name = name
        self.skip_bad = skip_bad
        self.read = 0
        self.skipped = 0

    def _bad(self, line: int, reason: str) -> None:
        error = BadRecordError(self.name, line, reason)
        if not self.skip_bad:
            raise error
        self.skipped += 1
        warnings.warn(f"skipped {error}", stacklevel=3)

    def __iter__(self) -> Iterator[dict]:
        parse = {"txt": self._txt, "jsonl": self._jsonl, "csv": self._csv}[self.fmt]
        for record in parse():
            self.read += 1
            yield record

    def _txt(self) -> Iterator[dict]:
        for line in self.stream:
            yield {"text": line.rstrip("\r\n")}

    def _jsonl(self) -> Iterator[dict]:
        for number, line in enumerate(self.stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                self.read += 1
                self._bad(number, f"invalid JSON ({error.msg})")
                continue
            if not isinstance(record, dict):
                self.read += 1
                self._bad(number, f"expected a JSON object, got {type(record).__name__}")
            elif not isinstance(record.get("text"), str):
                self.read += 1
                shown = type(record.get("text")).__name__ if "text" in record else "no 'text' field"
                self._bad(number, f"'text' must be a string ({shown})")
            else:
                yield record

    def _csv(self) -> Iterator[dict]:
        reader = csv.DictReader(self.stream)
        if reader.fieldnames is None or "text" not in reader.fieldnames:
            raise BadRecordError(self.name, 1, f"no 'text' column in header {reader.fieldnames}")
        for record in reader:
            if record.get("text") is None or None in record:
                self.read += 1
                self._bad(reader.line_num, "row does not have as many fields as the header")
                continue
            yield record


@contextmanager
def read_records(
    path: str | os.PathLike | None, *, fmt: str | None = None, skip_bad: bool = False
) -> Iterator[RecordReader]:
    """Open ``path`` (``-``/None: stdin, read as txt unless ``fmt``) and yield its reader."""
    stdin = path in (None, "-")
    fmt = fmt if fmt is not None or not stdin else "txt"
    fmt = format_of(path or "-", fmt)
    with open_text(path) as stream:
        yield RecordReader(
            stream,
            fmt=fmt,
            name="<stdin>" if path is None or stdin else os.fspath(path),
            skip_bad=skip_bad,
        )


def read_labeled(path: str | os.PathLike) -> tuple[list[str], list[str]]:
    """Read messages and label ids from a ``.jsonl`` or ``.csv`` file (or ``.gz``).

    Labels outside the taxonomy are allowed here (new scam types); empty ones are not.
    """
    if format_of(path) == "txt":
        raise SchemaError(f"{os.fspath(path)}: expected a .jsonl or .csv file with 'label'")
    texts, labels = [], []
    with read_records(path) as reader:
        for number, row in enumerate(reader, 1):
            label = row.get("label")
            if not isinstance(label, str) or not label:
                raise SchemaError(f"{os.fspath(path)}: record {number} needs a non-empty 'label'")
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
    """Write each record as one line of standard JSON; return how many were written."""
    n = 0
    for record in records:
        stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
        n += 1
    return n
