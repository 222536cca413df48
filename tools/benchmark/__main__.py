"""``python -m tools.benchmark``: scamtext against the usual recipes (from the repo root)."""

from __future__ import annotations

import argparse
import sys

from scamtext.text.attacks import ATTACKS

from .harness import main as benchmark
from .peers import PEERS


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(
        prog="python -m tools.benchmark",
        description="Train every peer and both scamtext kinds on the training split of the "
        "MIT corpus; measure them on its test split (clean and under each evasion attack), "
        "the unseen-style test half, every TFT5/TFT8 row (unseen source), the formal "
        "notices and the everyday chat; write OUT/benchmark.md, benchmark.json and PNG "
        "plots.",
    )
    p.add_argument("--out", default="reports", metavar="DIR", help="report folder")
    p.add_argument("--peers", nargs="+", choices=list(PEERS), default=list(PEERS))
    p.add_argument("--attacks", nargs="*", choices=list(ATTACKS), default=list(ATTACKS))
    p.add_argument(
        "--sample",
        type=int,
        metavar="N",
        help="quick run: train on N messages, test on N/10 and on N TFT rows",
    )
    p.add_argument("--corpus", metavar="DIR", help="corpus folder (default: the shipped corpus)")
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    path = benchmark(
        args.out,
        peers=args.peers,
        attacks=args.attacks,
        sample=args.sample,
        corpus_dir=args.corpus,
        log=lambda message: print(message, file=sys.stderr),
    )
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
