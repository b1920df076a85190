"""Render the weekly email: HTML (CSS inlined) and plain text, plus PNG charts.

Templates ``email/weekly.html.j2`` and ``email/weekly.txt.j2`` are looked up
in the user's ``--templates`` folders first, then the bundled ones, through
the same sandboxed, strict environment as the PDFs
(:func:`reports.render.pdf.make_environment`); the text template is rendered with
autoescaping off (it is not HTML) but still sandboxed and cleaned.

The HTML is checked after rendering (:func:`check_email_html`): no scripts,
no ``http(s)://`` or protocol-relative resources, every image a ``cid:``
reference, no table or image wider than :data:`MAX_WIDTH_PX`. A user
template that breaks these rules fails with a :class:`RenderError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import css_inline

from reports.documents.email.context import WeeklyContext
from reports.errors import RenderError
from reports.render.charts import chart_png
from reports.render.pdf import make_environment, render_html

HTML_TEMPLATE = "email/weekly.html.j2"
TEXT_TEMPLATE = "email/weekly.txt.j2"
MAX_WIDTH_PX = 640


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown in the HTML as ``<img src="cid:{cid}">``."""

    cid: str
    filename: str
    alt: str
    png: bytes


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    images: tuple[InlineImage, ...]


_SCRIPT = re.compile(r"<\s*script\b|\bon[a-z]+\s*=|javascript:", re.IGNORECASE)
_REMOTE = re.compile(r"""(?:src|href|background|url)\s*[=(]\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
_IMG_SRC = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_WIDTH_ATTR = re.compile(r"""\bwidth\s*=\s*["']?(\d+)(?:px)?["']?""", re.IGNORECASE)
_WIDTH_CSS = re.compile(r"""(?<![-\w])(?:max-)?width\s*:\s*(\d+)px""", re.IGNORECASE)


def check_email_html(html: str, cids: Sequence[str] = ()) -> None:
    """Raise RenderError when ``html`` is not safe to mail (see the module docstring)."""
    problems = []
    if _SCRIPT.search(html):
        problems.append("it contains a script, an on* event handler or a javascript: URL")
    if _REMOTE.search(html):
        problems.append("it references a remote resource (http://, https:// or //)")
    known = set(cids)
    for src in _IMG_SRC.findall(html):
        if not src.startswith("cid:") or (known and src[4:] not in known):
            problems.append(f"image {src[:60]!r} is not an attached cid: image")
    widths = [int(w) for w in _WIDTH_ATTR.findall(html) + _WIDTH_CSS.findall(html)]
    if any(w > MAX_WIDTH_PX for w in widths):
        problems.append(f"an element is {max(widths)} px wide (at most {MAX_WIDTH_PX} px)")
    if problems:
        raise RenderError("weekly email HTML refused: " + "; ".join(problems))


def render_email(context: WeeklyContext, *, template_dirs: Sequence[Path] = ()) -> RenderedEmail:
    """HTML and text of the weekly email, and the PNG charts the HTML references."""
    html_env = make_environment(template_dirs)
    text_env = make_environment(template_dirs)
    text_env.autoescape = False
    raw_html = render_html(HTML_TEMPLATE, context, env=html_env)
    text = render_html(TEXT_TEMPLATE, context, env=text_env)
    inliner = css_inline.CSSInliner(
        load_remote_stylesheets=False, keep_style_tags=False, keep_link_tags=False
    )
    html = inliner.inline(raw_html)
    images = tuple(InlineImage(c.cid, c.filename, c.alt, chart_png(c.spec)) for c in context.charts)
    check_email_html(html, [i.cid for i in images])
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"
    return RenderedEmail(subject=context.subject, html=html, text=text, images=images)


def preview_html(rendered: RenderedEmail) -> str:
    """The HTML with each ``cid:`` image swapped for a ``data:`` URI, for viewing in a browser."""
    import base64

    html = rendered.html
    for image in rendered.images:
        uri = "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")
        html = html.replace(f"cid:{image.cid}", uri)
    return html
