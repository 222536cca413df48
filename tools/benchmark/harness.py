"""Benchmark: scamtext against the usual open-source recipes, on the same data, in one run.

Every peer (:mod:`tools.benchmark.peers`) is trained on the training split of the MIT
corpus only (:func:`scamtext.load_corpus`), each in a fresh process so that peak memory is
its own, and measured on messages it never trained on:

- the **in-style test split** of that corpus: per-label and macro F1, scam recall, hard
  negatives flagged, calibration error; the same under every evasion attack of
  :mod:`scamtext.text.attacks`;
- the **unseen-style** set (``data/heldout``, test half: styles no training row has, see
  :func:`scamtext.lifecycle.corpus.load_heldout`), overall and per style;
- the **unseen source**: every TFT5/TFT8 row of ``data/research`` (scam recall, false alarms
  on its normal rows, which are advertising and operator SMS, and category accuracy);
- the **benchmark sets** of ``data/benchmark``: long formal scam notices (scam recall,
  category accuracy) and everyday short chat (false alarms); see :mod:`tools.benchmark.sets`.

Also: training time, batch throughput, single-message latency (p50/p99, in process), model
size and peak memory; and, for scamtext, a deletion test of the explanations against a
random-span baseline. :func:`tools.benchmark.report.write_report` turns the results into
``benchmark.md``, ``benchmark.json`` and PNG plots.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scamtext.lifecycle.evaluate import evaluate_predictions
from scamtext.text.attacks import ATTACKS, attack

from .peers import PEER_TITLES, PEERS, shipped_recipe
from .report import write_report
from .sets import detection_figures, sample_mask, unseen_source_rows

ATTACK_SEED = 4242
"""Seed of the evaluation attacks; training-time augmentation must use another."""


@dataclass(frozen=True)
class Split:
    """Messages, labels and hard-negative flags of one evaluation set."""

    texts: list[str]
    labels: list[str]
    hard_negative: list[bool]

    def subset(self, keep: Sequence[bool]) -> Split:
        return Split(
            *[
                [v for v, k in zip(column, keep) if k]
                for column in (self.texts, self.labels, self.hard_negative)
            ]
        )

    def sample(self, n: int | None, seed: int = 0) -> Split:
        """Return ``n`` messages drawn with a fixed seed, in order (all when ``n`` is None)."""
        return self.subset(sample_mask(len(self.texts), n, seed))


def _predict(peer, texts: list[str]) -> tuple[np.ndarray, np.ndarray | None, list | None]:
    """Predicted labels, probabilities and their classes (None for a peer without them)."""
    proba = peer.predict_proba(texts)
    if proba is None:
        return np.asarray(peer.predict(texts), dtype=object), None, None
    classes = list(peer.classes_)
    return np.asarray(classes, dtype=object)[proba.argmax(axis=1)], proba, classes


def _figures(split: Split, predicted, proba, classes, keep=None) -> dict:
    """Figures of predictions on ``split``, or on its messages where ``keep`` is true."""
    if keep is not None:
        split, predicted = split.subset(keep), predicted[keep]
        proba = None if proba is None else proba[keep]
    return evaluate_predictions(
        split.labels,
        list(predicted),
        probabilities=proba,
        classes=classes,
        hard_negative=split.hard_negative,
    )


def _score(peer, split: Split) -> dict:
    return _figures(split, *_predict(peer, split.texts))


def _timings(peer, texts: list[str], n_single: int = 200) -> dict:
    started = time.perf_counter()
    peer.predict(texts)
    batch = time.perf_counter() - started
    latencies = []
    for text in texts[:n_single]:
        started = time.perf_counter()
        peer.predict([text])
        latencies.append((time.perf_counter() - started) * 1000)
    return {
        "throughput": len(texts) / batch,
        "latency_p50_ms": float(np.percentile(latencies, 50)),
        "latency_p99_ms": float(np.percentile(latencies, 99)),
    }


def deletion_test(model, split: Split, *, k: int = 3, n: int = 200, seed: int = 0) -> dict:
    """Remove the top-``k`` evidence spans, or ``k`` random spans of the same lengths.

    Returns the mean drop in the probability of the predicted label for both, over up
    to ``n`` scam messages of ``split`` that the model labels correctly.
    """
    from scamtext.model.explain import explain_text

    rng = random.Random(seed)
    index = {c: i for i, c in enumerate(model.classes_)}
    chosen = [(t, y) for t, y in zip(split.texts, split.labels) if y != "normal"]
    rng.shuffle(chosen)
    top, rand = [], []
    for text, label in chosen:
        if len(top) >= n:
            break
        exp = explain_text(model, text, top_k=k)
        if exp.label != label or not exp.evidence:
            continue
        spans = [(e.start, e.end) for e in exp.evidence if e.weight > 0]
        if not spans:
            continue
        random_spans = []
        for start, end in spans:
            width = end - start
            begin = rng.randrange(0, max(1, len(text) - width + 1))
            random_spans.append((begin, begin + width))
        before = exp.probability
        for spans_to_cut, out in ((spans, top), (random_spans, rand)):
            kept = "".join(
                ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in spans_to_cut)
            )
            out.append(before - model.predict_proba([kept])[0, index[label]])
    return {
        "messages": len(top),
        "k": k,
        "drop_top_k": float(np.mean(top)) if top else None,
        "drop_random": float(np.mean(rand)) if rand else None,
    }


def run_peer(
    name: str,
    train: Split,
    test: Split,
    *,
    attacks: Sequence[str],
    unseen_style: tuple[Split, list[str]],
    sets: dict[str, Split],
) -> dict:
    """Train one peer on ``train`` and measure it; meant to run in its own process.

    ``test`` gets the full figures, clean and under each of ``attacks``;
    ``unseen_style`` (messages and their styles) the same figures, overall and per
    style; each of ``sets`` (name -> messages) gets
    :func:`~tools.benchmark.sets.detection_figures`.
    """
    try:
        peer = PEERS[name]()
        started = time.perf_counter()
        peer.fit(train.texts, train.labels)
    except ImportError as error:
        return {"name": name, "skipped": f"not installed ({error.name})"}
    result = {
        "name": name,
        "title": PEER_TITLES[name],
        "train_seconds": time.perf_counter() - started,
    }
    clean = _predict(peer, test.texts)  # also the scamtext predictions kept below
    result["clean"] = _figures(test, *clean)
    result.update(_timings(peer, test.texts))
    result["size_bytes"] = peer.size_bytes()
    result["attacks"] = {
        a: _score(
            peer, Split(attack(test.texts, a, seed=ATTACK_SEED), test.labels, test.hard_negative)
        )
        for a in attacks
    }
    split, styles = unseen_style
    prediction = _predict(peer, split.texts)  # once, then sliced by style
    result["unseen_style"] = {
        "all": _figures(split, *prediction),
        "styles": {
            style: _figures(split, *prediction, keep=np.asarray(styles) == style)
            for style in sorted(set(styles))
        },
    }
    result["sets"] = {
        set_name: detection_figures(messages.labels, list(_predict(peer, messages.texts)[0]))
        for set_name, messages in sets.items()
    }
    if name.startswith("scamtext"):
        result["deletion"] = deletion_test(peer.model, test)
        _, proba, classes = clean
        result["predictions"] = {
            "classes": [str(c) for c in classes],
            "proba": np.round(proba, 5).tolist(),
        }
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _split_of(dataset) -> Split:
    hard = dataset["hard_negative"] if "hard_negative" in dataset.column_names else None
    return Split(
        list(dataset["text"]), list(dataset["label"]), list(hard or [False] * len(dataset))
    )


def run_benchmark(
    *,
    peers: Sequence[str] = tuple(PEERS),
    attacks: Sequence[str] = tuple(ATTACKS),
    corpus_dir: str | Path | None = None,
    sample: int | None = None,
    heldout_dir: str | Path | None = None,
    benchmark_dir: str | Path | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Run every peer and return the results as a dict.

    Parameters
    ----------
    peers, attacks : sequence of str
        Names from :data:`~tools.benchmark.peers.PEERS` and
        :data:`scamtext.text.attacks.ATTACKS`.
    corpus_dir : str or Path, optional
        Corpus to train and test on. Default: the MIT corpus shipped in the package.
    sample : int, optional
        For a quick run: keep that many training messages and unseen-source rows, and a
        tenth as many (at least 50) test messages, drawn with a fixed seed. The
        unseen-style and benchmark sets are kept whole.
    heldout_dir, benchmark_dir : str or Path, optional
        Folders of the unseen-style and benchmark sets. Default: ``data/heldout`` and
        ``data/benchmark`` of the repository.
    log : callable
        Receives a line of progress, with the seconds each peer took.
    """
    from scamtext.lifecycle.corpus import (
        BENCHMARK_SETS,
        load_benchmark_set,
        load_corpus,
        load_heldout,
    )

    corpus = load_corpus(corpus_dir)
    heldout = load_heldout("test", heldout_dir)
    train = _split_of(corpus["train"]).sample(sample)
    test = _split_of(corpus["test"]).sample(None if sample is None else max(50, sample // 10))
    unseen_style = (_split_of(heldout), list(heldout["style"]))
    tft = unseen_source_rows(sample)
    sets = {
        "unseen_source": Split(tft["text"], tft["label"], tft["hard_negative"]),
        **{name: _split_of(load_benchmark_set(name, benchmark_dir)) for name in BENCHMARK_SETS},
    }
    results = {
        "corpus": None if corpus_dir is None else str(corpus_dir),
        "train_messages": len(train.texts),
        "train_split_licences": dict(Counter(corpus["train"]["licence"])),
        "test_messages": len(test.texts),
        "unseen_style_messages": len(heldout),
        "set_messages": {name: len(split.texts) for name, split in sets.items()},
        "default_kind": shipped_recipe()["kind"],
        "attack_seed": ATTACK_SEED,
        "test_labels": test.labels,
        "peers": [],
    }
    context = multiprocessing.get_context("spawn")
    for name in peers:
        log(f"{PEER_TITLES[name]}: training and measuring...")
        started = time.perf_counter()
        # A worker that dies (out of memory) raises BrokenProcessPool instead of hanging.
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            result = pool.submit(
                run_peer,
                name,
                train,
                test,
                attacks=list(attacks),
                unseen_style=unseen_style,
                sets=sets,
            ).result()
        log(
            f"{PEER_TITLES[name]}: done in {time.perf_counter() - started:.0f}s"
            + (f" ({result['skipped']})" if "skipped" in result else "")
        )
        results["peers"].append(result)
    return results


def main(out: str | Path = "reports", **kwargs) -> Path:
    """Run the benchmark and write the report; used by scripts/benchmark.py."""
    results = run_benchmark(**kwargs)
    return write_report(results, out)


__all__ = ["PEERS", "deletion_test", "main", "run_benchmark", "write_report"]
