"""``csreports approve`` and ``hold``: choose files of a run and record a decision about each.

A decision is about a file as it is: a file whose content differs from what
the run recorded (edited after rendering) is refused until it is rendered
again, and a file already sent cannot be approved or held again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reports.errors import CsReportsError
from reports.output.files import sha256_file
from reports.output.manifest import ManifestEntry
from reports.review.log import Review, ReviewLog, now_utc
from reports.review.manifest_file import RunFiles


def choose_files(
    files: Sequence[ManifestEntry],
    *,
    accounts: Sequence[str] = (),
    segment: str | None = None,
    csm: str | None = None,
    everything: bool = False,
) -> list[ManifestEntry]:
    """The files of accounts ``accounts``, of ``segment`` (case aside) and of CSM ``csm`` (every
    filter given must match), or all of them with ``everything``.

    Raises :class:`CsReportsError` for ids or a segment the run has no file of, or an empty choice.
    """
    if not (accounts or segment or csm or everything):
        raise CsReportsError("choose files with --account, --segment, --csm or --all")
    known = {e.account_id for e in files if e.account_id}
    unknown = sorted(set(accounts) - known)
    if unknown:
        raise CsReportsError(f"the run has no file of account(s) {', '.join(unknown)}")
    chosen = [e for e in files if not accounts or e.account_id in accounts]
    if segment:
        segments = sorted({e.segment for e in files if e.segment})
        match = {s.lower(): s for s in segments}.get(segment.lower())
        if match is None:
            raise CsReportsError(
                f"segment {segment!r} is not one of the run's: {', '.join(segments) or 'none'}"
            )
        chosen = [e for e in chosen if e.segment == match]
    if csm:
        chosen = [e for e in chosen if e.csm_id == csm]
    if not chosen:
        raise CsReportsError("no file of the run matches the choice")
    return chosen


@dataclass
class Decision:
    """What a decision did: files recorded, files already in that state, files refused (why)."""

    recorded: list[ManifestEntry] = field(default_factory=list)
    unchanged: list[ManifestEntry] = field(default_factory=list)
    refused: list[tuple[ManifestEntry, str]] = field(default_factory=list)

    @property
    def accounts(self) -> int:
        return len({e.account_id for e in self.recorded})


def decide(
    run: RunFiles, chosen: Sequence[ManifestEntry], status: str, *, by: str, reason: str = ""
) -> Decision:
    """Record ``status`` (approved or held) by ``by`` for each of ``chosen``, then rewrite the
    manifest with every file's review."""
    log = ReviewLog.load(run.out_dir)
    at = now_utc()
    outcome = Decision()
    reviews = []
    for entry in chosen:
        assert entry.path is not None and entry.sha256 is not None
        current = log.status_of(entry.path, entry.sha256)
        on_disk = run.out_dir / entry.path
        if current == "sent":
            outcome.refused.append((entry, "already sent"))
        elif not on_disk.is_file():
            outcome.refused.append((entry, "the file is missing"))
        elif sha256_file(on_disk) != entry.sha256:
            outcome.refused.append(
                (entry, "changed since the run wrote it; render it again (qbr --update-from keeps edits)")
            )
        elif current == status:
            outcome.unchanged.append(entry)
        else:
            reviews.append(Review(entry.path, entry.sha256, status, by, at, reason))
            outcome.recorded.append(entry)
    log.append(reviews)
    run.write(log)
    return outcome


def describe(outcome: Decision, verb: str, out_dir: Path) -> list[str]:
    """The lines a decision prints: what was recorded, what already was, each refusal."""
    lines = [
        f"{verb.capitalize()} {len(outcome.recorded)} file(s) of {outcome.accounts} account(s) in {out_dir}."
    ]
    if outcome.unchanged:
        lines.append(f"{len(outcome.unchanged)} file(s) were {verb} already.")
    lines += [f"{out_dir / e.path}: not {verb}: {why}" for e, why in outcome.refused if e.path]
    return lines
