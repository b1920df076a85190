"""Audience rules, read from the written files: what a customer receives holds nothing internal,
and every slide and page of an internal document says INTERNAL (English and Swedish)."""

from __future__ import annotations

import dataclasses
import email
import io
import re
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation

from reports.documents.audience import CustomerContentError, describe_data_source
from reports.documents.qbr.config import QbrConfig
from reports.documents.qbr.context import QbrContext, account_data, build_qbr_context
from reports.documents.qbr.followup import render_followup
from reports.documents.qbr.leave_behind import render_leave_behind
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.resources import bundled_templates_dir, sample_data_dir
from tests.reports.printed_numbers import shape_texts

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
ACCOUNTS = ("A-00140", "A-00227", "A-00284", "A-00337")
"""The demo's accounts: high-touch and digital decks, one with no active champion."""
LOCALES = ("en", "sv")

FORBIDDEN_PATTERNS = {
    "a path": re.compile(r"(?<![\w.])/[\w.@-]+/|site-packages"),
    "a hash": re.compile(r"\b[0-9a-f]{12,}\b"),
    "a URL": re.compile(r"\b[a-z][a-z0-9+.-]*://", re.IGNORECASE),
}
FORBIDDEN_WORDS = (
    "csreports",
    "health",
    "hälsa",
    "champion",
    "power user",
    "superanvändare",
    "economic buyer",
    "ekonomisk beslutsfattare",
    "churn",
    "internal",
    "internt",
    "inputs hash",
    "indatahash",
)


def _leaks(text: str, ctx: QbrContext) -> list[str]:
    """What a customer must not read in ``text``; the account's own name is not a leak."""
    for name in sorted({ctx.account_name, ctx.account_name.rstrip("."), ctx.account_name.upper()}, key=len)[
        ::-1
    ]:
        text = text.replace(name, " ")
    found = [what for what, pattern in FORBIDDEN_PATTERNS.items() if pattern.search(text)]
    found += [word for word in FORBIDDEN_WORDS if word in text.lower()]
    return found


def _slide_texts(blob: bytes) -> list[str]:
    """Each slide's text: shapes, table cells and speaker notes."""
    texts = []
    for slide in Presentation(io.BytesIO(blob)).slides:
        parts = shape_texts(slide)
        if slide.has_notes_slide:
            parts.append(slide.notes_slide.notes_text_frame.text)
        texts.append("\n".join(parts))
    return texts


def _pdf_pages(blob: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(blob)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def _pdf_title(blob: bytes) -> str:
    from pypdf import PdfReader

    metadata = PdfReader(io.BytesIO(blob)).metadata
    assert metadata is not None
    return str(metadata.title)


def _eml_text(blob: bytes) -> str:
    message = email.message_from_bytes(blob)
    parts = [str(message["Subject"])]
    for part in message.walk():
        payload = part.get_payload(decode=True)
        if part.get_content_maintype() == "text" and isinstance(payload, bytes):
            parts.append(payload.decode())
    return "\n".join(parts)


@pytest.fixture(scope="module")
def contexts(sample_run) -> dict[tuple[str, str, str], QbrContext]:
    out = {}
    for account in ACCOUNTS:
        data = account_data(sample_run, account)
        for locale in LOCALES:
            for audience in ("customer", "internal"):
                out[account, locale, audience] = build_qbr_context(
                    data, audience=audience, locale=locale, config=QbrConfig()
                )
    return out


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_customer_deck_leave_behind_and_follow_up_hold_nothing_internal(contexts, account, locale, tmp_path):
    ctx = contexts[account, locale, "customer"]
    deck = _slide_texts(render_qbr_pptx(ctx, TEMPLATE))
    for number, text in enumerate(deck, start=1):
        assert not _leaks(text, ctx), (account, locale, "slide", number, _leaks(text, ctx), text)
    for number, text in enumerate(_pdf_pages(render_leave_behind(ctx), tmp_path), start=1):
        assert not _leaks(text, ctx), (account, locale, "page", number, _leaks(text, ctx), text)
    follow_up = _eml_text(render_followup(ctx))
    assert not _leaks(follow_up, ctx), (account, locale, "follow-up", _leaks(follow_up, ctx))
    assert any(ctx.provenance_text in text for text in deck)
    assert ctx.provenance_text.startswith(("Data through ", "Data till och med "))


@pytest.mark.parametrize("locale", LOCALES)
@pytest.mark.parametrize("account", ACCOUNTS)
def test_internal_deck_and_leave_behind_say_internal_on_every_slide_page_and_title(
    contexts, account, locale, tmp_path
):
    ctx = contexts[account, locale, "internal"]
    blob = render_qbr_pptx(ctx, TEMPLATE)
    slides = _slide_texts(blob)
    assert slides and all("INTERNAL" in text for text in slides)
    assert Presentation(io.BytesIO(blob)).core_properties.title.endswith("— INTERNAL")
    pdf = render_leave_behind(ctx)
    pages = _pdf_pages(pdf, tmp_path)
    assert pages and all("INTERNAL" in page for page in pages)
    assert _pdf_title(pdf).endswith("— INTERNAL")
    # still traceable for the CSM, but never an install path
    assert ctx.provenance["inputs_hash"] in " ".join(slides)
    assert "site-packages" not in " ".join(slides + pages)
    assert str(sample_data_dir()) not in " ".join(slides + pages)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_customer_titles_are_not_marked(contexts, account):
    ctx = contexts[account, "en", "customer"]
    assert "INTERNAL" not in Presentation(io.BytesIO(render_qbr_pptx(ctx, TEMPLATE))).core_properties.title
    assert "INTERNAL" not in _pdf_title(render_leave_behind(ctx))


def test_customer_team_slide_shows_the_customers_words_and_internal_keeps_coverage(contexts):
    for account in ACCOUNTS:
        for locale in LOCALES:
            internal = contexts[account, locale, "internal"]
            customer = contexts[account, locale, "customer"]
            team = customer.slide("stakeholders")
            if team is None:
                continue
            assert team.table is not None and len(team.table.columns) == 3
            people = internal.slide("stakeholders")
            assert people is not None and people.table is not None and len(people.table.columns) == 6
    steps = {s.action for ctx in contexts.values() if ctx.audience == "internal" for s in ctx.next_steps}
    assert "Identify a new champion" in steps, "the demo has an account without an active champion"


def test_a_customer_context_with_internal_content_is_refused(contexts):
    ctx = contexts["A-00140", "en", "customer"]
    leaky = dataclasses.replace(
        ctx, provenance_text="Source: /usr/lib/python3/site-packages/reports/sample_data"
    )
    with pytest.raises(CustomerContentError, match="a file path"):
        render_qbr_pptx(leaky, TEMPLATE)
    slide = dataclasses.replace(ctx.slides[-1], bullets=("Identify a new champion",))
    leaky = dataclasses.replace(ctx, slides=(*ctx.slides[:-1], slide))
    with pytest.raises(CustomerContentError, match="internal wording"):
        render_leave_behind(leaky)


@pytest.mark.parametrize(
    ("source", "locale", "shown"),
    [
        ("postgresql://cs:secret@db.internal.example.com:5432/cs", "en", "PostgreSQL database cs"),
        ("postgresql+psycopg://cs@10.0.0.5/cs_prod?sslmode=require", "sv", "PostgreSQL-databasen cs_prod"),
        ("/home/anna/exports/q3-2026", "en", "data folder 'q3-2026'"),
    ],
)
def test_sources_are_described_without_host_password_or_path(source, locale, shown):
    assert describe_data_source(source, locale) == shown


def test_bundled_sample_is_named_as_such():
    assert describe_data_source(sample_data_dir()) == "bundled sample data"
    assert describe_data_source(str(sample_data_dir()), "sv") == "medföljande exempeldata"


@pytest.mark.parametrize("locale", LOCALES)
def test_board_report_says_data_through_and_never_the_source(sample_run, locale):
    from reports.documents.leadership.board_report import build_board_report_context

    ctx = build_board_report_context(sample_run, locale=locale)
    shown = " ".join(ctx.provenance.values())
    assert ("Data through Sep 30, 2026" if locale == "en" else "Data till och med 30 sep. 2026") in shown
    assert sample_run.provenance["inputs_hash"] not in shown
    assert "sample" not in shown and "/" not in shown


def test_churn_report_keeps_provenance_with_the_source_in_words(sample_run):
    from reports.documents.leadership.provenance import build_provenance

    prov = build_provenance(sample_run, ("nrr",)).as_mapping("en")
    assert prov["Data source"] == "bundled sample data"
    assert prov["Inputs hash"] == sample_run.provenance["inputs_hash"]
