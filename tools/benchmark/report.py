"""Turn benchmark results into ``benchmark.json``, ``benchmark.md`` and PNG plots."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .peers import PEER_TITLES


def _fmt(value, spec=".4f"):
    return "–" if value is None else format(value, spec)


def write_report(results: dict, out: str | Path) -> Path:
    """Write ``benchmark.json``, ``benchmark.md`` and PNG plots to ``out``; return the .md path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    measured = [p for p in results["peers"] if "skipped" not in p]
    compact = {
        **results,
        "peers": [{k: v for k, v in p.items() if k != "predictions"} for p in results["peers"]],
    }
    compact.pop("test_labels", None)
    (out / "benchmark.json").write_text(json.dumps(compact, indent=2, ensure_ascii=False))
    base = next((p for p in measured if p["name"] == "nb"), measured[0] if measured else None)
    lines = [
        "# scamtext benchmark",
        "",
        f"Corpus test split: {results['test_messages']:,} messages; training split: "
        f"{results['train_messages']:,}. All models trained and measured in this run, each in "
        "its own process on the same machine (2 cores). Speed ratios are against "
        f"{base['title'] if base else '–'} measured in the same run. Regenerate with "
        "`python scripts/benchmark.py`.",
        "",
        "## Accuracy and cost",
        "",
        "| model | macro-F1 | scam recall | scam precision | hard-neg. FPR | ECE | train s "
        "| msg/s (× base) | p50 ms | p99 ms | size MB | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["peers"]:
        if "skipped" in p:
            lines.append(f"| {PEER_TITLES[p['name']]} | skipped: {p['skipped']} |" + " |" * 10)
            continue
        c = p["clean"]
        ratio = p["throughput"] / base["throughput"]
        lines.append(
            f"| {p['title']} | {c['macro_f1']:.4f} | {c['scam']['recall']:.4f} | "
            f"{c['scam']['precision']:.4f} | {_fmt(c['hard_negative_fpr'], '.2%')} | "
            f"{_fmt(c['ece'])} | {p['train_seconds']:.0f} | {p['throughput']:,.0f} "
            f"(×{ratio:.2f}) | {p['latency_p50_ms']:.2f} | {p['latency_p99_ms']:.2f} | "
            f"{p['size_bytes'] / 1e6:.1f} | {p['peak_rss_mb']:.0f} |"
        )
    labels = sorted({label for p in measured for label in p["clean"]["per_label"]})
    lines += [
        "",
        "## F1 per label",
        "",
        "| label | " + " | ".join(p["title"] for p in measured) + " |",
        "|---" * (len(measured) + 1) + "|",
    ]
    for label in labels:
        lines.append(
            f"| {label} | "
            + " | ".join(_fmt(p["clean"]["per_label"].get(label, {}).get("f1")) for p in measured)
            + " |"
        )
    attacks = list(measured[0]["attacks"]) if measured else []
    if attacks:
        lines += [
            "",
            "## Robustness to evasion (scam recall / macro-F1; change against clean)",
            "",
            f"Attacks from `scamtext.text.attacks`, seed {results['attack_seed']}.",
            "",
            "| attack | " + " | ".join(p["title"] for p in measured) + " |",
            "|---" * (len(measured) + 1) + "|",
        ]
        lines.append(
            "| clean | "
            + " | ".join(
                f"{p['clean']['scam']['recall']:.3f} / {p['clean']['macro_f1']:.3f}"
                for p in measured
            )
            + " |"
        )
        for name in attacks:
            cells = []
            for p in measured:
                a, c = p["attacks"][name], p["clean"]
                cells.append(
                    f"{a['scam']['recall']:.3f} / {a['macro_f1']:.3f} "
                    f"({100 * (a['scam']['recall'] - c['scam']['recall']):+.1f} / "
                    f"{100 * (a['macro_f1'] - c['macro_f1']):+.1f})"
                )
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += _unseen_style_section(results, measured)
    crossed = [p for p in measured if "cross_style" in p]
    if crossed:
        lines += [
            "",
            "## Cross-source generalisation",
            "",
            f"Imported research rows ({results['imported_messages']:,}) against authored rows "
            f"({results['authored_messages']:,}), all splits. The imported rows have no "
            "fake_prize, group_payment or investment messages, so a model trained on them "
            "cannot name those labels (scam recall still counts them); the *shared labels* "
            "columns leave those three out.",
            "",
            "| model | imported→authored macro-F1 | scam recall | hard-neg. FPR | "
            "shared labels: macro-F1 | scam recall | authored→imported macro-F1 | scam recall |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in crossed:
            a, b = p["cross_style"]["imported->authored"], p["cross_style"]["authored->imported"]
            shared = p["cross_style"].get("imported->authored, shared labels", {})
            lines.append(
                f"| {p['title']} | {a['macro_f1']:.4f} | {a['scam']['recall']:.4f} | "
                f"{_fmt(a['hard_negative_fpr'], '.2%')} | {_fmt(shared.get('macro_f1'))} | "
                f"{_fmt(shared.get('scam', {}).get('recall'))} | {b['macro_f1']:.4f} | "
                f"{b['scam']['recall']:.4f} |"
            )
    deleted = [p for p in measured if "deletion" in p]
    if deleted:
        lines += [
            "",
            "## Faithfulness of explanations (deletion test)",
            "",
            "For correctly labeled scam messages of the test split: remove the top-3 "
            "positive evidence spans, or 3 random spans of the same lengths, and measure "
            "the drop in the probability of the label.",
            "",
            "| model | messages | drop, top-3 evidence removed | drop, random spans removed |",
            "|---|---|---|---|",
        ]
        for p in deleted:
            d = p["deletion"]
            lines.append(
                f"| {p['title']} | {d['messages']} | {_fmt(d['drop_top_k'])} | "
                f"{_fmt(d['drop_random'])} |"
            )
    plots = _plots(results, out)
    if plots:
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in plots]
    path = out / "benchmark.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _unseen_style_section(results: dict, measured: list[dict]) -> list[str]:
    """Markdown lines of the unseen-style table (none if it was not measured)."""
    unseen = [p for p in measured if "unseen_style" in p]
    if not unseen:
        return []
    styles = list(unseen[0]["unseen_style"]["styles"])
    lines = [
        "",
        "## Unseen styles",
        "",
        f"Models trained on the corpus training split, scored on the test half of "
        f"`data/heldout` ({results['unseen_style_messages']:,} messages): styles that no "
        "training row has (speech-to-text, screenshot OCR, coded slang, Hong Kong / Taiwan / "
        "Singapore colloquial, forwarded logs and one-liners). See `data/heldout/README.md`.",
        "",
        "| model | macro-F1 | scam recall | hard-neg. FPR | "
        + " | ".join(f"{s}: scam recall / hard-neg. FPR" for s in styles)
        + " |",
        "|---" * (4 + len(styles)) + "|",
    ]
    for p in unseen:
        a = p["unseen_style"]["all"]
        cells = [
            f"{s['scam']['recall']:.3f} / {_fmt(s['hard_negative_fpr'], '.1%')}"
            for s in p["unseen_style"]["styles"].values()
        ]
        lines.append(
            f"| {p['title']} | {a['macro_f1']:.4f} | {a['scam']['recall']:.4f} | "
            f"{_fmt(a['hard_negative_fpr'], '.2%')} | " + " | ".join(cells) + " |"
        )
    return lines


def _plots(results: dict, out: Path) -> list[str]:
    try:
        from scamtext.lifecycle.plots import plot_confusion, plot_reliability

        from .plots import plot_robustness
    except ImportError:  # matplotlib is an optional extra
        return []
    written = []
    for p in results["peers"]:
        if "predictions" not in p:
            continue
        classes = p["predictions"]["classes"]
        proba = np.asarray(p["predictions"]["proba"])
        for kind, plot in (("confusion", plot_confusion), ("reliability", plot_reliability)):
            name = f"{kind}_{p['name']}.png"
            plot(results["test_labels"], proba, classes, out / name, title=p["title"])
            written.append(name)
    measured = [p for p in results["peers"] if "skipped" not in p and p.get("attacks")]
    if measured:
        plot_robustness(measured, out / "robustness.png")
        written.append("robustness.png")
    return written
