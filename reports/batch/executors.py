"""Where QBR tasks run: local worker processes, a local Dask cluster, or an existing Dask cluster.

Every executor streams: it pulls tasks from an iterator only while fewer
than ``max_in_flight`` are submitted and unfinished, and yields each
:class:`~reports.batch.worker.TaskResult` as it completes (in completion
order). Peak memory therefore depends on the number of workers, not on the
number of documents. Results are small (paths, digests, durations): workers
write the files themselves.

- ``local``: :class:`concurrent.futures.ProcessPoolExecutor` with a
  ``forkserver`` context (``spawn`` where forkserver is missing). The server
  preloads :mod:`reports.batch.worker` (pandas, python-pptx) once; each long-
  lived worker gets the PPTX masters once, through the initializer.
- ``dask-local``: ``distributed.LocalCluster(n_workers=N, threads_per_worker=1, processes=True)``.
- ``dask``: ``distributed.Client(scheduler_address)``; the masters are scattered
  to every worker once (``broadcast=True``).
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Iterator, Mapping
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from typing import Any

from reports.batch.worker import QbrTask, TaskResult, init_worker, run_qbr_task
from reports.errors import CsReportsError

EXECUTORS = ("local", "dask-local", "dask")


class ExecutorError(CsReportsError):
    """The executor cannot start or lost its workers."""

    exit_code = 3


def default_workers() -> int:
    """One worker per CPU core."""
    return os.cpu_count() or 1


class LocalExecutor:
    """Worker processes on this machine."""

    name = "local"

    def __init__(self, workers: int, templates: Mapping[str, bytes]):
        self.workers = workers
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if context.get_start_method() == "forkserver":
            context.set_forkserver_preload(
                ["reports.batch.worker", "reports.qbr.context", "reports.qbr.render_pptx"]
            )
        self._pool = ProcessPoolExecutor(
            max_workers=workers, mp_context=context, initializer=init_worker, initargs=(dict(templates),)
        )
        self._stop = False
        self._pending: set[Any] = set()

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)

    def stop(self) -> None:
        """Submit nothing more and cancel queued tasks; tasks already running finish and are yielded."""
        self._stop = True
        for future in self._pending:
            future.cancel()

    def stream(self, tasks: Iterable[QbrTask], max_in_flight: int) -> Iterator[TaskResult]:
        from concurrent.futures.process import BrokenProcessPool

        pending: set[Any] = set()
        self._pending = pending
        source = iter(tasks)
        exhausted = False
        while True:
            while not exhausted and not self._stop and len(pending) < max_in_flight:
                task = next(source, None)
                if task is None:
                    exhausted = True
                    break
                pending.add(self._pool.submit(run_qbr_task, task))
            if not pending:
                return
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            pending -= done
            for future in done:
                if future.cancelled():
                    continue
                try:
                    yield future.result()
                except BrokenProcessPool as exc:
                    raise ExecutorError(f"a worker process died ({exc}); rerun with --resume") from exc


class DaskExecutor:
    """A Dask distributed cluster: a local one (``dask-local``) or an existing scheduler (``dask``)."""

    def __init__(self, templates: Mapping[str, bytes], *, workers: int = 2, scheduler: str | None = None):
        try:
            from distributed import Client, LocalCluster
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise CsReportsError("the dask executors need Dask: pip install 'csreports[dask]'") from exc
        self._cluster = None
        if scheduler is None:
            self.name = "dask-local"
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                silence_logs=40,
            )
            self._client = Client(self._cluster)
        else:
            self.name = "dask"
            try:
                self._client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise CsReportsError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)
        [self._templates] = self._client.scatter([dict(templates)], broadcast=True)
        self._stop = False

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()
        if self._cluster is not None:
            self._cluster.close()

    def stop(self) -> None:
        """Submit nothing more; tasks already submitted finish and are yielded."""
        self._stop = True

    def stream(self, tasks: Iterable[QbrTask], max_in_flight: int) -> Iterator[TaskResult]:
        from distributed import as_completed

        source = iter(tasks)
        queue = as_completed()
        in_flight = 0

        def submit() -> bool:
            task = next(source, None)
            if task is None:
                return False
            queue.add(
                self._client.submit(
                    run_qbr_task,
                    task,
                    self._templates,
                    key=f"qbr-{task.seq}-{task.inputs_hash[:12]}",
                    pure=False,
                )
            )
            return True

        exhausted = False
        while not exhausted and in_flight < max_in_flight:
            exhausted = not submit()
            in_flight += not exhausted
        for future in queue:
            in_flight -= 1
            try:
                result = future.result()
            except Exception as exc:  # the task function catches render errors; this is the cluster
                raise ExecutorError(f"the Dask cluster lost a task ({type(exc).__name__}: {exc})") from exc
            future.release()
            if not exhausted and not self._stop:
                exhausted = not submit()
                in_flight += not exhausted
            yield result


def make_executor(
    name: str, *, workers: int, templates: Mapping[str, bytes], scheduler: str | None = None
) -> LocalExecutor | DaskExecutor:
    """The executor called ``name`` (one of :data:`EXECUTORS`)."""
    if name == "local":
        return LocalExecutor(workers, templates)
    if name == "dask-local":
        return DaskExecutor(templates, workers=workers)
    if name == "dask":
        if not scheduler:
            raise CsReportsError("--executor dask needs --scheduler tcp://HOST:PORT")
        return DaskExecutor(templates, scheduler=scheduler)
    raise CsReportsError(f"executor {name!r} is not one of {', '.join(EXECUTORS)}")
