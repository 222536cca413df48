"""Build the corpus in two parts, each with its manifest and counts.

Usage: python scripts/build_corpus.py [--shared ../shared/data] [--seed 20261122]

Reads the research datasets in ../shared/data and the authored rows in data/authored,
then de-duplicates, drops authored rows near any evaluation message (data/heldout,
data/benchmark), groups near-duplicates and splits them (see tools/corpus_build.py).
Writes:

- scamtext/data/corpus/{train,validation,test}.jsonl.gz: the authored rows (MIT), shipped
  in the package and used to train the default model;
- data/research/{train,validation,test}.jsonl: the TFT5/TFT8 rows (research use only),
  for the research model and as an unseen-source test.

Each folder gets manifest.json (version, seed, SHA-256 of each file, counts), and the counts
table of its data card is regenerated, so a split that changes shows up in review.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import hashlib
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scamtext.lifecycle.corpus import COLUMNS, read_jsonl  # noqa: E402
from tools.corpus_build import build_corpus  # noqa: E402

VERSION = "2.0.0"
PARTS = {
    "authored": (ROOT / "scamtext" / "data" / "corpus", ".jsonl.gz"),
    "research": (ROOT / "data" / "research", ".jsonl"),
}


def evaluation_messages() -> list[str]:
    """Every message of the evaluation sets, which no training row may come near."""
    files = sorted((ROOT / "data" / "heldout").glob("*.jsonl"))
    files += sorted((ROOT / "data" / "benchmark").glob("*.jsonl"))
    return [row["text"] for file in files for row in read_jsonl(file)]


def write_split(rows: list[dict], file: Path) -> str:
    """Write rows as JSON lines (gzip with a fixed mtime for .gz); return the SHA-256."""
    data = "".join(
        json.dumps({c: row[c] for c in COLUMNS}, ensure_ascii=False) + "\n" for row in rows
    ).encode("utf-8")
    if file.suffix == ".gz":
        data = gzip.compress(data, compresslevel=9, mtime=0)
    file.write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--authored", type=Path, default=ROOT / "data" / "authored")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    splits, dropped = build_corpus(
        args.shared, args.authored, seed=args.seed, exclude=evaluation_messages()
    )
    print(f"dropped {len(dropped)} authored rows near an evaluation message")
    for part, (folder, suffix) in PARTS.items():
        folder.mkdir(parents=True, exist_ok=True)
        manifest = {"version": VERSION, "seed": args.seed, "files": {}, "counts": {}}
        if part == "authored":
            manifest["dropped_near_evaluation_sets"] = len(dropped)
        part_splits = {
            split: [r for r in rows if (r["source"] == "authored") == (part == "authored")]
            for split, rows in splits.items()
        }
        for split, rows in part_splits.items():
            file = folder / f"{split}{suffix}"
            manifest["files"][file.name] = write_split(rows, file)
            counts = collections.Counter((r["label"], r["source"]) for r in rows)
            manifest["counts"][split] = {
                f"{label}/{source}": n for (label, source), n in sorted(counts.items())
            }
            print(f"{part} {split}: {len(rows)} rows")
        (folder / "manifest.json").write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )
        write_counts(part_splits, folder / "README.md")


def write_counts(splits: dict[str, list[dict]], card: Path) -> None:
    """Replace the counts table of a data card with the one of these splits."""
    sources = sorted({row["source"] for rows in splits.values() for row in rows})
    counts = collections.Counter(
        (row["label"], row["source"], split) for split, rows in splits.items() for row in rows
    )
    labels = sorted({label for label, _, _ in counts}, key=lambda label: (label != "normal", label))
    header = "| label | " + " | ".join(f"{s} train/val/test" for s in sources) + " | total |"
    lines = [header, "|---" * (len(sources) + 2) + "|"]
    for label in labels + ["all"]:
        cells, total = [], 0
        for source in sources:
            per_split = [
                sum(
                    n
                    for (lab, src, sp), n in counts.items()
                    if (label == "all" or lab == label) and src == source and sp == split
                )
                for split in splits
            ]
            total += sum(per_split)
            cells.append("/".join(f"{n:,}" for n in per_split) if sum(per_split) else "–")
        lines.append(f"| {label} | " + " | ".join(cells) + f" | {total:,} |")
    hard = {split: sum(r["hard_negative"] for r in rows) for split, rows in splits.items()}
    hant = {split: sum(r["script"] == "hant" for r in rows) for split, rows in splits.items()}
    lines.append("")
    lines.append(
        "Hard negatives (train/val/test): "
        + "/".join(f"{n:,}" for n in hard.values())
        + ". Traditional-script rows: "
        + "/".join(f"{n:,}" for n in hant.values())
        + "."
    )
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    text = card.read_text(encoding="utf-8") if card.exists() else f"{start}\n{end}\n"
    before, rest = text.split(start)
    _, after = rest.split(end)
    card.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after, encoding="utf-8")


if __name__ == "__main__":
    main()
