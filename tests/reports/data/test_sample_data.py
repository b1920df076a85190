"""The bundled sample looks like a real CS book of business."""

from __future__ import annotations

import pandas as pd
import pytest

from reports.data.sample_data import SampleSpec, generate_sample


@pytest.fixture(scope="module")
def tables(sample_run):
    return sample_run.dataset.tables


def test_tiers_follow_mrr_bands(tables):
    first_mrr = (
        tables["mrr"].sort_values("month").drop_duplicates("account_id").set_index("account_id")["mrr"]
    )
    accounts = tables["accounts"].set_index("account_id")
    segment = accounts["segment"].reindex(first_mrr.index)
    assert (first_mrr[segment == "Scaled"] < 1500).all()
    assert (first_mrr[segment == "Upmarket"] >= 1500).all()
    strategic = accounts.index[accounts["segment"] == "Strategic"]
    # Strategic is the top ~0.5% by MRR.
    assert len(strategic) == round(len(accounts) * 0.005)
    assert first_mrr[strategic].min() > first_mrr[segment == "Upmarket"].max()


def test_csm_books_are_sized_by_tier(tables):
    accounts = tables["accounts"]
    books = accounts.groupby(["segment", "csm_id"]).size()
    assert books["Upmarket"].max() <= 160 and books["Strategic"].max() <= 35 and books["Scaled"].max() <= 1200


def test_regions_churn_in_first_year_and_reasons(tables, sample_run):
    assert set(tables["accounts"]["region"]) == {"NAM", "LATAM", "EMEA", "JAPAC"}
    full = tables["churn_events"][tables["churn_events"]["type"] == "full"]
    started = full["account_id"].map(tables["accounts"].set_index("account_id")["start_date"])
    first_year = (full["effective_date"] - started) < pd.Timedelta(days=365)
    # Churn is concentrated in the first year.
    assert first_year.mean() > 0.4
    assert full["reason_detail"].notna().all()
    assert full["reason_code"].isna().any(), "some churns carry only free text"
    movements = sample_run.metrics.movements
    assert {"new", "expansion", "contraction", "churn", "reactivation"} <= set(movements["movement"])


def test_nps_comments_in_english_and_swedish_mention_themes(tables):
    nps = tables["nps"].dropna(subset=["comment"])
    assert set(nps["language"]) == {"en", "sv"}
    swedish = nps[nps["language"] == "sv"]["comment"].str.cat(sep=" ").lower()
    assert "introduktionen" in swedish or "uppstarten" in swedish
    english = nps[nps["language"] == "en"]["comment"].str.cat(sep=" ").lower()
    for word in ("onboarding", "price", "support", "report", "integration", "slow"):
        assert word in english


def test_champions_leave_costs_and_plans_exist(tables):
    contacts = tables["contacts"]
    assert (contacts["is_champion"] & (contacts["status"] == "left")).any()
    assert set(tables["costs"]["function"]) == {"cs", "support", "customer_marketing", "rnd", "billing"}
    assert set(tables["success_plans"]["status"]) >= {"achieved", "on_track", "at_risk"}


def test_a_few_contacts_opt_out_and_most_accounts_name_one_primary(tables):
    contacts = tables["contacts"]
    assert 0.01 < contacts["email_opt_out"].mean() < 0.06
    primaries = contacts.groupby("account_id")["is_primary"].sum()
    assert (primaries == 1).mean() > 0.85 and (primaries == 0).any() and (primaries == 2).any()
    assert not (contacts["is_primary"] & (contacts["status"] == "left")).any()


def test_contact_preferences_leave_every_other_draw_as_it_was():
    """The two columns come from their own generator: the other tables are what they were before."""
    from reports.data import sample_data

    spec = SampleSpec(accounts=40, months=4, seed=5, usage_frequency="monthly")
    with_them = generate_sample(spec)
    original = sample_data._contact_preferences
    try:
        sample_data._contact_preferences = lambda _rng, contacts: contacts  # type: ignore[assignment]
        without = generate_sample(spec)
    finally:
        sample_data._contact_preferences = original  # type: ignore[assignment]
    for name, frame in without.items():
        pd.testing.assert_frame_equal(with_them[name][list(frame.columns)], frame, check_like=True)


def test_usage_is_seasonal_and_weekly(tables):
    usage = tables["usage"]
    active = usage[usage["metric"] == "active_users"]
    assert (active["date"].dt.day_of_week == 0).all()
    by_month = active.groupby(active["date"].dt.month)["value"].mean()
    assert by_month[8] < by_month[[5, 6, 9, 10]].mean()  # summer dip


def test_generator_scales_and_is_seeded():
    a = generate_sample(SampleSpec(accounts=50, months=6, seed=3, usage_frequency="monthly"))
    b = generate_sample(SampleSpec(accounts=50, months=6, seed=3, usage_frequency="monthly"))
    c = generate_sample(SampleSpec(accounts=50, months=6, seed=4, usage_frequency="monthly"))
    pd.testing.assert_frame_equal(a["mrr"], b["mrr"])
    assert not a["mrr"].equals(c["mrr"])
    assert a["usage"]["date"].dt.day.eq(1).all()


def test_the_shipped_sample_is_what_the_generator_makes(tmp_path):
    from reports.data.sample_data import write_sample
    from reports.resources import sample_data_dir

    write_sample(generate_sample(SampleSpec()), tmp_path)
    for path in sorted(sample_data_dir().glob("*.csv")):
        assert path.read_bytes() == (tmp_path / path.name).read_bytes(), path.name
