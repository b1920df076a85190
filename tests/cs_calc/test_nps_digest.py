"""Hand-worked figures of cs_calc.nps_digest (the arithmetic is in tests/fixtures/nps_digest/README.md)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from cs_calc.nps_digest import (
    BREAKDOWN_COLUMNS,
    compute_response_rate,
    decompose_nps_change,
    digest_groups,
    find_emerging_topics,
    mrr_of_detractors,
    nps_breakdown,
    nps_by_quarters,
    pick_verbatims,
    redact_emails,
    renewal_inputs,
    theme_table,
)
from cs_calc.periods import parse_quarter
from cs_calc.text.themes import tag_comments, taxonomy_from_mapping
from reports.data.config_files import load_yaml_file

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "nps_digest"
Q3 = parse_quarter("2026-Q3")
Q2 = parse_quarter("2026-Q2")


@pytest.fixture(scope="module")
def tables() -> dict[str, pd.DataFrame]:
    from reports.pipeline import prepare_run

    return prepare_run(FIXTURE, quarter="2026-Q3").dataset.tables


@pytest.fixture(scope="module")
def taxonomy():
    return taxonomy_from_mapping(load_yaml_file(ROOT / "configs" / "nps_themes.yaml"))


def _in(nps: pd.DataFrame, window) -> pd.DataFrame:
    when = nps["responded_at"]
    return nps[(when >= window.start) & (when < window.end + pd.DateOffset(months=1))]


@pytest.fixture(scope="module")
def tagged(tables, taxonomy) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames = []
    for window in (Q3, Q2):
        responses = _in(tables["nps"], window)
        tags = tag_comments(responses, taxonomy).drop(columns=["response_id", "language"])
        frames.append(responses.join(tags))
    return frames[0], frames[1]


def test_breakdown_overall_and_by_segment(tables):
    groups = digest_groups(tables["accounts"], Q3)
    table = nps_breakdown(_in(tables["nps"], Q3), groups, {"segment": ["Scaled", "Upmarket"]})
    assert tuple(table.columns) == BREAKDOWN_COLUMNS
    overall = table.iloc[0]
    assert (overall["dimension"], overall["group"]) == ("all", "all")
    assert (overall["responses"], overall["promoters"], overall["passives"], overall["detractors"]) == (
        8,
        4,
        1,
        3,
    )
    assert overall["nps"] == pytest.approx(12.5)
    assert bool(overall["low_n"]) is True
    assert (overall["promoter_share"], overall["passive_share"], overall["detractor_share"]) == (
        0.5,
        0.125,
        0.375,
    )
    segment = table[table["dimension"] == "segment"].set_index("group")
    assert segment.index.tolist() == ["Scaled", "Upmarket"]
    assert segment.loc["Scaled", "nps"] == pytest.approx(0.0)
    assert segment.loc["Upmarket", "nps"] == pytest.approx(20.0)
    tier = table[table["dimension"] == "tier"].set_index("group")
    assert tier["responses"].to_dict() == {"Business": 3, "Enterprise": 5}
    tenure = table[table["dimension"] == "tenure"].set_index("group")
    # A3 started 2026-05-10, less than 12 months before the opening month (June 2026).
    assert tenure["responses"].to_dict() == {"first_year": 2, "tenured": 6}
    csm = table[table["dimension"] == "csm"].set_index("group")
    assert csm["responses"].to_dict() == {"C1": 3, "C2": 5}


def test_breakdown_of_nothing_is_empty():
    empty = pd.DataFrame(columns=["response_id", "account_id", "contact_id", "responded_at", "score"])
    assert nps_breakdown(empty, {}).empty


def test_nps_by_quarters_keeps_empty_quarters(tables):
    table = nps_by_quarters(tables["nps"], [parse_quarter("2026-Q1"), Q2, Q3])
    assert table.index.tolist() == ["2026-Q1", "2026-Q2", "2026-Q3"]
    assert table.loc["2026-Q1", "responses"] == 0 and pd.isna(table.loc["2026-Q1", "nps"])
    assert table.loc["2026-Q2", "nps"] == pytest.approx(0.0)
    assert table.loc["2026-Q3", "nps"] == pytest.approx(12.5)


def test_response_rate(tables):
    matrix = tables["mrr"].pivot_table(index="account_id", columns="month", values="mrr")
    months = [m for m in matrix.columns if Q3.start <= m <= Q3.end]
    paying = matrix.index[(matrix[months].fillna(0) > 0).any(axis=1)].tolist()
    assert paying == ["A1", "A2", "A3", "A5"]
    rate = compute_response_rate(_in(tables["nps"], Q3), tables["contacts"], paying, Q3)
    assert (rate.responding_contacts, rate.active_contacts) == (5, 6)
    assert rate.rate == pytest.approx(5 / 6)
    assert rate.responses_without_contact == 3  # R5, R6, R10


def test_decompose_nps_change_sums_to_the_change(tables):
    groups = digest_groups(tables["accounts"], Q3)["segment"]
    table = decompose_nps_change(
        _in(tables["nps"], Q3), _in(tables["nps"], Q2), groups, ["Scaled", "Upmarket"]
    )
    rows = table.set_index("group")
    assert rows.loc["Scaled", "mix_effect"] == pytest.approx(12.5)
    assert rows.loc["Upmarket", "mix_effect"] == pytest.approx(12.5)
    assert rows.loc["Scaled", "score_effect"] == pytest.approx(37.5)
    assert rows.loc["Upmarket", "score_effect"] == pytest.approx(-50.0)
    assert table["contribution"].sum() == pytest.approx(12.5 - 0.0)


def test_decompose_with_a_new_group_counts_it_all_as_score():
    cur = pd.DataFrame(
        {
            "response_id": ["1", "2"],
            "account_id": ["a", "b"],
            "contact_id": [None, None],
            "score": [10, 10],
            "responded_at": pd.to_datetime(["2026-07-01"] * 2),
        }
    )
    prev = cur.iloc[:1].assign(score=[0])
    table = decompose_nps_change(cur, prev, pd.Series({"a": "S", "b": "T"})).set_index("group")
    assert table.loc["T", "mix_effect"] == 0.0
    assert table.loc["T", "score_effect"] == pytest.approx(50.0)
    assert table["contribution"].sum() == pytest.approx(100.0 - (-100.0))


def test_theme_table(tagged, taxonomy):
    current, previous = tagged
    mrr = pd.DataFrame({"account_id": ["A1", "A2", "A3", "A5"], "mrr": [150.0, 1500.0, 300.0, 3200.0]})
    table = theme_table(current, previous, mrr, taxonomy.theme_ids).set_index("theme")
    assert table.index.tolist() == list(taxonomy.theme_ids)
    assert table.loc["support", "mentions"] == 2
    assert table.loc["support", "share_current"] == pytest.approx(2 / 7)
    assert table.loc["support", "detractors_share"] == pytest.approx(2 / 3)
    assert table.loc["support", "mrr_at_risk"] == pytest.approx(3350.0)
    assert table.loc["pricing", "mrr_at_risk"] == pytest.approx(3200.0)
    assert table.loc["onboarding", "promoters_share"] == pytest.approx(1 / 3)
    assert table.loc["documentation", "mentions"] == 0
    # Q2 has no comment at all: the previous shares are unknown, not zero.
    assert pd.isna(table.loc["support", "share_previous"])


def test_mrr_of_detractors(tables):
    mrr = pd.DataFrame({"account_id": ["A1", "A5"], "mrr": [150.0, 3200.0]})
    assert mrr_of_detractors(_in(tables["nps"], Q3), mrr) == (2, 3350.0)


def test_pick_verbatims_alternates_and_prefers_focused_quotes():
    frame = pd.DataFrame(
        {
            "response_id": ["a", "b", "c", "d", "e", "f"],
            "score": [2, 3, 10, 9, 7, 1],
            "comment": ["bad support", "awful support and price", "great support", "ok support", "meh", "x"],
            "themes": [("support",), ("pricing", "support"), ("support",), ("support",), ("support",), ()],
            "sentiment": [-0.5, -0.9, 0.8, 0.2, 0.0, -0.1],
        }
    )
    picked = pick_verbatims(frame, "support", limit=4)
    # detractor (one theme before two), promoter (most positive), passive, next detractor
    assert picked["response_id"].tolist() == ["a", "c", "e", "b"]
    assert pick_verbatims(frame, "documentation").empty


def test_redact_emails():
    assert redact_emails("write to a.b+c@x-y.example.com or kim@alpha.example.") == (
        "write to [email] or [email]."
    )


def test_renewal_inputs():
    accounts = pd.DataFrame(
        {
            "account_id": ["A"],
            "mrr_end": [100.0],
            "renewal_date": pd.to_datetime(["2026-12-30"]),
            "health_score": [40.0],
        }
    )
    frame = renewal_inputs(accounts, pd.Timestamp("2026-10-01"))
    assert frame.to_dict("records") == [
        {"account_id": "A", "mrr": 100.0, "days_to_renewal": 90.0, "health_score": 40.0}
    ]


SSO = (
    "The SSO login loop with Okta blocks our new hires",
    "SSO with Okta logs people out every hour",
    "Okta SSO keeps logging people out",
    "We need SSO enforcement before the Okta rollout",
    "The Okta SSO loop is blocking our new hires",
    "SSO via Okta fails for contractors",
)
INVOICE = (
    "Invoice export drops VAT lines",
    "The invoice export loses VAT lines",
    "Invoice export to accounting drops VAT",
    "VAT lines vanish from the invoice export",
)


def test_find_emerging_topics_flags_a_new_topic(taxonomy):
    current = pd.Series(list(SSO) * 3 + list(INVOICE) * 3 + ["We use it every day and love it"] * 6)
    previous = pd.Series(list(INVOICE) * 3 + ["Fine"] * 10)
    baseline = pd.Series(list(INVOICE) * 3 + ["Nothing to add"] * 10)
    topics = find_emerging_topics(current, previous, baseline, taxonomy=taxonomy, n_topics=3)
    sso = [t for t in topics if all("SSO" in e for e in t.examples)]
    assert sso
    assert sum(t.comments for t in sso) == 18
    for topic in sso:
        # absent last quarter and the year before: new, and only new
        assert topic.new and not topic.growing
        assert topic.share_previous == 0.0 and topic.share_baseline == 0.0
        assert topic.label in " ".join(topic.examples[0].split())
    # the invoice topic is as common as before: not emerging
    assert not any("invoice" in t.label.lower() or "vat" in t.label.lower() for t in topics)
