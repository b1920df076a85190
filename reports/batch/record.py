"""Keeping account of a run: the manifest, the counts, the progress bar and the log lines.

:class:`Recorder` keeps every entry by plan position and rewrites
``manifest.json`` atomically every ``flush_every`` results (every 5 % of the
run when that is fewer) or ``flush_seconds``; once a rewrite takes more than
10 ms, never sooner than :data:`REWRITE_SPACING` times what the last one took,
so rewriting stays about 1 % of this process's time even with 100,000
entries (a 10,000-entry rewrite takes about 20 ms, so such a run rewrites
its manifest every 2 seconds, not every 50 results). Each
entry is serialised once, when it arrives; a rewrite only joins the stored
text, so it costs milliseconds rather than re-encoding every entry. The file
is byte-for-byte what :meth:`reports.output.manifest.Manifest.write` writes for
the same entries.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from reports.output.files import write_bytes_atomic
from reports.output.manifest import MANIFEST_NAME, ManifestEntry, entry_json, manifest_text
from reports.review.log import ReviewLog

_STATUSES = ("ok", "failed", "skipped")
REWRITE_SPACING = 100
"""A rewrite of over 10 ms waits at least this many times its cost before the next one."""


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

    def failures(self, entries: Iterable[ManifestEntry]) -> None:
        """A ``failed`` line for each failed entry."""
        for entry in entries:
            if entry.status == "failed":
                self("failed", document=entry.document, account_id=entry.account_id, error=entry.error)


class Progress:
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


class Recorder:
    """Entries by plan position, counts, and the throttled atomic manifest rewrite."""

    def __init__(
        self,
        out_dir: Path,
        run: dict[str, Any],
        summary: RunSummary,
        *,
        flush_every: int = 50,
        flush_seconds: float = 2.0,
        previous: Iterable[dict[str, Any]] = (),
    ):
        self.path = Path(out_dir) / MANIFEST_NAME
        self.run, self.summary = run, summary
        self.flush_every = max(1, min(flush_every, summary.total // 20))
        self.flush_seconds = flush_seconds
        self._entries: dict[int, list[tuple[ManifestEntry, str]]] = {}
        self._counts = dict.fromkeys(_STATUSES, 0)
        fields = set(ManifestEntry.__dataclass_fields__)
        self._reviews = ReviewLog.load(out_dir)
        self._carry: dict[str, tuple[str | None, str, str]] = {}
        """Earlier done entries not yet re-checked, by path: kept in interim manifests, so a second kill
        loses nothing."""
        for raw in previous:
            if raw.get("status") in ("ok", "skipped") and raw.get("path"):
                entry = ManifestEntry(**{k: v for k, v in raw.items() if k in fields})
                entry.review = self._reviews.review_of(entry.path, entry.sha256)
                self._carry[str(raw["path"])] = (entry.inputs_hash, entry.status, entry_json(entry))
        self._since, self._last, self._pause = 0, time.monotonic(), 0.0

    def add(
        self,
        seq: int,
        entries: list[ManifestEntry],
        *,
        reused: bool,
        paths: Iterable[str] = (),
        inputs_hash: str | None = None,
    ) -> None:
        """Record the entries of the task at ``seq``; ``paths``/``inputs_hash`` name what it re-checked.
        Each file's entry carries its review when the file is the one reviewed."""
        for entry in entries:
            entry.review = self._reviews.review_of(entry.path, entry.sha256)
        self._entries[seq] = [(e, entry_json(e)) for e in entries]
        for path in [*paths, *(e.path for e in entries if e.path)]:
            self._carry.pop(str(path), None)
        if inputs_hash is not None and self._carry:
            for path in [p for p, (h, _status, _text) in self._carry.items() if h == inputs_hash]:
                del self._carry[path]
        for entry in entries:
            self._counts[entry.status] = self._counts.get(entry.status, 0) + 1
        summary = self.summary
        failed = [e for e in entries if e.status == "failed"]
        if failed:
            summary.failed += 1
            summary.failures += [(e.account_id, f"{e.document}: {e.error}") for e in failed]
        elif reused:
            summary.reused += 1
        else:
            summary.rendered += 1
        self._since += 1
        now = time.monotonic()
        due = self._since >= self.flush_every or now - self._last >= self.flush_seconds
        if due and now - self._last >= self._pause:
            self.write("running")

    def write(self, status: str) -> Path:
        """Rewrite ``manifest.json`` atomically with ``status`` in ``run.batch``."""
        started = time.monotonic()
        documents = [text for seq in sorted(self._entries) for _entry, text in self._entries[seq]]
        counts = dict(self._counts)
        if status in ("running", "interrupted"):
            for _hash, carried, text in self._carry.values():
                documents.append(text)
                counts[carried] += 1
        s = self.summary
        self.run["batch"] = {
            "status": status,
            "planned": s.total,
            "rendered": s.rendered,
            "reused": s.reused,
            "failed": s.failed,
        }
        text = manifest_text(self.run, counts, documents)
        write_bytes_atomic(self.path, text.encode("utf-8"))
        self._since, self._last = 0, time.monotonic()
        cost = self._last - started
        self._pause = REWRITE_SPACING * cost if cost > 0.01 else 0.0
        return self.path
