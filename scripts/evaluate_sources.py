"""Evaluate a model on every TFT5/TFT8 row: the unseen-source test of the MIT-only model.

Usage: python scripts/evaluate_sources.py [--model PATH] [--out DIR] [--sample N]

Classifies every row of ``data/research`` (train, validation and test splits: rows the
default model never trained on) with the shipped model, or the model folder ``--model``,
and prints scam recall, the false-alarm rate on TFT's normal rows (advertising and operator
SMS), category accuracy (the share of TFT's scam rows given their own label) and per-label
figures, for all rows and per source. Writes ``OUT/unseen_source.md`` and
``OUT/unseen_source.json`` (default OUT: reports/).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tools.benchmark.sets import detection_figures, unseen_source_rows  # noqa: E402


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--model", metavar="PATH", help="model folder (default: the shipped model)")
    p.add_argument("--out", default=str(ROOT / "reports"), metavar="DIR", help="report folder")
    p.add_argument("--sample", type=int, metavar="N", help="quick run on N rows (fixed seed)")
    return p.parse_args(argv)


def evaluate_sources(model_path: str | None, sample: int | None = None) -> dict:
    """Classify the TFT rows with the model and return its figures, overall and per source."""
    from scamtext import load_model, predict
    from scamtext.model.persistence import default_model_path, read_metadata

    metadata = read_metadata(model_path)
    model = load_model(model_path)
    rows = unseen_source_rows(sample)
    started = time.perf_counter()
    predicted = [p.label for p in predict(rows["text"], model=model)]
    seconds = time.perf_counter() - started
    by_source = {}
    for source in sorted(set(rows["source"])):
        keep = [s == source for s in rows["source"]]
        by_source[source] = detection_figures(
            [y for y, k in zip(rows["label"], keep) if k],
            [p for p, k in zip(predicted, keep) if k],
        )
    return {
        "model": {
            "path": str(model_path or default_model_path().relative_to(ROOT)),
            "kind": metadata["kind"],
            "licence": metadata.get("licence"),
            "training_data": metadata.get("training_data"),
        },
        "sample": sample,
        "seconds": round(seconds, 1),
        "all": detection_figures(rows["label"], predicted),
        "sources": by_source,
    }


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.2%}"


def _rate(value: float | None) -> str:
    return "–" if value is None else f"{value:.4f}"


def _provenance(training: dict) -> str:
    """Say whether the model's training rows include TFT rows, from its metadata."""
    sources = training.get("sources")
    if sources is None:
        return (
            "Its training sources are not recorded: if it trained on TFT rows, these figures "
            "are not an unseen-source test."
        )
    listed = ", ".join(f"{name} {count:,}" for name, count in sources.items())
    if any(name.startswith("tft") for name in sources):
        return (
            f"Trained on {listed}: **this model has seen TFT rows**, so these figures are not "
            "an unseen-source test."
        )
    return f"Trained on {listed}: none of these rows."


def to_markdown(result: dict) -> str:
    """Return the figures as the Markdown of ``unseen_source.md``."""
    model = result["model"]
    training = model["training_data"] or {}
    figures = result["all"]
    lines = [
        "# Unseen source: TFT5 + TFT8",
        "",
        f"Model `{model['path']}` (kind {model['kind']}, licence "
        f"{model['licence'] or 'not recorded'}, trained on "
        f"{training.get('messages', 0):,} messages). Rows: "
        + (
            f"{figures['n']:,} drawn at random (`--sample {result['sample']}`)"
            if result["sample"]
            else f"all {figures['n']:,}"
        )
        + " of `data/research` (train, validation and test splits): long, generated "
        "call-style scams, and short advertising and operator SMS as the normal rows. "
        f"{_provenance(training)} Scam recall counts a scam caught under any scam label; "
        "category accuracy, a scam given its own label; false alarms, normal rows flagged "
        f"as scams. Classified in {result['seconds']:.0f} s. Regenerate with "
        "`python scripts/evaluate_sources.py`.",
        "",
        "| rows | messages | scam recall | normal (advertising) false alarms | category accuracy |",
        "|---|---|---|---|---|",
    ]
    for name, f in [("all", figures), *result["sources"].items()]:
        lines.append(
            f"| {name} | {f['n']:,} | {_rate(f['scam_recall'])} | "
            f"{_share(f['false_alarm_rate'])} of {f['normals']:,} | "
            f"{_rate(f['category_accuracy'])} |"
        )
    lines += [
        "",
        "## Per label",
        "",
        "| label | messages | flagged as scam | given its own label | most frequent other labels |",
        "|---|---|---|---|---|",
    ]
    for label, f in figures["per_label"].items():
        others = ", ".join(
            f"{other} {count:,}" for other, count in f["predicted"].items() if other != label
        )
        lines.append(
            f"| {label} | {f['n']:,} | {_share(f['flagged'])} | {_share(f['correct'])} | "
            f"{others or '–'} |"
        )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    result = evaluate_sources(args.model, args.sample)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    text = to_markdown(result)
    (out / "unseen_source.md").write_text(text, encoding="utf-8")
    (out / "unseen_source.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(text)
    print(f"wrote {out / 'unseen_source.md'} and unseen_source.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
