"""Write files and folders so that a reader sees the old version or the new one, never half.

Everything is written beside the target (same file system), flushed to disk, then renamed
into place; on any error the partial copy is removed and the target is left as it was.

Examples
--------
>>> import tempfile, pathlib
>>> target = pathlib.Path(tempfile.mkdtemp()) / "state.json"
>>> with atomic_write(target) as f:
...     _ = f.write('{"current": null}')
>>> target.read_text()
'{"current": null}'
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

STAGING_PREFIX = ".staging-"
"""Name prefix of the temporary files and folders written beside a target."""


@contextmanager
def atomic_write(path: str | os.PathLike, *, binary: bool = False) -> Iterator[IO]:
    """Open a temporary file beside ``path`` for writing; on success rename it to ``path``.

    Text mode writes UTF-8 with ``\\n`` line ends. ``path`` may be a symlink: the link's
    target is replaced, the link itself is kept.
    """
    target = Path(os.path.realpath(path))
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, staging = tempfile.mkstemp(prefix=f"{STAGING_PREFIX}{target.name}.", dir=target.parent)
    try:
        f: IO = (
            os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")
        )
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        if target.exists():
            shutil.copymode(target, staging)
        else:
            os.chmod(staging, 0o666 & ~_umask())
        os.replace(staging, target)
    except BaseException:
        Path(staging).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def atomic_folder(path: str | Path) -> Iterator[Path]:
    """Yield an empty staging folder beside ``path``; on success it replaces ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{path.name}.", dir=path.parent))
    try:
        yield staging
        retired = None
        if path.exists():
            retired = Path(
                tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{path.name}.old.", dir=path.parent)
            )
            os.replace(path, retired / path.name)
        os.replace(staging, path)
        if retired is not None:
            shutil.rmtree(retired, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def remove_stale_staging(folder: str | Path) -> list[Path]:
    """Delete staging files and folders that a killed process left in ``folder``; return them."""
    removed: list[Path] = []
    folder = Path(folder)
    if not folder.is_dir():
        return removed
    for item in folder.iterdir():
        if item.name.startswith(STAGING_PREFIX):
            if item.is_dir():
                shutil.rmtree(item, ignore_errors=True)
            else:
                item.unlink(missing_ok=True)
            removed.append(item)
    return removed
