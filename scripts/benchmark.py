"""Regenerate reports/benchmark.md, benchmark.json and the PNG plots.

Usage: python scripts/benchmark.py [options of python -m tools.benchmark, e.g. --sample 2000]

Trains every peer (jieba + TF-IDF + NB / LinearSVC, fastText if installed) and both
scamtext kinds on the shipped corpus's training split (MIT rows only), each in its own
process, and measures them on the in-style test split, the unseen-style test half, all
TFT5/TFT8 rows (an unseen source), the formal notices and everyday chat of data/benchmark,
and under each evasion attack. Pass --peers to run fewer (gbdt takes the longest).
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.benchmark.__main__ import main  # noqa: E402

if __name__ == "__main__":
    sys.exit(main(["--out", str(ROOT / "reports"), *sys.argv[1:]]))
