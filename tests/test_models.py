import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV
from sklearn.utils.estimator_checks import (
    check_no_attributes_set_in_init,
    check_parameters_default_constructible,
)

from conftest import LABELS, TEXTS
from scamtext.model.classifier import ScamClassifier, build_pipeline, fit_temperature


def test_estimator_contract_checks_pass():
    check_no_attributes_set_in_init("ScamClassifier", ScamClassifier())
    check_parameters_default_constructible("ScamClassifier", ScamClassifier())


def test_clone_and_params_round_trip():
    clf = ScamClassifier(kind="gbdt", C=3.0, n_estimators=7)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    copy.set_params(C=9.0)
    assert copy.C == 9.0 and clf.C == 3.0


def test_predict_before_fit_raises():
    with pytest.raises(NotFittedError):
        ScamClassifier().predict(["你好"])


def test_fit_returns_self_and_learns_classes():
    clf = ScamClassifier(min_df=1, calibrate=False)
    assert clf.fit(TEXTS, LABELS) is clf
    assert clf.classes_.tolist() == sorted(set(LABELS))
    assert clf.temperature_ == 1.0


@pytest.mark.parametrize("fixture", ["small_linear", "small_gbdt"])
def test_probabilities_are_rows_summing_to_one_in_class_order(fixture, request):
    clf = request.getfixturevalue(fixture)
    proba = clf.predict_proba(TEXTS)
    assert proba.shape == (len(TEXTS), len(clf.classes_))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    np.testing.assert_array_equal(clf.classes_[proba.argmax(axis=1)], clf.predict(TEXTS))


@pytest.mark.parametrize("fixture", ["small_linear", "small_gbdt"])
def test_training_messages_are_learned(fixture, request):
    clf = request.getfixturevalue(fixture)
    assert (clf.predict(TEXTS) == np.array(LABELS)).mean() >= 0.9


def test_results_do_not_depend_on_batch_order(small_linear):
    order = np.random.default_rng(0).permutation(len(TEXTS))
    shuffled = small_linear.predict_proba([TEXTS[i] for i in order])
    np.testing.assert_allclose(shuffled, small_linear.predict_proba(TEXTS)[order])


def test_calibration_fits_a_temperature():
    clf = ScamClassifier(min_df=1, calibration_size=0.5).fit(TEXTS * 2, LABELS * 2)
    assert clf.temperature_ > 0 and clf.temperature_ != 1.0


def test_grid_search_over_pipeline_parameters():
    search = GridSearchCV(
        ScamClassifier(min_df=1, calibrate=False), {"C": [1.0, 10.0]}, cv=2, error_score="raise"
    )
    search.fit(TEXTS * 2, LABELS * 2)
    assert search.best_params_["C"] in (1.0, 10.0)


def test_build_pipeline_steps_and_kind_check():
    assert [name for name, _ in build_pipeline("linear").steps] == [
        "normalize",
        "features",
        "model",
    ]
    with pytest.raises(ValueError, match="kind must be one of"):
        build_pipeline("svm")
    with pytest.raises(ValueError, match="kind must be one of"):
        ScamClassifier(kind="svm").fit(TEXTS, LABELS)


def test_fit_rejects_bad_input():
    with pytest.raises(ValueError, match=r"texts\[1\] is float \(nan\); expected str"):
        ScamClassifier().fit(["a", float("nan")], ["normal", "loan"])
    with pytest.raises(ValueError, match="got 2 texts but 1 labels"):
        ScamClassifier().fit(["a", "b"], ["normal"])
    with pytest.raises(ValueError, match="at least 2 classes"):
        ScamClassifier().fit(["a", "b"], ["normal", "normal"])
    with pytest.raises(ValueError, match=r"y\[0\] is int"):
        ScamClassifier().fit(["a", "b"], [0, 1])


def test_fit_temperature_softens_overconfident_scores():
    scores = np.array([[5.0, 0.0], [5.0, 0.0], [5.0, 0.0], [0.0, 5.0]])
    assert fit_temperature(scores, np.array([0, 1, 0, 1])) > 1.5
    assert fit_temperature(scores, np.array([0, 0, 0, 1])) < 1.0


def test_long_messages_are_scored_whole_in_windows_and_too_long_ones_refused(small_linear):
    padded = "你好" * 10_000 + TEXTS[6]  # a brushing scam after 20,000 characters
    assert small_linear.predict([padded, "你好" * 10_000]).tolist() == ["brushing", "normal"]
    assert small_linear.classified_windows([padded]) == [(len(padded) - 2_000, len(padded))]
    with pytest.raises(ValueError, match=r"texts\[1\] has 100,001 characters, more than"):
        small_linear.predict(["转", "转" * 100_001])


@pytest.mark.parametrize(
    "kind, params, named",
    [("gbdt", {"C": 3.0}, "C"), ("linear", {"n_estimators": 10, "num_leaves": 7}, "n_estimators")],
)
def test_settings_the_kind_ignores_are_refused(kind, params, named):
    with pytest.raises(ValueError, match=named):
        ScamClassifier(kind=kind, min_df=1, calibrate=False, **params).fit(TEXTS, LABELS)
