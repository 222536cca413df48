"""Fuzz the service through its OpenAPI schema (schemathesis, on a real socket).

Schemathesis generates requests that fit the schema (positive) and requests that break it
(negative) for every operation; none may be answered 5xx, every 4xx must be JSON naming
the field, and the service must still answer afterwards. (Schemathesis's own pytest
loader reads a private pytest attribute that pytest 9.2 removed, so the test drives its
strategies with hypothesis directly.)
"""

from __future__ import annotations

from collections import Counter

import pytest

pytest.importorskip("fastapi", reason="needs the serve extra: pip install 'scamtext[serve]'")
schemathesis = pytest.importorskip("schemathesis", reason="needs schemathesis (test extra)")

import httpx  # noqa: E402
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.generation import GenerationMode  # noqa: E402

from scamtext.serve import create_app, serve_in_thread  # noqa: E402

OPERATIONS = [
    ("POST", "/v1/classify"),
    ("POST", "/v1/explain"),
    ("POST", "/v1/cases"),
    ("GET", "/v1/models"),
    ("GET", "/healthz"),
    ("GET", "/metrics"),
]


@pytest.fixture(scope="module")
def service_url(tmp_path_factory):
    app = create_app(
        registry=tmp_path_factory.mktemp("registry"), store=tmp_path_factory.mktemp("cases")
    )
    with serve_in_thread(app) as url:
        yield url


@pytest.fixture(scope="module")
def api_schema(service_url):
    return schemathesis.openapi.from_url(f"{service_url}/openapi.json")


def test_the_schema_lists_every_operation(api_schema):
    found = {(r.ok().method.upper(), r.ok().path) for r in api_schema.get_all_operations()}
    assert found == set(OPERATIONS)


RUNS = [(m, p, GenerationMode.POSITIVE) for m, p in OPERATIONS] + [
    (m, p, GenerationMode.NEGATIVE)
    for m, p in OPERATIONS
    if m == "POST"  # GETs take nothing
]


@pytest.mark.parametrize(("method", "path", "mode"), RUNS)
def test_no_generated_request_gets_a_server_error(api_schema, service_url, method, path, mode):
    operation = api_schema[path][method]
    statuses = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=30, deadline=None, database=None, suppress_health_check=list(HealthCheck)
    )
    def check(case):
        response = case.call(base_url=service_url, timeout=60)
        statuses.append(response.status_code)
        assert response.status_code < 500, (response.status_code, response.text[:500])
        if response.status_code >= 400:
            body = response.json()
            assert body["errors"] and all(e["field"] and e["message"] for e in body["errors"])
            assert body["detail"].startswith(body["errors"][0]["field"])

    check()
    seen = Counter(statuses)
    if mode == GenerationMode.NEGATIVE:
        assert any(400 <= s < 500 for s in seen), seen  # broken requests were refused
    else:
        assert any(s < 300 for s in seen), seen  # and requests that fit were answered
    assert httpx.get(f"{service_url}/healthz").json()["status"] == "ok"
