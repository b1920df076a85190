"""``csreports template``: commands about PowerPoint masters (``template check``)."""

from __future__ import annotations

from pathlib import Path

import click

from reports.cli.types import examples


@click.group(
    "template",
    epilog=examples(
        "csreports template check templates/qbr/qbr.pptx",
        "csreports template check ~/Corporate.potx",
    ),
)
def command() -> None:
    """Check a PowerPoint master: layouts used, slide size, fonts."""


@command.command(
    "check",
    epilog=examples(
        "csreports template check templates/qbr/qbr.pptx",
        "csreports template check ~/Corporate.potx",
    ),
)
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(path: Path) -> int:
    """Say which layout each kind of slide uses and why, the slide size and the theme fonts.

    A layout named as in csreports' own master ("Title", "Chart", "KPI" …) is used
    for its kind; otherwise one is chosen by its placeholders (title, subtitle,
    body, content, chart, table), whatever its name or language. Exits 1 with one
    line per problem when the file is not a usable presentation or a kind of slide
    has no layout.
    """
    from reports.render.pptx.template_check import check_template, format_report

    report = check_template(path)
    for line in format_report(report):
        click.echo(line)
    for problem in report.problems:
        click.echo(f"Error: {problem}", err=True)
    return 0 if report.ok else 1
