"""Write the leadership documents (PDF, PPTX, CSV) atomically and record them in a manifest."""

from __future__ import annotations

import io
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from reports.documents.leadership.common import document_stem
from reports.errors import CsReportsError
from reports.output.figures import Figure, figure_records
from reports.output.files import path_inside, spreadsheet_safe, write_bytes_atomic
from reports.output.manifest import Manifest

if TYPE_CHECKING:
    from reports.pipeline import RunContext


def _csv(table: Any) -> bytes:
    """UTF-8 CSV of a DataFrame; text that a spreadsheet would run as a formula is quoted with '."""
    buffer = io.StringIO()
    spreadsheet_safe(table).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


class RenderedFile(NamedTuple):
    """One file of a leadership document and the figures it prints (none for a data CSV)."""

    name: str
    data: bytes
    figures: Sequence[Figure] = ()


def _write(
    out_dir: Path, file: RenderedFile, manifest: Manifest, document: str, run: RunContext, started: float
) -> Path:
    path = path_inside(out_dir, file.name)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, file.data)
    manifest.add_file(
        document,
        path,
        duration_s=time.perf_counter() - started,
        inputs_hash=run.dataset.input_hash,
        figures=figure_records(file.figures) if file.figures else None,
    )
    return path


def churn_report_files(
    run: RunContext, *, stem: str, locale: str, page_size: str, template_dirs: Sequence[Path]
) -> list[RenderedFile]:
    """The churn-reason report (PDF) and the churned accounts behind it (CSV)."""
    from reports.documents.leadership.churn_report import (
        accounts_csv_name,
        build_churn_report_context,
        churn_accounts_table,
        render_churn_report,
    )

    context = build_churn_report_context(run, locale=locale)
    pdf = render_churn_report(run, page_size=page_size, template_dirs=template_dirs, context=context)
    return [
        RenderedFile(f"{stem}.pdf", pdf, context.figures),
        RenderedFile(accounts_csv_name(run, locale), _csv(churn_accounts_table(run))),
    ]


def cost_to_retain_files(
    run: RunContext, *, stem: str, locale: str, page_size: str, template_dirs: Sequence[Path]
) -> list[RenderedFile]:
    """The CFO summary (PDF) and one CSV per table behind its figures."""
    from reports.documents.leadership.cost_to_retain import (
        build_cost_to_retain_context,
        render_cost_to_retain,
    )

    context = build_cost_to_retain_context(run, locale=locale)
    pdf = render_cost_to_retain(run, page_size=page_size, template_dirs=template_dirs, context=context)
    return [
        RenderedFile(f"{stem}.pdf", pdf, context.figures),
        *(RenderedFile(f"{stem}/{name}.csv", _csv(t)) for name, t in context.tables.items()),
    ]


def board_report_files(
    run: RunContext, *, stem: str, locale: str, page_size: str, template_dirs: Sequence[Path]
) -> list[RenderedFile]:
    """The board report as PDF and as PPTX deck, from one context."""
    from reports.documents.leadership.board_deck import build_board_deck
    from reports.documents.leadership.board_report import build_board_report_context, render_board_report

    context = build_board_report_context(run, locale=locale)
    pdf = render_board_report(run, page_size=page_size, template_dirs=template_dirs, context=context)
    deck, deck_figures = build_board_deck(run, context=context, template_dirs=template_dirs)
    return [
        RenderedFile(f"{stem}.pdf", pdf, context.figures),
        RenderedFile(f"{stem}.pptx", deck, deck_figures),
    ]


def write_document(
    document: str,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    *,
    locale: str = "en",
    page_size: str = "A4",
    template_dirs: Sequence[Path] = (),
) -> list[Path]:
    """Render the leadership ``document`` (a kind with ``files`` in :mod:`reports.documents.kinds`)
    into ``out_dir``; a rendering failure goes to the manifest."""
    from reports.documents.kinds import document_kind, leadership_kinds

    kind = document_kind(document)
    if kind.files is None:
        names = ", ".join(k.name for k in leadership_kinds())
        raise ValueError(f"unknown leadership document {document!r} (one of {names})")
    stem = document_stem(document, run, locale)
    started = time.perf_counter()
    try:
        files = kind.render_files(
            run, stem=stem, locale=locale, page_size=page_size, template_dirs=tuple(template_dirs)
        )
    except CsReportsError as exc:
        manifest.add_failure(document, str(exc))
        return []
    return [_write(out_dir, file, manifest, document, run, started) for file in files]


def render_demo(
    kind: Any,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
    locale: str = "en",
) -> None:
    """The demo's copy of ``kind`` (in ``locale``, A4) into its folder of ``out_dir``."""
    write_document(
        kind.name, run, out_dir / kind.folder, manifest, locale=locale, template_dirs=template_dirs
    )


def render_single(
    kind: Any, spec: Any, run: RunContext, out_dir: Path, manifest: Manifest, template_dirs: tuple[Path, ...]
) -> None:
    """One job entry of ``kind`` into its folder of ``out_dir``."""
    write_document(
        kind.name,
        run,
        out_dir / spec.folder if spec.folder else out_dir,
        manifest,
        locale=spec.locale,
        page_size=spec.page_size,
        template_dirs=template_dirs,
    )
