"""``--update-from``: a QBR deck rendered afresh, merged into the account's earlier deck when there is one.

The earlier deck is the file of the same name in the folder given (which may
be the output folder itself: it is read whole before the new file replaces
it). No earlier file: the fresh deck, quietly. A file that is not a readable
deck csreports wrote: the fresh deck and a one-line message naming the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reports.errors import failure_line
from reports.render.pptx.update import NotOurDeck, update_deck


@dataclass(frozen=True)
class DeckUpdate:
    """What became of one deck: ``updated`` from ``source``, ``new`` (no earlier file) or ``fresh``
    (the earlier file could not be used: ``message`` says why); the CSM's edits kept."""

    source: str
    status: str
    message: str = ""
    kept_edits: tuple[dict[str, str], ...] = field(default_factory=tuple)

    def manifest(self) -> dict[str, Any]:
        """The manifest's ``update`` record of the deck."""
        out: dict[str, Any] = {"from": self.source, "status": self.status}
        if self.message:
            out["message"] = self.message
        if self.kept_edits:
            out["kept_edits"] = [dict(k) for k in self.kept_edits]
        return out


def update_from_earlier(fresh: bytes, earlier: Path) -> tuple[bytes, DeckUpdate]:
    """The deck to write: ``fresh`` merged into the deck at ``earlier``, or ``fresh`` as it is."""
    if not earlier.is_file():
        return fresh, DeckUpdate(str(earlier), "new")
    try:
        old = earlier.read_bytes()
    except OSError as exc:
        return fresh, _fresh(earlier, f"cannot be read ({exc.strerror})")
    try:
        result = update_deck(old, fresh)
    except NotOurDeck as exc:
        return fresh, _fresh(earlier, str(exc))
    except Exception as exc:  # an edit this merge does not handle must not cost the account its deck
        return fresh, _fresh(earlier, f"could not be updated ({failure_line(exc)})")
    return result.deck, DeckUpdate(
        str(earlier), "updated", kept_edits=tuple(edit.record() for edit in result.kept_edits)
    )


def _fresh(earlier: Path, why: str) -> DeckUpdate:
    return DeckUpdate(str(earlier), "fresh", f"{earlier}: {why}; wrote a fresh deck")
