"""Finished documents recorded the moment their files are written, for ``--resume``.

``manifest.json`` is rewritten every couple of seconds by the run's main
process, which hears of a worker's documents only when its chunk of tasks
is done. A run killed in between would lose that work. So every process
that writes a document also appends its manifest entry, as one JSON line,
to its own file in ``OUT/.csreports-journal/`` (one ``write`` per document,
after the file is in place). ``--resume`` reads the journal along with the
manifest; a run that ends (complete or failed, not interrupted) has every
entry in ``manifest.json`` and removes the journal.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

JOURNAL_DIR = ".csreports-journal"


def journal_dir(out_dir: Path) -> Path:
    """``out_dir/.csreports-journal``."""
    return Path(out_dir) / JOURNAL_DIR


def record_done(out_dir: Path, entries: Iterable[dict[str, Any]]) -> None:
    """Append ``entries`` (manifest entries as dicts, status ``ok``) to this process's journal file.

    Best effort: when the journal cannot be written the document is still
    recorded in ``manifest.json`` by the run, only later.
    """
    lines = "".join(json.dumps(entry, default=str, ensure_ascii=False) + "\n" for entry in entries)
    if not lines:
        return
    folder = journal_dir(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / f"{os.getpid()}.jsonl", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, lines.encode("utf-8"))
        finally:
            os.close(fd)
    except OSError:  # a full disk: the run's manifest still records the document, later
        pass


def read_done(out_dir: Path) -> list[dict[str, Any]]:
    """Every entry in the journal, oldest file first; a line cut short by a kill is skipped."""
    folder = journal_dir(out_dir)
    if not folder.is_dir():
        return []
    entries = []
    for path in sorted(folder.glob("*.jsonl"), key=lambda p: (p.stat().st_mtime, p.name)):
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue
            if isinstance(entry, dict):
                entries.append(entry)
    return entries


def clear(out_dir: Path) -> None:
    """Remove the journal (the manifest now holds every entry, or a fresh run starts)."""
    shutil.rmtree(journal_dir(out_dir), ignore_errors=True)
