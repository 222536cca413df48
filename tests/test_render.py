import dataclasses

from scamtext.cli import main
from scamtext.model.explain import Evidence, Explanation
from scamtext.render import format_html, format_text

EXPLANATION = Explanation(
    text="<b>请</b>转入安全账户，别告诉家人",
    label="impersonate_police",
    probability=0.97,
    explained_label="impersonate_police",
    score=3.0,
    bias=-1.0,
    evidence=(
        Evidence(10, 14, "安全账户", 3.5),
        Evidence(15, 18, "别告诉", 1.0),
        Evidence(0, 3, "<b>", -0.5),
    ),
    other=0.0,
    unlocated=0.0,
    cues=(),
)


def test_plain_text_marks_spans_by_sign():
    lines = format_text(EXPLANATION).splitlines()
    assert lines[0] == "label: impersonate_police (冒充公检法及政府机关)   scam: yes"
    assert lines[3] == "[-<b>]请</b>转入[+安全账户]，[+别告诉]家人"
    assert lines[-1] == (
        "score +3.000 = evidence +4.000 + other spans +0.000 + absent words +0.000 + bias -1.000"
    )


def test_rounding_error_never_prints_a_negative_zero():
    tiny = dataclasses.replace(EXPLANATION, other=-1e-17, unlocated=-0.0004)
    assert format_text(tiny).splitlines()[-1] == (
        "score +3.000 = evidence +4.000 + other spans +0.000 + absent words +0.000 + bias -1.000"
    )


def test_ansi_colours_strong_and_weak_evidence():
    marked = format_text(EXPLANATION, ansi=True).splitlines()[3]
    assert "\033[1;97;41m安全账户\033[0m" in marked  # strong, towards: white on red
    assert "\033[1;31m别告诉\033[0m" in marked  # weaker, towards: red
    assert "\033[1;32m<b>\033[0m" in marked  # against: green


def test_html_is_self_contained_and_escaped():
    page = format_html(EXPLANATION)
    assert page.startswith("<!DOCTYPE html>")
    assert "&lt;b&gt;" in page and "<b>" not in page
    assert "<script" not in page and "http" not in page
    assert 'title="+3.500">安全账户</mark>' in page


def test_cli_writes_the_html_page(tmp_path, capsys):
    page = tmp_path / "why.html"
    assert (
        main(
            [
                "explain",
                "您的包裹丢失，客服为您办理双倍理赔，请加QQ 2795518830",
                "--html",
                str(page),
            ]
        )
        == 0
    )
    capsys.readouterr()
    content = page.read_text(encoding="utf-8")
    assert "label: refund" in content and "理赔</mark>" in content
