"""Risk alerts and upsell signals per account, as of a date.

Each signal is a row ``account_id, kind, signal, value, date`` where ``kind``
is ``alert`` or ``upsell``; ``value`` holds the number behind it (a fraction,
a count or a score) and ``date`` when it happened, where that is known.

Alerts:
- ``champion_left`` / ``power_user_left``: a champion or power user's status
  changed to ``left`` within the lookback period (value: contacts);
- ``usage_drop``: mean active users fell by more than ``usage_drop`` (a
  fraction) against the period before (value: the change, negative);
- ``p0_ticket``: a P0 ticket was opened within the lookback (value: count);
- ``detractor``: an NPS response of 0–6 within the lookback (value: lowest score);
- ``renewal_risk``: renewal within ``renewal_window_days`` while the health
  band is not green (value: days to renewal).

Upsell signals:
- ``seats_full``: seat utilisation at or above ``seat_utilisation_high``;
- ``usage_growth``: active users grew by at least ``usage_growth``;
- ``promoter``: an NPS response of 9–10 within the lookback.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from cs_calc.nps import PASSIVE_FROM, PROMOTER_FROM

SIGNAL_COLUMNS = ("account_id", "kind", "signal", "value", "date")


RENEWAL_WINDOW_DAYS = 105
"""Days before a renewal in which it is prepared (the contract window); the default of the
renewal-risk alert and of the weekly email's renewals list."""


@dataclass(frozen=True)
class SignalConfig:
    """Thresholds; fractions, days."""

    lookback_days: int = 90
    usage_drop: float = 0.25
    renewal_window_days: int = RENEWAL_WINDOW_DAYS
    seat_utilisation_high: float = 0.9
    usage_growth: float = 0.2


def detect_signals(
    health: pd.DataFrame,
    contacts: pd.DataFrame,
    tickets: pd.DataFrame,
    nps: pd.DataFrame,
    as_of: pd.Timestamp,
    config: SignalConfig = SignalConfig(),
) -> pd.DataFrame:
    """Alerts and upsell signals from :func:`cs_calc.health.compute_health` output and raw tables.

    ``health`` is indexed by ``account_id`` and holds ``health_band`` and the
    ``input_*`` columns. Only events strictly before ``as_of`` and within the
    lookback count. Sorted by account, kind, signal.
    """
    since = as_of - pd.Timedelta(days=config.lookback_days)
    frames: list[pd.DataFrame] = []

    if not contacts.empty:
        left = contacts[
            (contacts["status"] == "left")
            & (contacts["changed_at"] >= since)
            & (contacts["changed_at"] < as_of)
        ]
        for flag, name in (("is_champion", "champion_left"), ("is_power_user", "power_user_left")):
            who = left[left[flag].fillna(False).astype(bool)]
            grouped = who.groupby("account_id").agg(value=("contact_id", "size"), date=("changed_at", "max"))
            frames.append(_rows(grouped, "alert", name))

    trend = health["input_usage_trend"]
    drop = trend[trend <= -config.usage_drop]
    frames.append(_rows(pd.DataFrame({"value": drop, "date": pd.NaT}), "alert", "usage_drop"))

    if not tickets.empty:
        p0 = tickets[
            (tickets["priority"] == "P0") & (tickets["created_at"] >= since) & (tickets["created_at"] < as_of)
        ]
        grouped = p0.groupby("account_id").agg(value=("ticket_id", "size"), date=("created_at", "max"))
        frames.append(_rows(grouped, "alert", "p0_ticket"))

    recent = nps[(nps["responded_at"] >= since) & (nps["responded_at"] < as_of)]
    detractors = (
        recent[recent["score"] < PASSIVE_FROM]
        .groupby("account_id")
        .agg(value=("score", "min"), date=("responded_at", "max"))
    )
    frames.append(_rows(detractors, "alert", "detractor"))

    days = health["input_renewal_proximity"]
    at_risk = days[(days <= config.renewal_window_days) & (health["health_band"] != "green")]
    frames.append(_rows(pd.DataFrame({"value": at_risk, "date": pd.NaT}), "alert", "renewal_risk"))

    seats = health["input_seat_utilisation"]
    full = seats[seats >= config.seat_utilisation_high]
    frames.append(_rows(pd.DataFrame({"value": full, "date": pd.NaT}), "upsell", "seats_full"))
    growth = trend[trend >= config.usage_growth]
    frames.append(_rows(pd.DataFrame({"value": growth, "date": pd.NaT}), "upsell", "usage_growth"))
    promoters = (
        recent[recent["score"] >= PROMOTER_FROM]
        .groupby("account_id")
        .agg(value=("score", "max"), date=("responded_at", "max"))
    )
    frames.append(_rows(promoters, "upsell", "promoter"))

    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in SIGNAL_COLUMNS})
    signals = pd.concat(frames, ignore_index=True)
    signals["value"] = signals["value"].astype("float64")
    signals["date"] = pd.to_datetime(signals["date"])
    return signals.sort_values(["account_id", "kind", "signal"], kind="stable").reset_index(drop=True)[
        list(SIGNAL_COLUMNS)
    ]


def _rows(grouped: pd.DataFrame, kind: str, signal: str) -> pd.DataFrame:
    frame = grouped.reset_index()
    frame = frame.rename(columns={frame.columns[0]: "account_id"})
    frame["kind"] = kind
    frame["signal"] = signal
    return frame[["account_id", "kind", "signal", "value", "date"]]
