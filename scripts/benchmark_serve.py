"""Load-test ``scamtext serve`` on localhost: single messages and batches of 500.

Usage: python scripts/benchmark_serve.py [--workers 1 2] [--clients 1 16 64] [--seconds 10]

For each number of worker processes, starts ``python -m scamtext serve`` as a user
would, then runs an asyncio load generator in this process (keep-alive HTTP/1.1
connections, one per client, each sending its next request when the answer to the last
one arrived) at 1, 16 and 64 concurrent clients, for single messages and for batches
of 500 drawn from the corpus test split. Reports requests/s, messages/s, p50/p99
latency and the peak resident memory of the server's process tree (sampled every
0.1 s). Beside each run stands the in-process throughput of ``scamtext.predict`` on
batches of 500 of the same messages, measured in this process just before and just
after the run while the server idles (their mean; the machine is shared, so a reference
taken at another moment would not compare). Writes reports/serving.json and prints Markdown tables;
the load column is the machine's 1-minute load average after each run (other work on the
same 2 cores shows there), messages/model call the mean size of the micro-batches (one
worker only: /metrics counts per worker).
Every request loop is bounded in time and stops by itself; traffic goes to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import scamtext  # noqa: E402
from scamtext.lifecycle.corpus import load_corpus  # noqa: E402
from tools.benchmark.speed import tree_rss_mb  # noqa: E402

HOST = "127.0.0.1"
BATCH = 500


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def start_server(port: int, workers: int, home: str) -> subprocess.Popen:
    """Start ``scamtext serve`` and wait until every worker has loaded its model."""
    command = [sys.executable, "-m", "scamtext", "serve", "--port", str(port)]
    command += ["--workers", str(workers)]
    env = {**os.environ, "SCAMTEXT_HOME": home}
    server = subprocess.Popen(command, env=env, stderr=subprocess.PIPE, text=True)
    try:
        started, log = 0, []
        assert server.stderr is not None
        while started < workers:
            line = server.stderr.readline()
            if not line:
                raise RuntimeError("the server stopped:\n" + "".join(log[-20:]))
            log.append(line)
            started += "Application startup complete" in line
        deadline = time.monotonic() + 30  # the socket opens just after the last startup line
        while True:
            try:
                with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=30) as answer:
                    if answer.status == 200:
                        return server
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)
    except BaseException:
        server.terminate()
        server.wait(timeout=60)
        raise


def model_calls(port: int) -> tuple[float, float]:
    """Messages classified and model calls so far, from /metrics (of the worker that answers)."""
    with urllib.request.urlopen(f"http://{HOST}:{port}/metrics", timeout=30) as answer:
        lines = answer.read().decode().splitlines()
    value = {line.split()[0]: float(line.split()[1]) for line in lines if line[:1] != "#"}
    return value["scamtext_batch_messages_sum"], value["scamtext_batch_messages_count"]


class Connection:
    """One keep-alive HTTP/1.1 connection that POSTs JSON and reads the answer."""

    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter):
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, port: int) -> Connection:
        return cls(*await asyncio.open_connection(HOST, port))

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {HOST}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n"
        )
        self.writer.write(head.encode() + body)
        header = await self.reader.readuntil(b"\r\n\r\n")
        status = int(header[9:12])
        length = next(
            int(line.split(b":")[1])
            for line in header.split(b"\r\n")
            if line.lower().startswith(b"content-length:")
        )
        return status, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()


async def load(port: int, bodies: list[bytes], clients: int, seconds: float, pid: int) -> dict:
    """Run ``clients`` request loops for ``seconds``; return rates, latencies, peak memory."""
    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    peak = 0.0

    async def client(k: int) -> None:
        nonlocal errors
        connection = await Connection.open(port)
        i = k
        while time.perf_counter() < stop:
            started = time.perf_counter()
            status, _ = await connection.post("/v1/classify", bodies[i % len(bodies)])
            latencies.append(time.perf_counter() - started)
            errors += status != 200
            i += clients
        connection.close()

    async def sample_memory() -> None:
        nonlocal peak
        while True:
            peak = max(peak, tree_rss_mb(pid))
            await asyncio.sleep(0.1)

    sampler = asyncio.create_task(sample_memory())
    started = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(clients)))
    elapsed = time.perf_counter() - started
    sampler.cancel()
    ordered = sorted(latencies)
    return {
        "requests": len(latencies),
        "errors": errors,
        "seconds": round(elapsed, 2),
        "requests_per_s": len(latencies) / elapsed,
        "p50_ms": 1000 * statistics.median(ordered),
        "p99_ms": 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
        "peak_rss_mb": peak,
    }


def bodies_of(texts: list[str], size: int) -> list[bytes]:
    return [
        json.dumps({"messages": [{"text": t} for t in texts[i : i + size]]}).encode()
        for i in range(0, len(texts) - size + 1, size)
    ]


def in_process_rate(model, batches: list[list[str]], seconds: float) -> float:
    """Messages/s of ``scamtext.predict`` on batches of 500 in this process, for ``seconds``."""
    n, started = 0, time.perf_counter()
    for batch in itertools.cycle(batches):
        n += len(scamtext.predict(batch, model=model))
        if time.perf_counter() - started >= seconds:
            return n / (time.perf_counter() - started)
    raise ValueError("no batches")


def in_process_single(model, texts: list[str]) -> dict:
    """``scamtext.predict`` called with one message at a time: rate and latency."""
    times = []
    for text in texts[:500]:
        started = time.perf_counter()
        scamtext.predict([text], model=model)
        times.append(time.perf_counter() - started)
    return {
        "messages_per_s": len(times) / sum(times),
        "p50_ms": 1000 * statistics.median(times),
        "p99_ms": 1000 * sorted(times)[int(0.99 * len(times))],
        "load_1min": os.getloadavg()[0],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--clients", type=int, nargs="+", default=[1, 16, 64])
    parser.add_argument("--seconds", type=float, default=10.0, help="per run (default 10)")
    parser.add_argument(
        "--kinds", nargs="+", choices=("single", "batch"), default=["single", "batch"]
    )
    parser.add_argument("--out", default=str(ROOT / "reports" / "serving.json"))
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stop the server on the way out

    texts = list(load_corpus()["test"]["text"])
    singles = [json.dumps({"messages": [{"text": t}]}).encode() for t in texts]
    batches = bodies_of(texts * 2, BATCH)
    model = scamtext.load_model()
    text_batches = [texts[i : i + BATCH] for i in range(0, len(texts) - BATCH + 1, BATCH)]
    single = in_process_single(model, texts)
    runs = []
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as home:
            port = free_port()
            server = start_server(port, workers, home)
            try:
                for kind, bodies, size in (("single", singles, 1), ("batch", batches, BATCH)):
                    if kind not in args.kinds:
                        continue
                    asyncio.run(load(port, bodies[:8], 1, 1.0, server.pid))  # warm up
                    for clients in args.clients:
                        # the same machine a moment before and after, with the server idle
                        reference = in_process_rate(model, text_batches, min(args.seconds, 5))
                        messages, calls = model_calls(port)
                        result = asyncio.run(load(port, bodies, clients, args.seconds, server.pid))
                        more_messages, more_calls = model_calls(port)
                        result["messages_per_call"] = (
                            (more_messages - messages) / max(1, more_calls - calls)
                            if workers == 1  # /metrics is per worker
                            else None
                        )
                        result.update(workers=workers, kind=kind, clients=clients)
                        result["load_1min"] = os.getloadavg()[0]  # other work on the machine
                        result["messages_per_s"] = result["requests_per_s"] * size
                        after = in_process_rate(model, text_batches, min(args.seconds, 5))
                        result["in_process_messages_per_s"] = (reference + after) / 2
                        runs.append(result)
                        print(json.dumps(result), file=sys.stderr)
            finally:
                server.terminate()
                server.wait(timeout=60)
    Path(args.out).write_text(
        json.dumps({"runs": runs, "in_process_single": single, "cores": os.cpu_count()}, indent=2)
        + "\n",
        encoding="utf-8",
    )
    print(
        "| workers | request | clients | requests | requests/s | messages/s | in-process msg/s "
        "| × in-process "
        "| p50 ms | p99 ms | errors | messages/model call | peak RSS MB | load |\n"
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    )
    for r in runs:
        ratio = r["messages_per_s"] / r["in_process_messages_per_s"]
        per_call = "–" if r["messages_per_call"] is None else f"{r['messages_per_call']:.1f}"
        print(
            f"| {r['workers']} | {r['kind']} | {r['clients']} | {r['requests']:,} | "
            f"{r['requests_per_s']:,.1f} | {r['messages_per_s']:,.0f} | "
            f"{r['in_process_messages_per_s']:,.0f} | ×{ratio:.2f} | "
            f"{r['p50_ms']:.1f} | {r['p99_ms']:.1f} | {r['errors']} | "
            f"{per_call} | "
            f"{r['peak_rss_mb']:.0f} | "
            f"{r['load_1min']:.1f} |"
        )
    print(
        f"\nin-process scamtext.predict one message at a time: {single['messages_per_s']:,.0f} "
        f"messages/s (p50 {single['p50_ms']:.1f} ms, p99 {single['p99_ms']:.1f} ms); "
        f"load {single['load_1min']:.1f}"
    )


if __name__ == "__main__":
    main()
