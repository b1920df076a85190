"""What a batch worker runs: one QBR task in, a small :class:`TaskResult` out.

A :class:`QbrTask` carries everything its deck needs (the account's
:class:`~reports.qbr.context.AccountData` slice, the QBR config, the options
and the output paths), so a worker needs no access to the data. The worker
writes each file itself, atomically (temporary ``.part`` name in the same
folder, then rename), and sends back only paths, sha256 digests and the
duration, never the file bytes. A failure is caught here and returned with
its traceback, so one bad account never stops the others.

This module is preloaded into the forkserver, so every worker process starts
with pandas and python-pptx imported and keeps its template cache warm.
"""

from __future__ import annotations

import hashlib
import time
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.output import path_inside, write_bytes_atomic

_TEMPLATES: dict[str, bytes] = {}
"""PPTX masters by sha256, set once per worker process by :func:`init_worker`."""


@dataclass(frozen=True)
class QbrTask:
    """One account's QBR files: the data slice, options and where each file goes."""

    seq: int
    """Position in the plan; the manifest is ordered by it."""
    account_id: str
    data: Any
    """The account's :class:`reports.qbr.context.AccountData`."""
    config: Any
    """The :class:`reports.qbr.config.QbrConfig` in force."""
    audience: str
    locale: str
    template_sha: str
    """sha256 of the PPTX master; the bytes travel once per worker, not per task."""
    templates_dir: str | None
    out_dir: str
    outputs: tuple[tuple[str, str], ...]
    """``(document, path relative to out_dir)``: ``qbr-pptx``, ``qbr-pdf``, ``qbr-follow-up``."""
    inputs_hash: str


@dataclass(frozen=True)
class TaskResult:
    """What comes back from a worker: small, whatever the deck size."""

    seq: int
    files: tuple[tuple[str, str, str], ...]
    """``(document, relative path, sha256)`` of every file written."""
    duration_s: float
    error: str | None = None
    traceback: str | None = None


def init_worker(templates: Mapping[str, bytes]) -> None:
    """Process-pool initializer: keep the PPTX masters for every task this process runs."""
    _TEMPLATES.update(templates)


def _render(task: QbrTask, document: str, context: Any, templates: Mapping[str, bytes]) -> bytes:
    if document == "qbr-pptx":
        from reports.qbr.render_pptx import render_qbr_pptx

        return render_qbr_pptx(context, templates[task.template_sha])
    if document == "qbr-pdf":
        from reports.qbr.leave_behind import render_leave_behind

        folder = Path(task.templates_dir) if task.templates_dir else None
        return render_leave_behind(context, templates_dir=folder)
    if document == "qbr-follow-up":
        from reports.qbr.followup import render_followup

        return render_followup(context)
    raise ValueError(f"unknown QBR output {document!r}")


def run_qbr_task(task: QbrTask, templates: Mapping[str, bytes] | None = None) -> TaskResult:
    """Render and write the files of ``task``; never raises for a bad account."""
    from reports.qbr.context import build_qbr_context

    started = time.perf_counter()
    files: list[tuple[str, str, str]] = []
    try:
        context = build_qbr_context(task.data, audience=task.audience, locale=task.locale, config=task.config)
        for document, relative in task.outputs:
            data = _render(task, document, context, templates if templates is not None else _TEMPLATES)
            write_bytes_atomic(path_inside(Path(task.out_dir), relative), data)
            files.append((document, relative, hashlib.sha256(data).hexdigest()))
    except Exception as exc:  # one bad account must not stop the batch
        return TaskResult(
            seq=task.seq,
            files=tuple(files),
            duration_s=time.perf_counter() - started,
            error=f"{type(exc).__name__}: {exc}",
            traceback=traceback.format_exc(),
        )
    return TaskResult(seq=task.seq, files=tuple(files), duration_s=time.perf_counter() - started)
