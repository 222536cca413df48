"""The package's shape: fast imports, a thin CLI, no side effects, typed."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "scamtext"


def _modules_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", f"{code}\nimport sys; print(' '.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.split())


@pytest.mark.parametrize("code", ["import scamtext", "from scamtext.cli import build_parser"])
def test_importing_the_package_and_the_cli_loads_no_model_library(code):
    loaded = _modules_after(code)
    assert not {"sklearn", "numpy", "scipy", "lightgbm", "jieba", "datasets"} & loaded


def test_help_runs_without_the_model_libraries():
    code = "from scamtext.cli import main\ntry:\n    main(['--help'])\nexcept SystemExit:\n    pass"
    assert "sklearn" not in _modules_after(code)


def test_cli_modules_hold_no_scikit_learn_batching_or_metrics():
    for path in sorted((PACKAGE / "cli").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        imported = {
            alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
        } | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
        assert not any(name.startswith(("sklearn", "numpy", "itertools")) for name in imported), (
            path.name
        )
        source = path.read_text(encoding="utf-8")
        for library_work in ("predict_proba", "argmax", "islice", "f1_score"):
            assert library_work not in source, (path.name, library_work)


def test_public_names_resolve_lazily():
    import scamtext

    for name in scamtext.__all__:
        assert getattr(scamtext, name) is not None
    with pytest.raises(AttributeError, match="no attribute 'make_pipeline'"):
        scamtext.make_pipeline  # noqa: B018


def test_plots_leave_the_matplotlib_backend_alone():
    code = (
        "import matplotlib\nmatplotlib.use('svg')\nimport scamtext.lifecycle.plots\n"
        "print(matplotlib.get_backend())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "svg"


def test_research_tooling_is_not_in_the_package():
    names = {p.stem for p in PACKAGE.rglob("*.py")}
    assert not {"benchmark", "harness", "peers", "corpus_build"} & names


def test_the_package_is_typed_and_mypy_clean():
    assert (PACKAGE / "py.typed").is_file()
    result = subprocess.run(
        [sys.executable, "-m", "mypy", str(PACKAGE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-3000:]
