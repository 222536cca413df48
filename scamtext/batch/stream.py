"""Classify a stream of messages in batches, in order, on one or several processes.

Memory stays bounded: at most ``2 * jobs`` batches are in flight, whatever the length of
the input, and results come back in input order. :func:`classify_records` does the same
for records (dicts with ``text``), passing every other field through.

Examples
--------
>>> batches = [["明天见"], ["刷单返利，先垫付后返佣金", "晚安"]]
>>> [[p.label for p in batch] for batch in classify_batches(batches, jobs=1)]
[['normal'], ['brushing', 'normal']]
>>> list(batched("abcde", 2))
[['a', 'b'], ['c', 'd'], ['e']]
"""

from __future__ import annotations

import multiprocessing
import os
import warnings
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import TypeVar

from ..exceptions import SchemaError
from ..model.persistence import resolve_model
from ..model.prediction import Prediction, predict_with

T = TypeVar("T")

OUTPUT_FIELDS = ("label", "is_scam", "score", "probabilities")
"""The fields :func:`classify_records` adds to each record (after ``prefix``)."""

_worker_model = None


def _init_worker(model) -> None:
    global _worker_model
    _worker_model = model


def _predict_in_worker(texts: list[str]) -> list[Prediction]:
    return predict_with(_worker_model, texts)


def default_jobs() -> int:
    """Return the number of cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def check_jobs(jobs: int) -> int:
    """Return ``jobs``, refusing less than 1 and lowering more than the cores (with a warning)."""
    if isinstance(jobs, bool) or not isinstance(jobs, int) or jobs < 1:
        raise ValueError(f"jobs must be an int of at least 1, got {jobs!r}")
    cores = default_jobs()
    if jobs > cores:
        warnings.warn(f"jobs={jobs} is more than the {cores} cores; using {cores}", stacklevel=3)
        return cores
    return jobs


def batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Yield lists of at most ``size`` items, in order."""
    if isinstance(size, bool) or not isinstance(size, int) or size < 1:
        raise ValueError(f"batch size must be an int of at least 1, got {size!r}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def classify_batches(
    batches: Iterable[list[str]], *, model=None, jobs: int = 1
) -> Iterator[list[Prediction]]:
    """Yield the predictions of each batch of messages, in order.

    Parameters
    ----------
    batches : iterable of list of str
    model : ScamClassifier, path or None
        None uses the shipped model.
    jobs : int, default=1
        Worker processes; 1 classifies in this process; at most the number of cores.
    """
    jobs = check_jobs(jobs)
    classifier = resolve_model(model)
    if jobs == 1:
        for batch in batches:
            yield predict_with(classifier, batch)
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


def classify_records(
    records: Iterable[dict],
    *,
    model=None,
    batch_size: int = 1000,
    jobs: int = 1,
    prefix: str = "",
    on_batch: Callable[[int], None] | None = None,
) -> Iterator[dict]:
    """Yield every record with ``label``, ``is_scam``, ``score`` and ``probabilities`` added.

    Fields of the input are kept as they are. An input field with the name of an output
    field (after ``prefix``) is never overwritten: :class:`~scamtext.exceptions.SchemaError`
    names it and suggests a prefix. ``on_batch(n)`` is called after each batch of ``n``.

    >>> out = list(classify_records([{"id": 1, "text": "明天见", "label": "normal"}],
    ...                             prefix="scamtext_"))
    >>> out[0]["label"], out[0]["scamtext_label"]
    ('normal', 'normal')
    """
    names = [prefix + field for field in OUTPUT_FIELDS]
    pending: deque[list[dict]] = deque()

    def texts() -> Iterator[list[str]]:
        for batch in batched(records, batch_size):
            for record in batch:
                clash = [n for n in names if n in record]
                if clash:
                    raise SchemaError(
                        f"input field {clash[0]!r} would be overwritten by scamtext's output; "
                        "rename it or pass a prefix (--prefix scamtext_)"
                    )
            pending.append(batch)
            yield [record["text"] for record in batch]

    for results in classify_batches(texts(), model=model, jobs=jobs):
        batch = pending.popleft()
        for record, result in zip(batch, results):
            yield {**record, **dict(zip(names, result.to_dict().values()))}
        if on_batch is not None:
            on_batch(len(batch))
