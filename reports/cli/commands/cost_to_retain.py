"""``csreports cost-to-retain``: the CFO summary (PDF) and the CSV behind every figure."""

from __future__ import annotations

import click

from reports.cli.commands.churn_report import LOCALES, PAGE_SIZES, run_leadership_command
from reports.cli.types import QUARTER, examples


@click.command(
    "cost-to-retain",
    epilog=examples(
        "csreports cost-to-retain --quarter 2026-Q3",
        "csreports cost-to-retain --quarter 2026-Q2 --out ./cfo --page-size Letter",
    ),
)
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--locale", type=LOCALES, default="en", show_default=True, help="Language and number format.")
@click.option("--page-size", type=PAGE_SIZES, default="A4", show_default=True)
@click.pass_obj
def command(obj: dict, quarter: str | None, locale: str, page_size: str) -> int:
    """Cost to retain, NRR components, coverage and CS ROI for the CFO (PDF + CSV)."""
    return run_leadership_command(obj, "cost-to-retain", locale=locale, page_size=page_size, quarter=quarter)
