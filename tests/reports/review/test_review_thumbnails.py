"""Thumbnails on the review page: first slide or page, made once per content, never a failure."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.output.manifest import Manifest
from reports.review import thumbnails
from reports.review.manifest_file import read_run
from reports.review.page import PAGE_NAME, THUMBNAILS_DIR

TINY = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _thumbnail_sources(out: Path) -> list[str]:
    page = lxml.html.fromstring((out / PAGE_NAME).read_bytes())
    return page.xpath("//td[@class='th']/img/@src")


@pytest.mark.slow
@pytest.mark.libreoffice
@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdftoppm") is None, reason="needs soffice and pdftoppm"
)
def test_thumbnails_are_made_once_per_content_and_kept_on_the_page(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    _invoke(
        "--data", str(TINY), "--out", str(out), "qbr", "--account", "A1", "--account", "A2", "--account", "A5",
        "--format", "pptx,pdf", "--follow-up",
    )  # fmt: skip
    printed = _invoke("review", str(out), "--thumbnails")
    assert "Thumbnails: 6 made, 0 reused" in printed and "9 documents, 6 with a thumbnail" in printed
    made = sorted((out / THUMBNAILS_DIR).glob("*.png"))
    assert len(made) == 6 and all(p.read_bytes().startswith(b"\x89PNG") for p in made)
    sources = _thumbnail_sources(out)
    assert len(sources) == 6 and all(s.startswith(f"{THUMBNAILS_DIR}/") for s in sources)
    assert all((out / s).is_file() for s in sources)
    page = lxml.html.fromstring((out / PAGE_NAME).read_bytes())
    for row in page.xpath("//table[@id='docs']/tbody[1]/tr"):  # emails get none
        assert bool(row.xpath(".//img")) != row.xpath("string(.//td[@class='fl'])").endswith(".eml")

    mtimes = {p: p.stat().st_mtime_ns for p in made}
    calls: list[list[str]] = []
    monkeypatch.setattr(thumbnails, "_run", lambda command, timeout: calls.append(command))
    printed = _invoke("review", str(out), "--thumbnails")
    assert "Thumbnails: 0 made, 6 reused" in printed and calls == []
    assert {p: p.stat().st_mtime_ns for p in (out / THUMBNAILS_DIR).glob("*.png")} == mtimes

    _invoke("approve", str(out), "--account", "A1", "--by", "Anna Silva")  # the page keeps its thumbnails
    assert len(_thumbnail_sources(out)) == 6


def _pdf_run(tmp_path: Path) -> Path:
    (tmp_path / "leadership").mkdir()
    pdf = tmp_path / "leadership" / "board.pdf"
    pdf.write_bytes(b"%PDF-1.4 not really")
    manifest = Manifest(tmp_path, run={"command": "board-report", "period": "2026-Q3"})
    manifest.add_file("board-report", pdf)
    manifest.write()
    return tmp_path


def test_missing_tools_are_one_line_and_a_page_without_thumbnails(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    out = _pdf_run(tmp_path)
    monkeypatch.setattr(thumbnails.shutil, "which", lambda name: None)
    result = CliRunner().invoke(cli, ["review", str(out), "--thumbnails"])
    assert result.exit_code == 0, result.output
    assert "pdftoppm (poppler) not found" in result.output
    assert "Review page:" in result.output and _thumbnail_sources(out) == []


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="needs pdftoppm")
def test_a_file_that_will_not_render_is_named_not_fatal(tmp_path: Path) -> None:
    out = _pdf_run(tmp_path)
    result = CliRunner().invoke(cli, ["review", str(out), "--thumbnails"])
    assert result.exit_code == 0, result.output
    assert "no thumbnail: leadership/board.pdf: pdftoppm:" in result.output
    assert not list((out / THUMBNAILS_DIR).iterdir())  # no partial file left behind


def test_a_file_changed_since_the_run_gets_no_thumbnail(tmp_path: Path) -> None:
    out = _pdf_run(tmp_path)
    (out / "leadership" / "board.pdf").write_bytes(b"%PDF-1.4 edited")
    report = thumbnails.make_thumbnails(out, read_run(out).files)
    assert report.failed == [("leadership/board.pdf", "changed since the run wrote it")]


def test_batches_give_every_worker_work() -> None:
    jobs = [thumbnails._Job(str(n), f"{n}.pptx", Path(f"{n}.pptx")) for n in range(5)]
    assert [len(b) for b in thumbnails._batches(jobs, 2, 20)] == [3, 2]
    assert [len(b) for b in thumbnails._batches(jobs * 10, 2, 20)] == [20, 20, 10]
    assert thumbnails._batches([], 2, 20) == []
