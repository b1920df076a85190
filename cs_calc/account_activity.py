"""One account's activity by month: usage, tickets and NPS, for account reviews.

Pure functions over one account's rows of the contract tables (they also
work on many accounts' rows, summing across them). Months are first-of-month
Timestamps; a window's ends are both included.

Each measure comes twice: a function over the contract table (a DataFrame)
and the array function it calls, for callers that already hold the columns
as NumPy arrays (the QBR context reads each column of an account once):

- :func:`monthly_usage` / :func:`monthly_values`: a usage metric per month,
  aggregated ``mean`` (e.g. weekly active users -> the month's mean), ``sum``
  (events) or ``last`` (seats purchased at month end). Months without rows
  are NaN.
- :func:`tickets_by_month` / :func:`monthly_ticket_counts`: ticket counts per
  month and priority.
- :func:`ticket_stats` / :func:`ticket_stats_of`: count, P0 count, median
  hours to resolve and mean CSAT of tickets created in ``[start, end_exclusive)``.
- :func:`nps_by_quarter` / :func:`nps_per_period`: NPS and response count per
  quarter (the rules of ``compute_nps``).
- :func:`top_themes`: the themes an account's comments name most, with the
  tone of those comments (:func:`comment_tone`, from the response's score and
  the sentiment :func:`cs_calc.text.themes.tag_comments` finds).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cs_calc.nps import PASSIVE_FROM, PROMOTER_FROM, compute_nps, nps_score, responses_in
from cs_calc.periods import Window

PRIORITIES = ("P0", "P1", "P2", "P3")
_PRIORITY_COLUMN = {p: j for j, p in enumerate(PRIORITIES)}
_SECONDS_PER_HOUR = 3600


def _month_starts(dates: np.ndarray) -> np.ndarray:
    """First-of-month ``datetime64[ns]`` of each date (NaT stays NaT)."""
    return dates.astype("datetime64[M]").astype("datetime64[ns]")


def _as_months(months: pd.DatetimeIndex | np.ndarray) -> np.ndarray:
    return np.asarray(months, dtype="datetime64[ns]")


def _kahan_add(total: float, compensation: float, value: float) -> tuple[float, float]:
    """One step of the compensated sum pandas' grouped ``mean``/``sum`` use (same results)."""
    y = value - compensation
    t = total + y
    compensation = t - total - y
    if compensation != compensation:
        compensation = 0.0
    return t, compensation


def monthly_values(
    dates: np.ndarray, values: np.ndarray, months: np.ndarray, how: str = "mean"
) -> np.ndarray:
    """``values`` aggregated per calendar month of ``dates``, one float per entry of ``months``.

    ``dates`` is ``datetime64[ns]`` (NaT rows are ignored), ``values`` float64
    in the metric's own unit (NaN values are skipped), ``months`` the
    first-of-month ``datetime64[ns]`` wanted, in any order. ``how``: ``mean``
    and ``sum`` use the compensated summation of a pandas groupby (the same
    floats), ``last`` keeps the latest-dated non-null value (ties: the later
    row). A month without rows is NaN; a month whose rows are all NaN sums to
    0.0 (like pandas) and is NaN for ``mean`` and ``last``.

    >>> d = np.array(["2026-01-05", "2026-01-12", "2026-02-02"], dtype="datetime64[ns]")
    >>> m = np.array(["2026-01-01", "2026-02-01", "2026-03-01"], dtype="datetime64[ns]")
    >>> monthly_values(d, np.array([10.0, 20.0, 30.0]), m, "mean").tolist()
    [15.0, 30.0, nan]
    """
    if how not in ("mean", "sum", "last"):
        raise KeyError(how)
    months = _as_months(months)
    out = np.full(len(months), np.nan)
    if not len(dates):
        return out
    month_of = _month_starts(dates)
    inside = (month_of >= months.min()) & (month_of <= months.max())  # other months are skipped below
    if not inside.any():
        return out
    dates, values, month_of = dates[inside], values[inside], month_of[inside]
    order = np.argsort(dates, kind="stable")
    month_keys = month_of[order].astype("int64").tolist()
    ordered = values[order].tolist()
    # per month: [sum, compensation, count, last non-null]
    acc: dict[int, list] = {}
    for month, value in zip(month_keys, ordered, strict=True):
        slot = acc.get(month)
        if slot is None:
            slot = acc[month] = [0.0, 0.0, 0, math.nan]
        if value == value:
            slot[0], slot[1] = _kahan_add(slot[0], slot[1], value)
            slot[2] += 1
            slot[3] = value
    for position, month in enumerate(months.astype("int64").tolist()):
        slot = acc.get(month)
        if slot is None:
            continue
        total, _compensation, count, last = slot
        if how == "sum":
            out[position] = total
        elif how == "mean":
            out[position] = total / count if count else math.nan
        else:
            out[position] = last
    return out


def monthly_usage(usage: pd.DataFrame, metric: str, months: pd.DatetimeIndex, how: str = "mean") -> pd.Series:
    """``metric`` per month over ``months`` (NaN where no rows); see :func:`monthly_values`.

    >>> u = pd.DataFrame({"date": pd.to_datetime(["2026-01-05", "2026-01-12", "2026-02-02"]),
    ...     "metric": "active_users", "value": [10.0, 20.0, 30.0]})
    >>> monthly_usage(u, "active_users", pd.date_range("2026-01-01", periods=3, freq="MS")).tolist()
    [15.0, 30.0, nan]
    """
    if how not in ("mean", "sum", "last"):
        raise KeyError(how)
    selected = (usage["metric"] == metric).to_numpy(dtype=bool)
    if not selected.any():
        return pd.Series(np.nan, index=months, dtype="float64")
    dates = usage["date"].to_numpy(dtype="datetime64[ns]")[selected]
    values = usage["value"].to_numpy(dtype="float64", na_value=np.nan)[selected]
    out = monthly_values(dates, values, _as_months(months), how)
    return pd.Series(out, index=months, dtype="float64", name="value")


def _priority_column(priority: object) -> int | None:
    if priority is None or priority is pd.NA or (isinstance(priority, float) and priority != priority):
        return _PRIORITY_COLUMN["P3"]
    return _PRIORITY_COLUMN.get(priority)  # type: ignore[call-overload]  # any hashable cell value


def monthly_ticket_counts(
    created: np.ndarray, priorities: Sequence[object], months: np.ndarray
) -> np.ndarray:
    """Tickets created per month (rows, aligned with ``months``) and priority (columns P0–P3).

    ``created`` is ``datetime64[ns]``; a missing priority counts as P3, an
    unknown one is not counted. Returns an int64 array of shape
    ``(len(months), 4)``, zeros where none.

    >>> c = np.array(["2026-07-01 08:00", "2026-07-09", "2026-09-30"], dtype="datetime64[ns]")
    >>> m = np.array(["2026-07-01", "2026-08-01"], dtype="datetime64[ns]")
    >>> monthly_ticket_counts(c, ["P0", None, "P1"], m).tolist()
    [[1, 0, 0, 1], [0, 0, 0, 0]]
    """
    months = _as_months(months)
    counts = np.zeros((len(months), len(PRIORITIES)), dtype="int64")
    if not len(created):
        return counts
    rows = {m: i for i, m in enumerate(months.astype("int64").tolist())}
    month_of = _month_starts(created).astype("int64").tolist()
    for month, priority in zip(month_of, priorities, strict=True):
        row = rows.get(month)
        if row is None:
            continue
        col = _priority_column(priority)
        if col is not None:
            counts[row, col] += 1
    return counts


def tickets_by_month(tickets: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    """Tickets created per month (rows) and priority (columns P0–P3), zeros where none."""
    if tickets.empty:
        return pd.DataFrame(0, index=months, columns=list(PRIORITIES))
    counts = monthly_ticket_counts(
        tickets["created_at"].to_numpy(dtype="datetime64[ns]"),
        tickets["priority"].tolist(),
        _as_months(months),
    )
    return pd.DataFrame(counts, index=months, columns=pd.Index(list(PRIORITIES), name="priority"))


@dataclass(frozen=True)
class TicketStats:
    """Tickets created in a period: counts, median hours to resolve, mean CSAT (1–5)."""

    tickets: int
    p0: int
    median_hours_to_resolve: float
    """Over resolved tickets; NaN when none is resolved."""
    csat: float
    """Mean of the CSAT answers (1–5); NaN when none."""
    csat_responses: int


def ticket_stats_of(
    created: np.ndarray,
    resolved: np.ndarray,
    priorities: np.ndarray,
    csat: np.ndarray,
    start: np.datetime64,
    end_exclusive: np.datetime64,
) -> TicketStats:
    """Stats of tickets with ``start <= created < end_exclusive``, from the ticket columns as arrays.

    ``created`` and ``resolved`` are ``datetime64[ns]`` (NaT: not resolved),
    ``priorities`` an object array of "P0"…"P3", ``csat`` float64 (1–5, NaN:
    no answer). Hours to resolve are over resolved tickets. No ticket in the
    period gives zeros and NaN.

    >>> c = np.array(["2026-07-01 08:00", "2026-07-02 08:00"], dtype="datetime64[ns]")
    >>> r = np.array(["2026-07-01 10:00", "NaT"], dtype="datetime64[ns]")
    >>> s = ticket_stats_of(c, r, np.array(["P0", "P2"], dtype=object), np.array([5.0, np.nan]),
    ...     np.datetime64("2026-07-01", "ns"), np.datetime64("2026-10-01", "ns"))
    >>> (s.tickets, s.p0, s.median_hours_to_resolve, s.csat, s.csat_responses)
    (2, 1, 2.0, 5.0, 1)
    """
    mask = (created >= start) & (created < end_exclusive)
    if not mask.any():
        return TicketStats(0, 0, float("nan"), float("nan"), 0)
    delta = resolved[mask] - created[mask]
    resolved_in = delta[~np.isnat(delta)].astype("int64")
    scores = csat[mask]
    scores = scores[~np.isnan(scores)]
    return TicketStats(
        tickets=int(mask.sum()),
        p0=int((priorities[mask] == "P0").sum()),
        median_hours_to_resolve=(
            float(np.median(resolved_in / 1_000_000_000 / _SECONDS_PER_HOUR))
            if len(resolved_in)
            else float("nan")
        ),
        csat=float(scores.sum() / len(scores)) if len(scores) else float("nan"),
        csat_responses=len(scores),
    )


def ticket_stats(tickets: pd.DataFrame, start: pd.Timestamp, end_exclusive: pd.Timestamp) -> TicketStats:
    """Stats of tickets with ``start <= created_at < end_exclusive``; empty input gives zeros and NaN."""
    return ticket_stats_of(
        tickets["created_at"].to_numpy(dtype="datetime64[ns]"),
        tickets["resolved_at"].to_numpy(dtype="datetime64[ns]"),
        tickets["priority"].to_numpy(dtype=object),
        tickets["csat"].to_numpy(dtype="float64", na_value=np.nan),
        np.datetime64(start, "ns"),
        np.datetime64(end_exclusive, "ns"),
    )


def _nps_of(keys: list[tuple], scores: list[float], contacts: list) -> tuple[float, int]:
    """NPS and responses of the rows given, counting each contact's latest response once.

    Same rules as :func:`cs_calc.nps.compute_nps`: the latest response per
    contact by ``(responded_at, response_id)``, ties to the later row; rows
    without a contact each count.
    """
    latest: dict = {}
    counted: list[float] = []
    for key, score, contact in zip(keys, scores, contacts, strict=True):
        if contact is None:
            counted.append(score)
        else:
            previous = latest.get(contact)
            if previous is None or key >= previous[0]:
                latest[contact] = (key, score)
    counted.extend(score for _key, score in latest.values())
    if not counted:
        return float("nan"), 0
    promoters = sum(1 for v in counted if v >= PROMOTER_FROM)
    detractors = sum(1 for v in counted if not v >= PASSIVE_FROM)
    return nps_score(promoters, detractors, len(counted)), len(counted)


def nps_per_period(
    responded: np.ndarray,
    response_ids: Sequence[str],
    contacts: Sequence[object],
    scores: np.ndarray,
    periods: Sequence[tuple[np.datetime64, np.datetime64]],
) -> list[tuple[float, int]]:
    """NPS (−100 to 100) and responses counted, per ``[start, end_exclusive)`` period.

    ``responded`` is ``datetime64[ns]``, ``response_ids`` strings (none
    missing: ties on the time go to the larger id), ``contacts`` the contact
    ids with None where a response has none (each such response counts),
    ``scores`` float64 0–10. Within a period only each contact's latest
    response counts. A period without responses gives ``(nan, 0)``.

    >>> when = np.array(["2026-07-10", "2026-08-10"], dtype="datetime64[ns]")
    >>> q3 = (np.datetime64("2026-07-01", "ns"), np.datetime64("2026-10-01", "ns"))
    >>> nps_per_period(when, ["r1", "r2"], ["c1", "c1"], np.array([3.0, 10.0]), [q3])
    [(100.0, 1)]
    """
    stamps = responded.astype("int64").tolist()
    values = scores.tolist()
    result = []
    for start, end_exclusive in periods:
        inside = np.flatnonzero((responded >= start) & (responded < end_exclusive)).tolist()
        result.append(
            _nps_of(
                [(stamps[i], response_ids[i]) for i in inside],
                [values[i] for i in inside],
                [contacts[i] for i in inside],
            )
        )
    return result


def quarter_bounds(quarters: Sequence[Window]) -> list[tuple[np.datetime64, np.datetime64]]:
    """``[first day, first day after)`` of each window, as ``datetime64[ns]`` pairs."""
    return [
        (np.datetime64(q.start, "ns"), np.datetime64(q.end + pd.DateOffset(months=1), "ns")) for q in quarters
    ]


def nps_by_quarter(nps: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    """NPS (−100 to 100) and responses per quarter label; NaN NPS where no responses."""
    ids = nps["response_id"].tolist()
    if any(pd.isna(i) for i in ids):  # the fast path orders ids as strings
        return _nps_by_quarter_frames(nps, quarters)
    results = nps_per_period(
        nps["responded_at"].to_numpy(dtype="datetime64[ns]"),
        ids,
        [None if pd.isna(c) else c for c in nps["contact_id"].tolist()],
        nps["score"].to_numpy(dtype="float64"),
        quarter_bounds(quarters),
    )
    rows = [(q.label, value, responses) for q, (value, responses) in zip(quarters, results, strict=True)]
    return pd.DataFrame(rows, columns=["quarter", "nps", "responses"]).set_index("quarter")


def _nps_by_quarter_frames(nps: pd.DataFrame, quarters: Sequence[Window]) -> pd.DataFrame:
    rows = []
    for quarter in quarters:
        after = quarter.end + pd.DateOffset(months=1)
        result = compute_nps(responses_in(nps, quarter.start, after))
        if result.empty:
            rows.append((quarter.label, float("nan"), 0))
        else:
            rows.append((quarter.label, float(result["nps"].iloc[0]), int(result["responses"].iloc[0])))
    return pd.DataFrame(rows, columns=["quarter", "nps", "responses"]).set_index("quarter")


def comment_tone(score: float, sentiment: str) -> str:
    """How a comment speaks of what it names: ``positive``, ``negative`` or ``neutral``.

    ``score`` is the response's NPS score (0–10), ``sentiment`` the comment's
    sentiment label (positive, neutral, negative). Either signal can say a
    comment is negative: a detractor's comment (0–6) or a comment whose
    sentiment is negative counts as negative; otherwise a promoter's comment
    (9–10) or one whose sentiment is positive counts as positive; the rest
    (passives with neutral comments, or a missing score) are neutral.

    >>> comment_tone(6, "positive"), comment_tone(10, "negative"), comment_tone(8, "positive"), comment_tone(8, "neutral")
    ('negative', 'negative', 'positive', 'neutral')
    """
    detractor = score == score and score < PASSIVE_FROM
    if detractor or sentiment == "negative":
        return "negative"
    if score >= PROMOTER_FROM or sentiment == "positive":
        return "positive"
    return "neutral"


@dataclass(frozen=True)
class ThemeMentions:
    """How often an account's comments name one theme, and how they speak of it."""

    theme: str
    """Theme id from the taxonomy."""
    mentions: int
    """Comments naming the theme."""
    positive: int
    """Of those, comments whose tone (:func:`comment_tone`) is positive."""
    negative: int
    """Of those, comments whose tone is negative (the rest are neutral)."""

    @property
    def tone(self) -> str:
        """``positive`` or ``negative`` when those comments outnumber the other kind, ``mixed`` when
        both are equally many, ``neutral`` when the comments are neither."""
        if self.positive > self.negative:
            return "positive"
        if self.negative > self.positive:
            return "negative"
        return "mixed" if self.positive else "neutral"


def top_themes(themes: Sequence[Sequence[str]], tones: Sequence[str], limit: int = 3) -> list[ThemeMentions]:
    """The ``limit`` themes named in most comments, most first (ties by theme id).

    ``themes`` holds the theme ids of each comment (as
    :func:`cs_calc.text.themes.tag_comments` finds them) and ``tones`` its
    :func:`comment_tone`. A comment counts once per theme it names. No
    comment naming a theme gives ``[]``.

    >>> top = top_themes([("pricing",), ("pricing", "support"), ()], ["negative", "positive", "neutral"])
    >>> [(t.theme, t.mentions, t.positive, t.negative, t.tone) for t in top]
    [('pricing', 2, 1, 1, 'mixed'), ('support', 1, 1, 0, 'positive')]
    """
    counts: dict[str, list[int]] = {}
    for comment_themes, tone in zip(themes, tones, strict=True):
        for theme in set(comment_themes):
            slot = counts.get(theme)
            if slot is None:
                slot = counts[theme] = [0, 0, 0]
            slot[0] += 1
            slot[1] += tone == "positive"
            slot[2] += tone == "negative"
    ranked = sorted(counts.items(), key=lambda item: (-item[1][0], item[0]))
    return [ThemeMentions(theme, *slot) for theme, slot in ranked[:limit]]
