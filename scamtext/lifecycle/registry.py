"""Model versions: a folder of saved models and a pointer to the current one.

``registry.json`` names the current version and the history of switches; it is
rewritten atomically under a file lock, and a version folder is complete before it
is ever named there (see :func:`scamtext.model.persistence.save_model`). A crash at any
point therefore leaves the current model as it was; the unfinished folder it leaves is
removed by the next :meth:`ModelRegistry.add` or :meth:`ModelRegistry.repair`.

What is read is checked: a ``registry.json`` that is not valid JSON or does not hold
``{"current": VERSION or null, "history": [VERSION, ...]}`` raises
:class:`RegistryError` naming the file and line. Classifying with the current model
then falls back to the shipped model with a warning, and :meth:`ModelRegistry.repair`
(``scamtext models repair``) makes the file readable again. A version name is
letters, digits, ``.``, ``_`` and ``-`` (:data:`VERSION_PATTERN`): it always names a
folder inside the registry folder.

Examples
--------
>>> import tempfile
>>> registry = ModelRegistry(tempfile.mkdtemp())
>>> registry.current() is None      # nothing chosen yet: the shipped model is used
True
"""

from __future__ import annotations

import json
import os
import re
import warnings
from datetime import datetime, timezone
from pathlib import Path

from filelock import FileLock

from ..exceptions import ModelLoadError, SchemaError
from ..io.atomic import atomic_write, remove_stale_staging
from ..model.persistence import METADATA_FILE, read_metadata, save_model
from .paths import models_dir

REGISTRY_FILE = "registry.json"

VERSION_PATTERN = r"[0-9A-Za-z][0-9A-Za-z._-]{0,99}"
"""A version name: no path separators, and it does not start with a dot."""

MAX_REGISTRY_BYTES = 2**20
"""Largest ``registry.json`` read."""

_VERSION = re.compile(VERSION_PATTERN)


class RegistryError(SchemaError):
    """A ``registry.json`` that cannot be used: names the file and line."""

    def __init__(self, file: Path, line: int, reason: str):
        self.file = file
        self.line = line
        super().__init__(f"{file}:{line}: {reason}; run `scamtext models repair`")


def _line_of(text: str, needle: str) -> int:
    """The line of ``text`` where ``needle`` first occurs (1 if it does not)."""
    found = text.find(needle)
    return text.count("\n", 0, found) + 1 if found > 0 else 1


def is_version_name(name: object) -> bool:
    """Whether ``name`` is a well-formed version name (:data:`VERSION_PATTERN`).

    >>> is_version_name("20261123-055958"), is_version_name("V/../../../x")
    (True, False)
    """
    return isinstance(name, str) and _VERSION.fullmatch(name) is not None


def _parse_state(file: Path) -> dict:
    """Read and check ``registry.json``; raise :class:`RegistryError` if it cannot be used."""
    try:
        if file.stat().st_size > MAX_REGISTRY_BYTES:
            raise RegistryError(file, 1, f"larger than {MAX_REGISTRY_BYTES:,} bytes")
        text = file.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        raise RegistryError(file, 1, f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise RegistryError(file, 1, f"cannot be read ({error.strerror})") from None
    try:
        state = json.loads(text)
    except json.JSONDecodeError as error:
        raise RegistryError(file, error.lineno, f"not valid JSON ({error.msg})") from None
    except RecursionError:
        raise RegistryError(file, 1, "not valid JSON (nested too deeply)") from None
    if not isinstance(state, dict) or set(state) != {"current", "history"}:
        raise RegistryError(
            file, 1, 'expected {"current": VERSION or null, "history": [VERSION, ...]}'
        )
    history = state["history"]
    if not isinstance(history, list):
        raise RegistryError(file, _line_of(text, '"history"'), "'history' is not a list")
    for name in [*history, state["current"]]:
        if name is not None and not is_version_name(name):
            raise RegistryError(
                file, _line_of(text, json.dumps(name)), f"{name!r} is not a version name"
            )
    if history and state["current"] is None:
        raise RegistryError(file, _line_of(text, '"current"'), "history without a current version")
    return state


class ModelRegistry:
    """Versioned model folders under ``folder``, one of them current."""

    def __init__(self, folder: str | Path | None = None):
        self.folder = Path(folder) if folder is not None else models_dir()

    def _state(self) -> dict:
        file = self.folder / REGISTRY_FILE
        if not file.exists():
            return {"current": None, "history": []}
        return _parse_state(file)

    def _save_state(self, state: dict) -> None:
        with atomic_write(self.folder / REGISTRY_FILE) as f:
            json.dump(state, f, indent=2)

    def _lock(self) -> FileLock:
        self.folder.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.folder / ".lock"))

    def versions(self) -> list[dict]:
        """Return ``{"version", "created", "kind", "parent", "current"}`` for every version.

        A version whose metadata cannot be read is left out, with a warning.
        """
        try:
            current = self.current()
        except RegistryError as error:
            warnings.warn(str(error), stacklevel=2)
            current = None
        found = []
        if self.folder.is_dir():
            for path in sorted(self.folder.iterdir()):
                if not is_version_name(path.name) or not (path / METADATA_FILE).is_file():
                    continue
                try:
                    meta = read_metadata(path)
                except ModelLoadError as error:
                    warnings.warn(f"version {path.name} left out: {error}", stacklevel=2)
                    continue
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
        """Return the folder of ``version``; :class:`ModelLoadError` if there is none.

        A name that is not a version name (a path, ``..``) is refused: a version is
        always a folder inside the registry folder.
        """
        if not is_version_name(version):
            raise ModelLoadError(
                self.folder,
                f"{version!r} is not a version name (letters, digits, '.', '_' and '-', "
                "not starting with '.')",
            )
        path = self.folder / version
        if not (path / METADATA_FILE).is_file():
            known = ", ".join(v["version"] for v in self.versions()) or "none"
            raise ModelLoadError(path, f"no model version {version!r} (known: {known})")
        return path

    def add(self, classifier, *, metadata: dict) -> str:
        """Save ``classifier`` as a new version (not made current) and return its name."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        with self._lock():
            remove_stale_staging(self.folder)  # under the lock, none is in use
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

    def repair(self) -> list[str]:
        """Make ``registry.json`` usable again; return what was done, one line each.

        Unfinished staging folders are removed. A file that cannot be parsed is kept as
        ``registry.json.broken-TIME`` and the shipped model becomes current; otherwise
        names that are not versions of this folder are dropped from the history, and
        the current version falls back to the last one left (or the shipped model).
        """
        done = []
        file = self.folder / REGISTRY_FILE
        with self._lock():
            done += [f"removed the unfinished {p.name}" for p in remove_stale_staging(self.folder)]
            if not file.exists():
                return done
            try:
                state = _parse_state(file)
            except RegistryError as error:
                state = self._salvage(file, error, done)
            present = [v for v in state["history"] if self._exists(v)]
            current = state["current"] if self._exists(state["current"]) else None
            if current is None and present:
                current = present[-1]
            if present != state["history"] or current != state["current"]:
                missing = sorted(set(state["history"]) - set(present))
                if missing:
                    done.append(f"dropped versions that are not in {self.folder}: {missing}")
                done.append(f"current model: {current or 'shipped default model'}")
                state = {"current": current, "history": present}
            if done:
                self._save_state(state)
        return done

    def _exists(self, version: object) -> bool:
        return is_version_name(version) and (self.folder / str(version) / METADATA_FILE).is_file()

    def _salvage(self, file: Path, error: RegistryError, done: list[str]) -> dict:
        """Keep the unusable ``file`` aside and return what of it can still be used."""
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        kept = file.with_name(f"{REGISTRY_FILE}.broken-{stamp}")
        try:
            state = json.loads(file.read_text(encoding="utf-8"))
        except (ValueError, RecursionError):
            state = None
        os.replace(file, kept)
        done.append(f"{error.args[0].rsplit(';', 1)[0]}; kept it as {kept.name}")
        if not isinstance(state, dict):
            return {"current": None, "history": []}
        history = state.get("history")
        history = [v for v in history if is_version_name(v)] if isinstance(history, list) else []
        current = state.get("current")
        return {"current": current if is_version_name(current) else None, "history": history}

    def resolve(self, spec: str | Path | None) -> Path | None:
        """Return the model folder for a path, a version name, or None (current or shipped).

        A path may be a model folder or a folder of versions (its current version).
        When no model is named and ``registry.json`` cannot be used, or names a version
        that is gone, the shipped model is used (None) with a warning.
        """
        if spec is None:
            try:
                current = self.current()
                return None if current is None else self.path(current)
            except (RegistryError, ModelLoadError) as error:
                warnings.warn(f"{error}; using the shipped model", stacklevel=2)
                return None
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
