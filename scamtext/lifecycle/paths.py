"""Where scamtext keeps a user's own state: reported cases and model versions.

The folder follows the conventions of each operating system (``platformdirs``):
``~/.local/share/scamtext`` on Linux, ``~/Library/Application Support/scamtext`` on macOS,
``%LOCALAPPDATA%\\scamtext`` on Windows. ``SCAMTEXT_HOME`` overrides it.

>>> import os
>>> os.environ["SCAMTEXT_HOME"] = "/tmp/st"
>>> user_data_dir().as_posix(), cases_dir().name, models_dir().name
('/tmp/st', 'cases', 'models')
>>> del os.environ["SCAMTEXT_HOME"]
"""

from __future__ import annotations

import os
from pathlib import Path


def user_data_dir() -> Path:
    """Return the per-user scamtext folder (``SCAMTEXT_HOME`` if set)."""
    if os.environ.get("SCAMTEXT_HOME"):
        return Path(os.environ["SCAMTEXT_HOME"])
    from platformdirs import user_data_path

    return user_data_path("scamtext", appauthor=False)


def cases_dir() -> Path:
    """Return the default folder of the case store."""
    return user_data_dir() / "cases"


def models_dir() -> Path:
    """Return the default folder of model versions."""
    return user_data_dir() / "models"
