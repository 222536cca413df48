"""Regenerate reports/benchmark.md, benchmark.json and the PNG plots.

Usage: python scripts/benchmark.py [scamtext benchmark options, e.g. --sample 2000]

Trains every peer (jieba + TF-IDF + NB / LinearSVC, fastText if installed) and both
scamtext kinds on the corpus, each in its own process, and measures them on the test
split, under each evasion attack and across styles. About 10-15 minutes on 2 cores.
"""

import sys
from pathlib import Path

from scamtext.cli import main

ROOT = Path(__file__).resolve().parents[1]

if __name__ == "__main__":
    sys.exit(main(["benchmark", "--out", str(ROOT / "reports"), *sys.argv[1:]]))
