"""The ``csreports`` command line.

Each command parses its options, calls one library function and maps errors
to exit codes: 0 all rendered, 1 bad input or usage, 3 some documents failed.
"""

from __future__ import annotations

import signal
import sys
import threading
from pathlib import Path

import click

from reports import __version__
from reports.cli.commands.global_options import add_global_options, before_command
from reports.cli.types import LOCALE, MONTH, QUARTER, examples
from reports.errors import CsReportsError, Terminated
from reports.output.files import ensure_out_dir


class _Cli(click.Group):
    """Group whose errors print one clear message and exit 1 (or the error's code).

    Document commands come from :mod:`reports.documents.kinds` and are imported
    when first asked for (:data:`reports.cli.commands.LAZY_COMMANDS`): a command
    pays only for its own imports, and so do the worker processes of
    ``csreports run``, which import this module again. Every command takes the
    global options after its name too (:func:`add_global_options`).
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        from reports.cli.commands import LAZY_COMMANDS

        return sorted({*self.commands, *LAZY_COMMANDS})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        from reports.cli.commands import LAZY_COMMANDS, load_command

        if cmd_name not in self.commands and cmd_name in LAZY_COMMANDS:
            self.add_command(load_command(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(add_global_options(cmd), name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list; document kinds are described by the registry, without importing them."""
        from reports.cli.commands import DESCRIPTIONS
        from reports.documents.kinds import KINDS

        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(map(len, names))
        rows = []
        for name in names:
            if name in KINDS or name in DESCRIPTIONS:
                rows.append((name, KINDS[name].description if name in KINDS else DESCRIPTIONS[name]))
                continue
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, command.get_short_help_str(limit)))
        if rows:
            with formatter.section("Commands"):
                formatter.write_dl(rows)

    def main(self, *args, standalone_mode: bool = True, **kwargs):
        in_main_thread = threading.current_thread() is threading.main_thread()
        previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main_thread else None
        try:
            result = super().main(*args, standalone_mode=False, **kwargs)  # type: ignore[call-overload]
        except click.exceptions.Abort as exc:
            if isinstance(exc.__cause__, KeyboardInterrupt):
                terminated = isinstance(exc.__cause__, Terminated)
                click.echo(f"Interrupted ({'SIGTERM' if terminated else 'Ctrl-C'}).", err=True)
                sys.exit(128 + (signal.SIGTERM if terminated else signal.SIGINT))
            click.echo("Aborted.", err=True)
            sys.exit(1)
        except click.ClickException as exc:
            if not standalone_mode:
                raise
            exc.show()
            sys.exit(1)
        except CsReportsError as exc:
            if not standalone_mode:
                raise
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        finally:
            if in_main_thread:
                signal.signal(signal.SIGTERM, previous)
        if standalone_mode:
            sys.exit(result if isinstance(result, int) else 0)
        return result


def _raise_terminated(signum: int, frame: object) -> None:
    """SIGTERM (a scheduler stopping the job, ``kill``): stop the way Ctrl-C does."""
    raise Terminated()


@click.group(
    cls=_Cli,
    context_settings={"help_option_names": ["-h", "--help"]},
    epilog=examples(
        "csreports demo --out ./demo",
        "csreports accounts --search river",
        "csreports qbr --account A-00140 --quarter 2026-Q3 --out ./decks",
    ),
)
@click.version_option(__version__, prog_name="csreports")
@before_command
@click.pass_context
def cli(
    ctx: click.Context, data: str | None, config_dir: Path | None, templates_dir: Path | None, out_dir: Path
) -> None:
    """Customer Success documents from your data: QBR decks, leadership reports, weekly emails."""
    ctx.obj = {"data": data, "config_dir": config_dir, "templates_dir": templates_dir, "out_dir": out_dir}


@cli.command(
    epilog=examples(
        "csreports validate",
        "csreports validate --data ./exports",
        "csreports validate --data postgresql://cs@db/cs",
    ),
)
@click.pass_obj
def validate(obj: dict) -> int:
    """Check the data against the contract; list every problem; exit 1 if any."""
    from reports.data.settings import load_settings
    from reports.pipeline import load_dataset

    settings = load_settings(obj["config_dir"])
    dataset = load_dataset(obj["data"], settings)
    counts = ", ".join(f"{name} {rows:,}" for name, rows in dataset.row_counts.items() if rows)
    click.echo(f"OK: {dataset.source} follows the data contract ({counts} rows).")
    return 0


@cli.command(
    epilog=examples(
        "csreports metrics --quarter 2026-Q3 --out metrics",
        "csreports metrics --start 2026-01 --end 2026-06 --format parquet",
    ),
)
@click.option("--start", type=MONTH, help="First month of the window (YYYY-MM).")
@click.option("--end", type=MONTH, help="Last month of the window (YYYY-MM).")
@click.option("--quarter", type=QUARTER, help="A calendar quarter instead of --start/--end.")
@click.option(
    "--format", "file_format", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
@click.pass_obj
def metrics(obj: dict, start: str | None, end: str | None, quarter: str | None, file_format: str) -> int:
    """Write portfolio.csv, accounts.csv and movements.csv for a window."""
    from reports.output.metrics_files import write_metrics
    from reports.pipeline import prepare_run

    out_dir = ensure_out_dir(obj["out_dir"])
    run = prepare_run(obj["data"], config_dir=obj["config_dir"], quarter=quarter, start=start, end=end)
    manifest = write_metrics(run, out_dir, file_format)
    click.echo(f"Metrics for {run.window.label} written to {out_dir}/ ({len(manifest.entries)} files).")
    return 0


@cli.command(
    "sample-data",
    epilog=examples(
        "csreports sample-data --out ./big",
        "csreports sample-data --accounts 2000 --months 36 --end-month 2026-09 --out ./big",
        "csreports sample-data --usage monthly --format parquet --seed 7 --out ./monthly",
    ),
)
@click.option("--accounts", "n_accounts", type=click.IntRange(1), default=400, show_default=True)
@click.option("--months", type=click.IntRange(2), default=27, show_default=True)
@click.option("--seed", type=int, default=42, show_default=True)
@click.option("--end-month", type=MONTH, default="2026-10", show_default=True, help="Last month of data.")
@click.option(
    "--usage",
    "usage_frequency",
    type=click.Choice(["weekly", "monthly"]),
    default="weekly",
    show_default=True,
)
@click.option(
    "--format", "file_format", type=click.Choice(["csv", "parquet"]), default="csv", show_default=True
)
@click.pass_obj
def sample_data(
    obj: dict, n_accounts: int, months: int, seed: int, end_month: str, usage_frequency: str, file_format: str
) -> int:
    """Generate a realistic synthetic dataset that follows the data contract."""
    from reports.data.sample_data import SampleSpec, generate_sample, write_sample

    spec = SampleSpec(
        accounts=n_accounts, months=months, seed=seed, end_month=end_month, usage_frequency=usage_frequency
    )
    out_dir = ensure_out_dir(obj["out_dir"])
    tables = generate_sample(spec)
    write_sample(tables, out_dir, file_format)
    click.echo(f"Sample data ({n_accounts} accounts, {months} months, seed {seed}) written to {out_dir}/.")
    return 0


@cli.command(
    epilog=examples(
        "csreports demo",
        "csreports demo --locale de --out ./demo-de --quarter 2026-Q2",
        "csreports demo --data ./exports --out ./my-demo",
    ),
)
@click.option("--quarter", type=QUARTER, help="Quarter to report on. Default: the last complete one.")
@click.option("--locale", type=LOCALE, default="en", show_default=True, help="Language of every document.")
@click.pass_obj
def demo(obj: dict, quarter: str | None, locale: str) -> int:
    """Render every document for the bundled sample (or --data) into --out."""
    from reports.cli.demo import INTERNAL_WARNING, is_internal, open_first, run_demo

    out_dir = ensure_out_dir(obj["out_dir"])
    run, manifest = run_demo(
        obj["data"],
        out_dir,
        config_dir=obj["config_dir"],
        templates_dir=obj["templates_dir"],
        quarter=quarter,
        locale=locale,
        progress=lambda name: click.echo(f"  {name} ...", err=True),
    )
    click.echo(f"Demo for {run.window.label}: {len(manifest.entries)} files in {out_dir.resolve()}/")
    for entry in manifest.entries:
        click.echo(f"  {entry.path}")
    picks = open_first(manifest)
    if picks:
        click.echo("Open first:")
        for path, what in picks:
            click.echo(f"  {(out_dir / path).resolve()}  ({what})")
    if any(entry.path and is_internal(entry.path) for entry in manifest.entries):
        click.echo(f"Warning: {INTERNAL_WARNING}")
    return 3 if manifest.failed else 0


def main() -> None:
    """Console-script entry point."""
    cli.main(prog_name="csreports")
