"""Train a model on the corpus (or labeled files), evaluate it and save it with metadata.

Examples
--------
>>> from scamtext.lifecycle.training import TrainConfig
>>> TrainConfig(kind="gbdt").to_dict()["kind"]
'gbdt'
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..model.classifier import KINDS, ScamClassifier
from ..model.persistence import save_model
from .corpus import data_hash, load_corpus, read_labeled_file
from .evaluate import evaluate


@dataclass(frozen=True)
class TrainConfig:
    """Run settings of a training job, saved with the model.

    Attributes
    ----------
    kind : {"linear", "gbdt"}
    data_files : tuple of str
        Labeled files to train on; empty means the corpus training split.
    corpus_dirs : tuple of str
        Corpus folders whose splits are joined; empty means the corpus shipped in the
        package.
    random_state : int
    params : dict
        Extra :class:`~scamtext.model.classifier.ScamClassifier` parameters.
    """

    kind: str = "linear"
    data_files: tuple[str, ...] = ()
    corpus_dirs: tuple[str, ...] = ()
    random_state: int = 0
    params: dict = field(default_factory=dict)

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {KINDS}, got {self.kind!r}")

    def to_dict(self) -> dict:
        """Return the settings as a JSON-ready dict."""
        return {
            **asdict(self),
            "data_files": list(self.data_files),
            "corpus_dirs": list(self.corpus_dirs),
        }

    @classmethod
    def from_dict(cls, values: dict) -> TrainConfig:
        """Build a config from :meth:`to_dict` output."""
        return cls(
            **{
                **values,
                "data_files": tuple(values.get("data_files", ())),
                "corpus_dirs": tuple(values.get("corpus_dirs", ())),
            }
        )


MIT = "MIT (scamtext authors)"


def licence_of(licences: Counter[str]) -> str:
    """Return the licence a model inherits from the licences of its training rows.

    >>> licence_of(Counter({MIT: 10}))
    'MIT'
    >>> licence_of(Counter({MIT: 10, "GPL-3.0 + research-only": 5}))
    'research use only, no commercial use (inherits: GPL-3.0 + research-only)'
    """
    others = sorted(name for name in licences if name != MIT)
    if not others:
        return "MIT"
    return f"research use only, no commercial use (inherits: {'; '.join(others)})"


def train_and_save(
    out: str | Path,
    *,
    kind: str = "linear",
    data_files: Sequence[str] | None = None,
    corpus_dir: str | Path | Sequence[str | Path] | None = None,
    random_state: int = 0,
    params: dict | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict | None:
    """Train, evaluate on the corpus test split when training on the corpus, and save.

    ``corpus_dir`` may name several corpus folders (e.g. the shipped MIT corpus and the
    research part); their splits are joined. The metadata records the sources and the
    licence of the training rows: ``"MIT"`` only when every row is MIT-licensed.

    Returns the test report, or None when trained on ``data_files`` (there is no
    held-out split to report on then; use ``scamtext evaluate --data``).
    """
    if corpus_dir is None:
        folders: tuple[str, ...] = ()
    elif isinstance(corpus_dir, (str, Path)):
        folders = (str(corpus_dir),)
    else:
        folders = tuple(str(f) for f in corpus_dir)
    config = TrainConfig(
        kind,
        tuple(str(f) for f in data_files or ()),
        folders,
        random_state,
        dict(params or {}),
    )
    started = time.perf_counter()
    test = None
    licences: Counter[str] = Counter()
    sources: Counter[str] = Counter()
    if config.data_files:
        texts, labels = [], []
        for file in config.data_files:
            more_texts, more_labels = read_labeled_file(file)
            texts += more_texts
            labels += more_labels
        licences["as the data files"] = len(texts)
    else:
        from datasets import concatenate_datasets

        corpora = [load_corpus(folder) for folder in config.corpus_dirs or (None,)]
        train = concatenate_datasets([c["train"] for c in corpora])
        test = concatenate_datasets([c["test"] for c in corpora])
        texts, labels = train["text"], train["label"]
        licences.update(train["licence"])
        sources.update(train["source"])
    log(f"training a {kind} model on {len(texts):,} messages...")
    classifier = ScamClassifier(kind=kind, random_state=random_state, **config.params)
    classifier.fit(texts, labels)
    log(f"trained in {time.perf_counter() - started:.0f}s")
    report = None
    if test is not None:
        log(f"evaluating on the test split ({len(test):,} messages)...")
        report = evaluate(
            classifier, test["text"], test["label"], hard_negative=test["hard_negative"]
        )
    save_model(
        classifier,
        out,
        metadata={
            "train_config": config.to_dict(),
            "licence": licence_of(licences),
            "training_data": {
                "messages": len(texts),
                "sha256": data_hash(texts, labels),
                "sources": dict(sorted(sources.items())),
                "licences": dict(sorted(licences.items())),
            },
            "test_metrics": report,
            "training_seconds": round(time.perf_counter() - started, 1),
        },
    )
    return report
