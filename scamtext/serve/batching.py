"""Micro-batching: requests that arrive while the model is busy share its next call.

The model runs on one worker thread, so the event loop keeps reading requests while it
works. Whatever arrived in the meantime is classified together in the next call (up to
``max_messages`` messages), which costs one model call instead of one per request and
adds no waiting when the service is idle.

Examples
--------
>>> import asyncio
>>> async def demo():
...     batcher = MicroBatcher(lambda items: [x * 2 for x in items])
...     batcher.start()
...     answers = await asyncio.gather(batcher.submit([1, 2]), batcher.submit([3]))
...     await batcher.stop()
...     return answers
>>> asyncio.run(demo())
[[2, 4], [6]]

When a joined call fails, each request is run on its own, so that one bad request does
not fail the others:

>>> def halve(items):
...     if 0 in items:
...         raise ZeroDivisionError("a zero")
...     return [1 / x for x in items]
>>> async def demo():
...     batcher = MicroBatcher(halve)
...     batcher.start()
...     requests = [batcher.submit([1, 2]), batcher.submit([0]), batcher.submit([4])]
...     answers = await asyncio.gather(*requests, return_exceptions=True)
...     await batcher.stop()
...     return answers
>>> asyncio.run(demo())
[[1.0, 0.5], ZeroDivisionError('a zero'), [0.25]]
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from typing import Any


class MicroBatcher:
    """Run ``work`` (a list in, a list of as many answers out) on batches of submitted items.

    Parameters
    ----------
    work : callable
        Called on one thread with the concatenated items of one or more requests.
    max_messages : int, default=512
        Requests are joined until their items reach this many; a larger request runs alone.
    executor : Executor, optional
        Where ``work`` runs (default: a thread of its own). Share it with other model
        work (explanations) so that the model is used by one thread at a time.
    on_batch : callable, optional
        Called with the answers of each call (for metrics).
    """

    def __init__(
        self,
        work: Callable[[list], list],
        *,
        max_messages: int = 512,
        executor: Executor | None = None,
        on_batch: Callable[[list], None] | None = None,
    ):
        self.work = work
        self.max_messages = max_messages
        self._own_executor = executor is None
        self.executor = executor or ThreadPoolExecutor(1, thread_name_prefix="scamtext-model")
        self.on_batch = on_batch
        self._pending: deque[tuple[list, asyncio.Future]] = deque()
        self._running: list[tuple[list, asyncio.Future]] = []
        self._wake: asyncio.Event | None = None
        self._task: asyncio.Task | None = None

    def start(self) -> None:
        """Start the batching loop on the running event loop."""
        self._wake = asyncio.Event()
        self._task = asyncio.get_running_loop().create_task(self._loop())

    async def stop(self) -> None:
        """Stop the loop; requests still waiting get a :class:`RuntimeError`."""
        if self._task is not None:
            self._task.cancel()
            try:
                await self._task
            except asyncio.CancelledError:
                pass
        for _, future in [*self._running, *self._pending]:
            if not future.done():
                future.set_exception(RuntimeError("the service is shutting down"))
        self._pending.clear()
        if self._own_executor:
            self.executor.shutdown(wait=False)

    async def submit(self, items: list) -> list:
        """Return the answers for ``items``, in order, once their batch has run."""
        if self._wake is None:
            raise RuntimeError("MicroBatcher.start() was not called")
        if not items:
            return []
        future: asyncio.Future = asyncio.get_running_loop().create_future()
        self._pending.append((items, future))
        self._wake.set()
        return await future

    def _take(self) -> list[tuple[list, asyncio.Future]]:
        taken: list[tuple[list, asyncio.Future]] = []
        size = 0
        while self._pending and (not taken or size + len(self._pending[0][0]) <= self.max_messages):
            items, future = self._pending.popleft()
            if future.cancelled():  # the client went away
                continue
            taken.append((items, future))
            size += len(items)
        return taken

    async def _loop(self) -> None:
        assert self._wake is not None
        while True:
            await self._wake.wait()
            self._wake.clear()
            while taken := self._take():
                self._running = taken
                await self._run(taken)

    async def _run(self, taken: list[tuple[list, asyncio.Future]]) -> None:
        """Answer the requests in ``taken`` with one call; if it fails, each on its own."""
        loop = asyncio.get_running_loop()
        items: list[Any] = [item for batch, _ in taken for item in batch]
        try:
            answers = await loop.run_in_executor(self.executor, self.work, items)
        except Exception as error:
            if len(taken) > 1:  # one bad request must not fail the others
                for request in taken:
                    await self._run([request])
                return
            if not taken[0][1].done():
                taken[0][1].set_exception(error)
            return
        if self.on_batch is not None:
            self.on_batch(answers)
        start = 0
        for batch, future in taken:
            if not future.done():
                future.set_result(answers[start : start + len(batch)])
            start += len(batch)
