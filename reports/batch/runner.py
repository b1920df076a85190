"""Run a job: metrics once, plan, skip what is done, render in parallel, keep the manifest current.

Flow of :func:`run_job`:

1. the metrics are computed once (:func:`reports.pipeline.prepare_run`) and
   the job expanded into tasks (:func:`reports.batch.plan.make_plan`); any
   selection problem stops the run before a file is written;
2. stray ``.part`` files of an interrupted run are removed;
3. with ``resume``, a document is reused when ``manifest.json`` records it
   as done with the same inputs hash and each of its files still exists with
   the recorded sha256 (a file without such an entry is never trusted); QBR
   workers make this check themselves, as they compute the inputs hash;
4. single documents (leadership reports, NPS digest, weekly email) render in
   processes forked from this one (:mod:`reports.batch.singles`) while QBR
   tasks stream, in chunks, to the executor; this process only cuts each
   account's slice and keeps the books;
5. every failure is recorded with its error and traceback (exit code 3);
   ``fail_fast`` stops submitting after the first;
6. ``manifest.json`` is rewritten atomically every ``flush_every`` results or
   ``flush_seconds`` (:class:`reports.batch.record.Recorder`), so a run
   killed at any point leaves a usable manifest; each document is also
   journalled the moment its files are written (:mod:`reports.batch.journal`),
   so ``--resume`` after a kill redoes only the documents that were being
   rendered at that moment.

Manifest statuses: ``ok`` rendered by this run, ``skipped`` reused from an
earlier run (file verified), ``failed``. ``run.batch`` holds the counts.
While a resumed run is in progress (or after it was interrupted), the
earlier run's entries it has not re-checked yet stay in the manifest, so
being killed twice loses no completed work.
Log lines are JSON objects on stderr (``{"event": ..., ...}``); the progress
bar (tqdm: count, rate, ETA) shows only when stderr is a terminal.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.batch import journal
from reports.batch.executors import default_workers, make_executor
from reports.batch.job import Job
from reports.batch.plan import Plan, SingleTask, make_plan
from reports.batch.record import EventLog, Progress, Recorder, RunSummary
from reports.batch.resume import clean_partials, previous_documents, reusable
from reports.batch.singles import SinglesRunner, can_fork, render_single
from reports.batch.worker import TaskResult, manifest_entries
from reports.output.manifest import ManifestEntry

__all__ = ["EventLog", "RunOptions", "RunSummary", "clean_partials", "execute_plan", "reusable", "run_job"]


@dataclass
class RunOptions:
    """How to execute: executor, workers, resume, fail-fast, manifest flushing."""

    executor: str = "local"
    workers: int | None = None
    scheduler: str | None = None
    resume: bool = False
    fail_fast: bool = False
    flush_every: int = 50
    flush_seconds: float = 2.0
    progress: bool | None = None
    """None: a progress bar only when stderr is a terminal."""
    chunk_size: int | None = None
    """QBR tasks per round trip to a worker; None: :func:`chunk_sizes` decides (1 with ``fail_fast``)."""
    singles_forked: bool | None = None
    """Render single documents in forked processes alongside the QBRs; None: where fork exists."""
    worker_setup: Callable[[], None] | None = None
    """Called once in each QBR worker process before its first task (benchmarks, tests)."""


MAX_CHUNK = 32
"""QBR tasks per chunk at most: enough that the per-chunk costs (slicing and pickling the
accounts' frames, a round trip, a manifest update) are under a tenth of the per-deck ones."""


def chunk_sizes(options: RunOptions, tasks: int, workers: int) -> Iterator[int]:
    """Sizes of the successive QBR chunks of a run of ``tasks`` tasks (guided self-scheduling).

    Each chunk takes a quarter of each worker's share of the tasks not yet
    handed out, between 1 and :data:`MAX_CHUNK`: large chunks while much is
    left, so round trips stay rare, then smaller ones, so the workers finish
    within a deck or two of each other instead of one waiting out the
    other's last big chunk. ``options.chunk_size`` fixes the size; ``fail_fast``
    sends one task at a time, so nothing runs past the first failure.

    >>> sizes = list(chunk_sizes(RunOptions(), 1_000, 2))
    >>> sizes[:3], sizes[-20:-14], sum(sizes)
    ([32, 32, 32], [3, 3, 2, 2, 2, 1], 1000)
    >>> list(chunk_sizes(RunOptions(), 40, 2))
    [5, 4, 3, 3, 3, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
    >>> list(chunk_sizes(RunOptions(chunk_size=8), 20, 2)), list(chunk_sizes(RunOptions(fail_fast=True), 3, 2))
    ([8, 8, 4], [1, 1, 1])
    """
    fixed = options.chunk_size or (1 if options.fail_fast else None)
    left = tasks
    while left > 0:
        size = fixed or max(1, min(MAX_CHUNK, left // (4 * workers)))
        size = min(size, left)
        left -= size
        yield size


class _Books:
    """The recorder, progress and log of a run, fed by QBR results and single documents alike."""

    def __init__(self, plan: Plan, recorder: Recorder, progress: Progress, log: EventLog):
        self.plan, self.recorder, self.progress, self.log = plan, recorder, progress, log
        self.singles = {task.seq: task for task in plan.singles}

    def single(self, seq: int, entries: list[ManifestEntry], *, reused: bool = False) -> None:
        self.recorder.add(seq, entries, reused=reused, inputs_hash=self.singles[seq].inputs_hash)
        self.log.failures(entries)
        self.progress.update()

    def qbr(self, result: TaskResult) -> None:
        row = self.plan.qbr_row(result.seq)
        entries = manifest_entries(row.account_id, result)
        paths = [path for _doc, path in row.outputs]
        self.recorder.add(result.seq, entries, reused=result.reused, paths=paths)
        self.log.failures(entries)
        self.progress.update()

    @property
    def failed(self) -> bool:
        return self.recorder.summary.failed > 0


def _pending_singles(plan: Plan, previous: list[dict[str, Any]]) -> tuple[list[SingleTask], list[Any]]:
    """Singles to render, and ``(seq, entries)`` of those reused from the earlier manifest."""
    by_hash: dict[str, list[dict[str, Any]]] = {}
    for entry in previous:
        by_hash.setdefault(entry["inputs_hash"], []).append(entry)
    pending, reused = [], []
    for task in plan.singles:
        carried = reusable(by_hash.get(task.inputs_hash), plan.out_dir)
        if carried is None:
            pending.append(task)
        else:
            reused.append((task.seq, carried))
    return pending, reused


def execute_plan(plan: Plan, options: RunOptions, *, log: EventLog | None = None) -> RunSummary:
    """Run every task of ``plan`` into ``plan.out_dir``; see the module docstring."""
    log = log or EventLog()
    out_dir = plan.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = RunSummary(total=plan.total)
    removed = clean_partials(out_dir)
    if not options.resume:
        journal.clear(out_dir)
    previous = previous_documents(out_dir) if options.resume else []
    workers = options.workers or default_workers()
    run = plan.run
    info = run.provenance | {
        "command": "run",
        "job": str(plan.job.path),
        "executor": options.executor,
        "workers": workers,
    }
    recorder = Recorder(
        out_dir,
        info,
        summary,
        flush_every=options.flush_every,
        flush_seconds=options.flush_seconds,
        previous=previous,
    )
    log(
        "start",
        job=str(plan.job.path),
        out=str(out_dir),
        period=run.window.label,
        tasks=plan.total,
        qbr=len(plan.qbr_rows),
        executor=options.executor,
        workers=workers,
        resume=options.resume,
        removed_partials=removed,
    )
    pending, reused = _pending_singles(plan, previous)
    fork = can_fork() if options.singles_forked is None else options.singles_forked
    enabled = sys.stderr.isatty() if options.progress is None else options.progress
    singles: SinglesRunner | None = None
    books: _Books | None = None
    status = "interrupted"
    try:
        if pending and fork and (plan.qbr_rows or len(pending) > 1):  # fork first: no threads yet
            processes = 1 if plan.qbr_rows else workers
            singles = SinglesRunner(pending, run, out_dir, plan.templates_dir, processes=processes)
        books = _Books(plan, recorder, Progress(plan.total, enabled, log), log)
        recorder.write("running")
        for seq, entries in reused:
            books.single(seq, entries, reused=True)
        if singles is None:
            for task in pending:
                books.single(task.seq, render_single(task, run, out_dir, plan.templates_dir))
                if options.fail_fast and books.failed:
                    break
        if not (options.fail_fast and books.failed) and plan.qbr_rows:
            _run_qbrs(plan, options, workers, previous, books, singles)
        if singles is not None:
            if options.fail_fast and books.failed:
                singles.stop()
            for seq, entries in singles.finish():
                books.single(seq, entries)
        status = "failed" if summary.failed else "complete"
    finally:
        if singles is not None:
            singles.stop()
        if books is not None:
            books.progress.close()
        summary.seconds = time.perf_counter() - started
        summary.manifest_path = recorder.write(status)
        if status != "interrupted":  # every entry is in manifest.json now
            journal.clear(out_dir)
        log(
            "end",
            status=status,
            planned=summary.total,
            rendered=summary.rendered,
            reused=summary.reused,
            failed=summary.failed,
            seconds=round(summary.seconds, 2),
            manifest=str(summary.manifest_path),
        )
    return summary


def _run_qbrs(
    plan: Plan,
    options: RunOptions,
    workers: int,
    previous: list[dict[str, Any]],
    books: _Books,
    singles: SinglesRunner | None,
) -> None:
    by_path = {str(e["path"]): e for e in previous if e.get("path") and e.get("status") in ("ok", "skipped")}
    with make_executor(
        options.executor,
        workers=workers,
        shared=plan.shared,
        scheduler=options.scheduler,
        setup=options.worker_setup,
    ) as executor:
        # executor.workers: with --executor dask, the cluster's workers
        sizes = chunk_sizes(options, len(plan.qbr_rows), executor.workers)
        chunks = plan.qbr_chunks(sizes, by_path)
        stopped = False
        for result in executor.stream(chunks, max_in_flight=2 * executor.workers):
            books.qbr(result)
            if singles is not None and singles.busy:
                for seq, entries in singles.poll():
                    books.single(seq, entries)
            if stopped:
                continue
            if result.stops_run:  # the output folder is full or read-only: the rest would fail alike
                books.log("stopped", reason=result.error)
            if result.stops_run or (options.fail_fast and books.failed):
                stopped = True
                executor.stop()
                if singles is not None:
                    singles.stop()


def run_job(
    job: Job,
    options: RunOptions,
    *,
    data: str | None = None,
    out_dir: Path,
    config_dir: Path | None = None,
    templates_dir: Path | None = None,
    log: EventLog | None = None,
) -> RunSummary:
    """Compute the metrics once, plan ``job`` and execute it (``data`` None: the bundled sample)."""
    from reports.pipeline import prepare_run

    log = log or EventLog()
    started = time.perf_counter()
    run = prepare_run(data, config_dir=config_dir, quarter=job.period)
    log(
        "metrics",
        period=run.window.label,
        source=run.dataset.source,
        seconds=round(time.perf_counter() - started, 2),
    )
    plan = make_plan(job, run, out_dir, templates_dir=templates_dir)
    return execute_plan(plan, options, log=log)
