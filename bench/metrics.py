"""Benchmark: the full metrics computation on 100k accounts × 36 months, against DuckDB.

    python bench/metrics.py [--accounts 100000] [--months 36]

Generates the dataset once (Parquet, cached under ``bench/_data/``), then in
fresh processes times:

1. csreports: load + validate + ``compute_portfolio_metrics`` (movements,
   NRR/GRR/logo churn for every breakdown, NPS, health with trend and
   backtest, signals, churn reasons, cost to retain), with peak RSS;
2. the floor: DuckDB computing the same movements and NRR/GRR by segment
   from the same Parquet files, checked against csreports' numbers.

Prints a table and the ratio csreports ÷ DuckDB.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _generate(folder: Path, accounts: int, months: int) -> None:
    from reports.data.sample_data import SampleSpec, generate_sample, write_sample

    if (folder / "mrr.parquet").exists():
        return
    started = time.perf_counter()
    tables = generate_sample(SampleSpec(accounts=accounts, months=months, seed=1, usage_frequency="monthly"))
    write_sample(tables, folder, "parquet")
    rows = {name: len(frame) for name, frame in tables.items()}
    print(f"generated {rows} in {time.perf_counter() - started:.0f} s", file=sys.stderr)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_csreports(folder: Path) -> dict:
    from reports.data.loading import load_tables
    from reports.data.settings import load_settings
    from reports.data.validation import validate_tables
    from reports.pipeline import resolve_window

    settings = load_settings()
    cpu0 = time.process_time()
    t0 = time.perf_counter()
    raw = load_tables(folder)
    t1 = time.perf_counter()
    dataset = validate_tables(raw, settings.validation)
    t2 = time.perf_counter()
    window = resolve_window(dataset)
    from cs_calc.portfolio import compute_portfolio_metrics

    metrics = compute_portfolio_metrics(dataset.tables, window, settings.metrics)
    t3 = time.perf_counter()
    cpu_total = time.process_time() - cpu0
    # The same work DuckDB does: movements, then NRR/GRR by segment.
    from cs_calc.mrr import classify_mrr_movements, mrr_matrix
    from cs_calc.retention import compute_retention

    mrr = dataset.tables["mrr"]
    classify_mrr_movements(mrr)
    segments = dataset.tables["accounts"].set_index("account_id")["segment"]
    compute_retention(mrr_matrix(mrr), window, segments)
    t4 = time.perf_counter()
    p = metrics.portfolio
    by_segment = p[(p["dimension"] == "segment") & p["metric"].isin(["nrr", "grr"])]
    return {
        "window": window.label,
        "rows": dataset.row_counts,
        "load_s": t1 - t0,
        "validate_s": t2 - t1,
        "metrics_s": t3 - t2,
        "total_s": t3 - t0,
        "total_cpu_s": cpu_total,
        "core_s": t4 - t3,
        "peak_rss_mb": _peak_rss_mb(),
        "movements": {
            k: float(v) for k, v in metrics.movements.groupby("movement")["amount"].sum().round(2).items()
        },
        "by_segment": {f"{r.metric}:{r.group}": round(float(r.value), 9) for r in by_segment.itertuples()},
    }


DUCKDB_SQL = """
WITH mrr AS (SELECT account_id, month::DATE AS month, mrr FROM read_parquet('{folder}/mrr.parquet')),
accounts AS (SELECT account_id, segment FROM read_parquet('{folder}/accounts.parquet')),
months AS (SELECT DISTINCT month FROM mrr),
ids AS (SELECT DISTINCT account_id FROM mrr),
dense AS (
    SELECT i.account_id, m.month, COALESCE(r.mrr, 0) AS mrr
    FROM ids i CROSS JOIN months m LEFT JOIN mrr r ON r.account_id = i.account_id AND r.month = m.month
),
lagged AS (
    SELECT account_id, month, mrr,
        LAG(mrr) OVER w AS prev,
        MAX(CASE WHEN mrr > 0 THEN 1 ELSE 0 END) OVER (
            PARTITION BY account_id ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING
        ) AS paid_before
    FROM dense WINDOW w AS (PARTITION BY account_id ORDER BY month)
)
SELECT account_id, month, mrr, prev,
    CASE
        WHEN prev IS NULL THEN NULL
        WHEN prev = 0 AND mrr > 0 AND COALESCE(paid_before, 0) = 0 THEN 'new'
        WHEN prev = 0 AND mrr > 0 THEN 'reactivation'
        WHEN prev > 0 AND mrr = 0 THEN 'churn'
        WHEN prev > 0 AND mrr > prev THEN 'expansion'
        WHEN prev > 0 AND mrr < prev THEN 'contraction'
    END AS movement,
    mrr - prev AS amount
FROM lagged
"""

RETENTION_SQL = """
WITH per_account AS (
    SELECT account_id,
        MAX(CASE WHEN month = DATE '{opening}' THEN mrr END) AS start_mrr,
        MAX(CASE WHEN month = DATE '{end}' THEN mrr END) AS end_mrr,
        MIN(CASE WHEN month > DATE '{opening}' AND month <= DATE '{end}' THEN mrr END) AS min_in_window
    FROM dense_movements GROUP BY account_id
),
counted AS (
    SELECT p.*, a.segment,
        CASE WHEN min_in_window <= 0 THEN 0 ELSE end_mrr END AS retained
    FROM per_account p JOIN read_parquet('{folder}/accounts.parquet') a USING (account_id)
    WHERE start_mrr > 0
)
SELECT segment,
    SUM(retained) / SUM(start_mrr) AS nrr,
    SUM(LEAST(retained, start_mrr)) / SUM(start_mrr) AS grr
FROM counted GROUP BY segment ORDER BY segment
"""


def run_duckdb(folder: Path, window: str) -> dict:
    import duckdb

    from cs_calc.periods import parse_quarter

    quarter = parse_quarter(window)
    connection = duckdb.connect()
    connection.execute("SET threads TO 2")
    t0 = time.perf_counter()
    connection.execute(f"CREATE TEMP TABLE dense_movements AS {DUCKDB_SQL.format(folder=folder)}")
    movements = connection.execute(
        "SELECT movement, ROUND(SUM(amount), 2) FROM dense_movements WHERE movement IS NOT NULL GROUP BY 1"
    ).fetchall()
    segments = connection.execute(
        RETENTION_SQL.format(
            folder=folder, opening=f"{quarter.opening_month:%Y-%m-%d}", end=f"{quarter.end:%Y-%m-%d}"
        )
    ).fetchall()
    t1 = time.perf_counter()
    by_segment = {}
    for segment, nrr, grr in segments:
        by_segment[f"nrr:{segment}"] = round(float(nrr), 9)
        by_segment[f"grr:{segment}"] = round(float(grr), 9)
    return {
        "total_s": t1 - t0,
        "peak_rss_mb": _peak_rss_mb(),
        "movements": {k: float(v) for k, v in movements},
        "by_segment": by_segment,
    }


def _in_subprocess(kind: str, folder: Path, window: str = "") -> dict:
    output = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--folder", str(folder), "--window", window],
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(output.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--child", choices=["csreports", "duckdb"])
    parser.add_argument("--folder", type=Path)
    parser.add_argument("--window", default="")
    args = parser.parse_args()
    if args.child == "csreports":
        print(json.dumps(run_csreports(args.folder)))
        return
    if args.child == "duckdb":
        print(json.dumps(run_duckdb(args.folder, args.window)))
        return

    folder = HERE / "_data" / f"metrics-{args.accounts}x{args.months}"
    _generate(folder, args.accounts, args.months)
    ours = _in_subprocess("csreports", folder)
    floor = _in_subprocess("duckdb", folder, ours["window"])
    same_movements = all(abs(ours["movements"][k] - v) < 0.01 for k, v in floor["movements"].items())
    same_segments = all(abs(ours["by_segment"][k] - v) < 1e-9 for k, v in floor["by_segment"].items())
    print(f"dataset: {args.accounts:,} accounts x {args.months} months; rows {ours['rows']}")
    print(f"window: {ours['window']}")
    print(
        f"csreports  load {ours['load_s']:.1f} s | validate {ours['validate_s']:.1f} s | "
        f"metrics {ours['metrics_s']:.1f} s | total {ours['total_s']:.1f} s wall, "
        f"{ours['total_cpu_s']:.1f} s CPU | peak RSS {ours['peak_rss_mb']:.0f} MB"
    )
    print(
        f"duckdb     movements + NRR/GRR by segment {floor['total_s']:.1f} s | peak RSS {floor['peak_rss_mb']:.0f} MB"
    )
    print(f"csreports  same work as duckdb (movements + NRR/GRR by segment) {ours['core_s']:.1f} s")
    print(
        f"ratio      same work: csreports / duckdb = {ours['core_s'] / floor['total_s']:.2f}x; "
        f"everything / duckdb = {ours['total_s'] / floor['total_s']:.1f}x"
    )
    print(f"same numbers: movements {same_movements}, NRR/GRR by segment {same_segments}")


if __name__ == "__main__":
    main()
