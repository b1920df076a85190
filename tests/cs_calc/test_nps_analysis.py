from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from cs_calc.nps_analysis import (
    mrr_at_risk_by_theme,
    rank_feature_requests,
    theme_share_by_category,
    theme_trend,
)

# Five accounts, nine responses.
#   id  account score comment                        themes
#   r1  A1      10    "Great support"                (support,)
#   r2  A1       9    "Fast and reliable"            (performance, reliability)
#   r3  A2       9    None (no comment)              ()
#   r4  A2       8    "Support ok, price high"       (pricing, support)
#   r5  A3       7    "Fine"                         ()
#   r6  A3       3    "Too expensive, slow support"  (pricing, support)
#   r7  A4       5    "Support never answers"        (support,)
#   r8  A4       2    "Support is bad, so is price"  (pricing, support)
#   r9  A5       0    "Outages"                      (reliability,)
TAGGED = pd.DataFrame(
    {
        "response_id": [f"r{i}" for i in range(1, 10)],
        "account_id": ["A1", "A1", "A2", "A2", "A3", "A3", "A4", "A4", "A5"],
        "score": [10, 9, 9, 8, 7, 3, 5, 2, 0],
        "comment": [
            "Great support",
            "Fast and reliable",
            None,
            "Support ok, price high",
            "Fine",
            "Too expensive, slow support",
            "Support never answers",
            "Support is bad, so is price",
            "Outages",
        ],
        "themes": [
            ("support",),
            ("performance", "reliability"),
            (),
            ("pricing", "support"),
            (),
            ("pricing", "support"),
            ("support",),
            ("pricing", "support"),
            ("reliability",),
        ],
    }
)
ACCOUNT_MRR = pd.DataFrame(
    {"account_id": ["A1", "A2", "A3", "A4", "A5"], "mrr": [1000.0, 500.0, 2000.0, 300.0, 800.0]}
)


def test_theme_share_by_category_against_hand_counts():
    # Commented responses: promoters r1, r2 (r3 has no comment) = 2;
    # passives r4, r5 = 2; detractors r6, r7, r8, r9 = 4.
    # support:     promoters 1/2 (r1), passives 1/2 (r4), detractors 3/4 (r6, r7, r8)
    # pricing:     promoters 0/2,      passives 1/2 (r4), detractors 2/4 (r6, r8)
    # reliability: promoters 1/2 (r2), passives 0/2,      detractors 1/4 (r9)
    # performance: promoters 1/2 (r2), passives 0/2,      detractors 0/4
    shares = theme_share_by_category(TAGGED).set_index("theme")
    assert shares.index.tolist() == ["performance", "pricing", "reliability", "support"]
    assert shares.loc["support"].tolist() == [0.5, 0.5, 0.75, 1, 1, 3]
    assert shares.loc["pricing"].tolist() == [0.0, 0.5, 0.5, 0, 1, 2]
    assert shares.loc["reliability"].tolist() == [0.5, 0.0, 0.25, 1, 0, 1]
    assert shares.loc["performance"].tolist() == [0.5, 0.0, 0.0, 1, 0, 0]
    assert shares.columns.tolist() == [
        "promoters_share",
        "passives_share",
        "detractors_share",
        "n_promoters",
        "n_passives",
        "n_detractors",
    ]


def test_theme_share_includes_requested_themes_with_zeros_and_nan_for_empty_categories():
    only_promoters = TAGGED[TAGGED["score"] >= 9]
    shares = theme_share_by_category(only_promoters, theme_ids=["support", "onboarding"])
    assert shares["theme"].tolist() == ["onboarding", "support"]
    assert shares["promoters_share"].tolist() == [0.0, 0.5]
    assert shares["passives_share"].isna().all()  # no passives: 0/0


def test_theme_share_without_comment_column_counts_every_row():
    # Without "comment", r3 counts: promoters = 3, support 1/3.
    shares = theme_share_by_category(TAGGED.drop(columns="comment")).set_index("theme")
    assert shares.loc["support", "promoters_share"] == pytest.approx(1 / 3)


def test_theme_share_empty_input():
    shares = theme_share_by_category(TAGGED.iloc[0:0])
    assert shares.empty
    assert "promoters_share" in shares.columns


def test_theme_trend_against_hand_counts():
    # Current = TAGGED: 8 commented responses.
    #   support 5/8 = 0.625, pricing 3/8 = 0.375, reliability 2/8 = 0.25, performance 1/8
    # Previous: 4 commented responses (p5 has no comment and is left out).
    #   support 1/4 = 0.25, pricing 2/4 = 0.5, onboarding 1/4 = 0.25
    previous = pd.DataFrame(
        {
            "response_id": ["p1", "p2", "p3", "p4", "p5"],
            "comment": ["a", "b", "c", "d", None],
            "themes": [("support", "pricing"), ("pricing",), ("onboarding",), (), ("support",)],
        }
    )
    trend = theme_trend(TAGGED, previous)
    assert trend.columns.tolist() == ["theme", "share_current", "share_previous", "change"]
    rows = {row.theme: (row.share_current, row.share_previous, row.change) for row in trend.itertuples()}
    assert rows["support"] == pytest.approx((0.625, 0.25, 0.375))
    assert rows["reliability"] == pytest.approx((0.25, 0.0, 0.25))
    assert rows["performance"] == pytest.approx((0.125, 0.0, 0.125))
    assert rows["pricing"] == pytest.approx((0.375, 0.5, -0.125))
    assert rows["onboarding"] == pytest.approx((0.0, 0.25, -0.25))
    # sorted by change, largest rise first
    assert trend["theme"].tolist() == ["support", "reliability", "performance", "pricing", "onboarding"]


def test_theme_trend_with_an_empty_period_gives_nan_there():
    trend = theme_trend(TAGGED, TAGGED.iloc[0:0])
    assert trend["share_previous"].isna().all()
    assert trend["change"].isna().all()
    assert theme_trend(TAGGED.iloc[0:0], TAGGED.iloc[0:0]).empty


def test_mrr_at_risk_counts_each_detractor_account_once_per_theme():
    # Detractors: r6 (A3), r7 (A4), r8 (A4), r9 (A5).
    #   support:     A3 + A4 (twice, counted once) = 2000 + 300 = 2300, 2 accounts
    #   pricing:     A3 + A4 = 2300, 2 accounts
    #   reliability: A5 = 800, 1 account
    risk = mrr_at_risk_by_theme(TAGGED, ACCOUNT_MRR)
    assert risk.values.tolist() == [
        ["pricing", 2, 2300.0],
        ["support", 2, 2300.0],
        ["reliability", 1, 800.0],
    ]


def test_mrr_at_risk_unknown_account_counts_zero_and_duplicates_are_errors():
    tagged = pd.DataFrame({"account_id": ["Z"], "score": [1], "themes": [("support",)]})
    assert mrr_at_risk_by_theme(tagged, ACCOUNT_MRR).values.tolist() == [["support", 1, 0.0]]
    doubled = pd.concat([ACCOUNT_MRR, ACCOUNT_MRR.iloc[[0]]])
    with pytest.raises(ValueError, match="account_id 'A1' appears more than once"):
        mrr_at_risk_by_theme(TAGGED, doubled)
    assert mrr_at_risk_by_theme(TAGGED[TAGGED["score"] > 6], ACCOUNT_MRR).empty


def test_rank_feature_requests_against_hand_computed_weights():
    requests = pd.DataFrame(
        {
            "account_id": ["A1", "A1", "A2", "A3", "A4", "A5", "A2"],
            "is_feature_request": [True, True, True, True, True, True, False],
            "product_area": ["api", "api", "api", None, None, pd.NA, "billing"],
            "themes": [(), (), (), ("reporting", "usability"), (), ("reporting",), ()],
        }
    )
    accounts = pd.DataFrame(
        {
            "account_id": ["A1", "A2", "A3", "A4", "A5"],
            "mrr": [1000.0, 500.0, 2000.0, 300.0, 800.0],
            "days_to_renewal": [90, 400, 180, -10, np.nan],
            "health_score": [40, 100, 70, np.nan, 20],
        }
    )
    # weight per account = mrr × urgency (2 if days <= 180) × (1 + (100 - health) / 100)
    #   A1: 1000 × 2 × 1.6 = 3200   A2: 500 × 1 × 1.0 = 500
    #   A3: 2000 × 2 × 1.3 = 5200   A4: 300 × 2 × 1.5 (missing health = 50) = 900
    #   A5:  800 × 1 × 1.8 = 1440 (unknown renewal: not urgent)
    # api (A1 twice, A2):    3 requests, 2 accounts, mrr 1500, weight 3200 + 500 = 3700
    # reporting (A3, A5):    2 requests, 2 accounts, mrr 2800, weight 5200 + 1440 = 6640
    # usability (A3):        1 request,  1 account,  mrr 2000, weight 5200
    # general (A4):          1 request,  1 account,  mrr  300, weight 900
    # A2's billing row is not a request.
    ranked = rank_feature_requests(requests, accounts)
    assert ranked.columns.tolist() == ["request", "requests", "accounts", "mrr", "weight"]
    assert ranked.values.tolist() == [
        ["reporting", 2, 2, 2800.0, pytest.approx(6640.0)],
        ["usability", 1, 1, 2000.0, pytest.approx(5200.0)],
        ["api", 3, 2, 1500.0, pytest.approx(3700.0)],
        ["general", 1, 1, 300.0, pytest.approx(900.0)],
    ]


def test_rank_feature_requests_empty_and_unknown_accounts():
    none = pd.DataFrame(
        {"account_id": ["A1"], "is_feature_request": [False], "product_area": [None], "themes": [()]}
    )
    accounts = pd.DataFrame({"account_id": ["A1"], "mrr": [1.0], "days_to_renewal": [1], "health_score": [1]})
    empty = rank_feature_requests(none, accounts)
    assert empty.empty
    assert empty.columns.tolist() == ["request", "requests", "accounts", "mrr", "weight"]
    stranger = none.assign(account_id=["ZZ"], is_feature_request=[True])
    assert rank_feature_requests(stranger, accounts).values.tolist() == [["general", 1, 1, 0.0, 0.0]]


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="column 'score' is not found"):
        theme_share_by_category(TAGGED.drop(columns="score"))
    with pytest.raises(ValueError, match="column 'health_score' is not found"):
        rank_feature_requests(
            TAGGED.assign(is_feature_request=False, product_area=None),
            ACCOUNT_MRR.assign(days_to_renewal=1),
        )
