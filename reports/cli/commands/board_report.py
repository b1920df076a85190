"""``csreports board-report``: the quarterly board report as PDF and PPTX deck."""

from __future__ import annotations

import click

from reports.cli.commands.churn_report import LOCALES, PAGE_SIZES, run_leadership_command
from reports.cli.types import QUARTER, examples


@click.command(
    "board-report",
    epilog=examples(
        "csreports board-report --quarter 2026-Q3",
        "csreports board-report --quarter 2026-Q3 --locale sv --out ./board",
    ),
)
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--locale", type=LOCALES, default="en", show_default=True, help="Language and number format.")
@click.option("--page-size", type=PAGE_SIZES, default="A4", show_default=True)
@click.pass_obj
def command(obj: dict, quarter: str | None, locale: str, page_size: str) -> int:
    """Quarterly board report: retention, churn, health, risks and cost (PDF + PPTX)."""
    return run_leadership_command(obj, "board-report", locale=locale, page_size=page_size, quarter=quarter)
