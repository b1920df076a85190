"""``csreports accounts``: the account ids of --data with name, segment and CSM.

The ids to give ``qbr --account``, and the segment and CSM names that
``--segment`` and ``--csm`` take. Plain aligned text, the first ``--limit``
rows and a count of the rest (``--all`` lists every one); ``--format csv``
writes every matching row to standard output.
"""

from __future__ import annotations

import csv
import io

import click
import pandas as pd

from reports.cli.types import examples
from reports.errors import CsReportsError

COLUMNS = ("account_id", "name", "segment", "csm_id", "csm_name")
"""Columns of the listing, in order; ``csm_name`` is empty without a ``csms`` table."""
HEADERS = ("ID", "NAME", "SEGMENT", "CSM", "CSM NAME")
NAME_WIDTH = 40
"""Longer names are cut to this many characters (with ``…``) in the text listing."""


def list_accounts(
    accounts: pd.DataFrame,
    csms: pd.DataFrame | None = None,
    *,
    segment: str | None = None,
    csm: str | None = None,
    search: str | None = None,
) -> pd.DataFrame:
    """The accounts matching every given filter, sorted by id, with :data:`COLUMNS`.

    ``segment`` and ``csm`` (a CSM id) match whole values, case aside; an
    unknown one raises :class:`CsReportsError` naming those that exist.
    ``search`` matches part of the id or the name, case aside. No match
    gives an empty frame.
    """
    table = accounts.copy()
    for column in ("segment", "csm_id"):
        if column not in table:
            table[column] = None
    names = {}
    if csms is not None and {"csm_id", "name"} <= set(csms.columns):
        names = dict(zip(csms["csm_id"].astype(str), csms["name"].astype(str), strict=False))
    table["csm_name"] = table["csm_id"].map(
        lambda value: names.get(str(value), "") if pd.notna(value) else ""
    )
    if segment:
        table = table[_matches(table["segment"], segment, "segment")]
    if csm:
        table = table[_matches(table["csm_id"], csm, "CSM id")]
    if search:
        needle = search.lower()
        hit = table["account_id"].astype(str).str.lower().str.contains(needle, regex=False) | table[
            "name"
        ].astype(str).str.lower().str.contains(needle, regex=False)
        table = table[hit]
    table = table.sort_values("account_id")[list(COLUMNS)]
    return table.fillna("").astype(str).reset_index(drop=True)


def _matches(values: pd.Series, wanted: str, what: str) -> pd.Series:
    known = sorted({str(v) for v in values.dropna()})
    if wanted.lower() not in {k.lower() for k in known}:
        raise CsReportsError(f"{what} {wanted!r} is not one of {', '.join(known) or '(none in the data)'}")
    return values.astype(str).str.lower() == wanted.lower()


def format_table(rows: pd.DataFrame, limit: int | None) -> list[str]:
    """Aligned text lines: a header, the first ``limit`` rows (all when ``None``), then
    ``and M more`` when rows were left out.

    >>> rows = pd.DataFrame([["A-1", "Acme", "Scaled", "C-1", "Ann"]] * 3, columns=COLUMNS)
    >>> format_table(rows, 2)[-1]
    '… and 1 more (--all lists every one, --format csv writes them all)'
    """
    shown = rows if limit is None else rows.head(limit)
    cells = [list(HEADERS)] + [[_cut(str(v)) for v in row] for row in shown.itertuples(index=False)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADERS))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in cells
    ]
    rest = len(rows) - len(shown)
    if rest:
        lines.append(f"… and {rest} more (--all lists every one, --format csv writes them all)")
    return lines


def _cut(text: str) -> str:
    return text if len(text) <= NAME_WIDTH else text[: NAME_WIDTH - 1] + "…"


@click.command(
    "accounts",
    epilog=examples(
        "csreports accounts --search river",
        "csreports accounts --segment Strategic --all",
        "csreports accounts --csm CSM-SCA-01 --format csv > scaled.csv",
    ),
)
@click.option("--segment", help="Only this segment's accounts (e.g. Strategic).")
@click.option("--csm", metavar="ID", help="Only this CSM's accounts (a CSM id, e.g. CSM-SCA-01).")
@click.option("--search", metavar="TEXT", help="Only accounts whose id or name contains TEXT (case aside).")
@click.option(
    "--limit", type=click.IntRange(1), default=20, show_default=True, help="Rows of the text listing."
)
@click.option("--all", "show_all", is_flag=True, help="List every matching account.")
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["text", "csv"]),
    default="text",
    show_default=True,
    help="text: aligned columns; csv: every matching row, to standard output.",
)
@click.pass_obj
def command(
    obj: dict,
    segment: str | None,
    csm: str | None,
    search: str | None,
    limit: int,
    show_all: bool,
    file_format: str,
) -> int:
    """List account ids with name, segment and CSM: the ids qbr --account takes."""
    from reports.data.settings import load_settings
    from reports.pipeline import load_dataset

    dataset = load_dataset(obj["data"], load_settings(obj["config_dir"]))
    rows = list_accounts(
        dataset.tables["accounts"], dataset.tables.get("csms"), segment=segment, csm=csm, search=search
    )
    if file_format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(COLUMNS)
        writer.writerows(rows.itertuples(index=False))
        click.echo(buffer.getvalue(), nl=False)
        return 0
    if rows.empty:
        click.echo("No account matches.")
        return 0
    for line in format_table(rows, None if show_all else limit):
        click.echo(line)
    return 0
