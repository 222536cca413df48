"""Build the labeled corpus: import, map, de-duplicate, group and split.

``scripts/build_corpus.py`` calls :func:`build_corpus` and writes two parts: the rows
written for scamtext (MIT) into the package, ``scamtext/data/corpus`` (read by
:func:`scamtext.lifecycle.corpus.load_corpus`), and the research rows (TFT5/TFT8,
research use only) into ``data/research`` of the repository.

Steps
-----
1. Import the research datasets TFT5 and TFT8, mapping their labels as
   ``TAXONOMY.md`` says, and read the authored rows of ``data/authored``.
2. Drop exact duplicates (same normalised text), keeping the first source.
3. Link near-duplicates: character 4-gram cosine >= ``group_threshold`` (0.8)
   puts two rows in one group; within a group, rows of the same label at
   cosine >= ``dedupe_threshold`` (0.9) are dropped but for the first.
4. Drop authored rows that come near (cosine >= ``exclude_threshold``, 0.6) to any
   message of the evaluation sets (``data/heldout``, ``data/benchmark``), so that no
   near-duplicate of an evaluation message is ever trained on.
5. Assign each group to a split by a seeded hash of the group's key, so that
   near-duplicates never straddle two splits and adding rows does not move the
   old ones.

Examples
--------
>>> rows = [{"text": t, "label": "normal", "source": "authored"} for t in
...         ["明天下午三点开会", "明天下午三点开会。", "周末去爬山吗"]]
>>> [r["text"] for r in deduplicate(rows)]
['明天下午三点开会', '周末去爬山吗']
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

from scamtext.lifecycle.corpus import read_jsonl
from scamtext.text.normalize import normalize_text

TFT5_LABELS = {
    "0": "normal",
    "1": "impersonate_police",
    "2": "loan",
    "3": "refund",
    "4": "impersonate_acquaintance",
}
TFT8_LABELS = {
    **{k: v for k, v in TFT5_LABELS.items() if k != "0"},
    "5": "brushing",
    "6": "romance",
    "7": "game_trade",
}
RESEARCH_ONLY = "GPL-3.0 + research-only, no commercial use (Li, Zhang & Jiang, Appl. Sci. 2024)"
AUTHORED = "MIT (scamtext authors)"
SPLIT_FRACTIONS = {"train": 0.8, "validation": 0.1, "test": 0.1}


def _script(text: str) -> str:
    from scamtext.text.normalize import _t2s

    return "hant" if _t2s().convert(text) != text else "hans"


def import_tft(shared_data: str | Path) -> list[dict]:
    """Read TFT5 and TFT8 from ``shared_data`` with taxonomy labels."""
    shared_data = Path(shared_data)
    rows = []
    for source, file, mapping in (
        ("tft5", "telecom_fraud_texts_5/telecom_fraud_texts_5.csv", TFT5_LABELS),
        ("tft8", "telecom_fraud_texts_8/telecom_fraud_texts_8_fraud_only.csv", TFT8_LABELS),
    ):
        with open(shared_data / file, encoding="utf-8", newline="") as f:
            for record in csv.DictReader(f):
                rows.append(
                    {
                        "text": record["text"],
                        "label": mapping[record["label_id"]],
                        "source": source,
                        "licence": RESEARCH_ONLY,
                        "topic": "",
                        "hard_negative": False,
                    }
                )
    return rows


HARD_NEGATIVE_FILES = ("normal_hard", "normal_shopping")
"""Authored files whose rows are all hard negatives (genuine look-alikes of a scam)."""


def load_authored(folder: str | Path) -> list[dict]:
    """Read every ``*.jsonl`` of ``folder``; rows of :data:`HARD_NEGATIVE_FILES` are hard."""
    rows = []
    for file in sorted(Path(folder).glob("*.jsonl")):
        for record in read_jsonl(file):
            rows.append(
                {
                    "text": record["text"],
                    "label": record["label"],
                    "source": "authored",
                    "licence": AUTHORED,
                    "topic": record.get("topic", ""),
                    "hard_negative": bool(
                        record.get("hard_negative", file.stem.startswith(HARD_NEGATIVE_FILES))
                    ),
                }
            )
    return rows


def similarity_graph(texts: Sequence[str], threshold: float, *, chunk: int = 2000) -> sp.coo_matrix:
    """Return the pairs ``(i, j)``, ``i < j``, of ``texts`` whose character 4-gram
    cosine is at least ``threshold``, as a sparse 0/1 matrix.

    >>> similarity_graph(["今天天气很好啊", "今天天气很好啊!", "完全不同的话"], 0.8).nnz
    1
    """
    padded = [t if len(t) >= 4 else t.ljust(4) for t in texts]
    vectors = TfidfVectorizer(
        analyzer="char", ngram_range=(4, 4), use_idf=False, lowercase=False
    ).fit_transform(padded)
    rows, cols = [], []
    for start in range(0, vectors.shape[0], chunk):
        block = (vectors[start : start + chunk] @ vectors.T).tocoo()
        keep = (block.data >= threshold - 1e-9) & (block.col > block.row + start)
        rows.append(block.row[keep] + start)
        cols.append(block.col[keep])
    rows, cols = np.concatenate(rows), np.concatenate(cols)
    n = len(texts)
    return sp.coo_matrix((np.ones(len(rows), dtype=np.int8), (rows, cols)), shape=(n, n))


def deduplicate(rows: list[dict], *, threshold: float = 0.9) -> list[dict]:
    """Drop rows whose normalised text repeats an earlier row of the same label.

    Exact repeats (after normalisation) always go; near repeats go at 4-gram
    cosine >= ``threshold``.
    """
    seen: set[str] = set()
    unique = []
    for row in rows:
        key = normalize_text(row["text"])
        if key in seen:
            continue
        seen.add(key)
        unique.append({**row, "normalized": key})
    graph = similarity_graph([r["normalized"] for r in unique], threshold)
    drop = {
        max(i, j) for i, j in zip(graph.row, graph.col) if unique[i]["label"] == unique[j]["label"]
    }
    return [
        {k: v for k, v in row.items() if k != "normalized"}
        for index, row in enumerate(unique)
        if index not in drop
    ]


def assign_groups(texts: Sequence[str], *, threshold: float = 0.8) -> np.ndarray:
    """Return a group id per text: connected components of near-duplicate pairs.

    A pair is near-duplicate when either the raw or the normalised texts reach
    ``threshold``, so no check on either form finds a pair across splits.
    """
    graph = similarity_graph(texts, threshold) + similarity_graph(
        [normalize_text(t) for t in texts], threshold
    )
    _, groups = connected_components(graph, directed=False)
    return groups


def split_of(key: str, seed: int) -> str:
    """Return the split of a group from a seeded hash of its key.

    >>> split_of("abc", 0) in SPLIT_FRACTIONS
    True
    """
    digest = hashlib.sha256(f"{seed}:{key}".encode("utf-8")).digest()
    position = int.from_bytes(digest[:8], "big") / 2**64
    cumulative = 0.0
    for split, fraction in SPLIT_FRACTIONS.items():
        cumulative += fraction
        if position < cumulative:
            return split
    return "test"


def near_any(texts: Sequence[str], others: Sequence[str], threshold: float) -> np.ndarray:
    """Return a bool per text: whether it reaches 4-gram cosine ``threshold`` with any other.

    Raw and normalised forms are both compared.

    >>> near_any(["今天天气很好啊", "完全不同的话"], ["今天天气很好啊!"], 0.8).tolist()
    [True, False]
    """
    near = np.zeros(len(texts), dtype=bool)
    if not others:
        return near
    for form in (lambda t: t, normalize_text):
        both = [form(t) for t in texts] + [form(t) for t in others]
        graph = similarity_graph(both, threshold).tocoo()
        n = len(texts)
        hit = (graph.row < n) & (graph.col >= n)
        near[graph.row[hit]] = True
    return near


def build_corpus(
    shared_data: str | Path,
    authored: str | Path,
    *,
    seed: int = 20261122,
    exclude: Sequence[str] = (),
    exclude_threshold: float = 0.6,
) -> tuple[dict[str, list[dict]], list[dict]]:
    """Return the corpus rows per split and the rows dropped as near evaluation messages.

    See the module docstring for the steps; ``exclude`` are the evaluation messages.
    """
    rows = deduplicate(import_tft(shared_data) + load_authored(authored))
    near = near_any([r["text"] for r in rows], list(exclude), exclude_threshold)
    dropped = [r for r, n in zip(rows, near) if n and r["source"] == "authored"]
    rows = [r for r, n in zip(rows, near) if not (n and r["source"] == "authored")]
    groups = assign_groups([r["text"] for r in rows])
    keys: dict[int, str] = {}
    for row, group in zip(rows, groups):
        digest = hashlib.sha1(row["text"].encode("utf-8")).hexdigest()
        keys[group] = min(keys.get(group, digest), digest)
    splits: dict[str, list[dict]] = {split: [] for split in SPLIT_FRACTIONS}
    for row, group in zip(rows, groups):
        row = {**row, "script": _script(row["text"]), "group": keys[group][:12]}
        splits[split_of(keys[group], seed)].append(row)
    for split_rows in splits.values():
        split_rows.sort(key=lambda r: (r["label"], r["source"], r["group"], r["text"]))
    return splits, dropped
