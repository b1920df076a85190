"""Churn-reason breakdowns for leadership documents.

Every function takes the lost-MRR table of :func:`cs_calc.churn.attribute_lost_mrr`
(one row per churn or contraction movement: ``lost_mrr`` positive, in the
reporting currency; ``churn_type`` full/partial; ``reason`` and its flags) and
rearranges it. Nothing is dropped: rows without a reason are ``unclassified``
and rows without a group value are grouped as ``"(none)"``, so every breakdown
sums exactly to the lost MRR of its input. *Lost logos* are distinct accounts
with a full churn.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from cs_calc.churn import ChurnTaxonomy, attribute_lost_mrr, summarise_lost_mrr
from cs_calc.periods import Window

NONE_LABEL = "(none)"


def _filled(lost: pd.DataFrame, column: str) -> pd.Series:
    values = lost[column].astype(object)
    blank = values.isna() | (values.astype(str).str.strip() == "")
    return values.where(~blank, NONE_LABEL)


def lost_by_reason(lost: pd.DataFrame, taxonomy: ChurnTaxonomy) -> pd.DataFrame:
    """Lost MRR and logos per reason, largest first.

    Columns: ``reason, reason_label, avoidable, vague, lost_mrr, lost_logos,
    movements, share`` (share of the total lost MRR, a fraction; NaN when
    nothing was lost). Reasons with no loss are left out. Empty input gives
    an empty frame with these columns.

    >>> tax = ChurnTaxonomy(())
    >>> rows = pd.DataFrame({"account_id": ["a", "b"], "churn_type": ["full", "partial"],
    ...     "lost_mrr": [30.0, 10.0], "reason": ["x", "x"], "reason_label": ["X", "X"],
    ...     "avoidable": [True, True], "vague": [False, False]})
    >>> lost_by_reason(rows, tax)[["reason", "lost_mrr", "lost_logos", "share"]].values.tolist()
    [['x', 40.0, 1, 1.0]]
    """
    columns = ["reason", "reason_label", "avoidable", "vague", "lost_mrr", "lost_logos", "movements", "share"]
    if lost.empty:
        return pd.DataFrame(columns=columns)
    summary = summarise_lost_mrr(lost, ["reason", "reason_label", "avoidable", "vague"])
    total = float(lost["lost_mrr"].sum())
    summary["share"] = summary["lost_mrr"] / total if total else float("nan")
    order = {r.code: i for i, r in enumerate(taxonomy.reasons)}
    summary["_order"] = summary["reason"].map(lambda c: order.get(c, len(order)))
    summary = summary.sort_values(["lost_mrr", "_order"], ascending=[False, True], kind="stable")
    return summary.drop(columns="_order").reset_index(drop=True)[columns]


def lost_by(lost: pd.DataFrame, column: str, order: Sequence[str] = ()) -> pd.DataFrame:
    """Lost MRR, logos and movements per value of ``column`` (e.g. ``segment``).

    Values listed in ``order`` come first in that order (those with no loss
    are shown with zeros); others follow, largest first. Blank values are
    ``"(none)"``. Columns: ``group, lost_mrr, lost_logos, movements, share``.

    >>> rows = pd.DataFrame({"account_id": ["a", "b"], "churn_type": ["full", "partial"],
    ...     "lost_mrr": [30.0, 10.0], "segment": ["S", None]})
    >>> lost_by(rows, "segment", ["S", "T"])[["group", "lost_mrr"]].values.tolist()
    [['S', 30.0], ['T', 0.0], ['(none)', 10.0]]
    """
    frame = lost.assign(group=_filled(lost, column)) if not lost.empty else lost.assign(group=[])
    summary = summarise_lost_mrr(frame, ["group"])
    known = [g for g in order if g not in set(summary["group"])]
    if known:
        zeros = pd.DataFrame({"group": known, "lost_mrr": 0.0, "lost_logos": 0, "movements": 0})
        summary = pd.concat([summary, zeros], ignore_index=True) if len(summary) else zeros
    rank = {g: i for i, g in enumerate(order)}
    summary["_rank"] = summary["group"].map(lambda g: rank.get(g, len(rank)))
    summary = summary.sort_values(["_rank", "lost_mrr"], ascending=[True, False], kind="stable")
    total = float(summary["lost_mrr"].sum())
    summary["share"] = summary["lost_mrr"] / total if total else float("nan")
    return summary.drop(columns="_rank").reset_index(drop=True)


def reason_crosstab(lost: pd.DataFrame, column: str, order: Sequence[str] = ()) -> pd.DataFrame:
    """Lost MRR per reason (rows, by ``reason_label``) × value of ``column`` (columns).

    Column order follows ``order`` then the rest alphabetically; a ``total``
    column and row are added. Missing combinations are 0.

    >>> rows = pd.DataFrame({"lost_mrr": [30.0, 10.0], "reason_label": ["X", "Y"],
    ...     "tenure": ["first_year", "tenured"]})
    >>> reason_crosstab(rows, "tenure").loc["total"].tolist()
    [30.0, 10.0, 40.0]
    """
    if lost.empty:
        return pd.DataFrame(columns=[*order, "total"], index=pd.Index(["total"], name="reason_label")).fillna(
            0.0
        )
    frame = lost.assign(_group=_filled(lost, column))
    table = frame.pivot_table(
        index="reason_label", columns="_group", values="lost_mrr", aggfunc="sum", fill_value=0.0
    )
    present = list(table.columns)
    columns = list(order) + sorted(c for c in present if c not in order)
    table = table.reindex(columns=columns, fill_value=0.0).astype("float64")
    table["total"] = table.sum(axis=1)
    table = table.sort_values("total", ascending=False, kind="stable")
    table.loc["total"] = table.sum(axis=0)
    table.columns.name = None
    return table


def lost_mrr_trend(
    movements: pd.DataFrame,
    events: pd.DataFrame,
    accounts: pd.DataFrame,
    taxonomy: ChurnTaxonomy,
    quarters: Sequence[Window],
) -> pd.DataFrame:
    """Lost MRR per quarter: ``quarter, full_mrr, partial_mrr, lost_mrr, lost_logos``
    plus one column per reason code (lost MRR), for each of ``quarters``.

    Quarters with no loss have zeros. Reasons are attributed exactly as in
    :func:`cs_calc.churn.attribute_lost_mrr`, so the row of the report's own
    quarter equals the report's lost MRR.
    """
    codes = [r.code for r in taxonomy.reasons]
    if not quarters:
        return pd.DataFrame(columns=["quarter", "full_mrr", "partial_mrr", "lost_mrr", "lost_logos", *codes])
    span = Window(quarters[0].start, quarters[-1].end)
    lost = attribute_lost_mrr(movements, events, accounts, taxonomy, span)
    rows = []
    for quarter in quarters:
        part = lost[lost["quarter"] == quarter.label]
        row = {
            "quarter": quarter.label,
            "full_mrr": float(part.loc[part["churn_type"] == "full", "lost_mrr"].sum()),
            "partial_mrr": float(part.loc[part["churn_type"] == "partial", "lost_mrr"].sum()),
            "lost_mrr": float(part["lost_mrr"].sum()),
            "lost_logos": int(part.loc[part["churn_type"] == "full", "account_id"].nunique()),
        }
        by_reason = part.groupby("reason")["lost_mrr"].sum()
        for code in codes:
            row[code] = float(by_reason.get(code, 0.0))
        rows.append(row)
    return pd.DataFrame(rows)


def verbatims(lost: pd.DataFrame, reason: str, limit: int = 8) -> pd.DataFrame:
    """The churn notes behind ``reason``, largest lost MRR first (at most ``limit``).

    Rows without a note are kept (the note is empty) so the page shows every
    account behind the top of the reason. Columns: ``account_id, name, month,
    churn_type, lost_mrr, reason_detail, competitor, replaced_by``.
    """
    part = lost[lost["reason"] == reason]
    part = part.sort_values(["lost_mrr", "account_id"], ascending=[False, True], kind="stable")
    columns = [
        "account_id",
        "name",
        "month",
        "churn_type",
        "lost_mrr",
        "reason_detail",
        "competitor",
        "replaced_by",
    ]
    return part.head(limit)[columns].reset_index(drop=True)


def avoidability_summary(lost: pd.DataFrame) -> pd.DataFrame:
    """Lost MRR and logos split into ``avoidable``, ``unavoidable`` and ``needs a real reason``.

    Vague reasons (``other``, ``no budget``, ``unclassified``) are the third
    group whatever their avoidable flag, so the three rows sum to the total.
    Columns: ``group, lost_mrr, lost_logos, movements, share``.

    >>> rows = pd.DataFrame({"account_id": ["a", "b"], "churn_type": ["full", "full"],
    ...     "lost_mrr": [30.0, 10.0], "avoidable": [True, False], "vague": [False, True]})
    >>> avoidability_summary(rows)[["group", "lost_mrr"]].values.tolist()
    [['avoidable', 30.0], ['unavoidable', 0.0], ['vague', 10.0]]
    """
    if lost.empty:
        frame = lost.assign(group=[])
    else:
        group = lost["avoidable"].map(lambda a: "avoidable" if a else "unavoidable")
        frame = lost.assign(group=group.where(~lost["vague"].astype(bool), "vague"))
    return lost_by(frame, "group", ["avoidable", "unavoidable", "vague"])
