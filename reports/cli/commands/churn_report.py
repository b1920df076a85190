"""``csreports churn-report``: lost MRR and logos by churn reason, as PDF."""

from __future__ import annotations

import click

from reports.cli.types import LOCALE, MONTH, QUARTER, examples
from reports.output.files import ensure_out_dir
from reports.output.manifest import Manifest

LOCALES = LOCALE
PAGE_SIZES = click.Choice(["A4", "Letter"], case_sensitive=False)


def run_leadership_command(
    obj: dict, document: str, *, locale: str, page_size: str, **period: str | None
) -> int:
    """Shared body of the three leadership commands: prepare, render, write, manifest."""
    from reports.documents.leadership.output import write_document
    from reports.pipeline import prepare_run

    out_dir = ensure_out_dir(obj["out_dir"])
    run = prepare_run(obj["data"], config_dir=obj["config_dir"], **period)
    manifest = Manifest(out_dir, run=run.provenance | {"command": document})
    templates = (obj["templates_dir"],) if obj.get("templates_dir") else ()
    paths = write_document(
        document, run, out_dir, manifest, locale=locale, page_size=page_size, template_dirs=templates
    )
    manifest.write()
    for path in paths:
        click.echo(str(path))
    for entry in manifest.failed:
        click.echo(f"Error: {entry.document}: {entry.error}", err=True)
    return 3 if manifest.failed else 0


@click.command(
    "churn-report",
    epilog=examples(
        "csreports churn-report --quarter 2026-Q3",
        "csreports churn-report --start 2026-01 --end 2026-09 --page-size Letter",
    ),
)
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--start", type=MONTH, help="First month of the period (YYYY-MM), with --end.")
@click.option("--end", type=MONTH, help="Last month of the period (YYYY-MM), with --start.")
@click.option("--locale", type=LOCALES, default="en", show_default=True, help="Language and number format.")
@click.option("--page-size", type=PAGE_SIZES, default="A4", show_default=True)
@click.pass_obj
def command(
    obj: dict, quarter: str | None, start: str | None, end: str | None, locale: str, page_size: str
) -> int:
    """Churn-reason report: lost MRR and logos by reason, segment, region, tenure and quarter (PDF)."""
    return run_leadership_command(
        obj, "churn-report", locale=locale, page_size=page_size, quarter=quarter, start=start, end=end
    )
