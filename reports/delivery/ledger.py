"""The delivery ledger: which file went to whom under which Message-ID, so nothing is sent twice.

``OUT/delivery-ledger.jsonl`` holds one JSON object per message the SMTP server
accepted: ``account_id``, ``files`` (``path`` and ``sha256`` of each attached file),
``message_id``, ``recipients``, ``refused`` (recipients the server turned down) and
``at``. A line is appended and synced to disk right after the server accepted the
message and before the next one is sent, so a run that stops (a failing server,
Ctrl-C, a crash) is resumed by running it again: every file in the ledger counts as
sent and is skipped. A line cut short by an interruption is ignored. The run holds
an exclusive lock (``OUT/.delivery.lock``) so two runs cannot send at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from reports.documents.email.ledger import ledger_lock
from reports.output.jsonl import append_records, read_records
from reports.review.log import now_utc

LEDGER_NAME = "delivery-ledger.jsonl"
LOCK_NAME = ".delivery.lock"


def _with_files(record: dict[str, Any]) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    return record, [(str(f["path"]), str(f["sha256"])) for f in record["files"]]


class DeliveryLedger:
    """The messages an output folder's deliveries handed to the SMTP server."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LEDGER_NAME
        self.sent: dict[tuple[str, str], dict[str, Any]] = {}
        """``(path, sha256)`` of each file sent -> its ledger line."""

    @classmethod
    def load(cls, out_dir: Path) -> DeliveryLedger:
        """The ledger of ``out_dir`` (empty when there is none); a damaged line is named."""
        ledger = cls(out_dir)
        for record, files in read_records(ledger.path, _with_files, "a delivery record"):
            for key in files:
                ledger.sent[key] = record
        return ledger

    def record(
        self,
        *,
        account_id: str,
        files: Sequence[tuple[str, str]],
        message_id: str,
        recipients: Sequence[str],
        refused: Mapping[str, str] | None = None,
    ) -> None:
        """Append one accepted message, synced to disk before returning."""
        record = {
            "account_id": account_id,
            "files": [{"path": p, "sha256": s} for p, s in files],
            "message_id": message_id,
            "recipients": list(recipients),
            "refused": dict(refused or {}),
            "at": now_utc(),
        }
        append_records(self.path, [record], unwritten=f"; message {message_id} WAS sent")
        for key in files:
            self.sent[key] = record


@contextmanager
def delivery_lock(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's delivery lock; fail at once if another deliver run holds it."""
    with ledger_lock(Path(out_dir), LOCK_NAME, "deliver"):
        yield
