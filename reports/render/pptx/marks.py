"""Ownership marks: what csreports wrote in a deck, so a later run can update it without losing edits.

A deck csreports writes carries two kinds of marks:

**Shape marks.** Every shape csreports owns on a slide (placeholders it
filled, its own text boxes and tables, the INTERNAL band) has its
``p:cNvPr/@name`` suffixed with ``" [cs:<slide key>/<hash>]"``, e.g.
``Commentary [cs:executive_summary/3fa9c2d1e0]``. The part before the
suffix is the shape's *slot* (its placeholder or box name, unique on the
slide); ``<hash>`` is :func:`text_hash` of the text csreports wrote in it.

**The deck record** (custom document properties, ``docProps/custom.xml``):

- ``csreports-deck-keys``: every slide key rendered, in order, separated by
  spaces. A key on record but on no slide was deleted by the CSM.
- ``csreports-deck-for``: whom the deck is about (a QBR deck: its account id),
  so an update never merges one account's deck into another's.
- ``csreports-slide:<key>``, one per slide: ``n=<notes hash>`` then, for each
  owned shape, ``;<kind><hash>=<slot>`` where ``<kind>`` is ``t`` for a
  title placeholder, ``p`` for another placeholder and ``x`` for any other
  shape, and ``<slot>`` is percent-quoted.

A *slide key* is the slide's content key (``executive_summary``,
``support``); a table continued on several slides adds ``~2``, ``~3`` for
its later pages; a slide shared by several parts takes its first part's
key.

*Text hash*: the first 10 hex digits of the SHA-256 of the shape's text —
every ``a:t`` in document order, a line break or paragraph end as a space,
whitespace runs collapsed — so a changed hash means the CSM edited the
text. Charts hash as empty text: csreports always refreshes them.

What survives (checked with python-pptx saves and a LibreOffice Impress
round trip): custom document properties and the names of shapes that are
not placeholders survive both; LibreOffice renames placeholders
("PlaceHolder 1") and drops ``descr``, ``title``, tags and extension lists.
So the deck record repeats every shape's slot and hash, and a slide or
placeholder whose mark is gone is recognised by the hashes of the text
csreports wrote (:mod:`reports.render.pptx.update`).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote, unquote

from lxml import etree

from reports.render.pptx.xmltext import XML_DECLARATION, attr, text

DECK_KEYS = "csreports-deck-keys"
DECK_FOR = "csreports-deck-for"
SLIDE_PREFIX = "csreports-slide:"
CUSTOM_PARTNAME = "docProps/custom.xml"
CUSTOM_CT = "application/vnd.openxmlformats-officedocument.custom-properties+xml"
CUSTOM_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"
_CUSTOM_NS = "http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"
_VT_NS = "http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"
_FMTID = "{D5CDD505-2E9C-101B-9397-08002B2CF9AE}"
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
_MARK = re.compile(r" \[cs:([^/\]]+)/([0-9a-f]{10})\]$")
_TOKENS = re.compile(r"<a:t>([^<]*)</a:t>|<a:br/>|</a:p>")
_NAME = re.compile(r'(<p:cNvPr id="\d+" name=")([^"]*)(")')
_UNESCAPE = {"&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"'}


def _hash(value: str) -> str:
    return hashlib.sha256(" ".join(value.split()).encode()).hexdigest()[:10]


def _unescape(value: str) -> str:
    return re.sub(r"&(amp|lt|gt|quot);", lambda m: _UNESCAPE[m[0]], value) if "&" in value else value


def text_hash(xml: str) -> str:
    """:func:`text_hash` of a shape (or notes body) as csreports writes it: XML text."""
    parts = [_unescape(m[1]) if m[1] is not None else " " for m in _TOKENS.finditer(xml)]
    return _hash("".join(parts))


def element_text(element: etree._Element) -> str:
    """The text of a shape element as read back: ``a:t`` runs, breaks and paragraph ends as spaces."""
    parts: list[str] = []
    for para in element.iter(f"{_A}p"):
        for node in para.iter(f"{_A}t", f"{_A}br"):
            parts.append(node.text or "" if node.tag == f"{_A}t" else " ")
        parts.append(" ")
    return " ".join("".join(parts).split())


def element_hash(element: etree._Element) -> str:
    """:func:`text_hash` of a shape element read from a deck."""
    return _hash(element_text(element))


@dataclass(frozen=True)
class ShapeMark:
    """One owned shape: its slot (name on the slide), kind (``t``/``p``/``x``) and text hash."""

    slot: str
    kind: str
    hash: str


@dataclass
class SlideRecord:
    """What csreports wrote on one slide: its key, notes hash and owned shapes in order."""

    key: str
    notes: str = ""
    shapes: list[ShapeMark] = field(default_factory=list)

    def value(self) -> str:
        return (
            "n=" + self.notes + "".join(f";{s.kind}{s.hash}={quote(s.slot, safe=' ')}" for s in self.shapes)
        )

    @classmethod
    def parse(cls, key: str, value: str) -> SlideRecord:
        head, *items = value.split(";")
        shapes = []
        for item in items:
            code, _, slot = item.partition("=")
            if len(code) == 11:
                shapes.append(ShapeMark(unquote(slot), code[0], code[1:]))
        return cls(key, head.removeprefix("n="), shapes)


def _kind(xml: str) -> str:
    head = xml[: xml.find("</p:nvPr>")] if "</p:nvPr>" in xml else xml
    if "<p:ph" not in head:
        return "x"
    return "t" if re.search(r'<p:ph[^>]* type="(title|ctrTitle)"', head) else "p"


def mark_shapes(key: str, shapes: Sequence[str]) -> tuple[list[str], list[ShapeMark]]:
    """``shapes`` (each one shape's XML as written) with their names marked for the slide ``key``,
    and each one's :class:`ShapeMark`; a name repeated on the slide gets `` (2)``, `` (3)``."""
    seen: dict[str, int] = {}
    out: list[str] = []
    marks: list[ShapeMark] = []
    for xml in shapes:
        found = _NAME.search(xml)
        if found is None:
            out.append(xml)
            continue
        slot = _unescape(found[2])
        seen[slot] = count = seen.get(slot, 0) + 1
        if count > 1:
            slot = f"{slot} ({count})"
        digest = text_hash(xml)
        marks.append(ShapeMark(slot, _kind(xml), digest))
        name = f"{attr(slot)} [cs:{attr(key)}/{digest}]"
        out.append(f"{xml[: found.start(2)]}{name}{xml[found.end(2) :]}")
    return out, marks


def parse_mark(name: str) -> tuple[str, str, str] | None:
    """``(slot, slide key, hash)`` from a marked shape name, or None for a name without a mark."""
    found = _MARK.search(name or "")
    if found is None:
        return None
    return name[: found.start()], found[1], found[2]


def unique_keys(keys: Iterable[str]) -> list[str]:
    """``keys`` with repeats made unique (``key``, ``key~2`` …), spaces replaced."""
    seen: set[str] = set()
    out = []
    for key in keys:
        key = re.sub(r"[\s;=\[\]/]+", "_", key) or "slide"
        candidate, n = key, 1
        while candidate in seen:
            n += 1
            candidate = f"{key}~{n}"
        seen.add(candidate)
        out.append(candidate)
    return out


def custom_properties_xml(
    slides: Sequence[SlideRecord], others: Sequence[tuple[str, str]] = (), subject: str = ""
) -> str:
    """``docProps/custom.xml`` holding the deck record for ``subject`` (and ``others``: other text
    properties kept)."""
    props = [*others, (DECK_KEYS, " ".join(s.key for s in slides))]
    if subject:
        props.append((DECK_FOR, subject))
    props += [(SLIDE_PREFIX + s.key, s.value()) for s in slides]
    body = "".join(
        f'<property fmtid="{_FMTID}" pid="{pid}" name="{attr(name)}"><vt:lpwstr>{text(value)}</vt:lpwstr></property>'
        for pid, (name, value) in enumerate(props, start=2)
    )
    return f'{XML_DECLARATION}<Properties xmlns="{_CUSTOM_NS}" xmlns:vt="{_VT_NS}">{body}</Properties>'


@dataclass
class DeckRecord:
    """The deck record read back: slide keys rendered, in order, and each slide's record."""

    keys: list[str]
    slides: dict[str, SlideRecord]
    others: list[tuple[str, str]]
    """Custom text properties that are not ours (kept when the record is rewritten)."""
    subject: str = ""
    """Whom the deck is about (a QBR deck's account id); empty when not recorded."""


def _properties(xml: bytes | None) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Our properties by name, and the other text properties, from ``docProps/custom.xml`` bytes."""
    values: dict[str, str] = {}
    others: list[tuple[str, str]] = []
    if not xml:
        return values, others
    try:
        root = etree.fromstring(xml)
    except etree.XMLSyntaxError:
        return values, others
    for prop in root.iter(f"{{{_CUSTOM_NS}}}property"):
        name = prop.get("name") or ""
        value = "".join(prop.itertext())
        if name in (DECK_KEYS, DECK_FOR) or name.startswith(SLIDE_PREFIX):
            values[name] = value
        elif len(prop) and prop[0].tag == f"{{{_VT_NS}}}lpwstr":
            others.append((name, value))
    return values, others


def other_properties(xml: bytes | None) -> list[tuple[str, str]]:
    """The text custom properties in ``docProps/custom.xml`` bytes that are not csreports'."""
    return _properties(xml)[1]


def read_record(xml: bytes | None) -> DeckRecord | None:
    """The deck record in ``docProps/custom.xml`` bytes, or None when there is none."""
    values, others = _properties(xml)
    if DECK_KEYS not in values:
        return None
    keys = values[DECK_KEYS].split()
    slides = {key: SlideRecord.parse(key, values.get(SLIDE_PREFIX + key, "n=")) for key in keys}
    return DeckRecord(keys, slides, others, values.get(DECK_FOR, ""))
