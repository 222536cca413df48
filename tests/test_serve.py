"""The HTTP service on a real socket: endpoints, batching, bad input, model switch, the CLI."""

from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra: pip install 'scamtext[serve]'")

import httpx  # noqa: E402

import scamtext  # noqa: E402
from conftest import TEXTS  # noqa: E402
from scamtext._validation import MAX_CHARS  # noqa: E402
from scamtext.lifecycle.cases import CaseStore  # noqa: E402
from scamtext.lifecycle.registry import ModelRegistry  # noqa: E402
from scamtext.model.persistence import read_metadata  # noqa: E402
from scamtext.serve import create_app, serve_in_thread  # noqa: E402
from scamtext.serve.schemas import MAX_BODY_BYTES, MAX_MESSAGES  # noqa: E402
from scamtext.serve.source import UNKNOWN_LICENCE  # noqa: E402
from scamtext.taxonomy import SCAM_LABELS, advice  # noqa: E402

POLICE = "【公安局】你名下银行卡涉嫌洗钱，请将资金转入安全账户配合调查"
PARCEL = "【顺丰速运】您的快递在运输中丢失，客服为您办理双倍理赔，请添加QQ 2795518830 办理"
CODE = "您的验证码是482913，5分钟内有效，请勿泄露给他人"


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    registry = tmp_path_factory.mktemp("registry")
    store = tmp_path_factory.mktemp("cases")
    app = create_app(registry=registry, store=store)
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        yield client, store


def metric(client, name: str) -> float:
    """The value of one un-labelled sample of /metrics."""
    text = client.get("/metrics").text
    return float(re.search(rf"^{re.escape(name)} (\S+)$", text, re.M).group(1))


def test_classify_gives_the_library_answers_in_order_with_fields_and_advice(service):
    client, _ = service
    texts = [POLICE, CODE, PARCEL, ""]
    body = {"messages": [{"text": t, "id": i, "meta": {"at": 1}} for i, t in enumerate(texts)]}
    answer = client.post("/v1/classify", json=body)
    assert answer.status_code == 200
    results = answer.json()["results"]
    expected = scamtext.predict(texts)
    assert [r["id"] for r in results] == [0, 1, 2, 3]
    assert [r["text"] for r in results] == texts and results[0]["meta"] == {"at": 1}
    for result, prediction in zip(results, expected):
        assert result["label"] == prediction.label and result["is_scam"] == prediction.is_scam
        assert result["score"] == pytest.approx(prediction.score, abs=1e-12)
        assert result["probabilities"] == pytest.approx(prediction.probabilities, abs=1e-12)
        tip = advice(prediction.label)
        assert result["advice"] == (None if tip is None else tip.to_dict())
    assert [r["label"] for r in results] == ["impersonate_police", "normal", "refund", "normal"]
    assert "96110" in results[0]["advice"]["zh"] and "96110" in results[0]["advice"]["en"]
    assert client.post("/v1/classify", json={"messages": []}).json() == {"results": []}


def test_concurrent_single_messages_share_model_calls_and_keep_their_answers(service):
    client, _ = service
    expected = {p.label for p in scamtext.predict(TEXTS)}
    calls_before = metric(client, "scamtext_batch_messages_count")
    n = 3 * len(TEXTS)
    barrier, answers = threading.Barrier(n), [None] * n

    def ask(i: int) -> None:
        with httpx.Client(base_url=str(client.base_url), timeout=60) as own:
            barrier.wait()
            body = {"messages": [{"text": TEXTS[i % len(TEXTS)], "n": i}]}
            answers[i] = own.post("/v1/classify", json=body).json()["results"][0]

    threads = [threading.Thread(target=ask, args=(i,)) for i in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    truth = scamtext.predict(TEXTS)
    for i, answer in enumerate(answers):
        assert answer["n"] == i and answer["text"] == TEXTS[i % len(TEXTS)]
        assert answer["label"] == truth[i % len(TEXTS)].label
    calls = metric(client, "scamtext_batch_messages_count") - calls_before
    assert 1 <= calls < n  # some requests were answered by one model call together
    assert expected  # the fixture messages cover several labels


def test_explain_is_what_explain_json_prints(service):
    client, _ = service
    text = "😀🎉" + POLICE  # characters outside the BMP: offsets count code points
    answer = client.post("/v1/explain", json={"text": text, "top_k": 4})
    assert answer.status_code == 200
    data = answer.json()
    local = scamtext.explain(text, top_k=4).to_dict()
    assert data["label"] == local["label"] == "impersonate_police"
    assert data["probability"] == pytest.approx(local["probability"], abs=1e-12)
    assert [(e["start"], e["end"], e["text"]) for e in data["evidence"]] == [
        (e["start"], e["end"], e["text"]) for e in local["evidence"]
    ]
    assert len(data["evidence"]) == 4
    assert all(text[e["start"] : e["end"]] == e["text"] for e in data["evidence"])
    assert [c["id"] for c in data["cues"]] == [c["id"] for c in local["cues"]] != []
    assert data["advice"] == advice("impersonate_police").to_dict()
    other = client.post("/v1/explain", json={"text": text, "label": "normal"}).json()
    assert other["explained_label"] == "normal" and other["label"] == "impersonate_police"


def test_reported_cases_are_masked_merged_and_label_checked(service):
    client, store = service
    text = "我是王建国警官，请联系13812345678配合调查，把钱转到安全账户"
    first = client.post("/v1/cases", json={"text": text, "label": "impersonate_police"})
    assert first.status_code == 201
    case = first.json()
    assert case["text"] == "我是王**警官，请联系138****5678配合调查，把钱转到安全账户"
    assert case["source"] == "api" and case["reports"] == 1 and case["masked"] is True
    again = client.post("/v1/cases", json={"text": text, "label": "impersonate_police"}).json()
    assert again["id"] == case["id"] and again["reports"] == 2
    stored = CaseStore(store).list(label="impersonate_police")
    assert [c["id"] for c in stored] == [case["id"]] and "13812345678" not in json.dumps(stored)

    unknown = client.post("/v1/cases", json={"text": text, "label": "etc_phishng"})
    assert unknown.status_code == 422
    assert unknown.json()["errors"][0]["field"] == "label"
    assert "new_label" in unknown.json()["detail"]
    new = {"text": "您的ETC认证已过期，请登录 etc-sutong.top 更新", "label": "etc_phishing"}
    assert client.post("/v1/cases", json={**new, "new_label": True}).status_code == 201
    assert client.post("/v1/cases", json=new).status_code == 201  # now a known label
    assert {c["label"] for c in CaseStore(store).list()} == {"impersonate_police", "etc_phishing"}


C, E, K = "/v1/classify", "/v1/explain", "/v1/cases"
BIG_BATCH = json.dumps({"messages": [{"text": "a"}] * (MAX_MESSAGES + 1)}).encode()
BIG_BODY = json.dumps({"messages": [{"text": "a" * 5000}] * 900}).encode()
DEEP = b'{"messages": [{"text": "a", "x": ' + b"[" * 40 + b"]" * 40 + b"}]}"
BAD_INPUT = [
    # (path, JSON body, status, field named first)
    (C, b'{"messages": [', 422, "body"),
    (C, b"", 422, "body"),
    (C, b"null", 422, "body"),
    (C, b"[]", 422, "body"),
    (C, b'{"messages": null}', 422, "messages"),
    (C, b'{"messages": "hi"}', 422, "messages"),
    (C, b'{"messages": [{"id": 1}]}', 422, "messages[0].text"),
    (C, b'{"messages": [{"text": null}]}', 422, "messages[0].text"),
    (C, b'{"messages": [{"text": "ok"}, {"text": 5}]}', 422, "messages[1].text"),
    (C, b'{"messages": [{"text": "\\ud800"}]}', 422, "body"),  # a lone surrogate
    (C, '{"messages": [{"text": "中文"}]}'.encode("gbk"), 422, "body"),
    (C, '{"messages": [{"text": "中文"}]}'.encode("utf-16"), 422, "body"),
    (C, DEEP, 422, "body"),
    (C, b"[" * 100_000 + b"]" * 100_000, 422, "body"),
    (C, BIG_BATCH, 413, "messages"),
    (C, BIG_BODY, 413, "body"),
    (C, b'{"messages": [{"text": "a", "label": "x"}]}', 422, "messages[0].label"),
    (E, b'{"text": "hi", "label": "nope"}', 422, "label"),
    (E, b'{"text": "hi", "label": "../../etc/passwd"}', 422, "label"),
    (E, b'{"text": "hi", "top_k": -1}', 422, "top_k"),
    (E, b'{"text": ["hi"]}', 422, "text"),
    (E, json.dumps({"text": "a" * (MAX_CHARS + 1)}).encode(), 422, "text"),
    (
        C,
        json.dumps({"messages": [{"text": "a"}, {"text": "a" * (MAX_CHARS + 1)}]}).encode(),
        422,
        "messages[1].text",
    ),
    (K, b'{"text": "hi", "label": "../loan"}', 422, "label"),
    (K, b'{"text": "hi", "label": "loan\\u0000"}', 422, "label"),
    (K, b'{"text": "hi", "label": "lo\\nan"}', 422, "label"),
    (K, b'{"text": "hi", "label": "Loan"}', 422, "label"),
    (K, b'{"text": "hi", "label": "nope_nope"}', 422, "label"),
    (K, b'{"text": "", "label": "loan"}', 422, "text"),
    (K, b'{"text": "hi", "label": "loan", "source": "a\\tb"}', 422, "source"),
    ("/v1/nothing", b"{}", 404, "path"),
]


@pytest.mark.parametrize(("path", "body", "status", "field"), BAD_INPUT)
def test_bad_input_is_a_4xx_naming_the_field_and_the_server_stays_up(
    service, path, body, status, field
):
    client, _ = service
    answer = client.post(path, content=body, headers={"content-type": "application/json"})
    assert answer.status_code == status, answer.text[:300]
    data = answer.json()
    assert data["errors"][0]["field"] == field
    assert data["detail"].startswith(f"{field}: ") and data["errors"][0]["message"]
    assert client.get("/healthz").json()["status"] == "ok"


@pytest.mark.parametrize("content_type", ["text/plain", None])
def test_a_body_not_sent_as_json_is_a_415(service, content_type):
    client, _ = service
    headers = {} if content_type is None else {"content-type": content_type}
    answer = client.post(C, content=b'{"messages": [{"text": "a"}]}', headers=headers)
    assert answer.status_code == 415 and "Content-Type: application/json" in answer.text


def test_the_body_limit_is_the_documented_one(service):
    client, _ = service
    filler = "a" * (MAX_BODY_BYTES - 100)
    under = client.post("/v1/explain", json={"text": filler})  # read, then refused by length
    assert under.status_code == 422 and under.json()["errors"][0]["field"] == "text"
    answer = client.post("/v1/explain", json={"text": filler + "b" * 200})
    assert answer.status_code == 413 and f"{MAX_BODY_BYTES:,} bytes" in answer.json()["detail"]

    def chunks():  # no Content-Length: counted while read
        yield b'{"text": "'
        for _ in range(MAX_BODY_BYTES // 2**16 + 1):
            yield b"a" * 2**16
        yield b'"}'

    answer = client.post(
        "/v1/explain", content=chunks(), headers={"content-type": "application/json"}
    )
    assert answer.status_code == 413 and answer.json()["errors"][0]["field"] == "body"
    assert client.get("/healthz").status_code == 200


def test_models_health_metrics_docs(service):
    client, _ = service
    client.post("/v1/classify", json={"messages": [{"text": POLICE}]})
    info = client.get("/v1/models").json()
    assert info["version"] == "shipped" and info["kind"] == "linear"
    assert {label["id"] for label in info["labels"]} == set(scamtext.load_model().classes_)
    police = next(label for label in info["labels"] if label["id"] == "impersonate_police")
    assert police["name_zh"] == "冒充公检法及政府机关" and police["is_scam"] is True
    assert info["licence"] == (read_metadata().get("licence") or UNKNOWN_LICENCE)
    assert info["metrics"]["macro_f1"] > 0.8 and info["reload_error"] is None
    assert client.get("/healthz").json() == {"status": "ok", "version": "shipped"}

    text = client.get("/metrics").text
    assert re.search(
        r'^scamtext_requests_total\{path="/v1/classify",method="POST",status="200"\} '
        r"[1-9]",
        text,
        re.M,
    )
    assert re.search(r'^scamtext_request_seconds_count\{path="/v1/classify"\} [1-9]', text, re.M)
    assert re.search(r'^scamtext_messages_total\{label="impersonate_police"\} [1-9]', text, re.M)
    assert 'scamtext_model_info{version="shipped",kind="linear"} 1' in text

    docs = client.get("/docs")
    assert docs.status_code == 200 and "cdn" not in docs.text  # works with no network
    script = re.search(r'src="([^"]+swagger-ui-bundle\.js)"', docs.text).group(1)
    assert client.get(script).status_code == 200
    paths = client.get("/openapi.json").json()["paths"]
    assert {"/v1/classify", "/v1/explain", "/v1/cases", "/v1/models", "/healthz"} <= set(paths)
    page = client.get("/")
    assert page.status_code == 200 and "/static/page.js" in page.text
    assert "http" not in client.get("/static/page.js").text.replace("HTTP ", "")  # no network


def test_models_use_reaches_the_running_service_without_restart(tmp_path, small_linear):
    registry = ModelRegistry(tmp_path / "models")
    version = registry.add(small_linear, metadata={})
    app = create_app(registry=registry.folder, store=tmp_path / "cases", check_interval=0.2)
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.get("/v1/models").json()["version"] == "shipped"
        command = [sys.executable, "-m", "scamtext", "models", "--registry", str(registry.folder)]
        subprocess.run([*command, "use", version], check=True, capture_output=True)
        info = _wait_for_version(client, version)
        assert {label["id"] for label in info["labels"]} == set(small_linear.classes_)
        result = client.post("/v1/classify", json={"messages": [{"text": POLICE}]}).json()
        assert set(result["results"][0]["probabilities"]) == set(small_linear.classes_)
        subprocess.run([*command, "rollback"], check=True, capture_output=True)
        shipped = _wait_for_version(client, "shipped")["labels"]
        assert {label["id"] for label in shipped} == set(scamtext.load_model().classes_)
        assert "scamtext_model_reloads_total 2" in client.get("/metrics").text


def _wait_for_version(client, version: str, timeout: float = 20.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        info = client.get("/v1/models").json()
        if info["version"] == version:
            return info
        time.sleep(0.1)
    raise AssertionError(f"the service still answers with {info['version']}, not {version}")


def test_a_broken_version_leaves_the_old_model_answering(tmp_path, small_linear):
    registry = ModelRegistry(tmp_path / "models")
    version = registry.add(small_linear, metadata={})
    app = create_app(registry=registry.folder, check_interval=0.1)
    with serve_in_thread(app) as url, httpx.Client(base_url=url, timeout=60) as client:
        (registry.folder / version / "model.skops").write_bytes(b"not a model")
        registry.use(version)
        deadline = time.monotonic() + 20
        while (info := client.get("/v1/models").json())["reload_error"] is None:
            assert time.monotonic() < deadline
            time.sleep(0.1)
        assert info["version"] == "shipped" and "checksum" in info["reload_error"]
        assert client.post("/v1/classify", json={"messages": [{"text": CODE}]}).status_code == 200


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_serve_command_starts_answers_and_stops(tmp_path):
    port = _free_port()
    env = {**os.environ, "SCAMTEXT_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "scamtext", "serve", "--port", str(port)]
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        url, deadline = f"http://127.0.0.1:{port}", time.monotonic() + 60
        while True:
            assert server.poll() is None and time.monotonic() < deadline
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        answer = httpx.post(f"{url}/v1/classify", json={"messages": [{"text": PARCEL}]})
        assert answer.json()["results"][0]["label"] == "refund"
    finally:
        server.send_signal(signal.SIGINT)
        _, err = server.communicate(timeout=30)
    assert server.returncode == 0, err[-2000:]
    assert f"http://127.0.0.1:{port}" in err


def test_the_serve_command_refuses_an_unknown_version_in_one_line(tmp_path):
    env = {**os.environ, "SCAMTEXT_HOME": str(tmp_path)}
    command = [sys.executable, "-m", "scamtext", "serve", "--model", "20990101-000000"]
    done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.startswith("scamtext: error: cannot load model from") and (
        "no model version '20990101-000000'" in done.stderr
    )


def test_every_scam_label_has_its_own_advice_in_both_languages():
    generic = advice("a_label_outside_the_taxonomy")
    assert advice("normal") is None
    for label in SCAM_LABELS:
        tip = advice(label)
        assert tip.label == label and tip.zh != generic.zh and tip.en != generic.en, label
        assert "96110" in tip.zh and "国家反诈中心" in tip.zh, label
        assert "96110" in tip.en and "National Anti-Fraud Center" in tip.en, label
    assert len({advice(label).zh for label in SCAM_LABELS}) == len(SCAM_LABELS)
