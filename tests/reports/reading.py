"""A rendered document's text piece by piece, the way its reader meets it.

Slide shapes, table cells, chart categories and series names and speaker
notes of a deck; each page of a PDF (``pdftotext``); the subject, text part and
HTML text of an email.
"""

from __future__ import annotations

import email
import re
import subprocess
from email import policy
from pathlib import Path

from pptx import Presentation

from tests.reports.printed_numbers import shape_texts

WORD = re.compile(r"\bP\d\b|\b[^\W\d_]+(?:['’][^\W\d_]+)?\b")
"""A word: letters only (not the "Q" of "Q3"), or a ticket priority ("P1")."""
ID = re.compile(r"\b[A-Z]+-\d+\b")
"""An id such as "A-00140": data, not words."""
_SEPARATOR = re.compile(r"[\n·•|]")
"""What ends a phrase: a line break, or a separator between items ("Scaled · Score 7")."""

KEPT_WORDS = {"customer", "success", "arr", "mrr", "nrr", "grr", "nps", "p0", "p1", "p3", "us", "churn"}
"""Words the Swedish and German documents keep in English on purpose: the function's name and the
metric acronyms CS teams use in every language."""
LOANWORDS = {
    "sv": set(),
    "de": {"account", "accounts", "health", "ticket", "tickets", "logins", "champion"}
    | {"net", "gross", "revenue", "retention", "contraction", "churn"},
}
"""English words German CS teams write as German words ("der Account", "das Ticket"), and the SaaS
revenue terms they keep in English ("Net Revenue Retention", "Contraction")."""


def _pptx_parts(path: Path) -> list[tuple[str, str]]:
    parts = []
    for number, slide in enumerate(Presentation(str(path)).slides, 1):
        parts += [(f"slide {number}", text) for text in shape_texts(slide)]
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False) and shape.has_chart:
                chart = shape.chart
                for plot in chart.plots:
                    parts += [(f"slide {number} chart", str(c)) for c in plot.categories]
                    parts += [(f"slide {number} chart series", s.name) for s in plot.series]
        if slide.has_notes_slide:
            parts.append((f"slide {number} notes", slide.notes_slide.notes_text_frame.text))
    return parts


def _pdf_parts(path: Path) -> list[tuple[str, str]]:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [(f"page {n}", page) for n, page in enumerate(text.split("\f"), 1) if page.strip()]


def _eml_parts(path: Path) -> list[tuple[str, str]]:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    parts = [("subject", str(message["Subject"] or ""))]
    for kind in ("plain", "html"):
        body = message.get_body((kind,))
        if body is not None:
            text = body.get_content()
            if kind == "html":
                text = re.sub(r"<style.*?</style>", " ", text, flags=re.S)
                text = re.sub(r"<[^>]+>", " ", text)
            parts.append((kind, text))
    return parts


def document_parts(path: Path) -> list[tuple[str, str]]:
    """``(where, text)`` for each piece of ``path`` a reader sees."""
    reader = {".pptx": _pptx_parts, ".pdf": _pdf_parts, ".eml": _eml_parts}[path.suffix]
    return reader(path)


def word_runs(text: str) -> set[tuple[str, ...]]:
    """Every run of three words within a line of ``text`` (or between "·" separators), lower-cased.

    >>> sorted(word_runs("Net revenue retention 97% in Q3 for A-00140"))
    [('net', 'revenue', 'retention'), ('retention', 'in', 'for'), ('revenue', 'retention', 'in')]
    """
    runs = set()
    for phrase in _SEPARATOR.split(ID.sub(" ", text)):
        words = [w.lower() for w in WORD.findall(phrase)]
        runs.update(tuple(words[i : i + 3]) for i in range(len(words) - 2))
    return runs
