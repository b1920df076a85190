"""The send ledger: which week went to which recipient list, so nothing is sent twice.

One JSON file, ``weekly-email-ledger.json``, in the state folder. Entries
are keyed by ``{ISO week}:{recipients hash}`` where the hash is the SHA-256
of the sorted, lower-cased recipient addresses (first 16 hex digits); the
same week to a different list is a different key. An entry is written only
after a successful send, atomically (temporary file, then rename), and
while holding an exclusive lock on ``.weekly-email.lock`` so two runs at
once cannot both send.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reports.errors import CsReportsError
from reports.output.files import write_json_atomic

LEDGER_NAME = "weekly-email-ledger.json"
LOCK_NAME = ".weekly-email.lock"


def recipients_hash(recipients: Sequence[str]) -> str:
    """16 hex digits identifying a recipient list, whatever its order or case.

    >>> recipients_hash(["B@x.example", "a@x.example"]) == recipients_hash(["a@x.example", "b@x.example"])
    True
    """
    joined = "\n".join(sorted({r.strip().lower() for r in recipients}))
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


def ledger_key(week: str, recipients: Sequence[str]) -> str:
    return f"{week}:{recipients_hash(recipients)}"


def read_ledger(state_dir: Path) -> dict[str, Any]:
    """The ledger's entries (empty when there is no ledger yet)."""
    path = Path(state_dir) / LEDGER_NAME
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise CsReportsError(f"{path}: the send ledger cannot be read ({exc}); fix or move it") from exc
    entries = data.get("entries") if isinstance(data, dict) else None
    if not isinstance(entries, dict):
        raise CsReportsError(f"{path}: not a send ledger (no 'entries' mapping); fix or move it")
    return entries


def sent_entry(state_dir: Path, week: str, recipients: Sequence[str]) -> Mapping[str, Any] | None:
    """The ledger entry of this week and recipient list, or None if not sent."""
    return read_ledger(state_dir).get(ledger_key(week, recipients))


def record_sent(
    state_dir: Path,
    week: str,
    recipients: Sequence[str],
    *,
    message_id: str,
    refused: Mapping[str, str] | None = None,
    now: dt.datetime | None = None,
) -> None:
    """Add (or replace, after ``--force``) the entry for this week and list, atomically."""
    entries = read_ledger(state_dir)
    entries[ledger_key(week, recipients)] = {
        "week": week,
        "recipients": sorted({r.strip().lower() for r in recipients}),
        "message_id": message_id,
        "sent_at": (now or dt.datetime.now(dt.UTC)).isoformat(timespec="seconds"),
        "refused": dict(refused or {}),
    }
    write_json_atomic(Path(state_dir) / LEDGER_NAME, {"entries": entries})


@contextmanager
def ledger_lock(state_dir: Path, lock_name: str = LOCK_NAME, command: str = "weekly-email") -> Iterator[None]:
    """Hold an exclusive lock on the state folder; fail at once if another ``command`` run holds it."""
    state_dir = Path(state_dir)
    state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(state_dir / lock_name, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise CsReportsError(
                f"another {command} run holds the lock in {state_dir}; try again when it has finished"
            ) from exc
        yield
    finally:
        os.close(fd)
