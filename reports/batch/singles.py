"""Portfolio-wide documents of a run (leadership reports, NPS digest, weekly email).

They need the whole run's data and metrics, which only the process that ran
``csreports run`` holds. :class:`SinglesRunner` renders them while the QBR
workers render decks: in processes forked from the run (they share its
memory copy-on-write, so nothing is pickled or computed again), one when QBR
tasks run alongside, otherwise up to one per worker. Where ``fork`` is
missing they are rendered in this process before the QBRs.

Each document is isolated: an exception becomes a ``failed`` entry with its
traceback, and a process that dies marks its unfinished documents failed.
Entries are returned to the run by plan position, so the manifest is the
same whichever way they were rendered.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import sys
import time
import traceback
from collections.abc import Sequence
from multiprocessing.connection import Connection, wait
from pathlib import Path
from typing import Any

from reports.batch.job import LEADERSHIP_KINDS
from reports.batch.plan import SingleTask
from reports.manifest import Manifest, ManifestEntry

Finished = tuple[int, list[ManifestEntry]]
"""A single document's plan position and its manifest entries."""


def render_single(
    task: SingleTask, run: Any, out_dir: Path, templates_dir: Path | None
) -> list[ManifestEntry]:
    """Render one portfolio-wide document; failures become failed entries."""
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


def can_fork() -> bool:
    """Whether documents can render in forked processes (Linux; macOS and Windows render inline)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(
    tasks: Sequence[SingleTask], run: Any, out_dir: Path, templates_dir: Path | None, conn: Any
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops this process itself
    for task in tasks:
        conn.send((task.seq, render_single(task, run, out_dir, templates_dir)))
    conn.close()


def _died(task: SingleTask, code: int | None) -> list[ManifestEntry]:
    return [
        ManifestEntry(
            document=task.document,
            status="failed",
            error=f"the process rendering it died (exit code {code})",
            inputs_hash=task.inputs_hash,
        )
    ]


class SinglesRunner:
    """Renders single documents in forked processes while the caller does other work."""

    def __init__(
        self,
        tasks: Sequence[SingleTask],
        run: Any,
        out_dir: Path,
        templates_dir: Path | None,
        *,
        processes: int = 1,
    ):
        self.tasks = {task.seq: task for task in tasks}
        self._procs: dict[Connection, tuple[Any, list[int]]] = {}
        """Per child: the process and the positions it has not reported done yet."""
        context = multiprocessing.get_context("fork")
        count = max(1, min(processes, len(tasks)))
        gc.freeze()  # the children's collections then skip (and do not copy) the run's objects
        try:
            self._fork(context, tasks, count, run, out_dir, templates_dir)
        finally:
            gc.unfreeze()

    def _fork(
        self,
        context: Any,
        tasks: Sequence[SingleTask],
        count: int,
        run: Any,
        out_dir: Path,
        templates_dir: Path | None,
    ) -> None:
        for i in range(count):
            mine = list(tasks)[i::count]
            receive, send = context.Pipe(duplex=False)
            proc = context.Process(
                target=_child,
                args=(mine, run, out_dir, templates_dir, send),
                name=f"csreports-singles-{i}",
                daemon=True,
            )
            proc.start()
            send.close()
            self._procs[receive] = (proc, [t.seq for t in mine])

    @property
    def busy(self) -> bool:
        return bool(self._procs)

    def poll(self, timeout: float | None = 0) -> list[Finished]:
        """Documents finished since the last call; waits up to ``timeout`` seconds (None: for one)."""
        finished: list[Finished] = []
        if not self._procs:
            return finished
        for conn in wait(list(self._procs), timeout):
            proc, left = self._procs[conn]
            try:
                while True:
                    seq, entries = conn.recv()
                    left.remove(seq)
                    finished.append((seq, entries))
                    if not conn.poll():
                        break
            except EOFError:  # the child ended: normally after its last document
                proc.join()
                finished += [(seq, _died(self.tasks[seq], proc.exitcode)) for seq in left]
                conn.close()
                del self._procs[conn]
        return finished

    def finish(self) -> list[Finished]:
        """Wait for every remaining document."""
        finished: list[Finished] = []
        while self._procs:
            finished += self.poll(None)
        return finished

    def stop(self) -> None:
        """End the children now (``--fail-fast``, interruption); unfinished documents are not recorded."""
        for conn, (proc, _left) in list(self._procs.items()):
            proc.terminate()
            proc.join()
            conn.close()
        self._procs.clear()
