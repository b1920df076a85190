"""Write the NPS digest (PDF or tagged-comments CSV) atomically and record it in a manifest.

The PDF's manifest entry lists every figure it prints
(:attr:`reports.documents.nps_digest.context.NpsDigestContext.figures`); the comments
CSV holds rows of data, not figures, and lists none.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reports.errors import CsReportsError
from reports.output.figures import figure_records
from reports.output.files import path_inside, safe_slug, write_bytes_atomic
from reports.output.manifest import Manifest

if TYPE_CHECKING:
    from reports.pipeline import RunContext

DOCUMENT = "nps-digest"
FORMATS = ("pdf", "csv")


def digest_stem(run: RunContext, *, segment: str | None, locale: str) -> str:
    """``nps-digest-2026-q3`` plus ``-<segment>`` and ``-sv`` when given."""
    parts = (
        [DOCUMENT, run.window.label] + ([segment] if segment else []) + ([locale] if locale != "en" else [])
    )
    return safe_slug(*parts)


def write_nps_digest(
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    *,
    segment: str | None = None,
    locale: str = "en",
    file_format: str = "pdf",
    page_size: str = "A4",
    template_dirs: Sequence[Path] = (),
    prefix: str = "",
) -> Path | None:
    """Render the digest of ``run.window`` into ``out_dir``; a rendering failure goes to the manifest.

    ``prefix`` (e.g. ``"nps/"``) is prepended to the file name, so the demo
    can write into a subfolder. Returns the written path, or None on failure.
    An unknown segment raises before anything is written.
    """
    from reports.documents.nps_digest.context import resolve_segment

    segment = resolve_segment(segment, run.settings.segment_names)
    if file_format not in FORMATS:
        raise CsReportsError(f"format {file_format!r} is not one of {', '.join(FORMATS)}")
    started = time.perf_counter()
    stem = digest_stem(run, segment=segment, locale=locale)
    figures = None
    try:
        if file_format == "csv":
            from reports.documents.nps_digest.csv_export import render_tagged_csv

            name, data = (
                f"{stem}-comments.csv",
                render_tagged_csv(run, quarter_window=run.window, segment=segment),
            )
        else:
            from reports.documents.nps_digest.context import build_nps_digest_context
            from reports.documents.nps_digest.render import render_nps_digest

            context = build_nps_digest_context(run, quarter_window=run.window, segment=segment, locale=locale)
            data = render_nps_digest(run, context=context, page_size=page_size, template_dirs=template_dirs)
            name = f"{stem}.pdf"
            figures = figure_records(context.figures)
    except CsReportsError as exc:
        if exc.exit_code == 1:  # bad input (config, overrides): the command fails as a whole
            raise
        manifest.add_failure(DOCUMENT, str(exc))
        return None
    path = path_inside(out_dir, prefix + name)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data)
    manifest.add_file(
        DOCUMENT,
        path,
        duration_s=time.perf_counter() - started,
        inputs_hash=run.dataset.input_hash,
        figures=figures,
    )
    return path
