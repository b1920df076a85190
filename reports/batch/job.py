"""Job files for ``csreports run``: parse and check a YAML job into a frozen :class:`Job`.

A job names the data, the output folder, the quarter and the documents to
render (each with its own options). Every problem in the file is collected
and reported at once, one line each naming the file and the key, before any
data is loaded or any file written::

    configs/jobs/x.yaml: documents[0].kind: unknown document kind 'qbrs' (did you mean 'qbr'?)

Relative ``data`` and ``out`` paths resolve against the job file's folder.
A missing ``data`` means the bundled sample.
"""

from __future__ import annotations

import difflib
import re
import string
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from cs_calc.periods import parse_quarter
from cs_calc.weekly import IsoWeek
from reports.data.config_files import load_yaml_file
from reports.documents.kinds import KINDS, batch_kinds
from reports.errors import JobError
from reports.render.locales import LOCALES

DOCUMENT_KINDS: tuple[str, ...] = tuple(kind.name for kind in batch_kinds())
"""Every document kind a job may list (from :mod:`reports.documents.kinds`)."""

PAGE_SIZES = ("A4", "Letter")
AUDIENCES = ("customer", "internal")
DECK_KINDS = ("digital", "high_touch")
PATTERN_FIELDS = ("segment", "region", "csm", "account_id", "slug", "quarter", "audience", "locale", "ext")
"""Placeholders an ``output`` pattern may use; every value is a safe slug."""

DEFAULT_QBR_OUTPUT = "qbr/{slug}.{ext}"
_TOP_KEYS = ("data", "out", "period", "documents")
_FILTER_KEYS = ("segment", "region", "csm", "ids")


@dataclass(frozen=True)
class AccountFilter:
    """Which accounts get a QBR: every given list must match (an empty list matches all)."""

    segments: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    csms: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentSpec:
    """One entry of ``documents``: a kind and its options (unused options keep their defaults)."""

    kind: str
    formats: tuple[str, ...] = ()
    audience: str = "customer"
    locale: str = "en"
    deck: str | None = None
    """QBR only: force every deck to this kind (``digital``/``high_touch``); None = by segment."""
    follow_up: bool = False
    accounts: AccountFilter = field(default_factory=AccountFilter)
    output: str = DEFAULT_QBR_OUTPUT
    """QBR only: path pattern inside ``out``, e.g. ``qbr/{segment}/{slug}.{ext}``."""
    folder: str = ""
    """Single documents: subfolder of ``out`` they are written into."""
    page_size: str = "A4"
    segment: str | None = None
    """NPS digest only: one segment's responses."""
    week: str | None = None
    """Weekly email only: ISO week; None = the last complete week with data."""
    notes: Path | None = None
    update_from: Path | None = None
    """QBR only: folder of the earlier decks to update (same relative paths as ``output``)."""


@dataclass(frozen=True)
class Job:
    """A parsed job file; ``data`` None means the bundled sample."""

    path: Path
    data: str | None
    out: Path | None
    period: str | None
    documents: tuple[DocumentSpec, ...]


def did_you_mean(value: str, options: Sequence[str]) -> str:
    """`` (did you mean 'x'?)`` for the closest option, or ``""``.

    >>> did_you_mean("qbrs", DOCUMENT_KINDS)
    " (did you mean 'qbr'?)"
    >>> did_you_mean("zzz", DOCUMENT_KINDS)
    ''
    """
    close = difflib.get_close_matches(str(value), list(options), n=1, cutoff=0.6)
    if not close:
        lowered = {o.lower(): o for o in options}
        close = [lowered[str(value).lower()]] if str(value).lower() in lowered else []
    return f" (did you mean {close[0]!r}?)" if close else ""


def _resolve(base: Path, value: str) -> str:
    if "://" in value:
        return value
    path = Path(value).expanduser()
    return str(path if path.is_absolute() else (base / path))


def check_output_pattern(pattern: str) -> str | None:
    """The problem with a QBR ``output`` pattern, or None when it is usable.

    >>> check_output_pattern("qbr/{segment}/{slug}.{ext}") is None
    True
    >>> check_output_pattern("../{slug}.pptx")
    "must stay inside 'out' (no '..' and not absolute)"
    """
    try:
        names = [name for _, name, _, _ in string.Formatter().parse(pattern) if name is not None]
    except ValueError as exc:
        return f"is not a valid pattern ({exc})"
    for name in names:
        if name not in PATTERN_FIELDS:
            return (
                f"unknown placeholder {{{name}}}{did_you_mean(name, PATTERN_FIELDS)} (allowed: "
                + ", ".join("{" + f + "}" for f in PATTERN_FIELDS)
                + ")"
            )
    path = PurePosixPath(pattern.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or re.match(r"^[A-Za-z]:", pattern):
        return "must stay inside 'out' (no '..' and not absolute)"
    if "slug" not in names and "account_id" not in names:
        return "must contain {slug} or {account_id} so every account gets its own file"
    return None


class _Checker:
    """Collects problems as ``file: key: message`` lines."""

    def __init__(self, path: Path):
        self.path = path
        self.problems: list[str] = []

    def add(self, key: str, message: str) -> None:
        self.problems.append(f"{self.path}: {key}: {message}")

    def keys(self, mapping: Mapping[str, Any], allowed: Sequence[str], where: str) -> None:
        for key in mapping:
            if key not in allowed:
                hint = did_you_mean(str(key), allowed)
                self.add(f"{where}{key}", f"unknown key{hint} (allowed: {', '.join(allowed)})")

    def choice(self, value: Any, options: Sequence[str], key: str, what: str) -> str | None:
        text = str(value)
        if text in options:
            return text
        self.add(key, f"{what} {value!r} is not one of {', '.join(options)}{did_you_mean(text, options)}")
        return None

    def flag(self, value: Any, key: str) -> bool:
        """``value`` as a yes/no setting: YAML true or false only (a quoted "false" would read as true)."""
        if isinstance(value, bool):
            return value
        shown = f"the text {value!r}" if isinstance(value, str) else repr(value)
        self.add(key, f"must be true or false without quotes (got {shown})")
        return False

    def str_list(self, value: Any, key: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if isinstance(value, str | int):
            return (str(value),)
        if isinstance(value, list) and all(isinstance(v, str | int) for v in value):
            return tuple(str(v) for v in value)
        self.add(key, "must be a name or a list of names")
        return ()


def _formats(check: _Checker, raw: Any, allowed: Sequence[str], key: str) -> tuple[str, ...]:
    values = check.str_list(raw.split(",") if isinstance(raw, str) else raw, key)
    values = tuple(dict.fromkeys(v.strip().lower() for v in values if v.strip()))
    bad = [v for v in values if v not in allowed]
    if bad or not values:
        check.add(key, f"{raw!r}: give a list of {', '.join(allowed)}")
        return ()
    return values


def _document(check: _Checker, raw: Any, index: int, base: Path, settings: Any) -> DocumentSpec | None:
    where = f"documents[{index}]"
    if isinstance(raw, str):
        raw = {"kind": raw}
    if not isinstance(raw, Mapping):
        check.add(where, "must be a document kind or a mapping with 'kind'")
        return None
    kind = raw.get("kind")
    if kind is None:
        check.add(f"{where}.kind", f"missing (one of {', '.join(DOCUMENT_KINDS)})")
        return None
    if kind not in DOCUMENT_KINDS:
        check.add(
            f"{where}.kind",
            f"unknown document kind {kind!r}{did_you_mean(str(kind), DOCUMENT_KINDS)} "
            f"(allowed: {', '.join(DOCUMENT_KINDS)})",
        )
        return None
    declared = KINDS[kind]
    options = declared.job_options
    check.keys(raw, ("kind", *options), f"{where}.")
    raw = {key: value for key, value in raw.items() if key in options}  # unknown keys: reported above
    values: dict[str, Any] = {"kind": kind}
    if "locale" in raw:
        values["locale"] = check.choice(raw["locale"], LOCALES, f"{where}.locale", "locale") or "en"
    if "page_size" in raw:
        values["page_size"] = (
            check.choice(raw["page_size"], PAGE_SIZES, f"{where}.page_size", "page size") or "A4"
        )
    if "folder" in raw:
        folder = str(raw["folder"] or "")
        problem = check_output_pattern(folder + "/{slug}") if folder else None
        if problem:
            check.add(f"{where}.folder", f"{folder!r} {problem}")
        values["folder"] = folder
    else:
        values["folder"] = declared.folder
    if "formats" in options:
        formats = raw.get("formats", list(declared.formats[:1]))
        values["formats"] = _formats(check, formats, declared.formats, f"{where}.formats")
    if "audience" in raw:
        values["audience"] = (
            check.choice(raw["audience"], AUDIENCES, f"{where}.audience", "audience") or "customer"
        )
    if raw.get("deck") is not None:
        values["deck"] = check.choice(raw["deck"], DECK_KINDS, f"{where}.deck", "deck kind")
    if "follow_up" in options:
        values["follow_up"] = check.flag(raw.get("follow_up", False), f"{where}.follow_up")
    if "output" in options:
        output = str(raw.get("output", DEFAULT_QBR_OUTPUT))
        problem = check_output_pattern(output)
        if problem:
            check.add(f"{where}.output", f"{output!r} {problem}")
        values["output"] = output
    if "accounts" in options:
        values["accounts"] = _filter(check, raw.get("accounts") or {}, f"{where}.accounts", settings)
    if raw.get("segment") is not None:
        values["segment"] = _segment(check, raw["segment"], f"{where}.segment", settings)
    if raw.get("week") is not None:
        text = str(raw["week"]).strip().upper()
        try:
            text = IsoWeek.parse(text).label
        except ValueError as exc:
            check.add(f"{where}.week", str(exc))
        values["week"] = text
    if raw.get("update_from") is not None:
        value = raw["update_from"]
        if not isinstance(value, str) or not value.strip():
            check.add(f"{where}.update_from", f"must be a folder as text (got {value!r})")
        else:
            earlier = Path(_resolve(base, value))
            if not earlier.is_dir():
                check.add(f"{where}.update_from", f"{value!r}: no such folder ({earlier})")
            values["update_from"] = earlier
    if raw.get("notes"):
        values["notes"] = Path(_resolve(base, str(raw["notes"])))
    return DocumentSpec(**values)


def _segment(check: _Checker, value: Any, key: str, settings: Any) -> str | None:
    known = tuple(settings.segment_names)
    match = {s.lower(): s for s in known}.get(str(value).lower())
    if match is None:
        check.add(
            key, f"unknown segment {value!r}{did_you_mean(str(value), known)} (known: {', '.join(known)})"
        )
    return match


def _filter(check: _Checker, raw: Any, where: str, settings: Any) -> AccountFilter:
    if not isinstance(raw, Mapping):
        check.add(where, "must be a mapping with segment, region, csm or ids")
        return AccountFilter()
    check.keys(raw, _FILTER_KEYS, f"{where}.")
    segments = tuple(
        s
        for s in (
            _segment(check, v, f"{where}.segment", settings)
            for v in check.str_list(raw.get("segment"), f"{where}.segment")
        )
        if s
    )
    regions = []
    known_regions = tuple(settings.regions)
    for value in check.str_list(raw.get("region"), f"{where}.region"):
        match = {r.lower(): r for r in known_regions}.get(value.lower())
        if match is None:
            check.add(
                f"{where}.region",
                f"unknown region {value!r}{did_you_mean(value, known_regions)} (known: {', '.join(known_regions)})",
            )
        else:
            regions.append(match)
    return AccountFilter(
        segments=segments,
        regions=tuple(regions),
        csms=check.str_list(raw.get("csm"), f"{where}.csm"),
        ids=check.str_list(raw.get("ids"), f"{where}.ids"),
    )


def parse_job(mapping: Mapping[str, Any], path: Path, settings: Any) -> Job:
    """Check ``mapping`` (a job file's content) and build a :class:`Job`; raises :class:`JobError`.

    ``settings`` (:class:`reports.data.settings.Settings`) gives the known segments
    and regions. Every problem is collected first and reported in one error.
    """
    path = Path(path)
    base = path.parent
    check = _Checker(path)
    check.keys(mapping, _TOP_KEYS, "")
    period = mapping.get("period")
    if period is not None:
        try:
            period = parse_quarter(str(period)).label
        except ValueError as exc:
            check.add("period", str(exc))
    data = mapping.get("data")
    out = mapping.get("out")
    for key, value, what in (("data", data, "a folder or database URL"), ("out", out, "a folder")):
        if value is not None and not isinstance(value, str):
            check.add(key, f"must be {what} as text (got {value!r})")
    documents_raw = mapping.get("documents")
    documents: list[DocumentSpec] = []
    if not documents_raw:
        check.add("documents", f"missing or empty: list at least one of {', '.join(DOCUMENT_KINDS)}")
    elif not isinstance(documents_raw, list):
        check.add("documents", "must be a list of documents")
    else:
        for index, raw in enumerate(documents_raw):
            spec = _document(check, raw, index, base, settings)
            if spec is not None:
                documents.append(spec)
    if check.problems:
        count = len(check.problems)
        raise JobError(
            f"{count} problem{'s' if count > 1 else ''} in job file {path}; nothing was run:\n"
            + "\n".join(check.problems)
        )
    return Job(
        path=path,
        data=_resolve(base, str(data)) if data else None,
        out=Path(_resolve(base, str(out))) if out else None,
        period=period,
        documents=tuple(documents),
    )


def load_job(path: Path, settings: Any) -> Job:
    """Read and check the job file at ``path`` (see :func:`parse_job`)."""
    return parse_job(load_yaml_file(Path(path)), Path(path), settings)
