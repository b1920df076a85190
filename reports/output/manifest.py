"""The run manifest: every document a run was asked for, and what became of it."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from reports.output.files import sha256_file, write_json_atomic

MANIFEST_NAME = "manifest.json"


@dataclass
class ManifestEntry:
    """One document: ``status`` is ``ok``, ``failed`` or ``skipped``."""

    document: str
    status: str
    path: str | None = None
    account_id: str | None = None
    sha256: str | None = None
    duration_s: float | None = None
    error: str | None = None
    traceback: str | None = None
    inputs_hash: str | None = None
    figures: list[dict[str, Any]] | None = None
    """Every figure the document shows (:func:`reports.output.figures.figure_records`)."""


@dataclass
class Manifest:
    """Collects entries and writes ``manifest.json`` in the output folder."""

    out_dir: Path
    run: dict[str, Any] = field(default_factory=dict)
    entries: list[ManifestEntry] = field(default_factory=list)

    def add_file(
        self,
        document: str,
        path: Path,
        *,
        duration_s: float | None = None,
        account_id: str | None = None,
        inputs_hash: str | None = None,
        figures: list[dict[str, Any]] | None = None,
    ) -> ManifestEntry:
        entry = ManifestEntry(
            document=document,
            status="ok",
            path=str(Path(path).resolve().relative_to(Path(self.out_dir).resolve())),
            account_id=account_id,
            sha256=sha256_file(path),
            duration_s=None if duration_s is None else round(duration_s, 3),
            inputs_hash=inputs_hash,
            figures=figures,
        )
        self.entries.append(entry)
        return entry

    def add_failure(
        self, document: str, error: str, *, account_id: str | None = None, traceback: str | None = None
    ) -> ManifestEntry:
        entry = ManifestEntry(
            document=document, status="failed", account_id=account_id, error=error, traceback=traceback
        )
        self.entries.append(entry)
        return entry

    @property
    def failed(self) -> list[ManifestEntry]:
        return [e for e in self.entries if e.status == "failed"]

    def write(self) -> Path:
        path = Path(self.out_dir) / MANIFEST_NAME
        counts = {
            status: sum(e.status == status for e in self.entries) for status in ("ok", "failed", "skipped")
        }
        write_json_atomic(
            path,
            {
                "run": self.run,
                "counts": counts,
                "documents": [{k: v for k, v in asdict(e).items() if v is not None} for e in self.entries],
            },
        )
        return path
