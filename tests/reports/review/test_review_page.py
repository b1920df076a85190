"""The review page, ``OUT/index.html``: every document of a run, its status, and nothing from the network."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import lxml.html
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.output.manifest import Manifest
from reports.review.manifest_file import read_run
from reports.review.page import PAGE_NAME, file_href, write_review_page
from tests.reports.local_servers import chromium

TINY = Path(__file__).resolve().parents[2] / "fixtures" / "tiny"
HOSTILE = "<script>alert(1)</script>"
JOB = """\
period: 2026-Q3
documents:
  - kind: qbr
    formats: [pptx, pdf]
    audience: customer
    follow_up: true
    accounts: {ids: [A1, A2, A3, A4, A5]}   # by name: every account, the churned one too
    output: "qbr/{segment}/{slug}.{ext}"
  - kind: qbr
    formats: [pptx]
    audience: internal
    accounts: {ids: [A1, A2, A3, A4, A5]}
    output: "qbr/{segment}/{slug}.{ext}"
  - kind: board-report
"""


def _invoke(*args: str) -> str:
    result = CliRunner().invoke(cli, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def reviewed_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A job run of the tiny dataset (one account named like a script): QBRs for both audiences
    and the board report; Beta GmbH's files held, Alpha AB's approved."""
    root = tmp_path_factory.mktemp("review")
    data = root / "data"
    shutil.copytree(TINY, data)
    accounts = data / "accounts.csv"
    accounts.write_text(accounts.read_text().replace("A3,Gamma Inc.,", f"A3,{HOSTILE},"))
    job = root / "job.yaml"
    job.write_text(JOB)
    out = root / "out"
    printed = _invoke("--data", str(data), "run", str(job), "--out", str(out), "--workers", "1")
    assert f"Review page: {out / PAGE_NAME}" in printed
    _invoke(
        "hold", str(out), "--account", "A2", "--reason", "renewal call <b>first</b>", "--by", "Ops <lead>"
    )
    _invoke("approve", str(out), "--account", "A1", "--by", "Anna Silva")
    return out


def _page(out: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring((out / PAGE_NAME).read_bytes())


def _rows(page: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    return page.xpath('//table[@id="docs"]/tbody[1]/tr')


def test_every_document_is_listed_with_its_account_and_status(reviewed_run: Path) -> None:
    files = read_run(reviewed_run).files
    rows = {row.xpath('string(.//td[@class="fl"])'): row for row in _rows(_page(reviewed_run))}
    assert len(files) == 22 and set(rows) == {e.path for e in files}
    for entry in files:
        row = rows[entry.path]
        assert row.xpath(".//a/@href") == [file_href(entry.path)]
        expected = {"A1": "approved", "A2": "held"}.get(entry.account_id or "", "draft")
        assert row.get("data-s") == expected == row.xpath('string(.//span[contains(@class, "st ")])')
        if entry.account_id:
            account = row.xpath('.//td[@class="ac"]')[0].text_content()
            assert entry.account_name and entry.account_name in account and entry.account_id in account
            assert row.get("data-g") == entry.segment and row.get("data-c") == entry.csm_id
        else:
            assert row.xpath('string(.//td[@class="ac"])') == "Portfolio"


def test_held_rows_show_who_held_them_and_why(reviewed_run: Path) -> None:
    held = [row for row in _rows(_page(reviewed_run)) if row.get("data-s") == "held"]
    assert len(held) == 4  # Beta GmbH: deck, leave-behind, follow-up, internal deck
    for row in held:
        assert row.xpath('string(.//small[@class="why"])') == "renewal call <b>first</b>"
        assert "Ops <lead>, " in row.xpath("string(.//td[6])")
    chips = {
        c.get("data-status"): c.text_content()
        for c in _page(reviewed_run).xpath('//*[@class="chips"]/button')
    }
    assert chips["held"] == "held4" and chips["approved"] == "approved4" and chips["draft"] == "draft14"


def test_internal_documents_are_marked_never_delivered(reviewed_run: Path) -> None:
    rows = _rows(_page(reviewed_run))
    for row in rows:
        internal = "-internal" in row.xpath('string(.//td[@class="fl"])')
        assert ("internal — never delivered" in row.text_content()) == internal
        assert (row.get("class") == "int") == internal
    assert sum(row.get("class") == "int" for row in rows) == 5


def test_headline_figures_are_printed_ones(reviewed_run: Path) -> None:
    files = {e.path: e for e in read_run(reviewed_run).files}
    for row in _rows(_page(reviewed_run)):
        entry = files[row.xpath('string(.//td[@class="fl"])')]
        printed = {str(f["shown"]) for f in entry.figures or ()}
        figures = row.xpath('.//td[@class="fg"]/span')
        assert len(figures) <= 4
        for span in figures:
            label = span.xpath("string(i)")
            shown = span.text_content()[len(label) + 1 :].removesuffix(" days")
            assert shown in printed, (entry.path, shown)
    deck = next(
        r
        for r in _rows(_page(reviewed_run))
        if r.xpath('string(.//td[@class="fl"])').endswith("a2-beta-gmbh.pptx")
    )
    assert deck.xpath('string(.//td[@class="fg"])').startswith("ARR $18,000")


def test_the_page_loads_nothing_from_anywhere_and_escapes_names(reviewed_run: Path) -> None:
    text = (reviewed_run / PAGE_NAME).read_text(encoding="utf-8")
    assert "http://" not in text and "https://" not in text and "//" not in text
    assert "@import" not in text and "url(" not in text
    assert HOSTILE not in text and "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<b>first</b>" not in text
    page = _page(reviewed_run)
    assert len(page.xpath("//script")) == 1 and not page.xpath("//script[@src] | //link | //iframe")
    for ref in page.xpath("//@href | //@src"):
        assert not re.match(r"^[a-z][a-z0-9+.-]*:|^/", ref), ref
        assert (reviewed_run / ref).resolve().is_relative_to(reviewed_run.resolve()), ref
    assert (reviewed_run / PAGE_NAME).read_bytes().count(b"\n") < 200 + len(_rows(page))


def test_file_links_never_leave_the_folder() -> None:
    assert file_href("qbr/Scaled/Åre & co #1.pptx") == "qbr/Scaled/%C3%85re%20%26%20co%20%231.pptx"
    for outside in ("../x.pptx", "/etc/passwd", "javascript:alert(1)", "a/../../x.pdf", ""):
        assert file_href(outside) is None, outside


def test_portfolio_documents_failed_renders_and_an_empty_run(tmp_path: Path) -> None:
    manifest = Manifest(tmp_path, run={"command": "qbr", "period": "2026-Q3"})
    manifest.add_failure("qbr", "no MRR rows <for> this account", account_id="A-9")
    manifest.write()
    page = _page(Path(write_review_page(tmp_path).path).parent)
    assert _rows(page) == [] and page.xpath('//tr[@id="none"]/@hidden') == []
    warning = page.xpath('string(//details[@class="warn"])')
    assert (
        "1 document(s) could not be rendered" in warning
        and "A-9, qbr: no MRR rows <for> this account" in warning
    )


def test_review_of_a_folder_without_a_run_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["review", str(tmp_path)])
    assert result.exit_code != 0 and "no manifest.json" in result.output
    assert not (tmp_path / PAGE_NAME).exists()


def test_a_page_of_ten_thousand_documents_is_written_quickly(tmp_path: Path) -> None:
    figure = {"dimension": "account", "period": "2026-Q3"}
    manifest = Manifest(tmp_path, run={"command": "run", "period": "2026-Q3"})
    (tmp_path / "deck.pptx").write_bytes(b"x")
    for number in range(10_000):
        account = f"A-{number:05d}"
        entry = manifest.add_file(
            "qbr-pptx",
            tmp_path / "deck.pptx",
            account_id=account,
            figures=[
                figure | {"id": "arr_end", "value": number, "shown": f"${number:,}", "account_id": account},
                figure | {"id": "nps", "value": 10, "shown": "10", "account_id": account},
            ],
            about={
                "account_name": f"Account {number}",
                "segment": "Scaled",
                "csm_id": "C1",
                "audience": "customer",
            },
        )
        entry.path = f"qbr/{account}.pptx"
    manifest.write()
    result = write_review_page(tmp_path)
    assert result.documents == 10_000
    assert result.seconds < 15  # about 1.5 s on a laptop core
    assert result.size < 10_000 * 700


def _chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return chromium(
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--enable-logging=stderr",
        "--v=0",
        *args,
        profile=tmp_path / "profile",
    )


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_chromium_filters_by_the_url_fragment(reviewed_run: Path, tmp_path: Path) -> None:
    url = (reviewed_run / PAGE_NAME).as_uri()
    dumped = _chromium("--dump-dom", f"{url}#status=held", tmp_path=tmp_path)
    page = lxml.html.fromstring(dumped.stdout)
    visible = [row for row in _rows(page) if row.get("hidden") is None]
    assert len(visible) == 4 and {row.get("data-s") for row in visible} == {"held"}
    assert page.xpath('string(//*[@id="shown"])') == "4 of 22 documents"
    net_log = tmp_path / "net-log.json"
    dumped = _chromium(
        "--dump-dom", f"--log-net-log={net_log}", f"{url}#q=alpha&segment=Scaled", tmp_path=tmp_path
    )
    visible = [row for row in _rows(lxml.html.fromstring(dumped.stdout)) if row.get("hidden") is None]
    assert len(visible) == 4 and all("Alpha AB" in row.text_content() for row in visible)
    for line in dumped.stderr.splitlines():  # nothing failed to load, was refused, or threw
        assert not re.search(r"net::ERR|Failed to load resource|Refused to|Uncaught", line), line
    requested = set(re.findall(r'"url":"([a-z]+:[^"]*)"', net_log.read_text(encoding="utf-8")))
    browser_own = re.compile(r"^https?://[^/]*(google\.com|googleapis\.com|gvt1\.com|gstatic\.com)/")
    assert {u for u in requested if not browser_own.match(u) and not u.startswith("file:")} == set()


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_the_filters_and_the_table_header_stay_in_view_when_scrolled(
    reviewed_run: Path, tmp_path: Path
) -> None:
    probe = (
        "<script>window.scrollTo(0, 600); document.body.setAttribute('data-probe', "
        "[window.scrollY, document.getElementById('bar').getBoundingClientRect().top, "
        "document.getElementById('bar').offsetHeight, "
        "Math.round(document.querySelector('#docs th').getBoundingClientRect().top)].join(' '));</script></body>"
    )
    page = reviewed_run / "probe.html"  # beside the page, for the same relative links
    page.write_text((reviewed_run / PAGE_NAME).read_text(encoding="utf-8").replace("</body>", probe))
    try:
        dumped = _chromium("--dump-dom", "--window-size=1400,500", page.as_uri(), tmp_path=tmp_path)
    finally:
        page.unlink()
    scrolled, bar_top, bar_height, head_top = map(
        int, lxml.html.fromstring(dumped.stdout).body.get("data-probe").split()
    )
    assert scrolled == 600 and bar_top == 0 and head_top == bar_height


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed")
def test_chromium_screenshot_of_the_page(reviewed_run: Path, tmp_path: Path) -> None:
    shot = tmp_path / "page.png"
    url = (reviewed_run / PAGE_NAME).as_uri()
    _chromium(f"--screenshot={shot}", "--window-size=1400,900", url, tmp_path=tmp_path)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000
