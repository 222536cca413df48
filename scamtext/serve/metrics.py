"""Counters and histograms of one service process, in the Prometheus text format.

Each worker process counts its own requests; ``/metrics`` shows the worker that answers
(its ``pid`` is a label of ``scamtext_process_info``).

Examples
--------
>>> metrics = Metrics()
>>> metrics.observe_request("/v1/classify", "POST", 200, 0.004)
>>> metrics.observe_batch(["loan", "normal"])
>>> text = metrics.render({"version": "shipped", "kind": "linear"})
>>> 'scamtext_requests_total{path="/v1/classify",method="POST",status="200"} 1' in text
True
>>> 'scamtext_messages_total{label="loan"} 1' in text
True
"""

from __future__ import annotations

import bisect
import os
from collections import Counter

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
"""Upper bounds (seconds) of the request latency histogram."""

BATCH_BUCKETS = (1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024)
"""Upper bounds of the histogram of messages per model call."""


def _quote(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _labels(**pairs: object) -> str:
    if not pairs:
        return ""
    return "{" + ",".join(f'{k}="{_quote(v)}"' for k, v in pairs.items()) + "}"


class _Histogram:
    def __init__(self, bounds: tuple[float, ...]):
        self.bounds = bounds
        self.counts = [0] * (len(bounds) + 1)
        self.sum = 0.0

    def observe(self, value: float) -> None:
        self.counts[bisect.bisect_left(self.bounds, value)] += 1
        self.sum += value

    def lines(self, name: str, **pairs: object) -> list[str]:
        lines, running = [], 0
        for bound, count in zip((*self.bounds, "+Inf"), self.counts):
            running += count
            lines.append(f"{name}_bucket{_labels(**pairs, le=bound)} {running}")
        lines.append(f"{name}_sum{_labels(**pairs)} {self.sum:.6f}")
        lines.append(f"{name}_count{_labels(**pairs)} {running}")
        return lines


class Metrics:
    """Requests, their latency, messages by label, model calls and reloads of one process."""

    def __init__(self) -> None:
        self.requests: Counter[tuple[str, str, int]] = Counter()
        self.latency: dict[str, _Histogram] = {}
        self.labels: Counter[str] = Counter()
        self.batches = _Histogram(BATCH_BUCKETS)
        self.reloads = 0

    def observe_request(self, path: str, method: str, status: int, seconds: float) -> None:
        """Count one answered request and its latency."""
        self.requests[path, method, status] += 1
        self.latency.setdefault(path, _Histogram(LATENCY_BUCKETS)).observe(seconds)

    def observe_batch(self, labels: list[str]) -> None:
        """Count one model call and the labels it gave."""
        self.batches.observe(len(labels))
        self.labels.update(labels)

    def render(self, model: dict) -> str:
        """Return every metric in the Prometheus text exposition format."""
        out = [
            "# HELP scamtext_requests_total HTTP requests answered.",
            "# TYPE scamtext_requests_total counter",
            *(
                f"scamtext_requests_total{_labels(path=p, method=m, status=s)} {n}"
                for (p, m, s), n in sorted(self.requests.items())
            ),
            "# HELP scamtext_request_seconds Time from request to answer.",
            "# TYPE scamtext_request_seconds histogram",
        ]
        for path, histogram in sorted(self.latency.items()):
            out += histogram.lines("scamtext_request_seconds", path=path)
        out += [
            "# HELP scamtext_messages_total Messages classified, by label.",
            "# TYPE scamtext_messages_total counter",
            *(
                f"scamtext_messages_total{_labels(label=label)} {n}"
                for label, n in sorted(self.labels.items())
            ),
            "# HELP scamtext_batch_messages Messages per model call (micro-batches).",
            "# TYPE scamtext_batch_messages histogram",
            *self.batches.lines("scamtext_batch_messages"),
            "# HELP scamtext_model_reloads_total Switches to another model version.",
            "# TYPE scamtext_model_reloads_total counter",
            f"scamtext_model_reloads_total {self.reloads}",
            "# HELP scamtext_model_info The model answering requests.",
            "# TYPE scamtext_model_info gauge",
            f"scamtext_model_info{_labels(version=model['version'], kind=model['kind'])} 1",
            "# HELP scamtext_process_info The worker process that answered.",
            "# TYPE scamtext_process_info gauge",
            f"scamtext_process_info{_labels(pid=os.getpid())} 1",
        ]
        return "\n".join(out) + "\n"
