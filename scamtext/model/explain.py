"""Explanations: which parts of a message pushed it towards a label, and by how much.

For the linear model a feature's contribution is its value times the label's
coefficient; for the gradient-boosted model it is the TreeSHAP contribution that
LightGBM computes. Either way the contributions, plus the bias, add up to the
model's raw score for the label. Each contribution is spread over the
characters where its feature occurs in the normalised text, gathered into
words, and mapped back through the normalisation offsets to spans of the
ORIGINAL message. What cannot be placed in the text (for trees, the effect of a
word being absent) is reported apart as ``unlocated``, so nothing is hidden:

    sum(evidence weights) + other + unlocated + bias + no_step == score

Examples
--------
>>> from scamtext import load_model
>>> exp = explain_text(load_model(), "【公安局】你的银行卡涉嫌洗钱，请立即转入安全账户配合调查")
>>> exp.label
'impersonate_police'
>>> exp.evidence[0].text in exp.text
True
>>> abs(exp.total() - exp.score) < 1e-6
True
"""

from __future__ import annotations

import weakref
from dataclasses import asdict, dataclass

import numpy as np
from scipy.special import softmax
from sklearn.linear_model import LogisticRegression
from sklearn.utils.validation import check_is_fitted

from ..exceptions import InvalidInputError, InvalidLabelError
from ..taxonomy import advice
from ..text.cues import find_cues
from ..text.normalize import normalize_with_offsets
from .classifier import raw_scores


@dataclass(frozen=True)
class Evidence:
    """A span of the original message and its signed contribution to the score."""

    start: int
    end: int
    text: str
    weight: float


@dataclass(frozen=True)
class CueMatch:
    """A scam-intent cue found in the message, described in Chinese and English."""

    id: str
    zh: str
    en: str
    spans: tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Explanation:
    """Why a model gave a message its score for one label.

    Attributes
    ----------
    text : str
        The original message.
    label : str
        The predicted label.
    probability : float
        Calibrated probability of ``explained_label``.
    explained_label : str
        The label whose score is explained (the predicted one by default).
    score : float
        The raw score (logit) of ``explained_label``.
    bias : float
        The part of ``score`` that does not depend on the message.
    evidence : tuple of Evidence
        The ``top_k`` strongest spans, sorted by absolute weight.
    other : float
        Summed weight of the spans beyond ``top_k``.
    unlocated : float
        Contribution of features that do not occur in the text.
    cues : tuple of CueMatch
        Scam-intent cues found in the message.
    no_step : float
        The model's ``no_step_penalty`` taken off a scam label's score because the
        message holds no step of a scheme (0 when it holds one, or for ``normal``).
    window : tuple of int or None
        The ``(start, end)`` of the text explained when it is not the whole message:
        a message longer than :data:`~scamtext._validation.WINDOW_CHARS` characters is
        classified, and explained, on its most suspicious window. None: the whole message.
    """

    text: str
    label: str
    probability: float
    explained_label: str
    score: float
    bias: float
    evidence: tuple[Evidence, ...]
    other: float
    unlocated: float
    cues: tuple[CueMatch, ...]
    no_step: float = 0.0
    window: tuple[int, int] | None = None

    def total(self) -> float:
        """Return evidence + other + unlocated + bias + no_step; equals :attr:`score`."""
        return (
            sum(e.weight for e in self.evidence)
            + self.other
            + self.unlocated
            + self.bias
            + self.no_step
        )

    def to_dict(self) -> dict:
        """Return a JSON-ready dict, with the :func:`~scamtext.taxonomy.advice` for the label.

        ``advice`` is None when the label is ``normal``.
        """
        tip = advice(self.label)
        return {**asdict(self), "advice": None if tip is None else tip.to_dict()}


def feature_contributions(model, X, class_index: int) -> tuple[np.ndarray, float]:
    """Return per-feature contributions to one class's raw score, and the bias.

    ``X`` is a one-row feature matrix. Works for the two final estimators that
    :func:`scamtext.model.classifier.build_pipeline` builds.
    """
    n_classes = len(model.classes_)
    binary = n_classes == 2
    if isinstance(model, LogisticRegression):
        if binary and class_index == 0:
            return np.zeros(X.shape[1]), 0.0
        row = 0 if binary else class_index
        contrib = X.multiply(model.coef_[row]).toarray().ravel()
        return contrib, float(model.intercept_[row])
    result = model.booster_.predict(X, pred_contrib=True)
    if binary:
        if class_index == 0:
            return np.zeros(X.shape[1]), 0.0
        matrix = result
    else:
        matrix = (
            result[class_index]
            if isinstance(result, list)
            else result.reshape(1, n_classes, -1)[:, class_index, :]
        )
    values = matrix.toarray().ravel() if hasattr(matrix, "toarray") else np.ravel(matrix)
    return values[:-1], float(values[-1])


_FEATURE_NAMES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _feature_names(pipeline) -> np.ndarray:
    """Return the names of the features the final step of a fitted ``pipeline`` sees.

    Kept per fitted pipeline (a refit makes a new one): building them takes longer than
    the rest of an explanation.
    """
    if pipeline not in _FEATURE_NAMES:
        _FEATURE_NAMES[pipeline] = pipeline[1:-1].get_feature_names_out()
    return _FEATURE_NAMES[pipeline]


class _Occurrences:
    """Where each feature occurs in a normalised text, by feature name.

    The n-grams of the text are indexed once per length, so finding every feature
    takes time in proportion to the text, not to the text times the features.
    """

    def __init__(self, text: str, tokens, cues):
        self.text = text
        self.tokens = tokens
        self.cues = cues
        self.chars: dict[int, dict[str, list[int]]] = {}
        self.words: dict[int, dict[tuple[str, ...], list[tuple[int, int]]]] = {}

    def __call__(self, name: str) -> list[tuple[int, int]]:
        group, _, term = name.partition("__")
        if group == "chars":
            n = len(term)
            if n not in self.chars:
                starts: dict[str, list[int]] = {}
                for i in range(len(self.text) - n + 1):
                    starts.setdefault(self.text[i : i + n], []).append(i)
                self.chars[n] = starts
            return [(i, i + n) for i in self.chars[n].get(term, ())]
        if group == "words":
            words = tuple(term.split(" "))
            n = len(words)
            if n not in self.words:
                spans: dict[tuple[str, ...], list[tuple[int, int]]] = {}
                tokens = self.tokens
                for i in range(len(tokens) - n + 1):
                    key = tuple(token[0] for token in tokens[i : i + n])
                    spans.setdefault(key, []).append((tokens[i][1], tokens[i + n - 1][2]))
                self.words[n] = spans
            return self.words[n].get(words, [])
        return self.cues.locate(self.text, term)


def _units(tokens, length: int) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Pair each word's span with the range whose weight it collects.

    White space between words carries weight too (from character n-grams that
    cross it); it goes to the word before it, the leading space to the first word.
    """
    units = []
    for i, (_, start, end) in enumerate(tokens):
        low = 0 if i == 0 else start
        high = tokens[i + 1][1] if i + 1 < len(tokens) else length
        units.append(((start, end), (low, high)))
    return units


def explain_text(
    classifier, text: str, *, label: str | None = None, top_k: int = 10
) -> Explanation:
    """Explain a fitted :class:`~scamtext.model.classifier.ScamClassifier` on one message.

    Parameters
    ----------
    classifier : ScamClassifier
        A fitted classifier.
    text : str
        The message.
    label : str, optional
        The label to explain; default the predicted one.
    top_k : int, default=10
        How many evidence spans to return; the rest are summed in ``other``.
    """
    check_is_fitted(classifier)
    if not isinstance(text, str):
        raise InvalidInputError(0, text, where="text")
    if top_k < 0:
        raise ValueError(f"top_k must be >= 0, got {top_k}")
    classes = list(classifier.classes_)
    window = classifier.classified_windows([text])[0]  # the part that predict classifies
    offset = window[0]
    normalized = normalize_with_offsets(text[offset : window[1]])
    features = classifier.pipeline_.named_steps["features"]
    model = classifier.pipeline_[-1]
    between = classifier.pipeline_[1:-1]  # features, then the selection if any
    X = between.transform([normalized.text])
    adjustment = classifier.step_adjustment([normalized.text])[0]
    scores = raw_scores(model, X)[0] + adjustment  # from X: the parts below add up to it
    probabilities = softmax(scores / classifier.temperature_)
    predicted = classes[int(np.argmax(scores))]
    explained = predicted if label is None else label
    if explained not in classes:
        raise InvalidLabelError(explained, classes)
    k = classes.index(explained)
    contributions, bias = feature_contributions(model, X, k)

    segmenter = features.named_transformers["words"].named_steps["segment"]
    cues = features.named_transformers["cues"]
    tokens = segmenter.tokenize(normalized.text)
    occurrences = _Occurrences(normalized.text, tokens, cues)
    names = _feature_names(classifier.pipeline_)
    char_weights = np.zeros(len(normalized.text))
    unlocated = 0.0
    for f in np.flatnonzero(contributions):
        spans = occurrences(names[f])
        if not spans:
            unlocated += contributions[f]
            continue
        share = contributions[f] / len(spans)
        for start, end in spans:
            char_weights[start:end] += share / (end - start)

    def original(start: int, end: int) -> tuple[int, int]:
        start, end = normalized.original_span(start, end)
        return offset + start, offset + end

    by_span: dict[tuple[int, int], float] = {}
    for (start, stop), (low, high) in _units(tokens, len(normalized.text)):
        span = original(start, stop)
        by_span[span] = by_span.get(span, 0.0) + char_weights[low:high].sum()
    evidence = sorted(
        (Evidence(s, e, text[s:e], float(w)) for (s, e), w in by_span.items() if w != 0.0),
        key=lambda ev: -abs(ev.weight),
    )
    shown = evidence[:top_k]
    other = float(sum(ev.weight for ev in evidence[top_k:]))
    unlocated += char_weights.sum() - sum(by_span.values())  # 0 unless text was empty
    cue_matches = tuple(
        CueMatch(
            cue.id,
            cue.zh,
            cue.en,
            tuple(original(*m.span()) for m in cue.pattern.finditer(normalized.text)),
        )
        for cue in find_cues(normalized.text)
    )
    return Explanation(
        text=text,
        label=predicted,
        probability=float(probabilities[k]),
        explained_label=explained,
        score=float(scores[k]),
        bias=bias,
        evidence=tuple(shown),
        other=other,
        unlocated=float(unlocated),
        cues=cue_matches,
        no_step=float(adjustment[k]),
        window=None if window == (0, len(text)) else window,
    )
