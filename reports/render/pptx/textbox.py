"""Text boxes that fit: paragraphs measured with the theme font, shortened, then written.

:func:`write_text` fits paragraphs to a placeholder's inherited box
(:mod:`reports.render.pptx.textfit` measures with the font's real metrics) and
writes them with explicit sizes, indents and spacing, so
:func:`text_frame_fits` can check the result from the saved deck alone.
"""

from __future__ import annotations

from collections.abc import Sequence

from pptx.shapes.base import BaseShape

from reports.render.pptx.shapes import (
    BULLET_INDENT,
    INSET_X,
    INSET_Y,
    PARAGRAPH_SPACE_PT,
    Para,
    text_body_xml,
)
from reports.render.pptx.textfit import FontSpec, fit_text, text_height, wrap_text
from reports.render.pptx.writer import DEFAULT_FONT, SlideDraft

FONT = DEFAULT_FONT
"""csreports' own master's body font; Carlito has the same metrics where Calibri is not installed."""


def _para_width(width: int, para: Para) -> int:
    return width - (BULLET_INDENT if para.bullet else 0)


def _para_space(index: int) -> int:
    return 0 if index == 0 else PARAGRAPH_SPACE_PT * 12_700


def fit_paragraphs(paras: Sequence[Para], width: int, height: int, family: str = FONT) -> list[Para]:
    """Shorten (ellipsis) or drop paragraphs set in ``family`` so they fit ``width`` × ``height`` EMU.

    Each paragraph gets at most the lines left after reserving one line for
    every paragraph after it; paragraphs that cannot get a line are dropped.
    """
    out: list[Para] = []
    used = 0
    for index, para in enumerate(paras):
        font = FontSpec(family, para.size, para.bold)
        space = _para_space(index)
        rest = sum(
            FontSpec(family, p.size, p.bold).line_height_emu + _para_space(1) for p in paras[index + 1 :]
        )
        budget = height - used - space - rest
        lines = budget // font.line_height_emu
        if lines < 1:
            budget = height - used - space
            lines = budget // font.line_height_emu
            if lines < 1:
                break
        text = fit_text(para.text, font, _para_width(width, para), lines * font.line_height_emu)
        out.append(Para(text, para.size, bold=para.bold, bullet=para.bullet, colour=para.colour))
        used += space + text_height(text, font, _para_width(width, para))
    return out


SHRINK_STEPS = (1.0, 0.9, 0.8)
"""Scales tried on text that does not fit its box, before it is shortened (PowerPoint's "shrink
text on overflow", within a limit that keeps it readable)."""
DEEP_SHRINK_STEPS = (*SHRINK_STEPS, 0.7, 0.6, 0.5)
"""For a few short lines that must all show (a KPI tile's label, value and change), smaller sizes
are better than a value left out."""


def _scaled(paras: Sequence[Para], scale: float) -> list[Para]:
    return [
        Para(p.text, round(p.size * scale * 2) / 2, bold=p.bold, bullet=p.bullet, colour=p.colour)
        for p in paras
    ]


def _whole(fitted: Sequence[Para], paras: Sequence[Para]) -> bool:
    return len(fitted) == len(paras) and all(f.text == p.text for f, p in zip(fitted, paras, strict=True))


def _fits(paras: Sequence[Para], width: int, height: int, family: str, scales: Sequence[float]) -> bool:
    return any(
        _whole(fit_paragraphs(_scaled(paras, scale), width, height, family), paras) for scale in scales
    )


Box = tuple[int, int, int, int]


def paginate_paragraphs(
    paras: Sequence[Para], box: Box, family: str, *, first: Box | None = None
) -> list[list[Para]]:
    """``paras`` on pages that each fit ``box`` (a text slot's box in EMU; the first page ``first``
    when given) whole: one page when they all fit, set no smaller than :data:`SHRINK_STEPS` allows;
    else as many pages as they need, all set at that smallest size. A paragraph too long for a page
    alone gets a page of its own (and is shortened there)."""

    def inner(of: Box) -> tuple[int, int]:
        return of[2] - 2 * INSET_X, of[3] - 2 * INSET_Y

    if not paras:
        return []
    if _fits(paras, *inner(first or box), family, SHRINK_STEPS):
        return [list(paras)]
    pages: list[list[Para]] = [[]]
    for para in _scaled(paras, SHRINK_STEPS[-1]):
        room = inner(first if first is not None and len(pages) == 1 else box)
        if pages[-1] and not _fits([*pages[-1], para], *room, family, (1.0,)):
            pages.append([])
        pages[-1].append(para)
    return pages


def write_text(
    slide: SlideDraft,
    name: str,
    paras: Sequence[Para],
    *,
    align: str | None = None,
    scales: Sequence[float] = SHRINK_STEPS,
) -> None:
    """Fit ``paras`` to placeholder ``name`` and write them; a placeholder left blank is left out.

    Text too long for the box is first set smaller (at each of ``scales``: down to 80 % by
    default, :data:`SHRINK_STEPS`), then shortened with an ellipsis.
    """
    ph = slide.placeholder(name)
    _, _, width, height = ph.box
    for scale in scales:
        fitted = fit_paragraphs(_scaled(paras, scale), width - 2 * INSET_X, height - 2 * INSET_Y, ph.font)
        if _whole(fitted, paras):
            break
    if any(p.text.strip() for p in fitted):
        slide.text(name, text_body_xml(fitted, align or ph.align))


def text_frame_fits(shape: BaseShape, family: str = FONT) -> tuple[int, int]:
    """``(needed, available)`` height in EMU of a written text frame set in ``family``, measured
    from its XML.

    Reads each paragraph's run sizes, weight and indent (as :func:`write_text`
    writes them); runs without an explicit size count as 18 pt.
    """
    frame = shape.text_frame  # type: ignore[attr-defined]  # a placeholder, which has one
    width = int(shape.width) - int(frame.margin_left) - int(frame.margin_right)
    available = int(shape.height) - int(frame.margin_top) - int(frame.margin_bottom)
    needed = 0
    for index, paragraph in enumerate(frame.paragraphs):
        runs = paragraph.runs
        size = max((r.font.size.pt for r in runs if r.font.size is not None), default=18.0)
        bold = any(bool(r.font.bold) for r in runs)
        ppr = paragraph._p.pPr
        indent = int(ppr.get("marL", "0")) if ppr is not None else 0
        text = paragraph.text.replace("\v", "\n")
        font = FontSpec(family, size, bold)
        needed += (0 if index == 0 else _para_space(1)) + len(
            wrap_text(text, font, width - indent)
        ) * font.line_height_emu
    return needed, available
