"""Measure classification at scale: 1 process, all cores, Spark local[2]; memory vs file size.

Usage: python scripts/benchmark_scale.py [--messages 200000] [--sizes 100000 1000000]

Writes reports/scaling.md. Every run classifies the same file of messages drawn (with
replacement, fixed seed) from the corpus test split, from the command line, as a user
would; peak memory is the summed resident memory of the whole process tree, sampled
every 0.1 s. The Spark run needs pyspark and Java.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scamtext.lifecycle.corpus import load_corpus

ROOT = Path(__file__).resolve().parents[1]


def _tree_rss_mb(pid: int) -> float:
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


def run(command: list[str]) -> dict:
    """Run ``command``; return its wall time and the peak RSS of its process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0.0
    while process.poll() is None:
        peak = max(peak, _tree_rss_mb(process.pid))
        time.sleep(0.1)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise RuntimeError(f"{command} failed: {process.stderr.read().decode()[-2000:]}")
    return {"seconds": seconds, "peak_rss_mb": peak}


def write_messages(path: Path, n: int, texts: list[str]) -> None:
    rng = random.Random(0)
    with open(path, "w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps({"id": i, "text": rng.choice(texts)}, ensure_ascii=False) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200_000)
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--out", type=Path, default=ROOT / "reports" / "scaling.md")
    args = parser.parse_args()
    texts = list(load_corpus()["test"]["text"])
    cores = len(os.sched_getaffinity(0))
    cli = [sys.executable, "-m", "scamtext"]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / "messages.jsonl"
        write_messages(data, args.messages, texts)
        for name, extra in (("1 process", ["-j", "1"]), (f"{cores} processes", ["-j", str(cores)])):
            results[name] = run(
                cli + ["classify", "-i", str(data), "-o", str(Path(folder) / "o.jsonl")] + extra
            )
            print(name, results[name], flush=True)
        try:
            import pyspark  # noqa: F401

            results["Spark local[2]"] = run(
                cli
                + [
                    "spark-classify",
                    str(data),
                    str(Path(folder) / "spark-out.parquet"),
                    "--master",
                    "local[2]",
                ]
            )
            print("spark", results["Spark local[2]"], flush=True)
        except ImportError:
            results["Spark local[2]"] = None
        memory = {}
        for size in args.sizes:
            sized = Path(folder) / f"m{size}.jsonl"
            write_messages(sized, size, texts)
            memory[size] = run(
                cli
                + [
                    "classify",
                    "-i",
                    str(sized),
                    "-j",
                    str(cores),
                    "-o",
                    str(Path(folder) / "o.jsonl"),
                ]
            )
            print(size, memory[size], flush=True)
    base = results["1 process"]["seconds"]
    lines = [
        "# Classification at scale",
        "",
        f"{args.messages:,} messages (JSON lines, drawn from the corpus test split) classified "
        f"from the command line on this machine ({cores} cores), in one run. Peak memory is "
        "the resident memory of the whole process tree. Regenerate with "
        "`python scripts/benchmark_scale.py`.",
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
