"""What an interrupted or earlier run left behind: stray temporary files and reusable manifest entries.

A file is reused by ``--resume`` only when the earlier ``manifest.json``
records it as done (``ok`` or ``skipped``) with the same inputs hash, its
recorded path is a relative path that stays inside ``--out`` (symlinks
resolved), and the file still has the recorded sha256. A manifest edited to
point anywhere else is not trusted: the task is rendered again. QBR tasks are checked by the worker that
would otherwise render them (it computes the inputs hash), portfolio-wide
documents by the run itself.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from reports.batch.journal import read_done
from reports.output.files import sha256_file
from reports.output.manifest import MANIFEST_NAME, ManifestEntry

_PART = re.compile(r"^\..+\.part(\.[A-Za-z0-9]+)?$")


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


def previous_documents(out_dir: Path) -> list[dict[str, Any]]:
    """The documents an earlier run recorded, with an inputs hash: ``manifest.json``'s, then the
    journal's (:mod:`reports.batch.journal`; newer, so they replace a manifest entry for the same path)."""
    path = out_dir / MANIFEST_NAME
    try:
        payload = json.loads(path.read_text(encoding="utf-8"))
        documents = payload.get("documents", []) if isinstance(payload, dict) else []
    except (OSError, ValueError):
        documents = []
    by_path: dict[object, dict[str, Any]] = {}
    unnamed = []
    for entry in [*documents, *read_done(out_dir)]:
        if not isinstance(entry, dict) or not entry.get("inputs_hash"):
            continue
        if entry.get("path"):
            by_path.pop(entry["path"], None)
            by_path[entry["path"]] = entry
        else:
            unnamed.append(entry)
    return [*by_path.values(), *unnamed]


def _recorded_file(out_dir: Path, recorded: object) -> Path | None:
    """The file a manifest entry's ``path`` names, if it is a relative path to a file inside ``out_dir``."""
    if not isinstance(recorded, str) or not recorded or Path(recorded).is_absolute():
        return None
    base = out_dir.resolve()
    target = (base / recorded).resolve()
    if base not in target.parents or not target.is_file():
        return None
    return target


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
        path = _recorded_file(out_dir, entry.get("path"))
        if path is None or not entry.get("sha256") or sha256_file(path) != entry["sha256"]:
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
