"""``csreports nps-digest``: the quarterly NPS theme digest as PDF, or its tagged comments as CSV."""

from __future__ import annotations

from pathlib import Path

import click

from reports.cli_types import QUARTER
from reports.demo import demo_step
from reports.manifest import Manifest
from reports.pipeline import RunContext


@click.command("nps-digest")
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--segment", help="Only this segment's accounts (a name from segments.yaml).")
@click.option("--locale", type=click.Choice(["en", "sv"]), default="en", show_default=True)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["pdf", "csv"]),
    default="pdf",
    show_default=True,
    help="pdf: the digest; csv: the quarter's tagged comments.",
)
@click.option(
    "--page-size", type=click.Choice(["A4", "Letter"], case_sensitive=False), default="A4", show_default=True
)
@click.pass_obj
def command(
    obj: dict, quarter: str | None, segment: str | None, locale: str, file_format: str, page_size: str
) -> int:
    """NPS theme digest: score, what moved it, themes, emerging topics, feature requests (PDF or CSV)."""
    from reports.nps_digest.context import resolve_segment
    from reports.nps_digest.output import write_nps_digest
    from reports.pipeline import prepare_run

    run = prepare_run(obj["data"], config_dir=obj["config_dir"], quarter=quarter)
    segment = resolve_segment(segment, run.settings.segment_names)
    out_dir: Path = obj["out_dir"]
    manifest = Manifest(out_dir, run=run.provenance | {"command": "nps-digest"})
    templates = (obj["templates_dir"],) if obj.get("templates_dir") else ()
    path = write_nps_digest(
        run,
        out_dir,
        manifest,
        segment=segment,
        locale=locale,
        file_format=file_format,
        page_size=page_size,
        template_dirs=templates,
    )
    manifest.write()
    if path is not None:
        click.echo(str(path))
    for entry in manifest.failed:
        click.echo(f"Error: {entry.document}: {entry.error}", err=True)
    return 3 if manifest.failed else 0


@demo_step("nps-digest")
def _demo(run: RunContext, out_dir: Path, manifest: Manifest) -> None:
    from reports.nps_digest.output import write_nps_digest

    write_nps_digest(run, out_dir, manifest, prefix="nps/")
    write_nps_digest(run, out_dir, manifest, locale="sv", prefix="nps/")
    write_nps_digest(run, out_dir, manifest, file_format="csv", prefix="nps/")
