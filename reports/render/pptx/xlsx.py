"""The small workbook embedded behind every native chart, written directly.

PowerPoint and LibreOffice open it when the user edits a chart's data. The
layout is the one python-pptx uses: categories in column A from row 2,
one column per series from B with its name in row 1; each series' cells
carry its number format. Strings are inline (no shared-string table). The
parts that never change are deflated once per process.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from reports.render.pptx.xmltext import attr, text
from reports.render.pptx.zipwriter import ZipMember, deflate, zip_bytes

_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_NS_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OFFICE = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

_STATIC = {
    "[Content_Types].xml": (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/worksheets/sheet1.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        "</Types>"
    ),
    "_rels/.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>"
    ),
    "xl/workbook.xml": (
        f'<workbook xmlns="{_NS}" xmlns:r="{_NS_R}"><bookViews><workbookView/></bookViews>'
        '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
    ),
    "xl/_rels/workbook.xml.rels": (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_OFFICE}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_OFFICE}/styles" Target="styles.xml"/>'
        "</Relationships>"
    ),
}


@lru_cache(maxsize=1)
def _static_members() -> tuple[ZipMember, ...]:
    return tuple(deflate(name, (_DECL + xml).encode()) for name, xml in _STATIC.items())


@lru_cache(maxsize=64)
def _styles(codes: tuple[str, ...]) -> ZipMember:
    """styles.xml with one cell format per distinct number format code (ids 164, 165 …)."""
    num_fmts = "".join(
        f'<numFmt numFmtId="{164 + i}" formatCode="{attr(code)}"/>' for i, code in enumerate(codes)
    )
    xfs = "".join(
        f'<xf numFmtId="{164 + i}" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
        for i in range(len(codes))
    )
    xml = (
        f'<styleSheet xmlns="{_NS}"><numFmts count="{len(codes)}">{num_fmts}</numFmts>'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
        '<fills count="2"><fill><patternFill patternType="none"/></fill>'
        '<fill><patternFill patternType="gray125"/></fill></fills>'
        '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        f'<cellXfs count="{len(codes) + 1}"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        f"{xfs}</cellXfs>"
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
    )
    return deflate("xl/styles.xml", (_DECL + xml).encode())


def column_letter(index: int) -> str:
    """Spreadsheet column name of a 0-based index: 0 -> "A", 25 -> "Z", 26 -> "AA"."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _string_cell(ref: str, value: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text(value)}</t></is></c>'


def chart_workbook(
    categories: Sequence[str], columns: Sequence[tuple[str, Sequence[float | None], str]]
) -> bytes:
    """The .xlsx bytes of a chart's data.

    ``columns`` holds ``(series name, values, Excel number format code)``,
    one value per category; ``None`` leaves the cell empty (a gap).
    """
    codes = tuple(dict.fromkeys(code for _, _, code in columns))
    style = {code: i + 1 for i, code in enumerate(codes)}
    letters = [column_letter(i + 1) for i in range(len(columns))]
    header = "".join(
        _string_cell(f"{letter}1", name) for letter, (name, _, _) in zip(letters, columns, strict=True)
    )
    rows = [f'<row r="1">{header}</row>']
    for r, category in enumerate(categories, start=2):
        cells = [_string_cell(f"A{r}", category)]
        for letter, (_, values, code) in zip(letters, columns, strict=True):
            value = values[r - 2]
            if value is not None:
                cells.append(f'<c r="{letter}{r}" s="{style[code]}"><v>{float(value)!r}</v></c>')
        rows.append(f'<row r="{r}">{"".join(cells)}</row>')
    last = f"{letters[-1] if letters else 'A'}{len(categories) + 1}"
    sheet = (
        f'<worksheet xmlns="{_NS}" xmlns:r="{_NS_R}"><dimension ref="A1:{last}"/>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )
    members = (
        *_static_members(),
        deflate("xl/worksheets/sheet1.xml", (_DECL + sheet).encode(), level=1),
        _styles(codes),
    )
    return zip_bytes(members)
