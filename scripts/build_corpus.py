"""Build data/corpus/{train,validation,test}.jsonl and manifest.json.

Usage: python scripts/build_corpus.py [--shared ../shared/data] [--seed 20261122]

Reads the research datasets in ../shared/data and the authored rows in
data/authored, then de-duplicates, groups near-duplicates and splits them
(see scamtext.corpus). The manifest records counts and file hashes, so a split
that changes shows up in review.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
import json
from pathlib import Path

from scamtext.corpus import build_corpus
from scamtext.data import COLUMNS

ROOT = Path(__file__).resolve().parents[1]
VERSION = "1.2.0"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--authored", type=Path, default=ROOT / "data" / "authored")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "corpus")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()

    splits = build_corpus(args.shared, args.authored, seed=args.seed)
    args.out.mkdir(parents=True, exist_ok=True)
    manifest = {"version": VERSION, "seed": args.seed, "files": {}, "counts": {}}
    for split, rows in splits.items():
        file = args.out / f"{split}.jsonl"
        with open(file, "w", encoding="utf-8") as f:
            for row in rows:
                f.write(json.dumps({c: row[c] for c in COLUMNS}, ensure_ascii=False) + "\n")
        manifest["files"][file.name] = hashlib.sha256(file.read_bytes()).hexdigest()
        counts = collections.Counter((r["label"], r["source"]) for r in rows)
        manifest["counts"][split] = {
            f"{label}/{source}": n for (label, source), n in sorted(counts.items())
        }
        print(f"{split}: {len(rows)} rows")
    (args.out / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n"
    )
    write_counts(splits, ROOT / "data" / "README.md")


def write_counts(splits: dict[str, list[dict]], card: Path) -> None:
    """Replace the counts table of the data card with the one of these splits."""
    sources = ("tft5", "tft8", "authored")
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
    text = card.read_text(encoding="utf-8")
    start, end = "<!-- counts:start -->", "<!-- counts:end -->"
    before, rest = text.split(start)
    _, after = rest.split(end)
    card.write_text(before + start + "\n" + "\n".join(lines) + "\n" + end + after, encoding="utf-8")


if __name__ == "__main__":
    main()
