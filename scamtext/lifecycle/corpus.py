"""Load the labeled corpus and labeled files of messages.

The corpus that trained the default model ships inside the package, in
``scamtext/data/corpus/{train,validation,test}.jsonl.gz`` with its data card
(``README.md``): the messages written for scamtext, MIT-licensed like the code.
:func:`load_corpus` reads it (or any folder of split files) offline into a
``datasets.DatasetDict``. The research part (TFT5/TFT8, research use only) and the
evaluation sets stay in the scamtext repository: :func:`load_corpus` reads
``data/research`` when given that path, and :func:`load_heldout` reads the
unseen-style set of ``data/heldout``, messages in styles the corpus lacks, kept out of
all training; :func:`load_benchmark_set` reads the benchmark sets of ``data/benchmark``
(long formal scam notices, everyday short chat), also never trained on.

Examples
--------
>>> corpus = load_corpus()
>>> sorted(corpus)
['test', 'train', 'validation']
>>> {"text", "label", "source", "hard_negative"} <= set(corpus["test"].column_names)
True
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from ..exceptions import SchemaError
from ..io.records import open_text, read_labeled
from ..taxonomy import LABELS

SPLITS = ("train", "validation", "test")
COLUMNS = ("text", "label", "source", "licence", "script", "topic", "hard_negative", "group")
"""Columns of every corpus split, in order."""


def default_corpus_dir() -> Path:
    """Return the folder of the corpus shipped in the package (MIT)."""
    return Path(str(resources.files("scamtext").joinpath("data/corpus")))


def repository_data_dir() -> Path:
    """Return ``data/`` of the scamtext repository this package sits in (it may not exist)."""
    return Path(__file__).resolve().parents[2] / "data"


def read_jsonl(path: str | Path) -> list[dict]:
    """Read a JSON Lines file (``.gz`` too); a bad line raises :class:`SchemaError` naming it."""
    rows = []
    with open_text(path) as f:
        for number, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as error:
                raise SchemaError(f"{path}:{number}: invalid JSON ({error.msg})") from None
            if not isinstance(row, dict):
                raise SchemaError(f"{path}:{number}: expected a JSON object")
            rows.append(row)
    return rows


def check_rows(rows: Iterable[dict], where: str, *, labels: Iterable[str] = LABELS) -> list[dict]:
    """Check that every row has a str ``text`` and a known ``label``; return the rows."""
    known = set(labels)
    rows = list(rows)
    for number, row in enumerate(rows, 1):
        if not isinstance(row.get("text"), str):
            raise SchemaError(f"{where}: row {number} has no str 'text'")
        if row.get("label") not in known:
            raise SchemaError(f"{where}: row {number} has unknown label {row.get('label')!r}")
    return rows


def load_corpus(path: str | Path | None = None):
    """Return the corpus as a ``datasets.DatasetDict`` with splits train/validation/test.

    Parameters
    ----------
    path : str or Path, optional
        Folder holding ``train``, ``validation`` and ``test`` as ``.jsonl`` or
        ``.jsonl.gz``. Default: the corpus shipped in the package.

    Raises
    ------
    FileNotFoundError
        If a split file is missing.
    SchemaError
        If a row lacks a column or has an unknown label.
    """
    from datasets import Dataset, DatasetDict

    folder = default_corpus_dir() if path is None else Path(path)
    splits = {}
    for split in SPLITS:
        found = [folder / f"{split}{s}" for s in (".jsonl.gz", ".jsonl")]
        file = next((f for f in found if f.is_file()), None)
        if file is None:
            raise FileNotFoundError(
                f"no {split}.jsonl(.gz) in {path}: pass a folder with train, validation "
                "and test split files (or no path, for the shipped corpus)"
            )
        rows = check_rows(read_jsonl(file), str(file))
        missing = [c for c in COLUMNS if rows and c not in rows[0]]
        if missing:
            raise SchemaError(f"{file}: missing columns {missing}")
        splits[split] = Dataset.from_dict({c: [row[c] for row in rows] for c in COLUMNS})
    return DatasetDict(splits)


HELDOUT_PARTS = ("dev", "test")
HELDOUT_COLUMNS = ("text", "label", "channel", "region", "topic", "style", "hard_negative")


def heldout_part(text: str) -> str:
    """Return ``"dev"`` or ``"test"``: the half of the unseen-style set a message is in.

    The halves are fixed by a hash of the text: ``dev`` guides modelling choices,
    ``test`` is reported.

    >>> heldout_part("妈，手机掉水里了，先加我这个新微信")
    'dev'
    """
    return HELDOUT_PARTS[int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2]


def load_heldout(part: str | None = "test", path: str | Path | None = None):
    """Return the unseen-style set (``data/heldout/*.jsonl``) as a ``datasets.Dataset``.

    Parameters
    ----------
    part : {"dev", "test"} or None, default="test"
        Which half (see :func:`heldout_part`); None returns both.
    path : str or Path, optional
        Folder of the style files. Default: ``data/heldout`` of the scamtext repository
        (the set is not installed with the package).

    Examples
    --------
    >>> test = load_heldout("test")
    >>> sorted(set(test["style"]))
    ['asr', 'forwarded', 'ocr', 'regional', 'slang']
    """
    from datasets import Dataset

    if part not in (*HELDOUT_PARTS, None):
        raise ValueError(f"part must be one of {HELDOUT_PARTS} or None, got {part!r}")
    folder = repository_data_dir() / "heldout" if path is None else Path(path)
    files = sorted(folder.glob("*.jsonl"))
    if not files:
        raise FileNotFoundError(
            "the unseen-style set is not installed with the package; clone the scamtext "
            "repository and pass path= its data/heldout folder"
            if path is None
            else f"no unseen-style files (*.jsonl) in {path}"
        )
    rows = []
    for file in files:
        for row in check_rows(read_jsonl(file), str(file)):
            missing = [c for c in HELDOUT_COLUMNS if c not in row]
            if missing:
                raise SchemaError(f"{file}: a row lacks columns {missing}")
            if part is None or heldout_part(row["text"]) == part:
                rows.append(row)
    return Dataset.from_dict({c: [row[c] for row in rows] for c in HELDOUT_COLUMNS})


BENCHMARK_SETS = ("formal_notices", "everyday_chat")
BENCHMARK_COLUMNS = ("text", "label", "channel", "region", "topic")


def load_benchmark_set(name: str, path: str | Path | None = None):
    """Return one benchmark set (``data/benchmark/NAME.jsonl``) as a ``datasets.Dataset``.

    The benchmark sets are written for evaluation and never trained on:
    ``formal_notices`` (long formal scam notices that impersonate an organisation) and
    ``everyday_chat`` (short everyday messages, all ``normal``).

    Parameters
    ----------
    name : {"formal_notices", "everyday_chat"}
    path : str or Path, optional
        Folder of the set files. Default: ``data/benchmark`` of the scamtext repository
        (the sets are not installed with the package).

    Raises
    ------
    ValueError
        If ``name`` is not a benchmark set.
    FileNotFoundError
        If the set file is missing.
    SchemaError
        If a row lacks a column or has an unknown label.

    Examples
    --------
    >>> chat = load_benchmark_set("everyday_chat")
    >>> len(chat), sorted(set(chat["label"]))
    (520, ['normal'])
    """
    from datasets import Dataset

    if name not in BENCHMARK_SETS:
        raise ValueError(f"name must be one of {BENCHMARK_SETS}, got {name!r}")
    folder = repository_data_dir() / "benchmark" if path is None else Path(path)
    file = folder / f"{name}.jsonl"
    if not file.is_file():
        raise FileNotFoundError(
            "the benchmark sets are not installed with the package; clone the scamtext "
            "repository and pass path= its data/benchmark folder"
            if path is None
            else f"no {name}.jsonl in {path}"
        )
    rows = check_rows(read_jsonl(file), str(file))
    for number, row in enumerate(rows, 1):
        missing = [c for c in BENCHMARK_COLUMNS if c not in row]
        if missing:
            raise SchemaError(f"{file}: row {number} lacks columns {missing}")
    return Dataset.from_dict({c: [row[c] for row in rows] for c in BENCHMARK_COLUMNS})


def read_labeled_file(path: str | Path) -> tuple[list[str], list[str]]:
    """Read messages and label ids from a ``.jsonl`` or ``.csv`` file (``.gz`` too).

    Labels outside the taxonomy are allowed (new scam types); empty ones are not.
    """
    return read_labeled(path)


def labeled_set(
    data: str | Path | None = None,
    *,
    split: str = "test",
    corpus_dir: str | Path | None = None,
) -> tuple[list[str], list[str], list[bool] | None]:
    """Return texts, labels and hard-negative flags of a labeled file or of a corpus split.

    A file (``.jsonl``/``.csv`` with ``text`` and ``label``, optionally ``.gz``) has no
    hard-negative flags: the third value is None then.
    """
    if data is not None:
        texts, labels = read_labeled_file(data)
        return texts, labels, None
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, got {split!r}")
    part = load_corpus(corpus_dir)[split]
    return list(part["text"]), list(part["label"]), list(part["hard_negative"])


def data_hash(texts: Iterable[str], labels: Iterable[str]) -> str:
    """Return a SHA-256 of the (text, label) pairs, independent of their order.

    >>> data_hash(["a", "b"], ["x", "y"]) == data_hash(["b", "a"], ["y", "x"])
    True
    """
    digest = hashlib.sha256()
    for pair in sorted(zip(texts, labels)):
        digest.update(json.dumps(pair, ensure_ascii=False).encode("utf-8"))
        digest.update(b"\n")
    return digest.hexdigest()
