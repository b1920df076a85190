"""Comment themes on the voice-of-the-customer slide, worked out by hand on a tiny dataset."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation

from reports.documents.qbr.config import QbrConfig
from reports.documents.qbr.context import AccountIndex, build_qbr_context
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.pipeline import prepare_run
from reports.resources import bundled_templates_dir

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"

# Window 2026-Q3, so as_of is 2026-10-01 and the slide's comments are those from 2025-10-01 on.
# A2 (Upmarket, a high-touch deck): R3 and R4 praise reporting, R8 complains about support; R9 is
# about pricing but older than a year, so it does not count. A5: one comment naming no theme.
NPS_CSV = """response_id,account_id,contact_id,responded_at,score,comment,language
R1,A1,K1,2026-07-05,10,Great onboarding,en
R2,A1,K1,2026-08-20,6,Support got slow,en
R3,A2,K2,2026-07-10,9,"The reports and dashboards are excellent, we love them.",en
R4,A2,K3,2026-09-01,9,"Great reporting, the dashboards save us hours.",en
R8,A2,K3,2026-08-15,2,"Support is terrible, an awful experience.",en
R9,A2,K3,2025-06-01,3,Pricing is far too expensive.,en
R5,A5,,2026-07-15,3,,
R6,A5,,2026-09-30,10,Thanks!,en
R7,A1,K1,2026-06-30,0,,
"""
EN = "Themes in comments: Reporting (2 mentions, mostly positive); Support (1 mention, negative)."
SV = "Teman i kommentarerna: Rapportering (2 omnämnanden, mestadels positiva); Support (1 omnämnande, negativt)."


@pytest.fixture(scope="module")
def data_dir(tiny_dir: Path, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("voc") / "data"
    shutil.copytree(tiny_dir, folder)
    (folder / "nps.csv").write_text(NPS_CSV, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def index(data_dir: Path) -> AccountIndex:
    return AccountIndex(prepare_run(data_dir, quarter="2026-Q3"))


def _voc(index: AccountIndex, account: str, locale: str = "en", audience: str = "customer"):
    ctx = build_qbr_context(index.account_data(account), audience=audience, locale=locale, config=QbrConfig())
    return ctx, ctx.slide("voice_of_customer")


def test_account_data_carries_only_its_own_comment_tags(index):
    data = index.account_data("A2")
    assert {k: v.themes for k, v in data.comment_tags.items()} == {
        "R3": ("reporting",),
        "R4": ("reporting",),
        "R8": ("support",),
        "R9": ("pricing",),
    }
    assert data.comment_tags["R8"].tone == "negative"
    assert set(data.theme_labels) == {"pricing", "reporting", "support"}
    assert data.theme_labels["reporting"]["sv"] == "Rapportering"
    assert index.account_data("A5").comment_tags == {}  # "Thanks!" names no theme


@pytest.mark.parametrize("audience", ["customer", "internal"])
def test_top_themes_are_on_the_slide_and_in_the_notes(index, audience):
    _ctx, slide = _voc(index, "A2", audience=audience)
    texts = slide.side or slide.bullets
    assert texts[1] == EN  # right after the NPS line, before the quotes
    assert EN in slide.notes
    assert "Pricing" not in " ".join(texts)  # R9 is older than the slide's year of comments


def test_top_themes_in_swedish(index):
    _ctx, slide = _voc(index, "A2", locale="sv")
    assert SV in (slide.side or slide.bullets)
    assert SV in slide.notes


def test_no_themes_no_claim(index):
    _ctx, slide = _voc(index, "A5")
    assert slide is not None  # A5 answered the survey
    words = " ".join((*slide.side, *slide.bullets, slide.notes))
    assert "Themes" not in words and "mention" not in words


def test_themes_are_in_the_rendered_deck(index):
    ctx, slide = _voc(index, "A2")
    slide_title = slide.title
    prs = Presentation(io.BytesIO(render_qbr_pptx(ctx, TEMPLATE)))
    [voc] = [s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == slide_title]
    shown = " ".join(" ".join(sh.text_frame.text.split()) for sh in _texts(voc))
    assert "Reporting (2 mentions, mostly positive); Support (1 mention, negative)" in shown
    assert EN in " ".join(voc.notes_slide.notes_text_frame.text.split())


def _texts(slide):
    return [shape for shape in slide.shapes if shape.has_text_frame]


def test_overrides_replace_the_engines_themes(data_dir: Path, tmp_path: Path):
    config = tmp_path / "config"
    config.mkdir()
    (config / "nps_overrides.yaml").write_text("overrides:\n  R8: [pricing]\n", encoding="utf-8")
    index = AccountIndex(prepare_run(data_dir, config_dir=config, quarter="2026-Q3"))
    assert index.account_data("A2").comment_tags["R8"].themes == ("pricing",)
    _ctx, slide = _voc(index, "A2")
    assert "Reporting (2 mentions, mostly positive); Pricing (1 mention, negative)." in slide.side[1]
