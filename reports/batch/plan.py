"""Expand a :class:`~reports.batch.job.Job` into tasks: one per QBR account, one per single document.

The plan is cheap to hold: for QBRs it keeps one small row per account (id,
output paths, template digest); the accounts' data is cut out only when
their chunk of tasks is about to be submitted (:meth:`Plan.qbr_chunks` is a
generator), so memory does not grow with the number of decks.

Each task has an ``inputs_hash``: for a QBR, the hash of the account's
:class:`~reports.documents.qbr.context.AccountData` slice, the PPTX master's sha256, the
QBR config, the options, the output paths, the bundled/user templates and the
csreports version, computed by the worker that receives the slice
(:func:`reports.batch.worker.task_hashes`), so hashing scales with the
workers; for a single document, the dataset's input hash, the period, its
options, the configs and templates. ``--resume`` reuses a task's files when
the recorded hash is unchanged and the files are intact.

Everything the QBR tasks share (masters, configs, options, paths) is one
:class:`~reports.batch.worker.Shared` sent to each worker once; a chunk of
tasks is the output paths and a few ids per task, plus its accounts' rows
packed as one frame per table.

A QBR's provenance line shows the first 12 hex digits of its account slice's
hash (not the whole dataset's), so changing one account changes only that
account's deck, and a resumed run redoes only that deck.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from itertools import chain, islice, repeat
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from reports import __version__
from reports.batch.hashing import files_hash, inputs_hash
from reports.batch.job import DocumentSpec, Job
from reports.batch.worker import QbrChunk, QbrOptions, QbrTask, Shared
from reports.errors import JobError
from reports.output.files import safe_slug
from reports.resources import bundled_templates_dir

if TYPE_CHECKING:
    from reports.pipeline import RunContext

_EXTENSIONS = {"qbr-pptx": "pptx", "qbr-pdf": "pdf", "qbr-follow-up": "eml"}


@dataclass(frozen=True)
class SingleTask:
    """A portfolio-wide document (leadership report, NPS digest, weekly email), rendered once."""

    seq: int
    spec: DocumentSpec
    inputs_hash: str

    @property
    def document(self) -> str:
        return self.spec.kind


@dataclass(frozen=True)
class QbrRow:
    """One planned QBR: light enough to keep for every account."""

    seq: int
    spec_index: int
    account_id: str
    segment: str | None
    outputs: tuple[tuple[str, str], ...]
    template_sha: str


@dataclass
class Plan:
    """Every task of a run, in a stable order (singles first, then QBRs by job entry and account id)."""

    run: RunContext
    job: Job
    out_dir: Path
    templates_dir: Path | None
    singles: list[SingleTask]
    qbr_rows: list[QbrRow]
    shared: Shared
    """PPTX masters, QBR options and paths: shipped once to each worker."""

    @property
    def total(self) -> int:
        return len(self.singles) + len(self.qbr_rows)

    def qbr_row(self, seq: int) -> QbrRow:
        """The QBR row at plan position ``seq``."""
        row = self.qbr_rows[seq - len(self.singles)]
        assert row.seq == seq, (row.seq, seq)
        return row

    @property
    def templates(self) -> Mapping[str, bytes]:
        """PPTX masters by sha256."""
        return self.shared.templates

    def qbr_chunks(
        self, sizes: int | Iterable[int], previous: Mapping[str, dict[str, Any]] | None = None
    ) -> Iterator[QbrChunk]:
        """The QBR tasks in chunks of ``sizes`` tasks (one size for all, or each chunk's in turn; the
        last chunk takes what is left when the sizes run out), each carrying only its accounts' data;
        built lazily.

        ``previous`` (``--resume``): earlier manifest entries by path; each task
        carries those of its outputs so the worker can check and reuse them.
        """
        from reports.documents.qbr.context import AccountIndex

        index = AccountIndex(self.run)
        key = self.shared.key
        rows = iter(self.qbr_rows)
        each = repeat(sizes) if isinstance(sizes, int) else chain(sizes, repeat(max(1, len(self.qbr_rows))))
        while batch := list(islice(rows, next(each))):
            heads = []
            for row in batch:
                earlier: tuple[dict[str, Any], ...] = ()
                if previous:
                    earlier = tuple(previous[path] for _doc, path in row.outputs if path in previous)
                heads.append(
                    QbrTask(
                        seq=row.seq,
                        account_id=row.account_id,
                        spec_index=row.spec_index,
                        template_sha=row.template_sha,
                        outputs=row.outputs,
                        data=None,
                        shared_key=key,
                        previous=earlier,
                    )
                )
            yield QbrChunk(tuple(heads), index.account_slices([row.account_id for row in batch]))


def output_path(pattern: str, document: str, values: dict[str, str]) -> str:
    """The relative path of one QBR file from the job's ``output`` pattern.

    Every value is a safe slug; a fixed extension in the pattern is replaced
    by the file's own (``.pdf`` for the leave-behind).

    >>> output_path("qbr/{segment}/{slug}.pptx", "qbr-pdf", {"segment": "scaled", "slug": "a-1-acme"})
    'qbr/scaled/a-1-acme.pdf'
    >>> output_path("qbr/{slug}.{ext}", "qbr-follow-up", {"slug": "a-1-acme"})
    'qbr/a-1-acme-follow-up.eml'
    """
    ext = _EXTENSIONS[document]
    slug = values.get("slug", "") + ("-follow-up" if document == "qbr-follow-up" else "")
    fields = {**values, "slug": slug, "ext": ext}
    if document == "qbr-follow-up" and "{slug}" not in pattern:
        fields["account_id"] = values.get("account_id", "") + "-follow-up"
    text = pattern.format(**fields)
    path = PurePosixPath(text)
    if "{ext}" not in pattern:
        path = (
            path.with_suffix(f".{ext}")
            if path.suffix in (".pptx", ".pdf", ".eml")
            else path.parent / (path.name + f".{ext}")
        )
    return str(path)


def _select(job: Job, spec_index: int, spec: DocumentSpec, run: RunContext) -> list[dict[str, Any]]:
    from reports.documents.qbr.run import paying_at_end

    accounts = run.dataset.tables["accounts"]
    where = f"documents[{spec_index}].accounts"
    problems: list[str] = []
    chosen = accounts
    wanted = spec.accounts
    if wanted.ids:
        known = set(accounts["account_id"].astype(str))
        unknown = [a for a in wanted.ids if a not in known]
        if unknown:
            problems.append(f"{job.path}: {where}.ids: unknown account id(s): {', '.join(unknown)}")
        chosen = chosen[chosen["account_id"].astype(str).isin(wanted.ids)]
    if wanted.csms:
        known_csms = set(run.dataset.tables["csms"]["csm_id"].astype(str))
        unknown = [c for c in wanted.csms if c not in known_csms]
        if unknown:
            problems.append(f"{job.path}: {where}.csm: unknown CSM id(s): {', '.join(unknown)}")
        chosen = chosen[chosen["csm_id"].astype(str).isin(wanted.csms)]
    if wanted.segments:
        chosen = chosen[chosen["segment"].isin(wanted.segments)]
    if wanted.regions:
        chosen = chosen[chosen["region"].isin(wanted.regions)]
    if not wanted.ids:  # a selection by filters: its customers (accounts named by id are rendered anyway)
        chosen = chosen[chosen["account_id"].astype(str).isin(paying_at_end(run.metrics.accounts))]
    if not problems and chosen.empty:
        problems.append(
            f"{job.path}: {where}: no account with MRR at the end of the period matches the selection"
        )
    if problems:
        raise JobError("\n".join(problems))
    return chosen.sort_values("account_id").to_dict("records")


def _single_hash(spec: DocumentSpec, run: RunContext, configs_hash: str, templates_hash: str) -> str:
    return inputs_hash(
        __version__, spec, run.dataset.input_hash, run.window.label, configs_hash, templates_hash
    )


def make_plan(job: Job, run: RunContext, out_dir: Path, *, templates_dir: Path | None = None) -> Plan:
    """Every task of ``job`` over ``run``; selection problems raise :class:`JobError` before any work."""
    from reports.documents.qbr.config import load_qbr_config
    from reports.documents.qbr.run import find_template, master_problems
    from reports.render.pptx.deck import template_bytes

    templates_hash = files_hash([bundled_templates_dir(), *([templates_dir] if templates_dir else [])])
    configs_hash = files_hash(list(run.settings.config_dirs.search_path), "*.yaml")
    singles: list[SingleTask] = []
    rows: list[QbrRow] = []
    templates: dict[str, bytes] = {}
    template_of: dict[str | None, str] = {}
    options: dict[int, QbrOptions] = {}
    seq = 0
    for spec in job.documents:
        if spec.kind != "qbr":
            singles.append(SingleTask(seq, spec, _single_hash(spec, run, configs_hash, templates_hash)))
            seq += 1
    problems: list[str] = []
    seen: dict[str, str] = {}
    masters_checked: set[str | None] = set()
    quarter = safe_slug(run.window.label)
    slugs, id_slugs = run.dataset.account_slugs, run.dataset.account_id_slugs
    for spec_index, spec in enumerate(job.documents):
        if spec.kind != "qbr":
            continue
        config = load_qbr_config(run.settings.config_dirs, run.settings.branding)
        if spec.deck:
            config = dataclasses.replace(config, deck_by_segment={}, default_deck=spec.deck)
        options[spec_index] = QbrOptions(
            config=config,
            audience=spec.audience,
            locale=spec.locale,
            update_from=str(spec.update_from) if spec.update_from else None,
        )
        documents = [f"qbr-{f}" for f in spec.formats] + (["qbr-follow-up"] if spec.follow_up else [])
        try:
            accounts = _select(job, spec_index, spec, run)
        except JobError as exc:
            problems.append(str(exc))
            continue
        for account in accounts:
            segment = account.get("segment")
            segment = None if segment is None or segment != segment else str(segment)
            if "pptx" in spec.formats and segment not in masters_checked:
                masters_checked.add(segment)
                problems += master_problems([segment], templates_dir)
            if segment not in template_of:
                blob = template_bytes(find_template(segment, templates_dir))
                sha = hashlib.sha256(blob).hexdigest()
                templates[sha] = blob
                template_of[segment] = sha
            account_id = str(account["account_id"])
            suffix = "" if spec.audience == "customer" else "-internal"
            values = {
                "segment": safe_slug(segment),
                "region": safe_slug(account.get("region")),
                "csm": safe_slug(account.get("csm_id")),
                "account_id": id_slugs[account_id],
                "slug": slugs[account_id] + suffix,
                "quarter": quarter,
                "audience": spec.audience,
                "locale": spec.locale,
            }
            outputs = tuple((doc, output_path(spec.output, doc, values)) for doc in documents)
            for _doc, path in outputs:
                if path in seen and len(problems) < 5:
                    problems.append(
                        f"{job.path}: documents[{spec_index}].output: {path!r} would be written twice "
                        f"(accounts {seen[path]} and {account_id}); add {{slug}}, {{audience}} or {{locale}} to the pattern"
                    )
                seen[path] = account_id
            rows.append(QbrRow(seq, spec_index, account_id, segment, outputs, template_of[segment]))
            seq += 1
    if problems:
        raise JobError("\n".join(problems))
    out = Path(out_dir)
    where = (str(out), str(templates_dir) if templates_dir else None)
    shared = Shared(
        key=inputs_hash(__version__, where, sorted(templates), options, templates_hash)[:16],
        out_dir=where[0],
        templates_dir=where[1],
        templates=templates,
        options=options,
        templates_hash=templates_hash,
    )
    return Plan(
        run=run,
        job=job,
        out_dir=out,
        templates_dir=templates_dir,
        singles=singles,
        qbr_rows=rows,
        shared=shared,
    )
