"""Rebuild the model shipped inside the package (scamtext/default_model).

Usage: python scripts/build_default_model.py

Trains the linear model on the corpus training split, evaluates it on the test
split and writes model.skops and metadata.json (with the metrics) in place.
"""

from pathlib import Path

from scamtext.lifecycle.evaluate import format_report
from scamtext.lifecycle.training import train_and_save

OUT = Path(__file__).resolve().parents[1] / "scamtext" / "default_model"

if __name__ == "__main__":
    report = train_and_save(OUT, kind="linear", log=print)
    print(format_report(report))
    print(f"model: {OUT} ({sum(f.stat().st_size for f in OUT.iterdir()) / 1e6:.1f} MB)")
