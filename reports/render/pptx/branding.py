"""A PPTX master in the company's colours, with its logo on the title layout.

:func:`branded_template` rewrites the master once per (master, branding) pair:
the theme's ``dk2`` (headings, title band) becomes the brand's primary colour
and ``accent1`` (rules, the first chart series) its accent, so every slide
and native chart that refers to theme colours follows; the logo goes in the
top-right corner of the title layout. Every deck built on the result shares
the work (:func:`~reports.render.pptx.writer.deck_template` caches by sha256).
A company's own master (one not made for csreports) is left as it is: its
theme and logo are the company's brand.
"""

from __future__ import annotations

import io
from functools import lru_cache

from lxml import etree
from pptx.opc.constants import RELATIONSHIP_TYPE as RT
from pptx.util import Emu, Inches

from reports.data.branding import Branding
from reports.render.pptx.deck import layout_names, open_template
from reports.render.pptx.layout_roles import ROLE_BY_KEY, choose_layouts

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"
LOGO_HEIGHT = Inches(0.55)
LOGO_MAX_WIDTH = Inches(2.4)
LOGO_MARGIN = Inches(0.35)


def branded_template(blob: bytes, branding: Branding) -> bytes:
    """``blob`` (a .pptx master) in ``branding``'s colours with its logo; ``blob`` itself when nothing
    changes or the master is a company's own (:func:`made_for_csreports`)."""
    return _branded(blob, branding)


def made_for_csreports(prs) -> bool:
    """True when every kind of slide a deck needs has a layout of csreports' name in ``prs``: a
    master made for csreports, which takes the brand's colours and logo. Any other master (a
    company's own) keeps its theme colours and its logo, which are its brand already."""
    return not any(
        choice.inferred for choice in choose_layouts(prs).choices if ROLE_BY_KEY[choice.role].required
    )


@lru_cache(maxsize=16)
def _branded(blob: bytes, branding: Branding) -> bytes:
    prs = open_template(blob)
    if not made_for_csreports(prs):
        return blob
    changed = False
    for master in prs.slide_masters:
        theme = master.part.part_related_by(RT.THEME)
        recoloured = _recoloured_theme(theme.blob, {"dk2": branding.primary, "accent1": branding.accent})
        if recoloured != theme.blob:
            theme._blob = recoloured
            changed = True
    if branding.logo:
        _place_logo(prs, branding)
        changed = True
    if not changed:
        return blob
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def _recoloured_theme(theme_xml: bytes, colours: dict[str, str]) -> bytes:
    """The theme part with each named scheme colour set to ``#RRGGBB``."""
    root = etree.fromstring(theme_xml)
    scheme = root.find(f".//{{{_A}}}clrScheme")
    if scheme is None:
        return theme_xml
    for name, colour in colours.items():
        slot = scheme.find(f"{{{_A}}}{name}")
        if slot is None:
            continue
        value = colour.lstrip("#").upper()
        current = slot.find(f"{{{_A}}}srgbClr")
        if current is not None and current.get("val", "").upper() == value and len(slot) == 1:
            continue
        for child in list(slot):
            slot.remove(child)
        etree.SubElement(slot, f"{{{_A}}}srgbClr", val=value)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _title_layout(prs):
    names = [name.strip().lower() for name in layout_names(prs)]
    layouts = [layout for master in prs.slide_masters for layout in master.slide_layouts]
    for wanted in ("title", "title slide"):
        if wanted in names:
            return layouts[names.index(wanted)]
    return layouts[0]


def _place_logo(prs, branding: Branding) -> None:
    """The logo in the title layout's top-right corner, ``LOGO_HEIGHT`` high, its aspect kept."""
    layout = _title_layout(prs)
    image_part, rid = layout.part.get_or_add_image_part(io.BytesIO(branding.logo))
    width_px, height_px = image_part.image.size
    height = int(LOGO_HEIGHT)
    width = int(height * width_px / max(height_px, 1))
    if width > LOGO_MAX_WIDTH:
        width, height = int(LOGO_MAX_WIDTH), int(LOGO_MAX_WIDTH * height_px / max(width_px, 1))
    x = prs.slide_width - LOGO_MARGIN - width
    tree = layout.shapes._spTree
    shape_id = max((int(e.get("id")) for e in tree.iter() if e.tag.endswith("}cNvPr")), default=1) + 1
    name = branding.company_name or "Logo"
    tree.add_pic(shape_id, "Logo", name, rid, Emu(x), Emu(LOGO_MARGIN), Emu(width), Emu(height))
