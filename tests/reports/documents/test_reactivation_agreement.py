"""A return after a gap that began before the window is a reactivation in every output.

The tiny dataset plus account A6 (Scaled): 80 in March and April 2026, nothing
in May-July, 90 in August and September. For 2026-Q3 (opening month June) A6
starts at 0 and returns in August, having paid before: a reactivation of 90.

Worked by hand for 2026-Q3 (see tests/cs_calc/test_retention.py for the tiny
accounts): new = A3's 300 (Scaled); reactivation = A5's 3200 (Upmarket, back in
September) + A6's 90 (Scaled) = 3290.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.documents.leadership.board_report import build_board_report_context
from reports.pipeline import prepare_run


@pytest.fixture(scope="module")
def gap_data(tmp_path_factory, tiny_dir) -> Path:
    target = tmp_path_factory.mktemp("gap") / "data"
    shutil.copytree(tiny_dir, target)
    with open(target / "accounts.csv", "a", encoding="utf-8") as handle:
        handle.write("A6,Zeta Oy,Scaled,EMEA,Retail,C1,Business,2025-11-01,2027-11-01,USD,\n")
    with open(target / "mrr.csv", "a", encoding="utf-8") as handle:
        for month, mrr in (("03", 80), ("04", 80), ("08", 90), ("09", 90)):
            handle.write(f"A6,2026-{month}-01,{mrr}\n")
    return target


@pytest.fixture(scope="module")
def written(tmp_path_factory, gap_data) -> Path:
    out = tmp_path_factory.mktemp("gap-metrics")
    result = CliRunner().invoke(
        cli, ["--data", str(gap_data), "--out", str(out), "metrics", "--quarter", "2026-Q3"]
    )
    assert result.exit_code == 0, result.output
    return out


def _portfolio(out: Path, metric: str, dimension: str = "all", group: str = "all") -> float:
    table = pd.read_csv(out / "portfolio.csv", keep_default_na=False)
    row = table[(table["metric"] == metric) & (table["dimension"] == dimension) & (table["group"] == group)]
    assert len(row) == 1, (metric, dimension, group)
    return float(row["value"].iloc[0])


def test_movements_csv_calls_it_a_reactivation(written):
    movements = pd.read_csv(written / "movements.csv")
    a6 = movements[movements["account_id"] == "A6"]
    assert a6[["month", "movement", "amount"]].values.tolist() == [["2026-08-01", "reactivation", 90.0]]


def test_portfolio_csv_agrees_overall_and_by_segment(written):
    movements = pd.read_csv(written / "movements.csv")
    by_kind = movements.groupby("movement")["amount"].sum()
    assert _portfolio(written, "new_mrr") == by_kind["new"] == 300
    assert _portfolio(written, "reactivation_mrr") == by_kind["reactivation"] == 3290
    assert _portfolio(written, "new_mrr", "segment", "Scaled") == 300
    assert _portfolio(written, "reactivation_mrr", "segment", "Scaled") == 90
    assert _portfolio(written, "reactivation_mrr", "segment", "Upmarket") == 3200
    assert _portfolio(written, "new_mrr", "segment", "Upmarket") == 0


def test_board_bridge_agrees(gap_data):
    context = build_board_report_context(prepare_run(gap_data, quarter="2026-Q3"))
    assert context.bridge["new_mrr"] == 300
    assert context.bridge["reactivation_mrr"] == 3290
    bridge = context.bridge
    moved = (
        bridge["new_mrr"]
        + bridge["expansion_mrr"]
        + bridge["reactivation_mrr"]
        - bridge["contraction_mrr"]
        - bridge["churned_mrr"]
    )
    assert moved == pytest.approx(bridge["mrr_end"] - bridge["mrr_start"])
