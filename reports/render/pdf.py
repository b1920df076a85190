"""Render PDF documents: a sandboxed Jinja template to HTML, then WeasyPrint to PDF.

Templates are looked up in the user's ``--templates`` folders first, then in
the bundled ``templates/``; ``"default:base/report.html"`` always names the
bundled file, so a user template can extend it and override one block.
Pass several names, most specific first, to :func:`pick_template` or
:func:`render_html` (``["qbr/report-strategic.html", "qbr/report.html"]``).

URLs in templates (stylesheets, images, fonts) are relative to the template
root: ``<link rel="stylesheet" href="base/print.css">`` finds the user's
``base/print.css`` if there is one, else the bundled one. Only ``data:`` URIs
and files inside the template folders are fetched; anything else (http,
ftp, files elsewhere, ``..`` or symlink escapes) stops the rendering with a
:class:`~reports.errors.RenderError`, so rendering never touches the network.

The same template, context and :class:`PdfSettings` give byte-identical PDFs:
the creation and modification dates come from ``settings.generated_on`` and
the file identifier is a hash of the content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import mimetypes
import re
import struct
import traceback
from collections.abc import Mapping, Sequence
from functools import lru_cache
from pathlib import Path, PurePosixPath
from typing import Any, Literal
from urllib.parse import unquote, urlsplit

import jinja2
from babel import Locale, UnknownLocaleError
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup

from reports.data.config_schema import colour_problem
from reports.errors import FetchRefused, RenderError
from reports.render.catalogue import translations
from reports.render.charts import svg_data_uri
from reports.render.formatting import FILTERS, clean_text
from reports.render.heap import new_objects_only
from reports.render.template_files import ConfinedFileSystemLoader
from reports.resources import bundled_templates_dir

PageSize = Literal["A4", "Letter"]
PAGE_SIZES: tuple[str, ...] = ("A4", "Letter")

#: Base URL of the HTML; relative URLs resolve under it and the fetcher maps
#: them onto the template folders. Not a real folder.
TEMPLATE_ROOT_URL = "file:///csreports-templates/"
_TEMPLATE_ROOT = PurePosixPath("/csreports-templates")
_AUTOESCAPE_EXTENSIONS = ("html", "htm", "j2", "xml")


@dataclasses.dataclass(frozen=True, kw_only=True)
class PdfSettings:
    """Page and metadata settings for one PDF; part of what makes its bytes.

    ``generated_on`` is the date printed on the document and written as the
    PDF's creation and modification date (no clock is read while rendering).
    """

    generated_on: dt.date
    page_size: PageSize = "A4"
    #: Babel locale of the document ("en", "sv"); also the PDF's /Lang.
    locale: str = "en"
    title: str = ""
    author: str = ""
    subject: str = ""
    #: Shown in the running header, left.
    company: str = ""
    #: Shown in the running header, right, e.g. "Q3 2026".
    period_label: str = ""
    #: The company logo as a ``data:image/png;base64,…`` URI, atop the first page; empty for none.
    logo_data_uri: str = ""
    #: Brand colours as ``#RRGGBB``: headings (primary) and rules and highlights (accent).
    primary: str = "#1B365D"
    accent: str = "#0072B2"

    def __post_init__(self) -> None:
        problems = []
        size = {s.lower(): s for s in PAGE_SIZES}.get(str(self.page_size).lower())
        if size is None:
            problems.append(
                f"page_size: {self.page_size!r} is not one of {', '.join(map(repr, PAGE_SIZES))}."
            )
        else:
            object.__setattr__(self, "page_size", size)
        try:
            Locale.parse(self.locale)
        except (UnknownLocaleError, ValueError, TypeError):
            problems.append(f"locale: {self.locale!r} is not a locale Babel knows (e.g. 'en', 'sv').")
        for name in ("primary", "accent"):
            problem = colour_problem(getattr(self, name))
            if problem:
                problems.append(f"{name}: {problem}.")
        if self.logo_data_uri and not re.fullmatch(
            r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+", self.logo_data_uri
        ):
            problems.append("logo_data_uri: not a data:image/png or image/jpeg URI.")
        if isinstance(self.generated_on, dt.datetime):
            object.__setattr__(self, "generated_on", self.generated_on.date())
        elif not isinstance(self.generated_on, dt.date):
            problems.append(f"generated_on: {self.generated_on!r} is not a datetime.date.")
        if problems:
            raise ValueError("PdfSettings: " + " ".join(problems))

    @property
    def lang(self) -> str:
        """The locale as a BCP 47 tag for ``<html lang>`` ("en", "sv", "en-GB")."""
        return self.locale.replace("_", "-")


@dataclasses.dataclass(frozen=True)
class TocEntry:
    """One line of the table of contents: the ``id`` of a heading and its title."""

    id: str
    title: str
    #: 1 for a section, 2 for a subsection (indented).
    level: int = 1


# --------------------------------------------------------------------------- Jinja


def _finalize(value: Any) -> Any:
    """Clean every printed value of XML-illegal characters (markup stays markup)."""
    if isinstance(value, Markup):
        return Markup(clean_text(str(value)))
    if isinstance(value, str):
        return clean_text(value)
    return value


def _autoescape(name: str | None) -> bool:
    if name is None:
        return True
    return name.rsplit(".", 1)[-1].lower() in _AUTOESCAPE_EXTENSIONS


def make_environment(template_dirs: Sequence[Path] = ()) -> SandboxedEnvironment:
    """A sandboxed Jinja environment over the user folders, then the bundled templates.

    ``template_dirs`` are searched in order before the bundled folder; the
    ``default:`` prefix reads the bundled folder only. Autoescaping is on for
    .html/.htm/.j2/.xml, undefined variables raise, and :data:`FILTERS` plus
    ``svg_data_uri`` are registered. Only files really inside the folders are
    read (:class:`~reports.render.template_files.ConfinedFileSystemLoader`). Printed strings are passed through
    :func:`~reports.render.formatting.clean_text`.
    """
    bundled = str(bundled_templates_dir())
    user = [str(Path(d)) for d in template_dirs]
    loader = jinja2.ChoiceLoader(
        [
            jinja2.PrefixLoader({"default": ConfinedFileSystemLoader(bundled)}, delimiter=":"),
            ConfinedFileSystemLoader([*user, bundled]),
        ]
    )
    env = SandboxedEnvironment(
        loader=loader,
        autoescape=_autoescape,
        undefined=jinja2.StrictUndefined,
        finalize=_finalize,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
    )
    env.filters.update(FILTERS)
    env.filters["svg_data_uri"] = svg_data_uri
    env.add_extension("jinja2.ext.i18n")
    env.policies["ext.i18n.trimmed"] = True  # as babel.cfg extracts them: one line per message
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        _gettext, _ngettext, newstyle=True, pgettext=_pgettext, npgettext=_npgettext
    )
    return env


def _render_locale(context: jinja2.runtime.Context) -> str:
    """The locale a template is rendered in: its context's ``locale``, else that of its ``settings``
    (:class:`PdfSettings`, e.g. the QBR leave-behind's), English without either."""
    locale = context.get("locale")
    if not (isinstance(locale, str) and locale):
        locale = getattr(context.get("settings"), "locale", None)
    return locale if isinstance(locale, str) and locale else "en"


# ``{% trans %}``, ``_()`` and friends in templates: the words of the catalogue
# (reports.render.catalogue) in the locale of the render's context, so one cached environment
# serves every locale. Macros imported ``with context`` see the caller's locale.
@jinja2.pass_context
def _gettext(context: jinja2.runtime.Context, message: str) -> str:
    return translations(_render_locale(context)).gettext(message)


@jinja2.pass_context
def _ngettext(context: jinja2.runtime.Context, singular: str, plural: str, n: int) -> str:
    return translations(_render_locale(context)).ngettext(singular, plural, n)


@jinja2.pass_context
def _pgettext(context: jinja2.runtime.Context, msgctxt: str, message: str) -> str:
    return translations(_render_locale(context)).pgettext(msgctxt, message)


@jinja2.pass_context
def _npgettext(context: jinja2.runtime.Context, msgctxt: str, singular: str, plural: str, n: int) -> str:
    return translations(_render_locale(context)).npgettext(msgctxt, singular, plural, n)


@lru_cache(maxsize=16)
def _cached_environment(template_dirs: tuple[Path, ...]) -> SandboxedEnvironment:
    return make_environment(template_dirs)


def pick_template(env: jinja2.Environment, names: str | Sequence[str]) -> jinja2.Template:
    """The first of ``names`` (most specific first) found in any template folder."""
    if isinstance(names, str):
        names = [names]
    try:
        return env.select_template(list(names))
    except jinja2.TemplatesNotFound as exc:
        raise RenderError(
            f"template {' or '.join(map(repr, names))} not found in {_search_path(env)}"
        ) from exc
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(_syntax_message(exc)) from exc


def _search_path(env: jinja2.Environment) -> str:
    folders: list[str] = []
    loader = env.loader
    if isinstance(loader, jinja2.ChoiceLoader):
        for sub in loader.loaders:
            if isinstance(sub, jinja2.FileSystemLoader):
                folders.extend(sub.searchpath)
    return ", ".join(folders) or "the template folders"


def _syntax_message(exc: jinja2.TemplateSyntaxError) -> str:
    where = f'File "{exc.filename or exc.name}", line {exc.lineno}'
    line = ""
    if exc.source is not None and exc.lineno:
        lines = exc.source.splitlines()
        if 0 < exc.lineno <= len(lines):
            line = f"\n    {lines[exc.lineno - 1].strip()}"
    return f"{where}: template syntax error: {exc.message}{line}"


def _template_frame(exc: BaseException, env: jinja2.Environment) -> str:
    """'File "x.html", line N' of the innermost template frame, or ''."""
    found = ""
    folders = _search_path(env).split(", ")
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename.endswith((".html", ".htm", ".j2", ".xml", ".css")) or any(
            frame.filename.startswith(f) for f in folders
        ):
            found = f'File "{frame.filename}", line {frame.lineno}'
    return found


def _as_mapping(context: Any) -> Mapping[str, Any]:
    if isinstance(context, Mapping):
        return context
    if dataclasses.is_dataclass(context) and not isinstance(context, type):
        return {f.name: getattr(context, f.name) for f in dataclasses.fields(context)}
    raise TypeError(f"context must be a mapping or a dataclass instance, not {type(context).__name__}")


def render_html(
    template_name: str | Sequence[str], context: Mapping[str, Any] | Any, *, env: jinja2.Environment
) -> str:
    """Render a template (or the first found of several names) with ``context``.

    ``context`` is a mapping or a context dataclass (its fields become
    variables). Data in the context is escaped, never parsed as a template.
    Template problems raise :class:`RenderError` naming the file and line.
    """
    template = pick_template(env, template_name)
    try:
        return template.render(_as_mapping(context))
    except jinja2.TemplateSyntaxError as exc:
        raise RenderError(_syntax_message(exc)) from exc
    except jinja2.TemplateNotFound as exc:
        raise RenderError(
            f"{template.name}: included template {exc.name!r} not found in {_search_path(env)}"
        ) from exc
    except (jinja2.UndefinedError, jinja2.exceptions.SecurityError) as exc:
        where = _template_frame(exc, env) or f'File "{template.filename}"'
        raise RenderError(f"{where}: {exc}") from exc
    except (ValueError, TypeError, ArithmeticError, LookupError) as exc:
        # A filter or method refused a value, e.g. format_quarter("Q5").
        where = _template_frame(exc, env) or f'File "{template.filename}"'
        raise RenderError(f"{where}: {type(exc).__name__}: {exc}") from exc


# --------------------------------------------------------------------------- fetching


def _url_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RestrictedURLFetcher(URLFetcher):
        """Serves ``data:`` URIs and files inside the template folders; refuses all else.

        ``refused`` lists every URL turned away, in order.
        """

        def __init__(self, roots: Sequence[Path]):
            super().__init__(fail_on_errors=True, allowed_protocols=("data", "file"))
            self.roots = tuple(Path(r).resolve() for r in roots)
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            problem = "only data: URIs and files inside the template folders may be used"
            if scheme == "file":
                path, problem = self._resolve(url)
                if path is not None:
                    mime, _ = mimetypes.guess_type(path.name)
                    return URLFetcherResponse(
                        url,
                        body=path.read_bytes(),
                        headers={"Content-Type": mime or "application/octet-stream"},
                    )
            self.refused.append(url)
            folders = ", ".join(map(str, self.roots))
            raise FetchRefused(f"refused to fetch {url!r}: {problem} ({folders})")

        def _resolve(self, url: str) -> tuple[Path | None, str]:
            outside = "only data: URIs and files inside the template folders may be used"
            parts = urlsplit(url)
            if parts.netloc not in ("", "localhost"):
                return None, outside
            raw = PurePosixPath(unquote(parts.path))
            if ".." in raw.parts:
                return None, outside
            if raw.is_relative_to(_TEMPLATE_ROOT):
                relative = raw.relative_to(_TEMPLATE_ROOT)
                candidates = [root / relative for root in self.roots]
                missing = f"{str(relative)!r} is not a file in the template folders"
            else:
                candidates = [Path(raw)]
                missing = outside
            for candidate in candidates:
                resolved = candidate.resolve()
                if not any(resolved.is_relative_to(root) for root in self.roots):
                    missing = outside  # e.g. a symlink pointing out of the folder
                elif resolved.is_file():
                    return resolved, ""
            return None, missing

    return RestrictedURLFetcher


def make_url_fetcher(template_dirs: Sequence[Path] = ()) -> Any:
    """The WeasyPrint URL fetcher :func:`render_pdf` uses (user folders, then bundled)."""
    return _url_fetcher_class()([*template_dirs, bundled_templates_dir()])


# --------------------------------------------------------------------------- PDF


def _sfnt_checksum(data: bytes) -> int:
    padded = data + b"\0" * (-len(data) % 4)
    return sum(struct.unpack(f">{len(padded) // 4}I", padded)) & 0xFFFFFFFF


def _pin_sfnt_modified(font: bytes) -> bytes:
    """Set the 'head' table's modified date to its created date and fix the checksums.

    Without HarfBuzz-subset, WeasyPrint subsets fonts with fontTools, which
    stamps the subset with the current time; this makes the font bytes (and
    so the PDF) depend only on the font file.
    """
    if len(font) < 12 or font[:4] not in (b"\0\1\0\0", b"OTTO", b"true"):
        return font
    (num_tables,) = struct.unpack(">H", font[4:6])
    for i in range(num_tables):
        record = 12 + 16 * i
        tag, _checksum, offset, length = struct.unpack(">4sIII", font[record : record + 16])
        if tag != b"head" or length < 36 or offset + length > len(font):
            continue
        head = bytearray(font[offset : offset + length])
        head[28:36] = head[20:28]  # modified := created
        head[8:12] = b"\0\0\0\0"  # checkSumAdjustment is computed with itself as 0
        data = bytearray(font)
        data[offset : offset + length] = head
        struct.pack_into(">I", data, record + 4, _sfnt_checksum(bytes(head)))
        adjustment = (0xB1B0AFBA - _sfnt_checksum(bytes(data))) & 0xFFFFFFFF
        struct.pack_into(">I", data, offset + 8, adjustment)
        return bytes(data)
    return font


def _pin_font_timestamps(_document: Any, pdf: Any) -> None:
    """WeasyPrint finisher: make embedded font subsets independent of the clock."""
    for obj in pdf.objects:
        stream = getattr(obj, "stream", None)
        if isinstance(stream, list) and len(stream) == 1 and isinstance(stream[0], bytes):
            stream[0] = _pin_sfnt_modified(stream[0])


def render_pdf(
    template_name: str | Sequence[str],
    context: Mapping[str, Any] | Any,
    *,
    settings: PdfSettings,
    template_dirs: Sequence[Path] = (),
) -> bytes:
    """Render ``template_name`` with ``context`` to PDF/UA-1 bytes.

    The template sees the context's variables plus ``settings`` (this
    :class:`PdfSettings`). Title, author, subject, language and dates of the
    PDF come from ``settings`` whatever the template's ``<head>`` says.
    Raises :class:`RenderError` for template errors and refused URLs.
    """
    from weasyprint import HTML
    from weasyprint.urls import FatalURLFetchingError

    dirs = tuple(Path(d).resolve() for d in template_dirs)
    env = _cached_environment(dirs)
    variables = dict(_as_mapping(context))
    if "settings" in variables:
        raise RenderError("context must not define 'settings': render_pdf passes PdfSettings there")
    variables["settings"] = settings
    html = render_html(template_name, variables, env=env)

    fetcher = make_url_fetcher(dirs)
    with new_objects_only():  # the run's objects stay out of the collector's way
        try:
            document = HTML(string=html, base_url=TEMPLATE_ROOT_URL, url_fetcher=fetcher).render()
            metadata = document.metadata
            metadata.title = clean_text(settings.title) or metadata.title
            if settings.author:
                metadata.authors = [clean_text(settings.author)]
            if settings.subject:
                metadata.description = clean_text(settings.subject)
            metadata.lang = settings.lang
            stamp = f"{settings.generated_on.isoformat()}T00:00:00+00:00"
            metadata.created = stamp
            metadata.modified = stamp
            metadata.generator = None
            return document.write_pdf(
                pdf_variant="pdf/ua-1", pdf_identifier=True, finisher=_pin_font_timestamps
            )
        except FatalURLFetchingError as exc:
            cause = exc.__cause__ if exc.__cause__ is not None else exc
            raise RenderError(f"{_name(template_name)}: {cause}") from exc


def _name(template_name: str | Sequence[str]) -> str:
    return template_name if isinstance(template_name, str) else " or ".join(template_name)
