"""Model versions: a folder of saved models and a pointer to the current one.

``registry.json`` names the current version and the history of switches; it is
rewritten atomically under a file lock, and a version folder is complete before it
is ever named there (see :func:`scamtext.model.persistence.save_model`). A crash at any
point therefore leaves the current model as it was.

Examples
--------
>>> import tempfile
>>> registry = ModelRegistry(tempfile.mkdtemp())
>>> registry.current() is None      # nothing chosen yet: the shipped model is used
True
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from ..exceptions import ModelLoadError
from ..io.atomic import atomic_write
from ..model.persistence import METADATA_FILE, read_metadata, save_model
from .paths import models_dir

REGISTRY_FILE = "registry.json"


class ModelRegistry:
    """Versioned model folders under ``folder``, one of them current."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else models_dir()

    def _state(self) -> dict:
        file = self.folder / REGISTRY_FILE
        if not file.exists():
            return {"current": None, "history": []}
        return json.loads(file.read_text(encoding="utf-8"))

    def _save_state(self, state: dict) -> None:
        with atomic_write(self.folder / REGISTRY_FILE) as f:
            json.dump(state, f, indent=2)

    def _lock(self) -> FileLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".lock"))

    def versions(self) -> list[dict]:
        """Return ``{"version", "created", "kind", "parent", "current"}`` for every version."""
        current = self.current()
        found = []
        if self.folder.is_dir():
            for path in sorted(self.folder.iterdir()):
                if path.name.startswith(".") or not (path / METADATA_FILE).is_file():
                    continue
                meta = read_metadata(path)
                found.append(
                    {
                        "version": path.name,
                        "created": meta.get("created"),
                        "kind": meta.get("kind"),
                        "parent": meta.get("parent_version"),
                        "current": path.name == current,
                    }
                )
        return found

    def current(self) -> str | None:
        """Return the current version, or None when none was chosen."""
        return self._state()["current"]

    def path(self, version: str) -> Path:
        """Return the folder of ``version``; :class:`ModelLoadError` if there is none."""
        path = self.folder / version
        if version.startswith(".") or not (path / METADATA_FILE).is_file():
            known = ", ".join(v["version"] for v in self.versions()) or "none"
            raise ModelLoadError(path, f"no model version {version!r} (known: {known})")
        return path

    def add(self, classifier, *, metadata: dict) -> str:
        """Save ``classifier`` as a new version (not made current) and return its name."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        with self._lock():
            version, n = stamp, 1
            while (self.folder / version).exists():
                n += 1
                version = f"{stamp}-{n}"
            save_model(classifier, self.folder / version, metadata=metadata)
        return version

    def use(self, version: str) -> None:
        """Make ``version`` current."""
        self.path(version)
        with self._lock():
            state = self._state()
            if state["current"] != version:
                state["history"].append(version)
                state["current"] = version
                self._save_state(state)

    def rollback(self) -> str | None:
        """Go back to the version current before the last switch; return it (None: shipped)."""
        with self._lock():
            state = self._state()
            if not state["history"]:
                raise ModelLoadError(self.folder, "nothing to roll back to")
            state["history"].pop()
            state["current"] = state["history"][-1] if state["history"] else None
            self._save_state(state)
            return state["current"]

    def resolve(self, spec: str | Path | None) -> Path | None:
        """Return the model folder for a path, a version name, or None (current or shipped).

        A path may be a model folder or a folder of versions (its current version).
        """
        if spec is None:
            current = self.current()
            return None if current is None else self.path(current)
        folder = Path(spec)
        if folder.is_dir() and not (folder / METADATA_FILE).is_file():
            if (folder / REGISTRY_FILE).is_file():  # a folder of versions: its current one
                other = ModelRegistry(folder)
                current = other.current()
                if current is None:
                    raise ModelLoadError(folder, "this folder of versions has no current version")
                return other.path(current)
        if folder.is_dir():
            return folder
        return self.path(str(spec))
