"""Read a run's ``manifest.json`` back, and write it again with each file's current review.

The review page, ``approve``/``hold`` and ``deliver`` all start from the
manifest a run wrote: every file, its sha256, its account and audience.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reports.errors import CsReportsError
from reports.output.files import write_bytes_atomic
from reports.output.manifest import MANIFEST_NAME, ManifestEntry, entry_json, manifest_text
from reports.review.log import ReviewLog

_FIELDS = set(ManifestEntry.__dataclass_fields__)


@dataclass
class RunFiles:
    """A run's manifest as read back: its ``run`` and ``counts`` sections and its entries."""

    out_dir: Path
    run: dict[str, Any]
    counts: dict[str, int]
    entries: list[ManifestEntry]

    @property
    def files(self) -> list[ManifestEntry]:
        """Entries of files that exist in the run (rendered or reused), in manifest order."""
        return [e for e in self.entries if e.path and e.status in ("ok", "skipped")]

    def write(self, reviews: ReviewLog | None = None) -> Path:
        """``manifest.json`` again, each file's ``review`` as the log has it now."""
        reviews = reviews or ReviewLog.load(self.out_dir)
        for entry in self.entries:
            entry.review = reviews.review_of(entry.path, entry.sha256)
        path = self.out_dir / MANIFEST_NAME
        text = manifest_text(self.run, self.counts, [entry_json(e) for e in self.entries])
        write_bytes_atomic(path, text.encode("utf-8"))
        return path


def read_run(out_dir: Path) -> RunFiles:
    """The manifest in ``out_dir``.

    Raises :class:`CsReportsError` in one line when the folder has no readable manifest.
    """
    out_dir = Path(out_dir)
    path = out_dir / MANIFEST_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CsReportsError(f"{out_dir}: no {MANIFEST_NAME} (is it the --out folder of a run?)") from exc
    except (OSError, ValueError) as exc:
        raise CsReportsError(f"{path}: not a readable manifest ({exc})") from exc
    if not isinstance(data, dict) or not isinstance(data.get("documents"), list):
        raise CsReportsError(f"{path}: not a csreports manifest (no documents list)")
    entries = [
        ManifestEntry(**{k: v for k, v in raw.items() if k in _FIELDS})
        for raw in data["documents"]
        if isinstance(raw, dict) and "document" in raw and "status" in raw
    ]
    return RunFiles(out_dir, dict(data.get("run") or {}), dict(data.get("counts") or {}), entries)
