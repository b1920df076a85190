"""Every document of ``csreports demo``, read as text the way its recipient reads it.

The checks are the reading checklist's mechanical part: words, not code (no
identifiers, no ``(s)`` plurals, no Python reprs), one date format (no ISO
dates in a document's prose), nothing internal in what a customer receives,
and INTERNAL on every page of what they must not. Text comes from the files
as written: slide shapes, tables, chart labels and speaker notes; PDF text;
email subject, text and HTML.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.reports.reading import document_parts

CODE_PATTERNS = {
    "an identifier": re.compile(r"\b[a-z]+_[a-z0-9_]+\b"),
    "a '(s)' plural": re.compile(r"\w\((s|er|ar|or|n)\)"),
    "a Python repr": re.compile(r"\[\s*[\d'\"]|\bNone\b(?! (named|this|yet))|\bnan\b|\bNaN\b|\{'|\(\)"),
    "an ISO date": re.compile(r"\b20\d\d-\d\d-\d\d\b|\b20\d\d-(0[1-9]|1[0-2])\b(?![-\d])"),
    "a singular count with a plural noun": re.compile(
        r"(?<![\d.,])\b1 (ratings|responses|tickets|accounts|users|goals)\b"
    ),
}
"""What no reader should meet in any document."""

ALLOWED_CODE = (
    re.compile(r"\b\S+@\S+\b"),  # e-mail addresses in headers and signatures
    re.compile(r"\b20\d\d-W\d\d\b"),  # ISO week labels are how weeks are named
)


@pytest.fixture(scope="module")
def demo(demo_in) -> Path:
    return demo_in("en")


def _documents(demo: Path) -> list[Path]:
    return sorted(p for p in demo.rglob("*") if p.suffix in (".pptx", ".pdf", ".eml"))


def test_the_demo_writes_every_kind_of_document(demo: Path):
    names = [p.name for p in _documents(demo)]
    for expected in ("board-report", "churn-report", "cost-to-retain", "nps-digest", "weekly", "follow-up"):
        assert any(expected in n for n in names), expected
    assert any(n.endswith("-internal.pptx") for n in names) and any(
        n.endswith("-internal.pdf") for n in names
    )


def _code_found(text: str) -> list[str]:
    for allowed in ALLOWED_CODE:
        text = allowed.sub(" ", text)
    found = []
    for what, pattern in CODE_PATTERNS.items():
        for match in pattern.finditer(text):
            found.append(f"{what}: …{text[max(0, match.start() - 30) : match.end() + 30]!r}…")
    return found


def test_no_document_shows_code_reprs_iso_dates_or_patched_plurals(demo: Path):
    problems = []
    for path in _documents(demo):
        for where, text in document_parts(path):
            problems += [f"{path.name} {where}: {found}" for found in _code_found(text)]
    assert not problems, "\n".join(problems[:40])


def test_every_page_and_slide_of_an_internal_document_says_internal(demo: Path):
    for path in _documents(demo):
        if "-internal." not in path.name:
            continue
        if path.suffix == ".pptx":
            slides: dict[str, list[str]] = {}
            for where, text in document_parts(path):
                slides.setdefault(where.split()[1], []).append(text)
            unmarked = [n for n, texts in slides.items() if not any("INTERNAL" in t for t in texts)]
        else:
            unmarked = [where for where, text in document_parts(path) if "INTERNAL" not in text]
        assert not unmarked, f"{path.name}: no INTERNAL mark on {unmarked}"


CUSTOMER_NEVER = re.compile(
    r"health score|\bchampion\b|economic buyer|power user|\bchurn|upsell|\brisk\b|internal|csreports"
    r"|site-packages|\b[0-9a-f]{12,}\b|://",
    re.IGNORECASE,
)


def test_what_a_customer_receives_holds_nothing_internal(demo: Path):
    customer = [p for p in _documents(demo) if p.parent.name == "qbr" and "-internal" not in p.name]
    assert len(customer) >= 3 * 4  # deck, leave-behind and follow-up of each demo account
    problems = []
    for path in customer:
        for where, text in document_parts(path):
            problems += [f"{path.name} {where}: {m.group(0)!r}" for m in CUSTOMER_NEVER.finditer(text)]
    assert not problems, "\n".join(problems[:40])


def test_the_scan_sees_what_it_looks_for():
    assert _code_found("Drivers: support_p0p1") and _code_found("1 P0 ticket(s)")
    assert _code_found("Red: [1, 3, 1]") and _code_found("Renewal 2026-10-26")
    assert _code_found("CSAT 3.0 / 5 (1 ratings)")
    assert not _code_found("Week 2026-W43, sent to cs-leaders@example.com; none named; 1.5 ratings")


def _content_depths(pdf: Path) -> list[float]:
    """Per page, how far down the content reaches, as a fraction of the page (header and footer left out)."""
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(["pdftoppm", "-r", "20", "-gray", "-png", str(pdf), f"{folder}/p"], check=True)
        depths = []
        for page in sorted(Path(folder).glob("p-*.png")):
            image = Image.open(page).convert("L")
            width, height = image.size
            top, bottom = int(height * 0.08), int(height * 0.90)
            pixels = image.load()
            inked = [y for y in range(top, bottom) if any(pixels[x, y] < 200 for x in range(width))]
            depths.append((max(inked) / height) if inked else 0.0)
    return depths


def test_no_pdf_page_but_the_last_is_mostly_empty(demo: Path):
    near_empty = []
    for pdf in (p for p in _documents(demo) if p.suffix == ".pdf"):
        depths = _content_depths(pdf)
        near_empty += [
            f"{pdf.name} page {n}: content ends at {d:.0%}" for n, d in enumerate(depths[:-1], 1) if d < 0.5
        ]
    assert not near_empty, "\n".join(near_empty)


def _precision(shown: str) -> int | None:
    """Decimals of a printed number as a fraction ("15.7" → 1, "$2,540" → 0, "89%" → 2, "0.89" → 2).

    None for compact chart labels ("$2.5K"), which round by design.
    """
    if re.search(r"\d\s*[KMB]\b", shown):
        return None
    digits = re.search(r"\d[\d,]*(?:\.(\d+))?", shown)
    if digits is None:
        return None
    return len(digits.group(1) or "") + (2 if "%" in shown else 0)


def test_a_figure_has_one_precision_across_the_documents_of_a_language(demo: Path):
    """'NPS 16' on the board and 'NPS 15.7' in the digest read as two different scores."""
    import json

    manifest = json.loads((demo / "manifest.json").read_text(encoding="utf-8"))
    shown: dict[tuple, dict[int, set[str]]] = {}
    for document in manifest["documents"]:
        name = Path(document["path"]).name
        if "-sv." in name or "-sv-" in name:
            continue
        for figure in document.get("figures") or []:
            key = tuple(figure.get(k) for k in ("id", "period", "dimension", "group", "account_id"))
            precision = _precision(str(figure["shown"]))
            if precision is not None:
                shown.setdefault(key, {}).setdefault(precision, set()).add(name)
    mixed = {key: by for key, by in shown.items() if len(by) > 1}
    assert not mixed, "\n".join(f"{key}: {by}" for key, by in list(mixed.items())[:20])
