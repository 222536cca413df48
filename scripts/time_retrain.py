"""Time a full retrain on the corpus plus 1,000 cases, and the fast warm-start update.

Usage: python scripts/time_retrain.py

The cases are 1,000 messages of the corpus validation split (labels known), so the
figures are about time, not accuracy. Uses a temporary model registry.
"""

import tempfile
import time

from scamtext.lifecycle.corpus import load_corpus
from scamtext.lifecycle.registry import ModelRegistry
from scamtext.lifecycle.retrain import retrain, update
from scamtext.model.persistence import load_model

if __name__ == "__main__":
    validation = load_corpus()["validation"]
    cases = [
        {"text": t, "label": y}
        for t, y in zip(list(validation["text"])[:1000], list(validation["label"])[:1000])
    ]
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        result = retrain(cases, registry=ModelRegistry(folder), log=print)
        print(
            f"full retrain with {len(cases)} cases: {time.perf_counter() - started:.0f}s "
            f"(promoted: {result.promoted})"
        )
    started = time.perf_counter()
    update(load_model(), [c["text"] for c in cases[:10]], [c["label"] for c in cases[:10]])
    print(f"fast update with 10 cases: {time.perf_counter() - started:.0f}s")
