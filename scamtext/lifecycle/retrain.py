"""Fold reported cases into a new model: a challenger, a gate, and a new version.

:func:`retrain` trains a challenger on the corpus training split plus most of the
cases, holding back a share of the cases it never sees. It evaluates champion and
challenger on the frozen corpus test split and on the held-back cases, saves the
challenger as a new version (with its parent, data hash and both sets of metrics)
and makes it current only if it passes the gate: its test macro-F1 is at most
``tolerance`` below the champion's, and it labels at least ``min_case_accuracy`` of
the held-back cases right. ``force`` promotes it anyway. Labels are checked first
(:func:`scamtext.lifecycle.labels.check_labels_to_learn`): well-formed ids, no
near-duplicates of known labels, at most 10 new labels and 20,000 cases at a time.

:func:`update` is the fast path for a linear model: it keeps the vocabulary, warm-starts
the logistic regression from the current weights and refits on corpus plus cases;
new labels need :func:`retrain`.

Examples
--------
>>> sorted(RetrainResult.__dataclass_fields__)
['path', 'promoted', 'report', 'version']
"""

from __future__ import annotations

import time
import warnings
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..exceptions import SchemaError
from ..model.classifier import ScamClassifier
from ..model.persistence import load_model
from ..taxonomy import LABELS
from .corpus import data_hash, load_corpus
from .evaluate import evaluate
from .labels import check_labels_to_learn
from .registry import ModelRegistry
from .training import licence_of

FIELDS = ("text", "label")
"""What each case must hold (as str); other fields are ignored."""


@dataclass(frozen=True)
class RetrainResult:
    """The new version, its folder, whether it became current, and the figures behind it."""

    version: str
    promoted: bool
    report: dict
    path: Path

    def format(self) -> str:
        """Return the champion/challenger table and the decision, as the CLI prints it."""
        r = self.report
        lines = [f"{'':<34}{'champion':>10}{'challenger':>12}"]
        for key, title in (
            ("test_macro_f1", "test macro-F1"),
            ("test_hard_negative_fpr", "hard negatives flagged"),
            ("held_back_case_accuracy", "held-back cases right"),
        ):
            cells = "".join(
                f"{'–' if v is None else f'{v:.4f}':>{w}}"
                for v, w in ((r["champion"][key], 10), (r["challenger"][key], 12))
            )
            lines.append(f"{title:<34}{cells}")
        gate = r["gate"]
        lines.append(
            f"saved version {self.version} (parent {r['parent_version']}) to {self.path}: "
            + ("now current" if self.promoted else "NOT made current")
            + ("" if gate["passed"] else ": " + "; ".join(gate["reasons"]))
            + (" (forced)" if gate["forced"] else "")
        )
        return "\n".join(lines)


def split_cases(
    cases: Sequence[dict], *, holdout: float, seed: int
) -> tuple[list[dict], list[dict]]:
    """Hold back ``holdout`` of the cases of each label (none of a label with one case)."""
    rng = np.random.default_rng(seed)
    train, held = [], []
    for label in sorted({c["label"] for c in cases}):
        group = [c for c in cases if c["label"] == label]
        order = rng.permutation(len(group))
        n_held = int(round(holdout * len(group))) if len(group) > 1 else 0
        held += [group[i] for i in order[:n_held]]
        train += [group[i] for i in order[n_held:]]
    return train, held


def _case_accuracy(classifier, cases: Sequence[dict]) -> float | None:
    if not cases:
        return None
    predicted = classifier.predict([c["text"] for c in cases])
    return float(np.mean(predicted == np.array([c["label"] for c in cases], dtype=object)))


def retrain(
    cases: Sequence[dict],
    *,
    registry: ModelRegistry,
    base: str | Path | None = None,
    kind: str | None = None,
    corpus_dir: str | Path | None = None,
    tolerance: float = 0.01,
    min_case_accuracy: float = 0.7,
    holdout: float = 0.25,
    min_cases_per_new_label: int = 20,
    force: bool = False,
    random_state: int = 0,
    log: Callable[[str], None] = lambda message: None,
) -> RetrainResult:
    """Train a challenger on corpus + cases, gate it, save it as a version (see module doc)."""
    if not cases:
        raise ValueError("no cases to learn from")
    for i, case in enumerate(cases):
        if not (isinstance(case, dict) and all(isinstance(case.get(k), str) for k in FIELDS)):
            raise SchemaError(f"cases[{i}] needs a str 'text' and a str 'label'")
    registry.current()  # an unusable registry.json stops the run here, not after training
    base_path = registry.resolve(base)
    champion = load_model(base_path)
    parent = "shipped" if base_path is None else base_path.name
    new_labels = check_labels_to_learn(
        (c["label"] for c in cases), known=[*LABELS, *champion.classes_]
    )
    for label, n in new_labels.items():
        if n < min_cases_per_new_label:
            warnings.warn(
                f"new label {label!r} has only {n} case(s); "
                f"{min_cases_per_new_label} or more learn it reliably",
                stacklevel=2,
            )
    corpus = load_corpus(corpus_dir)
    train_cases, held_cases = split_cases(cases, holdout=holdout, seed=random_state)
    texts = list(corpus["train"]["text"]) + [c["text"] for c in train_cases]
    labels = list(corpus["train"]["label"]) + [c["label"] for c in train_cases]
    params = champion.get_params()
    if kind is not None:
        params["kind"] = kind
    log(
        f"training a {params['kind']} challenger on {len(texts):,} messages "
        f"({len(train_cases)} cases, {len(held_cases)} held back)..."
    )
    started = time.perf_counter()
    challenger = ScamClassifier(**params).fit(texts, labels)
    seconds = time.perf_counter() - started
    test = corpus["test"]
    report: dict = {
        "parent_version": parent,
        "training_seconds": round(seconds, 1),
        "cases": {
            "train": len(train_cases),
            "held_back": len(held_cases),
            "new_labels": dict(new_labels),
        },
    }
    for name, model in (("champion", champion), ("challenger", challenger)):
        metrics = evaluate(model, test["text"], test["label"], hard_negative=test["hard_negative"])
        report[name] = {
            "test_macro_f1": metrics["macro_f1"],
            "test_hard_negative_fpr": metrics["hard_negative_fpr"],
            "held_back_case_accuracy": _case_accuracy(model, held_cases),
        }
    drop = report["champion"]["test_macro_f1"] - report["challenger"]["test_macro_f1"]
    learned = report["challenger"]["held_back_case_accuracy"]
    reasons = []
    if drop > tolerance:
        reasons.append(f"test macro-F1 drops by {drop:.4f} (tolerance {tolerance})")
    if learned is not None and learned < min_case_accuracy:
        reasons.append(
            f"labels {learned:.0%} of held-back cases right (needs {min_case_accuracy:.0%})"
        )
    report["gate"] = {"passed": not reasons, "reasons": reasons, "forced": force and bool(reasons)}
    version = registry.add(
        challenger,
        metadata={
            "parent_version": parent,
            "licence": licence_of(Counter(corpus["train"]["licence"])) + ", plus your cases",
            "training_data": {"messages": len(texts), "sha256": data_hash(texts, labels)},
            "retrain": report,
        },
    )
    promoted = not reasons or force
    if promoted:
        registry.use(version)
    log(f"saved version {version}; {'promoted' if promoted else 'NOT promoted'}")
    return RetrainResult(version, promoted, report, registry.path(version))


def update(
    classifier: ScamClassifier,
    texts: Sequence[str],
    labels: Sequence[str],
    *,
    corpus_dir: str | Path | None = None,
    max_iter: int = 200,
) -> ScamClassifier:
    """Return a copy of a linear ``classifier`` refitted on corpus + new messages, warm-started.

    The vocabulary and the temperature stay as they were; only the weights move. Much
    faster than :func:`retrain`; use it for a few new cases of known labels. A model trained
    with ``augment=True`` is updated on augmented rows too.
    """
    import copy

    if classifier.kind != "linear":
        raise ValueError("the fast update works on linear models; use retrain for gbdt")
    unknown = sorted(set(labels) - set(classifier.classes_))
    if unknown:
        raise ValueError(f"labels {unknown} are new to this model; use retrain to add labels")
    corpus = load_corpus(corpus_dir)
    all_texts, all_labels = classifier.training_messages(  # train as the model was trained
        list(corpus["train"]["text"]) + list(texts), list(corpus["train"]["label"]) + list(labels)
    )
    updated = copy.deepcopy(classifier)
    model = updated.pipeline_[-1]
    X = updated.transform_features(all_texts)
    model.set_params(warm_start=True, max_iter=max_iter)
    model.fit(X, np.asarray(all_labels, dtype=object))
    return updated
