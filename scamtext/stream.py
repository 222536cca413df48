"""Classify a stream of messages in batches, in order, on one or several processes.

Memory stays bounded: at most ``2 * jobs`` batches are in flight, whatever the length of
the input, and results come back in input order.

Examples
--------
>>> batches = [["明天见"], ["刷单返利，先垫付后返佣金", "晚安"]]
>>> [[p.label for p in batch] for batch in classify_batches(batches, jobs=1)]
[['normal'], ['brushing', 'normal']]
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Iterable, Iterator

from .api import ModelLike, Prediction, load_model, predict
from .models import ScamClassifier

_worker_model: ScamClassifier | None = None


def _init_worker(model: ScamClassifier) -> None:
    global _worker_model
    _worker_model = model


def _predict_in_worker(texts: list[str]) -> list[Prediction]:
    return predict(texts, model=_worker_model)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def classify_batches(
    batches: Iterable[list[str]], *, model: ModelLike = None, jobs: int = 1
) -> Iterator[list[Prediction]]:
    """Yield the predictions of each batch of messages, in order.

    Parameters
    ----------
    batches : iterable of list of str
    model : ScamClassifier, path or None
        None uses the shipped model.
    jobs : int, default=1
        Worker processes; 1 classifies in this process.
    """
    if jobs < 1:
        raise ValueError(f"jobs must be at least 1, got {jobs}")
    classifier = model if isinstance(model, ScamClassifier) else load_model(model)
    if jobs == 1:
        for batch in batches:
            yield predict(batch, model=classifier)
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(jobs, initializer=_init_worker, initargs=(classifier,)) as pool:
        pending: deque = deque()
        for batch in batches:
            pending.append(pool.apply_async(_predict_in_worker, (batch,)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
