"""Benchmark: scamtext against the usual open-source recipes, on the same data, in one run.

Peers (each trained and measured in a fresh process, so that peak memory is its own):

- ``nb``: jieba words + TF-IDF + multinomial naive Bayes, the classic spam-SMS recipe;
- ``svm``: jieba words + TF-IDF + linear SVM;
- ``fasttext``: fastText on jieba words (``pip install fasttext``; skipped if missing);
- ``scamtext-linear`` and ``scamtext-gbdt``: the two scamtext model kinds.

For each: per-label and macro F1, scam recall, the false-positive rate on hard negatives,
calibration error, training time, batch throughput, single-message latency (p50/p99, in
process), model size and peak memory; the same figures under every evasion attack of
:mod:`scamtext.attacks`; the figures on the unseen-style set (``data/heldout``, test half:
styles no training row has, see :func:`scamtext.data.load_heldout`); cross-source
generalisation (train on the imported research rows, test on the authored rows, and the
reverse); and, for scamtext, a deletion test of the explanations against a random-span
baseline. :func:`write_report` turns the results into
``benchmark.md``, ``benchmark.json`` and PNG plots.

Examples
--------
>>> sorted(PEERS)
['fasttext', 'nb', 'scamtext-gbdt', 'scamtext-linear', 'svm']
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import pickle
import random
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .attacks import ATTACKS, attack
from .evaluate import evaluate_predictions

ATTACK_SEED = 4242
"""Seed of the evaluation attacks; training-time augmentation must use another."""


def _jieba_words(text: str) -> list[str]:
    import jieba

    jieba.setLogLevel(logging.WARNING)  # the peers run in their own processes
    return [w for w in jieba.lcut(text) if not w.isspace()]


class JiebaTfidfPeer:
    """jieba words -> TF-IDF -> a scikit-learn classifier: the usual recipe, no normalisation."""

    def __init__(self, estimator):
        self.estimator = estimator

    def fit(self, texts, labels):
        from sklearn.feature_extraction.text import TfidfVectorizer
        from sklearn.pipeline import Pipeline

        self.pipeline = Pipeline(
            [
                (
                    "tfidf",
                    TfidfVectorizer(
                        tokenizer=_jieba_words,
                        token_pattern=None,
                        lowercase=False,
                        ngram_range=(1, 2),
                        min_df=2,
                        sublinear_tf=True,
                    ),
                ),
                ("model", self.estimator),
            ]
        ).fit(texts, labels)
        return self

    def predict(self, texts):
        return self.pipeline.predict(texts)

    def predict_proba(self, texts):
        if not hasattr(self.pipeline, "predict_proba"):
            return None
        return self.pipeline.predict_proba(texts)

    @property
    def classes_(self):
        return self.pipeline.classes_

    def size_bytes(self) -> int:
        return len(pickle.dumps(self.pipeline))


class FastTextPeer:
    """fastText supervised on jieba words (its ``predict`` breaks on NumPy 2: call the binding)."""

    def fit(self, texts, labels):
        import fasttext

        with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False, encoding="utf-8") as f:
            for text, label in zip(texts, labels):
                f.write(f"__label__{label} {self._line(text)}\n")
        try:
            self.model = fasttext.train_supervised(
                f.name,
                epoch=25,
                lr=0.5,
                wordNgrams=2,
                dim=64,
                bucket=200_000,
                verbose=0,
                thread=2,
                seed=0,
            )
        finally:
            os.unlink(f.name)
        self.classes_ = np.array(sorted(label[9:] for label in self.model.labels), dtype=object)
        return self

    @staticmethod
    def _line(text: str) -> str:
        return " ".join(_jieba_words(text.replace("\n", " ")))

    def predict_proba(self, texts):
        index = {label: i for i, label in enumerate(self.classes_)}
        proba = np.zeros((len(texts), len(index)))
        for row, text in enumerate(texts):
            for p, label in self.model.f.predict(
                self._line(text) + "\n", len(index), 0.0, "strict"
            ):
                proba[row, index[label[9:]]] = p
        return proba

    def predict(self, texts):
        return self.classes_[self.predict_proba(texts).argmax(axis=1)]

    def size_bytes(self) -> int:
        with tempfile.TemporaryDirectory() as folder:
            self.model.save_model(str(Path(folder) / "m.bin"))
            return (Path(folder) / "m.bin").stat().st_size


class ScamTextPeer:
    """A :class:`~scamtext.models.ScamClassifier` of one kind."""

    def __init__(self, kind: str):
        self.kind = kind

    def fit(self, texts, labels):
        from .models import ScamClassifier

        self.model = ScamClassifier(kind=self.kind, n_jobs=2).fit(texts, labels)
        self.classes_ = self.model.classes_
        return self

    def predict(self, texts):
        return self.model.predict(texts)

    def predict_proba(self, texts):
        return self.model.predict_proba(texts)

    def size_bytes(self) -> int:
        from .persistence import save_model

        with tempfile.TemporaryDirectory() as folder:
            path = save_model(self.model, Path(folder) / "m")
            return sum(p.stat().st_size for p in path.iterdir())


def _nb():
    from sklearn.naive_bayes import MultinomialNB

    return JiebaTfidfPeer(MultinomialNB(alpha=0.01))


def _svm():
    from sklearn.svm import LinearSVC

    return JiebaTfidfPeer(LinearSVC(C=1.0))


PEERS: dict[str, Callable[[], object]] = {
    "nb": _nb,
    "svm": _svm,
    "fasttext": FastTextPeer,
    "scamtext-linear": lambda: ScamTextPeer("linear"),
    "scamtext-gbdt": lambda: ScamTextPeer("gbdt"),
}
PEER_TITLES = {
    "nb": "jieba + TF-IDF + MultinomialNB",
    "svm": "jieba + TF-IDF + LinearSVC",
    "fasttext": "fastText on jieba words",
    "scamtext-linear": "scamtext linear",
    "scamtext-gbdt": "scamtext gbdt",
}


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
    from .explain import explain_text

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
    from .data import load_corpus, load_heldout

    corpus = load_corpus(corpus_dir)
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
    everything = Split(
        *[sum((list(corpus[s][c]) for s in corpus), []) for c in ("text", "label", "hard_negative")]
    )
    sources = sum((list(corpus[s]["source"]) for s in corpus), [])
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


def _fmt(value, spec=".4f"):
    return "–" if value is None else format(value, spec)


def write_report(results: dict, out: str | Path) -> Path:
    """Write ``benchmark.json``, ``benchmark.md`` and PNG plots to ``out``; return the .md path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    measured = [p for p in results["peers"] if "skipped" not in p]
    compact = {
        **results,
        "peers": [{k: v for k, v in p.items() if k != "predictions"} for p in results["peers"]],
    }
    compact.pop("test_labels", None)
    (out / "benchmark.json").write_text(json.dumps(compact, indent=2, ensure_ascii=False))
    base = next((p for p in measured if p["name"] == "nb"), measured[0] if measured else None)
    lines = [
        "# scamtext benchmark",
        "",
        f"Corpus test split: {results['test_messages']:,} messages; training split: "
        f"{results['train_messages']:,}. All models trained and measured in this run, each in "
        "its own process on the same machine (2 cores). Speed ratios are against "
        f"{base['title'] if base else '–'} measured in the same run. Regenerate with "
        "`python scripts/benchmark.py`.",
        "",
        "## Accuracy and cost",
        "",
        "| model | macro-F1 | scam recall | scam precision | hard-neg. FPR | ECE | train s "
        "| msg/s (× base) | p50 ms | p99 ms | size MB | peak RSS MB |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for p in results["peers"]:
        if "skipped" in p:
            lines.append(f"| {PEER_TITLES[p['name']]} | skipped: {p['skipped']} |" + " |" * 10)
            continue
        c = p["clean"]
        ratio = p["throughput"] / base["throughput"]
        lines.append(
            f"| {p['title']} | {c['macro_f1']:.4f} | {c['scam']['recall']:.4f} | "
            f"{c['scam']['precision']:.4f} | {_fmt(c['hard_negative_fpr'], '.2%')} | "
            f"{_fmt(c['ece'])} | {p['train_seconds']:.0f} | {p['throughput']:,.0f} "
            f"(×{ratio:.2f}) | {p['latency_p50_ms']:.2f} | {p['latency_p99_ms']:.2f} | "
            f"{p['size_bytes'] / 1e6:.1f} | {p['peak_rss_mb']:.0f} |"
        )
    labels = sorted({label for p in measured for label in p["clean"]["per_label"]})
    lines += [
        "",
        "## F1 per label",
        "",
        "| label | " + " | ".join(p["title"] for p in measured) + " |",
        "|---" * (len(measured) + 1) + "|",
    ]
    for label in labels:
        lines.append(
            f"| {label} | "
            + " | ".join(_fmt(p["clean"]["per_label"].get(label, {}).get("f1")) for p in measured)
            + " |"
        )
    attacks = list(measured[0]["attacks"]) if measured else []
    if attacks:
        lines += [
            "",
            "## Robustness to evasion (scam recall / macro-F1; change against clean)",
            "",
            f"Attacks from `scamtext.attacks`, seed {results['attack_seed']}.",
            "",
            "| attack | " + " | ".join(p["title"] for p in measured) + " |",
            "|---" * (len(measured) + 1) + "|",
        ]
        lines.append(
            "| clean | "
            + " | ".join(
                f"{p['clean']['scam']['recall']:.3f} / {p['clean']['macro_f1']:.3f}"
                for p in measured
            )
            + " |"
        )
        for name in attacks:
            cells = []
            for p in measured:
                a, c = p["attacks"][name], p["clean"]
                cells.append(
                    f"{a['scam']['recall']:.3f} / {a['macro_f1']:.3f} "
                    f"({100 * (a['scam']['recall'] - c['scam']['recall']):+.1f} / "
                    f"{100 * (a['macro_f1'] - c['macro_f1']):+.1f})"
                )
            lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += _unseen_style_section(results, measured)
    crossed = [p for p in measured if "cross_style" in p]
    if crossed:
        lines += [
            "",
            "## Cross-source generalisation",
            "",
            f"Imported research rows ({results['imported_messages']:,}) against authored rows "
            f"({results['authored_messages']:,}), all splits. The imported rows have no "
            "fake_prize, group_payment or investment messages, so a model trained on them "
            "cannot name those labels (scam recall still counts them); the *shared labels* "
            "columns leave those three out.",
            "",
            "| model | imported→authored macro-F1 | scam recall | hard-neg. FPR | "
            "shared labels: macro-F1 | scam recall | authored→imported macro-F1 | scam recall |",
            "|---|---|---|---|---|---|---|---|",
        ]
        for p in crossed:
            a, b = p["cross_style"]["imported->authored"], p["cross_style"]["authored->imported"]
            shared = p["cross_style"].get("imported->authored, shared labels", {})
            lines.append(
                f"| {p['title']} | {a['macro_f1']:.4f} | {a['scam']['recall']:.4f} | "
                f"{_fmt(a['hard_negative_fpr'], '.2%')} | {_fmt(shared.get('macro_f1'))} | "
                f"{_fmt(shared.get('scam', {}).get('recall'))} | {b['macro_f1']:.4f} | "
                f"{b['scam']['recall']:.4f} |"
            )
    deleted = [p for p in measured if "deletion" in p]
    if deleted:
        lines += [
            "",
            "## Faithfulness of explanations (deletion test)",
            "",
            "For correctly labeled scam messages of the test split: remove the top-3 "
            "positive evidence spans, or 3 random spans of the same lengths, and measure "
            "the drop in the probability of the label.",
            "",
            "| model | messages | drop, top-3 evidence removed | drop, random spans removed |",
            "|---|---|---|---|",
        ]
        for p in deleted:
            d = p["deletion"]
            lines.append(
                f"| {p['title']} | {d['messages']} | {_fmt(d['drop_top_k'])} | "
                f"{_fmt(d['drop_random'])} |"
            )
    plots = _plots(results, out)
    if plots:
        lines += ["", "## Plots", ""] + [f"![{name}]({name})" for name in plots]
    path = out / "benchmark.md"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _unseen_style_section(results: dict, measured: list[dict]) -> list[str]:
    """Markdown lines of the unseen-style table (none if it was not measured)."""
    unseen = [p for p in measured if "unseen_style" in p]
    if not unseen:
        return []
    styles = list(unseen[0]["unseen_style"]["styles"])
    lines = [
        "",
        "## Unseen styles",
        "",
        f"Models trained on the corpus training split, scored on the test half of "
        f"`data/heldout` ({results['unseen_style_messages']:,} messages): styles that no "
        "training row has (speech-to-text, screenshot OCR, coded slang, Hong Kong / Taiwan / "
        "Singapore colloquial, forwarded logs and one-liners). See `data/heldout/README.md`.",
        "",
        "| model | macro-F1 | scam recall | hard-neg. FPR | "
        + " | ".join(f"{s}: scam recall / hard-neg. FPR" for s in styles)
        + " |",
        "|---" * (4 + len(styles)) + "|",
    ]
    for p in unseen:
        a = p["unseen_style"]["all"]
        cells = [
            f"{s['scam']['recall']:.3f} / {_fmt(s['hard_negative_fpr'], '.1%')}"
            for s in p["unseen_style"]["styles"].values()
        ]
        lines.append(
            f"| {p['title']} | {a['macro_f1']:.4f} | {a['scam']['recall']:.4f} | "
            f"{_fmt(a['hard_negative_fpr'], '.2%')} | " + " | ".join(cells) + " |"
        )
    return lines


def _plots(results: dict, out: Path) -> list[str]:
    try:
        from .plots import plot_confusion, plot_reliability, plot_robustness
    except ImportError:  # matplotlib is an optional extra
        return []
    written = []
    for p in results["peers"]:
        if "predictions" not in p:
            continue
        classes = p["predictions"]["classes"]
        proba = np.asarray(p["predictions"]["proba"])
        for kind, plot in (("confusion", plot_confusion), ("reliability", plot_reliability)):
            name = f"{kind}_{p['name']}.png"
            plot(results["test_labels"], proba, classes, out / name, title=p["title"])
            written.append(name)
    measured = [p for p in results["peers"] if "skipped" not in p and p.get("attacks")]
    if measured:
        plot_robustness(measured, out / "robustness.png")
        written.append("robustness.png")
    return written


def main(out: str | Path = "reports", **kwargs) -> Path:
    """Run the benchmark and write the report; used by the CLI and scripts/benchmark.py."""
    results = run_benchmark(**kwargs)
    return write_report(results, out)


__all__ = ["PEERS", "deletion_test", "main", "run_benchmark", "write_report"]
