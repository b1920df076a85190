"""reports/render/pdf.py: templates to PDF bytes, the sandbox and the URL fetcher."""

from __future__ import annotations

import base64
import datetime as dt
import io
import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import jinja2
import pypdf
import pytest

from reports.errors import RenderError
from reports.render.charts import LineChartSpec, line_chart
from reports.render.pdf import (
    FetchRefused,
    PdfSettings,
    TocEntry,
    make_environment,
    make_url_fetcher,
    pick_template,
    render_html,
    render_pdf,
)
from reports.resources import bundled_templates_dir

TEMPLATES = Path(__file__).parents[1] / "templates"
GENERATED_ON = dt.date(2026, 10, 2)
HOSTILE_NOTE = "<script>alert('x')</script> {{ 7*7 }} ../../etc/passwd"


def settings(**overrides) -> PdfSettings:
    values = dict(
        generated_on=GENERATED_ON,
        title="Quarterly review",
        author="CS Operations",
        subject="QBR for Acme, Q3 2026",
        company="Acme Analytics",
        period_label="Q3 2026",
    )
    values.update(overrides)
    return PdfSettings(**values)


def sample_context(rows: int = 8) -> dict:
    return {
        "mrr": 1_234_567,
        "mrr_change": 45_000,
        "nrr": 1.041,
        "nrr_change": -0.012,
        "note": HOSTILE_NOTE,
        "rows": [
            {"name": f"Account {i:02d}", "note": "Renewal in 60 days", "mrr": 1000 * (i + 1)}
            for i in range(rows)
        ],
        "sections": [TocEntry("accounts", "Accounts"), TocEntry("provenance", "About")],
        "provenance": {"Data period": "2026-07-01 to 2026-09-30", "Input hash": "3f9a2c1d"},
    }


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(pdf)).pages]


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    """Any attempt to open a socket while rendering fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("rendering tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def sample_pdf() -> bytes:
    return render_pdf("sample/report.html", sample_context(), settings=settings(), template_dirs=[TEMPLATES])


# --------------------------------------------------------------------------- the PDF


def test_pdf_opens_with_metadata(sample_pdf):
    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    meta = reader.metadata
    assert meta.title == "Quarterly review"
    assert meta.author == "CS Operations"
    assert meta.subject == "QBR for Acme, Q3 2026"
    assert meta["/CreationDate"] == meta["/ModDate"]
    assert meta["/CreationDate"].startswith("D:20261002")
    assert reader.trailer["/Root"]["/Lang"] == "en"


def test_pdf_is_tagged_pdf_ua(sample_pdf):
    root = pypdf.PdfReader(io.BytesIO(sample_pdf)).trailer["/Root"]
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a pypdf BooleanObject)
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data()
    assert b"pdfuaid" in xmp
    assert b"Quarterly review" in xmp


def test_pdf_text_has_context_values(sample_pdf):
    text = "\n".join(page_texts(sample_pdf))
    for expected in (
        "Quarterly review",
        "$1,234,567",
        "+$45,000",
        "104.1%",
        "-1.2 pp",
        "Account 07",
        "$8,000",
        "Data period",
        "3f9a2c1d",
    ):
        assert expected in text


def test_data_is_text_not_markup_or_template(sample_pdf):
    text = "\n".join(page_texts(sample_pdf))
    assert "<script>alert('x')</script>" in text
    assert "{{ 7*7 }}" in text
    assert "../../etc/passwd" in text
    assert "49" not in text


def test_running_header_footer_and_toc():
    context = sample_context(rows=70)  # long enough for a second page
    pdf = render_pdf("sample/report.html", context, settings=settings(), template_dirs=[TEMPLATES])
    pages = page_texts(pdf)
    assert len(pages) >= 2
    assert f"Page 1 of {len(pages)}" in pages[0]
    assert f"Page 2 of {len(pages)}" in pages[1]
    assert "Acme Analytics" in pages[1] and "Q3 2026" in pages[1]
    # The contents list the page each section starts on.
    about_page = next(i for i, text in enumerate(pages, 1) if "About this report" in text)
    assert re.search(r"Accounts\W*1\b", pages[0])
    assert re.search(rf"About\W*{about_page}\b", pages[0])


def test_swedish_labels_and_numbers():
    pdf = render_pdf(
        "sample/report.html",
        sample_context(),
        settings=settings(locale="sv"),
        template_dirs=[TEMPLATES],
    )
    text = page_texts(pdf)[0]
    assert "Sida 1 av 1" in text
    assert "Innehåll" in text
    assert "104,1\xa0%" in text or "104,1 %" in text
    assert pypdf.PdfReader(io.BytesIO(pdf)).trailer["/Root"]["/Lang"] == "sv"


def test_same_inputs_give_identical_bytes(sample_pdf):
    again = render_pdf("sample/report.html", sample_context(), settings=settings(), template_dirs=[TEMPLATES])
    assert again == sample_pdf


def test_generation_date_changes_only_the_dates(sample_pdf):
    later = render_pdf(
        "sample/report.html",
        sample_context(),
        settings=settings(generated_on=dt.date(2027, 1, 5)),
        template_dirs=[TEMPLATES],
    )
    assert later != sample_pdf
    assert pypdf.PdfReader(io.BytesIO(later)).metadata["/CreationDate"].startswith("D:20270105")


@pytest.mark.slow
def test_identical_bytes_across_processes(tmp_path, sample_pdf):
    """Another interpreter, another hash seed, a later wall clock: same bytes."""
    script = (
        "import sys, datetime as dt\n"
        "from pathlib import Path\n"
        f"sys.path.insert(0, {str(Path(__file__).parent)!r})\n"
        "import test_pdf as t\n"
        "pdf = t.render_pdf('sample/report.html', t.sample_context(), settings=t.settings(),"
        " template_dirs=[t.TEMPLATES])\n"
        "sys.stdout.buffer.write(pdf)\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, env=env, check=True, timeout=300
    )
    assert result.stdout == sample_pdf


@pytest.mark.parametrize(("page_size", "width_mm", "height_mm"), [("A4", 210, 297), ("Letter", 215.9, 279.4)])
def test_page_size_from_settings(page_size, width_mm, height_mm):
    pdf = render_pdf(
        "sample/report.html",
        sample_context(rows=2),
        settings=settings(page_size=page_size),
        template_dirs=[TEMPLATES],
    )
    for page in pypdf.PdfReader(io.BytesIO(pdf)).pages:
        box = page.mediabox
        assert float(box.width) / 72 * 25.4 == pytest.approx(width_mm, abs=0.1)
        assert float(box.height) / 72 * 25.4 == pytest.approx(height_mm, abs=0.1)


def test_chart_embeds_as_image():
    spec = LineChartSpec(
        title="MRR trend",
        y_label="MRR (USD)",
        value_format="money",
        x_labels=["Jul 2026", "Aug 2026", "Sep 2026"],
        series={"MRR": [100, 120, 130]},
    )
    context = {**sample_context(rows=1), "chart": line_chart(spec), "chart_alt": "MRR rises"}
    pdf = render_pdf("sample/report.html", context, settings=settings(), template_dirs=[TEMPLATES])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 2  # the chart section starts a page
    assert "Chart" in reader.pages[1].extract_text()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) missing")
def test_pdftotext_reads_the_values(tmp_path, sample_pdf):
    path = tmp_path / "sample.pdf"
    path.write_bytes(sample_pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "$1,234,567" in text
    assert "<script>alert('x')</script> {{ 7*7 }} ../../etc/passwd" in text
    assert re.search(r"Page 1 of 1", text)


# --------------------------------------------------------------------------- settings


def test_settings_are_checked():
    with pytest.raises(ValueError) as info:
        PdfSettings(generated_on=GENERATED_ON, page_size="A3", locale="xx_nowhere")
    assert str(info.value) == (
        "PdfSettings: page_size: 'A3' is not one of 'A4', 'Letter'. "
        "locale: 'xx_nowhere' is not a locale Babel knows (e.g. 'en', 'sv')."
    )


def test_settings_normalise_page_size_and_datetime():
    s = PdfSettings(generated_on=dt.datetime(2026, 10, 2, 15, 30), page_size="letter")
    assert s.page_size == "Letter"
    assert s.generated_on == dt.date(2026, 10, 2)


def test_context_may_not_shadow_settings():
    with pytest.raises(RenderError, match="must not define 'settings'"):
        render_pdf("sample/report.html", {"settings": 1}, settings=settings(), template_dirs=[TEMPLATES])


# --------------------------------------------------------------------------- URL fetching


def _template_with(tmp_path: Path, body: str) -> Path:
    folder = tmp_path / "templates"
    folder.mkdir(exist_ok=True)
    (folder / "page.html").write_text(
        f"<!DOCTYPE html><html lang='en'><head><title>t</title></head><body>{body}<p>text</p></body></html>",
        encoding="utf-8",
    )
    return folder


@pytest.mark.parametrize(
    ("markup", "refused"),
    [
        ('<img src="http://example.com/x.png" alt="">', "http://example.com/x.png"),
        ('<img src="https://example.com/x.png" alt="">', "https://example.com/x.png"),
        ('<img src="ftp://example.com/x.png" alt="">', "ftp://example.com/x.png"),
        ('<img src="file:///etc/passwd" alt="">', "file:///etc/passwd"),
        ('<img src="../../../etc/passwd" alt="">', "file:///etc/passwd"),
        ('<img src="/etc/passwd" alt="">', "file:///etc/passwd"),
        ('<img src="//example.com/x.png" alt="">', "file://example.com/x.png"),
        ("<style>@import url('http://example.com/a.css');</style>", "http://example.com/a.css"),
        ("<style>body { background: url(file:///etc/passwd) }</style>", "file:///etc/passwd"),
        ('<link rel="stylesheet" href="https://example.com/a.css">', "https://example.com/a.css"),
    ],
)
def test_fetcher_refuses_outside_urls(tmp_path, markup, refused):
    folder = _template_with(tmp_path, markup)
    with pytest.raises(RenderError) as info:
        render_pdf("page.html", {}, settings=settings(), template_dirs=[folder])
    assert f"refused to fetch {refused!r}" in str(info.value)


def test_fetcher_refuses_symlink_out_of_template_folder(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(base64.b64decode(_PNG_1X1))
    folder = _template_with(tmp_path, '<img src="escape.png" alt="">')
    (folder / "escape.png").symlink_to(secret)
    with pytest.raises(RenderError, match="only data: URIs and files inside the template folders"):
        render_pdf("page.html", {}, settings=settings(), template_dirs=[folder])


def test_fetcher_reports_missing_file(tmp_path):
    folder = _template_with(tmp_path, '<img src="img/missing.png" alt="">')
    with pytest.raises(
        RenderError, match=re.escape("'img/missing.png' is not a file in the template folders")
    ):
        render_pdf("page.html", {}, settings=settings(), template_dirs=[folder])


def test_fetcher_records_what_it_refused(tmp_path):
    fetcher = make_url_fetcher([tmp_path])
    for url in ("http://example.com/", "file:///etc/passwd"):
        with pytest.raises(FetchRefused):
            fetcher.fetch(url)
    assert fetcher.refused == ["http://example.com/", "file:///etc/passwd"]


_PNG_1X1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="


def test_fetcher_serves_data_uris_and_files_inside(tmp_path):
    folder = _template_with(
        tmp_path,
        f'<img src="data:image/png;base64,{_PNG_1X1}" alt="a"><img src="img/dot.png" alt="b">',
    )
    (folder / "img").mkdir()
    (folder / "img" / "dot.png").write_bytes(base64.b64decode(_PNG_1X1))
    pdf = render_pdf("page.html", {}, settings=settings(), template_dirs=[folder])
    page = pypdf.PdfReader(io.BytesIO(pdf)).pages[0]
    assert len(page.images) == 2


def test_relative_urls_resolve_user_folder_first(tmp_path):
    """base/print.css in a user folder replaces the bundled one."""
    folder = _template_with(tmp_path, "")
    (folder / "page.html").write_text(
        '{% extends "base/report.html" %}{% block content %}<p>styled</p>{% endblock %}'
    )
    (folder / "base").mkdir()
    (folder / "base" / "print.css").write_text("@page { size: 100mm 100mm; margin: 10mm }")
    pdf = render_pdf("page.html", {}, settings=settings(), template_dirs=[folder])
    box = pypdf.PdfReader(io.BytesIO(pdf)).pages[0].mediabox
    assert float(box.width) == pytest.approx(100 / 25.4 * 72, abs=0.1)


# --------------------------------------------------------------------------- Jinja


def test_environment_is_sandboxed_strict_and_escaping():
    env = make_environment()
    assert isinstance(env, jinja2.sandbox.SandboxedEnvironment)
    assert env.undefined is jinja2.StrictUndefined
    assert "format_money" in env.filters and "svg_data_uri" in env.filters


def test_render_html_escapes_and_cleans(tmp_path):
    (tmp_path / "t.html").write_text("<p>{{ note }}</p>")
    html = render_html("t.html", {"note": "<b>x</b>\x00\x1b{{ 7*7 }}"}, env=make_environment([tmp_path]))
    assert html == "<p>&lt;b&gt;x&lt;/b&gt;{{ 7*7 }}</p>"


def test_render_html_reads_a_context_dataclass(tmp_path):
    (tmp_path / "t.html").write_text("{{ title }}")
    entry = TocEntry(id="a", title="Churn & retention")
    assert render_html("t.html", entry, env=make_environment([tmp_path])) == "Churn &amp; retention"


def test_undefined_variable_names_file_and_line(tmp_path):
    (tmp_path / "t.html").write_text("<p>ok</p>\n<p>{{ missing_value }}</p>")
    with pytest.raises(RenderError) as info:
        render_html("t.html", {}, env=make_environment([tmp_path]))
    assert str(info.value) == f"File \"{tmp_path / 't.html'}\", line 2: 'missing_value' is undefined"


def test_sandbox_blocks_attribute_escape(tmp_path):
    (tmp_path / "t.html").write_text("{{ ''.__class__.__mro__ }}")
    with pytest.raises(RenderError, match="unsafe"):
        render_html("t.html", {}, env=make_environment([tmp_path]))


def test_syntax_error_names_file_and_line(tmp_path):
    (tmp_path / "t.html").write_text("<p>\n{% if %}\n</p>")
    with pytest.raises(RenderError) as info:
        render_html("t.html", {}, env=make_environment([tmp_path]))
    assert str(info.value).startswith(f'File "{tmp_path / "t.html"}", line 2: template syntax error')


def test_filter_error_becomes_render_error(tmp_path):
    (tmp_path / "t.html").write_text("{{ 'Q5'|format_quarter }}")
    with pytest.raises(RenderError, match="ValueError: format_quarter: 'Q5' is not a quarter"):
        render_html("t.html", {}, env=make_environment([tmp_path]))


def test_pick_template_most_specific_name_first(tmp_path):
    (tmp_path / "qbr").mkdir()
    (tmp_path / "qbr" / "report.html").write_text("generic")
    env = make_environment([tmp_path])
    names = ["qbr/report-strategic.html", "qbr/report.html"]
    assert pick_template(env, names).render() == "generic"
    (tmp_path / "qbr" / "report-strategic.html").write_text("strategic")
    assert pick_template(env, names).render() == "strategic"


def test_pick_template_not_found_lists_folders(tmp_path):
    env = make_environment([tmp_path])
    with pytest.raises(RenderError) as info:
        pick_template(env, ["a.html", "b.html"])
    assert str(info.value) == (
        f"template 'a.html' or 'b.html' not found in {tmp_path}, {bundled_templates_dir()}"
    )


def test_user_template_overrides_bundled_and_extends_default(tmp_path):
    (tmp_path / "base").mkdir()
    (tmp_path / "base" / "report.html").write_text(
        '{% extends "default:base/report.html" %}{% block summary %}<p>user summary</p>{% endblock %}'
    )
    (tmp_path / "doc.html").write_text(
        '{% extends "base/report.html" %}{% block content %}<p>doc content</p>{% endblock %}'
    )
    html = render_html("doc.html", {"settings": settings()}, env=make_environment([tmp_path]))
    assert "<p>user summary</p>" in html
    assert "<p>doc content</p>" in html
    assert 'href="base/print.css"' in html


def test_base_template_markup():
    html = render_html(
        "base/report.html",
        {"settings": settings(page_size="Letter", locale="sv")},
        env=make_environment(),
    )
    assert '<html lang="sv" class="page-letter">' in html
    assert "<title>Quarterly review</title>" in html
    assert '<meta name="author" content="CS Operations">' in html
    assert "Skapad 2 okt. 2026" in html
    assert 'class="toc"' not in html  # no sections, no contents


def test_print_css_is_bundled():
    css = (bundled_templates_dir() / "base" / "print.css").read_text()
    assert "counter(pages)" in css
    assert "target-counter" in css


def test_fonts_in_pdf_do_not_carry_the_clock(sample_pdf):
    """Font subsets keep their file's dates, so the PDF does not depend on when it was made."""
    from fontTools.ttLib import TTFont

    reader = pypdf.PdfReader(io.BytesIO(sample_pdf))
    fonts = 0
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            descendant = font.get_object()["/DescendantFonts"][0].get_object()
            descriptor = descendant["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_object().get_data()
            ttf = TTFont(io.BytesIO(data), checkChecksums=2)  # raises on a bad checksum
            assert ttf["head"].modified == ttf["head"].created
            fonts += 1
    assert fonts >= 1
