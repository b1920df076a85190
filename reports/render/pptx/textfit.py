"""Text layout maths: measure, wrap, shorten and paginate, without a deck.

Widths come from the real TrueType font the theme font maps to on this
machine (Calibri is measured with Carlito, its metric-compatible twin; Arial
with Liberation Sans). When the twin is not installed the fallback is a wider
font (Liberation Sans, then DejaVu Sans), so measurements err on the side of
"does not fit" rather than overflowing.

Units: font sizes in points, box sizes in EMU (914,400 per inch, 12,700 per
point). Line height is ``LINE_SPACING`` × the font size, what PowerPoint and
LibreOffice use for single spacing with these fonts (1.2 is slightly
generous for Calibri, whose ascent+descent is 1.22 em).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path

from matplotlib import font_manager
from PIL import ImageFont

EMU_PER_PT = 12_700
EMU_PER_INCH = 914_400
LINE_SPACING = 1.2
ELLIPSIS = "…"
_MEASURE_SIZE = 100  # measure at 100 px and scale: sub-pixel accurate enough

#: Theme font name -> metric-compatible fonts to try, in order.
FONT_TWINS: dict[str, tuple[str, ...]] = {
    "calibri": ("Carlito", "Liberation Sans", "DejaVu Sans"),
    "arial": ("Liberation Sans", "Arimo", "DejaVu Sans"),
    "helvetica": ("Liberation Sans", "DejaVu Sans"),
    "cambria": ("Caladea", "Liberation Serif", "DejaVu Serif"),
    "times new roman": ("Liberation Serif", "DejaVu Serif"),
}


@lru_cache(maxsize=64)
def font_file(family: str, bold: bool = False) -> Path:
    """The TTF used to measure ``family`` (a theme font name) on this machine."""
    candidates = FONT_TWINS.get(family.lower(), (family, "Liberation Sans", "DejaVu Sans"))
    weight = "bold" if bold else "normal"
    for name in candidates:
        prop = font_manager.FontProperties(family=name, weight=weight)
        try:
            return Path(font_manager.findfont(prop, fallback_to_default=False))
        except ValueError:
            pass
        found = _system_font(name, bold)  # installed after matplotlib built its font cache
        if found is not None:
            return found
    return Path(font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight=weight)))


@lru_cache(maxsize=1)
def _system_fonts() -> tuple[Path, ...]:
    return tuple(sorted(Path(p) for p in font_manager.findSystemFonts(fontext="ttf")))


def _system_font(name: str, bold: bool) -> Path | None:
    stem = name.replace(" ", "").lower() + ("-bold" if bold else "-regular")
    for path in _system_fonts():
        if path.stem.lower() == stem:
            return path
    return None


@lru_cache(maxsize=64)
def _font(family: str, bold: bool) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(font_file(family, bold)), _MEASURE_SIZE)


@dataclass(frozen=True)
class FontSpec:
    """A font as the text is written: theme font name, size in points, weight."""

    family: str = "Calibri"
    size_pt: float = 18.0
    bold: bool = False

    @cached_property
    def line_height_emu(self) -> int:
        """Height of one line of text in EMU."""
        return round(self.size_pt * LINE_SPACING * EMU_PER_PT)


@lru_cache(maxsize=65536)
def _width_at_measure_size(text: str, family: str, bold: bool) -> float:
    return _font(family, bold).getlength(text)


def text_width(text: str, font: FontSpec) -> int:
    """Width of ``text`` on one line, in EMU.

    >>> text_width("", FontSpec()) == 0
    True
    """
    if not text:
        return 0
    width_px = _width_at_measure_size(text, font.family, font.bold)
    return math.ceil(width_px / _MEASURE_SIZE * font.size_pt * EMU_PER_PT)


def _split_long_word(word: str, font: FontSpec, width: int) -> list[str]:
    pieces: list[str] = []
    current = ""
    for char in word:
        if current and text_width(current + char, font) > width:
            pieces.append(current)
            current = char
        else:
            current += char
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, font: FontSpec, width_emu: int) -> list[str]:
    """Break ``text`` into lines no wider than ``width_emu``.

    Breaks at spaces; a word wider than the box is broken between characters.
    Explicit newlines start new lines; an empty string gives one empty line.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        if text_width(paragraph, font) <= width_emu:  # the usual case: one line
            lines.append(" ".join(words))
            continue
        current = ""
        for word in words:
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, font) <= width_emu:
                current = candidate
                continue
            if current:
                lines.append(current)
            if text_width(word, font) <= width_emu:
                current = word
            else:
                *full, current = _split_long_word(word, font, width_emu)
                lines.extend(full)
        lines.append(current)
    return lines


def shorten_text(text: str, font: FontSpec, width_emu: int, max_lines: int) -> str:
    """``text`` cut with an ellipsis so it wraps to at most ``max_lines`` lines.

    Returns ``text`` unchanged when it already fits. Newlines are kept.
    """
    if max_lines < 1:
        raise ValueError(f"max_lines must be >= 1, got {max_lines}")
    lines = wrap_text(text, font, width_emu)
    if len(lines) <= max_lines:
        return text
    kept = lines[:max_lines]
    last = kept[-1].rstrip()
    while last and text_width(last + ELLIPSIS, font) > width_emu:
        last = last[:-1].rstrip()
    # Cut at a word boundary when one is near the end, so words are not torn.
    if " " in last and len(last) - last.rfind(" ") < 12:
        last = last[: last.rfind(" ")].rstrip(" ,;:-–")
    kept[-1] = last + ELLIPSIS
    return "\n".join(kept)


def text_height(text: str, font: FontSpec, width_emu: int) -> int:
    """Height in EMU that ``text`` takes when wrapped to ``width_emu``."""
    return len(wrap_text(text, font, width_emu)) * font.line_height_emu


def max_lines_in(height_emu: int, font: FontSpec) -> int:
    """How many lines of ``font`` fit in ``height_emu`` (at least 1)."""
    return max(1, int(height_emu // font.line_height_emu))


def fit_text(text: str, font: FontSpec, width_emu: int, height_emu: int) -> str:
    """``text`` shortened with an ellipsis to fit a box of ``width_emu`` × ``height_emu``."""
    return shorten_text(text, font, width_emu, max_lines_in(height_emu, font))


def fits(text: str, font: FontSpec, width_emu: int, height_emu: int) -> bool:
    """True when ``text`` wrapped to ``width_emu`` is no taller than ``height_emu``."""
    return text_height(text, font, width_emu) <= height_emu


def paginate_heights(heights: Sequence[int], page_height: int, first_page: int | None = None) -> list[range]:
    """Split rows of the given heights into pages no taller than ``page_height`` (the first page no
    taller than ``first_page`` when given: it has a lead-in above the rows).

    Rows are never split; a single row taller than a page gets a page of its
    own (the caller should have shortened it). No rows give one empty page.

    >>> paginate_heights([3, 3, 3, 3], 7)
    [range(0, 2), range(2, 4)]
    >>> paginate_heights([3, 3, 3, 3, 3], 7, first_page=4)
    [range(0, 1), range(1, 3), range(3, 5)]
    >>> paginate_heights([], 7)
    [range(0, 0)]
    >>> paginate_heights([8, 1], 7)
    [range(0, 1), range(1, 2)]
    """
    pages: list[range] = []
    start, used = 0, 0
    for index, height in enumerate(heights):
        room = first_page if first_page is not None and not pages else page_height
        if index > start and used + height > room:
            pages.append(range(start, index))
            start, used = index, 0
        used += height
    pages.append(range(start, len(heights)))
    return pages


def row_height(cells: Sequence[str], widths_emu: Sequence[int], font: FontSpec, padding_emu: int) -> int:
    """Height of a table row: its tallest wrapped cell plus top and bottom padding."""
    tallest = max(
        (
            text_height(text, font, max(1, width - 2 * padding_emu))
            for text, width in zip(cells, widths_emu, strict=False)
        ),
        default=font.line_height_emu,
    )
    return tallest + 2 * padding_emu


def longest_word_width(text: str, font: FontSpec) -> int:
    """Width in EMU of the widest word of ``text``."""
    return max((text_width(word, font) for word in text.split()), default=0)


def header_fit(
    columns: Sequence[str], widths: list[int], font: FontSpec, *, smallest: float, inset: int
) -> tuple[float, list[int]]:
    """A table header's font size and the column widths (EMU) so that no header word is broken:
    ``font``'s size when every word fits its column (less ``inset`` each side), else the largest
    size down to ``smallest`` at which they do; at that size a column still too narrow takes width
    from the columns with room."""
    size = font.size_pt
    while True:
        bold = FontSpec(font.family, size, True)
        need = [longest_word_width(name, bold) + 2 * inset for name in columns]
        if all(n <= w for n, w in zip(need, widths, strict=True)) or size <= smallest:
            break
        size -= 0.5
    deficit = sum(max(0, n - w) for n, w in zip(need, widths, strict=True))
    if not deficit:
        return size, widths
    room = [max(0, w - n) for n, w in zip(need, widths, strict=True)]
    spare = sum(room)
    out = [
        max(w, n) - (deficit * r // spare if spare else 0) for n, w, r in zip(need, widths, room, strict=True)
    ]
    return size, out
