"""Plots of evaluation results: confusion matrix and reliability diagram.

Needs matplotlib (``pip install 'scamtext[plots]'``). Each function writes one PNG. Figures
are drawn on their own canvas (``matplotlib.figure.Figure``): nothing changes the
caller's matplotlib backend or pyplot state.

Examples
--------
>>> import numpy as np, tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "c.png"
>>> plot_confusion(["loan", "normal"], np.array([[0.9, 0.1], [0.2, 0.8]]), ["loan", "normal"], path)
>>> path.stat().st_size > 0
True
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from matplotlib.figure import Figure
from sklearn.metrics import confusion_matrix

from .evaluate import expected_calibration_error


def plot_confusion(
    y_true: Sequence[str],
    proba: np.ndarray,
    classes: Sequence[str],
    path: str | Path,
    *,
    title: str = "model",
) -> None:
    """Write the row-normalised confusion matrix of the top-probability labels."""
    predicted = np.asarray(classes, dtype=object)[np.asarray(proba).argmax(axis=1)]
    matrix = confusion_matrix(list(y_true), predicted, labels=list(classes), normalize="true")
    fig = Figure(figsize=(8, 7))
    ax = fig.add_subplot()
    ax.imshow(matrix, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(len(classes)), classes, rotation=60, ha="right")
    ax.set_yticks(range(len(classes)), classes)
    for i in range(len(classes)):
        for j in range(len(classes)):
            if matrix[i, j] >= 0.01:
                ax.text(
                    j,
                    i,
                    f"{matrix[i, j]:.2f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if matrix[i, j] > 0.5 else "black",
                )
    ax.set_xlabel("predicted")
    ax.set_ylabel("true (rows sum to 1)")
    ax.set_title(f"Confusion matrix: {title}")
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def plot_reliability(
    y_true: Sequence[str],
    proba: np.ndarray,
    classes: Sequence[str],
    path: str | Path,
    *,
    title: str = "model",
    n_bins: int = 10,
) -> None:
    """Write a reliability diagram: accuracy against confidence of the predicted label."""
    proba = np.asarray(proba)
    index = {c: i for i, c in enumerate(classes)}
    truth = np.array([index.get(y, -1) for y in y_true])
    confidence = proba.max(axis=1)
    correct = proba.argmax(axis=1) == truth
    edges = np.linspace(0, 1, n_bins + 1)
    bins = np.clip(np.digitize(confidence, edges) - 1, 0, n_bins - 1)
    accuracy = [correct[bins == b].mean() if (bins == b).any() else np.nan for b in range(n_bins)]
    known = truth >= 0
    ece = expected_calibration_error(proba[known], truth[known]) if known.any() else float("nan")
    fig = Figure(figsize=(5, 5))
    ax = fig.add_subplot()
    ax.plot([0, 1], [0, 1], "--", color="grey", label="perfect calibration")
    ax.bar(
        edges[:-1] + 0.5 / n_bins, accuracy, width=0.9 / n_bins, alpha=0.7, label="accuracy in bin"
    )
    ax.set_xlabel("confidence of the predicted label")
    ax.set_ylabel("accuracy")
    ax.set_title(f"Reliability: {title} (ECE {ece:.3f})")
    ax.legend(loc="upper left")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
