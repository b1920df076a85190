from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from pptx import Presentation

from reports.errors import RenderError
from reports.render.pptx.deck import (
    ZIP_DATE_TIME,
    add_slide,
    find_layout,
    layout_names,
    open_template,
    save_deterministic,
)
from reports.resources import bundled_templates_dir

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
LAYOUTS = ("Title", "Section", "Title and Content", "Two Content", "Chart", "Table", "KPI", "Title Only")


def _deck() -> bytes:
    prs = open_template(TEMPLATE)
    slide = add_slide(prs, "Chart")
    next(s for s in slide.placeholders if s.name == "Title").text_frame.text = "Hello"
    slide.notes_slide.notes_text_frame.text = "Notes"
    return save_deterministic(prs, title="T", author="A", date=dt.date(2026, 10, 1))


def test_template_has_the_named_layouts_and_no_slides():
    prs = open_template(TEMPLATE)
    assert len(prs.slides) == 0
    assert set(LAYOUTS) <= set(layout_names(prs))
    assert prs.slide_width > prs.slide_height * 1.7  # 16:9


def test_unknown_layout_names_what_exists_and_slides_keep_layout_names():
    prs = open_template(TEMPLATE)
    with pytest.raises(RenderError, match=r"no slide layout named 'Nope'.*Title"):
        find_layout(prs, "Nope")
    slide = add_slide(prs, "chart")
    assert [s.name for s in slide.placeholders] == ["Title", "Chart", "Commentary"]  # the layout's names


def test_same_inputs_give_byte_identical_files():
    assert _deck() == _deck()


def test_zip_entries_have_fixed_dates_and_content_types_first():
    with zipfile.ZipFile(io.BytesIO(_deck())) as zf:
        infos = zf.infolist()
        assert infos[0].filename == "[Content_Types].xml"
        assert {i.date_time for i in infos} == {ZIP_DATE_TIME}


def test_core_properties_come_from_the_arguments():
    prs = Presentation(io.BytesIO(_deck()))
    core = prs.core_properties
    assert core.created == dt.datetime(2026, 10, 1)
    assert core.modified == dt.datetime(2026, 10, 1)
    assert core.last_modified_by == "A"
    assert core.revision == 1
