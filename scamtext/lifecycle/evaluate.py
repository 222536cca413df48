"""Measure a classifier on labeled messages: per-label and scam-level figures.

Examples
--------
>>> report = evaluate_predictions(
...     ["normal", "loan", "loan"], ["normal", "loan", "normal"],
...     probabilities=[[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]], classes=["loan", "normal"][::-1])
>>> report["macro_f1"], report["scam"]["recall"]
(0.6667, 0.5)
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from .._validation import check_labels, check_texts
from ..exceptions import ScamTextError
from ..model.prediction import predictions_from_proba


def expected_calibration_error(
    probabilities: np.ndarray, y_true_index: np.ndarray, *, n_bins: int = 15
) -> float:
    """Return the expected calibration error of the top-label confidence.

    >>> expected_calibration_error(np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0, 1]))
    0.0
    """
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y_true_index
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    error = 0.0
    for b in range(n_bins):
        mask = bins == b
        if mask.any():
            error += mask.mean() * abs(correct[mask].mean() - confidence[mask].mean())
    return float(error)


def evaluate_predictions(
    y_true: Sequence[str],
    y_pred: Sequence[str],
    *,
    probabilities: Sequence[Sequence[float]] | None = None,
    classes: Sequence[str] | None = None,
    hard_negative: Sequence[bool] | None = None,
) -> dict:
    """Return a dict of figures for predicted against true label ids.

    Keys: ``per_label`` (precision, recall, f1, support for each label),
    ``macro_f1``, ``accuracy``, ``scam`` (binary scam-vs-normal precision,
    recall, f1), ``hard_negative_fpr`` (share of hard negatives flagged as
    scams; None without ``hard_negative``), ``ece`` (None without
    ``probabilities``), ``n``.
    """
    truth = np.asarray(y_true, dtype=object)
    guess = np.asarray(y_pred, dtype=object)
    labels = sorted(set(truth) | set(guess))
    p, r, f, s = precision_recall_fscore_support(truth, guess, labels=labels, zero_division=0)
    true_scam = np.asarray(truth != "normal", dtype=bool)
    pred_scam = np.asarray(guess != "normal", dtype=bool)
    sp, sr, sf, _ = precision_recall_fscore_support(
        true_scam, pred_scam, average="binary", zero_division=0
    )
    report = {
        "n": int(len(truth)),
        "accuracy": round(float(np.mean(truth == guess)), 4),
        "macro_f1": round(
            float(
                f1_score(truth, guess, labels=sorted(set(truth)), average="macro", zero_division=0)
            ),
            4,
        ),
        "scam": {
            "precision": round(float(sp), 4),
            "recall": round(float(sr), 4),
            "f1": round(float(sf), 4),
        },
        "per_label": {
            label: {
                "precision": round(float(pi), 4),
                "recall": round(float(ri), 4),
                "f1": round(float(fi), 4),
                "support": int(si),
            }
            for label, pi, ri, fi, si in zip(labels, p, r, f, s)
        },
        "hard_negative_fpr": None,
        "hard_negatives": 0,
        "ece": None,
    }
    if hard_negative is not None:
        mask = np.asarray(hard_negative, dtype=bool)
        report["hard_negatives"] = int(mask.sum())
        if mask.any():
            report["hard_negative_fpr"] = round(float(pred_scam[mask].mean()), 4)
    if probabilities is not None and classes is not None:
        index = {c: i for i, c in enumerate(classes)}
        known = np.array([label in index for label in truth])
        if known.any():
            y_index = np.array([index[label] for label in truth[known]])
            report["ece"] = round(
                expected_calibration_error(np.asarray(probabilities)[known], y_index), 4
            )
    return report


def evaluate(
    classifier,
    texts,
    labels,
    *,
    hard_negative: Sequence[bool] | None = None,
    plots_dir: str | Path | None = None,
) -> dict:
    """Classify ``texts`` with ``classifier`` and return :func:`evaluate_predictions`.

    With ``plots_dir``, also write ``confusion.png`` and ``reliability.png`` there (needs
    matplotlib) and list them under ``"plots"``.
    """
    texts = check_texts(texts)
    labels = check_labels(labels, len(texts))
    probabilities = classifier.predict_proba(texts)
    classes = [str(c) for c in classifier.classes_]
    predicted = [p.label for p in predictions_from_proba(classes, probabilities)]
    report = evaluate_predictions(
        labels,
        predicted,
        probabilities=probabilities,
        classes=classes,
        hard_negative=hard_negative,
    )
    if plots_dir is not None:
        try:
            from .plots import plot_confusion, plot_reliability
        except ImportError as error:
            raise ScamTextError(f"plots need matplotlib: pip install 'scamtext[plots]' ({error})")
        folder = Path(plots_dir)
        folder.mkdir(parents=True, exist_ok=True)
        report["plots"] = []
        for name, plot in (
            ("confusion.png", plot_confusion),
            ("reliability.png", plot_reliability),
        ):
            plot(labels, probabilities, classes, folder / name, title=classifier.kind)
            report["plots"].append(str(folder / name))
    return report


def format_report(report: dict) -> str:
    """Return the report as a plain-text table.

    >>> print(format_report(evaluate_predictions(["loan", "normal"], ["loan", "normal"])))
    label                       precision  recall     f1  support
    loan                           1.0000  1.0000 1.0000        1
    normal                         1.0000  1.0000 1.0000        1
    <BLANKLINE>
    macro-F1 1.0000   accuracy 1.0000   messages 2
    scam vs normal: precision 1.0000  recall 1.0000  F1 1.0000
    """
    lines = [f"{'label':<26} {'precision':>10} {'recall':>7} {'f1':>6} {'support':>8}"]
    for label, m in report["per_label"].items():
        lines.append(
            f"{label:<26} {m['precision']:>10.4f} {m['recall']:>7.4f} {m['f1']:>6.4f} "
            f"{m['support']:>8}"
        )
    lines.append("")
    lines.append(
        f"macro-F1 {report['macro_f1']:.4f}   accuracy {report['accuracy']:.4f}   "
        f"messages {report['n']}"
    )
    scam = report["scam"]
    lines.append(
        f"scam vs normal: precision {scam['precision']:.4f}  recall {scam['recall']:.4f}  "
        f"F1 {scam['f1']:.4f}"
    )
    if report["hard_negative_fpr"] is not None:
        lines.append(
            f"hard negatives flagged as scam: {report['hard_negative_fpr']:.2%} "
            f"of {report['hard_negatives']}"
        )
    if report["ece"] is not None:
        lines.append(f"expected calibration error: {report['ece']:.4f}")
    return "\n".join(lines)
