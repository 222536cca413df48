"""Regenerate reports/speed.md and speed.json: scamtext's speed against the usual recipe.

Usage: python scripts/benchmark_speed.py [--sizes 40000 1000000] [--repeats 2]

Trains a throwaway scamtext model and the jieba + TF-IDF + LinearSVC recipe on the corpus
training split, then measures both in the same run: whole-process classification of
JSON-lines files, in-process throughput and latency on one core, model load time and
peak memory; checks the normaliser's fast path on every message of the repository and
compares the two segmenters. About 30 minutes on 2 cores (the 1,000,000-message files
take most of it).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.benchmark.speed import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
