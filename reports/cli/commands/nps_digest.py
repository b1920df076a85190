"""``csreports nps-digest``: the quarterly NPS theme digest as PDF, or its tagged comments as CSV."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from reports.cli.types import LOCALE, QUARTER, examples
from reports.output.files import ensure_out_dir
from reports.output.manifest import Manifest

if TYPE_CHECKING:
    from reports.batch.job import DocumentSpec
    from reports.documents.kinds import DocumentKind
    from reports.pipeline import RunContext


@click.command(
    "nps-digest",
    epilog=examples(
        "csreports nps-digest --quarter 2026-Q3",
        "csreports nps-digest --segment Strategic --format csv",
    ),
)
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--segment", help="Only this segment's accounts (a name from segments.yaml).")
@click.option("--locale", type=LOCALE, default="en", show_default=True)
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
    from reports.documents.nps_digest.context import resolve_segment
    from reports.documents.nps_digest.output import write_nps_digest
    from reports.pipeline import prepare_run

    out_dir = ensure_out_dir(obj["out_dir"])
    run = prepare_run(obj["data"], config_dir=obj["config_dir"], quarter=quarter)
    segment = resolve_segment(segment, run.settings.segment_names)
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


def render_demo(
    kind: DocumentKind,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
    locale: str = "en",
) -> None:
    """The digest in ``locale`` and the tagged comments, into ``out_dir/nps/``."""
    from reports.documents.nps_digest.output import write_nps_digest

    prefix = f"{kind.folder}/"
    write_nps_digest(run, out_dir, manifest, locale=locale, prefix=prefix, template_dirs=template_dirs)
    write_nps_digest(run, out_dir, manifest, file_format="csv", prefix=prefix, template_dirs=template_dirs)


def render_single(
    kind: DocumentKind,
    spec: DocumentSpec,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
) -> None:
    """One job entry: each of its formats, into its folder of ``out_dir``."""
    from reports.documents.nps_digest.output import write_nps_digest

    for file_format in spec.formats:
        write_nps_digest(
            run,
            out_dir,
            manifest,
            segment=spec.segment,
            locale=spec.locale,
            file_format=file_format,
            page_size=spec.page_size,
            template_dirs=template_dirs,
            prefix=f"{spec.folder}/" if spec.folder else "",
        )
