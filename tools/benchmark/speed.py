"""Speed of scamtext against the jieba + TF-IDF + LinearSVC recipe, measured in one run.

Both are trained on the training split of the shipped corpus (scamtext: a throwaway
:class:`~scamtext.model.classifier.ScamClassifier`, never the shipped model; the recipe:
:func:`tools.benchmark.peers._svm`), saved, then measured:

- whole process, as a user runs them: ``scamtext classify --input FILE --model DIR``
  (default settings: all cores) against a one-process script that loads the recipe's
  pickle and classifies the same JSON lines (``python -m tools.benchmark.speed recipe``),
  on files of 40,000 and 1,000,000 messages drawn from the test split; wall time and the
  peak resident memory of the whole process tree;
- in process, on one core (BLAS limited to one thread): messages per second on short
  (40-60 characters) messages of the repository and long ones (500 characters, made of
  repository messages joined), single message latency p50/p99 on the test split, time to
  import and load the model and to classify the first message, peak memory; and for
  scamtext the time of each stage of one message's path;
- the normaliser's fast path against the path with offsets on every message of the
  repository, and the two segmenters (rjieba, jieba): cut agreement and the accuracy of
  a model trained with each.

:func:`main` writes ``reports/speed.md`` and ``reports/speed.json``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import multiprocessing
import os
import pickle
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SHORT = (40, 60)
LONG = 500
BATCH = 1000


def tree_rss_mb(pid: int) -> float:
    """Summed resident memory of process ``pid`` and all its descendants, in MB."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            total += int(
                next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))
            )
            for task in Path(f"/proc/{current}/task").iterdir():
                stack += [int(c) for c in (task / "children").read_text().split()]
        except (FileNotFoundError, ProcessLookupError, StopIteration):
            continue
    return total / 1024


def run(command: list[str], *, cwd: Path = ROOT) -> dict:
    """Run ``command``; return its wall time and the peak RSS of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, tree_rss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed: {process.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak}


def write_messages(path: Path, n: int, texts: list[str]) -> None:
    """Write ``n`` JSON lines ``{"id", "text"}`` drawn from ``texts`` (fixed seed)."""
    rng = random.Random(0)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": i, "text": rng.choice(texts)}, ensure_ascii=False) + "\n")


def repository_messages() -> list[str]:
    """Every message under ``data/`` and in the shipped corpus."""
    files = sorted((ROOT / "data").rglob("*.jsonl")) + sorted(
        (ROOT / "scamtext" / "data" / "corpus").glob("*.jsonl.gz")
    )
    texts = []
    for file in files:
        opener = gzip.open if file.suffix == ".gz" else open
        with opener(file, "rt", encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in f if line.strip()]
    return texts


def recipe_classify(model: str, source: str, out: str, batch_size: int = 2000) -> None:
    """Classify JSON lines with the recipe's pickle, in one process, as a user script."""
    with open(model, "rb") as f:
        pipeline = pickle.load(f)
    with open(source, encoding="utf-8") as lines, open(out, "w", encoding="utf-8") as sink:
        for batch in _batches(map(json.loads, lines), batch_size):
            for record, label in zip(batch, pipeline.predict([r["text"] for r in batch])):
                sink.write(json.dumps({**record, "label": str(label)}, ensure_ascii=False) + "\n")


def _batches(items, size: int) -> Iterator[list]:
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def train(folder: Path, train_texts: list[str], train_labels: list[str]) -> dict:
    """Fit and save the throwaway scamtext model and the recipe; return their paths."""
    from scamtext.model.classifier import ScamClassifier
    from scamtext.model.persistence import save_model

    from .peers import _svm

    started = time.perf_counter()
    save_model(ScamClassifier().fit(train_texts, train_labels), folder / "scamtext")
    scamtext_seconds = time.perf_counter() - started
    started = time.perf_counter()
    recipe = _svm().fit(train_texts, train_labels)
    with open(folder / "recipe.pkl", "wb") as f:
        pickle.dump(recipe.pipeline, f)
    return {
        "scamtext": str(folder / "scamtext"),
        "recipe": str(folder / "recipe.pkl"),
        "train_seconds": {"scamtext": scamtext_seconds, "recipe": time.perf_counter() - started},
    }


def _percentile(values: list[float], q: float) -> float:
    import numpy as np

    return float(np.percentile(values, q))


def in_process(kind: str, model: str, short: list[str], long: list[str], single: list[str]):
    """Measure one model in this (fresh) process on one core; see the module docstring."""
    started = time.perf_counter()
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)
    if kind == "scamtext":
        import skops.io  # noqa: F401  (what load_model imports on first use)

        import scamtext.model.classifier  # noqa: F401
        from scamtext.model.persistence import load_model

        imported = time.perf_counter()
        model_object = load_model(model)
        loaded = time.perf_counter()

        def predict(texts):
            return model_object.predict_proba(texts)
    else:
        import sklearn.pipeline  # noqa: F401  (what unpickling the recipe imports)

        imported = time.perf_counter()
        with open(model, "rb") as f:
            model_object = pickle.load(f)
        loaded = time.perf_counter()
        predict = model_object.predict
    predict(single[:1])
    ready = time.perf_counter()
    result = {
        "import_seconds": imported - started,
        "load_seconds": loaded - imported,
        "first_message_seconds": ready - loaded,
        "ready_seconds": ready - started,
    }
    for name, texts in (("short", short), ("long", long)):
        predict(texts[:50])
        wall, cpu = time.perf_counter(), time.process_time()
        for i in range(0, len(texts), BATCH):
            predict(texts[i : i + BATCH])
        result[name] = {
            "messages": len(texts),
            "per_second": len(texts) / (time.perf_counter() - wall),
            "per_cpu_second": len(texts) / (time.process_time() - cpu),
        }
    latencies, cpu_latencies = [], []
    for text in single:
        begun, cpu = time.perf_counter(), time.process_time()
        predict([text])
        latencies.append((time.perf_counter() - begun) * 1000)
        cpu_latencies.append((time.process_time() - cpu) * 1000)
    for q in (50, 99):
        result[f"latency_p{q}_ms"] = _percentile(latencies, q)
        result[f"cpu_latency_p{q}_ms"] = _percentile(cpu_latencies, q)
    if kind == "scamtext":
        result["stages_us"] = stage_times(model_object, short)
    result["peak_rss_mb"] = peak_rss_mb()
    return result


def peak_rss_mb() -> float:
    """Peak resident memory of this process since it started (not its parent's)."""
    status = Path("/proc/self/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if "VmHWM" in line)) / 1024


def stage_times(model, texts: list[str]) -> dict[str, float]:
    """CPU microseconds per message of each stage of a linear scamtext model."""
    steps = model.pipeline_.named_steps
    union = dict(steps["features"].transformer_list)
    segment, words = union["words"].named_steps["segment"], union["words"].named_steps["tfidf"]
    out: dict[str, float] = {}

    def timed(name: str, function: Callable, data):
        begun = time.process_time()
        value = function(data)
        out[name] = (time.process_time() - begun) / len(texts) * 1e6
        return value

    normalized = timed("normalise", steps["normalize"].transform, texts)
    cut = timed("segment", segment.transform, normalized)
    timed("word TF-IDF", words.transform, cut)
    timed("character TF-IDF", union["chars"].transform, normalized)
    timed("cues", union["cues"].transform, normalized)
    features = steps["features"].transform(normalized)
    timed("linear model", lambda _: model.pipeline_[-1].decision_function(features), texts)
    return out


def _child(args):
    return in_process(*args)


def measure_in_process(models: dict, short, long, single) -> dict:
    """Run :func:`in_process` for both models, each in its own spawned process."""
    context = multiprocessing.get_context("spawn")
    found = {}
    for kind in ("recipe", "scamtext"):
        with context.Pool(1) as pool:
            found[kind] = pool.apply(_child, ((kind, models[kind], short, long, single),))
    return found


def measure_whole_process(models: dict, test_texts: list[str], sizes, repeats: int) -> dict:
    """Whole-process runs on files of each size, alternating the two, ``repeats`` times."""
    found: dict = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            data = Path(folder) / f"m{size}.jsonl"
            write_messages(data, size, test_texts)
            out = str(Path(folder) / "out.jsonl")
            commands = {
                "recipe": [sys.executable, "-m", "tools.benchmark.speed", "recipe"]
                + [models["recipe"], str(data), out],
                "scamtext": [sys.executable, "-m", "scamtext", "classify", "--input", str(data)]
                + ["--output", out, "--model", models["scamtext"]],
            }
            runs: dict[str, list] = {"recipe": [], "scamtext": []}
            for attempt in range(repeats if size < 200_000 else 1):
                order = ("recipe", "scamtext") if attempt % 2 == 0 else ("scamtext", "recipe")
                for kind in order:
                    runs[kind].append(run(commands[kind]))
                    print(size, kind, runs[kind][-1], flush=True)
            found[size] = runs
    return found


def normaliser_check(texts: list[str]) -> dict:
    """The fast path and the path with offsets on every message: equal texts, and speeds."""
    from scamtext.text.normalize import normalize_text, normalize_with_offsets

    begun = time.process_time()
    fast = [normalize_text(t) for t in texts]
    fast_seconds = time.process_time() - begun
    begun = time.process_time()
    slow = [normalize_with_offsets(t).text for t in texts]
    slow_seconds = time.process_time() - begun
    return {
        "messages": len(texts),
        "different": sum(a != b for a, b in zip(fast, slow)),
        "fast_us": fast_seconds / len(texts) * 1e6,
        "offsets_us": slow_seconds / len(texts) * 1e6,
    }


def segmenter_check(texts: list[str], corpus, heldout) -> dict:
    """Cut agreement and speed of rjieba against jieba, and the accuracy of a model of each."""
    from scamtext.lifecycle.evaluate import evaluate
    from scamtext.model.classifier import ScamClassifier
    from scamtext.text.normalize import normalize_text
    from scamtext.text.segment import JiebaSegmenter

    normalized = [normalize_text(t) for t in texts]
    cuts, seconds = {}, {}
    for backend in ("rjieba", "jieba"):
        segmenter = JiebaSegmenter(backend=backend)
        segmenter.segment("预热")
        begun = time.process_time()
        cuts[backend] = [segmenter.segment(t) for t in normalized]
        seconds[backend] = time.process_time() - begun

    def spans(words: list[str]) -> set[tuple[int, int]]:
        ends = list(_running_sum(map(len, words)))
        return set(zip([0, *ends[:-1]], ends))

    same_words = total_words = 0
    for a, b in zip(cuts["jieba"], cuts["rjieba"]):
        same_words += len(spans(a) & spans(b))
        total_words += len(a)
    result = {
        "messages": len(texts),
        "identical_messages": sum(a == b for a, b in zip(cuts["jieba"], cuts["rjieba"]))
        / len(texts),
        "word_agreement": same_words / total_words,
        "us_per_message": {k: v / len(texts) * 1e6 for k, v in seconds.items()},
        "accuracy": {},
    }
    default = JiebaSegmenter.__init__.__kwdefaults__["backend"]
    try:
        for backend in ("rjieba", "jieba"):
            JiebaSegmenter.__init__.__kwdefaults__["backend"] = backend  # what make_features builds
            model = ScamClassifier().fit(corpus["train"]["text"], corpus["train"]["label"])
            result["accuracy"][backend] = {
                "test": evaluate(
                    model,
                    corpus["test"]["text"],
                    corpus["test"]["label"],
                    hard_negative=corpus["test"]["hard_negative"],
                ),
                "heldout_dev": evaluate(
                    model, heldout["text"], heldout["label"], hard_negative=heldout["hard_negative"]
                ),
            }
    finally:
        JiebaSegmenter.__init__.__kwdefaults__["backend"] = default
    return result


def _running_sum(values) -> Iterator[int]:
    total = 0
    for value in values:
        total += value
        yield total


def _pick(texts: list[str], bounds: tuple[int, int], n: int) -> list[str]:
    chosen = [t for t in dict.fromkeys(texts) if bounds[0] <= len(t) <= bounds[1]]
    random.Random(0).shuffle(chosen)
    return chosen[:n]


def _joined(texts: list[str], length: int, n: int) -> list[str]:
    """``n`` messages of ``length`` characters, each made of repository messages joined
    (the repository holds few messages that long)."""
    rng = random.Random(0)
    out = []
    for _ in range(n):
        parts: list[str] = []
        while sum(map(len, parts)) < length:
            parts.append(rng.choice(texts))
        out.append("。".join(parts)[:length])
    return out


def run_speed(*, sizes=(40_000, 1_000_000), repeats: int = 2, log=print) -> dict:
    """Train both models and take every measurement; return the results."""
    from scamtext.lifecycle.corpus import load_corpus, load_heldout

    corpus = load_corpus()
    heldout = load_heldout("dev")
    texts = repository_messages()
    test = list(corpus["test"]["text"])
    results: dict = {
        "corpus": {split: len(corpus[split]) for split in corpus},
        "repository_messages": len(texts),
        "cores": len(os.sched_getaffinity(0)),
        "load_average_before": os.getloadavg(),
    }
    log("checking the normaliser's two paths on every message...")
    results["normaliser"] = normaliser_check(texts)
    with tempfile.TemporaryDirectory() as folder:
        log("training the throwaway scamtext model and the recipe...")
        models = train(Path(folder), list(corpus["train"]["text"]), list(corpus["train"]["label"]))
        results["train_seconds"] = models["train_seconds"]
        log("in process, one core...")
        short, long = _pick(texts, SHORT, 4000), _joined(texts, LONG, 400)
        results["in_process"] = measure_in_process(models, short, long, test[:1000])
        results["in_process_messages"] = {"short": len(short), "long": len(long), "single": 1000}
        log("whole process...")
        results["whole_process"] = measure_whole_process(models, test, sizes, repeats)
    log("comparing the segmenters...")
    results["segmenter"] = segmenter_check(texts, corpus, heldout)
    results["load_average_after"] = os.getloadavg()
    return results


def _ratio(a: float, b: float) -> str:
    return f"×{a / b:.2f}"


def write_report(results: dict, out: Path) -> Path:
    """Write ``speed.md`` and ``speed.json`` into the folder ``out``."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "speed.json").write_text(json.dumps(results, indent=1, default=str), encoding="utf-8")
    rec, st = results["in_process"]["recipe"], results["in_process"]["scamtext"]
    lines = [
        "# Speed: scamtext against the jieba + TF-IDF + LinearSVC recipe",
        "",
        f"Measured by `python scripts/benchmark_speed.py` on this machine ({results['cores']} "
        f"cores), in one run; load average {results['load_average_before'][0]:.1f} before and "
        f"{results['load_average_after'][0]:.1f} after (other work shared the machine, so "
        "read the ratios, measured side by side, rather than the absolute figures). "
        "Both models were trained on the training split of the shipped corpus "
        f"({results['corpus']['train']:,} messages; scamtext: a throwaway model, not the "
        "shipped one). Ratios are scamtext against the recipe: above 1 is faster "
        "(for times and memory, below 1 is better).",
        "",
        "## Whole process",
        "",
        "`scamtext classify --input FILE --model DIR` with its default settings (all cores) "
        "against a one-process script that loads the recipe's pickle and classifies the same "
        "JSON lines in batches of 2,000 (`python -m tools.benchmark.speed recipe`); messages "
        "drawn from the test split; model loading, reading and writing included; peak memory "
        "of the whole process tree. Each run is listed (files of 200,000 messages or more are "
        "run once); the ratio compares the best of each.",
        "",
        "| messages | recipe s | scamtext s | recipe msg/s | scamtext msg/s | throughput ratio "
        "| recipe peak MB | scamtext peak MB |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for size, runs in results["whole_process"].items():
        best = {k: min(r["seconds"] for r in v) for k, v in runs.items()}
        peak = {k: max(r["peak_rss_mb"] for r in v) for k, v in runs.items()}
        seconds = {k: " / ".join(f"{r['seconds']:.1f}" for r in v) for k, v in runs.items()}
        lines.append(
            f"| {int(size):,} | {seconds['recipe']} | {seconds['scamtext']} | "
            f"{int(size) / best['recipe']:,.0f} | {int(size) / best['scamtext']:,.0f} | "
            f"**{_ratio(best['recipe'], best['scamtext'])}** | {peak['recipe']:.0f} | "
            f"{peak['scamtext']:.0f} |"
        )
    n = results["in_process_messages"]
    lines += [
        "",
        "## In process, one core",
        "",
        f"Batches of {BATCH:,}; BLAS limited to one thread. Short: {n['short']:,} messages of "
        f"{SHORT[0]}-{SHORT[1]} characters from the repository; long: {n['long']:,} of "
        f"{LONG} characters, each made of repository messages joined (the repository holds "
        f"few that long). Latency: each of the first {n['single']:,} test-split messages "
        "classified alone, in wall time and in the process's CPU time (which other work on "
        "the machine disturbs less). Ready: a fresh process importing the libraries, loading "
        "the model and classifying one message.",
        "",
        "| figure | recipe | scamtext | ratio |",
        "|---|---|---|---|",
    ]
    for label, key in (("short messages/s", "short"), ("long messages/s", "long")):
        lines.append(
            f"| {label} | {rec[key]['per_second']:,.0f} | {st[key]['per_second']:,.0f} | "
            f"**{_ratio(st[key]['per_second'], rec[key]['per_second'])}** |"
        )
        lines.append(
            f"| {label} per CPU second | {rec[key]['per_cpu_second']:,.0f} | "
            f"{st[key]['per_cpu_second']:,.0f} | "
            f"{_ratio(st[key]['per_cpu_second'], rec[key]['per_cpu_second'])} |"
        )
    for label, key in (
        ("latency p50 ms", "latency_p50_ms"),
        ("latency p99 ms", "latency_p99_ms"),
        ("latency p50 ms, CPU", "cpu_latency_p50_ms"),
        ("latency p99 ms, CPU", "cpu_latency_p99_ms"),
        ("load the model, s", "load_seconds"),
        ("import the libraries, s", "import_seconds"),
        ("first message after loading, s", "first_message_seconds"),
        ("ready (all three), s", "ready_seconds"),
        ("peak memory MB", "peak_rss_mb"),
    ):
        lines.append(f"| {label} | {rec[key]:.3f} | {st[key]:.3f} | {_ratio(st[key], rec[key])} |")
    stages = st["stages_us"]
    total = sum(stages.values())
    lines += [
        "",
        "## Where scamtext's time goes",
        "",
        "CPU microseconds per short message in each stage (batch of all short messages):",
        "",
        "| stage | µs | share |",
        "|---|---|---|",
        *(f"| {k} | {v:.1f} | {v / total:.0%} |" for k, v in stages.items()),
        f"| total | {total:.1f} | |",
    ]
    norm = results["normaliser"]
    seg = results["segmenter"]
    lines += [
        "",
        "## Normaliser: the fast path",
        "",
        f"`normalize_text` (no offset map) against `normalize_with_offsets` on every message "
        f"under `data/` and in the shipped corpus ({norm['messages']:,}): "
        f"**{norm['different']} differ**; {norm['fast_us']:.1f} against "
        f"{norm['offsets_us']:.1f} CPU µs per message.",
        "",
        "## Segmenter: rjieba against jieba",
        "",
        f"Both with jieba's dictionary and the domain dictionary, on the same "
        f"{seg['messages']:,} normalised messages: identical cuts on "
        f"{seg['identical_messages']:.1%} of the messages, {seg['word_agreement']:.2%} of "
        f"jieba's words cut alike; {seg['us_per_message']['jieba']:.1f} against "
        f"{seg['us_per_message']['rjieba']:.1f} CPU µs per message (jieba / rjieba). "
        "A model trained with each (same corpus, same settings):",
        "",
        "| segmenter | test macro-F1 | test scam recall | test hard-neg. FPR "
        "| heldout dev macro-F1 | heldout dev scam recall |",
        "|---|---|---|---|---|---|",
    ]
    for backend, acc in seg["accuracy"].items():
        t, d = acc["test"], acc["heldout_dev"]
        lines.append(
            f"| {backend} | {t['macro_f1']:.4f} | {t['scam']['recall']:.4f} | "
            f"{t['hard_negative_fpr']} | {d['macro_f1']:.4f} | {d['scam']['recall']:.4f} |"
        )
    (out / "speed.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return out / "speed.md"


def main(argv: list[str] | None = None) -> int:
    """``python -m tools.benchmark.speed [--out DIR] [--sizes N ...] [--repeats R]``, or
    ``python -m tools.benchmark.speed recipe MODEL INPUT OUTPUT``."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["recipe"]:
        recipe_classify(*argv[1:4])
        return 0
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark.speed", description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "reports")
    parser.add_argument("--sizes", type=int, nargs="+", default=[40_000, 1_000_000])
    parser.add_argument(
        "--repeats", type=int, default=2, help="whole-process runs of each, files under 200,000"
    )
    args = parser.parse_args(argv)
    results = run_speed(sizes=args.sizes, repeats=args.repeats)
    print(f"wrote {write_report(results, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
