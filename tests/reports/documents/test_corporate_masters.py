"""QBR and board decks on PowerPoint masters nobody made for csreports.

The masters come from packages, not from this repository: python-pptx's own default template
(4:3, English layout names) and LibreOffice Impress' bundled templates (Debian's
``libreoffice-common``), saved as .pptx by LibreOffice at test time (16:9 and 4:3, layouts
named "Title, Content", several slide masters, placeholders without an index). Each renders a
full Strategic deck from the CLI that LibreOffice converts page for page, with every text inside
its box, every shape on the slide and none on top of another, in the master's own colours.
"""

from __future__ import annotations

import itertools
import shutil
import subprocess
import zipfile
from pathlib import Path

import pptx
import pytest
from click.testing import CliRunner
from pptx import Presentation
from pptx.util import Emu

from reports.cli import cli
from reports.render.pptx.template_check import theme_fonts
from reports.render.pptx.textbox import text_frame_fits
from reports.render.pptx.textfit import FontSpec, longest_word_width

ACCOUNT = "A-00140"
LIBREOFFICE_TEMPLATES = Path("/usr/lib/libreoffice/share/template/common/presnt")
IMPRESS_MASTERS = ("Beehive", "Vintage", "Grey_Elegant", "Progress", "Midnightblue")
"""16:9 with two masters; 4:3 with its content area in the lower third; nine masters; a content
placeholder reaching past the slide's bottom edge; a content area 1.8 in tall, right of centre."""
PPTX_DEFAULT = Path(pptx.__file__).parent / "templates" / "default.pptx"
PRESENTATION_TYPE = b"presentationml.presentation.main+xml"
TEMPLATE_TYPE = b"presentationml.template.main+xml"


def _soffice() -> str:
    found = shutil.which("soffice")
    if found is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    return found


def _convert(sources: list[Path], fmt: str, out: Path, profile: Path) -> None:
    subprocess.run(
        [
            _soffice(),
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out),
            *map(str, sources),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def masters(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each master as a .pptx: python-pptx's default, and LibreOffice's templates converted."""
    folder = tmp_path_factory.mktemp("masters")
    found = {"pptx-default": PPTX_DEFAULT}
    sources = [LIBREOFFICE_TEMPLATES / f"{name}.otp" for name in IMPRESS_MASTERS]
    if shutil.which("soffice") and all(p.is_file() for p in sources):
        _convert(sources, "pptx", folder, folder / "profile")
        found.update({name: folder / f"{name}.pptx" for name in IMPRESS_MASTERS})
    return found


def _render(master: Path, command: list[str], out: Path) -> Path:
    templates = out / "templates"
    for kind, name in (("qbr", "qbr.pptx"), ("board", "board.pptx")):
        (templates / kind).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(master, templates / kind / name)
    result = CliRunner().invoke(
        cli, [*command, "--templates", str(templates), "--out", str(out / "out")], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return out / "out"


def _master(masters: dict[str, Path], name: str) -> Path:
    if name not in masters:
        pytest.skip("LibreOffice's Impress templates are not installed")
    return masters[name]


def _check_deck(deck: Path, master: Path, tmp_path: Path) -> Presentation:
    prs = Presentation(str(deck))
    width, height = int(prs.slide_width or 0), int(prs.slide_height or 0)
    family = theme_fonts(prs).get("minor", "Calibri")
    for number, slide in enumerate(prs.slides, start=1):
        boxes = []
        for shape in slide.shapes:
            where = f"{deck.name} slide {number} {shape.name!r}"
            left, top, cx, cy = (int(v) for v in (shape.left, shape.top, shape.width, shape.height))
            assert left >= 0 and top >= 0 and left + cx <= width and top + cy <= height, where
            if shape.has_text_frame and shape.text_frame.text.strip():
                needed, available = text_frame_fits(shape, family)
                assert needed <= available, f"{where}: text needs {needed} EMU, has {available}"
            if shape.has_table:  # no header word broken across lines
                for column, cell in zip(shape.table.columns, shape.table.rows[0].cells, strict=True):
                    run = cell.text_frame.paragraphs[0].runs[0]
                    font = FontSpec(family, run.font.size.pt, True)
                    room = int(column.width) - int(cell.margin_left) - int(cell.margin_right)
                    assert longest_word_width(cell.text, font) <= room, f"{where}: header {cell.text!r}"
            boxes.append((shape.name, left, top, left + cx, top + cy))
        for a, b in itertools.combinations(boxes, 2):
            overlap = a[1] < b[3] and b[1] < a[3] and a[2] < b[4] and b[2] < a[4]
            assert not overlap, f"{deck.name} slide {number}: {a[0]!r} overlaps {b[0]!r}"
    template = Presentation(str(master))
    assert (width, height) == (template.slide_width, template.slide_height)
    # the company's master keeps its own colours and gets no logo of ours
    assert _theme_colours(prs) == _theme_colours(template)
    assert not any(
        s.shape_type == 13 for layout in prs.slide_layouts for s in layout.shapes if s.name == "Logo"
    )
    _convert([deck], "pdf", tmp_path, tmp_path / "profile")
    pages = subprocess.run(
        ["pdfinfo", str(tmp_path / deck.with_suffix(".pdf").name)], capture_output=True, text=True, check=True
    ).stdout
    assert f"Pages:{' ' * 10}{len(prs.slides)}".replace(" " * 10, "") in pages.replace(" ", ""), pages
    return prs


def _title(slide) -> str:
    return next((s.text_frame.text for s in slide.shapes if s.name.startswith("Title")), "")


def _body(slide) -> list[str]:
    """The paragraphs of a slide's "Content" text."""
    shape = next((s for s in slide.shapes if s.name.startswith("Content")), None)
    return [p.text for p in shape.text_frame.paragraphs] if shape is not None else []


def _theme_colours(prs) -> bytes:
    from pptx.opc.constants import RELATIONSHIP_TYPE as RT

    theme = prs.slide_masters[0].part.part_related_by(RT.THEME).blob
    return theme[theme.index(b"clrScheme") : theme.index(b"/a:clrScheme")]


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["pptx-default", *IMPRESS_MASTERS])
def test_a_strategic_qbr_renders_on_a_third_party_master(masters, name, tmp_path):
    master = _master(masters, name)
    out = _render(master, ["qbr", "--account", ACCOUNT], tmp_path)
    (deck,) = out.glob("*.pptx")
    prs = _check_deck(deck, master, tmp_path)
    texts = [
        " ".join(s.text_frame.text.split()) for slide in prs.slides for s in slide.shapes if s.has_text_frame
    ]
    assert texts[0] == "Aurora Retail Inc."  # the title slide's title
    kpi_slide = next(slide for slide in prs.slides if any(s.name.startswith("KPI 1") for s in slide.shapes))
    tiles = [s for s in kpi_slide.shapes if s.name.startswith("KPI ")]
    assert len(tiles) == 4 and all(t.text_frame.text.strip() for t in tiles)
    assert len({int(t.top) for t in tiles}) == 1  # one row
    # nothing is lost on a master with little room below the title: lists continue on a second slide
    agenda = [t for slide in prs.slides if _title(slide).startswith("Agenda") for t in _body(slide)]
    assert agenda[-1] == "Recommendations and next steps", agenda
    appendix = " ".join(
        t for slide in prs.slides if _title(slide).startswith("Appendix") for t in _body(slide)
    )
    assert "CSAT: the average rating" in appendix and "ARR: 12 × MRR" in appendix
    charts = [s for slide in prs.slides for s in slide.shapes if s.has_chart]
    assert len(charts) >= 2 and all(int(c.width) > Emu(914_400 * 3) for c in charts)


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["pptx-default", "Beehive"])
def test_the_board_deck_renders_on_a_third_party_master(masters, name, tmp_path):
    master = _master(masters, name)
    out = _render(master, ["board-report"], tmp_path)
    (deck,) = out.glob("*.pptx")
    prs = _check_deck(deck, master, tmp_path)
    assert len(prs.slides) >= 12


def test_a_powerpoint_template_file_is_a_master_too(tmp_path):
    """A .potx (what PowerPoint saves as "PowerPoint Template") at qbr/qbr.potx renders decks that
    are presentations, not templates."""
    potx = tmp_path / "master.potx"
    with zipfile.ZipFile(PPTX_DEFAULT) as source, zipfile.ZipFile(potx, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                data = data.replace(PRESENTATION_TYPE, TEMPLATE_TYPE)
            target.writestr(info, data)
    templates = tmp_path / "templates" / "qbr"
    templates.mkdir(parents=True)
    shutil.copyfile(potx, templates / "qbr.potx")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["qbr", "--account", ACCOUNT, "--templates", str(tmp_path / "templates"), "--out", str(out)],
        catch_exceptions=False,
    )
    assert result.exit_code == 0, result.output
    (deck,) = out.glob("*.pptx")
    with zipfile.ZipFile(deck) as package:
        types = package.read("[Content_Types].xml")
    assert PRESENTATION_TYPE in types and TEMPLATE_TYPE not in types
    prs = Presentation(str(deck))
    assert (prs.slide_width, prs.slide_height) == (9_144_000, 6_858_000)  # the master's 4:3
    assert prs.slides[0].shapes.title.text_frame.text == "Aurora Retail Inc."
