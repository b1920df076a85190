"""``csreports qbr``: one QBR deck (PPTX, optional PDF and follow-up email) per account."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reports.cli.types import LOCALE, QUARTER, examples
from reports.errors import CsReportsError
from reports.output.files import ensure_out_dir
from reports.output.manifest import Manifest

if TYPE_CHECKING:
    from reports.documents.kinds import DocumentKind
    from reports.pipeline import RunContext


def parse_formats(value: str) -> tuple[str, ...]:
    """``"pptx,pdf"`` -> ``("pptx", "pdf")``; raises ``click.BadParameter`` for anything else."""
    from reports.documents.qbr.run import FORMATS

    formats = tuple(dict.fromkeys(part.strip().lower() for part in value.split(",") if part.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise click.BadParameter(f"{value!r}: give a comma-separated list of {', '.join(FORMATS)}")
    return formats


@click.command(
    "qbr",
    epilog=examples(
        "csreports qbr --account A-00140 --quarter 2026-Q3",
        "csreports qbr --segment Strategic --format pptx,pdf --follow-up --out decks",
        "csreports qbr --csm CSM-STR-01 --audience internal",
    ),
)
@click.option("--account", "accounts", multiple=True, metavar="ID", help="Account id; repeat for several.")
@click.option("--segment", help="Every account in this segment (e.g. Strategic).")
@click.option("--csm", help="Every account of this CSM id.")
@click.option("--quarter", type=QUARTER, help="Quarter to review. Default: the last complete one.")
@click.option("--format", "formats", default="pptx", show_default=True, help="pptx, pdf or pptx,pdf.")
@click.option("--locale", type=LOCALE, default="en", show_default=True)
@click.option(
    "--audience",
    type=click.Choice(["customer", "internal"]),
    default="customer",
    show_default=True,
    help="customer: safe to show; internal: adds health, risks, upsell signals.",
)
@click.option("--follow-up", is_flag=True, help="Also write a follow-up email draft (.eml) per account.")
@click.option(
    "--update-from",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Update each account's earlier deck of the same name in DIR (may be the output folder): "
    "numbers refreshed, the CSM's slides and edits kept.",
)
@click.pass_obj
def command(
    obj: dict,
    accounts: tuple[str, ...],
    segment: str | None,
    csm: str | None,
    quarter: str | None,
    formats: str,
    locale: str,
    audience: str,
    follow_up: bool,
    update_from: Path | None,
) -> int:
    """QBR decks: an editable PPTX per account (and a PDF leave-behind), plus manifest.json."""
    from reports.cli.commands.review import write_page_line
    from reports.documents.qbr.run import (
        QbrOptions,
        master_problems,
        paying_at_end,
        render_qbrs,
        select_accounts,
    )
    from reports.pipeline import prepare_run

    chosen_formats = parse_formats(formats)
    if not (accounts or segment or csm):
        raise click.UsageError("choose accounts with --account, --segment or --csm")
    out_dir = ensure_out_dir(obj["out_dir"])
    run = prepare_run(obj["data"], config_dir=obj["config_dir"], quarter=quarter)
    try:
        ids = select_accounts(run.dataset.tables["accounts"], account_ids=accounts, segment=segment, csm=csm)
    except CsReportsError as exc:
        if str(exc).startswith("unknown account id"):
            raise CsReportsError(f"{exc}; `csreports accounts` lists the ids") from exc
        raise
    if not accounts:  # a segment or CSM: its customers; an account named with --account is rendered anyway
        paying = paying_at_end(run.metrics.accounts)
        left_out = [a for a in ids if a not in paying]
        ids = [a for a in ids if a in paying]
        if not ids:
            raise CsReportsError(
                f"no account of the selection had MRR at the end of {run.window.label} "
                f"({len(left_out)} churned or not yet paying); name one with --account to render it anyway"
            )
        if left_out:
            click.echo(
                f"Left out {len(left_out)} account(s) without MRR at the end of {run.window.label} "
                "(churned or not yet paying); name one with --account to render it anyway."
            )
    options = QbrOptions(
        formats=chosen_formats,
        audience=audience,
        locale=locale,
        follow_up=follow_up,
        templates_dir=obj["templates_dir"],
        update_from=update_from,
    )
    if update_from is not None and not update_from.is_dir():
        raise CsReportsError(f"--update-from {update_from}: no such folder")
    if "pptx" in chosen_formats:
        segments = run.dataset.tables["accounts"].set_index("account_id").loc[ids, "segment"]
        problems = master_problems([None if s != s else str(s) for s in segments], options.templates_dir)
        if problems:
            raise CsReportsError("\n".join(problems))
    manifest = Manifest(
        out_dir, run=run.provenance | {"command": "qbr", "audience": audience, "locale": locale}
    )
    render_qbrs(run, ids, options, out_dir, manifest)
    manifest.write()
    ok = len(manifest.entries) - len(manifest.failed)
    click.echo(f"QBR {run.window.label}: {ok} files for {len(ids)} account(s) in {out_dir}/")
    if update_from is not None:
        report_updates(manifest, update_from)
    write_page_line(out_dir)
    for entry in manifest.failed:
        click.echo(f"  failed: {entry.account_id}: {entry.error}", err=True)
    untried = len(set(ids) - {entry.account_id for entry in manifest.entries})
    if untried:
        click.echo(
            f"  stopped: {untried} account(s) not rendered; the output folder takes no more files", err=True
        )
    return 3 if manifest.failed else 0


def report_updates(manifest: Manifest, update_from: Path) -> None:
    """One line per deck not updated from a usable earlier file, one per deck that kept edits,
    and the counts."""
    updates = [(e.path, e.update) for e in manifest.entries if e.update is not None]
    for _path, update in updates:
        if update["status"] == "fresh":
            click.echo(f"  {update['message']}", err=True)
    for path, update in updates:
        edits = update.get("kept_edits") or []
        if edits:
            where = ", ".join(f"{k['slide']} {k['shape']}" for k in edits[:3]) + (
                " …" if len(edits) > 3 else ""
            )
            click.echo(f"  kept edits: {path}: {len(edits)} ({where}); see manifest.json")
    counts = {s: sum(u["status"] == s for _p, u in updates) for s in ("updated", "new", "fresh")}
    click.echo(
        f"  from {update_from}/: {counts['updated']} deck(s) updated, {counts['new']} new, "
        f"{counts['fresh']} written fresh"
    )


def render_demo(
    kind: DocumentKind,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
    locale: str = "en",
) -> None:
    """One deck per segment (the largest account), both audiences, PPTX + PDF, in ``locale``, into out/qbr/."""
    from reports.documents.qbr.run import QbrOptions, render_qbrs

    accounts = run.metrics.accounts
    sub = out_dir / "qbr"
    picks = []
    for _segment, rows in accounts.sort_values(["segment", "account_id"]).groupby("segment"):
        paying = rows[rows["mrr_end"] > 0]
        best = (paying if len(paying) else rows).sort_values(
            ["mrr_end", "account_id"], ascending=[False, True]
        )
        picks.append(str(best["account_id"].iloc[0]))
    for audience in ("customer", "internal"):
        options = QbrOptions(
            formats=("pptx", "pdf"),
            audience=audience,
            locale=locale,
            follow_up=audience == "customer",
            templates_dir=template_dirs[0] if template_dirs else None,
        )
        render_qbrs(run, picks, options, sub, manifest)
