"""``scamtext serve``: the HTTP service and the analyst's page."""

from __future__ import annotations

from ..exceptions import ScamTextError
from ._common import add_model_argument


def add(sub) -> None:
    p = sub.add_parser(
        "serve",
        help="serve classify, explain and cases over HTTP, with an analyst's page",
        description="Serve scamtext over HTTP (needs the serve extra: pip install "
        "'scamtext[serve]'): POST /v1/classify, /v1/explain, /v1/cases; GET /v1/models, "
        "/healthz, /metrics, /docs; the analyst's page at /. Without --model the current "
        "version is followed: 'scamtext models use' reaches the service within a second "
        "or two, without a restart.",
    )
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument(
        "--workers",
        type=int,
        default=1,
        metavar="N",
        help="worker processes, each with its own model (default 1)",
    )
    add_model_argument(p)
    p.add_argument("--store", metavar="DIR", help="case store folder (default: per-user)")
    p.add_argument("--access-log", action="store_true", help="log every request on stderr")
    p.set_defaults(run=run)


def run(args) -> int:
    try:
        from ..serve import serve
    except ModuleNotFoundError as error:
        raise ScamTextError(
            f"scamtext serve needs {error.name}: pip install 'scamtext[serve]'"
        ) from None
    serve(
        host=args.host,
        port=args.port,
        model=args.model,
        registry=args.registry,
        store=args.store,
        workers=args.workers,
        access_log=args.access_log,
    )
    return 0
