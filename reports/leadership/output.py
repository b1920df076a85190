"""Write the leadership documents (PDF, PPTX, CSV) atomically and record them in a manifest."""

from __future__ import annotations

import io
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from reports.errors import CsReportsError
from reports.manifest import Manifest
from reports.output import path_inside, safe_slug, spreadsheet_safe, write_bytes_atomic

DOCUMENTS = ("churn-report", "cost-to-retain", "board-report")


def document_stem(document: str, run: Any, locale: str) -> str:
    """``churn-report-2026-q3`` (``-sv`` appended for Swedish)."""
    parts = [document, run.window.label] + ([locale] if locale != "en" else [])
    return safe_slug(*parts)


def _csv(table: Any) -> bytes:
    """UTF-8 CSV of a DataFrame; text that a spreadsheet would run as a formula is quoted with '."""
    buffer = io.StringIO()
    spreadsheet_safe(table).to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def _write(
    out_dir: Path, name: str, data: bytes, manifest: Manifest, document: str, run: Any, started: float
) -> Path:
    path = path_inside(out_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomic(path, data)
    manifest.add_file(
        document, path, duration_s=time.perf_counter() - started, inputs_hash=run.dataset.input_hash
    )
    return path


def write_document(
    document: str,
    run: Any,
    out_dir: Path,
    manifest: Manifest,
    *,
    locale: str = "en",
    page_size: str = "A4",
    template_dirs: Sequence[Path] = (),
) -> list[Path]:
    """Render ``document`` (one of :data:`DOCUMENTS`) into ``out_dir``; failures go to the manifest."""
    stem = document_stem(document, run, locale)
    written: list[Path] = []
    steps: list[tuple[str, Callable[[], list[tuple[str, bytes]]]]] = []
    if document == "churn-report":
        from reports.leadership.churn_report import (
            accounts_csv_name,
            churn_accounts_table,
            render_churn_report,
        )

        def churn() -> list[tuple[str, bytes]]:
            pdf = render_churn_report(run, locale=locale, page_size=page_size, template_dirs=template_dirs)
            return [(f"{stem}.pdf", pdf), (accounts_csv_name(run, locale), _csv(churn_accounts_table(run)))]

        steps.append((document, churn))
    elif document == "cost-to-retain":
        from reports.leadership.cost_to_retain import build_cost_to_retain_context, render_cost_to_retain

        def cost() -> list[tuple[str, bytes]]:
            context = build_cost_to_retain_context(run, locale=locale)
            files = [
                (
                    f"{stem}.pdf",
                    render_cost_to_retain(
                        run, page_size=page_size, template_dirs=template_dirs, context=context
                    ),
                )
            ]
            for name, table in context.tables.items():
                files.append((f"{stem}/{name}.csv", _csv(table)))
            return files

        steps.append((document, cost))
    elif document == "board-report":
        from reports.leadership.board_deck import render_board_deck
        from reports.leadership.board_report import build_board_report_context, render_board_report

        def board() -> list[tuple[str, bytes]]:
            context = build_board_report_context(run, locale=locale)
            return [
                (
                    f"{stem}.pdf",
                    render_board_report(
                        run, page_size=page_size, template_dirs=template_dirs, context=context
                    ),
                ),
                (f"{stem}.pptx", render_board_deck(run, context=context, template_dirs=template_dirs)),
            ]

        steps.append((document, board))
    else:
        raise ValueError(f"unknown leadership document {document!r} (one of {', '.join(DOCUMENTS)})")
    for name, step in steps:
        started = time.perf_counter()
        try:
            files = step()
        except CsReportsError as exc:
            manifest.add_failure(name, str(exc))
            continue
        for file_name, data in files:
            written.append(_write(out_dir, file_name, data, manifest, name, run, started))
    return written
