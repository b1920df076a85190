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
from typing import TYPE_CHECKING, Any, cast

from reports.batch.journal import record_done
from reports.batch.lifeline import exit_with
from reports.batch.plan import SingleTask
from reports.documents.kinds import document_kind
from reports.errors import failure_line
from reports.output.manifest import Manifest, ManifestEntry, entry_dict

if TYPE_CHECKING:
    from reports.pipeline import RunContext

Finished = tuple[int, list[ManifestEntry]]
"""A single document's plan position and its manifest entries."""


def render_single(
    task: SingleTask, run: RunContext, out_dir: Path, templates_dir: Path | None
) -> list[ManifestEntry]:
    """Render one portfolio-wide document by its kind's renderer; failures become failed entries."""
    spec = task.spec
    scratch = Manifest(out_dir)
    template_dirs = (templates_dir,) if templates_dir else ()
    started = time.perf_counter()
    try:
        document_kind(spec.kind).render_single(spec, run, out_dir, scratch, template_dirs)
    except Exception as exc:  # one document must not stop the others
        scratch.add_failure(spec.kind, failure_line(exc), traceback=traceback.format_exc())
    duration = round(time.perf_counter() - started, 3)
    for entry in scratch.entries:
        entry.inputs_hash = task.inputs_hash
        if entry.duration_s is None:
            entry.duration_s = duration
    if all(entry.status == "ok" for entry in scratch.entries):
        record_done(out_dir, [entry_dict(entry) for entry in scratch.entries])
    return scratch.entries


def can_fork() -> bool:
    """Whether documents can render in forked processes (Linux; macOS and Windows render inline)."""
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _child(
    tasks: Sequence[SingleTask], run: RunContext, out_dir: Path, templates_dir: Path | None, conn: Any
) -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C: the run stops this process itself
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    exit_with(os.getppid())  # a killed run takes this process with it
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
        run: RunContext,
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
        run: RunContext,
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
        for ready in wait(list(self._procs), timeout):
            conn = cast(Connection, ready)
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
