"""Benchmark: scamtext against the usual open-source recipes, on the same data, in one run.

Peers (:mod:`tools.benchmark.peers`) are each trained and measured in a fresh process, so
that peak memory is its own.

For each: per-label and macro F1, scam recall, the false-positive rate on hard negatives,
calibration error, training time, batch throughput, single-message latency (p50/p99, in
process), model size and peak memory; the same figures under every evasion attack of
:mod:`scamtext.text.attacks`; the figures on the unseen-style set (``data/heldout``, test half:
styles no training row has, see :func:`scamtext.lifecycle.corpus.load_heldout`); cross-source
generalisation (train on the imported research rows, test on the authored rows, and the
reverse); and, for scamtext, a deletion test of the explanations against a random-span
baseline. :func:`tools.benchmark.report.write_report` turns the results into ``benchmark.md``,
``benchmark.json`` and PNG plots.
"""

from __future__ import annotations

import multiprocessing
import random
import resource
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from scamtext.lifecycle.evaluate import evaluate_predictions
from scamtext.text.attacks import ATTACKS, attack

from .peers import PEER_TITLES, PEERS
from .report import write_report

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
        if n is None or n >= len(self.texts):
            return self
        keep = set(random.Random(seed).sample(range(len(self.texts)), n))
        return self.subset([i in keep for i in range(len(self.texts))])


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
    imported: Split,
    authored: Split,
    *,
    attacks: Sequence[str],
    cross_style: bool,
    unseen: tuple[Split, list[str]] | None = None,
) -> dict:
    """Train and measure one peer; meant to run in its own process."""
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
    if unseen is not None:
        split, styles = unseen
        prediction = _predict(peer, split.texts)  # once, then sliced by style
        result["unseen_style"] = {
            "all": _figures(split, *prediction),
            "styles": {
                style: _figures(split, *prediction, keep=np.asarray(styles) == style)
                for style in sorted(set(styles))
            },
        }
    if name.startswith("scamtext"):
        result["deletion"] = deletion_test(peer.model, test)
        _, proba, classes = clean
        result["predictions"] = {
            "classes": [str(c) for c in classes],
            "proba": np.round(proba, 5).tolist(),
        }
    if cross_style:
        result["cross_style"] = {}
        for direction, source, target in (
            ("imported->authored", imported, authored),
            ("authored->imported", authored, imported),
        ):
            other = PEERS[name]().fit(source.texts, source.labels)
            result["cross_style"][direction] = _score(other, target)
            if direction == "imported->authored":
                known = set(source.labels)
                result["cross_style"]["imported->authored, shared labels"] = _score(
                    other, target.subset([label in known for label in target.labels])
                )
    result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def _child(args):
    return run_peer(*args[:5], attacks=args[5], cross_style=args[6], unseen=args[7])


def run_benchmark(
    *,
    peers: Sequence[str] = tuple(PEERS),
    attacks: Sequence[str] = tuple(ATTACKS),
    corpus_dir: str | Path | None = None,
    sample: int | None = None,
    cross_style: bool = True,
    heldout_dir: str | Path | None = None,
    log: Callable[[str], None] = lambda message: None,
) -> dict:
    """Run every peer on the corpus splits and return the results as a dict.

    ``sample`` keeps that many training messages (and a tenth as many test messages),
    drawn with a fixed seed, for a quick run. ``heldout_dir`` is the unseen-style
    folder; without it, ``data/heldout`` is used, and the section is left out if that
    folder has no files.
    """
    from scamtext.lifecycle.corpus import load_corpus, load_heldout, repository_data_dir

    corpus = load_corpus(corpus_dir)
    research = load_corpus(repository_data_dir() / "research")
    try:
        heldout = load_heldout("test", heldout_dir)
    except FileNotFoundError:
        if heldout_dir is not None:  # asked for by name: say so rather than leave it out
            raise
        heldout = None

    def split_of(dataset):
        return Split(list(dataset["text"]), list(dataset["label"]), list(dataset["hard_negative"]))

    unseen = None if heldout is None else (split_of(heldout), list(heldout["style"]))

    train = split_of(corpus["train"]).sample(sample)
    test = split_of(corpus["test"]).sample(None if sample is None else max(50, sample // 10))
    # Cross-style: every split, by source; the groups keep near-duplicates on one side.
    parts = [corpus[s] for s in corpus] + [research[s] for s in research]
    everything = Split(
        *[sum((list(part[c]) for part in parts), []) for c in ("text", "label", "hard_negative")]
    )
    sources = sum((list(part["source"]) for part in parts), [])
    imported = everything.subset([s != "authored" for s in sources])
    authored = everything.subset([s == "authored" for s in sources])
    imported, authored = imported.sample(sample), authored.sample(sample)
    results = {
        "train_messages": len(train.texts),
        "test_messages": len(test.texts),
        "imported_messages": len(imported.texts),
        "authored_messages": len(authored.texts),
        "unseen_style_messages": 0 if unseen is None else len(unseen[0].texts),
        "attack_seed": ATTACK_SEED,
        "test_labels": test.labels,
        "peers": [],
    }
    context = multiprocessing.get_context("spawn")
    for name in peers:
        log(f"{PEER_TITLES[name]}: training and measuring...")
        started = time.perf_counter()
        with context.Pool(1) as pool:
            result = pool.apply(
                _child,
                ((name, train, test, imported, authored, list(attacks), cross_style, unseen),),
            )
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
