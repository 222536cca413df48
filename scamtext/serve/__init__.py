"""``scamtext serve``: scamtext behind HTTP, with an analyst's page.

Needs the serve extra: ``pip install 'scamtext[serve]'``.

- :func:`create_app`: the ASGI application (FastAPI): ``/v1/classify``, ``/v1/explain``,
  ``/v1/cases``, ``/v1/models``, ``/healthz``, ``/metrics``, ``/docs`` and the page at ``/``.
- :func:`serve`: run it with uvicorn (what the command does).
- :func:`serve_in_thread`: run it on a background thread of this process.
"""

from __future__ import annotations

from .app import create_app
from .server import serve, serve_in_thread

__all__ = ["create_app", "serve", "serve_in_thread"]
