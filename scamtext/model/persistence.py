"""Safe model files: a folder with ``model.skops`` and ``metadata.json``.

Models are stored with skops, which rebuilds objects from a declared list of
types instead of running pickle code. :func:`load_model` trusts only the types a
scamtext model is made of (:data:`TRUSTED_TYPES`); a file that needs anything
else is refused with :class:`~scamtext.exceptions.ModelLoadError` unless the
caller names the extra types in ``trusted``. The metadata records the SHA-256
of the model file, so a file damaged after saving (a truncated copy, a bad disk)
is refused; the checksum sits beside the file, so it catches corruption, not
tampering: the type allow-list is the guard against a crafted file. Sizes are
capped before anything is decompressed. Files saved by scamtext 0.1 (whose
classes lived in flat modules such as ``scamtext.models``) are migrated on load.
Saves are atomic (:func:`scamtext.io.atomic.atomic_folder`).

Examples
--------
>>> import tempfile, pathlib
>>> from scamtext import load_model
>>> model = load_model()
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "copy"
>>> save_model(model, folder).name
'copy'
>>> sorted(p.name for p in folder.iterdir())
['metadata.json', 'model.skops']
>>> load_model(folder).classes_.tolist() == model.classes_.tolist()
True
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import warnings
import zipfile
from datetime import datetime, timezone
from functools import lru_cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from ..exceptions import ModelLoadError
from ..io.atomic import atomic_folder

MODEL_FILE = "model.skops"
METADATA_FILE = "metadata.json"
FORMAT = "scamtext-model/1"

TRUSTED_TYPES: tuple[str, ...] = (
    "scamtext.model.classifier.ScamClassifier",
    "scamtext.text.normalize.TextNormalizer",
    "scamtext.text.segment.JiebaSegmenter",
    "scamtext.model.features.CueFeatures",
    "scamtext.model.features.CompactTfidfVectorizer",
    "scamtext.model.features.TextFeatures",
    "lightgbm.sklearn.LGBMClassifier",
    "lightgbm.basic.Booster",
    "collections.OrderedDict",
    "sklearn.feature_selection._univariate_selection.chi2",
)
"""The types a scamtext model file may hold beyond skops's own safe defaults."""

LEGACY_MODULES = {
    "scamtext.models": "scamtext.model.classifier",
    "scamtext.normalize": "scamtext.text.normalize",
    "scamtext.segment": "scamtext.text.segment",
    "scamtext.features": "scamtext.model.features",
}
"""Module paths of scamtext 0.1 model files and where their classes live now."""

MAX_MODEL_BYTES = 200 * 2**20
"""Largest model file accepted, and largest total its members may decompress to."""

MAX_METADATA_BYTES = 10 * 2**20
"""Largest ``metadata.json`` accepted."""

_UNREADABLE = (
    OSError,
    EOFError,
    ValueError,  # zlib.error, UnicodeDecodeError and JSONDecodeError are ValueErrors
    RuntimeError,  # RecursionError, an encrypted zip member
    KeyError,
    NotImplementedError,  # a compression method zipfile cannot read
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
)
"""What reading a damaged or crafted model file raises; each becomes a ModelLoadError."""

_VERSIONED = ("scamtext", "scikit-learn", "jieba", "lightgbm", "numpy", "scipy", "skops")


def default_model_path() -> Path:
    """Return the folder of the model shipped inside the package."""
    return Path(str(resources.files("scamtext").joinpath("default_model")))


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def library_versions() -> dict[str, str | None]:
    """Return the installed versions of the libraries a model depends on."""
    found: dict[str, str | None] = {"python": platform.python_version()}
    for name in _VERSIONED:
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            found[name] = None
    return found


def save_model(classifier, path: str | Path, *, metadata: dict | None = None) -> Path:
    """Write ``classifier`` to the folder ``path`` atomically and return the path.

    Parameters
    ----------
    classifier : ScamClassifier
        A fitted classifier.
    path : str or Path
        The folder to create or replace.
    metadata : dict, optional
        Extra facts to record (training-data hash, metrics, config...).
    """
    import skops.io as sio
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(classifier)
    with atomic_folder(path) as staging:
        sio.dump(classifier, staging / MODEL_FILE, compression=zipfile.ZIP_DEFLATED)
        record = {
            "format": FORMAT,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "versions": library_versions(),
            "kind": classifier.kind,
            "labels": [str(c) for c in classifier.classes_],
            "temperature": classifier.temperature_,
            "params": classifier.get_params(),
            **(metadata or {}),
            "sha256": _sha256(staging / MODEL_FILE),
        }
        with open(staging / METADATA_FILE, "w", encoding="utf-8") as f:
            json.dump(record, f, ensure_ascii=False, indent=2, default=str)
    return Path(path)


def _read_model_bytes(folder: Path, file: Path) -> bytes:
    """Return the skops file's bytes, with 0.1 module paths migrated; sizes capped first.

    The sizes the members declare are capped, then every member is inflated once in
    small chunks: ``zipfile`` stops at the declared size and checks the CRC, so a member
    that lies about its size (a zip bomb) is refused before skops inflates it whole.
    """
    try:
        if file.stat().st_size > MAX_MODEL_BYTES:
            raise ModelLoadError(folder, f"{MODEL_FILE} is larger than {MAX_MODEL_BYTES:,} bytes")
        data = file.read_bytes()
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            if sum(m.file_size for m in members) > MAX_MODEL_BYTES:
                raise ModelLoadError(
                    folder, f"{MODEL_FILE} would decompress to more than {MAX_MODEL_BYTES:,} bytes"
                )
            for member in members:
                with archive.open(member) as stream:
                    while stream.read(2**20):
                        pass
            schema = archive.read("schema.json").decode("utf-8")
            migrated = _migrate_schema(schema)
            if migrated == schema:
                return data
            out = io.BytesIO()  # a copy in memory: stored, as compressing it again is slow
            with zipfile.ZipFile(out, "w") as copy:
                for member in members:
                    content = migrated.encode() if member.filename == "schema.json" else None
                    copy.writestr(
                        member, content or archive.read(member), compress_type=zipfile.ZIP_STORED
                    )
            return out.getvalue()
    except ModelLoadError:
        raise
    except _UNREADABLE as error:
        raise ModelLoadError(folder, f"{MODEL_FILE} is not a skops file ({error})") from None


def _migrate_schema(schema: str) -> str:
    """Rewrite the module paths of a 0.1 schema to today's (exact, quoted matches only)."""
    for old, new in LEGACY_MODULES.items():
        schema = schema.replace(f'"{old}"', f'"{new}"')
    return schema


def read_metadata(path: str | Path | None = None) -> dict:
    """Return the metadata of the model folder ``path`` (None: the default model)."""
    path = default_model_path() if path is None else Path(path)
    file = path / METADATA_FILE
    if not file.is_file():
        raise ModelLoadError(path, f"no {METADATA_FILE}; not a scamtext model folder")
    try:
        if file.stat().st_size > MAX_METADATA_BYTES:
            raise ModelLoadError(
                path, f"{METADATA_FILE} is larger than {MAX_METADATA_BYTES:,} bytes"
            )
        metadata = json.loads(file.read_text(encoding="utf-8"))
    except ModelLoadError:
        raise
    except _UNREADABLE as error:
        reason = "nested too deeply" if isinstance(error, RecursionError) else str(error)
        raise ModelLoadError(path, f"{METADATA_FILE} is not valid JSON ({reason})") from None
    if not isinstance(metadata, dict) or metadata.get("format") != FORMAT:
        raise ModelLoadError(path, f"{METADATA_FILE} does not declare format {FORMAT!r}")
    expected = {"versions": dict, "labels": list, "sha256": str}
    for key, kind in expected.items():
        if key in metadata and not isinstance(metadata[key], kind):
            raise ModelLoadError(
                path,
                f"{METADATA_FILE}: {key!r} is {type(metadata[key]).__name__}, not {kind.__name__}",
            )
    versions = metadata.get("versions", {})
    if not all(isinstance(v, (str, type(None))) for v in versions.values()):
        raise ModelLoadError(path, f"{METADATA_FILE}: 'versions' must map names to version strings")
    return metadata


def load_model(path: str | Path | None = None, *, trusted: list[str] | None = None):
    """Load a model folder saved by :func:`save_model`; None loads the shipped model.

    Parameters
    ----------
    path : str or Path, optional
        The model folder. None: the default model inside the package.
    trusted : list of str, optional
        Extra type names to allow, for models that hold types of your own.
        Only name types whose code you trust.

    Returns
    -------
    ScamClassifier
        With the folder's metadata in ``metadata_``.

    Raises
    ------
    ModelLoadError
        If the folder or a file is missing, the checksum does not match, the
        file is not a skops file, or it holds types that are not trusted.
    """
    import skops.io as sio
    from sklearn.exceptions import NotFittedError
    from sklearn.utils.validation import check_is_fitted
    from skops.io.exceptions import UntrustedTypesFoundException

    from .classifier import ScamClassifier

    path = default_model_path() if path is None else Path(path)
    if not path.is_dir():
        raise ModelLoadError(path, "no such model folder")
    metadata = read_metadata(path)
    file = path / MODEL_FILE
    if not file.is_file():
        raise ModelLoadError(path, f"no {MODEL_FILE}")
    try:
        digest = _sha256(file)
    except OSError as error:
        raise ModelLoadError(path, f"{MODEL_FILE} cannot be read ({error})") from None
    if digest != metadata.get("sha256"):
        raise ModelLoadError(path, f"{MODEL_FILE} does not match the checksum in {METADATA_FILE}")
    data = _read_model_bytes(path, file)
    allowed = [*TRUSTED_TYPES, *(trusted or ())]
    try:  # one pass: skops checks the types against ``allowed`` before building anything
        classifier = sio.loads(data, trusted=allowed)
    except UntrustedTypesFoundException as error:
        try:
            refused = sorted(set(sio.get_untrusted_types(data=data)) - set(allowed))
        except Exception:  # the same corrupt content that skops refused above
            refused = [str(error)]
        raise ModelLoadError(
            path, f"it holds untrusted types {refused}; pass trusted=[...] only if you trust them"
        ) from None
    except Exception as error:  # skops raises many kinds on corrupt content
        raise ModelLoadError(path, f"{MODEL_FILE} could not be read ({error})") from None
    if not isinstance(classifier, ScamClassifier):
        raise ModelLoadError(path, f"it holds a {type(classifier).__name__}, not a ScamClassifier")
    try:
        check_is_fitted(classifier)
        classes = [str(c) for c in classifier.classes_]
    except (NotFittedError, TypeError):
        raise ModelLoadError(path, "it holds a ScamClassifier that was never fitted") from None
    if "labels" in metadata and metadata["labels"] != classes:
        raise ModelLoadError(
            path, f"the model's labels {classes} differ from those in {METADATA_FILE}"
        )
    for name, default in ScamClassifier().get_params().items():
        # a parameter added after the file was saved takes its default, which keeps the
        # old behaviour (e.g. no_step_penalty=0.0)
        classifier.__dict__.setdefault(name, default)
    saved = metadata.get("versions", {})
    current = library_versions()
    changed = [
        k for k in ("scikit-learn", "lightgbm") if saved.get(k) and saved.get(k) != current.get(k)
    ]
    if changed:
        warnings.warn(
            "model saved with "
            + ", ".join(f"{k} {saved[k]}" for k in changed)
            + "; installed "
            + ", ".join(f"{k} {current[k]}" for k in changed),
            stacklevel=2,
        )
    classifier.metadata_ = metadata
    return classifier


@lru_cache(maxsize=1)
def shipped_model():
    """Return the shipped model, loaded once per process; callers must not change it."""
    return load_model(None)


def resolve_model(model):
    """Return ``model`` if it is a classifier, else load it (None: the shipped model)."""
    from .classifier import ScamClassifier

    if isinstance(model, ScamClassifier):
        return model
    return shipped_model() if model is None else load_model(model)
