"""The review page: ``OUT/index.html``, one static page listing every document of a run.

The page is what a CS ops lead opens before delivery: each file's account,
segment, CSM, audience and kind, its review status (who decided, when, why),
a few headline figures exactly as the document prints them (the manifest's
``figures``; nothing is computed here), and a link to the file. It is one
self-contained file: inline CSS and a little inline JavaScript that only
shows and hides rows the page already holds, no fonts, scripts or images
from anywhere but ``OUT`` itself, so it works opened from the file system
and makes no network request. Every text from the data (account names, hold
reasons, errors) is autoescaped by Jinja.

Filters live in the URL fragment (``index.html#status=held&segment=Scaled``),
so a filtered view can be bookmarked or sent to a colleague who has the folder.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from collections import Counter
from collections.abc import Sequence, Set
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import quote

import jinja2
from jinja2.sandbox import SandboxedEnvironment

from reports.output.files import write_bytes_atomic
from reports.output.manifest import ManifestEntry
from reports.render.template_files import ConfinedFileSystemLoader
from reports.resources import bundled_templates_dir
from reports.review.log import STATUSES, ReviewLog
from reports.review.manifest_file import RunFiles, read_run

PAGE_NAME = "index.html"
THUMBNAILS_DIR = ".thumbnails"

KIND_LABELS: dict[str, str] = {
    "qbr-pptx": "QBR deck",
    "qbr-pdf": "Leave-behind",
    "qbr-follow-up": "Follow-up email",
    "board-report": "Board report",
    "churn-report": "Churn report",
    "cost-to-retain": "Cost to retain",
    "nps-digest": "NPS digest",
    "weekly-email": "Weekly email",
}
"""What the page calls each manifest ``document``; others are shown as named."""

STATUS_HELP: dict[str, str] = {
    "draft": "Not reviewed yet (or rendered again since its review)",
    "approved": "Approved for delivery",
    "held": "Held back from delivery",
    "sent": "Delivered",
    "failed": "Delivery failed",
}

HEADLINES: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("ARR", ("arr_end", "weekly_arr"), ""),
    ("NRR", ("nrr", "nrr_12m"), ""),
    ("Health", ("health_score",), ""),
    ("NPS", ("nps_12m", "nps", "weekly_nps"), ""),
    ("Renewal in", ("days_to_renewal", "weekly_days_to_renewal"), " days"),
    ("Seats used", ("seat_utilisation",), ""),
)
"""Headline figures in order of preference: label, figure ids (first found wins), unit shown after."""
MAX_HEADLINES = 4


@dataclass(frozen=True)
class Headline:
    label: str
    shown: str
    title: str


@dataclass
class PageRow:
    """One document as the page lists it."""

    path: str
    href: str | None
    document: str
    kind: str
    fmt: str
    account_id: str
    account_name: str
    segment: str
    csm: str
    audience: str
    locale: str
    status: str
    by: str = ""
    at: str = ""
    reason: str = ""
    headlines: list[Headline] = field(default_factory=list)
    thumbnail: str | None = None

    @property
    def internal(self) -> bool:
        return self.audience == "internal"

    @property
    def search(self) -> str:
        """What the account search matches: the account's name and id, lower case."""
        return f"{self.account_name} {self.account_id}".lower()


@dataclass
class PageResult:
    path: Path
    documents: int
    seconds: float
    size: int
    thumbnails: int


def kind_label(document: str) -> str:
    """The page's name for a manifest ``document``.

    >>> kind_label("qbr-pdf"), kind_label("metrics:accounts")
    ('Leave-behind', 'Metrics (accounts)')
    """
    if document.startswith("metrics:"):
        return f"Metrics ({document.partition(':')[2]})"
    return KIND_LABELS.get(document, document)


def file_href(path: str) -> str | None:
    """A relative link to ``path`` (relative to ``OUT``), or None for a path that would leave it.

    >>> file_href("qbr/Scaled/a b.pptx"), file_href("../etc/passwd"), file_href("/etc/passwd")
    ('qbr/Scaled/a%20b.pptx', None, None)
    """
    pure = PurePosixPath(path.replace("\\", "/"))
    if pure.is_absolute() or ".." in pure.parts or not pure.parts or ":" in pure.parts[0]:
        return None
    return quote(pure.as_posix())


def _metric_label(metric_id: str) -> str:
    from cs_calc.definitions import METRICS

    metric = METRICS.get(metric_id)
    return metric.label if metric is not None else metric_id


def headlines(entry: ManifestEntry, period: str | None = None) -> list[Headline]:
    """Up to :data:`MAX_HEADLINES` figures the document prints, by :data:`HEADLINES`, as printed.

    A figure printed for several periods (a trend) is the one of the run's ``period`` when
    printed for it, else the first the document prints.
    """
    records: dict[str, dict[str, Any]] = {}
    for record in entry.figures or ():
        if not isinstance(record, dict) or record.get("dimension", "all") not in ("account", "all"):
            continue
        if record.get("dimension") == "all" and record.get("group", "all") != "all":
            continue
        if record.get("account_id") not in (None, entry.account_id):
            continue
        if not str(record.get("shown", "")).strip():
            continue
        metric_id = str(record.get("id"))
        earlier = records.get(metric_id)
        if earlier is None or (period and record.get("period") == period != earlier.get("period")):
            records[metric_id] = record
    found = []
    for label, ids, unit in HEADLINES:
        for metric_id in ids:
            chosen = records.get(metric_id)
            if chosen is None:
                continue
            title = f"{_metric_label(metric_id)}, {chosen.get('period', '')}".rstrip(", ")
            found.append(Headline(label, str(chosen["shown"]) + unit, title))
            break
        if len(found) == MAX_HEADLINES:
            break
    return found


def format_at(at: str) -> str:
    """A review time as the page shows it.

    >>> format_at("2026-10-02T14:03:09Z")
    '2026-10-02 14:03 UTC'
    """
    if len(at) >= 16 and at[10] == "T":
        return f"{at[:10]} {at[11:16]} UTC" if at.endswith("Z") else at.replace("T", " ")
    return at


def page_rows(run: RunFiles, reviews: ReviewLog, thumbnails: Set[str] = frozenset()) -> list[PageRow]:
    """Every file of the run as a row, by account name and id (portfolio documents last), customer
    documents before internal ones, then kind (deck, leave-behind, follow-up …)."""
    period = str(run.run.get("period") or "") or None
    rows = []
    for entry in run.files:
        assert entry.path is not None
        review = reviews.review_of(entry.path, entry.sha256) or {}
        suffix = PurePosixPath(entry.path).suffix.lstrip(".").upper()
        rows.append(
            PageRow(
                path=entry.path,
                href=file_href(entry.path),
                document=entry.document,
                kind=kind_label(entry.document),
                fmt=suffix,
                account_id=entry.account_id or "",
                account_name=entry.account_name or "",
                segment=entry.segment or "",
                csm=entry.csm_id or "",
                audience=entry.audience or "",
                locale=entry.locale or "",
                status=str(review.get("status", "draft")),
                by=str(review.get("by", "")),
                at=format_at(str(review.get("at", ""))),
                reason=str(review.get("reason", "")),
                headlines=headlines(entry, period),
                thumbnail=(
                    f"{THUMBNAILS_DIR}/{entry.sha256}.png"
                    if entry.sha256 and f"{entry.sha256}.png" in thumbnails
                    else None
                ),
            )
        )
    order = {document: number for number, document in enumerate(KIND_LABELS)}
    rows.sort(
        key=lambda r: (
            not r.account_id,
            r.account_name.lower(),
            r.account_id,
            r.internal,
            order.get(r.document, len(order)),
            r.path,
        )
    )
    return rows


def cached_thumbnails(out_dir: Path) -> set[str]:
    """File names of the thumbnails already in ``OUT/.thumbnails`` (``<sha256>.png``)."""
    try:
        names = os.listdir(Path(out_dir) / THUMBNAILS_DIR)
    except OSError:
        return set()
    return {name for name in names if name.endswith(".png") and not name.startswith(".")}


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(
        loader=ConfinedFileSystemLoader(str(bundled_templates_dir() / "review")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


def _options(values: Sequence[str]) -> list[str]:
    return sorted({v for v in values if v}, key=str.lower)


def render_page(run: RunFiles, rows: Sequence[PageRow], *, written_at: str) -> str:
    """The page's HTML for ``rows`` of ``run``."""
    counts = Counter(row.status for row in rows)
    failed_renders = [e for e in run.entries if e.status == "failed"]
    context = {
        "title": run.out_dir.resolve().name or str(run.out_dir),
        "run": _run_facts(run, rows),
        "rows": rows,
        "statuses": [(s, counts.get(s, 0), STATUS_HELP[s]) for s in STATUSES],
        "segments": _options([r.segment for r in rows]),
        "csms": _options([r.csm for r in rows]),
        "kinds": _options([r.kind for r in rows]),
        "with_thumbnails": any(r.thumbnail for r in rows),
        "failed_renders": failed_renders,
        "written_at": written_at,
        "out_dir": str(run.out_dir),
    }
    return _environment().get_template("index.html").render(context)


def _run_facts(run: RunFiles, rows: Sequence[PageRow]) -> list[tuple[str, str]]:
    facts = []
    info = run.run
    if info.get("period"):
        facts.append(("Period", str(info["period"])))
    if info.get("command"):
        job = info.get("job")
        facts.append(("Made by", f"csreports {info['command']}" + (f" {Path(str(job)).name}" if job else "")))
    accounts = len({r.account_id for r in rows if r.account_id})
    facts.append(("Documents", f"{len(rows):,} for {accounts:,} account(s)"))
    batch = info.get("batch")
    if isinstance(batch, dict) and batch.get("status") not in (None, "complete"):
        facts.append(("Run", str(batch["status"])))
    if info.get("inputs_hash"):
        facts.append(("Inputs", str(info["inputs_hash"])))
    return facts


def write_review_page(out_dir: Path, *, thumbnails: Set[str] | None = None) -> PageResult:
    """Write ``OUT/index.html`` (atomically) for the run in ``out_dir``.

    Thumbnails already made (``OUT/.thumbnails/<sha256>.png``) are shown;
    ``thumbnails`` overrides which ones. Raises
    :class:`~reports.errors.CsReportsError` when ``out_dir`` has no readable manifest.
    """
    started = time.perf_counter()
    out_dir = Path(out_dir)
    run = read_run(out_dir)
    reviews = ReviewLog.load(out_dir)
    shown = cached_thumbnails(out_dir) if thumbnails is None else thumbnails
    rows = page_rows(run, reviews, shown)
    written_at = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    data = render_page(run, rows, written_at=written_at).encode("utf-8")
    path = out_dir / PAGE_NAME
    write_bytes_atomic(path, data)
    return PageResult(
        path=path,
        documents=len(rows),
        seconds=time.perf_counter() - started,
        size=len(data),
        thumbnails=sum(1 for r in rows if r.thumbnail),
    )
