"""Rendered decks: open, notes, charts, alt text, canaries, audience, overflow, validity, LibreOffice."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from dataclasses import replace

import pytest
from pptx import Presentation

from cs_calc.portfolio import compute_portfolio_metrics
from reports.data.dataset import Dataset
from reports.documents.qbr.config import QbrConfig
from reports.documents.qbr.context import account_data, build_qbr_context
from reports.documents.qbr.render_pptx import render_qbr_pptx, text_frame_fits
from reports.pipeline import RunContext
from reports.resources import bundled_templates_dir

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
TARGET = "A-00140"  # Strategic
LONG_NAME = "Umbra Foods International Holdings " * 8 + "\x07\x1bEnd"
CANARY_NUMBER = 987654.25


def _planted_run(run: RunContext) -> RunContext:
    """The sample with canaries in every other account and very long texts in TARGET."""
    tables = {name: frame.copy() for name, frame in run.dataset.tables.items()}
    accounts = tables["accounts"]
    others = sorted(set(accounts["account_id"]) - {TARGET})
    new_ids = {old: f"ZQCANARYID{i:05d}" for i, old in enumerate(others)}
    for _name, frame in tables.items():
        if "account_id" in frame.columns:
            frame["account_id"] = frame["account_id"].map(lambda a: new_ids.get(a, a))
    accounts["parent_account_id"] = None
    other = accounts["account_id"] != TARGET
    accounts.loc[other, "name"] = [f"ZQCANARYNAME{i}" for i in range(int(other.sum()))]
    accounts.loc[~other, "name"] = LONG_NAME
    contacts = tables["contacts"]
    contacts.loc[contacts["account_id"] != TARGET, "name"] = "ZQCANARYPERSON"
    nps = tables["nps"]
    nps.loc[nps["account_id"] != TARGET, "comment"] = "ZQCANARYCOMMENT"
    mine = nps["account_id"] == TARGET
    nps.loc[mine, "comment"] = "We love it but the exports are slow and " * 15 + "\x0bdone"
    mrr = tables["mrr"]
    mrr.loc[mrr["account_id"] != TARGET, "mrr"] = CANARY_NUMBER
    plans = tables["success_plans"]
    plans.loc[plans["account_id"] != TARGET, "objective"] = "ZQCANARYGOAL"
    template = plans[plans["account_id"] == TARGET].iloc[[0]]
    extra = [
        template.assign(objective=f"Objective {i}: " + "make the quarterly planning cycle faster " * 4)
        for i in range(14)
    ]
    import pandas as pd

    tables["success_plans"] = pd.concat([plans, *extra], ignore_index=True)
    metrics = compute_portfolio_metrics(tables, run.window, run.settings.metrics)
    dataset = Dataset.from_tables(tables, source="planted-sample")
    return RunContext(dataset, run.settings, metrics)


@pytest.fixture(scope="module")
def planted(sample_run):
    return _planted_run(sample_run)


@pytest.fixture(scope="module")
def decks(sample_run, planted):
    """(label, audience, bytes) for Strategic (planted), Upmarket and Scaled accounts, both audiences."""
    out = []
    for run, account in ((planted, TARGET), (sample_run, "A-00004"), (sample_run, "A-00001")):
        data = account_data(run, account)
        for audience in ("customer", "internal"):
            ctx = build_qbr_context(data, audience=audience, locale="en", config=QbrConfig())
            out.append((account, audience, ctx, render_qbr_pptx(ctx, TEMPLATE)))
    return out


def _parts(blob: bytes) -> dict[str, bytes]:
    """Every part of the package, with embedded workbooks unpacked too."""
    parts = {}
    with zipfile.ZipFile(io.BytesIO(blob)) as zf:
        for name in zf.namelist():
            data = zf.read(name)
            if name.endswith(".xlsx"):
                with zipfile.ZipFile(io.BytesIO(data)) as inner:
                    for sub in inner.namelist():
                        parts[f"{name}!{sub}"] = inner.read(sub)
            else:
                parts[name] = data
    return parts


def test_every_deck_opens_with_notes_on_every_slide(decks):
    for account, audience, _ctx, blob in decks:
        prs = Presentation(io.BytesIO(blob))
        assert len(prs.slides) >= 5, (account, audience)
        for number, slide in enumerate(prs.slides, 1):
            notes = slide.notes_slide.notes_text_frame.text if slide.has_notes_slide else ""
            assert notes.strip(), f"{account} {audience} slide {number} has no speaker notes"


def test_charts_are_native_and_editable(decks):
    for account, _audience, _ctx, blob in decks:
        prs = Presentation(io.BytesIO(blob))
        charts = [s.chart for slide in prs.slides for s in slide.shapes if s.has_chart]
        assert charts, account
        for chart in charts:
            assert list(chart.plots[0].categories)
            assert chart.part.chart_workbook.xlsx_part is not None


def test_pictures_and_charts_have_alt_text(decks):
    for _account, _audience, _ctx, blob in decks:
        prs = Presentation(io.BytesIO(blob))
        for slide in prs.slides:
            for shape in slide.shapes:
                if shape.shape_type == 13 or shape.has_chart:
                    assert shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr"), shape.name


def test_no_other_account_leaks_into_a_deck(decks):
    canary = re.compile(rb"ZQCANARY|987[,.\xc2\xa0 ]?654")
    for account, audience, _ctx, blob in decks:
        if account != TARGET:
            continue
        for name, data in _parts(blob).items():
            assert not canary.search(data), f"{audience} deck leaks a canary in {name}"


def test_customer_deck_has_nothing_internal(decks):
    banned = re.compile(
        r"health|band|alert|churn|risk|upsell|prep note|detractor nps response|renewal_risk|internal",
        re.IGNORECASE,
    )
    for account, audience, _ctx, blob in decks:
        text = " ".join(
            data.decode("utf-8", "replace")
            for name, data in _parts(blob).items()
            if name.startswith("ppt/slides/") or name.startswith("ppt/notesSlides/") or "charts" in name
        )
        text = re.sub(r"<[^>]+>", " ", text)
        if audience == "customer":
            assert not banned.search(text), (account, banned.search(text).group(0))
        else:
            assert re.search("Health score", text), account


def test_text_fits_its_box_and_long_tables_paginate(decks):
    for account, audience, _ctx, blob in decks:
        prs = Presentation(io.BytesIO(blob))
        titles = []
        for number, slide in enumerate(prs.slides, 1):
            for shape in slide.shapes:
                if shape.has_text_frame and shape.text_frame.text.strip():
                    needed, available = text_frame_fits(shape)
                    assert needed <= available, (
                        f"{account} {audience} slide {number} {shape.name!r} overflows"
                    )
            if slide.shapes.title is not None:
                titles.append(slide.shapes.title.text_frame.text)
        if account == TARGET:
            assert any(re.search(r"\(2/\d\)$", t) for t in titles), titles
            assert any(t.endswith("…") for t in titles), "the long account name is shortened"


def test_xml_illegal_characters_are_removed(decks):
    illegal = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]|&#x?0*(?:[0-8]|1[1-2]|1[4-9]|2\d|3[01]);")
    for _account, _audience, _ctx, blob in decks:
        for name, data in _parts(blob).items():
            if name.endswith(".xml") or name.endswith(".rels"):
                assert not illegal.search(data), name


def test_decks_are_deterministic(decks):
    _account, _audience, ctx, blob = decks[2]
    assert render_qbr_pptx(ctx, TEMPLATE) == blob
    assert render_qbr_pptx(replace(ctx), TEMPLATE.read_bytes()) == blob


def test_decks_pass_the_ooxml_validator(decks, tmp_path):
    audit = pytest.importorskip("openxml_audit")
    for account, audience, _ctx, blob in decks:
        path = tmp_path / f"{account}-{audience}.pptx"
        path.write_bytes(blob)
        result = audit.validate_pptx(str(path))
        assert result.is_valid, [str(e) for e in result.errors][:5]


@pytest.mark.slow
@pytest.mark.libreoffice
def test_decks_convert_to_pdf_with_the_key_numbers(decks, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    paths = []
    for account, audience, ctx, blob in decks:
        path = tmp_path / f"{account}-{audience}.pptx"
        path.write_bytes(blob)
        paths.append((path, ctx))
    profile = (tmp_path / "lo_profile").as_uri()
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            *(str(p) for p, _ in paths),
        ],
        check=True,
        capture_output=True,
        timeout=240,
    )
    for path, ctx in paths:
        pdf = path.with_suffix(".pdf")
        assert pdf.is_file(), path.name
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        text = " ".join(text.split())
        for kpi in ctx.kpis:
            assert kpi.value in text, (path.name, kpi.value)
        if ctx.audience == "internal":  # traceable for the CSM, and marked
            assert ctx.provenance["inputs_hash"] in text
            assert "INTERNAL" in text
        else:  # the customer sees only what period the data covers
            assert ctx.provenance["inputs_hash"] not in text
            assert ctx.provenance_text in text
