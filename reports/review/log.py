"""Who approved, held or sent which file, and when: an append-only log beside the manifest.

``OUT/review-log.jsonl`` holds one JSON object per line: ``path`` (relative
to ``OUT``), ``sha256`` of the file as it was reviewed, ``status``
(:data:`DECISIONS`), ``by``, ``at`` (ISO 8601, UTC) and ``reason``. A file's
review is the latest line for its path *and* its content: a file rendered
again with different content has none, so it is a draft again, while the
history of every decision stays in the log. Lines are appended and synced
one call at a time, so an interrupted command loses at most what it was
writing, never an earlier decision; ``manifest.json`` shows each file's
current review (:meth:`reports.output.manifest.Manifest.write`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from reports.output.jsonl import append_records, read_records

REVIEW_LOG = "review-log.jsonl"
DECISIONS = ("approved", "held", "sent", "failed")
"""What a review line records; a file without one is a ``draft``."""
STATUSES = ("draft", *DECISIONS)


@dataclass(frozen=True)
class Review:
    """One decision about one file as it was (its sha256)."""

    path: str
    sha256: str
    status: str
    by: str
    at: str
    """ISO 8601 time in UTC, to the second."""
    reason: str = ""

    def manifest(self) -> dict[str, str]:
        """The file's ``review`` in ``manifest.json``: status, by, at and the reason when given."""
        fields = {"status": self.status, "by": self.by, "at": self.at}
        return fields | ({"reason": self.reason} if self.reason else {})


def _review(record: dict[str, Any]) -> Review:
    review = Review(**record)
    if review.status not in DECISIONS:
        raise ValueError(f"unknown status {review.status!r}")
    return review


def now_utc() -> str:
    """The current time as :attr:`Review.at` writes it."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


class ReviewLog:
    """The reviews of an output folder, latest per (path, sha256)."""

    def __init__(self, out_dir: Path, latest: dict[tuple[str, str], Review] | None = None):
        self.path = Path(out_dir) / REVIEW_LOG
        self._latest = latest or {}

    @classmethod
    def load(cls, out_dir: Path) -> ReviewLog:
        """The log of ``out_dir`` (empty when there is none).

        Raises :class:`CsReportsError` naming the file and line for a line that is not a review.
        """
        log = cls(out_dir)
        for review in read_records(log.path, _review, "a review"):
            log._latest[(review.path, review.sha256)] = review
        return log

    def review_of(self, path: str | None, sha256: str | None) -> dict[str, Any] | None:
        """The manifest ``review`` of the file at ``path`` with content ``sha256``; None: a draft."""
        if path is None or sha256 is None:
            return None
        found = self._latest.get((path, sha256))
        return None if found is None else found.manifest()

    def status_of(self, path: str | None, sha256: str | None) -> str:
        """``draft``, or the status of the latest review of this file as it is."""
        review = self.review_of(path, sha256)
        return "draft" if review is None else str(review["status"])

    def append(self, reviews: Iterable[Review]) -> None:
        """Add ``reviews`` to the log, synced to disk before returning."""
        reviews = list(reviews)
        append_records(self.path, (asdict(r) for r in reviews))
        for review in reviews:
            self._latest[(review.path, review.sha256)] = review
