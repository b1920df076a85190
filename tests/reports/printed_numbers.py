"""The numbers a document prints that no recorded figure accounts for.

A document's manifest entry lists the figures it prints, each with ``shown``,
the text as printed. :func:`uncovered_numbers` reads the document as its
reader gets it (:func:`document_text`) and returns every number in it that is
neither inside a printed ``shown`` text nor one of the few kinds of number that
are not figures (:data:`NOT_FIGURES`: dates, quarter and week labels, page
numbers, ticket priorities, the definitions appendix, provenance, chart axis
ticks). A number counts as inside a ``shown`` text only where that text is
printed whole: ``"1"`` does not account for the 1 of ``1,357``, of ``1%`` or of
``-1``.
"""

from __future__ import annotations

import email
import email.policy
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from pypdf import PdfReader

from cs_calc.nps import LOW_N_THRESHOLD
from reports.render.locales import LOCALES

NUMBER = re.compile(r"(?<!\w)\d+(?:[.,]\d+)*")
"""A number as the check reports it: digits, with the ``,`` and ``.`` between them. Digits right
after a letter belong to a name, not a figure: ``P0``, ``Q3``, ``K3``, ``W43``, ``p0p1``."""

TICK_MARK = "¦"
"""What :func:`document_text` prints instead of a chart's axis tick label."""

_SIGNS = "+-−"
_CURRENCY_BEFORE = "$€£"
_ATTACHED_AFTER = re.compile(r"[KMB]\b| ?(?:%|(?:US\$|\$|€|£)(?!\s?\d)|kr\b|SEK\b|USD\b|EUR\b|pp\b|p\.e\.)")

_MONTHS = (
    "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July|August"
    "|September|October|November|December"
    "|jan|feb|mars|apr|maj|juni|juli|aug|sep|sept|okt|nov|dec|januari|februari|april|augusti|september"
    "|oktober|november|december"
    "|Jan|Feb|März|Apr|Mai|Juni|Juli|Aug|Sept|Okt|Nov|Dez|Januar|Februar|Oktober|Dezember"
)
_YEAR = r"(?:19|20)\d\d"
_GROUPED = r"\d{1,3}(?:[,.\s]\d{3})*"
_BEFORE_LENGTH = (
    "last|previous|past|over|within|the|next|trailing|de senaste|senaste|föregående|inom|kommande"
)
_LENGTH_UNITS = r"days|months|weeks|dagar|dagarna|månader|månaderna|mån\.|veckor|veckorna"

NOT_FIGURES: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (reason, re.compile(pattern))
    for reason, pattern in (
        (
            "ISO date, month or month range",
            rf"\b{_YEAR}-\d\d(?:-\d\d)?(?:\s?\.\.\s?{_YEAR}-\d\d(?:-\d\d)?)?\b",
        ),
        (
            "date written out (en, sv, de)",
            rf"(?i)\b(?:\d{{1,2}}\.? )?(?:{_MONTHS})\.?(?: \d{{1,2}},?)? {_YEAR}\b",
        ),
        (
            "range of days",
            rf"(?i)\b(?:{_MONTHS})\.? \d{{1,2}} ?[–-] ?(?:(?:{_MONTHS})\.? )?\d{{1,2}},? {_YEAR}\b",
        ),
        ("month range of a window", rf"\b(?:{_MONTHS})\.?(?: {_YEAR})? ?[–-] ?(?:{_MONTHS})\.? {_YEAR}\b"),
        ("quarter label", rf"\b(?:{_YEAR}-)?[QK][1-4](?: {_YEAR})?\b"),
        ("ISO week label", rf"\b(?:{_YEAR}-)?W\d\d\b"),
        ("page number", r"\b(?:Page|Sida|Seite) \d+ (?:of|av|von) \d+\b"),
        ("page number in a table of contents", r"(?:\. ?){4,}(?P<number>\d+)\b"),
        ("slide of a title continued on follow-on slides", r"[\w)] (?P<number>\([1-9]/[2-9]\))(?= |$)"),
        (
            "length of a period a label names",
            rf"(?i)\b(?:{_BEFORE_LENGTH}) (?P<number>\d+) (?:{_LENGTH_UNITS})(?!\w)",
        ),
        ("top of the CSAT scale", r"CSAT:? \S+ (?P<number>/ 5)\b"),
        ("the NPS scale", r"[−-]100 ?(?:…|–|to|till) ?100\b"),
        ("ARR as twelve months of MRR", r"\b12 × MRR\b|\b(?:MRR|mrr_end) × 12\b"),
        (
            "the fewest responses a score is read without a flag",
            rf"(?i)(?:\bn ?<|\bfewer than|\bunder|\bfärre än) ?{LOW_N_THRESHOLD}\b",
        ),
        ("the common band of CS cost / revenue", r"\b5 ?[–-] ?15 ?%"),
        ("the unit of a return", r"\bper \$1 of\b"),
        (
            "how many rows a list shows or a row sums",
            r"(?i)\bthe largest \d+ are listed|\bat most \d+ [a-z ]+ here\b|\bhögst \d+ [a-zåäö ]+ här\b"
            r"|\b(?:Other reasons|Övriga orsaker) \(\d+\)|\b(?:and|och) \d{1,3}(?:[,\s]\d{3})* (?:more|till)\b",
        ),
        (
            "row counts of the provenance block",
            rf"(?:Row counts|Antal rader):?(?: [\w:-]+(?: [\w:-]+)* {_GROUPED},?)+",
        ),
    )
)
"""Numbers that are not figures, with why: (reason, pattern of the text around them).

Further allowed texts come from the run (its source, inputs hash and definitions
version, see :func:`run_texts`) and from the definitions appendix each document
prints from the metric registry (:func:`appendix_texts`).
"""


@dataclass(frozen=True)
class Uncovered:
    """A printed number that no recorded figure accounts for, with the text around it."""

    number: str
    context: str

    def __str__(self) -> str:
        return f"{self.number!r} in “…{self.context}…”"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _ends_inside_a_number(text: str, start: int, end: int, shown: str) -> bool:
    """Whether ``text[start:end]`` (an occurrence of ``shown``) cuts a printed number short at either end."""
    if shown[0].isdigit() and start > 0:
        before = text[start - 1]
        if before.isalnum() or before in _CURRENCY_BEFORE:
            return True
        if before in ".," and start > 1 and text[start - 2].isdigit():
            return True
        if before in _SIGNS and (start == 1 or not text[start - 2].isalnum()):
            return True
    if shown[-1].isdigit() and end < len(text):
        after = text[end:]
        if after[0].isdigit() or (after[0] in ".," and after[1:2].isdigit()):
            return True
        if _ATTACHED_AFTER.match(after):
            return True
    return False


def uncovered_numbers(
    text: str, shown: Iterable[str], allowed: Iterable[str] = (), context: int = 45
) -> list[Uncovered]:
    """Every number of ``text`` outside the printed ``shown`` texts, ``allowed`` texts and :data:`NOT_FIGURES`.

    Whitespace of every kind counts as one space.

    >>> [u.number for u in uncovered_numbers("ARR $1,200 (+5%), 3 of 4 on Sep 30, 2026", ["$1,200", "+5%", "3"])]
    ['4']
    >>> [u.number for u in uncovered_numbers("1,357 users, 1% up", ["1"])]
    ['1,357', '1']
    """
    text = _flat(text)
    covered = bytearray(len(text))
    for piece in {_flat(s) for s in shown}:
        if not any(c.isdigit() for c in piece):
            continue
        start = text.find(piece)
        while start >= 0:
            end = start + len(piece)
            if not _ends_inside_a_number(text, start, end, piece):
                covered[start:end] = b"\x01" * len(piece)
            start = text.find(piece, start + 1)
    prose = frozenset(
        piece
        for piece in (_flat(a) for a in allowed)
        if any(c.isdigit() for c in piece) and all(n in text for n in NUMBER.findall(piece))
    )
    for pattern in _prose_patterns(prose):
        for match in pattern.finditer(text):
            covered[match.start() : match.end()] = b"\x01" * (match.end() - match.start())
    for _reason, pattern in NOT_FIGURES:
        for match in pattern.finditer(text):
            start, end = match.span("number" if "number" in pattern.groupindex else 0)
            covered[start:end] = b"\x01" * (end - start)
    return [
        Uncovered(m.group(), text[max(0, m.start() - context) : m.end() + context])
        for m in NUMBER.finditer(text)
        if not all(covered[m.start() : m.end()])
    ]


def _prose_patterns(texts: frozenset[str]) -> list[re.Pattern[str]]:
    """Patterns of allowed prose that find it where a PDF broke a line at a hyphen ("one-segment"
    read back as "onesegment" or "one- segment") or a slash ("a/ b")."""
    return [_prose_pattern(t) for t in sorted(texts)]


@lru_cache(maxsize=8192)
def _prose_pattern(text: str) -> re.Pattern[str]:
    """``text`` as a pattern that also matches it broken across lines after a hyphen or a slash."""
    parts = [r"/ ?".join(re.escape(piece) for piece in part.split("/")) for part in text.split("-")]
    return re.compile(r"-? ?".join(parts))


# --------------------------------------------------------------------------- reading a document


def shape_texts(slide: Any) -> list[str]:
    """A slide's text as its reader sees it, shape by shape: each text frame and each table cell."""
    texts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            texts.append(shape.text_frame.text)
        if getattr(shape, "has_table", False) and shape.has_table:
            texts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return texts


def document_text(path: Path) -> str:
    """The text a reader of ``path`` gets, whitespace collapsed.

    PDF: the text of every page, chart axis tick labels replaced by
    :data:`TICK_MARK`. PPTX: every text frame, table cell and speaker note
    (chart data are not read). EML: the subject and the text part. HTML: the
    visible text. Anything else: the file's text.
    """
    if path.suffix == ".pdf":
        return _flat(" ".join(_pdf_items(path.read_bytes())))
    if path.suffix == ".pptx":
        from pptx import Presentation

        parts = []
        for slide in Presentation(str(path)).slides:
            parts.extend(shape_texts(slide))
            if slide.has_notes_slide:
                parts.append(slide.notes_slide.notes_text_frame.text)
        return _flat(" ".join(parts))
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        return _flat(f"{message['Subject']} {body.get_content() if body is not None else ''}")  # type: ignore[attr-defined]
    if path.suffix == ".html":
        return _flat(_visible_text(path.read_text(encoding="utf-8")))
    return _flat(path.read_text(encoding="utf-8"))


class _Visible(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "head", "title"):
            self._hidden += 1
        elif tag in ("br", "p", "div", "tr", "td", "th", "li", "h1", "h2", "h3", "table"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "head", "title"):
            self._hidden = max(0, self._hidden - 1)
        else:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self.parts.append(data)


def _visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return "".join(parser.parts)


@dataclass
class _Item:
    text: str
    matrix: tuple[float, ...]


def _pdf_items(data: bytes) -> list[str]:
    """Each page's text pieces in drawing order, chart axis tick labels replaced by :data:`TICK_MARK`.

    A chart (an SVG the PDF draws) places its text with its own transformation
    matrix; the page's own text shares the matrix of the page's first piece.
    """
    texts: list[str] = []
    for page in PdfReader(io.BytesIO(data)).pages:
        items: list[_Item] = []

        def visit(
            text: str,
            cm: Sequence[float],
            tm: Sequence[float],
            font: object,
            size: float,
            into: list[_Item] = items,
        ) -> None:
            if text.strip():
                into.append(_Item(text, tuple(round(float(x), 2) for x in cm)))

        page.extract_text(visitor_text=visit)
        if not items:
            continue
        body = items[0].matrix
        ticks = _axis_ticks([i for i, item in enumerate(items) if item.matrix != body], items)
        texts += [TICK_MARK if i in ticks else item.text for i, item in enumerate(items)]
    return texts


_TICK = re.compile(
    r"^[-−]?(?:[$€£]|US\$)?\s?(\d+(?:[.,\s]\d+)*)\s?(K|M|B|tn|mn|md|Tsd\.|Mio\.|Mrd\.)?\s?(?:%|US\$|\$|€|kr)?$"
)
_SCALE = {
    None: 1.0,
    "K": 1e3,
    "tn": 1e3,
    "Tsd.": 1e3,
    "M": 1e6,
    "mn": 1e6,
    "Mio.": 1e6,
    "B": 1e9,
    "md": 1e9,
    "Mrd.": 1e9,
}


def _tick_values(label: str) -> tuple[float, float] | None:
    """The value of an axis label read with ``.`` as the decimal mark, and with ``,``; None if not a number."""
    match = _TICK.match(label.strip().replace("\u00a0", " ").replace("\u202f", " "))
    if not match:
        return None
    digits, scale = match.group(1).replace(" ", ""), _SCALE[match.group(2)]
    sign = -1.0 if label.strip()[0] in "-−" else 1.0
    english = digits.replace(",", "")
    european = digits.replace(".", "").replace(",", ".")
    try:
        return sign * float(english) * scale, sign * float(european) * scale
    except ValueError:
        return None


def _steps(values: Sequence[float]) -> list[tuple[int, int]]:
    """(start, end) of each longest stretch of three or more values rising in equal steps."""
    stretches, start = [], 0
    while start < len(values) - 2:
        step = values[start + 1] - values[start]
        end = start + 1
        while (
            step > 0
            and end + 1 < len(values)
            and abs(values[end + 1] - values[end] - step) <= 1e-9 * max(1.0, abs(step))
        ):
            end += 1
        if end - start >= 2 and step > 0:
            stretches.append((start, end + 1))
            start = end + 1
        else:
            start += 1
    return stretches


def _axis_ticks(chart_items: Sequence[int], items: Sequence[_Item]) -> set[int]:
    """Indexes of the chart pieces that are value axis tick labels.

    A chart draws an axis's tick labels one after the other, lowest first; so a
    run of three or more consecutive number labels of one chart whose values
    rise in equal steps is an axis. Values printed on bars are not: they follow
    the data, not a step.
    """
    ticks: set[int] = set()
    run: list[tuple[int, tuple[float, float]]] = []

    def close() -> None:
        for reading in (0, 1):
            for start, end in _steps([value[reading] for _, value in run]):
                ticks.update(index for index, _ in run[start:end])
        run.clear()

    previous: int | None = None
    for index in chart_items:
        value = _tick_values(items[index].text)
        same_chart = (
            previous is not None and index == previous + 1 and items[index].matrix == items[previous].matrix
        )
        if value is None or not same_chart:
            close()
        if value is not None:
            run.append((index, value))
        previous = index
    close()
    return ticks


# --------------------------------------------------------------------------- texts that are not figures


def appendix_texts(locales: Iterable[str] = LOCALES) -> list[str]:
    """Every definitions-appendix text a document can print, in ``locales``: the registry's words.

    Their numbers ("scores 9–10", "12 × MRR", "0–100") belong to a definition, not to a figure.
    """
    from cs_calc.definitions import DIMENSIONS, METRICS
    from reports.documents.definitions import dimension_entry, glossary_entry, summary_line

    texts: list[str] = []
    for locale in locales:
        for metric_id, entry in METRICS.items():
            glossary = glossary_entry(metric_id, locale)
            texts += [glossary.label, glossary.definition, glossary.text]
            if entry.summary:
                texts.append(summary_line(metric_id, locale))
        for dimension in DIMENSIONS:
            texts.append(dimension_entry(dimension, locale).definition)
    return texts


def data_texts(folder: Path) -> list[str]:
    """Numbers inside the data's own words (names, comments, notes), each with a word beside it.

    "Objective 1000: shorten the planning cycle" or a quoted comment's "300
    users" are printed as the data has them; no figure is behind them; nor
    behind an id (every ``*_id`` column's values, "A-00249"). Each
    number of a CSV text value is allowed with the word before it and, apart,
    with the word after it, so a quote cut short still finds it; a number
    alone is not allowed. Dates, ids and other values without letters are
    left out.
    """
    import csv

    pieces: set[str] = set()
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            rows = csv.reader(handle)
            ids = [i for i, name in enumerate(next(rows, [])) if name.endswith("_id")]
            for row in rows:
                pieces.update(row[i] for i in ids if i < len(row) and any(c.isdigit() for c in row[i]))
                for value in row:
                    if not (any(c.isdigit() for c in value) and any(c.isalpha() for c in value)):
                        continue
                    flat = _flat(value)
                    for match in _WORDS_AROUND_A_NUMBER.finditer(flat):
                        before, number, after = (
                            match.group("before"),
                            match.group("number"),
                            match.group("after"),
                        )
                        pieces.update(
                            p
                            for p in (
                                f"{before}{number}" if before else "",
                                f"{number}{after}" if after else "",
                            )
                            if p
                        )
    return sorted(pieces)


_WORDS_AROUND_A_NUMBER = re.compile(
    r"(?P<before>[^\W\d]\S* )?(?<!\w)(?P<number>\d+(?:[.,]\d+)*)(?P<after> \S*[^\W\d])?"
)


def run_texts(out: Path) -> list[str]:
    """Texts of a run's output folder that are not figures: its provenance, its ids and its data's words.

    The source, inputs hash and definitions version of ``manifest.json``, every
    ``account_id`` and ``csm_id`` of ``metrics/accounts.csv``, the names of the files
    the run wrote, and the numbers inside the source data's words (:func:`data_texts`).
    """
    import csv
    import json

    run = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    texts = [str(run["run"][key]) for key in ("source", "inputs_hash", "definitions_version")]
    texts += [Path(entry["path"]).name for entry in run["documents"]]
    accounts = out / "metrics" / "accounts.csv"
    if accounts.exists():
        with accounts.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                texts += [row["account_id"], row["csm_id"]]
    source = Path(str(run["run"]["source"]))
    if source.is_dir():
        texts += data_texts(source)
    return texts


def written_texts(path: Path) -> list[str]:
    """Every text of a YAML file a person writes (the weekly email's notes): their numbers are theirs.

    The email prints the CS leader's lines as written ("facts: 1,310 accounts
    per CSM vs a 1,200 target"); no figure is behind them.
    """
    import yaml

    def leaves(node: object) -> list[str]:
        if isinstance(node, dict):
            return [text for value in node.values() for text in leaves(value)]
        if isinstance(node, list):
            return [text for value in node for text in leaves(value)]
        return [str(node)] if isinstance(node, str) and node else []

    return leaves(yaml.safe_load(path.read_text(encoding="utf-8")))
