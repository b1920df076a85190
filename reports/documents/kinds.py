"""Every document kind csreports renders, declared once.

The ``csreports`` group lists and loads each kind's command from here,
``csreports demo`` renders the kinds marked ``in_demo``, job files accept the
kinds marked ``in_batch`` with the options named here, and ``csreports run``
renders a job's portfolio-wide documents through each kind's ``single``
renderer. Callables are named ``"module:attribute"`` and imported only when
used, so a process pays only for the documents it renders (the workers of
``csreports run`` import no email or PDF code to render decks).

Adding a document kind: write its module (a Click ``command`` and its
renderers) and add one :class:`DocumentKind` to :data:`DOCUMENT_KINDS`.
"""

from __future__ import annotations

import importlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import click

    from reports.batch.job import DocumentSpec
    from reports.output.manifest import Manifest
    from reports.pipeline import RunContext


def load_callable(ref: str) -> Any:
    """The object named by ``"package.module:attribute"``, importing the module.

    >>> load_callable("pathlib:Path").__name__
    'Path'
    """
    module, _, attribute = ref.partition(":")
    return getattr(importlib.import_module(module), attribute)


@dataclass(frozen=True)
class DocumentKind:
    """One document kind: its command, job-file options and renderers."""

    name: str
    """Command name and job-file ``kind``, e.g. ``churn-report``."""
    description: str
    """One line for ``csreports --help``."""
    command: str
    """``module:attribute`` of its Click command, whose name must be :attr:`name`."""
    job_options: tuple[str, ...] = ()
    """Keys a job file's ``documents`` entry of this kind may hold besides ``kind``."""
    formats: tuple[str, ...] = ()
    """File formats a job entry may ask for (its ``formats``); the first is the default."""
    folder: str = ""
    """Default subfolder of the run's ``out`` for a job entry (its ``folder``)."""
    in_demo: bool = True
    """Whether ``csreports demo`` renders it."""
    in_batch: bool = True
    """Whether a job file may list it."""
    demo: str | None = None
    """``module:function(kind, run, out_dir, manifest, template_dirs, locale)``: its documents in the demo."""
    single: str | None = None
    """``module:function(kind, spec, run, out_dir, manifest, template_dirs)``: one job entry of
    ``csreports run``; None when the batch workers render it per account (QBR)."""
    files: str | None = None
    """Leadership documents: ``module:function(run, *, stem, locale, page_size, template_dirs)``
    giving :class:`~reports.documents.leadership.output.RenderedFile` (name, bytes, figures printed), written
    by :func:`reports.documents.leadership.output.write_document`."""

    def load_command(self) -> click.Command:
        """Its Click command, importing the command's module."""
        command = load_callable(self.command)
        if command.name != self.name:  # pragma: no cover - a declaration naming the wrong command
            raise RuntimeError(f"{self.command} is {command.name!r}, declared as {self.name!r}")
        return command

    def render_demo(
        self,
        run: RunContext,
        out_dir: Path,
        manifest: Manifest,
        template_dirs: Sequence[Path] = (),
        locale: str = "en",
    ) -> None:
        """Write the demo's documents of this kind in ``locale`` into ``out_dir``; failures go to ``manifest``."""
        if self.demo is None:
            raise ValueError(f"{self.name} has no demo renderer")
        load_callable(self.demo)(self, run, out_dir, manifest, tuple(template_dirs), locale)

    def render_single(
        self,
        spec: DocumentSpec,
        run: RunContext,
        out_dir: Path,
        manifest: Manifest,
        template_dirs: Sequence[Path] = (),
    ) -> None:
        """Render one job entry (``spec``) of this kind into ``out_dir``."""
        if self.single is None:
            raise ValueError(f"{self.name} is not a single document")
        load_callable(self.single)(self, spec, run, out_dir, manifest, tuple(template_dirs))

    def render_files(self, run: RunContext, **options: Any) -> list[Any]:
        """The leadership document's files as ``RenderedFile(name, data, figures)`` (see :attr:`files`)."""
        if self.files is None:
            raise ValueError(f"{self.name} is not a leadership document")
        return load_callable(self.files)(run, **options)


_LEADERSHIP = "reports.documents.leadership.output"
_LEADERSHIP_JOB_OPTIONS = ("locale", "page_size", "folder")

DOCUMENT_KINDS: tuple[DocumentKind, ...] = (
    DocumentKind(
        name="qbr",
        description="QBR decks per account: PPTX, PDF leave-behind, follow-up.",
        command="reports.cli.commands.qbr:command",
        job_options=(
            "formats",
            "audience",
            "locale",
            "deck",
            "accounts",
            "output",
            "follow_up",
            "update_from",
        ),
        formats=("pptx", "pdf"),
        demo="reports.cli.commands.qbr:render_demo",
    ),
    DocumentKind(
        name="churn-report",
        description="Churn-reason report: lost MRR and logos by reason (PDF).",
        command="reports.cli.commands.churn_report:command",
        job_options=_LEADERSHIP_JOB_OPTIONS,
        folder="leadership",
        demo=f"{_LEADERSHIP}:render_demo",
        single=f"{_LEADERSHIP}:render_single",
        files=f"{_LEADERSHIP}:churn_report_files",
    ),
    DocumentKind(
        name="cost-to-retain",
        description="Cost to retain, NRR components and CS ROI (PDF + CSV).",
        command="reports.cli.commands.cost_to_retain:command",
        job_options=_LEADERSHIP_JOB_OPTIONS,
        folder="leadership",
        demo=f"{_LEADERSHIP}:render_demo",
        single=f"{_LEADERSHIP}:render_single",
        files=f"{_LEADERSHIP}:cost_to_retain_files",
    ),
    DocumentKind(
        name="nps-digest",
        description="NPS theme digest (PDF) or the tagged comments (CSV).",
        command="reports.cli.commands.nps_digest:command",
        job_options=("formats", "locale", "page_size", "segment", "folder"),
        formats=("pdf", "csv"),
        folder="nps",
        demo="reports.cli.commands.nps_digest:render_demo",
        single="reports.cli.commands.nps_digest:render_single",
    ),
    DocumentKind(
        name="board-report",
        description="Quarterly board report (PDF + PPTX).",
        command="reports.cli.commands.board_report:command",
        job_options=_LEADERSHIP_JOB_OPTIONS,
        folder="leadership",
        demo=f"{_LEADERSHIP}:render_demo",
        single=f"{_LEADERSHIP}:render_single",
        files=f"{_LEADERSHIP}:board_report_files",
    ),
    DocumentKind(
        name="weekly-email",
        description="Weekly leadership email: files, .eml, dry run or SMTP.",
        command="reports.cli.commands.weekly_email:command",
        job_options=("week", "notes", "folder"),
        demo="reports.cli.commands.weekly_email:render_demo",
        single="reports.cli.commands.weekly_email:render_single",
    ),
)
"""Every document kind, in the order the demo renders them and messages list them."""

KINDS: dict[str, DocumentKind] = {kind.name: kind for kind in DOCUMENT_KINDS}


def document_kind(name: str) -> DocumentKind:
    """The kind called ``name``; raises ``ValueError`` listing the known names.

    >>> document_kind("nps-digest").folder
    'nps'
    """
    try:
        return KINDS[name]
    except KeyError:
        raise ValueError(f"unknown document kind {name!r} (one of {', '.join(KINDS)})") from None


def batch_kinds() -> tuple[DocumentKind, ...]:
    """The kinds a job file may list."""
    return tuple(kind for kind in DOCUMENT_KINDS if kind.in_batch)


def demo_kinds() -> tuple[DocumentKind, ...]:
    """The kinds ``csreports demo`` renders, in order."""
    return tuple(kind for kind in DOCUMENT_KINDS if kind.in_demo)


def leadership_kinds() -> tuple[DocumentKind, ...]:
    """The kinds written by the shared leadership writer (those with :attr:`DocumentKind.files`)."""
    return tuple(kind for kind in DOCUMENT_KINDS if kind.files is not None)
