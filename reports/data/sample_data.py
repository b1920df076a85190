"""A seeded, realistic synthetic dataset that follows the data contract.

Accounts get a latent health that drives their churn hazard, usage trend,
tickets and NPS, so the documents built on it tell coherent stories:
accounts about to churn lose users first, detractors complain about real
themes, champions leave before cancellations.

The same ``seed`` and arguments always give the same tables.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from reports.data.sample_comments import (
    CHURN_DETAILS,
    COMPETITORS,
    EMERGING_PHRASES,
    FEATURE_REQUESTS,
    FREE_TEXT_ONLY_DETAILS,
    NEUTRAL_FILLERS,
    THEME_PHRASES,
)
from reports.output.files import write_bytes_atomic

SEGMENT_BOOK_SIZE = {"Starter": 5000, "Scaled": 1200, "Upmarket": 160, "Strategic": 35}
CSM_ANNUAL_COST = {"Starter": 95_000, "Scaled": 110_000, "Upmarket": 140_000, "Strategic": 185_000}
REGIONS = ("NAM", "EMEA", "JAPAC", "LATAM")
REGION_WEIGHTS = (0.45, 0.30, 0.15, 0.10)
INDUSTRIES = (
    "Software",
    "Manufacturing",
    "Retail",
    "Financial services",
    "Healthcare",
    "Logistics",
    "Education",
    "Media",
    "Professional services",
)
PRICE_PER_SEAT = 30.0
CHURN_REASON_WEIGHTS = {
    "poor_adoption": 0.20,
    "price_budget": 0.16,
    "competitor": 0.14,
    "product_gap": 0.13,
    "champion_left": 0.10,
    "support_experience": 0.07,
    "business_closed": 0.05,
    "m_and_a": 0.04,
    "no_budget": 0.06,
    "other": 0.05,
}
PARTIAL_REASON_WEIGHTS = {"price_budget": 0.4, "poor_adoption": 0.35, "no_budget": 0.15, "product_gap": 0.1}
_NAME_A = (
    "Nordic",
    "Blue",
    "North",
    "Bright",
    "Summit",
    "Harbor",
    "Silver",
    "Pine",
    "Atlas",
    "Aurora",
    "Cedar",
    "Delta",
    "Evergreen",
    "Falcon",
    "Granite",
    "Helix",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nova",
    "Orchid",
    "Polar",
    "Quartz",
    "Riverside",
    "Sable",
    "Tidal",
    "Umbra",
    "Vantage",
    "Willow",
    "Zenith",
    "Fjäll",
    "Skog",
    "Åker",
    "Sakura",
    "Andes",
    "Sol",
)
_NAME_B = (
    "Logistics",
    "Health",
    "Foods",
    "Analytics",
    "Robotics",
    "Energy",
    "Retail",
    "Media",
    "Labs",
    "Systems",
    "Partners",
    "Works",
    "Capital",
    "Motors",
    "Pharma",
    "Studios",
    "Bank",
    "Textil",
    "Bygg",
    "Data",
)
_SUFFIX = {
    "NAM": ("Inc.", "LLC", "Corp."),
    "EMEA": ("AB", "GmbH", "Ltd", "SA"),
    "JAPAC": ("KK", "Pty Ltd", "Pte Ltd"),
    "LATAM": ("S.A.", "Ltda.", "S.A. de C.V."),
}
_FIRST = (
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Sofia",
    "Johan",
    "Emma",
    "Oskar",
    "Yuki",
    "Kenji",
    "Lucia",
    "Mateo",
    "Olivia",
    "Liam",
    "Chloé",
    "Ahmed",
    "Priya",
    "Chen",
    "Sara",
    "David",
)
_LAST = (
    "Andersson",
    "Johansson",
    "Lindqvist",
    "Smith",
    "García",
    "Tanaka",
    "Müller",
    "Rossi",
    "Nakamura",
    "Silva",
    "Brown",
    "Nguyen",
    "Kowalski",
    "Berg",
    "Holm",
    "Patel",
)
_ROLES = (
    "Head of Operations",
    "VP Customer Success",
    "Operations Analyst",
    "IT Administrator",
    "Sales Manager",
    "Team Lead",
    "Marketing Manager",
    "CFO",
)
_OBJECTIVES = (
    ("Cut time to onboard new reps", "Days to first deal", 45, 25),
    ("Raise weekly active usage", "Weekly active users", 120, 200),
    ("Automate the monthly board report", "Hours spent per month", 20, 4),
    ("Reduce support backlog", "Open tickets", 80, 30),
    ("Roll out to the EMEA team", "Seats in use", 40, 90),
    ("Improve forecast accuracy", "Forecast accuracy %", 70, 90),
    ("Connect the ERP integration", "Orders synced automatically %", 0, 95),
)


@dataclass(frozen=True)
class SampleSpec:
    """What to generate."""

    accounts: int = 400
    months: int = 27
    seed: int = 42
    end_month: str = "2026-10"
    usage_frequency: str = "weekly"
    """``weekly`` (rows every Monday) or ``monthly`` (first of month; smaller)."""


def generate_sample(spec: SampleSpec) -> dict[str, pd.DataFrame]:
    """Every contract table (but ``fx_rates``: the sample uses one currency)."""
    rng = np.random.default_rng(spec.seed)
    end = pd.Timestamp(f"{spec.end_month}-01")
    months = pd.date_range(end=end, periods=spec.months, freq="MS")
    accounts = _accounts(rng, spec.accounts, months)
    mrr_matrix, churn_rows = _mrr_paths(rng, accounts, months)
    csms = _csms(rng, accounts)
    accounts["csm_id"] = _assign_csms(rng, accounts, csms)
    contacts = _contacts(rng, accounts, months)
    contacts = _contact_preferences(np.random.default_rng(spec.seed + 7), contacts)
    mrr = _mrr_long(mrr_matrix, accounts, months)
    return {
        "accounts": accounts.drop(columns=["health", "initial_mrr", "seats_base"]),
        "mrr": mrr,
        "usage": _usage(rng, accounts, mrr_matrix, months, spec.usage_frequency),
        "tickets": _tickets(rng, accounts, mrr_matrix, months),
        "nps": _nps(rng, accounts, contacts, mrr_matrix, months),
        "churn_events": _churn_events(rng, churn_rows, accounts, months),
        "contacts": contacts,
        "csms": csms,
        "costs": _costs(rng, csms, mrr, months),
        "success_plans": _success_plans(rng, accounts, end),
    }


def write_sample(tables: dict[str, pd.DataFrame], out_dir: Path, file_format: str = "csv") -> list[Path]:
    """Write each table as ``<name>.csv`` (or ``.parquet``) into ``out_dir``, atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, frame in tables.items():
        path = out_dir / f"{name}.{file_format}"
        if file_format == "parquet":
            import io

            buffer = io.BytesIO()
            frame.to_parquet(buffer, index=False)
            write_bytes_atomic(path, buffer.getvalue())
        else:
            write_bytes_atomic(path, _to_csv(frame).encode("utf-8"))
        written.append(path)
    return written


def _to_csv(frame: pd.DataFrame) -> str:
    out = frame.copy()
    for column in out.columns:
        if pd.api.types.is_datetime64_any_dtype(out[column]):
            has_time = (out[column].dropna().dt.normalize() != out[column].dropna()).any()
            fmt = "%Y-%m-%dT%H:%M:%S" if has_time else "%Y-%m-%d"
            out[column] = out[column].dt.strftime(fmt)
    return out.to_csv(index=False, lineterminator="\n")


def _accounts(rng: np.random.Generator, n: int, months: pd.DatetimeIndex) -> pd.DataFrame:
    initial = np.round(np.exp(rng.normal(math.log(550), 1.25, n)), -1).clip(30, None)
    order = np.argsort(-initial)
    strategic = np.zeros(n, bool)
    strategic[order[: max(1, round(n * 0.005))]] = True
    initial = np.where(strategic, np.maximum(initial * 2.5, 15_000), initial)
    segment = np.where(
        strategic,
        "Strategic",
        np.where(initial >= 1500, "Upmarket", np.where(initial >= 250, "Scaled", "Starter")),
    )
    region = rng.choice(REGIONS, n, p=REGION_WEIGHTS)
    first, last = months[0], months[-1]
    # A third started before the data begins; the rest spread over the window.
    span_days = (last - first).days
    early = rng.random(n) < 0.35
    offset = np.where(early, -rng.integers(30, 900, n), rng.integers(0, span_days, n))
    start = (first + pd.to_timedelta(offset, unit="D")).normalize()
    renewal = [_next_anniversary(s, last) for s in start]
    names = _company_names(rng, region)
    ids = [f"A-{i + 1:05d}" for i in range(n)]
    return pd.DataFrame(
        {
            "account_id": ids,
            "name": names,
            "segment": segment,
            "region": region,
            "industry": rng.choice(INDUSTRIES, n),
            "csm_id": None,
            "plan": np.where(initial >= 1500, "Enterprise", np.where(initial >= 250, "Business", "Team")),
            "start_date": start,
            "renewal_date": pd.to_datetime(renewal),
            "currency": "USD",
            "parent_account_id": None,
            "health": rng.normal(0, 1, n),
            "initial_mrr": initial,
            "seats_base": np.maximum(2, np.round(initial / PRICE_PER_SEAT)),
        }
    )


def _next_anniversary(start: pd.Timestamp, last: pd.Timestamp) -> pd.Timestamp:
    """First anniversary of ``start`` after ``last`` (Feb 29 falls back to Feb 28)."""
    day = start.date()
    year = max(start.year + 1, last.year)
    while True:
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = day.replace(year=year, day=28)
        if pd.Timestamp(candidate) > last:
            return pd.Timestamp(candidate)
        year += 1


def _company_names(rng: np.random.Generator, regions: np.ndarray) -> list[str]:
    a = np.array(_NAME_A)[rng.integers(0, len(_NAME_A), len(regions))]
    b = np.array(_NAME_B)[rng.integers(0, len(_NAME_B), len(regions))]
    draws = rng.integers(0, 12, len(regions))
    return [
        f"{x} {y} {_SUFFIX[r][d % len(_SUFFIX[r])]}" for x, y, r, d in zip(a, b, regions, draws, strict=True)
    ]


def _mrr_paths(
    rng: np.random.Generator, accounts: pd.DataFrame, months: pd.DatetimeIndex
) -> tuple[np.ndarray, list[tuple[int, int, str, float]]]:
    """Monthly MRR per account, and (account, month, kind, lost) for churn/contraction."""
    n, m = len(accounts), len(months)
    start_col = np.searchsorted(months.to_numpy(), accounts["start_date"].to_numpy(), side="right") - 1
    start_col = np.where(accounts["start_date"] < months[0], 0, np.maximum(start_col, 0))
    health = accounts["health"].to_numpy()
    segment = accounts["segment"].to_numpy()
    tier_factor = np.select(
        [segment == "Strategic", segment == "Upmarket", segment == "Scaled"], [0.35, 0.6, 1.0], 1.4
    )
    values = np.zeros((n, m))
    current = accounts["initial_mrr"].to_numpy().copy()
    alive = np.zeros(n, bool)
    churned_at = np.full(n, -1)
    events: list[tuple[int, int, str, float]] = []
    starts = accounts["start_date"].to_numpy()
    for j in range(m):
        joining = (start_col == j) & (churned_at < 0) & ~alive
        alive |= joining
        month = months[j]
        tenure_months = (month - pd.to_datetime(starts)).days / 30.4
        first_year = tenure_months < 12
        hazard = np.where(first_year, 0.022, 0.008) * tier_factor * np.exp(-0.55 * health)
        churn = alive & ~joining & (rng.random(n) < hazard)
        for i in np.flatnonzero(churn):
            events.append((int(i), j, "full", float(current[i])))
        alive &= ~churn
        churned_at = np.where(churn, j, churned_at)
        back = (
            (~alive) & (churned_at >= 0) & (j - churned_at <= 12) & (j > churned_at) & (rng.random(n) < 0.02)
        )
        alive |= back
        churned_at = np.where(back, -1, churned_at)
        grow = alive & ~joining & (rng.random(n) < 0.035 * np.exp(0.35 * health))
        shrink = alive & ~joining & ~grow & (rng.random(n) < 0.02 * np.exp(-0.35 * health))
        new_value = current.copy()
        new_value[grow] = np.round(current[grow] * rng.uniform(1.08, 1.4, grow.sum()), -1)
        new_value[shrink] = np.maximum(
            10, np.round(current[shrink] * rng.uniform(0.65, 0.92, shrink.sum()), -1)
        )
        for i in np.flatnonzero(shrink):
            lost = float(current[i] - new_value[i])
            if lost > 0:
                events.append((int(i), j, "partial", lost))
        current = new_value
        values[:, j] = np.where(alive, current, 0.0)
    return values, events


def _mrr_long(values: np.ndarray, accounts: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    rows, cols = np.nonzero(values)
    return (
        pd.DataFrame(
            {
                "account_id": accounts["account_id"].to_numpy()[rows],
                "month": months[cols],
                "mrr": values[rows, cols],
            }
        )
        .sort_values(["account_id", "month"], kind="stable")
        .reset_index(drop=True)
    )


def _csms(rng: np.random.Generator, accounts: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for segment, size in SEGMENT_BOOK_SIZE.items():
        count = math.ceil((accounts["segment"] == segment).sum() / size)
        for k in range(count):
            first, last = rng.choice(_FIRST), rng.choice(_LAST)
            rows.append(
                {
                    "csm_id": f"CSM-{segment[:3].upper()}-{k + 1:02d}",
                    "name": f"{first} {last}",
                    "email": f"{first.lower()}.{last.lower()}@lumio.example".encode(
                        "ascii", "ignore"
                    ).decode(),
                    "team": f"{segment} CS",
                    "region": rng.choice(REGIONS),
                    "fully_loaded_annual_cost": float(CSM_ANNUAL_COST[segment]),
                }
            )
    return pd.DataFrame(rows)


def _assign_csms(rng: np.random.Generator, accounts: pd.DataFrame, csms: pd.DataFrame) -> np.ndarray:
    result = np.empty(len(accounts), dtype=object)
    for segment in SEGMENT_BOOK_SIZE:
        members = np.flatnonzero(accounts["segment"].to_numpy() == segment)
        pool = csms.loc[csms["team"] == f"{segment} CS", "csm_id"].to_numpy()
        if len(members):
            result[members] = pool[np.arange(len(members)) % len(pool)]
    return result


def _contacts(rng: np.random.Generator, accounts: pd.DataFrame, months: pd.DatetimeIndex) -> pd.DataFrame:
    per_tier = {"Strategic": 8, "Upmarket": 5, "Scaled": 3, "Starter": 2}
    counts = accounts["segment"].map(per_tier).to_numpy()
    owner = np.repeat(np.arange(len(accounts)), counts)
    k = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
    n = len(owner)
    first = np.array(_FIRST)[rng.integers(0, len(_FIRST), n)]
    last = np.array(_LAST)[rng.integers(0, len(_LAST), n)]
    champion = k == 0
    weak = accounts["health"].to_numpy()[owner] < -0.8
    left = np.where(champion, rng.random(n) < 0.25 + 0.15 * weak, rng.random(n) < 0.1)
    span = max(1, (months[-1] - months[0]).days + 28)
    changed = months[0] + pd.to_timedelta(rng.integers(0, span, n), unit="D")
    domain = [
        (name.split()[0].lower().encode("ascii", "ignore").decode() or "customer")
        for name in accounts["name"].to_numpy()[owner]
    ]
    role = np.where(
        champion,
        "VP Customer Success",
        np.where(k == 1, "CFO", np.array(_ROLES)[rng.integers(0, len(_ROLES), n)]),
    )
    email = [
        f"{f.lower()}.{la.lower()}@{d}.example".encode("ascii", "ignore").decode()
        for f, la, d in zip(first, last, domain, strict=True)
    ]
    return pd.DataFrame(
        {
            "contact_id": [f"C-{i + 1:06d}" for i in range(n)],
            "account_id": accounts["account_id"].to_numpy()[owner],
            "name": np.char.add(np.char.add(first, " "), last),
            "email": email,
            "role": role,
            "is_champion": champion,
            "is_power_user": (k == 0) | (k == 2),
            "is_economic_buyer": k == 1,
            "status": np.where(left, "left", "active"),
            "changed_at": pd.Series(changed).where(left, pd.NaT).to_numpy(),
        }
    )


def _contact_preferences(rng: np.random.Generator, contacts: pd.DataFrame) -> pd.DataFrame:
    """``email_opt_out`` (about 3% of contacts) and ``is_primary`` (the first active contact of
    most accounts; about 5% of accounts name none, a few name two).

    Drawn from their own generator (``seed + 7``), so adding them left every other column's draws,
    and so every figure of the sample, as it was.
    """
    n = len(contacts)
    opt_out = rng.random(n) < 0.03
    active = (contacts["status"] == "active").to_numpy()
    account = contacts["account_id"].to_numpy()
    first_active = pd.Series(active).groupby(account).cumsum().to_numpy() == 1
    primary = active & first_active & (rng.random(n) >= 0.05)
    second = active & ~first_active & (rng.random(n) < 0.02)
    return contacts.assign(email_opt_out=opt_out, is_primary=primary | second)


def _usage(
    rng: np.random.Generator,
    accounts: pd.DataFrame,
    values: np.ndarray,
    months: pd.DatetimeIndex,
    frequency: str,
) -> pd.DataFrame:
    if frequency == "weekly":
        dates = pd.date_range(months[0], months[-1] + pd.offsets.MonthEnd(0), freq="W-MON")
    elif frequency == "monthly":
        dates = months
    else:
        raise ValueError(f"usage frequency {frequency!r} is not 'weekly' or 'monthly'")
    month_index = np.searchsorted(months.to_numpy(), dates.to_numpy(), side="right") - 1
    paying = values[:, month_index] > 0
    seats = np.maximum(1, np.round(values[:, month_index] / PRICE_PER_SEAT))
    # Accounts that will churn lose users over the 4 months before they stop paying.
    future_zero = np.zeros_like(paying)
    for lead in range(1, 5):
        shifted = np.zeros_like(values)
        shifted[:, :-lead] = values[:, lead:]
        future_zero |= (shifted[:, month_index] <= 0) & paying & (month_index < len(months) - lead)
    seasonal = 1 - 0.12 * np.isin(dates.month, [7, 8]) - 0.18 * ((dates.month == 12) & (dates.day > 18))
    health = accounts["health"].to_numpy()[:, None]
    utilisation = np.clip(0.62 + 0.12 * health + rng.normal(0, 0.05, paying.shape), 0.05, 1.0)
    utilisation = np.where(future_zero, utilisation * 0.55, utilisation) * seasonal[None, :]
    active = np.where(paying, np.round(seats * utilisation), 0)
    per = 4.5 if frequency == "weekly" else 19.0
    logins = np.where(paying, np.round(active * per * rng.uniform(0.8, 1.2, paying.shape)), 0)
    key_events = np.where(paying, np.round(active * per * 2.4 * rng.uniform(0.7, 1.3, paying.shape)), 0)
    rows, cols = np.nonzero(paying)
    ids = accounts["account_id"].to_numpy()[rows]
    when = dates[cols]
    frames = []
    for metric, matrix in (
        ("active_users", active),
        ("logins", logins),
        ("key_feature_events", key_events),
        ("seats_purchased", seats),
    ):
        if metric == "seats_purchased" and frequency == "weekly":
            first_week = np.r_[True, month_index[1:] != month_index[:-1]]
            keep = first_week[cols]
            frames.append(
                pd.DataFrame(
                    {
                        "account_id": ids[keep],
                        "date": when[keep],
                        "metric": metric,
                        "value": matrix[rows, cols][keep],
                    }
                )
            )
            continue
        frames.append(
            pd.DataFrame({"account_id": ids, "date": when, "metric": metric, "value": matrix[rows, cols]})
        )
    usage = pd.concat(frames, ignore_index=True)
    return usage.sort_values(["account_id", "date", "metric"], kind="stable").reset_index(drop=True)


def _tickets(
    rng: np.random.Generator, accounts: pd.DataFrame, values: np.ndarray, months: pd.DatetimeIndex
) -> pd.DataFrame:
    rate = (
        accounts["segment"].map({"Strategic": 5.0, "Upmarket": 2.0, "Scaled": 0.5, "Starter": 0.2}).to_numpy()
    )
    rate = rate * np.exp(-0.3 * accounts["health"].to_numpy())
    counts = rng.poisson(rate[:, None] * (values > 0))
    rows, cols = np.nonzero(counts)
    repeats = counts[rows, cols]
    rows, cols = np.repeat(rows, repeats), np.repeat(cols, repeats)
    n = len(rows)
    created = months[cols] + pd.to_timedelta(rng.integers(0, 28 * 24 * 60, n), unit="min")
    priority = rng.choice(["P0", "P1", "P2", "P3"], n, p=[0.02, 0.1, 0.4, 0.48])
    hours_scale = np.select([priority == "P0", priority == "P1", priority == "P2"], [6, 20, 48], 96)
    resolve_hours = rng.lognormal(0, 0.7, n) * hours_scale
    first_response = np.minimum(resolve_hours, rng.lognormal(0, 0.6, n) * hours_scale / 8)
    resolved = created + pd.to_timedelta(np.round(resolve_hours * 60), unit="min")
    unresolved = resolved > months[-1] + pd.offsets.MonthEnd(0)
    csat = np.clip(np.round(4.3 - 0.8 * (priority == "P0") + rng.normal(0, 0.8, n)), 1, 5)
    answered = rng.random(n) < 0.45
    tickets = pd.DataFrame(
        {
            "ticket_id": [f"T-{i + 1:07d}" for i in range(n)],
            "account_id": accounts["account_id"].to_numpy()[rows],
            "created_at": created.floor("min"),
            "resolved_at": pd.Series(resolved.floor("min")).where(~unresolved, pd.NaT).to_numpy(),
            "first_response_at": (created + pd.to_timedelta(np.round(first_response * 60), unit="min")).floor(
                "min"
            ),
            "priority": priority,
            "category": rng.choice(["how-to", "bug", "billing", "integration", "performance", "access"], n),
            "csat": pd.array(np.where(answered & ~unresolved, csat, np.nan), dtype="Float64").astype("Int64"),
        }
    )
    return (
        tickets.sort_values("created_at", kind="stable")
        .reset_index(drop=True)
        .assign(ticket_id=lambda t: [f"T-{i + 1:07d}" for i in range(len(t))])
    )


def _nps(
    rng: np.random.Generator,
    accounts: pd.DataFrame,
    contacts: pd.DataFrame,
    values: np.ndarray,
    months: pd.DatetimeIndex,
) -> pd.DataFrame:
    """Quarterly surveys: about 30% of active contacts answer, 70% of them with a comment."""
    row_of = pd.Series(np.arange(len(accounts)), index=accounts["account_id"].to_numpy())
    owner = row_of[contacts["account_id"].to_numpy()].to_numpy()
    health = accounts["health"].to_numpy()[owner]
    swedish_account = (accounts["region"].to_numpy() == "EMEA") & (
        np.array([hash_str(a) % 3 == 0 for a in accounts["account_id"]])
    )
    swedish = swedish_account[owner]
    left_at = contacts["changed_at"].where(contacts["status"] == "left").to_numpy()
    survey_months = [m for m in months if m.month in (2, 5, 8, 11)]
    frames = []
    for month in survey_months:
        j = months.get_loc(month)
        gone = ~pd.isna(left_at) & (left_at < month.to_datetime64())
        answer = (values[owner, j] > 0) & ~gone & (rng.random(len(owner)) < 0.3)
        idx = np.flatnonzero(answer)
        scores = np.clip(np.round(7.6 + 1.6 * health[idx] + rng.normal(0, 1.7, len(idx))), 0, 10).astype(int)
        language = np.where(swedish[idx], "sv", "en")
        has_comment = rng.random(len(idx)) < 0.7
        emerging = month in survey_months[-2:]
        comments = [
            _comment(rng, int(score), str(lang), emerging=emerging) if keep else None
            for score, lang, keep in zip(scores, language, has_comment, strict=True)
        ]
        frames.append(
            pd.DataFrame(
                {
                    "account_id": contacts["account_id"].to_numpy()[idx],
                    "contact_id": contacts["contact_id"].to_numpy()[idx],
                    "responded_at": month + pd.to_timedelta(rng.integers(0, 27, len(idx)), unit="D"),
                    "score": scores,
                    "comment": comments,
                    "language": pd.Series(language, dtype=object).where(has_comment, None).to_numpy(),
                }
            )
        )
    nps = (
        pd.concat(frames, ignore_index=True)
        if frames
        else pd.DataFrame(
            columns=["account_id", "contact_id", "responded_at", "score", "comment", "language"]
        )
    )
    nps.insert(0, "response_id", [f"R-{i + 1:07d}" for i in range(len(nps))])
    return nps


def hash_str(text: str) -> int:
    """A stable small hash (Python's ``hash`` changes between runs)."""
    return sum((i + 1) * ord(c) for i, c in enumerate(text))


def _pick(rng: np.random.Generator, options: tuple[str, ...]) -> str:
    return options[int(rng.integers(0, len(options)))]


def _comment(rng: np.random.Generator, score: int, language: str, *, emerging: bool) -> str:
    themes = list(THEME_PHRASES)
    parts = []
    positive = score >= 9 or (score >= 7 and rng.random() < 0.5)
    first = int(rng.integers(0, len(themes)))
    picked = [first]
    if rng.random() < 0.35:
        picked.append((first + 1 + int(rng.integers(0, len(themes) - 1))) % len(themes))
    for theme in picked:
        praise, complaints = THEME_PHRASES[themes[theme]][language]
        parts.append(_pick(rng, praise if positive else complaints))
    if rng.random() < 0.15:
        parts.append(_pick(rng, FEATURE_REQUESTS[language]))
    if emerging and rng.random() < 0.25:
        parts.append(_pick(rng, EMERGING_PHRASES[language]))
    filler = _pick(rng, NEUTRAL_FILLERS[language]) if score >= 7 else ""
    if filler:
        parts.append(filler)
    return " ".join(parts)


def _churn_events(
    rng: np.random.Generator,
    events: list[tuple[int, int, str, float]],
    accounts: pd.DataFrame,
    months: pd.DatetimeIndex,
) -> pd.DataFrame:
    """One event per churn and contraction, dated the first month it shows in MRR."""
    rows = []
    for i, j, kind, lost in events:
        weights = CHURN_REASON_WEIGHTS if kind == "full" else PARTIAL_REASON_WEIGHTS
        reason = str(rng.choice(list(weights), p=np.array(list(weights.values())) / sum(weights.values())))
        detail = str(rng.choice(CHURN_DETAILS[reason]))
        code: str | None = reason
        if kind == "full" and rng.random() < 0.08:
            code, detail = None, str(rng.choice(FREE_TEXT_ONLY_DETAILS))
        competitor = str(rng.choice(COMPETITORS)) if reason == "competitor" else None
        replaced = "competitor" if reason == "competitor" else str(rng.choice(["manual process", "nothing"]))
        rows.append((i, j, kind, lost, code, detail, competitor, replaced))
    frame = pd.DataFrame(
        rows,
        columns=["i", "j", "type", "lost_mrr", "reason_code", "reason_detail", "competitor", "replaced_by"],
    )
    return (
        frame.assign(
            account_id=accounts["account_id"].to_numpy()[frame["i"].to_numpy(dtype=int)],
            effective_date=months[frame["j"].to_numpy(dtype=int)],
        )[
            [
                "account_id",
                "effective_date",
                "type",
                "reason_code",
                "reason_detail",
                "competitor",
                "replaced_by",
                "lost_mrr",
            ]
        ]
        .sort_values(["effective_date", "account_id"], kind="stable")
        .reset_index(drop=True)
    )


def _costs(
    rng: np.random.Generator, csms: pd.DataFrame, mrr: pd.DataFrame, months: pd.DatetimeIndex
) -> pd.DataFrame:
    quarters = sorted({f"{m.year}-Q{(m.month - 1) // 3 + 1}" for m in months})
    revenue = (
        mrr.assign(q=mrr["month"].map(lambda m: f"{m.year}-Q{(m.month - 1) // 3 + 1}"))
        .groupby("q")["mrr"]
        .sum()
    )
    csm_cost = float(csms["fully_loaded_annual_cost"].sum()) / 4
    rows = []
    for quarter in quarters:
        r = float(revenue.get(quarter, 0.0))
        noise = rng.uniform(0.95, 1.05)
        rows += [
            (quarter, "cs", round(csm_cost * 1.25 * noise, -2), 1.0),
            (quarter, "support", round(r * 0.035 * noise, -2), 0.6),
            (quarter, "customer_marketing", round(r * 0.01 * noise, -2), 0.5),
            (quarter, "rnd", round(r * 0.22 * noise, -2), 0.1),
            (quarter, "billing", round(r * 0.008 * noise, -2), 0.3),
        ]
    return pd.DataFrame(rows, columns=["period", "function", "amount", "allocated_to_retention"])


def _success_plans(rng: np.random.Generator, accounts: pd.DataFrame, end: pd.Timestamp) -> pd.DataFrame:
    rows = []
    high_touch = accounts[accounts["segment"].isin(["Upmarket", "Strategic"])]
    for account in high_touch.itertuples():
        picks = rng.choice(len(_OBJECTIVES), size=int(rng.integers(2, 6)), replace=False)
        for k in picks:
            objective, kpi, baseline, target = _OBJECTIVES[k]
            progress = float(np.clip(rng.normal(0.6 + 0.25 * account.health, 0.3), 0, 1.15))
            current = round(baseline + (target - baseline) * progress, 1)
            due = end + pd.DateOffset(months=int(rng.integers(-4, 8)))
            if progress >= 1:
                status = "achieved"
            elif due < end:
                status = "missed"
            elif progress >= 0.6:
                status = "on_track"
            elif progress >= 0.35:
                status = "at_risk"
            else:
                status = "off_track"
            rows.append(
                {
                    "account_id": account.account_id,
                    "objective": objective,
                    "kpi": kpi,
                    "baseline": float(baseline),
                    "target": float(target),
                    "current": current,
                    "due_date": due,
                    "status": status,
                    "owner": str(rng.choice(["Customer", "CSM", "Joint"])),
                }
            )
    return pd.DataFrame(
        rows,
        columns=[
            "account_id",
            "objective",
            "kpi",
            "baseline",
            "target",
            "current",
            "due_date",
            "status",
            "owner",
        ],
    )
