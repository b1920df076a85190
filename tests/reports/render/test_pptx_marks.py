"""Ownership marks: the hash written agrees with the hash read back, marks parse, the record round-trips."""

from __future__ import annotations

from lxml import etree

from reports.render.pptx.marks import (
    SlideRecord,
    custom_properties_xml,
    element_hash,
    mark_shapes,
    parse_mark,
    read_record,
    text_hash,
)
from reports.render.pptx.shapes import Para, text_body_xml, text_shape_xml
from reports.render.pptx.xmltext import NS_A, NS_P, NS_R


def _parse(xml: str) -> etree._Element:
    return etree.fromstring(f'<p:spTree xmlns:a="{NS_A}" xmlns:p="{NS_P}" xmlns:r="{NS_R}">{xml}</p:spTree>')[
        0
    ]


def test_written_and_read_hashes_agree_and_an_edit_changes_it() -> None:
    body = text_body_xml([Para("Fish & chips <ok>", 18), Para("line one\nline two", 12, bullet=True)])
    (marked,), (mark,) = mark_shapes(
        "executive_summary", [text_shape_xml(3, "Commentary", '<p:ph idx="1"/>', body)]
    )
    element = _parse(marked)
    assert element_hash(element) == mark.hash == text_hash(marked)
    assert (mark.slot, mark.kind) == ("Commentary", "p")
    element.find(f".//{{{NS_A}}}t").text = "Fish and chips"
    assert element_hash(element) != mark.hash


def test_marks_parse_and_repeated_names_get_their_own_slot() -> None:
    body = text_body_xml([Para("x", 12)])
    shapes = [text_shape_xml(i, "Lead", "", body) for i in (10, 11)]
    marked, marks = mark_shapes("goals~2", shapes)
    assert [m.slot for m in marks] == ["Lead", "Lead (2)"]
    names = [_parse(xml).find(f".//{{{NS_P}}}cNvPr").get("name") for xml in marked]
    assert [parse_mark(n) for n in names] == [
        ("Lead", "goals~2", marks[0].hash),
        ("Lead (2)", "goals~2", marks[1].hash),
    ]
    assert parse_mark("TextBox 3") is None


def test_the_deck_record_round_trips_and_keeps_other_properties() -> None:
    slides = [SlideRecord("title", "0123456789"), SlideRecord("x", "abcdefabcd")]
    slides[1].shapes.extend(mark_shapes("x", [text_shape_xml(2, "Title; a=b", "", text_body_xml([]))])[1])
    record = read_record(custom_properties_xml(slides, [("Client", "Aurora")]).encode())
    assert record is not None
    assert record.keys == ["title", "x"]
    assert record.slides["x"].shapes == slides[1].shapes
    assert record.others == [("Client", "Aurora")]
    assert read_record(b"<Properties/>") is None
