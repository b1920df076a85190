"""``csreports review``: the review page of a run, ``OUT/index.html``."""

from __future__ import annotations

from pathlib import Path

import click

from reports.cli.types import examples

OUT = click.Path(file_okay=False, path_type=Path)
"""A run's --out folder; one without a manifest is a one-line error from the command."""


def write_page_line(out_dir: Path) -> None:
    """Write the review page after a command that changed the run, and say where it is.

    A page that cannot be written is one line on stderr, never the command's failure:
    the documents and the manifest are what the command was for.
    """
    from reports.errors import CsReportsError
    from reports.review.page import write_review_page

    try:
        page = write_review_page(out_dir)
    except (CsReportsError, OSError) as exc:
        click.echo(f"Review page not written: {exc}", err=True)
        return
    click.echo(f"Review page: {page.path}")


@click.command(
    "review",
    epilog=examples(
        "csreports review ./q3",
        "csreports review ./q3 --thumbnails",
    ),
)
@click.argument("out", type=OUT)
@click.option(
    "--thumbnails",
    is_flag=True,
    help="Show the first slide or page of each deck and PDF (LibreOffice and poppler; cached in OUT/.thumbnails).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1),
    default=2,
    show_default=True,
    help="Thumbnails rendered at once.",
)
def command(out: Path, thumbnails: bool, jobs: int) -> int:
    """Write OUT/index.html: every document of a run with its account, status and headline figures.

    One static page, no server and no network: open it from the folder, filter by
    account, segment, CSM, document and status. approve and hold rewrite it.
    """
    from reports.review.manifest_file import read_run
    from reports.review.page import write_review_page

    made = None
    if thumbnails:
        from reports.review.thumbnails import make_thumbnails

        report = make_thumbnails(out, read_run(out).files, jobs=jobs)
        for line in report.lines():
            click.echo(line, err=not report.ok)
        made = report.available
    page = write_review_page(out, thumbnails=made)
    shown = f", {page.thumbnails:,} with a thumbnail" if page.thumbnails else ""
    click.echo(f"Review page: {page.path} ({page.documents:,} documents{shown})")
    return 0
