"""Train the research model: the MIT corpus plus TFT5/TFT8 (research use only).

Usage: python scripts/build_research_model.py [--out models/research]

For users who hold the TFT licence (research by universities and research institutes,
no commercial use): the model inherits that restriction, and its metadata.json says so.
Same settings as the default model (reports/model_selection.json). Then compare it with
the default model: python scripts/evaluate_sources.py --model models/research
"""

import argparse
import json
from pathlib import Path

from build_default_model import ROOT, chosen_settings

from scamtext.lifecycle.corpus import default_corpus_dir
from scamtext.lifecycle.evaluate import format_report
from scamtext.lifecycle.training import train_and_save

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "models" / "research")
    args = parser.parse_args()
    _, kind, params = chosen_settings()
    report = train_and_save(
        args.out,
        kind=kind,
        corpus_dir=[default_corpus_dir(), ROOT / "data" / "research"],
        params=params,
        log=print,
    )
    print(format_report(report))
    metadata = json.loads((args.out / "metadata.json").read_text())
    print(f"licence: {metadata['licence']}")
