"""``csreports weekly-email``: the weekly leadership email, as files, .eml, a dry run, or sent.

The command parses options, builds the context for one ISO week, renders
it and then, depending on the mode:

- (default) writes ``email/weekly-<week>.html``, ``.txt`` and ``.eml`` into ``--out``, and
  ``manifest.json`` with the figures each shows;
- ``--eml DIR`` writes only the ``.eml`` into DIR, with a ``manifest.json``
  listing the figures it shows;
- ``--dry-run`` prints subject, sender, recipients and the text version;
- ``--send`` delivers it over SMTP (settings from the environment or
  ``--env-file`` only), unless the ledger in the state folder says this week
  already went to this recipient list (``--force`` sends anyway).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

import click

from cs_calc.weekly import IsoWeek, last_complete_week
from reports.cli.types import LOCALE, WEEK, examples
from reports.documents.email import context as email_context
from reports.errors import CsReportsError
from reports.output.files import ensure_out_dir, path_inside, safe_slug, write_bytes_atomic
from reports.output.manifest import Manifest
from reports.pipeline import RunContext

if TYPE_CHECKING:
    from reports.batch.job import DocumentSpec
    from reports.documents.kinds import DocumentKind


def check_modes(send: bool, eml_dir: Path | None, dry_run: bool, force: bool, env_file: Path | None) -> str:
    """The output mode ('files', 'send', 'eml', 'dry-run'); raises UsageError for bad combinations."""
    chosen = [
        name for name, on in (("--send", send), ("--eml", eml_dir is not None), ("--dry-run", dry_run)) if on
    ]
    if len(chosen) > 1:
        raise click.UsageError(f"{' and '.join(chosen)} cannot be combined; choose one")
    if force and not send:
        raise click.UsageError("--force only applies with --send")
    if env_file is not None and not send:
        raise click.UsageError("--env-file only applies with --send")
    return (
        {"--send": "send", "--eml": "eml", "--dry-run": "dry-run"}.get(chosen[0], "files")
        if chosen
        else "files"
    )


def default_week(zone) -> IsoWeek:
    """The last complete ISO week in ``zone``."""
    return last_complete_week(email_context.today_in(zone))


def default_data_week(tables, zone) -> IsoWeek:
    """The week of a run without ``--week``: the last complete ISO week that has data,
    but never after the last complete week in ``zone`` (:func:`default_week`).

    Data exported a while ago (or the bundled sample) then gives its own last
    week instead of an error about the current one; raises :class:`CsReportsError`
    when the data has no complete week.
    """
    from cs_calc.weekly import last_week_with_data

    latest = last_week_with_data(tables)
    if latest is None:
        raise CsReportsError("no complete ISO week in the MRR data; give one with --week YYYY-Www")
    current = default_week(zone)
    return current if current.start < latest.start else latest


def file_stem(week: IsoWeek) -> str:
    return safe_slug("weekly", week.label)


def build_email(
    run: RunContext, week: IsoWeek, *, config, notes_path, template_dirs, recipients, sender, date=None
):
    """Context, rendered email and message for ``week``."""
    from reports.documents.email.message import build_message
    from reports.documents.email.render import render_email

    notes = email_context.load_notes(notes_path, week)
    ctx = email_context.build_weekly_context(run, week, config=config, notes=notes)
    rendered = render_email(ctx, template_dirs=template_dirs)
    msg = build_message(
        rendered,
        week=week,
        sender_address=sender,
        sender_name=config.sender_name,
        recipients=recipients,
        zone=config.zone,
        date=date,
    )
    return ctx, rendered, msg


PLACEHOLDER_SENDER = "cs-weekly@example.com"
"""From: address of files and dry runs when CSREPORTS_MAIL_FROM is not set."""


def _sender_for_files() -> str:
    import os

    from reports.documents.email.config import check_address

    value = os.environ.get("CSREPORTS_MAIL_FROM", "").strip()
    return check_address(value, "CSREPORTS_MAIL_FROM") if value else PLACEHOLDER_SENDER


def email_figures(ctx: email_context.WeeklyContext, *, subject: bool = True) -> list[dict]:
    """The manifest ``figures`` of the email: the body's, then the subject's (one record per key and way
    printed); ``subject=False`` for the HTML and text files, which have no subject line."""
    from reports.output.figures import figure_records

    return figure_records((*ctx.figures, *(ctx.subject_figures if subject else ())))


def write_email_files(
    out_dir: Path,
    week: IsoWeek,
    rendered,
    msg,
    manifest: Manifest | None,
    inputs_hash: str,
    ctx: email_context.WeeklyContext | None = None,
) -> list[Path]:
    """Write HTML, text and .eml under ``out_dir/email/``; add them to ``manifest`` with the figures of
    ``ctx`` (:func:`email_figures`): the body's for the HTML and text, the subject's too for the .eml."""
    from reports.documents.email.message import message_bytes

    stem = file_stem(week)
    written = []
    for suffix, data in (
        (".html", rendered.html.encode("utf-8")),
        (".txt", rendered.text.encode("utf-8")),
        (".eml", message_bytes(msg)),
    ):
        path = path_inside(out_dir, f"email/{stem}{suffix}")
        write_bytes_atomic(path, data)
        written.append(path)
        if manifest is not None:
            figures = None if ctx is None else email_figures(ctx, subject=suffix == ".eml")
            manifest.add_file("weekly-email", path, inputs_hash=inputs_hash, figures=figures)
    return written


@click.command(
    "weekly-email",
    epilog=examples(
        "csreports weekly-email --dry-run",
        "csreports weekly-email --week 2026-W43 --out ./mail",
        "csreports weekly-email --week 2026-W43 --send --env-file smtp.env",
    ),
)
@click.option(
    "--week",
    type=WEEK,
    help="ISO week (YYYY-Www, e.g. 2026-W43). Default: the last complete week with data.",
)
@click.option(
    "--send", is_flag=True, help="Send over SMTP (settings from CSREPORTS_SMTP_* / CSREPORTS_MAIL_FROM)."
)
@click.option(
    "--eml",
    "eml_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write only the .eml (and its manifest.json) into DIR.",
)
@click.option("--dry-run", is_flag=True, help="Print subject, recipients and the text version; send nothing.")
@click.option(
    "--to", "to", multiple=True, metavar="ADDR", help="Recipient (repeatable); replaces the configured list."
)
@click.option(
    "--notes",
    "notes_path",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The CS leader's weekly notes (YAML).",
)
@click.option(
    "--env-file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="File of CSREPORTS_* settings (KEY=VALUE) for --send.",
)
@click.option(
    "--state",
    "state_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the send ledger. Default: config state_dir, else <out>/.state.",
)
@click.option("--force", is_flag=True, help="With --send: send even if the ledger says this week was sent.")
@click.option(
    "--locale",
    type=LOCALE,
    help="Language and number format. Default: email.yaml's locale.",
)
@click.pass_obj
def command(
    obj: dict,
    week: str | None,
    send: bool,
    eml_dir: Path | None,
    dry_run: bool,
    to: tuple[str, ...],
    notes_path: Path | None,
    env_file: Path | None,
    state_dir: Path | None,
    force: bool,
    locale: str | None,
) -> int:
    """The weekly leadership email: metrics, narrative and at-risk list for one ISO week."""
    from reports.data.settings import load_settings
    from reports.documents.email import ledger
    from reports.documents.email.config import check_address, load_email_config
    from reports.documents.email.message import message_bytes
    from reports.pipeline import load_dataset

    mode = check_modes(send, eml_dir, dry_run, force, env_file)
    config = load_email_config(obj["config_dir"])
    if locale:
        config = replace(config, locale=locale)
    recipients = [check_address(a, "--to") for a in to] if to else list(config.recipients)
    if not recipients:
        raise CsReportsError("no recipients: list them under 'recipients' in email.yaml or pass --to ADDR")
    template_dirs = [obj["templates_dir"]] if obj["templates_dir"] else []
    out_dir: Path = obj["out_dir"]
    settings = load_settings(obj["config_dir"])
    dataset = None
    if week:
        iso_week = IsoWeek.parse(week)
    else:
        dataset = load_dataset(obj["data"], settings)
        iso_week = default_data_week(dataset.tables, config.zone)
        click.echo(
            f"No --week given: {iso_week.label} ({iso_week.start:%Y-%m-%d} to {iso_week.end:%Y-%m-%d}), "
            "the last complete week with data.",
            err=True,
        )

    def prepare() -> RunContext:
        return _run_for(
            dataset if dataset is not None else load_dataset(obj["data"], settings), settings, iso_week
        )

    if mode != "send":
        if mode != "dry-run":
            ensure_out_dir(eml_dir if mode == "eml" and eml_dir is not None else out_dir)
        run = prepare()
        ctx, rendered, msg = build_email(
            run,
            iso_week,
            config=config,
            notes_path=notes_path,
            template_dirs=template_dirs,
            recipients=recipients,
            sender=_sender_for_files(),
        )
        if mode == "dry-run":
            click.echo(f"Subject: {msg['Subject']}")
            click.echo(f"From: {msg['From']}")
            click.echo(f"To: {', '.join(recipients)}")
            click.echo(f"Week: {iso_week.label} ({iso_week.start:%Y-%m-%d} to {iso_week.end:%Y-%m-%d})")
            click.echo("")
            click.echo(rendered.text, nl=False)
            return 0
        run_info = run.provenance | {"command": "weekly-email", "week": iso_week.label}
        if mode == "eml":
            assert eml_dir is not None  # --eml DIR sets the mode
            path = path_inside(eml_dir, f"{file_stem(iso_week)}.eml")
            write_bytes_atomic(path, message_bytes(msg))
            manifest = Manifest(eml_dir, run=run_info)
            manifest.add_file(
                "weekly-email", path, inputs_hash=run.dataset.input_hash, figures=email_figures(ctx)
            )
            manifest.write()
            click.echo(f"Wrote {path}")
            return 0
        manifest = Manifest(out_dir, run=run_info)
        paths = write_email_files(out_dir, iso_week, rendered, msg, manifest, run.dataset.input_hash, ctx)
        manifest.write()
        click.echo(f"Weekly email for {iso_week.label}: {msg['Subject']}")
        for path in paths:
            click.echo(f"  {path}")
        return 0

    from reports.documents.email.send import load_smtp_settings, send_message

    smtp = load_smtp_settings(env_file=env_file)
    state = state_dir or config.state_dir or (out_dir / ".state")
    with ledger.ledger_lock(state):
        previous = ledger.sent_entry(state, iso_week.label, recipients)
        if previous and not force:
            click.echo(
                f"Already sent {iso_week.label} to these {len(recipients)} recipients "
                f"at {previous.get('sent_at')} (ledger {Path(state) / ledger.LEDGER_NAME}); "
                "nothing to do. Use --force to send again."
            )
            return 0
        _ctx, rendered, msg = build_email(
            prepare(),
            iso_week,
            config=config,
            notes_path=notes_path,
            template_dirs=template_dirs,
            recipients=recipients,
            sender=smtp.mail_from,
            date=dt.datetime.now(config.zone).replace(microsecond=0),
        )
        result = send_message(msg, smtp, recipients, log=lambda line: click.echo(f"  {line}", err=True))
        ledger.record_sent(
            state, iso_week.label, recipients, message_id=str(msg["Message-ID"]), refused=result.refused
        )
    click.echo(
        f"Sent {iso_week.label} to {len(result.accepted)} of {len(recipients)} recipients: {msg['Subject']}"
    )
    if result.refused:
        for address, reason in result.refused.items():
            click.echo(f"Refused: {address} ({reason})", err=True)
        click.echo(
            f"Error: {len(result.refused)} recipient(s) refused; "
            "the others got the email and the ledger records it.",
            err=True,
        )
        return 3
    return 0


def _run_for(dataset, settings, week: IsoWeek) -> RunContext:
    """The command's run: its window is the 12 months ending the week's MRR month
    (:meth:`RunContext.for_week`, which names the last week with data when ``week`` has none)."""
    return RunContext.for_week(dataset, settings, week)


def render_demo(
    kind: DocumentKind,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
    locale: str = "en",
) -> None:
    """The sample's last complete data week as HTML, text and .eml in ``out/email/``, in ``locale``
    unless email.yaml names a language other than English."""
    from cs_calc.weekly import last_week_with_data
    from reports.documents.email.config import load_email_config

    week = last_week_with_data(run.dataset.tables)
    if week is None:
        manifest.add_failure(kind.name, "no complete week in the data")
        return
    config = load_email_config(run.settings.config_dirs.user_dir)
    if locale != "en":
        config = replace(config, locale=locale)
    # No notes: the example file states facts about its own week and team that the
    # reader's data would contradict; the demo shows what csreports itself writes.
    notes: Path | None = None
    try:
        ctx, rendered, msg = build_email(
            run,
            week,
            config=config,
            notes_path=notes,
            template_dirs=list(template_dirs),
            recipients=list(config.recipients),
            sender=PLACEHOLDER_SENDER,
        )
        write_email_files(out_dir, week, rendered, msg, manifest, run.dataset.input_hash, ctx)
    except CsReportsError as exc:
        manifest.add_failure(kind.name, str(exc))


def render_single(
    kind: DocumentKind,
    spec: DocumentSpec,
    run: RunContext,
    out_dir: Path,
    manifest: Manifest,
    template_dirs: tuple[Path, ...],
) -> None:
    """One job entry: its week (default: the last complete week with data) into its folder."""
    from cs_calc.weekly import last_week_with_data
    from reports.documents.email.config import load_email_config

    week = IsoWeek.parse(spec.week) if spec.week else last_week_with_data(run.dataset.tables)
    if week is None:
        raise CsReportsError("no complete week in the data")
    config = load_email_config(run.settings.config_dirs.user_dir)
    ctx, rendered, msg = build_email(
        run,
        week,
        config=config,
        notes_path=spec.notes,
        template_dirs=list(template_dirs),
        recipients=list(config.recipients),
        sender=_sender_for_files(),
    )
    folder = out_dir / spec.folder if spec.folder else out_dir
    write_email_files(folder, week, rendered, msg, manifest, run.dataset.input_hash, ctx)
