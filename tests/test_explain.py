import pytest

from conftest import TEXTS
from scamtext import explain
from scamtext.model.explain import explain_text

TRICKY = [
    "【公安局】你名下銀行卡涉嫌洗錢，請將資金轉入安全帳戶",  # Traditional
    "ＶＸ：ａｂｃ＿１２３４５ 刷单返利，先垫付后返佣金",  # full-width
    "安\u200b全\u200b账\u200b户，立即转账",  # zero-width characters
    "刷 单 返 利 ， 日 结 佣 金",  # separators between characters
    "点击 https://t.cn/A6x9Kq 领取¥1,288.50大奖",  # placeholders
    "",
    "   ",
]


@pytest.mark.parametrize("fixture", ["small_linear", "small_gbdt"])
@pytest.mark.parametrize("text", TEXTS + TRICKY)
def test_evidence_and_bias_add_up_to_the_score(fixture, text, request):
    clf = request.getfixturevalue(fixture)
    exp = explain_text(clf, text, top_k=3)
    assert exp.total() == pytest.approx(exp.score, abs=1e-6)
    k = list(clf.classes_).index(exp.explained_label)
    assert exp.score == pytest.approx(clf.decision_function([text])[0, k], abs=1e-9)


@pytest.mark.parametrize("fixture", ["small_linear", "small_gbdt"])
@pytest.mark.parametrize("text", TRICKY)
def test_spans_are_slices_of_the_original_text(fixture, text, request):
    exp = explain_text(request.getfixturevalue(fixture), text, top_k=50)
    for ev in exp.evidence:
        assert 0 <= ev.start < ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.text
    for cue in exp.cues:
        for start, end in cue.spans:
            assert 0 <= start < end <= len(text)


def test_linear_model_places_all_evidence_in_the_text(small_linear):
    exp = explain_text(small_linear, TEXTS[0], top_k=100)
    assert exp.unlocated == pytest.approx(0.0, abs=1e-9)
    assert exp.other == 0.0
    weights = [abs(e.weight) for e in exp.evidence]
    assert weights == sorted(weights, reverse=True)


def test_explain_another_label(small_linear):
    exp = explain_text(small_linear, TEXTS[0], label="normal")
    assert exp.explained_label == "normal" and exp.label == "impersonate_police"
    assert exp.score < 0 or exp.probability < 0.5
    with pytest.raises(ValueError, match="unknown label 'nope'"):
        explain_text(small_linear, TEXTS[0], label="nope")


def test_explain_rejects_non_strings(small_linear):
    with pytest.raises(ValueError, match="text\\[0\\] is bytes"):
        explain_text(small_linear, b"\xe4\xbd\xa0")


def test_default_model_points_at_the_safe_account_request():
    text = "【公安局】你名下银行卡涉嫌洗钱，请立即将资金转入安全账户配合调查"
    exp = explain(text)
    assert exp.label == "impersonate_police"
    top_texts = [e.text for e in exp.evidence[:5]]
    assert any(t in ("安全账户", "洗钱", "公安局", "涉嫌") for t in top_texts), top_texts
    assert {"safe_account", "authority_claim", "transfer_request"} <= {c.id for c in exp.cues}
    assert exp.total() == pytest.approx(exp.score, abs=1e-6)


def test_golden_explanations_of_the_shipped_model():
    """Top evidence of a few messages; regenerate with scripts/make_golden.py and review."""
    import json
    from pathlib import Path

    golden = json.loads((Path(__file__).parent / "golden" / "explanations.json").read_text("utf-8"))
    assert len(golden) == 6
    for record in golden:
        exp = explain(record["text"], top_k=3)
        assert exp.label == record["label"]
        got = [[e.text, e.start, e.end, round(e.weight, 3)] for e in exp.evidence]
        assert [g[:3] for g in got] == [r[:3] for r in record["top_evidence"]]
        for g, r in zip(got, record["top_evidence"]):
            assert g[3] == pytest.approx(r[3], abs=1e-3)
        assert [c.id for c in exp.cues] == record["cues"]
