from __future__ import annotations

import pytest

from reports.render.pptx.textfit import (
    ELLIPSIS,
    EMU_PER_INCH,
    FontSpec,
    fit_text,
    font_file,
    paginate_heights,
    row_height,
    shorten_text,
    text_height,
    text_width,
    wrap_text,
)

FONT = FontSpec("Calibri", 18)
WIDTH = 3 * EMU_PER_INCH


def test_calibri_is_measured_with_a_real_font_file():
    path = font_file("Calibri")
    assert path.suffix.lower() == ".ttf"
    assert path.name.lower().startswith(("carlito", "liberation", "dejavu"))


def test_width_grows_with_text_and_size():
    assert text_width("", FONT) == 0
    assert text_width("abc", FONT) < text_width("abcdef", FONT)
    assert text_width("abc", FONT) < text_width("abc", FontSpec("Calibri", 36))
    assert text_width("abc", FONT) < text_width("abc", FontSpec("Calibri", 18, bold=True)) * 1.01


def test_wrapped_lines_each_fit_the_width():
    text = "The quick brown fox jumps over the lazy dog " * 6
    lines = wrap_text(text, FONT, WIDTH)
    assert len(lines) > 3
    assert all(text_width(line, FONT) <= WIDTH for line in lines)
    assert " ".join(lines).split() == text.split()


def test_a_word_wider_than_the_box_is_broken():
    lines = wrap_text("x" * 400, FONT, WIDTH)
    assert len(lines) > 1
    assert all(text_width(line, FONT) <= WIDTH for line in lines)


def test_newlines_start_new_lines():
    assert wrap_text("a\nb", FONT, WIDTH) == ["a", "b"]
    assert wrap_text("", FONT, WIDTH) == [""]


def test_shorten_adds_an_ellipsis_and_fits_max_lines():
    text = "word " * 200
    short = shorten_text(text, FONT, WIDTH, 2)
    assert short.endswith(ELLIPSIS)
    assert len(wrap_text(short, FONT, WIDTH)) <= 2
    assert shorten_text("short", FONT, WIDTH, 1) == "short"
    with pytest.raises(ValueError):
        shorten_text("x", FONT, WIDTH, 0)


def test_fit_text_respects_the_box_height():
    height = 3 * FONT.line_height_emu
    fitted = fit_text("lorem ipsum dolor " * 100, FONT, WIDTH, height)
    assert text_height(fitted, FONT, WIDTH) <= height


def test_paginate_heights():
    assert paginate_heights([3, 3, 3, 3], 7) == [range(0, 2), range(2, 4)]
    assert paginate_heights([], 7) == [range(0, 0)]
    assert paginate_heights([8, 1], 7) == [range(0, 1), range(1, 2)]
    assert paginate_heights([1] * 10, 100) == [range(0, 10)]


def test_row_height_is_the_tallest_cell_plus_padding():
    one = row_height(["a", "b"], [WIDTH, WIDTH], FONT, 10)
    assert one == FONT.line_height_emu + 20
    tall = row_height(["a", "word " * 50], [WIDTH, WIDTH], FONT, 10)
    assert tall > 3 * one - 60
