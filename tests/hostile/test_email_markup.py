"""The weekly email's safety check judges the markup a template makes, never the words in it."""

from __future__ import annotations

import email
import email.policy
import html

import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.documents.email.render import check_email_html
from reports.errors import RenderError
from reports.resources import bundled_templates_dir

ORDINARY_NOTES = (
    "Onboarding = 40% of tickets",
    "Renewals only = 3 this week",
    "width: 700px",
    "url(//wiki/renewals)",
    "Use <script> tags? No: javascript: links are blocked by IT; onload= is fine in docs",
)


def test_notes_that_look_like_markup_are_sent_as_words(tmp_path):
    notes = tmp_path / "notes.yaml"
    lines = "\n".join(f"  - {note!r}" for note in ORDINARY_NOTES)
    notes.write_text(f"week: 2026-W43\nhighlights:\n{lines}\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli, ["--out", str(tmp_path / "out"), "weekly-email", "--week", "2026-W43", "--notes", str(notes)]
    )
    assert result.exit_code == 0, result.output
    folder = tmp_path / "out" / "email"
    page = (folder / "weekly-2026-w43.html").read_text(encoding="utf-8")
    text = (folder / "weekly-2026-w43.txt").read_text(encoding="utf-8")
    message = email.message_from_bytes(
        (folder / "weekly-2026-w43.eml").read_bytes(), policy=email.policy.default
    )
    mailed_html = message.get_body(("html",)).get_content()
    words = " ".join(text.split())  # the text part wraps long lines
    for note in ORDINARY_NOTES:
        assert note in words
        assert html.escape(note, quote=False) in page
        assert html.escape(note, quote=False) in mailed_html
    assert "<script>" not in page


@pytest.mark.parametrize(
    ("markup", "problem"),
    [
        ('<p onmouseover="steal()">hi</p>', "script"),
        ("<script>alert(1)</script>", "script"),
        ('<a href=" javascript:alert(1)">x</a>', "script"),
        ('<iframe src="cid:x"></iframe>', "script"),
        ('<meta http-equiv="refresh" content="0;url=https://evil.example">', "script"),
        ('<img src="//tracker.example/p.gif">', "remote resource"),
        ('<td style="background: url(https://tracker.example/p.gif)">x</td>', "remote resource"),
        ("<style>@import url(//fonts.example/x.css);</style>", "remote resource"),
        ('<td background="http://tracker.example/p.gif">x</td>', "remote resource"),
        ('<img src="data:image/png;base64,AAAA">', "not an attached cid: image"),
        ('<div style="width:900px">x</div>', "900 px wide"),
        ("<style>table { max-width: 800px }</style>", "800 px wide"),
        ('<table width="700"></table>', "700 px wide"),
    ],
)
def test_unsafe_markup_is_refused(markup, problem):
    with pytest.raises(RenderError, match=problem):
        check_email_html(f"<html><body>{markup}</body></html>")


def test_a_user_template_with_a_tracking_pixel_is_refused_and_nothing_written(tmp_path):
    templates = tmp_path / "templates" / "email"
    templates.mkdir(parents=True)
    bundled = (bundled_templates_dir() / "email" / "weekly.html.j2").read_text(encoding="utf-8")
    templates.joinpath("weekly.html.j2").write_text(
        bundled.replace("</body>", '<img src="https://tracker.example/open.gif"></body>'), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        cli,
        ["--templates", str(tmp_path / "templates"), "--out", str(out), "weekly-email", "--week", "2026-W43"],
    )
    assert result.exit_code == 3, result.output  # the document failed; the manifest says which
    assert "weekly email HTML refused: it references a remote resource" in result.output
    assert not list(out.rglob("weekly-*"))
