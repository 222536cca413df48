"""Rebuild the model shipped inside the package (scamtext/default_model): MIT data only.

Usage: python scripts/build_default_model.py

Trains on the shipped corpus's training split (the rows written for scamtext, MIT) with the
settings chosen on the dev data by scripts/select_default_model.py
(reports/model_selection.json), evaluates on the test split and writes model.skops and
metadata.json (metrics, sources, licence "MIT") in place.
"""

import json
from pathlib import Path

from scamtext.lifecycle.evaluate import format_report
from scamtext.lifecycle.training import train_and_save

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "scamtext" / "default_model"


def chosen_settings() -> tuple[str, str, dict]:
    """Return the candidate chosen on the dev data, its kind and its ScamClassifier params."""
    selection = json.loads((ROOT / "reports" / "model_selection.json").read_text())
    chosen = selection["chosen"]
    settings = selection["results"][chosen["candidate"]]["params"]
    params = {k: v for k, v in settings.items() if k not in ("kind", "n_jobs")}
    params["no_step_penalty"] = chosen["penalty"]
    return chosen["candidate"], settings["kind"], params


if __name__ == "__main__":
    candidate, kind, params = chosen_settings()
    print(f"training {candidate} with {params}")
    report = train_and_save(OUT, kind=kind, params=params, log=print)
    print(format_report(report))
    metadata = json.loads((OUT / "metadata.json").read_text())
    print(f"licence: {metadata['licence']}; sources: {metadata['training_data']['sources']}")
    print(f"model: {OUT} ({sum(f.stat().st_size for f in OUT.iterdir()) / 1e6:.1f} MB)")
