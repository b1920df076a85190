"""Every document of the demo in each translated language reads in that language, and fits its page.

A run of three words that the English demo prints and the Swedish or German
one prints too is English left untranslated, unless the data wrote it (an
account's name, a quoted comment, a goal) or every word is one the documents
keep in English on purpose (:data:`KEPT_WORDS`, :data:`LOANWORDS`). Text is
read the way the reader meets it: slide shapes, tables, chart labels and
speaker notes, PDF pages, the email's subject, text and HTML.
"""

from __future__ import annotations

import csv
import re
import subprocess
from functools import cache
from pathlib import Path

import pytest

from cs_calc.text.tokens import STOPWORDS
from reports.render.locales import LOCALES
from reports.resources import sample_data_dir
from tests.reports.reading import ID, KEPT_WORDS, LOANWORDS, WORD, document_parts, word_runs

TRANSLATED = [locale for locale in LOCALES if locale != "en"]
_NOT_PROSE = {"σ", "min", "max"}
"""Formula notation in definitions ("Σ min(MRR at end, MRR at start)")."""
_STOPWORDS = frozenset().union(*STOPWORDS.values())
_NAME_WORDS = 4
"""Data values of at most this many words are names (accounts, people, segments, job titles)."""


@cache
def _data_words(folder: Path) -> tuple[set[str], set[tuple[str, ...]]]:
    """The data's own words: those of its names (values of a few words: accounts, people, segments,
    job titles), and the runs of three words inside its longer texts (comments, goals, reasons),
    also with their stopwords left out, as topic and feature-request names quote them."""
    names: set[str] = set()
    runs: set[tuple[str, ...]] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                for value in row:
                    words = [w.lower() for w in WORD.findall(ID.sub(" ", value))]
                    if len(words) <= _NAME_WORDS:
                        names.update(words)
                    else:
                        runs |= word_runs(value) | word_runs(
                            " ".join(w for w in words if w not in _STOPWORDS)
                        )
    return names, runs


def _initials(run: tuple[str, ...]) -> bool:
    """Whether ``run`` holds a lone letter that is not an English word: initials of a name ("S.A. de C.V.")."""
    return any(len(word) == 1 and word not in ("a", "i") for word in run)


def _documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.suffix in (".pptx", ".pdf", ".eml"))


@pytest.fixture(scope="module")
def english_runs(demo_in) -> set[tuple[str, ...]]:
    return {
        run
        for path in _documents(demo_in("en"))
        for _, text in document_parts(path)
        for run in word_runs(text)
    }


@pytest.mark.parametrize("locale", TRANSLATED)
def test_no_english_sentence_in_any_translated_document(demo_in, english_runs, locale):
    folder = demo_in(locale)
    documents = _documents(folder)
    assert len(documents) >= 10, [p.name for p in documents]
    kept = KEPT_WORDS | LOANWORDS.get(locale, set()) | _NOT_PROSE
    names, data_runs = _data_words(sample_data_dir())
    left: dict[str, set[str]] = {}
    for path in documents:
        for where, text in document_parts(path):
            for run in (word_runs(text) & english_runs) - data_runs:
                if not set(run) <= kept and not set(run) & names and not _initials(run):
                    left.setdefault(f"{path.relative_to(folder)} {where}", set()).add(" ".join(run))
    assert not left, "\n".join(f"{where}: {sorted(runs)[:6]}" for where, runs in sorted(left.items())[:40])


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_BOX = re.compile(r'<word xMin="([\d.-]+)" yMin="[\d.-]+" xMax="([\d.-]+)" yMax="[\d.-]+">(.*?)</word>')
_EDGE = 14.0
"""Points (5 mm) from the paper's edge: no printer prints there, and no layout of ours puts text there."""


def _words_off_the_page(path: Path) -> list[str]:
    boxes = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True)
    off = []
    for number, (width, _height, body) in enumerate(_PAGE.findall(boxes.stdout), 1):
        for x_min, x_max, word in _BOX.findall(body):
            if float(x_min) < _EDGE or float(x_max) > float(width) - _EDGE:
                off.append(
                    f"page {number}: {word!r} at x {float(x_min):.0f}–{float(x_max):.0f} of {float(width):.0f}"
                )
    return off


@pytest.mark.parametrize("locale", LOCALES)
def test_no_pdf_text_runs_off_the_page_in_any_language(demo_in, locale):
    """Longer words (German headers) must wrap or shrink, never push a table past the paper's edge."""
    folder = demo_in(locale)
    off = {str(p.relative_to(folder)): _words_off_the_page(p) for p in sorted(folder.rglob("*.pdf"))}
    assert off and not {name: words for name, words in off.items() if words}
