"""Model assembly and the :class:`ScamClassifier` estimator.

Two model kinds share the normalisation and feature steps and differ only in the
final estimator:

- ``"linear"``: multinomial logistic regression; fast, exact explanations.
- ``"gbdt"``: LightGBM gradient-boosted trees on the same sparse features.

Both return calibrated probabilities: a temperature ``T`` fitted on a held-out
part of the training data rescales the raw scores, ``softmax(scores / T)``. A
single temperature keeps the ranking and keeps explanations additive.

Examples
--------
>>> clf = ScamClassifier(kind="linear", calibrate=False, min_df=1)
>>> clf = clf.fit(["点击链接领取大奖", "今晚一起吃饭吗"], ["fake_prize", "normal"])
>>> clf.classes_.tolist()
['fake_prize', 'normal']
"""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize_scalar
from scipy.special import log_softmax, softmax
from sklearn.base import BaseEstimator, ClassifierMixin, clone
from sklearn.feature_selection import SelectKBest, chi2
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from .._validation import (
    MAX_CHARS,
    TextInputMixin,
    check_labels,
    check_texts,
    text_windows,
)
from ..text.cues import has_scheme_step
from ..text.normalize import TextNormalizer
from .augment import augment, augment_seed
from .features import make_features

KINDS = ("linear", "gbdt")

KIND_PARAMS = {
    "linear": ("C",),
    "gbdt": ("n_estimators", "learning_rate", "num_leaves", "n_jobs"),
}
"""Parameters that only one kind uses; setting one for the other kind is an error."""

_FEATURE_PARAMS = (
    "word_ngram_range",
    "char_ngram_range",
    "word_max_features",
    "char_max_features",
    "min_df",
)


def build_pipeline(kind: str = "linear", **params) -> Pipeline:
    """Return an unfitted ``normalize -> features -> [select ->] model`` pipeline.

    Parameters
    ----------
    kind : {"linear", "gbdt"}
        The final estimator.
    **params
        Feature settings (see :func:`scamtext.model.features.make_features`) and the
        final estimator's settings: ``C``, ``class_weight`` for ``linear``;
        ``n_estimators``, ``learning_rate``, ``num_leaves``, ``class_weight``,
        ``n_jobs`` for ``gbdt``; ``random_state`` for both. ``n_selected_features``
        keeps the best features by chi-squared before the model ("auto": all for
        ``linear``, 6,000 for ``gbdt``, whose training time grows with the
        number of features).

    Examples
    --------
    >>> [name for name, _ in build_pipeline("linear").steps]
    ['normalize', 'features', 'model']
    >>> [name for name, _ in build_pipeline("gbdt").steps]
    ['normalize', 'features', 'select', 'model']
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    features = make_features(**{k: params.pop(k) for k in _FEATURE_PARAMS if k in params})
    selected = params.pop("n_selected_features", "auto")
    if selected == "auto":
        selected = None if kind == "linear" else 6000
    steps = [("normalize", TextNormalizer()), ("features", features)]
    if selected is not None:
        steps.append(("select", SelectKBest(chi2, k=selected)))
    if kind == "linear":
        params.pop("n_estimators", None), params.pop("learning_rate", None)
        params.pop("num_leaves", None), params.pop("n_jobs", None)
        model = LogisticRegression(max_iter=2000, **params)
    else:
        from lightgbm import LGBMClassifier

        params.pop("C", None)
        model = LGBMClassifier(
            subsample=0.8,
            subsample_freq=1,
            colsample_bytree=0.3,
            max_bin=16,
            min_child_samples=5,
            verbose=-1,
            **params,
        )
    return Pipeline([*steps, ("model", model)])


def raw_scores(model, X) -> np.ndarray:
    """Return the final estimator's raw scores (logits), one column per class.

    Binary models give one score ``s``; it is returned as ``[0, s]`` so that
    ``softmax`` of the row equals the predicted probabilities.
    """
    if isinstance(model, LogisticRegression):
        scores = model.decision_function(X)
    else:
        scores = model.predict(X, raw_score=True)
    scores = np.asarray(scores, dtype=np.float64)
    if scores.ndim == 1:
        scores = np.column_stack([np.zeros_like(scores), scores])
    return scores


def fit_temperature(scores: np.ndarray, y_index: np.ndarray) -> float:
    """Return the temperature ``T`` minimising the log loss of ``softmax(scores / T)``.

    >>> s = np.array([[4.0, 0.0], [0.0, 4.0], [4.0, 0.0], [4.0, 0.0]])
    >>> round(fit_temperature(s, np.array([0, 1, 1, 0])), 2) > 1
    True
    """

    def loss(log_t: float) -> float:
        log_p = log_softmax(scores / np.exp(log_t), axis=1)
        return -log_p[np.arange(len(y_index)), y_index].mean()

    result = minimize_scalar(loss, bounds=(np.log(0.05), np.log(20.0)), method="bounded")
    return float(np.exp(result.x))


class ScamClassifier(TextInputMixin, ClassifierMixin, BaseEstimator):
    """Classify Chinese messages into the labels of the taxonomy.

    Parameters
    ----------
    kind : {"linear", "gbdt"}, default="linear"
        Logistic regression or LightGBM gradient-boosted trees.
    C : float, default=20.0
        Inverse regularisation strength of the linear model.
    n_estimators, learning_rate, num_leaves : int, float, int
        Boosting rounds, shrinkage and tree size of the ``gbdt`` model.
    class_weight : "sqrt", "balanced", dict or None, default="sqrt"
        ``"balanced"`` weights labels inversely to their frequency;
        ``"sqrt"`` by the square root of that, a middle ground that keeps rare
        scam labels visible without making every short chat look like one.
    word_ngram_range, char_ngram_range : tuple of int
        n-gram ranges of the word and character TF-IDF features.
    word_max_features, char_max_features : int or None
        Vocabulary size caps (keep the model file small).
    min_df : int, default=2
        Drop terms seen in fewer messages.
    n_selected_features : int, "auto" or None, default="auto"
        Keep this many features by chi-squared (see :func:`build_pipeline`).
    augment : bool, default=False
        Train on extra copies of the messages too (:func:`scamtext.model.augment.augment`:
        sentence excerpts of long messages and evasion-rewritten copies); the
        calibration part is never augmented.
    calibrate : bool, default=True
        Fit a temperature on ``calibration_size`` of the data held out, then
        refit on all of it.
    calibration_size : float, default=0.15
    random_state : int, default=0
    n_jobs : int or None, default=None
        Threads for LightGBM.
    no_step_penalty : float, default=0.0
        Subtracted from the raw score of every scam label of a message that holds no
        step of a scheme (no ask for money, data, a code, a click, an app or a contact
        move, no link, contact or amount: :func:`scamtext.text.cues.has_scheme_step`).
        Greetings and small talk then need far stronger evidence to be called a scam.
        0 turns it off; the temperature is fitted with it in place, so probabilities
        stay calibrated. ``scripts/select_default_model.py`` measures the trade-off.

    Attributes
    ----------
    classes_ : ndarray of str
        Label ids, in the column order of :meth:`predict_proba`.
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted ``normalize -> features -> model`` pipeline.
    temperature_ : float
        Divides raw scores before the softmax (1.0 without calibration).
    """

    def __init__(
        self,
        *,
        kind: str = "linear",
        C: float = 20.0,
        n_estimators: int = 150,
        learning_rate: float = 0.1,
        num_leaves: int = 15,
        class_weight: str | dict | None = "sqrt",
        word_ngram_range: tuple[int, int] = (1, 2),
        char_ngram_range: tuple[int, int] = (1, 3),
        word_max_features: int | None = 60_000,
        char_max_features: int | None = 60_000,
        min_df: int = 2,
        n_selected_features: int | str | None = "auto",
        augment: bool = False,
        calibrate: bool = True,
        calibration_size: float = 0.15,
        random_state: int = 0,
        n_jobs: int | None = None,
        no_step_penalty: float = 0.0,
    ):
        self.kind = kind
        self.C = C
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.num_leaves = num_leaves
        self.class_weight = class_weight
        self.word_ngram_range = word_ngram_range
        self.char_ngram_range = char_ngram_range
        self.word_max_features = word_max_features
        self.char_max_features = char_max_features
        self.min_df = min_df
        self.n_selected_features = n_selected_features
        self.augment = augment
        self.calibrate = calibrate
        self.calibration_size = calibration_size
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.no_step_penalty = no_step_penalty

    def _check_kind_params(self) -> None:
        """Refuse settings that the chosen ``kind`` would silently ignore."""
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")
        defaults = ScamClassifier().get_params()
        for other, names in KIND_PARAMS.items():
            if other == self.kind:
                continue
            changed = [n for n in names if getattr(self, n) != defaults[n]]
            if changed:
                raise ValueError(
                    f"{', '.join(changed)} only appl{'ies' if len(changed) == 1 else 'y'} to "
                    f"kind={other!r}; this model is kind={self.kind!r}"
                )

    def _make_pipeline(self, labels: np.ndarray) -> Pipeline:
        params = self.get_params()
        for name in ("kind", "augment", "calibrate", "calibration_size", "no_step_penalty"):
            params.pop(name)
        if self.class_weight == "sqrt":
            classes, counts = np.unique(labels, return_counts=True)
            weights = np.sqrt(len(labels) / (len(classes) * counts))
            params["class_weight"] = {str(c): float(w) for c, w in zip(classes, weights)}
        return build_pipeline(self.kind, **params)

    def fit(self, X, y):
        """Fit on messages ``X`` with label ids ``y``; returns ``self``."""
        texts = check_texts(X, max_chars=MAX_CHARS)
        labels = np.asarray(check_labels(y, len(texts)), dtype=object)
        if len(set(labels)) < 2:
            raise ValueError(f"need at least 2 classes (labels) to fit, got {sorted(set(labels))}")
        self._check_kind_params()
        template = self._make_pipeline(labels)
        normalize = template.named_steps["normalize"]
        normalized = normalize.transform(texts)
        rest = Pipeline(template.steps[1:])
        self.temperature_ = 1.0
        if self.calibrate:
            fit_t, _, fit_x, cal_x, fit_y, cal_y = train_test_split(
                texts,
                normalized,
                labels,
                test_size=self.calibration_size,
                random_state=self.random_state,
                stratify=labels if min(np.unique(labels, return_counts=True)[1]) > 1 else None,
            )
            held = clone(rest).fit(*self._training_rows(normalize, fit_t, fit_x, fit_y))
            scores = raw_scores(held[-1], held[:-1].transform(cal_x))
            scores += self.step_adjustment(cal_x, held[-1].classes_)
            index = {label: i for i, label in enumerate(held[-1].classes_)}
            known = np.array([label in index for label in cal_y])
            y_index = np.array([index[label] for label in cal_y[known]])
            self.temperature_ = fit_temperature(scores[known], y_index)
        rest.fit(*self._training_rows(normalize, texts, normalized, labels))
        self.pipeline_ = Pipeline([template.steps[0], *rest.steps])
        self.classes_ = np.asarray(self.pipeline_[-1].classes_, dtype=object)
        return self

    def training_messages(self, texts, labels) -> tuple[list[str], list[str]]:
        """Return the messages and labels this model trains on for ``texts`` and ``labels``.

        They are the inputs, followed by augmented copies when ``augment=True``.
        """
        if not self.augment:
            return list(texts), list(labels)
        return augment(texts, labels, seed=augment_seed(self.random_state))

    def _training_rows(self, normalize, texts, normalized, labels) -> tuple[list, np.ndarray]:
        """Normalised training rows: ``normalized`` (of ``texts``), then any augmented copies."""
        all_texts, all_labels = self.training_messages(texts, labels)
        copies = normalize.transform(all_texts[len(texts) :]) if len(all_texts) > len(texts) else []
        return list(normalized) + copies, np.asarray(all_labels, dtype=object)

    def transform_features(self, X):
        """Return the matrix the final estimator sees for the whole of each message ``X``.

        This is what training sees; classifying a long message scores its windows
        (:meth:`decision_function`).
        """
        check_is_fitted(self)
        return self.pipeline_[:-1].transform(check_texts(X, max_chars=MAX_CHARS))

    def step_adjustment(self, normalized, classes=None) -> np.ndarray:
        """Return what is added to the raw scores of normalised messages: ``-no_step_penalty``
        on every scam label of a message with no step of a scheme
        (:func:`scamtext.text.cues.has_scheme_step`), else 0.
        """
        classes = self.classes_ if classes is None else classes
        scam = np.array([c != "normal" for c in classes], dtype=np.float64)
        if not self.no_step_penalty:
            return np.zeros((len(normalized), len(classes)))
        missing = np.array([not has_scheme_step(t) for t in normalized], dtype=np.float64)
        return -self.no_step_penalty * np.outer(missing, scam)

    def _window_scores(self, X) -> tuple[np.ndarray, list[tuple[int, int]]]:
        """Return the raw scores of each message's most suspicious window, and the window.

        Every character counts: a message longer than
        :data:`~scamtext._validation.WINDOW_CHARS` is scored in overlapping windows
        (:func:`~scamtext._validation.text_windows`) and takes the scores of the window
        with the highest probability of a scam label (the first one on a tie), so that
        padding before or after a scam cannot hide it.
        """
        check_is_fitted(self)
        texts = check_texts(X, max_chars=MAX_CHARS)
        spans = [(i, window) for i, text in enumerate(texts) for window in text_windows(len(text))]
        normalized = self.pipeline_[0].transform([texts[i][a:b] for i, (a, b) in spans])
        features = self.pipeline_[1:-1].transform(normalized)
        scores = raw_scores(self.pipeline_[-1], features) + self.step_adjustment(normalized)
        if len(spans) == len(texts):
            return scores, [window for _, window in spans]
        scam = np.array([c != "normal" for c in self.classes_])
        proba = softmax(scores / self.temperature_, axis=1)
        suspicion = proba[:, scam].max(axis=1) if scam.any() else np.zeros(len(spans))
        best: dict[int, int] = {}
        for row, (i, _) in enumerate(spans):
            if i not in best or suspicion[row] > suspicion[best[i]]:
                best[i] = row
        rows = [best[i] for i in range(len(texts))]
        return scores[rows], [spans[row][1] for row in rows]

    def classified_windows(self, X) -> list[tuple[int, int]]:
        """Return the ``(start, end)`` of each message that its label comes from.

        The whole message, or for a long one its most suspicious window (see
        :meth:`decision_function`); :func:`scamtext.model.explain.explain_text` explains it.

        >>> from scamtext import load_model
        >>> load_model().classified_windows(["明天见", "你好" * 2000 + "刷单返利，先垫付后返佣金"])
        [(0, 3), (2012, 4012)]
        """
        return self._window_scores(X)[1]

    def decision_function(self, X) -> np.ndarray:
        """Return raw scores (before temperature), one column per class.

        They are the final estimator's scores plus :meth:`step_adjustment`. A message
        longer than :data:`~scamtext._validation.WINDOW_CHARS` characters gets the scores of
        its most suspicious window; one longer than :data:`~scamtext._validation.MAX_CHARS`
        is refused with :class:`~scamtext.exceptions.InvalidInputError`.
        """
        return self._window_scores(X)[0]

    def predict_proba(self, X) -> np.ndarray:
        """Return calibrated probabilities, columns in :attr:`classes_` order."""
        return softmax(self.decision_function(X) / self.temperature_, axis=1)

    def predict(self, X) -> np.ndarray:
        """Return the most probable label id of each message."""
        check_is_fitted(self)
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]
