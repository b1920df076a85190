"""``csreports approve`` and ``csreports hold``: decisions about a run's documents before delivery."""

from __future__ import annotations

import getpass
from pathlib import Path

import click

from reports.cli.types import examples

OUT = click.Path(exists=True, file_okay=False, path_type=Path)


def _who(by: str | None) -> str:
    if by:
        return by
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no user name in the environment or the password database
        raise click.UsageError("say who decides with --by NAME") from None


def _decide(out: Path, status: str, verb: str, by: str | None, reason: str = "", **choice) -> int:
    from reports.cli.commands.review import write_page_line
    from reports.review.decide import choose_files, decide, describe
    from reports.review.manifest_file import read_run

    run = read_run(out)
    chosen = choose_files(run.files, **choice)
    outcome = decide(run, chosen, status, by=_who(by), reason=reason)
    for line in describe(outcome, verb, out):
        click.echo(line)
    write_page_line(out)
    return 1 if outcome.refused else 0


@click.command(
    "approve",
    epilog=examples(
        "csreports approve ./q3 --segment Scaled --by 'Anna Silva'",
        "csreports approve ./q3 --account A-00140 --account A-00249",
        "csreports approve ./q3 --all",
    ),
)
@click.argument("out", type=OUT)
@click.option("--account", "accounts", multiple=True, metavar="ID", help="Account id; repeat for several.")
@click.option("--segment", help="Every file of accounts in this segment.")
@click.option("--csm", help="Every file of this CSM id's accounts.")
@click.option("--all", "everything", is_flag=True, help="Every file of the run.")
@click.option("--by", metavar="NAME", help="Who approves. Default: your user name.")
def approve(
    out: Path,
    accounts: tuple[str, ...],
    segment: str | None,
    csm: str | None,
    everything: bool,
    by: str | None,
) -> int:
    """Approve a run's documents for delivery (recorded in manifest.json and review-log.jsonl)."""
    return _decide(
        out, "approved", "approved", by, accounts=accounts, segment=segment, csm=csm, everything=everything
    )


@click.command(
    "hold",
    epilog=examples("csreports hold ./q3 --account A-00140 --reason 'renewal call first'"),
)
@click.argument("out", type=OUT)
@click.option(
    "--account",
    "accounts",
    multiple=True,
    required=True,
    metavar="ID",
    help="Account id; repeat for several.",
)
@click.option("--reason", required=True, help="Why, for whoever reviews next.")
@click.option("--by", metavar="NAME", help="Who holds. Default: your user name.")
def hold(out: Path, accounts: tuple[str, ...], reason: str, by: str | None) -> int:
    """Hold an account's documents back from delivery, with the reason."""
    if not reason.strip():
        raise click.UsageError("--reason must say why")
    return _decide(out, "held", "held", by, reason=reason.strip(), accounts=accounts)
