"""``csreports deliver``: send each approved customer account its QBR documents by e-mail.

Reads the run's ``manifest.json`` and review log in OUT, the contacts and CSMs from the
run's data (``--data``, else the folder the run read), and ``configs/delivery.yaml``;
then ``--dry-run`` prints account -> recipients -> attachments, ``--eml DIR`` writes one
``.eml`` per account, ``--send`` sends over SMTP (settings from the environment or
``--env-file`` only). See :mod:`reports.delivery.run`.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from reports.cli.types import examples

if TYPE_CHECKING:
    from reports.delivery.run import Outcome

OUT = click.Path(exists=True, file_okay=False, path_type=Path)


def _mode(send: bool, eml_dir: Path | None, dry_run: bool, env_file: Path | None) -> str:
    chosen = [n for n, on in (("--send", send), ("--eml", eml_dir is not None), ("--dry-run", dry_run)) if on]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be combined; choose one")
    if not chosen:
        raise click.UsageError("choose --dry-run (print), --eml DIR (write .eml files) or --send")
    if env_file is not None and not send:
        raise click.UsageError("--env-file only applies with --send")
    return {"--send": "send", "--eml": "eml", "--dry-run": "dry-run"}[chosen[0]]


def _data_source(given: str | Path | None, run: dict) -> str | Path | None:
    """``--data`` when given, else the local folder the run read (if it is still there)."""
    if given is not None:
        return given
    source = str(run.get("source") or "")
    if source and "://" not in source and Path(source).is_dir():
        return Path(source)
    return None


@click.command(
    "deliver",
    epilog=examples(
        "csreports deliver ./q3 --dry-run",
        "csreports deliver ./q3 --eml ./q3-outbox",
        "csreports deliver ./q3 --send --rate 30",
    ),
)
@click.argument("out", type=OUT)
@click.option("--dry-run", is_flag=True, help="Print account -> recipients -> attachments; send nothing.")
@click.option(
    "--eml",
    "eml_dir",
    type=click.Path(file_okay=False, path_type=Path),
    metavar="DIR",
    help="Write one .eml per account into DIR; send nothing.",
)
@click.option("--send", is_flag=True, help="Send over SMTP (CSREPORTS_SMTP_* from the environment).")
@click.option("--rate", type=click.IntRange(min=0), metavar="N", help="Messages per minute (0: no limit).")
@click.option("--limit", type=click.IntRange(min=1), metavar="N", help="At most N messages this run.")
@click.option("--account", "accounts", multiple=True, metavar="ID", help="Only this account; repeatable.")
@click.option(
    "--env-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="KEY=VALUE file with the CSREPORTS_SMTP_* settings (with --send).",
)
@click.option("--by", metavar="NAME", default="csreports deliver", show_default=True, help="Who sends.")
@click.pass_obj
def command(
    obj: dict,
    out: Path,
    dry_run: bool,
    eml_dir: Path | None,
    send: bool,
    rate: int | None,
    limit: int | None,
    accounts: tuple[str, ...],
    env_file: Path | None,
    by: str,
) -> int:
    """Send each approved customer account its QBR documents by e-mail (never internal files)."""
    from reports.data.settings import load_settings
    from reports.delivery.config import load_delivery_config
    from reports.delivery.run import DeliveryOptions, deliver
    from reports.documents.email.send import load_smtp_settings
    from reports.output.files import ensure_out_dir
    from reports.pipeline import load_dataset
    from reports.review.manifest_file import read_run

    mode = _mode(send, eml_dir, dry_run, env_file)
    config = load_delivery_config(obj.get("config_dir"))
    smtp = load_smtp_settings(env_file=env_file) if mode == "send" else None
    if eml_dir is not None:
        eml_dir = ensure_out_dir(eml_dir)
    settings = load_settings(obj.get("config_dir"))
    run = read_run(out)
    dataset = load_dataset(_data_source(obj.get("data"), run.run), settings)
    options = DeliveryOptions(
        mode=mode,
        eml_dir=eml_dir,
        smtp=smtp,
        rate_per_minute=rate,
        limit=limit,
        accounts=accounts,
        by=by,
        template_dirs=[obj["templates_dir"]] if obj.get("templates_dir") else [],
        company=settings.branding.company_name,
        accent=settings.branding.accent,
    )
    result = deliver(out, config, dataset.tables, options, echo=click.echo)
    counts = {s: result.count(s) for s in ("sent", "written", "dry run", "failed", "not sent")}
    summary = ", ".join(f"{n} {s}" for s, n in counts.items() if n) or "nothing to deliver"
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(result.plan.skipped.items()) if n)
    click.echo(f"Deliver: {summary}" + (f"; skipped files: {skipped}" if skipped else ""))
    if result.plan.reconciled:
        click.echo(
            f"  {len(result.plan.reconciled)} file(s) were already sent (delivery ledger); recorded as sent"
        )
    if mode != "dry-run":
        for line in problem_lines(result.outcomes):
            click.echo(line, err=True)
    if result.report is not None:
        click.echo(f"  report: {result.report}")
    if mode == "send":  # sent and failed files changed their status on the review page
        from reports.cli.commands.review import write_page_line

        write_page_line(out)
    return result.exit_code


MAX_FAILED_LINES = 20
"""Failed accounts named one per line, up to this many; the delivery report lists them all."""


def problem_lines(outcomes: Sequence[Outcome]) -> list[str]:
    """One line per failed account (at most :data:`MAX_FAILED_LINES`), and one line for the
    accounts not sent because the run stopped (they stay approved: the same command sends them)."""
    failed = [o for o in outcomes if o.status == "failed"]
    lines = [f"  failed: {o.delivery.account_id}: {o.error}" for o in failed[:MAX_FAILED_LINES]]
    if len(failed) > MAX_FAILED_LINES:
        lines.append(f"  … and {len(failed) - MAX_FAILED_LINES} more failed (see delivery-report.csv)")
    waiting = [o for o in outcomes if o.status == "not sent"]
    if waiting:
        lines.append(
            f"  not sent: {len(waiting)} account(s), still approved: {waiting[0].error}; "
            "run the same command again to send them"
        )
    return lines
