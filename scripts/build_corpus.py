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
VERSION = "1.0.0"


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
        manifest["counts"][split] = {f"{label}/{source}": n for (label, source), n in sorted(counts.items())}
        print(f"{split}: {len(rows)} rows")
    (args.out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    main()
