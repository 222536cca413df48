import numpy as np
import pytest

from scamtext.lifecycle.evaluate import (
    evaluate,
    evaluate_predictions,
    expected_calibration_error,
    format_report,
)


def test_figures_on_a_hand_checked_example():
    y_true = ["normal", "normal", "loan", "loan", "refund"]
    y_pred = ["normal", "loan", "loan", "refund", "refund"]
    report = evaluate_predictions(y_true, y_pred, hard_negative=[True, True, False, False, False])
    assert report["per_label"]["loan"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2}
    assert report["per_label"]["refund"]["precision"] == 0.5
    assert report["macro_f1"] == pytest.approx((2 / 3 + 0.5 + 2 / 3) / 3, abs=1e-4)
    assert report["scam"] == {"precision": 0.75, "recall": 1.0, "f1": 0.8571}
    assert report["hard_negative_fpr"] == 0.5
    assert report["accuracy"] == 0.6


def test_ece_of_an_overconfident_model():
    proba = np.array([[0.9, 0.1]] * 10)
    truth = np.array([0] * 5 + [1] * 5)
    assert expected_calibration_error(proba, truth) == pytest.approx(0.4)


def test_evaluate_a_model_and_format(small_linear):
    from conftest import LABELS, TEXTS

    report = evaluate(small_linear, TEXTS, LABELS)
    assert report["n"] == len(TEXTS) and report["ece"] is not None
    text = format_report(report)
    assert "macro-F1" in text and "group_payment" in text
