"""Turn benchmark results into ``benchmark.json``, ``benchmark.md`` and PNG plots."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from scamtext.taxonomy import LABELS

from .peers import PEER_TITLES


class Goal(NamedTuple):
    """One goal: the set, the figure, where it sits in a peer's results, the bound.

    ``figure`` is a dotted path into the results or a function of them; an upper bound
    (``"<="``) is always a rate and is shown in percent.
    """

    where: str
    what: str
    figure: str | Callable[[dict], float | None]
    op: str
    target: float


def _lowest_label_f1(peer: dict) -> float | None:
    """The lowest F1 over the taxonomy's labels; None if one has no test message."""
    scores = [_at(peer, f"clean.per_label.{label}.f1") for label in LABELS]
    return None if None in scores else min(s for s in scores if s is not None)


_HELDOUT, _TFT = "unseen-style test half", "TFT5+TFT8, all rows (unseen source)"
GOALS = (
    Goal(_HELDOUT, "macro-F1", "unseen_style.all.macro_f1", ">=", 0.95),
    Goal(_HELDOUT, "scam recall", "unseen_style.all.scam.recall", ">=", 0.97),
    Goal(_HELDOUT, "hard negatives flagged", "unseen_style.all.hard_negative_fpr", "<=", 0.01),
    Goal(_TFT, "scam recall", "sets.unseen_source.scam_recall", ">=", 0.97),
    Goal(_TFT, "normal (advertising) false alarms", "sets.unseen_source.false_alarm_rate",
         "<=", 0.01),
    Goal(_TFT, "category accuracy on TFT's labels", "sets.unseen_source.category_accuracy",
         ">=", 0.90),
    Goal("in-style test split", "macro-F1", "clean.macro_f1", ">=", 0.95),
    Goal("in-style test split", "lowest F1 of any label", _lowest_label_f1, ">=", 0.90),
    Goal("in-style test split", "romance F1", "clean.per_label.romance.f1", ">=", 0.90),
    Goal("in-style test split", "fake_shopping F1", "clean.per_label.fake_shopping.f1", ">=",
         0.90),
    Goal("long formal scam notices", "scam recall", "sets.formal_notices.scam_recall", ">=",
         0.95),
    Goal("everyday short chat", "false alarms", "sets.everyday_chat.false_alarm_rate", "<=",
         0.005),
)  # fmt: skip
"""Issue 14's goal figures for the default, MIT-only model."""


def _at(results: dict, path: str) -> float | None:
    """The value at a dotted ``path`` of ``results``, None where a key is missing.

    >>> _at({"clean": {"per_label": {"loan": {"f1": 0.9}}}}, "clean.per_label.loan.f1")
    0.9
    >>> _at({"clean": {"per_label": {}}}, "clean.per_label.romance.f1") is None
    True
    """
    value: Any = results
    for key in path.split("."):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def goal_rows(peer: dict) -> list[dict]:
    """Return each goal with ``peer``'s figure and whether it is met (None: not measured)."""
    rows = []
    for goal in GOALS:
        figure = _at(peer, goal.figure) if isinstance(goal.figure, str) else goal.figure(peer)
        met = None
        if figure is not None:
            met = figure >= goal.target if goal.op == ">=" else figure <= goal.target
        percent = goal.op == "<="
        rows.append(
            {
                "where": goal.where,
                "what": goal.what,
                "target": f"{'≥' if goal.op == '>=' else '≤'} "
                + (f"{goal.target:.1%}" if percent else f"{goal.target:.2f}"),
                "figure": figure,
                "percent": percent,
                "met": met,
            }
        )
    return rows


def _fmt(value, spec=".4f"):
    return "–" if value is None else format(value, spec)


def write_report(results: dict, out: str | Path) -> Path:
    """Write ``benchmark.json``, ``benchmark.md`` and PNG plots to ``out``; return the .md path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    measured = [p for p in results["peers"] if "skipped" not in p]
    default = f"scamtext-{results['default_kind']}"
    goal_peer = next((p for p in measured if p["name"] == default), None)
    goals = None if goal_peer is None else {"model": default, "rows": goal_rows(goal_peer)}
    compact = {
        **results,
        "goals": goals,
        "peers": [{k: v for k, v in p.items() if k != "predictions"} for p in results["peers"]],
    }
    compact.pop("test_labels", None)
    (out / "benchmark.json").write_text(json.dumps(compact, indent=2, ensure_ascii=False))
    base = next((p for p in measured if p["name"] == "nb"), measured[0] if measured else None)
    licences = ", ".join(f"{v:,} {k}" for k, v in results["train_split_licences"].items())
    lines = [
        "# scamtext benchmark",
        "",
        "Every model is trained on the training split of "
        + (
            "the MIT corpus shipped in the package"
            if results["corpus"] is None
            else f"the corpus in `{results['corpus']}`"
        )
        + f" only ({results['train_messages']:,} messages; licences of that split: "
        f"{licences}) and "
        "measured on messages it never trained on: the in-style test split "
        f"({results['test_messages']:,}), the unseen-style test half "
        f"({results['unseen_style_messages']:,}), every TFT5/TFT8 row (unseen source, "
        f"{results['set_messages']['unseen_source']:,}), the long formal scam notices "
        f"({results['set_messages']['formal_notices']:,}) and the everyday short chat "
        f"({results['set_messages']['everyday_chat']:,}). All models trained and measured in "
        "this run, each in its own process on the same machine (2 cores). Speed ratios are "
        f"against {base['title'] if base else '–'} measured in the same run. Regenerate with "
        "`python scripts/benchmark.py`.",
    ]
    lines += _goals_section(goals)
    lines += [
        "",
        "## Accuracy and cost (in-style test split)",
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
    labels = sorted({label for p in measured for label in p["clean"]["per_label"]} | set(LABELS))
    lines += [
        "",
        "## F1 per label (in-style test split)",
        "",
        "A dash: the label has no message in the test split.",
        "",
        *_table(["label"] + [p["title"] for p in measured]),
    ]
    for label in labels:
        lines.append(
            f"| {label} | "
            + " | ".join(_fmt(p["clean"]["per_label"].get(label, {}).get("f1")) for p in measured)
            + " |"
        )
    lines += _unseen_style_section(results, measured)
    lines += _unseen_source_section(measured)
    lines += _benchmark_sets_section(measured)
    lines += _robustness_section(results, measured)
    lines += _deletion_section(measured)
    plots = _plots(results, out)
    if plots:
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in plots]
    path = out / "benchmark.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _table(header: list[str]) -> list[str]:
    return ["| " + " | ".join(header) + " |", "|---" * len(header) + "|"]


def _share(value: float | None) -> str:
    return _fmt(value, ".2%")


def _goals_section(goals: dict | None) -> list[str]:
    """Markdown lines of the goals table (a note if the default kind was not run)."""
    lines = ["", "## Goals (issue 14)", ""]
    if goals is None:
        return lines + ["Not measured: the scamtext kind of the shipped model was not run."]
    lines += [
        f"Figures of `{goals['model']}`, the kind of the shipped model, trained with the "
        "shipped model's settings on the MIT training split.",
        "",
        *_table(["set", "figure", "goal", "measured", "met"]),
    ]
    for row in goals["rows"]:
        figure = _share(row["figure"]) if row["percent"] else _fmt(row["figure"])
        met = {True: "yes", False: "**no**", None: "not measured"}[row["met"]]
        lines.append(f"| {row['where']} | {row['what']} | {row['target']} | {figure} | {met} |")
    return lines


def _unseen_style_section(results: dict, measured: list[dict]) -> list[str]:
    """Markdown lines of the unseen-style table."""
    if not measured:
        return []
    styles = list(measured[0]["unseen_style"]["styles"])
    lines = [
        "",
        "## Unseen styles",
        "",
        f"The test half of `data/heldout` ({results['unseen_style_messages']:,} messages): "
        "styles that no training row has (speech-to-text, screenshot OCR, coded slang, Hong "
        "Kong / Taiwan / Singapore colloquial, forwarded logs and one-liners). See "
        "`data/heldout/README.md`.",
        "",
        *_table(
            ["model", "macro-F1", "scam recall", "hard-neg. FPR"]
            + [f"{s}: scam recall / hard-neg. FPR" for s in styles]
        ),
    ]
    for p in measured:
        a = p["unseen_style"]["all"]
        cells = [
            f"{s['scam']['recall']:.3f} / {_fmt(s['hard_negative_fpr'], '.1%')}"
            for s in p["unseen_style"]["styles"].values()
        ]
        lines.append(
            f"| {p['title']} | {a['macro_f1']:.4f} | {a['scam']['recall']:.4f} | "
            f"{_share(a['hard_negative_fpr'])} | " + " | ".join(cells) + " |"
        )
    return lines


def _per_label_table(measured: list[dict], set_name: str, caption: str) -> list[str]:
    """A table of one row per true label: share flagged as scam / share with the right label."""
    labels = sorted({label for p in measured for label in p["sets"][set_name]["per_label"]})
    rows = ["", caption, "", *_table(["label", "messages"] + [p["title"] for p in measured])]
    for label in labels:
        cells = []
        for p in measured:
            f = p["sets"][set_name]["per_label"].get(label)
            cells.append(
                "–"
                if f is None
                else f"{_share(f['flagged'])}"
                + ("" if label == "normal" else f" / {_share(f['correct'])}")
            )
        n = measured[0]["sets"][set_name]["per_label"][label]["n"]
        rows.append(f"| {label} | {n:,} | " + " | ".join(cells) + " |")
    return rows


def _unseen_source_section(measured: list[dict]) -> list[str]:
    """Markdown lines of the unseen-source (TFT5+TFT8) tables."""
    if not measured:
        return []
    lines = [
        "",
        "## Unseen source: TFT5 + TFT8",
        "",
        "Every row of the research datasets in `data/research` (train, validation and test "
        "splits), which no model here trained on: long, generated call-style scams and short "
        "advertising and operator SMS (all of TFT's normal rows). Scam recall counts a scam "
        "caught under any scam label; category accuracy, a scam given its own label; false "
        "alarms, normal rows flagged as scams.",
        "",
        *_table(["model", "scam recall", "normal (advertising) false alarms", "category accuracy"]),
    ]
    for p in measured:
        s = p["sets"]["unseen_source"]
        lines.append(
            f"| {p['title']} | {_fmt(s['scam_recall'])} | {_share(s['false_alarm_rate'])} | "
            f"{_fmt(s['category_accuracy'])} |"
        )
    return lines + _per_label_table(
        measured,
        "unseen_source",
        "Per label: flagged as scam / given its own label (for `normal`: flagged as scam).",
    )


def _benchmark_sets_section(measured: list[dict]) -> list[str]:
    """Markdown lines of the formal-notice and everyday-chat tables."""
    if not measured:
        return []
    lines = [
        "",
        "## Benchmark sets: long formal notices, everyday chat",
        "",
        "Written for evaluation and never trained on (`data/benchmark/README.md`): long "
        "formal scam notices that impersonate a court, company, school, HR department or "
        "agency (every scam label), and short everyday chats (greetings, small talk, "
        "arrangements, money between friends, service notices), all `normal`.",
        "",
        *_table(
            [
                "model",
                "formal notices: scam recall",
                "formal notices: category accuracy",
                "everyday chat: false alarms",
            ]
        ),
    ]
    for p in measured:
        f, c = p["sets"]["formal_notices"], p["sets"]["everyday_chat"]
        lines.append(
            f"| {p['title']} | {_fmt(f['scam_recall'])} | {_fmt(f['category_accuracy'])} | "
            f"{_share(c['false_alarm_rate'])} of {c['normals']:,} |"
        )
    return lines + _per_label_table(
        measured,
        "formal_notices",
        "Formal notices per label: flagged as scam / given its own label.",
    )


def _robustness_section(results: dict, measured: list[dict]) -> list[str]:
    """Markdown lines of the evasion table (none if no attack was run)."""
    attacks = list(measured[0]["attacks"]) if measured else []
    if not attacks:
        return []
    lines = [
        "",
        "## Robustness to evasion (scam recall / macro-F1; change against clean)",
        "",
        f"The in-style test split under each attack of `scamtext.text.attacks`, seed "
        f"{results['attack_seed']}.",
        "",
        *_table(["attack"] + [p["title"] for p in measured]),
        "| clean | "
        + " | ".join(
            f"{p['clean']['scam']['recall']:.3f} / {p['clean']['macro_f1']:.3f}" for p in measured
        )
        + " |",
    ]
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
    return lines


def _deletion_section(measured: list[dict]) -> list[str]:
    """Markdown lines of the deletion test of the explanations."""
    deleted = [p for p in measured if "deletion" in p]
    if not deleted:
        return []
    lines = [
        "",
        "## Faithfulness of explanations (deletion test)",
        "",
        "For correctly labeled scam messages of the test split: remove the top-3 "
        "positive evidence spans, or 3 random spans of the same lengths, and measure "
        "the drop in the probability of the label.",
        "",
        *_table(
            ["model", "messages", "drop, top-3 evidence removed", "drop, random spans removed"]
        ),
    ]
    for p in deleted:
        d = p["deletion"]
        lines.append(
            f"| {p['title']} | {d['messages']} | {_fmt(d['drop_top_k'])} | "
            f"{_fmt(d['drop_random'])} |"
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
