"""Run the service: :func:`serve` for the command line, :func:`serve_in_thread` for tests.

Examples
--------
>>> import tempfile, httpx
>>> from scamtext.serve import create_app
>>> with serve_in_thread(create_app(registry=tempfile.mkdtemp())) as url:
...     httpx.get(url + "/healthz").json()["status"]
'ok'
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from ..lifecycle.registry import ModelRegistry
from .app import CONFIG_ENV


def serve(
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    model: str | Path | None = None,
    registry: str | Path | None = None,
    store: str | Path | None = None,
    workers: int = 1,
    access_log: bool = False,
) -> None:
    """Serve on ``host:port`` until interrupted, with ``workers`` processes.

    Each worker process loads the model once; the settings reach them through the
    environment variable :data:`~scamtext.serve.app.CONFIG_ENV`. See
    :func:`~scamtext.serve.app.create_app` for ``model``, ``registry`` and ``store``.
    """
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise ValueError(f"workers must be an int of at least 1, got {workers!r}")
    ModelRegistry(registry).resolve(model)  # an unknown version fails here, in one line
    settings = {
        "model": None if model is None else str(model),
        "registry": None if registry is None else str(registry),
        "store": None if store is None else str(store),
    }
    os.environ[CONFIG_ENV] = json.dumps(settings)
    uvicorn.run(
        "scamtext.serve.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        access_log=access_log,
        log_level="info",
    )


@contextmanager
def serve_in_thread(app, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve ``app`` on a background thread; yield its base URL, stop on exit.

    ``port=0`` takes a free port. Meant for tests, notebooks and scripts.
    """
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, name="scamtext-serve", daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError(f"the service did not start on {host}:{port}")
        time.sleep(0.02)
    bound = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://{host}:{bound}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
