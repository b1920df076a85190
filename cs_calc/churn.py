"""Churn reasons: lost MRR and lost logos attributed to a reason taxonomy.

Lost MRR in a window is the churn plus contraction movements in it (positive
amounts, reporting currency). Each movement is matched to the account's churn
event nearest in time (within :data:`MATCH_DAYS`): full churn to a ``full``
event, contraction to a ``partial`` one. The event's ``reason_code`` is used
when the taxonomy knows it; otherwise the keyword rules of the taxonomy are
tried on the code and the free-text detail; what still has no reason, and
movements with no event, are ``unclassified``. Nothing is dropped, so reason
totals sum exactly to the lost MRR of the window.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.periods import Window, quarter_label

UNCLASSIFIED = "unclassified"
MATCH_DAYS = 45


@dataclass(frozen=True)
class ChurnReason:
    """One reason of the taxonomy."""

    code: str
    label: str
    """The English name (the code when none is given): the ``reason_label`` of every table."""
    avoidable: bool
    vague: bool = False
    keywords: tuple[str, ...] = ()
    labels: tuple[tuple[str, str], ...] = ()
    """(language code, name) pairs, e.g. ("sv", "Pris / budget"), for documents in that language."""

    def label_in(self, locale: str) -> str:
        """The name in ``locale`` (its language, e.g. "sv" for "sv_SE"), else the English one.

        >>> ChurnReason("price", "Price", True, labels=(("sv", "Pris"),)).label_in("sv_SE")
        'Pris'
        """
        names = dict(self.labels)
        return names.get(locale) or names.get(locale[:2]) or self.label


@dataclass(frozen=True)
class ChurnTaxonomy:
    """Reasons in display order; ``unclassified`` is always last."""

    reasons: tuple[ChurnReason, ...]

    def by_code(self) -> dict[str, ChurnReason]:
        return {r.code: r for r in self.reasons}

    def labels_in(self, locale: str) -> dict[str, str]:
        """English label -> the label in ``locale``, to translate a table's ``reason_label``."""
        return {r.label: r.label_in(locale) for r in self.reasons}


def churn_taxonomy_from_mapping(mapping: Mapping) -> ChurnTaxonomy:
    """Parse ``configs/churn_reasons.yaml``; unknown keys raise ValueError."""
    unknown = set(mapping) - {"reasons"}
    if unknown:
        raise ValueError(f"churn_reasons: unknown key {sorted(unknown)[0]!r} (allowed: reasons)")
    reasons = []
    for code, spec in (mapping.get("reasons") or {}).items():
        extra = set(spec) - {"label", "avoidable", "vague", "keywords"}
        if extra:
            raise ValueError(f"churn_reasons.reasons.{code}: unknown key {sorted(extra)[0]!r}")
        label = spec.get("label") or {}
        labels = {"en": str(label)} if isinstance(label, str) else {str(k): str(v) for k, v in label.items()}
        reasons.append(
            ChurnReason(
                code=str(code),
                label=labels.get("en", str(code)),
                labels=tuple(labels.items()),
                avoidable=bool(spec.get("avoidable", False)),
                vague=bool(spec.get("vague", False)),
                keywords=tuple(str(k).lower() for k in spec.get("keywords", ())),
            )
        )
    if not any(r.code == UNCLASSIFIED for r in reasons):
        reasons.append(
            ChurnReason(
                UNCLASSIFIED,
                "Unclassified",
                avoidable=False,
                vague=True,
                labels=(("en", "Unclassified"), ("sv", "Oklassificerad"), ("de", "Nicht zugeordnet")),
            )
        )
    return ChurnTaxonomy(tuple(reasons))


def classify_churn_reasons(events: pd.DataFrame, taxonomy: ChurnTaxonomy) -> pd.Series:
    """Reason code per churn event: its own code if known, else a keyword match, else unclassified.

    >>> tax = churn_taxonomy_from_mapping({"reasons": {"competitor": {"keywords": ["switched to"]}}})
    >>> ev = pd.DataFrame({"reason_code": ["competitor", None, "x"],
    ...     "reason_detail": [None, "We switched to Rival", "no idea"]})
    >>> classify_churn_reasons(ev, tax).tolist()
    ['competitor', 'competitor', 'unclassified']
    """
    known = taxonomy.by_code()
    codes = events["reason_code"].astype(object).where(events["reason_code"].notna(), None)
    normalised = codes.map(lambda c: str(c).strip().lower().replace(" ", "_") if c is not None else None)
    result = normalised.where(normalised.isin(list(known)), None)
    text = (
        codes.fillna("").astype(str) + " " + events["reason_detail"].astype(object).fillna("").astype(str)
    ).str.lower()
    for reason in taxonomy.reasons:
        if not reason.keywords or reason.code == UNCLASSIFIED:
            continue
        pattern = re.compile("|".join(rf"\b{re.escape(k)}" for k in reason.keywords))
        hit = result.isna() & text.str.contains(pattern)
        result = result.where(~hit, reason.code)
    return result.fillna(UNCLASSIFIED).astype(object)


def attribute_lost_mrr(
    movements: pd.DataFrame,
    events: pd.DataFrame,
    accounts: pd.DataFrame,
    taxonomy: ChurnTaxonomy,
    window: Window,
) -> pd.DataFrame:
    """One row per churn or contraction movement in ``window``, with its reason.

    Columns: ``account_id, name, month, quarter, churn_type`` (full/partial),
    ``lost_mrr`` (positive), ``reason, reason_label, avoidable, vague,
    reason_detail, competitor, replaced_by, segment, region, tenure``
    (``first_year`` if the account started less than 12 months before the
    movement, else ``tenured``).
    """
    lost = movements[
        movements["movement"].isin(["churn", "contraction"])
        & (movements["month"] >= window.start)
        & (movements["month"] <= window.end)
    ].copy()
    lost["churn_type"] = np.where(lost["movement"] == "churn", "full", "partial")
    lost["lost_mrr"] = -lost["amount"]
    lost = lost.drop(columns=["movement", "amount"])
    events = events.assign(reason=classify_churn_reasons(events, taxonomy))
    events = events.assign(churn_type=events["type"].fillna("full"))
    matched = _match_events(lost, events)
    by_code = taxonomy.by_code()
    matched["reason"] = matched["reason"].fillna(UNCLASSIFIED)
    matched["reason_label"] = matched["reason"].map(lambda c: by_code[c].label)
    matched["avoidable"] = matched["reason"].map(lambda c: by_code[c].avoidable)
    matched["vague"] = matched["reason"].map(lambda c: by_code[c].vague)
    info = accounts.set_index("account_id")
    matched["name"] = matched["account_id"].map(info["name"])
    matched["segment"] = matched["account_id"].map(info["segment"])
    matched["region"] = matched["account_id"].map(info["region"])
    started = matched["account_id"].map(info["start_date"])
    first_year = started > (matched["month"] - pd.DateOffset(months=12))
    matched["tenure"] = np.where(first_year, "first_year", "tenured")
    matched["quarter"] = matched["month"].map(quarter_label)
    columns = [
        "account_id",
        "name",
        "month",
        "quarter",
        "churn_type",
        "lost_mrr",
        "reason",
        "reason_label",
        "avoidable",
        "vague",
        "reason_detail",
        "competitor",
        "replaced_by",
        "segment",
        "region",
        "tenure",
    ]
    return matched.sort_values(["month", "account_id"], kind="stable").reset_index(drop=True)[columns]


def _match_events(lost: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    details = ["reason", "reason_detail", "competitor", "replaced_by"]
    parts = []
    for churn_type in ("full", "partial"):
        left = lost[lost["churn_type"] == churn_type].sort_values("month")
        right = events[events["churn_type"] == churn_type].sort_values("effective_date")
        # merge_asof insists on identical key dtypes (str vs object).
        left = left.assign(account_id=left["account_id"].astype(object))
        right = right.assign(account_id=right["account_id"].astype(object))
        if left.empty:
            continue
        merged = pd.merge_asof(
            left,
            right[["account_id", "effective_date", *details]],
            left_on="month",
            right_on="effective_date",
            by="account_id",
            direction="nearest",
            tolerance=pd.Timedelta(days=MATCH_DAYS),
        )
        parts.append(merged.drop(columns=["effective_date"]))
    if not parts:
        return lost.assign(**{c: pd.Series(dtype=object) for c in details})
    return pd.concat(parts, ignore_index=True)


def summarise_lost_mrr(lost: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Lost MRR and lost logos (distinct fully churned accounts) per group.

    Returns columns ``by + [lost_mrr, lost_logos, movements]`` sorted by
    ``lost_mrr`` descending.
    """
    if lost.empty:
        return pd.DataFrame(columns=[*by, "lost_mrr", "lost_logos", "movements"])
    full = lost.assign(_logo=lost["account_id"].where(lost["churn_type"] == "full"))
    summary = full.groupby(by, dropna=False).agg(
        lost_mrr=("lost_mrr", "sum"), lost_logos=("_logo", "nunique"), movements=("lost_mrr", "size")
    )
    return (
        summary.reset_index().sort_values("lost_mrr", ascending=False, kind="stable").reset_index(drop=True)
    )
