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

import numpy as np
from sklearn.metrics import f1_score, precision_recall_fscore_support

from ._validation import check_labels, check_texts


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
    y_true = np.asarray(y_true, dtype=object)
    y_pred = np.asarray(y_pred, dtype=object)
    labels = sorted(set(y_true) | set(y_pred))
    p, r, f, s = precision_recall_fscore_support(y_true, y_pred, labels=labels, zero_division=0)
    true_scam = y_true != "normal"
    pred_scam = y_pred != "normal"
    sp, sr, sf, _ = precision_recall_fscore_support(
        true_scam, pred_scam, average="binary", zero_division=0
    )
    report = {
        "n": int(len(y_true)),
        "accuracy": round(float((y_true == y_pred).mean()), 4),
        "macro_f1": round(
            float(
                f1_score(
                    y_true, y_pred, labels=sorted(set(y_true)), average="macro", zero_division=0
                )
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
        known = np.array([label in index for label in y_true])
        if known.any():
            y_index = np.array([index[label] for label in y_true[known]])
            report["ece"] = round(
                expected_calibration_error(np.asarray(probabilities)[known], y_index), 4
            )
    return report


def evaluate(classifier, texts, labels, *, hard_negative: Sequence[bool] | None = None) -> dict:
    """Classify ``texts`` with ``classifier`` and return :func:`evaluate_predictions`."""
    texts = check_texts(texts)
    labels = check_labels(labels, len(texts))
    probabilities = classifier.predict_proba(texts)
    predicted = classifier.classes_[probabilities.argmax(axis=1)]
    return evaluate_predictions(
        labels,
        predicted,
        probabilities=probabilities,
        classes=list(classifier.classes_),
        hard_negative=hard_negative,
    )


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
