"""The HTTP service: JSON endpoints under ``/v1``, metrics, docs and the analyst's page.

``create_app()`` returns an ASGI application (FastAPI) that answers with one model per
process (:class:`~scamtext.serve.source.ModelSource`), batches concurrent requests into
shared model calls (:class:`~scamtext.serve.batching.MicroBatcher`) and stores reported
cases in a :class:`~scamtext.lifecycle.cases.CaseStore`. Bad input is answered with a
4xx JSON body naming the field (:class:`~scamtext.serve.schemas.ErrorResponse`), never
with a 5xx.

Examples
--------
>>> import tempfile, httpx
>>> from scamtext.serve import serve_in_thread
>>> app = create_app(registry=tempfile.mkdtemp(), store=tempfile.mkdtemp())
>>> with serve_in_thread(app) as url:
...     body = {"messages": [{"text": "刷单返利，先垫付后返佣金"}]}
...     answer = httpx.post(url + "/v1/classify", json=body)
>>> answer.status_code, answer.json()["results"][0]["label"]
(200, 'brushing')
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass
from functools import partial
from importlib import resources
from pathlib import Path
from typing import Any

import orjson
from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, PlainTextResponse
from fastapi.routing import APIRoute
from fastapi.staticfiles import StaticFiles
from fastapi_offline import FastAPIOffline
from starlette.exceptions import HTTPException

from .. import __version__
from ..api import classify_records, explain
from ..exceptions import InvalidInputError, InvalidLabelError
from ..lifecycle.cases import CaseStore
from ..taxonomy import LABELS, advice
from .batching import MicroBatcher
from .metrics import Metrics
from .schemas import (
    MAX_BODY_BYTES,
    MAX_DEPTH,
    MAX_MESSAGES,
    RESERVED_FIELDS,
    Case,
    CaseRequest,
    ClassifyRequest,
    ClassifyResponse,
    ErrorResponse,
    ExplainRequest,
    ExplainResponse,
    ModelInfo,
)
from .source import ModelSource

CONFIG_ENV = "SCAMTEXT_SERVE_CONFIG"
"""Environment variable with the JSON settings of :func:`app_from_env` (worker processes)."""

SWITCH_INTERVAL = 0.001
"""Seconds a thread may hold the interpreter before the other (event loop, model) gets it."""

STATIC = Path(str(resources.files("scamtext.serve").joinpath("static")))
"""The page's files: ``index.html``, ``page.css``, ``page.js``."""

_logger = logging.getLogger("scamtext.serve")
_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {"model": ErrorResponse, "description": "Body or batch over the limit"},
    415: {"model": ErrorResponse, "description": "Body is not JSON"},
    422: {"model": ErrorResponse, "description": "A field is missing or wrong"},
}


_PATTERN_HELP = {
    "label": "a label id is 1 to 40 lower-case ASCII letters, digits or '_', starting with a "
    "letter (no spaces, path separators or control characters)",
    "source": "the source may not hold control characters (line breaks, tabs, NUL...)",
}


class ApiError(HTTPException):
    """A 4xx answer about one field of the request."""

    def __init__(self, status: int, field: str, message: str, kind: str = "value_error"):
        super().__init__(status, message)
        self.field = field
        self.kind = kind


def _too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Return True when arrays and objects in ``value`` nest deeper than ``limit``.

    >>> _too_deep({"a": [[1]]}, 3), _too_deep({"a": [[1]]}, 2)
    (False, True)
    """
    stack = [(value, 1)] if isinstance(value, (dict, list)) else []
    while stack:
        item, depth = stack.pop()
        if depth > limit:
            return True
        children = item.values() if isinstance(item, dict) else item
        stack += [(c, depth + 1) for c in children if isinstance(c, (dict, list))]
    return False


class _JSONRequest(Request):
    """A request whose JSON body is read strictly: UTF-8, no lone surrogates, bounded depth."""

    async def json(self) -> Any:
        if not hasattr(self, "_json"):
            body = await self.body()
            try:
                body.decode("utf-8")
            except UnicodeDecodeError as error:
                raise json.JSONDecodeError(
                    f"the body is not UTF-8 ({error.reason} at byte {error.start}); "
                    "send JSON encoded as UTF-8",
                    "",
                    0,
                ) from None
            data = orjson.loads(body)  # orjson.JSONDecodeError is a json.JSONDecodeError
            if _too_deep(data):
                raise json.JSONDecodeError(f"nested deeper than {MAX_DEPTH} levels", "", 0)
            self._json = data
        return self._json


class _Route(APIRoute):
    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def strict_json_handler(request: Request) -> Response:
            return await handler(_JSONRequest(request.scope, request.receive))

        return strict_json_handler


def _json(data: Any, status: int = 200) -> Response:
    return Response(orjson.dumps(data), status_code=status, media_type="application/json")


def _field(loc: tuple | list) -> str:
    """``("body", "messages", 3, "text")`` -> ``"messages[3].text"``.

    >>> _field(("body", "messages", 3, "text")), _field(("body",)), _field(("body", 17))
    ('messages[3].text', 'body', 'body')
    """
    parts = list(loc[1:]) if loc and loc[0] == "body" else list(loc)
    if not parts or (len(parts) == 1 and isinstance(parts[0], int)):
        return "body"  # a JSON syntax error at a position
    name = ""
    for part in parts:
        name += f"[{part}]" if isinstance(part, int) else f"{'.' if name else ''}{part}"
    return name


def _error(status: int, errors: list[dict]) -> Response:
    first = errors[0]
    return _json({"detail": f"{first['field']}: {first['message']}", "errors": errors}, status)


def _validation_errors(request: Request, exc: RequestValidationError) -> Response:
    errors, status = [], 422
    content_type = request.headers.get("content-type", "")
    for error in exc.errors():
        field = _field(error.get("loc", ()))
        message = str(error.get("msg", "invalid"))
        kind = str(error.get("type", "value_error"))
        if kind == "json_invalid":
            message = f"invalid JSON: {error.get('ctx', {}).get('error', message)}"
        elif field == "body" and kind in ("model_attributes_type", "dict_type"):
            if "json" not in content_type:
                status = 415
                message = "send the body as JSON with the header Content-Type: application/json"
            else:
                message = "the body must be a JSON object"
        elif kind == "string_pattern_mismatch" and field in _PATTERN_HELP:
            message = _PATTERN_HELP[field]
        elif kind == "too_long" and field == "messages":
            status = 413
            message = f"at most {MAX_MESSAGES} messages per request; split the batch"
        errors.append({"field": field, "message": message, "type": kind})
    return _error(status, errors)


def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if isinstance(exc, ApiError):
        field, kind = exc.field, exc.kind
    else:
        field = {404: "path", 405: "method", 413: "body"}.get(exc.status_code, "request")
        kind = "http_error"
    message = str(exc.detail)
    if exc.status_code == 413:
        message = f"the body is larger than {MAX_BODY_BYTES:,} bytes; split the batch"
    return _error(exc.status_code, [{"field": field, "message": message, "type": kind}])


def _internal_error(request: Request, exc: Exception) -> Response:
    _logger.exception("scamtext: internal error on %s", request.url.path, exc_info=exc)
    return _error(500, [{"field": "server", "message": "internal error", "type": "internal"}])


class _BodyLimit:
    """Refuse bodies over :data:`MAX_BODY_BYTES` with a JSON 413.

    A declared ``Content-Length`` over the limit is answered at once, unread; a body sent
    in chunks is counted as it is read.
    """

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length", b"0")
        if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
            response = _http_error(Request(scope, receive), HTTPException(413))
            await response(scope, receive, send)
            return
        size = 0

        async def receive_counted():
            nonlocal size
            message = await receive()
            size += len(message.get("body", b""))
            if size > MAX_BODY_BYTES:
                raise HTTPException(413)  # answered by _http_error
            return message

        await self.app(scope, receive_counted, send)


class _MetricsMiddleware:
    """Count every request and its latency, by route (unknown paths as ``other``)."""

    def __init__(self, app, metrics: Metrics, paths: set[str]):
        self.app = app
        self.metrics = metrics
        self.paths = paths

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started, status = time.perf_counter(), 500

        async def send_and_note(message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, send_and_note)
        finally:
            path = scope["path"]
            if path not in self.paths:
                path = "/static" if path.startswith("/static/") else "other"
            self.metrics.observe_request(
                path, scope["method"], status, time.perf_counter() - started
            )


@dataclass
class _Service:
    source: ModelSource
    store: CaseStore
    batcher: MicroBatcher
    executor: ThreadPoolExecutor


def _classify(source: ModelSource, records: list[dict]) -> list[dict]:
    """Classify records with the current model and add the advice (runs on the model thread)."""
    results = list(classify_records(records, model=source.model, batch_size=len(records)))
    for result in results:
        tip = advice(result["label"])
        result["advice"] = None if tip is None else tip.to_dict()
    return results


def _store_case(service: _Service, case: CaseRequest) -> dict:
    store, classes = service.store, service.source.model.classes_
    known = set(LABELS) | {str(c) for c in classes}
    if case.label not in known and not case.new_label:
        known |= {c["label"] for c in store.list()}
        if case.label not in known:
            raise ApiError(
                422,
                "label",
                f"unknown label {case.label!r}; expected one of {', '.join(sorted(known))}, "
                "or set new_label to true to report a new type of scam",
                "unknown_label",
            )
    (case_id,) = store.add([case.text], case.label, source=case.source)
    return next(c for c in store.list() if c["id"] == case_id)


def create_app(
    model: str | Path | None = None,
    *,
    registry: str | Path | None = None,
    store: str | Path | None = None,
    max_batch: int = 512,
    check_interval: float = 1.0,
) -> FastAPI:
    """Return the service as an ASGI application.

    Parameters
    ----------
    model : str or Path, optional
        Model folder, folder of versions or version name; None follows the current
        version of ``registry`` (the shipped model until one is chosen) and picks up
        ``scamtext models use`` without a restart.
    registry : str or Path, optional
        Folder of model versions (default: the per-user one).
    store : str or Path, optional
        Case store folder for ``/v1/cases`` (default: the per-user one).
    max_batch : int, default=512
        Most messages of concurrent requests joined into one model call.
    check_interval : float, default=1.0
        Seconds between two looks at the registry for a new current version.
    """

    metrics = Metrics()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        source = ModelSource(model, registry, check_interval=check_interval)
        executor = ThreadPoolExecutor(1, thread_name_prefix="scamtext-model")
        batcher = MicroBatcher(
            partial(_classify, source),
            max_messages=max_batch,
            executor=executor,
            on_batch=lambda results: metrics.observe_batch([r["label"] for r in results]),
        )
        batcher.start()
        app.state.service = _Service(source, CaseStore(store), batcher, executor)
        try:
            yield
        finally:
            await batcher.stop()
            executor.shutdown(wait=True)

    app = FastAPIOffline(
        title="scamtext",
        version=__version__,
        description="Classify Chinese text messages as normal or as a kind of scam, explain "
        "why, advise the person, and collect reported cases. The analyst's page is at `/`.",
        redoc_url=None,
        lifespan=lifespan,
    )
    app.router.route_class = _Route
    app.add_exception_handler(RequestValidationError, _validation_errors)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _internal_error)

    def service(request: Request) -> _Service:
        current: _Service = request.app.state.service
        current.source.refresh()
        return current

    @app.post("/v1/classify", response_model=ClassifyResponse, responses=_ERRORS, tags=["classify"])
    async def classify(body: ClassifyRequest, request: Request) -> Response:
        """Classify messages; each result is the message's fields plus `label`, `is_scam`,
        `score`, `probabilities` and `advice`, in input order. Concurrent requests share
        model calls."""
        records = [message.model_dump() for message in body.messages]
        for i, record in enumerate(records):
            for name in RESERVED_FIELDS:
                if name in record:
                    raise ApiError(
                        422,
                        f"messages[{i}].{name}",
                        f"{name!r} is a field scamtext writes; rename it in your messages",
                        "reserved_field",
                    )
        try:
            results = await service(request).batcher.submit(records)
        except InvalidInputError as error:  # a message the library refuses
            position = getattr(error, "position", None)
            field = "messages" if position is None else f"messages[{position}].text"
            raise ApiError(422, field, str(error), "invalid_text") from None
        return _json({"results": results})

    @app.post("/v1/explain", response_model=ExplainResponse, responses=_ERRORS, tags=["classify"])
    async def explain_message(body: ExplainRequest, request: Request) -> Response:
        """Explain one message: evidence spans of the original text (code-point offsets)
        with their weights, the cues found and the advice, as `scamtext explain --json`."""
        current = service(request)
        run = partial(
            explain, body.text, label=body.label, model=current.source.model, top_k=body.top_k
        )
        try:
            explanation = await asyncio.get_running_loop().run_in_executor(current.executor, run)
        except InvalidLabelError as error:
            raise ApiError(422, "label", str(error), "unknown_label") from None
        return _json(explanation.to_dict())

    @app.post("/v1/cases", response_model=Case, status_code=201, responses=_ERRORS, tags=["cases"])
    async def report_case(body: CaseRequest, request: Request) -> Response:
        """Store a reported message with its (corrected) label for the next retrain, as
        `scamtext cases add`: phone, card and ID numbers and names are masked first."""
        try:
            case = await asyncio.to_thread(_store_case, service(request), body)
        except InvalidLabelError as error:
            raise ApiError(422, "label", str(error), "invalid_label") from None
        except InvalidInputError as error:
            raise ApiError(422, "text", str(error), "invalid_text") from None
        return _json(case, 201)

    @app.get("/v1/models", response_model=ModelInfo, tags=["models"])
    async def current_model(request: Request) -> Response:
        """The model answering now: version, labels, licence and test figures."""
        return _json(service(request).source.info())

    @app.get("/healthz", tags=["service"])
    async def healthz(request: Request) -> Response:
        """`{"status": "ok"}` once the model is loaded."""
        return _json({"status": "ok", "version": service(request).source.info()["version"]})

    @app.get("/metrics", response_class=PlainTextResponse, tags=["service"])
    async def prometheus(request: Request) -> PlainTextResponse:
        """Requests, latency histogram, messages by label, batch sizes, model version."""
        info = service(request).source.info()
        metrics.reloads = service(request).source.reloads
        return PlainTextResponse(metrics.render(info), media_type="text/plain; version=0.0.4")

    index = (STATIC / "index.html").read_text(encoding="utf-8")

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(index)

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    paths = {route.path for route in app.routes if isinstance(route, APIRoute)}
    app.add_middleware(_BodyLimit)
    app.add_middleware(_MetricsMiddleware, metrics=metrics, paths=paths | {"/", "/docs"})
    return app


def app_from_env() -> FastAPI:
    """Build the app from the JSON settings in ``$SCAMTEXT_SERVE_CONFIG`` (worker processes).

    This is the service's own process, so it also shortens the interpreter's thread switch
    interval to :data:`SWITCH_INTERVAL`: the event loop then gets its turn within a
    millisecond while the model thread computes, instead of five.
    """
    sys.setswitchinterval(SWITCH_INTERVAL)
    return create_app(**json.loads(os.environ.get(CONFIG_ENV, "{}")))
