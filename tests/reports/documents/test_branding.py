"""branding.yaml: the company's name, logo and colours reach every deck, PDF and email, from the CLI."""

from __future__ import annotations

import email
import io
import re
import subprocess
import zipfile
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image
from pptx import Presentation

from reports.cli import cli
from reports.data.branding import Branding, logo_type
from reports.data.settings import load_settings
from reports.errors import ConfigError

PRIMARY, ACCENT = "#5A1E6E", "#D0602A"
COMPANY = "Kestrel Metrics"


def _logo(path: Path, size: tuple[int, int] = (240, 60)) -> bytes:
    image = Image.new("RGB", size, (40, 40, 40))  # not a brand colour: the colour test must see the CSS
    image.paste((200, 200, 200), (0, 0, size[1], size[1]))
    image.save(path, format="PNG")
    return path.read_bytes()


def _brand_folder(tmp_path: Path, **overrides: str) -> Path:
    folder = tmp_path / "config"
    folder.mkdir()
    _logo(folder / "kestrel.png")
    values = {
        "company_name": COMPANY,
        "logo": "kestrel.png",
        "primary": PRIMARY,
        "accent": ACCENT,
        **overrides,
    }
    (folder / "branding.yaml").write_text(
        f"company_name: {values['company_name']}\n"
        f"logo: {values['logo']}\n"
        f'colours:\n  primary: "{values["primary"]}"\n  accent: "{values["accent"]}"\n',
        encoding="utf-8",
    )
    return folder


def _run(*args: str) -> None:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output


def _theme_colours(pptx: Path) -> dict[str, str]:
    with zipfile.ZipFile(pptx) as z:
        theme = z.read("ppt/theme/theme1.xml").decode()
    return {
        name: re.search(rf"<a:{name}><a:srgbClr val=\"([0-9A-F]{{6}})\"", theme).group(1)
        for name in ("dk2", "accent1")
    }


@pytest.fixture(scope="module")
def branded_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The Aurora Retail deck and leave-behind, board report and weekly email with a user's branding."""
    root = tmp_path_factory.mktemp("branded")
    config = _brand_folder(root)
    out = root / "out"
    common = ("--config", str(config), "--out", str(out))
    _run("qbr", "--account", "A-00140", "--format", "pptx,pdf", *common)
    _run("board-report", *common)
    _run("weekly-email", *common)
    return out


def test_the_deck_takes_the_brand_colours_and_shows_the_logo_on_its_title_slide(branded_out: Path):
    deck = branded_out / "a-00140-aurora-retail-inc.pptx"
    assert _theme_colours(deck) == {"dk2": PRIMARY[1:], "accent1": ACCENT[1:]}
    title = Presentation(str(deck)).slides[0]
    logos = [s for s in title.slide_layout.shapes if s.shape_type is not None and s.name == "Logo"]
    assert len(logos) == 1
    logo = logos[0]
    assert logo.left + logo.width <= Presentation(str(deck)).slide_width  # inside the slide, top right
    assert logo.top < Presentation(str(deck)).slide_height // 5
    assert logo.image.blob == (branded_out.parent / "config" / "kestrel.png").read_bytes()
    assert abs(logo.width / logo.height - 4.0) < 0.05  # the logo's aspect is kept


def test_the_board_deck_is_branded_and_names_the_company(branded_out: Path):
    deck = branded_out / "board-report-2026-q3.pptx"
    assert _theme_colours(deck) == {"dk2": PRIMARY[1:], "accent1": ACCENT[1:]}
    prs = Presentation(str(deck))
    assert prs.core_properties.author == COMPANY
    assert COMPANY in " ".join(s.text_frame.text for s in prs.slides[0].shapes if s.has_text_frame)


@pytest.mark.parametrize("pdf", ["a-00140-aurora-retail-inc.pdf", "board-report-2026-q3.pdf"])
def test_pdfs_carry_the_logo_and_the_brand_colour(branded_out: Path, pdf: str):
    path = branded_out / pdf
    images = subprocess.run(
        ["pdfimages", "-list", "-f", "1", "-l", "1", str(path)], capture_output=True, text=True
    )
    rows = [line.split() for line in images.stdout.splitlines()[2:]]
    assert any(row[3:5] == ["240", "60"] for row in rows), images.stdout  # the logo, at its own size
    page = subprocess.run(
        ["pdftoppm", "-r", "100", "-f", "1", "-l", "1", "-png", str(path)], capture_output=True
    )
    colours = Image.open(io.BytesIO(page.stdout)).convert("RGB").getcolors(1 << 20)
    accent = tuple(int(ACCENT[i : i + 2], 16) for i in (1, 3, 5))
    assert any(max(abs(a - b) for a, b in zip(c, accent, strict=True)) < 8 for _n, c in colours)


def test_the_board_pdf_names_the_company_as_author_and_in_its_header(branded_out: Path):
    path = branded_out / "board-report-2026-q3.pdf"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    assert re.search(rf"^Author:\s+{COMPANY}$", info, re.M)
    text = subprocess.run(["pdftotext", "-f", "2", "-l", "2", str(path), "-"], capture_output=True, text=True)
    assert COMPANY in text.stdout  # running header of a later page


def test_the_weekly_email_shows_the_logo_and_the_company(branded_out: Path):
    eml = next((branded_out / "email").glob("*.eml"))
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    logos = [p for p in message.walk() if p.get("Content-ID") == "<logo@csreports>"]
    assert len(logos) == 1 and logos[0].get_content_type() == "image/png"
    html = message.get_body(("html",)).get_content()
    assert 'src="cid:logo@csreports"' in html
    assert COMPANY in html and COMPANY in message.get_body(("plain",)).get_content()
    assert ACCENT.lower() in html.lower()


def test_a_config_folder_without_branding_gets_no_borrowed_brand(tmp_path: Path):
    (tmp_path / "config").mkdir()
    branding = load_settings(tmp_path / "config").branding
    assert branding == Branding()
    assert branding.company_name == "" and branding.logo == b""
    bundled = load_settings(None).branding
    assert bundled.company_name and logo_type(bundled.logo) == "image/png"


@pytest.mark.parametrize(
    ("override", "problem"),
    [
        ({"primary": "navy"}, r"branding\.yaml: colours\.primary: 'navy' is not a colour written as #RRGGBB"),
        ({"logo": "missing.png"}, r"branding\.yaml: logo: 'missing.png' does not exist"),
        ({"logo": "../outside.png"}, r"branding\.yaml: logo: '../outside.png' is outside the folder"),
        ({"logo": "notes.txt"}, r"branding\.yaml: logo: 'notes.txt' is not a PNG or JPEG image"),
    ],
)
def test_a_bad_branding_file_is_one_clear_line(tmp_path: Path, override: dict, problem: str):
    _logo(tmp_path / "outside.png")
    folder = _brand_folder(tmp_path, **override)
    (folder / "notes.txt").write_text("not an image", encoding="utf-8")
    with pytest.raises(ConfigError, match=problem):
        load_settings(folder)
    result = CliRunner().invoke(
        cli, ["--config", str(folder), "--out", str(tmp_path / "out"), "board-report"]
    )
    assert result.exit_code != 0
    assert re.search(problem, result.output)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.pdf"))


def test_a_huge_logo_is_refused(tmp_path: Path):
    folder = _brand_folder(tmp_path)
    (folder / "kestrel.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 1_100_000)
    with pytest.raises(ConfigError, match="larger than 1 MB"):
        load_settings(folder)
