"""The model a service process answers with, and its switch to a new current version.

The model is loaded once per process. When it follows the registry (no ``--model``, or
``--model`` names a folder of versions), :meth:`ModelSource.refresh` looks at the
modification time of ``registry.json`` at most once per ``check_interval`` seconds;
after ``scamtext models use`` or ``rollback`` (or a promoting ``retrain``) it loads the
new current version in a background thread and swaps it in when it is ready, so
requests are never held up by a load. A version that fails to load leaves the old
model answering and is reported in :attr:`ModelSource.reload_error`.

Examples
--------
>>> import tempfile
>>> source = ModelSource(registry=tempfile.mkdtemp())
>>> source.info()["version"], source.info()["kind"]
('shipped', 'linear')
"""

from __future__ import annotations

import ast
import logging
import threading
import time
from datetime import datetime, timezone
from pathlib import Path

from ..api import predict
from ..lifecycle.registry import REGISTRY_FILE, ModelRegistry
from ..model.persistence import METADATA_FILE, default_model_path, read_metadata, resolve_model
from ..taxonomy import LABELS, get_label, is_scam

UNKNOWN_LICENCE = "not recorded in the model's metadata.json: see the data it was trained on"
"""What ``/v1/models`` says of a model saved without a ``licence``."""

_logger = logging.getLogger("scamtext.serve")


def _load(path: Path | None):
    """Load a model and classify one message, so that the first request waits for nothing."""
    classifier = resolve_model(path)
    predict(["你好，明天见"], model=classifier)  # builds the segmenter's dictionary
    return classifier


def _mtime(file: Path) -> int | None:
    try:
        return file.stat().st_mtime_ns
    except OSError:
        return None


class ModelSource:
    """The current model of one service process.

    Parameters
    ----------
    model : str or Path, optional
        A model folder, a folder of versions (follow its current one) or a version name;
        None follows the current version of ``registry`` (the shipped model until one is
        chosen).
    registry : str or Path, optional
        Folder of model versions (default: the per-user one).
    check_interval : float, default=1.0
        Seconds between two looks at ``registry.json``.
    """

    def __init__(
        self,
        model: str | Path | None = None,
        registry: str | Path | None = None,
        *,
        check_interval: float = 1.0,
    ):
        self.registry = ModelRegistry(registry)
        self.spec = model
        self.check_interval = check_interval
        spec = Path(model) if model is not None else None
        if spec is None:
            self.watched: Path | None = self.registry.folder / REGISTRY_FILE
        elif spec.is_dir() and not (spec / METADATA_FILE).is_file():
            self.watched = spec / REGISTRY_FILE
        else:
            self.watched = None  # a model folder or a version name: pinned
        self.reload_error: str | None = None
        self.reloads = 0
        self._lock = threading.Lock()
        self._loading = False
        self._checked = time.monotonic()
        self._seen = _mtime(self.watched) if self.watched else None
        path = self.registry.resolve(model)
        self._current = (path, _load(path), self._now())

    @staticmethod
    def _now() -> str:
        return datetime.now(timezone.utc).isoformat(timespec="seconds")

    @property
    def model(self):
        """The classifier answering now."""
        return self._current[1]

    def refresh(self) -> None:
        """Start loading the registry's current version if it changed; cheap, call it often."""
        now = time.monotonic()
        if self.watched is None or self._loading or now - self._checked < self.check_interval:
            return
        self._checked = now
        seen = _mtime(self.watched)
        if seen == self._seen:
            return
        with self._lock:
            if self._loading:
                return
            self._loading = True
        threading.Thread(target=self._reload, args=(seen,), daemon=True).start()

    def _reload(self, seen: int | None) -> None:
        try:
            path = self.registry.resolve(self.spec)
            if path != self._current[0]:
                self._current = (path, _load(path), self._now())
                self.reloads += 1
                _logger.info("scamtext: now answering with %s", path or "the shipped model")
            self.reload_error = None
        except Exception as error:  # a broken version must not stop the service
            self.reload_error = f"{type(error).__name__}: {error}"
            _logger.error("scamtext: kept the current model: %s", self.reload_error)
        finally:
            self._seen = seen
            self._loading = False

    def info(self) -> dict:
        """Return the version, path, kind, labels, licence and test figures of the model."""
        path, classifier, loaded_at = self._current
        folder = default_model_path() if path is None else Path(path)
        metadata = getattr(classifier, "metadata_", None) or read_metadata(folder)
        metrics = metadata.get("test_metrics") or metadata.get("retrain")
        if isinstance(metrics, str):  # some saved models hold the report as its repr
            try:
                metrics = ast.literal_eval(metrics)
            except (ValueError, SyntaxError):
                pass
        return {
            "version": "shipped" if path is None else folder.name,
            "path": str(folder),
            "kind": metadata.get("kind"),
            "created": metadata.get("created"),
            "labels": [
                {
                    "id": label,
                    "name_zh": get_label(label).name_zh if label in LABELS else None,
                    "is_scam": is_scam(label),
                }
                for label in (str(c) for c in classifier.classes_)
            ],
            "licence": metadata.get("licence") or UNKNOWN_LICENCE,
            "metrics": metrics,
            "loaded_at": loaded_at,
            "reload_error": self.reload_error,
        }
