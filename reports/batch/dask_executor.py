"""The Dask executors: a local cluster (``dask-local``) or an existing scheduler (``dask``).

Memory stays bounded whatever the number of documents: chunks are submitted
in a window of ``max_in_flight`` (never the whole run at once), each future
is released as soon as its results are read, and the run's shared state is
installed once per worker by a worker plugin (also on workers that join
later) instead of travelling with each task or living as a scattered key
that every task depends on. The plugin is removed at the end of the run, so
a long-lived cluster keeps nothing.

Each chunk travels as one pickled blob: the scheduler unpickles every task
it receives and pickles it again for the worker, which for a chunk of
account slices (dozens of small DataFrames) cost more CPU in the process
running the scheduler than the slices took to cut; bytes pass through.

Dask keeps the last ``distributed.admin.low-level-log-length`` (default
1,000) messages of every batched stream for debugging, live objects
included: the client's ``update-graph`` messages and the scheduler's
``compute-task`` messages to each worker, each holding a chunk's account
slices. That alone held thousands of slices (hundreds of MB) in the process
running ``csreports run`` (the client, and for ``dask-local`` the scheduler).
While a run's executor is open the setting is 10 (:data:`CONFIG`) for this
process and the ``dask-local`` cluster it starts; an existing cluster's
scheduler keeps its own setting (set it in the scheduler's Dask config).
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import dask
from distributed import Client, LocalCluster, as_completed
from distributed.diagnostics.plugin import WorkerPlugin

from reports.batch.worker import QbrChunk as Chunk
from reports.batch.worker import Shared, TaskResult, drop_shared, init_worker, pickle_chunk, run_pickled_chunk
from reports.errors import CsReportsError, ExecutorError

CONFIG = {
    "distributed.admin.low-level-log-length": 10,
    "distributed.worker.profile.enabled": False,
    "distributed.scheduler.work-stealing": False,
    "distributed.worker.memory.monitor-interval": "1s",
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.admin.tick.interval": "1s",
}
"""Dask settings while a run's executor is open, passed on to the ``dask-local`` cluster: keep 10
messages per batched stream instead of 1,000; no stack sampling for the dashboard's profile; no work
stealing (a few chunks per worker are in flight, nothing to balance); memory, system and event-loop
checks every second or five instead of every 0.1-0.5 s. An idle 2-worker cluster then costs 2 % of a
core instead of 15 % (measured over 30 s)."""


class SharedState(WorkerPlugin):
    """Installs a run's :class:`~reports.batch.worker.Shared` state on a worker; removes it at the end."""

    def __init__(self, shared: Shared, setup: Callable[[], None] | None = None):
        self.shared, self.setup_call = shared, setup
        self.name = f"csreports-{shared.key}"

    def setup(self, worker: Any) -> None:
        init_worker(self.shared, self.setup_call)

    def teardown(self, worker: Any) -> None:
        drop_shared(self.shared.key)


class DaskExecutor:
    """A Dask distributed cluster: a local one (``dask-local``) or an existing scheduler (``dask``)."""

    def __init__(
        self,
        shared: Shared,
        *,
        workers: int = 2,
        scheduler: str | None = None,
        setup: Callable[[], None] | None = None,
    ):
        self._cluster: LocalCluster | None = None
        self._client: Client | None = None
        self._stop = False
        self._token = uuid.uuid4().hex[:8]
        self._resources = contextlib.ExitStack()
        self._resources.enter_context(dask.config.set(CONFIG))
        try:
            self._start(shared, workers, scheduler, setup)
        except BaseException:
            self._resources.close()
            raise

    def _start(
        self, shared: Shared, workers: int, scheduler: str | None, setup: Callable[[], None] | None
    ) -> None:
        if scheduler is None:
            self.name = "dask-local"
            self._cluster = LocalCluster(
                n_workers=workers,
                threads_per_worker=1,
                processes=True,
                dashboard_address=None,
                scheduler_kwargs={"dashboard_address": ":0"},  # its /health server: any free port, not 8787
                silence_logs=40,
            )
            self._resources.callback(self._cluster.close)
            self._client = Client(self._cluster)
        else:
            self.name = "dask"
            try:
                self._client = Client(scheduler, timeout="20s")
            except OSError as exc:
                raise CsReportsError(f"cannot reach the Dask scheduler at {scheduler} ({exc})") from exc
        self._resources.callback(self._client.close)
        self.workers = max(1, len(self._client.scheduler_info().get("workers", {})) or workers)
        plugin = SharedState(shared, setup)
        self._client.register_plugin(plugin)
        if self._cluster is None:  # a shared cluster: free the masters and configs on its workers at the end
            self._resources.callback(self._client.unregister_worker_plugin, plugin.name)

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self._resources.close()  # in reverse: plugin, client, cluster, config

    def stop(self) -> None:
        """Submit nothing more; chunks already submitted finish and are yielded."""
        self._stop = True

    def stream(self, chunks: Iterable[Chunk], max_in_flight: int) -> Iterator[TaskResult]:
        client = self._client
        assert client is not None
        source = iter(chunks)
        queue = as_completed()
        in_flight = 0
        exhausted = False

        def submit() -> None:
            nonlocal exhausted, in_flight
            chunk = None if self._stop else next(source, None)
            if chunk is None:
                exhausted = True
                return
            key = f"qbr-{chunk.first_seq}-{self._token}"
            queue.add(client.submit(run_pickled_chunk, pickle_chunk(chunk), key=key, pure=False))
            in_flight += 1

        while not exhausted and in_flight < max_in_flight:
            submit()
        for future in queue:
            in_flight -= 1
            try:
                results = future.result()
            except Exception as exc:  # the task function catches render errors; this is the cluster
                raise ExecutorError(f"the Dask cluster lost a task ({type(exc).__name__}: {exc})") from exc
            future.release()
            del future
            while not exhausted and in_flight < max_in_flight:
                submit()
            yield from results
