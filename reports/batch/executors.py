"""Where QBR tasks run: local worker processes, a local Dask cluster, or an existing Dask cluster.

Every executor streams chunks of tasks: it pulls a chunk from an iterator
only while fewer than ``max_in_flight`` chunks are submitted and unfinished,
and yields each :class:`~reports.batch.worker.TaskResult` as its chunk
completes (chunks in completion order). Peak memory therefore depends on the
number of workers, not on the number of documents, and nothing about a
finished chunk is kept. Results are small (paths, digests, durations):
workers write the files themselves.

The run's :class:`~reports.batch.worker.Shared` state (PPTX masters, QBR
configs and options) reaches each worker once, never with a task.

- ``local``: :class:`concurrent.futures.ProcessPoolExecutor` with a
  ``forkserver`` context (``spawn`` where forkserver is missing). The server
  preloads :mod:`reports.batch.worker` (pandas, python-pptx) once; each long-
  lived worker gets the shared state through the initializer.
- ``dask-local``: ``distributed.LocalCluster(n_workers=N, threads_per_worker=1, processes=True)``.
- ``dask``: ``distributed.Client(scheduler_address)``. Both Dask executors are
  in :mod:`reports.batch.dask_executor`.
"""

from __future__ import annotations

import dataclasses
import multiprocessing
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from reports.batch.worker import QbrChunk, Shared, TaskResult, init_worker, run_qbr_chunk
from reports.errors import CsReportsError, ExecutorError

EXECUTORS = ("local", "dask-local", "dask")

Chunk = QbrChunk


def default_workers() -> int:
    """One worker per CPU core."""
    return os.cpu_count() or 1


class LocalExecutor:
    """Worker processes on this machine."""

    name = "local"

    def __init__(self, workers: int, shared: Shared, setup: Callable[[], None] | None = None):
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            from multiprocessing import forkserver

            context.set_forkserver_preload(
                ["reports.batch.worker", "reports.documents.qbr.context", "reports.documents.qbr.render_pptx"]
            )
            # Start the server now: it imports those while this process indexes the accounts.
            forkserver.ensure_running()
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=init_worker, initargs=(shared, setup)
        )
        self._stop = False
        self._pending: set[Any] = set()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Submit nothing more and cancel queued chunks; chunks already running finish and are yielded."""
        self._stop = True
        for future in self._pending:
            future.cancel()

    def stream(self, chunks: Iterable[Chunk], max_in_flight: int) -> Iterator[TaskResult]:
        from concurrent.futures.process import BrokenProcessPool

        pending: set[Any] = set()
        self._pending = pending
        source = iter(chunks)
        exhausted = False
        while True:
            while not exhausted and not self._stop and len(pending) < max_in_flight:
                chunk = next(source, None)
                if chunk is None:
                    exhausted = True
                    break
                pending.add(self._pool.submit(run_qbr_chunk, chunk))
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            pending -= done
            for future in done:
                if future.cancelled():
                    continue
                try:
                    results = future.result()
                except BrokenProcessPool as exc:
                    raise ExecutorError(f"a worker process died ({exc}); rerun with --resume") from exc
                yield from results


def make_executor(
    name: str,
    *,
    workers: int,
    shared: Shared,
    scheduler: str | None = None,
    setup: Callable[[], None] | None = None,
) -> Any:
    """The executor called ``name`` (one of :data:`EXECUTORS`); ``setup`` runs once in each worker."""
    if name in ("local", "dask-local"):  # workers on this machine end with this process
        shared = dataclasses.replace(shared, run_pid=os.getpid())
    if name == "local":
        return LocalExecutor(workers, shared, setup)
    if name == "dask" and not scheduler:
        raise CsReportsError("--executor dask needs --scheduler tcp://HOST:PORT")
    if name in ("dask-local", "dask"):
        try:
            from reports.batch.dask_executor import DaskExecutor
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise CsReportsError("the dask executors need Dask: pip install 'csreports[dask]'") from exc
        if name == "dask-local":
            return DaskExecutor(shared, workers=workers, setup=setup)
        return DaskExecutor(shared, scheduler=scheduler, setup=setup)
    raise CsReportsError(f"executor {name!r} is not one of {', '.join(EXECUTORS)}")
