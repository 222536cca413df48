"""Read messages from ``.txt``, ``.jsonl`` and ``.csv`` files (or stdin) as a stream.

Every record is a dict with at least ``text``; other fields of ``.jsonl`` objects
and ``.csv`` columns are kept, so that they can be passed through to the output.
Files are read lazily, line by line: memory does not grow with the file. A
malformed record raises :class:`BadRecordError` naming the file and line, or,
with ``skip_bad=True``, is reported by a warning and counted in
:attr:`RecordReader.skipped`.

Examples
--------
>>> import io
>>> reader = RecordReader(io.StringIO('{"id": 1, "text": "你好"}\\n'), fmt="jsonl", name="<mem>")
>>> list(reader)
[{'id': 1, 'text': '你好'}]
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import sys
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from .exceptions import SchemaError

FORMATS = ("txt", "jsonl", "csv")


class BadRecordError(SchemaError):
    """A record of an input file that cannot be read: names the file and line."""

    def __init__(self, name: str, line: int, reason: str):
        self.name = name
        self.line = line
        super().__init__(f"{name}:{line}: {reason}")


def detect_format(path: str | Path) -> str:
    """Return ``txt``, ``jsonl`` or ``csv`` from a file name (``.gz`` is looked through).

    >>> detect_format("msgs.jsonl.gz"), detect_format("-")
    ('jsonl', 'txt')
    """
    suffixes = [s for s in Path(str(path)).suffixes if s != ".gz"]
    suffix = suffixes[-1].lstrip(".") if suffixes else "txt"
    if suffix in ("json", "ndjson"):
        suffix = "jsonl"
    return suffix if suffix in FORMATS else "txt"


def open_text(path: str | Path | None) -> TextIO:
    """Open ``path`` for reading text (UTF-8, ``.gz`` decompressed); ``-``/None is stdin."""
    if path in (None, "-"):
        return io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8", newline="")
    if str(path).endswith(".gz"):
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
    """

    def __init__(self, stream: TextIO, *, fmt: str, name: str, skip_bad: bool = False):
        if fmt not in FORMATS:
            raise SchemaError(f"unknown input format {fmt!r}; expected one of {FORMATS}")
        self.stream = stream
        self.fmt = fmt
        self.name = name
        self.skip_bad = skip_bad
        self.skipped = 0

    def _bad(self, line: int, reason: str) -> None:
        error = BadRecordError(self.name, line, reason)
        if not self.skip_bad:
            raise error
        self.skipped += 1
        warnings.warn(f"skipped {error}", stacklevel=3)

    def __iter__(self) -> Iterator[dict]:
        if self.fmt == "txt":
            for line in self.stream:
                yield {"text": line.rstrip("\r\n")}
        elif self.fmt == "jsonl":
            yield from self._jsonl()
        else:
            yield from self._csv()

    def _jsonl(self) -> Iterator[dict]:
        for number, line in enumerate(self.stream, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as error:
                self._bad(number, f"invalid JSON ({error.msg})")
                continue
            if not isinstance(record, dict):
                self._bad(number, f"expected a JSON object, got {type(record).__name__}")
            elif not isinstance(record.get("text"), str):
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
                self._bad(reader.line_num, "row does not have as many fields as the header")
                continue
            yield record
