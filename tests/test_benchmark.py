import json

from tools.benchmark.harness import Split, deletion_test, main


def test_suite_runs_on_a_tiny_sample(tmp_path):
    path = main(
        tmp_path,
        peers=["nb", "scamtext-linear"],
        attacks=["spaces", "traditional"],
        sample=300,
        cross_style=True,
    )
    report = path.read_text(encoding="utf-8")
    for heading in (
        "## Accuracy and cost",
        "## Robustness to evasion",
        "## Unseen styles",
        "## Cross-source",
        "## Faithfulness of explanations",
    ):
        assert heading in report
    results = json.loads((tmp_path / "benchmark.json").read_text())
    nb, linear = results["peers"]
    assert nb["name"] == "nb" and linear["name"] == "scamtext-linear"
    assert results["train_messages"] == 300 and results["test_messages"] == 50
    for peer in (nb, linear):
        assert 0 < peer["clean"]["macro_f1"] <= 1
        assert set(peer["attacks"]) == {"spaces", "traditional"}
        assert peer["throughput"] > 0 and peer["latency_p99_ms"] >= peer["latency_p50_ms"]
        assert peer["size_bytes"] > 0 and peer["peak_rss_mb"] > 0
    assert results["unseen_style_messages"] == 480
    for peer in (nb, linear):
        unseen = peer["unseen_style"]
        assert unseen["all"]["n"] == 480
        assert sorted(unseen["styles"]) == ["asr", "forwarded", "ocr", "regional", "slang"]
        assert 0 < unseen["all"]["scam"]["recall"] <= 1
        shared = peer["cross_style"]["imported->authored, shared labels"]
        assert shared["n"] < peer["cross_style"]["imported->authored"]["n"]
    assert (tmp_path / "confusion_scamtext-linear.png").stat().st_size > 1000
    assert (tmp_path / "robustness.png").exists()


def test_deletion_of_evidence_hurts_more_than_random_spans(small_linear):
    from conftest import DOCS

    split = Split([t for t, _ in DOCS], [y for _, y in DOCS], [False] * len(DOCS))
    result = deletion_test(small_linear, split, k=3)
    assert result["messages"] >= 8
    assert result["drop_top_k"] > result["drop_random"]
