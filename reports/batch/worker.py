"""What a batch worker runs: QBR tasks in, small :class:`TaskResult` objects out.

A :class:`QbrTask` carries its account's :class:`~reports.documents.qbr.context.AccountData`
slice, its output paths and, on ``--resume``, the earlier manifest's entries
for those paths. Everything shared by the tasks of a run (PPTX masters, QBR
config and options per job entry, the output folder) travels once per worker
as :class:`Shared`, installed by :func:`init_worker`; a task names it by
``Shared.key``.

For each task the worker hashes the slice (the deck's provenance shows the
first 12 digits; a chunk's frames are read once for all its accounts, see
:mod:`reports.batch.slice_hash`) and the task's inputs; when the earlier entries record the
same inputs hash and every file still has its recorded sha256, nothing is
rendered (``reused``). Otherwise it builds the context, renders, and writes
each file atomically (temporary ``.part`` name in the same folder, then
rename), sending back only paths, sha256 digests, durations and the figures
each file prints (as compact rows, :data:`FigureRow`). A failure
is caught and returned with its traceback, so one bad account never stops
the others. Tasks travel in small chunks (:class:`QbrChunk`, run by
:func:`run_qbr_chunk`) to save round trips; a chunk carries its accounts'
data packed as one frame per table, which pickles and unpickles several
times faster than a frame per account.

This module is preloaded into the forkserver, so every worker process starts
with pandas and python-pptx imported.
"""

from __future__ import annotations

import dataclasses
import hashlib
import pickle
import time
import traceback
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports import __version__
from reports.batch.hashing import inputs_hash
from reports.batch.journal import record_done
from reports.batch.lifeline import committing, exit_with
from reports.batch.resume import reusable
from reports.batch.slice_hash import SliceHashes, account_slice_hash
from reports.errors import OutputError, failure_line
from reports.output.files import path_inside, write_bytes_atomic
from reports.output.manifest import ManifestEntry, entry_dict


@dataclass(frozen=True)
class QbrOptions:
    """One ``qbr`` entry of the job: what every task of that entry shares."""

    config: Any
    """The :class:`reports.documents.qbr.config.QbrConfig` in force."""
    audience: str
    locale: str
    update_from: str | None = None
    """Folder of the earlier decks to update, the same relative path as each deck; None: fresh decks."""


@dataclass(frozen=True)
class Shared:
    """What every task of a run needs; sent to each worker once."""

    key: str
    """Names this run's shared state in a worker (several runs may share a Dask cluster)."""
    out_dir: str
    templates_dir: str | None
    templates: Mapping[str, bytes]
    """PPTX masters by sha256."""
    options: Mapping[int, QbrOptions]
    """By the job entry's index in ``documents``."""
    templates_hash: str
    """Hash of the bundled and user templates (a QBR input)."""
    run_pid: int | None = None
    """The run's process on this machine: a worker ends when it does (None: a remote cluster)."""


@dataclass(frozen=True)
class QbrTask:
    """One account's QBR files: its data slice, job entry, master and output paths."""

    seq: int
    """Position in the plan; the manifest is ordered by it."""
    account_id: str
    spec_index: int
    template_sha: str
    outputs: tuple[tuple[str, str], ...]
    """``(document, path relative to out_dir)``: ``qbr-pptx``, ``qbr-pdf``, ``qbr-follow-up``."""
    data: Any
    """The account's :class:`reports.documents.qbr.context.AccountData` (None in a :class:`QbrChunk`'s ``heads``)."""
    shared_key: str
    previous: tuple[dict[str, Any], ...] = ()
    """``--resume``: the earlier manifest's entries for ``outputs``; reused when still valid."""


@dataclass(frozen=True)
class QbrChunk:
    """Consecutive QBR tasks travelling together, with their accounts' data packed."""

    heads: tuple[QbrTask, ...]
    """The tasks, each without its ``data``."""
    data: Any
    """:class:`reports.documents.qbr.account_data.AccountSlices` of the tasks' accounts, in the same order."""

    def __len__(self) -> int:
        return len(self.heads)

    @property
    def first_seq(self) -> int:
        return self.heads[0].seq

    def task(self, i: int) -> QbrTask:
        """The ``i``-th task with its own account's data unpacked."""
        return dataclasses.replace(self.heads[i], data=self.data.account_data(i))


FigureRow = tuple[str, str, str, str, Any, str]
"""A printed figure, compact for the trip back: ``(id, period, dimension, group, value, shown)``;
the account is the task's."""

_ROW_KEYS = ("id", "period", "dimension", "group", "value", "shown")


def figure_rows(figures: Any) -> tuple[FigureRow, ...]:
    """Compact rows of :class:`reports.output.figures.Figure` objects, each key once (the first)."""
    from reports.output.figures import figure_records

    return tuple(tuple(r[k] for k in _ROW_KEYS) for r in figure_records(figures))


def rows_of_records(records: Any) -> tuple[FigureRow, ...]:
    """Compact rows of manifest ``figures`` records (an earlier run's, on ``--resume``)."""
    return tuple(tuple(r.get(k) for k in _ROW_KEYS) for r in records or ())


@dataclass(frozen=True)
class TaskResult:
    """What comes back from a worker: small, whatever the deck size."""

    seq: int
    inputs_hash: str | None
    files: tuple[tuple[str, str, str], ...]
    """``(document, relative path, sha256)`` of every file written (or reused)."""
    duration_s: float
    reused: bool = False
    error: str | None = None
    traceback: str | None = None
    figures: tuple[tuple[FigureRow, ...] | None, ...] = ()
    """Per entry of ``files``: the figures that file prints (None: not recorded)."""
    updates: tuple[dict[str, Any] | None, ...] = ()
    """Per entry of ``files``: a deck updated from an earlier one, the manifest's ``update`` record."""
    stops_run: bool = False
    """The output folder cannot take more files (full, read-only): the run stops submitting."""
    about: Mapping[str, str] | None = None
    """What the manifest says of the account (:func:`reports.documents.qbr.run.account_about`)."""

    def figure_records(self, i: int, account_id: str) -> list[dict[str, Any]] | None:
        """The manifest ``figures`` of the ``i``-th file (records of :func:`reports.output.figures.figure_records`)."""
        rows = self.figures[i] if i < len(self.figures) else None
        if rows is None:
            return None
        return [dict(zip(_ROW_KEYS, row, strict=True)) | {"account_id": account_id} for row in rows]


@dataclass
class _WorkerState:
    shared: dict[str, Shared] = field(default_factory=dict)


_STATE = _WorkerState()


def init_worker(shared: Shared, setup: Callable[[], None] | None = None) -> None:
    """Install a run's shared state in this worker process (pool initializer / Dask plugin)."""
    _STATE.shared[shared.key] = shared
    exit_with(shared.run_pid)
    if setup is not None:
        setup()


def drop_shared(key: str) -> None:
    """Forget a run's shared state (Dask plugin teardown)."""
    _STATE.shared.pop(key, None)


def task_hashes(task: QbrTask, shared: Shared, slice_hash: str | None = None) -> tuple[str, str]:
    """``(slice hash, task inputs hash)``: the slice without its provenance hash, then every input.

    The task hash covers the slice hash, the PPTX master's digest, the QBR
    config, audience, locale, output paths, the templates and the csreports
    version. ``slice_hash``: the slice's hash when already known
    (:class:`~reports.batch.slice_hash.SliceHashes`).
    """
    if slice_hash is None:
        slice_hash = account_slice_hash(task.data)
    options = shared.options[task.spec_index]
    task_hash = inputs_hash(
        __version__,
        "qbr",
        slice_hash,
        task.template_sha,
        options.config,
        options.audience,
        options.locale,
        task.outputs,
        shared.templates_hash,
        *(() if options.update_from is None else (options.update_from,)),
    )
    return slice_hash, task_hash


def render_outputs(task: QbrTask, data: Any, shared: Shared) -> Iterator[tuple[Any, ...]]:
    """``(document, bytes, figures)`` of each output of ``task``: the context once, then each file.

    ``figures`` are the rows of what the file prints (the deck: all of the
    context's; the leave-behind and the follow-up email: the subset each
    prints). A deck updated from an earlier one (``update_from``) adds its manifest ``update``
    record. A stand-in may yield ``(document, bytes)`` only (``bench/batch.py``).
    """
    from reports.documents.qbr.context import build_qbr_context, customer_view

    options = shared.options[task.spec_index]
    context = build_qbr_context(data, audience=options.audience, locale=options.locale, config=options.config)
    for document, relative in task.outputs:
        if document == "qbr-pptx":
            from reports.documents.qbr.render_pptx import render_qbr_pptx

            blob = render_qbr_pptx(context, shared.templates[task.template_sha], options.config.branding)
            if options.update_from is None:
                yield document, blob, figure_rows(context.figures)
                continue
            from reports.documents.qbr.deck_update import update_from_earlier

            blob, update = update_from_earlier(blob, path_inside(Path(options.update_from), relative))
            yield document, blob, figure_rows(context.figures), update.manifest()
        elif document == "qbr-pdf":
            from reports.documents.qbr.leave_behind import leave_behind_figures, render_leave_behind

            folder = Path(shared.templates_dir) if shared.templates_dir else None
            blob = render_leave_behind(context, templates_dir=folder, branding=options.config.branding)
            yield document, blob, figure_rows(leave_behind_figures(context))
        elif document == "qbr-follow-up":
            from reports.documents.qbr.followup import render_followup

            customer = customer_view(context, data, options.config)
            yield document, render_followup(customer), figure_rows(customer.followup_figures)
        else:
            raise ValueError(f"unknown QBR output {document!r}")


def run_qbr_task(task: QbrTask, shared: Shared | None = None, slice_hash: str | None = None) -> TaskResult:
    """Reuse or render and write the files of ``task``; never raises for a bad account."""
    started = time.perf_counter()
    files: list[tuple[str, str, str]] = []
    figures: list[tuple[FigureRow, ...] | None] = []
    updates: list[dict[str, Any] | None] = []
    task_hash = None
    about = None
    try:
        shared = shared or _STATE.shared[task.shared_key]
        about = _about(task, shared)
        slice_hash, task_hash = task_hashes(task, shared, slice_hash)
        out_dir = Path(shared.out_dir)
        if task.previous:
            entries = [e for e in task.previous if e.get("inputs_hash") == task_hash]
            carried = reusable(entries, out_dir, {path for _doc, path in task.outputs})
            if carried is not None:
                reused = tuple((e.document, str(e.path), str(e.sha256)) for e in carried)
                recorded = {e.get("path"): e.get("figures") for e in entries}
                kept = tuple(
                    None if recorded.get(path) is None else rows_of_records(recorded[path])
                    for _doc, path, _sha in reused
                )
                return TaskResult(
                    task.seq,
                    task_hash,
                    reused,
                    time.perf_counter() - started,
                    reused=True,
                    figures=kept,
                    about=about,
                )
        data = task.data
        data = dataclasses.replace(data, provenance={**data.provenance, "inputs_hash": slice_hash[:12]})
        paths = dict(task.outputs)
        rendered = list(render_outputs(task, data, shared))
        # Written and recorded under the lifeline's lock: a killed run's worker ends before the
        # first file or after the record, never with a file on disk that is not on record.
        with committing:
            for output in rendered:
                document, blob = output[0], output[1]
                write_bytes_atomic(path_inside(out_dir, paths[document]), blob)
                files.append((document, paths[document], hashlib.sha256(blob).hexdigest()))
                figures.append(output[2] if len(output) > 2 else None)
                updates.append(output[3] if len(output) > 3 else None)
            result = TaskResult(
                task.seq,
                task_hash,
                tuple(files),
                time.perf_counter() - started,
                figures=tuple(figures),
                updates=tuple(updates),
                about=about,
            )
            record_done(out_dir, [entry_dict(e) for e in manifest_entries(task.account_id, result)])
    except OutputError as exc:  # the folder is full or read-only: none of this account's files stay
        for _document, path, _sha in files:
            (out_dir / path).unlink(missing_ok=True)
        return _failure(task.seq, exc, started, task_hash)
    except Exception as exc:  # one bad account must not stop the batch
        return _failure(task.seq, exc, started, task_hash, files, figures)
    return result


def _about(task: QbrTask, shared: Shared) -> Mapping[str, str] | None:
    from reports.documents.qbr.run import account_about

    if task.data is None:
        return None
    options = shared.options[task.spec_index]
    return account_about(task.data.account, options.audience, options.locale)


def manifest_entries(account_id: str, result: TaskResult) -> list[ManifestEntry]:
    """The manifest entries of one QBR task's result: a file each, plus a ``failed`` entry on error."""
    status = "skipped" if result.reused else "ok"
    duration = None if result.reused else round(result.duration_s, 3)
    about = result.about or {}
    entries = [
        ManifestEntry(
            document=document,
            status=status,
            path=path,
            account_id=account_id,
            sha256=sha,
            duration_s=duration,
            inputs_hash=result.inputs_hash,
            figures=result.figure_records(i, account_id),
            update=result.updates[i] if i < len(result.updates) else None,
            account_name=about.get("account_name"),
            segment=about.get("segment"),
            csm_id=about.get("csm_id"),
            audience=about.get("audience"),
            locale=about.get("locale"),
        )
        for i, (document, path, sha) in enumerate(result.files)
    ]
    if result.error is not None:
        entries.append(
            ManifestEntry(
                document="qbr",
                status="failed",
                account_id=account_id,
                duration_s=duration,
                error=result.error,
                traceback=result.traceback,
                inputs_hash=result.inputs_hash,
            )
        )
    return entries


def _failure(
    seq: int,
    exc: Exception,
    started: float,
    task_hash: str | None = None,
    files: Sequence[Any] = (),
    figures: Sequence[Any] = (),
) -> TaskResult:
    """The result of a task that raised ``exc`` (call it in the ``except`` block: it keeps the traceback)."""
    return TaskResult(
        seq=seq,
        inputs_hash=task_hash,
        files=tuple(files),
        duration_s=time.perf_counter() - started,
        error=failure_line(exc),
        traceback=traceback.format_exc(),
        figures=tuple(figures),
        stops_run=isinstance(exc, OutputError) and exc.stops_run,
    )


def run_qbr_chunk(chunk: QbrChunk, shared: Shared | None = None) -> list[TaskResult]:
    """:func:`run_qbr_task` for each task of a chunk, in order; an account whose data fails to unpack fails alone.

    Slice hashes are read from the chunk's packed frames once
    (:class:`~reports.batch.slice_hash.SliceHashes`); should that fail, each
    account's slice is hashed on its own, so a bad account still fails alone.
    """
    try:
        hashes: SliceHashes | None = SliceHashes(chunk.data)
    except Exception:  # the same hashes come, slower, from each account's own slice
        hashes = None
    results = []
    for i, head in enumerate(chunk.heads):
        started = time.perf_counter()
        try:
            task = chunk.task(i)
        except Exception as exc:  # one bad account must not stop the batch
            results.append(_failure(head.seq, exc, started))
            continue
        results.append(run_qbr_task(task, shared, _packed_slice_hash(hashes, i, task.data)))
    return results


def _packed_slice_hash(hashes: SliceHashes | None, i: int, data: Any) -> str | None:
    """Account ``i``'s slice hash from the chunk's packed frames; None to hash its own slice instead."""
    if hashes is None:
        return None
    try:
        return hashes.slice_hash(i, data)
    except Exception:  # run_qbr_task hashes the account's own slice, and reports its error if any
        return None


def pickle_chunk(chunk: QbrChunk) -> bytes:
    """A chunk as one opaque blob, for a scheduler that would otherwise unpickle and re-pickle it."""
    return pickle.dumps(chunk, protocol=pickle.HIGHEST_PROTOCOL)


def run_pickled_chunk(blob: bytes) -> list[TaskResult]:
    """:func:`run_qbr_chunk` of a chunk made by :func:`pickle_chunk`."""
    return run_qbr_chunk(pickle.loads(blob))
