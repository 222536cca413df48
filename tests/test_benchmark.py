import json
import subprocess
import sys
from pathlib import Path

import pytest

from scamtext import load_heldout, predict
from scamtext.lifecycle.corpus import load_benchmark_set
from scamtext.model.persistence import save_model
from tools.benchmark.harness import Split, deletion_test, main
from tools.benchmark.peers import shipped_recipe
from tools.benchmark.report import GOALS
from tools.benchmark.sets import detection_figures, unseen_source_rows

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def benchmark_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("benchmark")
    default = f"scamtext-{shipped_recipe()['kind']}"
    path = main(out, peers=["nb", default], attacks=["spaces", "traditional"], sample=300)
    return out, path.read_text(encoding="utf-8"), json.loads((out / "benchmark.json").read_text())


def test_every_peer_is_trained_on_the_mit_split_and_measured_on_every_set(benchmark_run):
    out, report, results = benchmark_run
    for heading in (
        "## Goals (issue 14)",
        "## Accuracy and cost (in-style test split)",
        "## F1 per label",
        "## Unseen styles",
        "## Unseen source: TFT5 + TFT8",
        "## Benchmark sets: long formal notices, everyday chat",
        "## Robustness to evasion",
        "## Faithfulness of explanations",
    ):
        assert heading in report
    assert "Cross-source" not in report and "cross_style" not in json.dumps(results)
    assert results["train_messages"] == 300 and results["test_messages"] == 50
    assert all(licence.startswith("MIT") for licence in results["train_split_licences"])
    n_chat, n_notices = (len(load_benchmark_set(n)) for n in ("everyday_chat", "formal_notices"))
    n_heldout = len(load_heldout("test"))
    assert results["set_messages"] == {
        "unseen_source": 300,
        "formal_notices": n_notices,
        "everyday_chat": n_chat,
    }
    assert results["unseen_style_messages"] == n_heldout
    nb, scamtext = results["peers"]
    assert nb["name"] == "nb" and scamtext["name"].startswith("scamtext-")
    for peer in (nb, scamtext):
        assert 0 < peer["clean"]["macro_f1"] <= 1
        assert "romance" in peer["clean"]["per_label"]
        assert set(peer["attacks"]) == {"spaces", "traditional"}
        assert peer["throughput"] > 0 and peer["latency_p99_ms"] >= peer["latency_p50_ms"]
        assert peer["size_bytes"] > 0 and peer["peak_rss_mb"] > 0
        assert peer["unseen_style"]["all"]["n"] == n_heldout
        assert sorted(peer["unseen_style"]["styles"]) == [
            "asr",
            "forwarded",
            "ocr",
            "regional",
            "slang",
        ]
        tft, notices, chat = (
            peer["sets"][name] for name in ("unseen_source", "formal_notices", "everyday_chat")
        )
        assert tft["scams"] + tft["normals"] == 300 and tft["scams"] > 100 and tft["normals"] > 50
        assert notices["scams"] == n_notices and notices["false_alarm_rate"] is None
        assert chat["normals"] == n_chat and chat["scam_recall"] is None
        assert set(notices["per_label"]) >= {"fake_shopping", "romance", "investment"}
        for figures in (tft, notices):
            scam_rows = [f for label, f in figures["per_label"].items() if label != "normal"]
            caught = sum(f["flagged"] * f["n"] for f in scam_rows)
            assert caught / figures["scams"] == pytest.approx(figures["scam_recall"], abs=1e-3)
            assert figures["category_accuracy"] <= figures["scam_recall"]
    assert (out / f"confusion_{scamtext['name']}.png").stat().st_size > 1000
    assert (out / "robustness.png").exists()


def test_goals_table_reads_the_default_kinds_figures(benchmark_run):
    _, report, results = benchmark_run
    goals = results["goals"]
    assert goals["model"] == results["peers"][1]["name"]
    assert len(goals["rows"]) == len(GOALS) == 12
    scamtext = results["peers"][1]
    by_name = {(row["where"], row["what"]): row for row in goals["rows"]}
    tft_recall = by_name["TFT5+TFT8, all rows (unseen source)", "scam recall"]
    assert tft_recall["figure"] == scamtext["sets"]["unseen_source"]["scam_recall"]
    assert tft_recall["met"] == (tft_recall["figure"] >= 0.97)
    chat = by_name["everyday short chat", "false alarms"]
    assert chat["figure"] == scamtext["sets"]["everyday_chat"]["false_alarm_rate"]
    assert chat["met"] == (chat["figure"] <= 0.005)
    macro = by_name["in-style test split", "macro-F1"]
    assert macro["figure"] == scamtext["clean"]["macro_f1"]
    shopping = by_name["in-style test split", "fake_shopping F1"]
    if "fake_shopping" not in scamtext["clean"]["per_label"]:
        assert shopping["figure"] is None and shopping["met"] is None
    met = {True: "yes", False: "**no**", None: "not measured"}[chat["met"]]
    assert f"| everyday short chat | false alarms | ≤ 0.5% | {chat['figure']:.2%} | {met} |" in (
        report
    )


def test_benchmark_sets_load_and_a_missing_one_is_named(tmp_path):
    notices = load_benchmark_set("formal_notices")
    assert notices.column_names == ["text", "label", "channel", "region", "topic"]
    assert min(len(text) for text in notices["text"]) >= 150
    with pytest.raises(ValueError, match="name must be one of"):
        load_benchmark_set("train")
    with pytest.raises(FileNotFoundError, match="no everyday_chat.jsonl in"):
        load_benchmark_set("everyday_chat", tmp_path)


def test_evaluate_sources_script_prints_and_writes_the_figures(tmp_path, small_linear):
    model = save_model(small_linear, tmp_path / "model")
    out = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "evaluate_sources.py"), "--model", str(model),
         "--sample", "150", "--out", str(tmp_path / "reports")],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    result = json.loads((tmp_path / "reports" / "unseen_source.json").read_text())
    rows = unseen_source_rows(150)
    expected = detection_figures(
        rows["label"], [p.label for p in predict(rows["text"], model=small_linear)]
    )
    assert result["all"] == expected
    assert result["model"]["path"] == str(model) and result["model"]["kind"] == "linear"
    assert sum(f["n"] for f in result["sources"].values()) == 150
    assert set(result["sources"]) == {"tft5", "tft8"}
    table_row = (
        f"| all | 150 | {expected['scam_recall']:.4f} | {expected['false_alarm_rate']:.2%} of "
        f"{expected['normals']} | {expected['category_accuracy']:.4f} |"
    )
    assert table_row in out
    assert table_row in (tmp_path / "reports" / "unseen_source.md").read_text(encoding="utf-8")


def test_deletion_of_evidence_hurts_more_than_random_spans(small_linear):
    from conftest import DOCS

    split = Split([t for t, _ in DOCS], [y for _, y in DOCS], [False] * len(DOCS))
    result = deletion_test(small_linear, split, k=3)
    assert result["messages"] >= 8
    assert result["drop_top_k"] > result["drop_random"]
