"""Render QBRs for a set of accounts: selection, per-account isolation, manifest.

One bad account is recorded in the manifest as failed (with its error) and
the others are still rendered; the caller exits 3 when any failed. Files are
named by the account's unique slug (``safe_slug(account_id, name)``, plus a
short hash of the id when two accounts' slugs collide) inside the output
folder, written atomically.
"""

from __future__ import annotations

import time
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from reports.documents.qbr.config import QbrConfig, load_qbr_config
from reports.documents.qbr.context import AccountIndex, build_qbr_context, customer_view
from reports.documents.qbr.deck_update import DeckUpdate, update_from_earlier
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.errors import CsReportsError, OutputError, failure_line
from reports.output.figures import figure_records
from reports.output.files import path_inside, safe_slug, write_bytes_atomic
from reports.output.manifest import Manifest
from reports.render.pptx.deck import template_bytes
from reports.render.pptx.template_check import check_template
from reports.render.template_files import find_template_file, template_folders

FORMATS = ("pptx", "pdf")


@dataclass(frozen=True)
class QbrOptions:
    """What to render: formats, audience, locale, follow-up email, template folder."""

    formats: tuple[str, ...] = ("pptx",)
    audience: str = "customer"
    locale: str = "en"
    follow_up: bool = False
    templates_dir: Path | None = None
    update_from: Path | None = None
    """Folder of the earlier decks to update (:mod:`reports.documents.qbr.deck_update`); None: fresh decks."""


def select_accounts(
    accounts: pd.DataFrame,
    *,
    account_ids: Sequence[str] = (),
    segment: str | None = None,
    csm: str | None = None,
) -> list[str]:
    """Account ids matching every given filter, sorted; unknown ids or an empty result raise.

    The error for unknown ids is one line and suggests the ids meant, case
    aside first, then close spellings: ``unknown account id(s): a-00140
    (did you mean A-00140?)``.
    """
    import difflib

    known = set(accounts["account_id"])
    unknown = [a for a in account_ids if a not in known]
    if unknown:
        by_lower = {str(k).lower(): str(k) for k in sorted(known)}
        described = []
        for given in unknown:
            key = given.lower()
            close = [key] if key in by_lower else difflib.get_close_matches(key, by_lower, n=3, cutoff=0.75)
            guesses = [by_lower[c] for c in close]
            if not guesses:
                described.append(given)
                continue
            said = " or ".join(filter(None, (", ".join(guesses[:-1]), guesses[-1])))
            described.append(f"{given} (did you mean {said}?)")
        raise CsReportsError(f"unknown account id(s): {', '.join(described)}")
    chosen = accounts
    if account_ids:
        chosen = chosen[chosen["account_id"].isin(account_ids)]
    if segment:
        segments = sorted(accounts["segment"].dropna().unique())
        match = {s.lower(): s for s in segments}.get(segment.lower())
        if match is None:
            raise CsReportsError(f"segment {segment!r} is not one of {', '.join(segments)}")
        chosen = chosen[chosen["segment"] == match]
    if csm:
        chosen = chosen[chosen["csm_id"] == csm]
    ids = sorted(chosen["account_id"])
    if not ids:
        raise CsReportsError("no account matches the selection")
    return ids


def paying_at_end(account_metrics: pd.DataFrame) -> frozenset[str]:
    """Ids of the accounts with MRR at the end of the period (``mrr_end`` > 0 in the run's account
    metrics): the customers a QBR is for. An account that churned, or has not started paying, is
    not one, and a programme that selects accounts by segment or CSM leaves it out."""
    return frozenset(account_metrics.loc[account_metrics["mrr_end"] > 0, "account_id"].astype(str))


def find_template(segment: str | None, templates_dir: Path | None) -> Path:
    """The PPTX master: ``qbr/qbr-<segment>.pptx`` (or ``.potx``) then ``qbr/qbr.pptx`` (or
    ``.potx``), user folder first.

    Only files really inside the template folders are read
    (:func:`~reports.render.template_files.find_template_file`).
    """
    stems = [f"qbr/qbr-{safe_slug(segment)}", "qbr/qbr"] if segment else ["qbr/qbr"]
    names = [f"{stem}.{ext}" for stem in stems for ext in ("pptx", "potx")]
    dirs = [Path(templates_dir)] if templates_dir else []
    found = find_template_file(names, dirs)
    if found is None:
        folders = ", ".join(map(str, template_folders(dirs)))
        raise CsReportsError(f"no QBR template ({', '.join(names)}) in {folders}")
    return found


def master_problems(account_segments: Sequence[str | None], templates_dir: Path | None) -> list[str]:
    """One line per reason a QBR master the accounts of ``account_segments`` would use cannot
    render decks (``csreports template check``'s problems), so a run stops before any deck
    rather than failing every account alike."""
    problems: list[str] = []
    for path in sorted({find_template(segment, templates_dir) for segment in account_segments}):
        problems += check_template(path, fonts=False).problems
    return problems


def account_about(account: Mapping[str, Any], audience: str, locale: str) -> dict[str, str]:
    """What a QBR file's manifest entry says of its account (``ABOUT_FIELDS``): name, segment,
    CSM id, audience and language, so the review page and delivery need only the output folder."""
    fields = {
        "account_name": account.get("name"),
        "segment": account.get("segment"),
        "csm_id": account.get("csm_id"),
    }
    about = {k: str(v) for k, v in fields.items() if v is not None and v == v}
    return about | {"audience": audience, "locale": locale}


def deck_stem(account_slug: str, audience: str, locale: str = "en") -> str:
    """File stem of an account's QBR files: its unique slug, ``-internal`` for that audience and
    the language for any but English (``a-00140-aurora-retail-inc-internal-sv``), so no two
    audiences or languages of one account write the same file.

    >>> deck_stem("a-1-acme", "customer"), deck_stem("a-1-acme", "internal", "sv")
    ('a-1-acme', 'a-1-acme-internal-sv')
    """
    stem = account_slug + ("" if audience == "customer" else "-internal")
    return stem if locale == "en" else f"{stem}-{safe_slug(locale)}"


def render_account(
    index: AccountIndex,
    account_id: str,
    options: QbrOptions,
    config: QbrConfig,
    out_dir: Path,
    *,
    account_slug: str,
    updates: dict[Path, DeckUpdate] | None = None,
    about: dict[str, str] | None = None,
) -> list[tuple[str, Path, list[dict] | None]]:
    """Render one account's files into ``out_dir``; returns ``(document, path, figures)``.

    ``account_slug`` names the files (``Dataset.account_slugs``: unique per account);
    ``figures`` are the manifest records of what the file prints. With
    ``options.update_from``, the deck is merged into the earlier one of the same
    name there, and what became of it goes into ``updates`` by the deck's path;
    ``about`` receives what the manifest says of the account (:func:`account_about`).
    """
    data = index.account_data(account_id)
    context = build_qbr_context(data, audience=options.audience, locale=options.locale, config=config)
    if about is not None:
        about.update(account_about(data.account, options.audience, options.locale))
    stem = deck_stem(account_slug, options.audience, options.locale)
    # Every file is rendered before any is written: an account that fails leaves nothing behind.
    rendered: list[tuple[str, str, bytes, list[dict] | None]] = []
    if "pptx" in options.formats:
        template = find_template(context.segment, options.templates_dir)
        deck = render_qbr_pptx(context, template_bytes(template), config.branding)
        if options.update_from is not None:
            deck, update = update_from_earlier(deck, Path(options.update_from) / f"{stem}.pptx")
            if updates is not None:
                updates[path_inside(out_dir, f"{stem}.pptx")] = update
        rendered.append(("qbr-pptx", f"{stem}.pptx", deck, figure_records(context.figures)))
    if "pdf" in options.formats:
        from reports.documents.qbr.leave_behind import leave_behind_figures, render_leave_behind

        pdf = render_leave_behind(context, templates_dir=options.templates_dir, branding=config.branding)
        rendered.append(("qbr-pdf", f"{stem}.pdf", pdf, figure_records(leave_behind_figures(context))))
    if options.follow_up:
        from reports.documents.qbr.followup import render_followup

        customer = customer_view(context, data, config)
        rendered.append(
            (
                "qbr-follow-up",
                f"{stem}-follow-up.eml",
                render_followup(customer),
                figure_records(customer.followup_figures),
            )
        )
    written: list[tuple[str, Path, list[dict] | None]] = []
    try:
        for document, name, content, figures in rendered:
            path = path_inside(out_dir, name)
            write_bytes_atomic(path, content)
            written.append((document, path, figures))
    except OutputError:  # the disk filled mid-account: none of its files stay
        for _document, path, _figures in written:
            path.unlink(missing_ok=True)
        raise
    return written


def render_qbrs(
    run, account_ids: Sequence[str], options: QbrOptions, out_dir: Path, manifest: Manifest
) -> None:
    """Render every account in ``account_ids``; failures go to the manifest, not up.

    An output folder that cannot take more files (full, read-only) fails the
    account being written and stops: the remaining accounts are not tried.
    """
    config = load_qbr_config(run.settings.config_dirs, run.settings.branding)
    index = AccountIndex(run)
    slugs = run.dataset.account_slugs
    for account_id in account_ids:
        started = time.perf_counter()
        updates: dict[Path, DeckUpdate] = {}
        about: dict[str, str] = {}
        try:
            written = render_account(
                index,
                account_id,
                options,
                config,
                out_dir,
                account_slug=slugs[account_id],
                updates=updates,
                about=about,
            )
        except Exception as exc:  # one bad account must not stop the batch
            manifest.add_failure(
                "qbr", failure_line(exc), account_id=account_id, traceback=traceback.format_exc()
            )
            if isinstance(exc, OutputError) and exc.stops_run:
                break
            continue
        duration = time.perf_counter() - started
        for document, path, figures in written:
            manifest.add_file(
                document,
                path,
                duration_s=duration,
                account_id=account_id,
                inputs_hash=run.dataset.input_hash,
                figures=figures,
                update=updates[path].manifest() if path in updates else None,
                about=about,
            )
