"""The analyst's page in a real headless browser (Debian's Chromium, driven by Playwright).

Skips with the reason where Chromium or Playwright is missing; never downloads a browser.
"""

from __future__ import annotations

import re

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra: pip install 'scamtext[serve]'")
sync_api = pytest.importorskip("playwright.sync_api", reason="needs playwright (test extra)")

from tools.browser import find_chromium, launch  # noqa: E402

if find_chromium() is None:
    pytest.skip("no Chromium: apt-get install chromium", allow_module_level=True)

import scamtext  # noqa: E402
from scamtext.lifecycle.cases import CaseStore  # noqa: E402
from scamtext.serve import create_app, serve_in_thread  # noqa: E402

POLICE = "🚨【公安局】你名下银行卡涉嫌洗钱，请将资金转入安全账户配合调查，不要告诉家人"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    store = tmp_path_factory.mktemp("cases")
    app = create_app(registry=tmp_path_factory.mktemp("registry"), store=store)
    with serve_in_thread(app) as url, sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield url, browser, store
        browser.close()


@pytest.fixture
def page(site):
    url, browser, _ = site
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("requestfailed", lambda request: errors.append(request.url))
    page.goto(url + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    context.close()
    assert not errors, errors


def analyse(page, text: str) -> None:
    page.fill("#message", text)
    page.click("#analyse")
    page.wait_for_selector("#result:not([hidden])")


def test_a_pasted_message_shows_label_bars_evidence_cues_and_advice(page):
    analyse(page, POLICE)
    expected = scamtext.predict(POLICE)[0]
    explanation = scamtext.explain(POLICE)
    verdict = page.locator("#verdict")
    assert verdict.get_attribute("data-label") == "impersonate_police"
    assert "冒充公检法及政府机关" in verdict.inner_text() and "诈骗" in verdict.inner_text()

    bars = page.locator(".bar")
    assert bars.count() == len(expected.probabilities)
    assert bars.first.get_attribute("data-label") == "impersonate_police"
    width = bars.first.locator(".fill").evaluate("e => e.style.width")
    assert float(width.rstrip("%")) == pytest.approx(100 * expected.score, abs=0.06)

    # the message is shown whole, with the explanation's spans marked (code points: emoji first)
    assert page.locator("#marked").inner_text() == POLICE
    marks = page.locator("#marked mark")
    shown = [marks.nth(i).inner_text() for i in range(marks.count())]
    assert sorted(shown) == sorted(e.text for e in explanation.evidence)
    strongest = page.locator("#marked mark", has_text=explanation.evidence[0].text).first
    colour = strongest.evaluate("e => getComputedStyle(e).backgroundColor")
    assert re.fullmatch(r"rgba\(220, 38, 38, 0\.9\)", colour), colour  # the CLI's red, full

    cues = page.locator("#cues li")
    assert cues.count() == len(explanation.cues) > 0
    assert explanation.cues[0].zh in cues.first.inner_text()
    advice = page.locator("#advice")
    assert advice.is_visible() and "96110" in advice.inner_text()
    assert "国家反诈中心" in advice.locator("p[lang=zh]").inner_text()
    assert "National Anti-Fraud Center" in advice.locator("p[lang=en]").inner_text()


def test_the_page_reads_in_english_too(page):
    page.click("#lang")
    assert page.evaluate("document.documentElement.lang") == "en"
    assert page.locator("#analyse").inner_text() == "Analyse"
    analyse(page, "明天下午三点开会，记得带材料")
    assert "not a scam" in page.locator("#verdict").inner_text()
    assert page.locator("#advice").is_hidden()  # no advice for normal messages
    page.click("#lang")
    assert page.locator("#analyse").inner_text() == "分析"


def test_a_message_is_reported_as_a_case_with_a_corrected_label(page, site):
    _, _, store = site
    text = "你好，我是李明老师，请联系13812345678交资料费"
    analyse(page, text)
    page.select_option("#report-label", "group_payment")
    page.fill("#report-source", "page-test")
    page.click("#report-send")
    page.wait_for_function("document.querySelector('#report-status').textContent.length > 0")
    status = page.locator("#report-status").inner_text()
    case = next(c for c in CaseStore(store).list() if c["source"] == "page-test")
    assert case["label"] == "group_payment" and case["id"] in status
    assert case["text"] == "你好，我是李**老师，请联系138****5678交资料费"

    page.fill("#report-new", "etc_phishing")
    page.click("#report-send")
    page.wait_for_function("document.querySelector('#report-status').textContent.includes('etc_')")
    assert {c["label"] for c in CaseStore(store).list(label="etc_phishing")} == {"etc_phishing"}


def test_an_uploaded_file_is_classified_line_by_line(page, tmp_path):
    lines = [POLICE, "明天下午三点开会，记得带材料", "刷单返利，先垫付后返佣金，日结300"]
    file = tmp_path / "messages.txt"
    file.write_text("\n".join(lines) + "\n\n", encoding="utf-8")
    page.set_input_files("#file", str(file))
    page.wait_for_selector("#batch:not([hidden])")
    rows = page.locator("#batch-rows tr")
    assert rows.count() == 3
    labels = [p.label for p in scamtext.predict(lines)]
    for i, label in enumerate(labels):
        assert label in rows.nth(i).locator("td").nth(1).inner_text()
    rows.nth(2).click()
    page.wait_for_function("document.querySelector('#verdict').dataset.label === 'brushing'")
    assert page.locator("#message").input_value() == lines[2]


def test_a_bad_jsonl_line_is_named(page, tmp_path):
    file = tmp_path / "messages.jsonl"
    file.write_text('{"text": "明天见"}\n{"id": 2}\n', encoding="utf-8")
    page.set_input_files("#file", str(file))
    page.wait_for_selector("#error:not([hidden])")
    assert "第 2 行" in page.locator("#error").inner_text()
