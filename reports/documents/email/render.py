"""Render the weekly email: HTML (CSS inlined) and plain text, plus PNG charts.

Templates ``email/weekly.html.j2`` and ``email/weekly.txt.j2`` are looked up
in the user's ``--templates`` folders first, then the bundled ones, through
the same sandboxed, strict environment as the PDFs
(:func:`reports.render.pdf.make_environment`); the text template is rendered with
autoescaping off (it is not HTML) but still sandboxed and cleaned.

The HTML is checked after rendering (:func:`check_email_html`): no scripts,
no ``http(s)://`` or protocol-relative resources, every image a ``cid:``
reference, no table or image wider than :data:`MAX_WIDTH_PX`. The check reads
the parsed markup (tags, attributes, style sheets), never the text between
tags, so a note such as "width: 700px" or "url(//wiki)" is just words. A user
template that breaks these rules fails with a :class:`RenderError`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import css_inline

from reports.documents.email.context import WeeklyContext
from reports.errors import RenderError
from reports.render.charts import chart_png
from reports.render.pdf import make_environment, render_html

HTML_TEMPLATE = "email/weekly.html.j2"
TEXT_TEMPLATE = "email/weekly.txt.j2"
MAX_WIDTH_PX = 640
LOGO_CID = "logo@csreports"
"""Content-ID of the company logo (``branding.yaml``) in the HTML part."""


@dataclass(frozen=True)
class InlineImage:
    """A PNG shown in the HTML as ``<img src="cid:{cid}">``."""

    cid: str
    filename: str
    alt: str
    png: bytes
    #: The image's subtype: "png", or "jpeg" for a JPEG logo.
    subtype: str = "png"


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    html: str
    text: str
    images: tuple[InlineImage, ...]


_ACTIVE_TAGS = frozenset({"script", "iframe", "frame", "object", "embed", "applet", "form", "base"})
"""Tags that run code, load a page or change where links go; an email needs none of them."""
_URL_ATTRIBUTES = frozenset(
    {"src", "href", "background", "action", "poster", "srcset", "formaction", "lowsrc"}
)
_REMOTE_URL = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.IGNORECASE)
_CSS_URL = re.compile(r"""url\(\s*["']?\s*([^"')\s]*)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b", re.IGNORECASE)
_CSS_WIDTH = re.compile(r"""(?<![-\w])(?:max-|min-)?width\s*:\s*(\d+)px""", re.IGNORECASE)
_SCRIPT_URL = re.compile(r"^\s*(?:javascript|vbscript|data:text/html)", re.IGNORECASE)


@dataclass
class _Markup(HTMLParser):
    """Collects what :func:`check_email_html` judges: tags, attributes and style sheets."""

    tags: list[tuple[str, dict[str, str]]] = field(default_factory=list)
    style_sheets: list[str] = field(default_factory=list)
    _in_style: bool = False

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {name: value or "" for name, value in attrs}))
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style_sheets.append(data)


def _css_problems(css: str) -> list[str]:
    problems = []
    if _CSS_IMPORT.search(css) or any(_REMOTE_URL.match(url) for url in _CSS_URL.findall(css)):
        problems.append("it references a remote resource (http://, https:// or //)")
    if "expression(" in css.lower():
        problems.append("it contains a script, an on* event handler or a javascript: URL")
    return problems


def check_email_html(html: str, cids: Sequence[str] = ()) -> None:
    """Raise RenderError when ``html`` is not safe to mail (see the module docstring).

    >>> check_email_html("<p>Onboarding = 40% of tickets; width: 700px; url(//wiki)</p>")
    >>> check_email_html('<p onclick="x()">hi</p>')
    Traceback (most recent call last):
    reports.errors.RenderError: weekly email HTML refused: it contains a script, an on* event handler or a javascript: URL
    """
    markup = _Markup()
    markup.feed(html)
    markup.close()
    problems: list[str] = []
    widths: list[int] = []
    known = set(cids)
    for tag, attributes in markup.tags:
        refresh = tag == "meta" and attributes.get("http-equiv", "").lower() == "refresh"
        if tag in _ACTIVE_TAGS or refresh or any(name.startswith("on") for name in attributes):
            problems.append("it contains a script, an on* event handler or a javascript: URL")
        for name, value in attributes.items():
            if name in _URL_ATTRIBUTES and _SCRIPT_URL.match(value):
                problems.append("it contains a script, an on* event handler or a javascript: URL")
            elif name in _URL_ATTRIBUTES and _REMOTE_URL.match(value):
                problems.append("it references a remote resource (http://, https:// or //)")
        problems += _css_problems(attributes.get("style", ""))
        widths += [int(w) for w in _CSS_WIDTH.findall(attributes.get("style", ""))]
        width = re.fullmatch(r"\s*(\d+)(?:px)?\s*", attributes.get("width", ""))
        if width:
            widths.append(int(width.group(1)))
        if tag == "img":
            src = attributes.get("src", "")
            if not src.startswith("cid:") or (known and src[4:] not in known):
                problems.append(f"image {src[:60]!r} is not an attached cid: image")
    for css in markup.style_sheets:
        problems += _css_problems(css)
        widths += [int(w) for w in _CSS_WIDTH.findall(css)]
    if any(w > MAX_WIDTH_PX for w in widths):
        problems.append(f"an element is {max(widths)} px wide (at most {MAX_WIDTH_PX} px)")
    if problems:
        raise RenderError("weekly email HTML refused: " + "; ".join(dict.fromkeys(problems)))


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
    brand = context.brand
    if brand.logo:
        kind = brand.logo_type.split("/")[-1]
        logo = InlineImage(LOGO_CID, f"logo.{kind}", context.company or "Logo", brand.logo, kind)
        images = (logo, *images)
    check_email_html(html, [i.cid for i in images])
    text = "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"
    return RenderedEmail(subject=context.subject, html=html, text=text, images=images)


def preview_html(rendered: RenderedEmail) -> str:
    """The HTML with each ``cid:`` image swapped for a ``data:`` URI, for viewing in a browser."""
    import base64

    html = rendered.html
    for image in rendered.images:
        uri = f"data:image/{image.subtype};base64," + base64.b64encode(image.png).decode("ascii")
        html = html.replace(f"cid:{image.cid}", uri)
    return html
