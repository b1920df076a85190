"""Who may read what: the source as documents name it, "Data through …", and the customer check.

Customer documents (the customer QBR deck and leave-behind) say only what
period their data covers; internal documents name the source, but never an
absolute path or a database host or password (``manifest.json`` keeps the
full source). :func:`check_customer_texts` is the last gate before a customer
document is written: it refuses paths, URLs, hashes, tool names and internal
vocabulary, and the fixed wording of every phrase that is internal-only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from pathlib import Path

from reports.errors import CsReportsError
from reports.render.catalogue import NP_, translations
from reports.render.formatting import format_date

INTERNAL_MARK = "INTERNAL"
"""The word every slide, page and title of an internal document carries."""

_LABELS = {
    "sample": NP_("data source", "bundled sample data"),
    "folder": NP_("data source", "data folder '{name}'"),
    "database": NP_("data source", "{kind} database {name}"),
    "through": NP_("data source", "Data through {date}"),
    "internal": NP_("document band", "INTERNAL: not for the customer"),
}
_CONTEXTS = {
    "sample": "data source",
    "folder": "data source",
    "database": "data source",
    "through": "data source",
}

_DATABASE_KINDS = {"postgresql": "PostgreSQL", "sqlite": "SQLite", "mysql": "MySQL", "duckdb": "DuckDB"}


def _labels(locale: str) -> dict[str, str]:
    """The words of this module in ``locale``, from the message catalogue."""
    tr = translations(str(locale))
    return {key: tr.pgettext(_CONTEXTS.get(key, "document band"), text) for key, text in _LABELS.items()}


def describe_data_source(source: str | Path, locale: str = "en") -> str:
    """Where the data came from, in words a document may show: no path, host, user or password.

    The bundled sample is "bundled sample data"; a folder is named by its last part; a database
    by its kind and name (a SQLite file by its file name).

    >>> describe_data_source("postgresql://cs:secret@db.example.com:5432/cs")
    'PostgreSQL database cs'
    >>> describe_data_source("/srv/exports/2026-q3")
    "data folder '2026-q3'"
    >>> describe_data_source("sqlite:////var/data/cs.db", "sv")
    'SQLite-databasen cs.db'
    """
    labels = _labels(locale)
    text = str(source)
    if "://" in text:
        scheme, _, rest = text.partition("://")
        kind = _DATABASE_KINDS.get(scheme.split("+", 1)[0].lower(), scheme.split("+", 1)[0])
        name = rest.split("?", 1)[0].rsplit("/", 1)[-1] if "/" in rest else ""
        return labels["database"].format(kind=kind, name=Path(name).name or "?").strip()
    from reports.resources import sample_data_dir

    path = Path(text)
    try:
        if path.resolve() == sample_data_dir().resolve():
            return labels["sample"]
    except OSError:  # an unreadable path is named, never resolved
        pass
    return labels["folder"].format(name=path.name or text)


def data_through(last_day: dt.date, locale: str = "en") -> str:
    """ "Data through Sep 30, 2026": the last day the data covers (included), in the locale's
    medium date format, the one every other date of a document uses.

    >>> data_through(dt.date(2026, 9, 30)), data_through(dt.date(2026, 9, 30), "sv")
    ('Data through Sep 30, 2026', 'Data till och med 30 sep. 2026')
    """
    return _labels(locale)["through"].format(date=format_date(last_day, locale))


def internal_mark(locale: str = "en") -> str:
    """The band text of an internal slide or page; it always contains :data:`INTERNAL_MARK`."""
    return _labels(locale)["internal"]


def internal_title(title: str) -> str:
    """A document title marked internal: "Acme: Q3 2026 — INTERNAL"."""
    return f"{title} — {INTERNAL_MARK}"


class CustomerContentError(CsReportsError, ValueError):
    """A customer document was about to show something only internal readers may see."""

    exit_code = 3


_STRUCTURAL = (
    ("a file path", re.compile(r"(?<![\w.])/[\w.@-]+/[\w.@/-]+|[A-Za-z]:\\[\w\\]|site-packages")),
    ("a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://", re.IGNORECASE)),
    ("a hash", re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{12,}\b", re.IGNORECASE)),
    ("the INTERNAL marking", re.compile(rf"\b{INTERNAL_MARK}\b")),
)
INTERNAL_WORDS: tuple[str, ...] = (
    "csreports",
    "inputs hash",
    "indatahash",
    "health score",
    "hälsopoäng",
    "economic buyer",
    "ekonomisk beslutsfattare",
    "upsell",
    "merförsäljning",
)
"""Words of csreports' own vocabulary a customer document never prints, in any case. Words a customer
may write themselves ("churn", "champion", "internal" in a goal or a comment) are not refused here:
the fixed wording of internal phrases is (``fragments``), and so is :data:`INTERNAL_MARK` in capitals."""


def customer_leaks(
    texts: Iterable[str], *, allowed: Iterable[str] = (), fragments: Iterable[str] = ()
) -> list[str]:
    """What in ``texts`` a customer must not see: one line per finding, empty when safe.

    ``allowed`` are strings taken out before looking (the account's and company's names, which may
    contain such a word); ``fragments`` is fixed wording of internal-only phrases.

    >>> customer_leaks(["Source: /usr/lib/site-packages/x", "Active users rose 4 %"])
    ["a file path in 'Source: /usr/lib/site-packages/x'"]
    >>> customer_leaks(["Andes Health Inc: Q3"], allowed=["Andes Health Inc"])
    []
    """
    keep = sorted({a for a in allowed if a}, key=len, reverse=True)
    words = [(w, re.compile(rf"(?<!\w){re.escape(w)}", re.IGNORECASE)) for w in INTERNAL_WORDS]
    found: list[str] = []
    for raw in texts:
        text = raw
        for name in keep:
            text = text.replace(name, " ")
        for what, pattern in _STRUCTURAL:
            if pattern.search(text):
                found.append(f"{what} in {raw[:120]!r}")
        for word, pattern in words:
            if pattern.search(text):
                found.append(f"the word {word!r} in {raw[:120]!r}")
        for fragment in fragments:
            if fragment in text:
                found.append(f"internal wording {fragment!r} in {raw[:120]!r}")
    return found


def check_customer_texts(
    document: str, texts: Iterable[str], *, allowed: Iterable[str] = (), fragments: Iterable[str] = ()
) -> None:
    """Raise :class:`CustomerContentError` listing every leak of ``texts`` into customer ``document``."""
    leaks = customer_leaks(texts, allowed=allowed, fragments=fragments)
    if leaks:
        shown = "; ".join(leaks[:10]) + (f"; and {len(leaks) - 10} more" if len(leaks) > 10 else "")
        raise CustomerContentError(
            f"{document}: refused to write a customer document with internal content: {shown}. "
            "Render it with --audience internal, or remove the internal content from the customer context."
        )
