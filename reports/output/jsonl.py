"""Append-only JSON-lines files: the review log and the delivery ledger.

One JSON object per line, appended and synced to disk one call at a time, so
an interrupted command loses at most the line it was writing. Reading skips
a last line cut short by such an interruption; any other line that is not a
record is an error naming the file and line.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, TypeVar

from reports.errors import CsReportsError

T = TypeVar("T")


def read_records(path: Path, parse: Callable[[dict[str, Any]], T], what: str) -> list[T]:
    """Every line of ``path`` as ``parse`` makes it (none when the file does not exist).

    ``parse`` raises ``ValueError``, ``TypeError`` or ``KeyError`` for a line that is not ``what``
    ("a review"); that is a :class:`CsReportsError` naming the file and line, unless it is the last.
    """
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return []
    except OSError as exc:
        raise CsReportsError(f"{path}: cannot be read ({exc.strerror})") from exc
    records = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            records.append(parse(json.loads(line)))
        except (ValueError, TypeError, KeyError) as exc:
            if number == len(lines):  # cut short by an interruption: the records before it stand
                continue
            raise CsReportsError(
                f"{path}: line {number} is not {what} ({exc}); fix or move the file"
            ) from exc
    return records


def append_records(path: Path, records: Iterable[dict[str, Any]], *, unwritten: str = "") -> None:
    """Append ``records`` to ``path``, synced to disk before returning.

    A failure is a :class:`CsReportsError` naming the file, followed by ``unwritten`` (what the
    caller must say about what was not recorded).
    """
    lines = "".join(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n" for r in records)
    if not lines:
        return
    try:
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())
    except OSError as exc:
        raise CsReportsError(f"{path}: cannot be written ({exc.strerror}){unwritten}") from exc
