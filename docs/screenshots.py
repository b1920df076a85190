"""Regenerate the documentation's screenshots from the bundled demo.

    python docs/screenshots.py            # writes docs/img/*.png

Runs ``csreports demo`` into a temporary folder, converts a customer QBR deck to PDF with
LibreOffice (``soffice --headless --convert-to pdf``), renders chosen pages of the decks and
PDFs with ``pdftoppm`` and the weekly email's HTML with headless Chromium (its inline images
taken from the ``.eml``), and the demo run's review page (``csreports review --thumbnails``) with
headless Chromium. Needs LibreOffice, poppler-utils and Chromium on PATH, as CI has.
The same demo gives the same pictures, so a changed PNG in a diff means a changed document.
"""

from __future__ import annotations

import base64
import email
import re
import shutil
import subprocess
import sys
import tempfile
from email import policy
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMG = ROOT / "docs" / "img"
RESOLUTION = "60"
CSREPORTS = "from reports.cli import main; main()"

# (output PNG, file in the demo's output folder, page number)
PDF_PAGES = [
    ("board-report-page1.png", "leadership/board-report-*.pdf", 1),
    ("board-report-page2.png", "leadership/board-report-*.pdf", 2),
    ("churn-report-page1.png", "leadership/churn-report-*.pdf", 1),
    ("cost-to-retain-page1.png", "leadership/cost-to-retain-*.pdf", 1),
    ("nps-digest-page1.png", "nps/nps-digest-*.pdf", 1),
    ("qbr-leave-behind-page1.png", "qbr/{deck}.pdf", 1),
]
# (output PNG, layout name of the master) of a high-touch customer QBR deck: its first slide of that layout
DECK_SLIDES = [("qbr-title.png", "Title"), ("qbr-summary.png", "KPI"), ("qbr-adoption.png", "Chart")]
BOARD_SLIDES = [("board-deck-slide2.png", 2)]
# (output PNG, slide number) of a QBR deck on python-pptx's default master (4:3, no csreports names)
CORPORATE_SLIDES = [("corporate-master-summary.png", 3), ("corporate-master-adoption.png", 5)]
UPDATED_SLIDE = ("updated-deck-summary.png", 3)
"""The executive summary of a deck edited by a CSM, then updated with the next quarter's data."""


def run(*args: str, cwd: Path | None = None) -> str:
    result = subprocess.run(args, cwd=cwd, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        sys.exit(f"{' '.join(args[:3])} … failed ({result.returncode}):\n{result.stdout}{result.stderr}")
    return result.stdout


def render_page(pdf: Path, page: int, target: Path) -> None:
    stem = target.with_suffix("")
    run(
        "pdftoppm",
        "-png",
        "-r",
        RESOLUTION,
        "-f",
        str(page),
        "-l",
        str(page),
        "-singlefile",
        str(pdf),
        str(stem),
    )


def to_pdf(document: Path, folder: Path) -> Path:
    run("soffice", "--headless", "--convert-to", "pdf", "--outdir", str(folder), str(document))
    return folder / f"{document.stem}.pdf"


def richest_customer_deck(folder: Path) -> tuple[Path, list[str]]:
    """The customer deck (not ``-internal``) with the most slides, first by name: a high-touch deck;
    and the layout name of each of its slides."""
    from pptx import Presentation

    best: tuple[Path, list[str]] | None = None
    for path in sorted(folder.glob("*.pptx")):
        if path.stem.endswith("-internal"):
            continue
        layouts = [slide.slide_layout.name for slide in Presentation(str(path)).slides]
        if best is None or len(layouts) > len(best[1]):
            best = (path, layouts)
    if best is None:
        sys.exit(f"no customer QBR deck in {folder}")
    return best


def csreports(*args: str) -> str:
    return run(sys.executable, "-c", CSREPORTS, *args, cwd=ROOT)


def corporate_and_updated_decks(work: Path) -> None:
    """A QBR deck on python-pptx's default master; and a deck edited like a CSM would (summary
    rewritten, a text box added) regenerated with the next quarter's data (``--update-from``)."""
    import pptx
    from pptx import Presentation
    from pptx.util import Inches, Pt

    master = work / "corporate" / "qbr" / "qbr.pptx"
    master.parent.mkdir(parents=True)
    shutil.copyfile(Path(pptx.__file__).parent / "templates" / "default.pptx", master)
    csreports(
        "qbr", "--account", "A-00140", "--templates", str(master.parent.parent), "--out", str(work / "c")
    )
    deck_pdf = to_pdf(next((work / "c").glob("*.pptx")), work)
    for name, slide in CORPORATE_SLIDES:
        render_page(deck_pdf, slide, IMG / name)
    csreports("qbr", "--account", "A-00140", "--quarter", "2026-Q2", "--out", str(work / "u"))
    deck = next((work / "u").glob("*.pptx"))
    prs = Presentation(str(deck))
    summary = prs.slides[UPDATED_SLIDE[1] - 1]
    takeaways = next(s for s in summary.shapes if s.name.startswith("Commentary"))
    takeaways.text_frame.text = "Rollout to the Nordic stores starts in November; Yuki's team leads it."
    note = summary.shapes.add_textbox(Inches(8.4), Inches(6.6), Inches(4.4), Inches(0.5))
    note.text_frame.text = "Ask Yuki about the December freeze"
    note.text_frame.paragraphs[0].runs[0].font.size = Pt(14)
    prs.save(str(deck))
    csreports(
        "qbr",
        "--account",
        "A-00140",
        "--quarter",
        "2026-Q3",
        "--update-from",
        str(work / "u"),
        "--out",
        str(work / "u"),
    )
    render_page(to_pdf(deck, work), UPDATED_SLIDE[1], IMG / UPDATED_SLIDE[0])


def review_page(out: Path) -> None:
    """The demo run's review page with thumbnails, after a CS lead approved one segment's
    files and held one account's."""
    csreports("approve", str(out), "--segment", "Strategic", "--by", "Anna Silva")
    csreports(
        "hold",
        str(out),
        "--account",
        "A-00227",
        "--reason",
        "Renewal call on Thursday first",
        "--by",
        "Anna Silva",
    )
    csreports("review", str(out), "--thumbnails")
    run(
        "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
        f"--screenshot={IMG / 'review-page.png'}", "--window-size=1400,820", (out / "index.html").as_uri(),
    )  # fmt: skip
    small_png(IMG / "review-page.png")


def small_png(path: Path) -> None:
    """``path`` again with a 128-colour palette: a page of text and flat colours stays crisp, at a
    third of the size."""
    from PIL import Image

    with Image.open(path) as image:
        image.convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT).save(path, optimize=True)


def email_html_with_inline_images(eml: Path) -> str:
    """The email's HTML part with every ``cid:`` image replaced by a ``data:`` URI from the message."""
    message = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    images, html = {}, ""
    for part in message.walk():
        content_id = part.get("Content-ID")
        if content_id and part.get_content_maintype() == "image":
            data = base64.b64encode(part.get_payload(decode=True)).decode()
            images[content_id.strip("<>")] = f"data:{part.get_content_type()};base64,{data}"
        elif part.get_content_type() == "text/html":
            html = part.get_content()
    return re.sub(r"cid:([^\"')\s]+)", lambda m: images.get(m.group(1), m.group(0)), html)


def main() -> int:
    for tool in ("soffice", "pdftoppm", "chromium"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} is not on PATH (LibreOffice, poppler-utils and Chromium are needed)")
    IMG.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="csreports-shots-") as tmp:
        work = Path(tmp)
        out = work / "out"
        printed = csreports("demo", "--out", str(out))
        if "(a customer QBR deck)" not in printed:
            sys.exit("the demo wrote no customer QBR deck")
        deck, layouts = richest_customer_deck(out / "qbr")
        deck_pdf = to_pdf(deck, work)
        for name, layout in DECK_SLIDES:
            render_page(deck_pdf, layouts.index(layout) + 1, IMG / name)
        board_deck_pdf = to_pdf(next(out.glob("leadership/board-report-*.pptx")), work)
        for name, slide in BOARD_SLIDES:
            render_page(board_deck_pdf, slide, IMG / name)
        for name, pattern, page in PDF_PAGES:
            render_page(next(out.glob(pattern.format(deck=deck.stem))), page, IMG / name)
        corporate_and_updated_decks(work)
        review_page(out)
        html = work / "email.html"
        html.write_text(email_html_with_inline_images(next(out.glob("email/*.eml"))), encoding="utf-8")
        run(
            "chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
            f"--screenshot={IMG / 'weekly-email.png'}", "--window-size=700,1400", html.as_uri(),
        )  # fmt: skip
    for png in sorted(IMG.glob("*.png")):
        print(f"{png.relative_to(ROOT)}  {png.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
