"""Run a job: metrics once, plan, skip what is done, render in parallel, keep the manifest current.

Flow of :func:`run_job`:

1. the metrics are computed once (:func:`reports.pipeline.prepare_run`) and
   the job expanded into tasks (:func:`reports.batch.plan.make_plan`); any
   selection problem stops the run before a file is written;
2. stray ``.part`` files of an interrupted run are removed;
3. with ``resume``, a task is skipped when ``manifest.json`` records it as
   done with the same inputs hash and each of its files still exists with
   the recorded sha256 (a file without such an entry is never trusted);
4. single documents (leadership reports, NPS digest, weekly email) are
   rendered in this process; QBR tasks are streamed to the executor;
5. every failure is recorded with its error and traceback (exit code 3);
   ``fail_fast`` stops submitting after the first;
6. ``manifest.json`` is rewritten atomically every ``flush_every`` results or
   ``flush_seconds``, so a run killed at any point leaves a usable manifest.

Manifest statuses: ``ok`` rendered by this run, ``skipped`` reused from an
earlier run (file verified), ``failed``. ``run.batch`` holds the counts.
While a resumed run is in progress (or after it was interrupted), the
earlier run's entries it has not re-checked yet stay in the manifest, so
being killed twice loses no completed work.
Log lines are JSON objects on stderr (``{"event": ..., ...}``); the progress
bar (tqdm: count, rate, ETA) shows only when stderr is a terminal.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reports.batch.executors import make_executor
from reports.batch.job import LEADERSHIP_KINDS, Job
from reports.batch.plan import Plan, SingleTask, make_plan
from reports.batch.worker import QbrTask, TaskResult
from reports.manifest import MANIFEST_NAME, Manifest, ManifestEntry
from reports.output import sha256_file

_PART = re.compile(r"^\..+\.part(\.[A-Za-z0-9]+)?$")


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


@dataclass
class RunSummary:
    """What a run did; ``exit_code`` is 0, or 3 when any document failed."""

    total: int = 0
    rendered: int = 0
    reused: int = 0
    failed: int = 0
    seconds: float = 0.0
    manifest_path: Path | None = None
    failures: list[tuple[str | None, str]] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return 3 if self.failed else 0


class EventLog:
    """Structured log lines (one JSON object each) on ``stream``; routed around the progress bar."""

    def __init__(self, stream: IO[str] | None = None, write: Callable[[str], None] | None = None):
        self.stream = stream or sys.stderr
        self._write = write

    def __call__(self, event: str, **fields: Any) -> None:
        line = json.dumps({"event": event, **fields}, default=str, sort_keys=False)
        if self._write is not None:
            self._write(line)
        else:
            print(line, file=self.stream, flush=True)


def clean_partials(out_dir: Path) -> int:
    """Remove temporary ``.<name>.<random>.part`` files left by an interrupted run; returns how many."""
    removed = 0
    if not out_dir.is_dir():
        return 0
    stack = [out_dir]
    while stack:
        with os.scandir(stack.pop()) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    stack.append(Path(entry.path))
                elif entry.is_file(follow_symlinks=False) and _PART.match(entry.name):
                    Path(entry.path).unlink(missing_ok=True)
                    removed += 1
    return removed


def previous_entries(out_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """Entries of an existing ``manifest.json`` by inputs hash; empty if none or unreadable."""
    path = out_dir / MANIFEST_NAME
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    by_hash: dict[str, list[dict[str, Any]]] = {}
    for entry in payload.get("documents", []):
        if isinstance(entry, dict) and entry.get("inputs_hash"):
            by_hash.setdefault(entry["inputs_hash"], []).append(entry)
    return by_hash


def reusable(
    entries: list[dict[str, Any]] | None, out_dir: Path, expected: set[str] | None = None
) -> list[ManifestEntry] | None:
    """The entries to carry over when a task's earlier files are all intact, else None."""
    if not entries or any(e.get("status") not in ("ok", "skipped") for e in entries):
        return None
    if expected is not None and {e.get("path") for e in entries} != expected:
        return None
    carried = []
    for entry in entries:
        path = out_dir / str(entry.get("path"))
        if not entry.get("sha256") or not path.is_file() or sha256_file(path) != entry["sha256"]:
            return None
        carried.append(
            ManifestEntry(
                document=entry["document"],
                status="skipped",
                path=entry["path"],
                account_id=entry.get("account_id"),
                sha256=entry["sha256"],
                inputs_hash=entry["inputs_hash"],
            )
        )
    return carried


def render_single(
    task: SingleTask, run: Any, out_dir: Path, templates_dir: Path | None
) -> list[ManifestEntry]:
    """Render one portfolio-wide document in this process; failures become failed entries."""
    spec = task.spec
    scratch = Manifest(out_dir)
    folder = out_dir / spec.folder if spec.folder else out_dir
    template_dirs = (templates_dir,) if templates_dir else ()
    started = time.perf_counter()
    try:
        if spec.kind in LEADERSHIP_KINDS:
            from reports.leadership.output import write_document

            write_document(
                spec.kind,
                run,
                folder,
                scratch,
                locale=spec.locale,
                page_size=spec.page_size,
                template_dirs=template_dirs,
            )
        elif spec.kind == "nps-digest":
            from reports.nps_digest.output import write_nps_digest

            for file_format in spec.formats:
                write_nps_digest(
                    run,
                    out_dir,
                    scratch,
                    segment=spec.segment,
                    locale=spec.locale,
                    file_format=file_format,
                    page_size=spec.page_size,
                    template_dirs=template_dirs,
                    prefix=f"{spec.folder}/" if spec.folder else "",
                )
        elif spec.kind == "weekly-email":
            _weekly_email(spec, run, folder, scratch, template_dirs)
        else:  # pragma: no cover - the job parser allows only known kinds
            raise ValueError(f"not a single document: {spec.kind}")
    except Exception as exc:  # one document must not stop the others
        scratch.add_failure(spec.kind, f"{type(exc).__name__}: {exc}", traceback=traceback.format_exc())
    duration = round(time.perf_counter() - started, 3)
    for entry in scratch.entries:
        entry.inputs_hash = task.inputs_hash
        if entry.duration_s is None:
            entry.duration_s = duration
    return scratch.entries


def _weekly_email(spec: Any, run: Any, folder: Path, manifest: Manifest, template_dirs: tuple) -> None:
    from cs_calc.weekly import IsoWeek, last_week_with_data
    from reports.commands.weekly_email import PLACEHOLDER_SENDER, build_email, write_email_files
    from reports.email.config import check_address, load_email_config
    from reports.email.context import run_for_week
    from reports.errors import CsReportsError

    week = IsoWeek.parse(spec.week) if spec.week else last_week_with_data(run.dataset.tables)
    if week is None:
        raise CsReportsError("no complete week in the data")
    config = load_email_config(run.settings.config_dirs.user_dir)
    sender = os.environ.get("CSREPORTS_MAIL_FROM", "").strip()
    week_run = run_for_week(run, week)
    _ctx, rendered, msg = build_email(
        week_run,
        week,
        config=config,
        notes_path=spec.notes,
        template_dirs=list(template_dirs),
        recipients=list(config.recipients),
        sender=check_address(sender, "CSREPORTS_MAIL_FROM") if sender else PLACEHOLDER_SENDER,
    )
    write_email_files(folder, week, rendered, msg, manifest, run.dataset.input_hash)


class _Progress:
    """tqdm bar on a terminal; otherwise a ``progress`` log line every 10 seconds."""

    def __init__(self, total: int, enabled: bool, log: EventLog):
        self.total, self.done, self.log = total, 0, log
        self.started = self._last = time.monotonic()
        self.bar = None
        if enabled:
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="doc", file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
            log._write = lambda line: self.bar.write(line, file=sys.stderr)  # type: ignore[union-attr]

    def update(self, n: int = 1) -> None:
        self.done += n
        if self.bar is not None:
            self.bar.update(n)
            return
        now = time.monotonic()
        if now - self._last >= 10:
            self._last = now
            rate = self.done / max(now - self.started, 1e-9)
            eta = (self.total - self.done) / rate if rate else None
            self.log(
                "progress",
                done=self.done,
                total=self.total,
                rate_per_s=round(rate, 2),
                eta_s=None if eta is None else round(eta),
            )

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.log._write = None


class _Recorder:
    """Entries by plan position, counts, and the throttled atomic manifest rewrite."""

    def __init__(
        self,
        manifest: Manifest,
        summary: RunSummary,
        options: RunOptions,
        previous: dict[str, list[dict[str, Any]]] | None = None,
    ):
        self.manifest, self.summary, self.options = manifest, summary, options
        self.by_seq: dict[int, list[ManifestEntry]] = {}
        self.carry = dict(previous or {})
        """Earlier entries not yet re-checked: kept in interim manifests so a second kill loses nothing."""
        self._since, self._last = 0, time.monotonic()

    def add(self, seq: int, entries: list[ManifestEntry], *, reused: bool) -> None:
        self.by_seq[seq] = entries
        for entry in entries:
            self.carry.pop(entry.inputs_hash or "", None)
        if any(e.status == "failed" for e in entries):
            self.summary.failed += 1
            for e in entries:
                if e.status == "failed":
                    self.summary.failures.append((e.account_id, f"{e.document}: {e.error}"))
        elif reused:
            self.summary.reused += 1
        else:
            self.summary.rendered += 1
        self._since += 1
        now = time.monotonic()
        if self._since >= self.options.flush_every or now - self._last >= self.options.flush_seconds:
            self.write("running")

    def write(self, status: str) -> Path:
        self.manifest.entries = [e for seq in sorted(self.by_seq) for e in self.by_seq[seq]]
        if status in ("running", "interrupted"):
            fields = set(ManifestEntry.__dataclass_fields__)
            self.manifest.entries += [
                ManifestEntry(**{k: v for k, v in e.items() if k in fields})
                for entries in self.carry.values()
                for e in entries
                if e.get("status") in ("ok", "skipped")
            ]
        s = self.summary
        self.manifest.run["batch"] = {
            "status": status,
            "planned": s.total,
            "rendered": s.rendered,
            "reused": s.reused,
            "failed": s.failed,
        }
        self._since, self._last = 0, time.monotonic()
        return self.manifest.write()


def _qbr_entries(account_id: str, result: TaskResult, inputs_hash: str) -> list[ManifestEntry]:
    entries = [
        ManifestEntry(
            document=document,
            status="ok",
            path=path,
            account_id=account_id,
            sha256=sha,
            duration_s=round(result.duration_s, 3),
            inputs_hash=inputs_hash,
        )
        for document, path, sha in result.files
    ]
    if result.error is not None:
        entries.append(
            ManifestEntry(
                document="qbr",
                status="failed",
                account_id=account_id,
                duration_s=round(result.duration_s, 3),
                error=result.error,
                traceback=result.traceback,
                inputs_hash=inputs_hash,
            )
        )
    return entries


def execute_plan(plan: Plan, options: RunOptions, *, log: EventLog | None = None) -> RunSummary:
    """Run every task of ``plan`` into ``plan.out_dir``; see the module docstring."""
    from reports.batch.executors import default_workers

    log = log or EventLog()
    out_dir = plan.out_dir
    out_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    summary = RunSummary(total=plan.total)
    removed = clean_partials(out_dir)
    previous = previous_entries(out_dir) if options.resume else {}
    workers = options.workers or default_workers()
    run = plan.run
    manifest = Manifest(
        out_dir,
        run=run.provenance
        | {
            "command": "run",
            "job": str(plan.job.path),
            "executor": options.executor,
            "workers": workers,
        },
    )
    recorder = _Recorder(manifest, summary, options, previous)
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
    enabled = sys.stderr.isatty() if options.progress is None else options.progress
    progress = _Progress(plan.total, enabled, log)
    status = "interrupted"
    try:
        recorder.write("running")
        for task in plan.singles:
            carried = reusable(previous.get(task.inputs_hash), out_dir)
            entries = carried or render_single(task, run, out_dir, plan.templates_dir)
            recorder.add(task.seq, entries, reused=carried is not None)
            _log_failures(log, entries)
            progress.update()
            if options.fail_fast and summary.failed:
                break
        if not (options.fail_fast and summary.failed) and plan.qbr_rows:
            _run_qbrs(plan, options, workers, previous, recorder, progress, log)
        status = "failed" if summary.failed else "complete"
    finally:
        progress.close()
        summary.seconds = time.perf_counter() - started
        summary.manifest_path = recorder.write(status)
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


def _log_failures(log: EventLog, entries: list[ManifestEntry]) -> None:
    for entry in entries:
        if entry.status == "failed":
            log("failed", document=entry.document, account_id=entry.account_id, error=entry.error)


def _run_qbrs(
    plan: Plan,
    options: RunOptions,
    workers: int,
    previous: dict[str, list[dict[str, Any]]],
    recorder: _Recorder,
    progress: _Progress,
    log: EventLog,
) -> None:
    summary = recorder.summary
    hashes: dict[int, tuple[str, str]] = {}

    def to_submit() -> Iterator[QbrTask]:
        for task in plan.qbr_tasks():
            if previous:
                expected = {path for _doc, path in task.outputs}
                carried = reusable(previous.get(task.inputs_hash), plan.out_dir, expected)
                if carried is not None:
                    recorder.add(task.seq, carried, reused=True)
                    progress.update()
                    continue
            hashes[task.seq] = (task.account_id, task.inputs_hash)
            yield task

    with make_executor(
        options.executor, workers=workers, templates=plan.templates, scheduler=options.scheduler
    ) as executor:
        for result in executor.stream(to_submit(), max_in_flight=max(4, 4 * workers)):
            account_id, task_hash = hashes.pop(result.seq)
            entries = _qbr_entries(account_id, result, task_hash)
            recorder.add(result.seq, entries, reused=False)
            _log_failures(log, entries)
            progress.update()
            if options.fail_fast and summary.failed:
                executor.stop()


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
