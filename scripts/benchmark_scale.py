"""Measure classification at scale: 1 process, all cores, Spark local[2]; memory vs file size.

Usage: python scripts/benchmark_scale.py [--messages 200000] [--sizes 100000 1000000]
       [--model DIR]

Writes reports/scaling.md. Every run classifies the same file of messages drawn (with
replacement, fixed seed) from the corpus test split, from the command line, as a user
would; peak memory is the summed resident memory of the whole process tree, sampled
every 0.1 s. Without ``--model``, a throwaway model is trained on the corpus training
split first (the shipped model may have been trained with older features). The Spark
run needs pyspark and Java. The comparison with the usual recipe is in
``scripts/benchmark_speed.py``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scamtext.lifecycle.corpus import load_corpus  # noqa: E402
from tools.benchmark.speed import run, write_messages  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--model", type=Path, help="model folder (default: train a throwaway one)")
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "scaling.md")
    args = parser.parse_args()
    corpus = load_corpus()
    texts = list(corpus["test"]["text"])
    cores = len(os.sched_getaffinity(0))
    cli = [sys.executable, "-m", "scamtext"]
    load_before = os.getloadavg()[0]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        model = args.model
        if model is None:
            from scamtext.model.classifier import ScamClassifier
            from scamtext.model.persistence import save_model

            model = save_model(
                ScamClassifier().fit(list(corpus["train"]["text"]), list(corpus["train"]["label"])),
                Path(folder) / "model",
            )
        data = Path(folder) / "messages.jsonl"
        write_messages(data, args.messages, texts)
        out = ["-o", str(Path(folder) / "o.jsonl"), "--model", str(model)]
        for name, extra in (("1 process", ["-j", "1"]), (f"{cores} processes", ["-j", str(cores)])):
            results[name] = run(cli + ["classify", "-i", str(data), *out, *extra])
            print(name, results[name], flush=True)
        try:
            import pyspark  # noqa: F401

            spark_out = str(Path(folder) / "spark-out.parquet")
            results["Spark local[2]"] = run(
                cli
                + ["spark-classify", str(data), spark_out, "--master", "local[2]"]
                + ["--model", str(model)]
            )
            print("spark", results["Spark local[2]"], flush=True)
        except ImportError:
            results["Spark local[2]"] = None
        memory = {}
        for size in args.sizes:
            sized = Path(folder) / f"m{size}.jsonl"
            write_messages(sized, size, texts)
            memory[size] = run(cli + ["classify", "-i", str(sized), "-j", str(cores), *out])
            print(size, memory[size], flush=True)
    base = results["1 process"]["seconds"]
    lines = [
        "# Classification at scale",
        "",
        f"{args.messages:,} messages (JSON lines, drawn from the corpus test split) classified "
        f"from the command line on this machine ({cores} cores), in one run "
        f"({time.strftime('%Y-%m-%d')}; load average {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after: other work may share the machine). The model was "
        + (
            f"`{args.model}`"
            if args.model
            else f"trained on the corpus training split ({len(corpus['train']):,} messages)"
        )
        + ". Peak memory is the resident memory of the whole process tree. Regenerate with "
        "`python scripts/benchmark_scale.py`; the comparison with the usual recipe is in "
        "[speed.md](speed.md).",
        "",
        "| run | seconds | messages/s | speed-up vs 1 process | peak RSS MB |",
        "|---|---|---|---|---|",
    ]
    for name, r in results.items():
        if r is None:
            lines.append(f"| {name} | skipped: pyspark not installed | | | |")
            continue
        lines.append(
            f"| {name} | {r['seconds']:.1f} | {args.messages / r['seconds']:,.0f} | "
            f"×{base / r['seconds']:.2f} | {r['peak_rss_mb']:.0f} |"
        )
    lines += [
        "",
        "## Memory against file size",
        "",
        f"`classify -j {cores}` on files of different sizes: peak memory should not grow "
        "with the file (batches are streamed, at most 2 per worker in flight).",
        "",
        "| lines | seconds | messages/s | peak RSS MB |",
        "|---|---|---|---|",
    ]
    for size, r in memory.items():
        lines.append(
            f"| {size:,} | {r['seconds']:.1f} | {size / r['seconds']:,.0f} | "
            f"{r['peak_rss_mb']:.0f} |"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
