"""The run manifest: every document a run was asked for, and what became of it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.output.files import sha256_file, write_bytes_atomic

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
    update: dict[str, Any] | None = None
    """A deck updated from an earlier one: ``from``, ``status`` (updated, new, fresh), ``message``
    and ``kept_edits`` (the CSM's edits of csreports' text that were kept: slide, shape, text)."""
    account_name: str | None = None
    segment: str | None = None
    csm_id: str | None = None
    audience: str | None = None
    """``customer`` (may be delivered) or ``internal`` (never)."""
    locale: str | None = None
    review: dict[str, Any] | None = None
    """The review of this file as it is (same sha256): ``status`` (approved, held, sent, failed),
    ``by``, ``at``, ``reason`` (:mod:`reports.review.log`); none: a draft."""


ABOUT_FIELDS = ("account_name", "segment", "csm_id", "audience", "locale")
"""What a QBR file's entry says about its account, for the review page and delivery."""


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
        update: dict[str, Any] | None = None,
        about: dict[str, str] | None = None,
    ) -> ManifestEntry:
        """Record the file at ``path``; ``about`` holds :data:`ABOUT_FIELDS` of its account."""
        entry = ManifestEntry(
            document=document,
            status="ok",
            path=str(Path(path).resolve().relative_to(Path(self.out_dir).resolve())),
            account_id=account_id,
            sha256=sha256_file(path),
            duration_s=None if duration_s is None else round(duration_s, 3),
            inputs_hash=inputs_hash,
            figures=figures,
            update=update,
        )
        for name, value in (about or {}).items():
            if name in ABOUT_FIELDS:
                setattr(entry, name, value)
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
        """Write ``manifest.json``; each file's entry carries its review when the file is the one
        reviewed (:mod:`reports.review.log`)."""
        from reports.review.log import ReviewLog

        reviews = ReviewLog.load(self.out_dir)
        for entry in self.entries:
            entry.review = reviews.review_of(entry.path, entry.sha256)
        path = Path(self.out_dir) / MANIFEST_NAME
        counts = {
            status: sum(e.status == status for e in self.entries) for status in ("ok", "failed", "skipped")
        }
        text = manifest_text(self.run, counts, [entry_json(e) for e in self.entries])
        write_bytes_atomic(path, text.encode("utf-8"))
        return path


def _flat_json(fields: dict[str, Any], indent: int) -> str:
    """A flat dict as ``json.dumps(indent=2, sort_keys=True)`` prints it ``indent`` spaces deep."""
    inner = "\n" + " " * (indent + 2)
    text = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str, separators=("," + inner, ": "))
    return "{" + inner + text[1:-1] + "\n" + " " * indent + "}" if fields else "{}"


_FIGURES_SLOT = "\0figures\0"
_DOCUMENTS = "\0documents\0"
_UPDATE_SLOT = "\0update\0"
_REVIEW_SLOT = "\0review\0"


def entry_dict(entry: ManifestEntry) -> dict[str, Any]:
    """One entry's fields as ``manifest.json`` holds them (fields that are None left out)."""
    return {k: v for k, v in vars(entry).items() if v is not None}


def entry_json(entry: ManifestEntry) -> str:
    """One entry as it appears in ``manifest.json`` (indented for the ``documents`` list).

    Entries are flat (text and numbers) but for ``figures``, a list of flat
    records; so the separators do the indenting and the C encoder does the
    work: ``indent`` would switch json to its pure-Python encoder, and the
    parent of a batch run writes one entry per file.
    """
    fields = entry_dict(entry)
    update = fields.pop("update", None)
    if update is not None:
        fields["update"] = _UPDATE_SLOT
    review = fields.pop("review", None)
    if review is not None:
        fields["review"] = _REVIEW_SLOT
    figures = fields.get("figures")
    if figures is not None:
        fields["figures"] = _FIGURES_SLOT
    text = "    " + _flat_json(fields, 4)
    if update is not None:
        block = json.dumps(update, indent=2, sort_keys=True, ensure_ascii=False, default=str)
        text = text.replace(json.dumps(_UPDATE_SLOT), block.replace("\n", "\n      "), 1)
    if review is not None:
        text = text.replace(json.dumps(_REVIEW_SLOT), _flat_json(review, 6), 1)
    if figures is None:
        return text
    body = (
        "[\n        " + ",\n        ".join(_flat_json(r, 8) for r in figures) + "\n      ]"
        if figures
        else "[]"
    )
    return text.replace(json.dumps(_FIGURES_SLOT), body, 1)


def manifest_text(run: dict[str, Any], counts: dict[str, int], documents: list[str]) -> str:
    """The whole ``manifest.json`` from already serialised entries."""
    head = json.dumps(
        {"run": run, "counts": counts, "documents": _DOCUMENTS},
        indent=2,
        sort_keys=True,
        ensure_ascii=False,
        default=str,
    )
    body = "[\n" + ",\n".join(documents) + "\n  ]" if documents else "[]"
    return head.replace(json.dumps(_DOCUMENTS), body, 1) + "\n"
