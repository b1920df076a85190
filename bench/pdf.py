"""Benchmark: time per leadership PDF against WeasyPrint rendering the same HTML without charts.

    python bench/pdf.py                 # bundled sample
    python bench/pdf.py --accounts 100000   # generated dataset (monthly usage rows)

For each report the full time (context with charts + HTML + WeasyPrint PDF) is
compared with a floor measured in the same run: the same template rendered to
HTML with ``charts`` emptied, then WeasyPrint alone. Target: ratio <= 1.5.
"""

from __future__ import annotations

import argparse
import dataclasses
import tempfile
import time
from pathlib import Path

from reports.leadership.board_report import build_board_report_context, render_board_report
from reports.leadership.churn_report import build_churn_report_context, render_churn_report
from reports.leadership.common import report_date
from reports.leadership.cost_to_retain import build_cost_to_retain_context, render_cost_to_retain
from reports.pdf import TEMPLATE_ROOT_URL, PdfSettings, make_environment, make_url_fetcher, render_html
from reports.pipeline import prepare_run

REPORTS = {
    "churn-report": ("churn/report.html", build_churn_report_context, render_churn_report),
    "cost-to-retain": ("cost_to_retain/report.html", build_cost_to_retain_context, render_cost_to_retain),
    "board-report": ("board/report.html", build_board_report_context, render_board_report),
}


def floor_seconds(template: str, context, run) -> float:
    """WeasyPrint alone on the same HTML with no charts."""
    from weasyprint import HTML

    bare = dataclasses.replace(context, charts={})
    settings = PdfSettings(generated_on=report_date(run), title="bench")
    variables = {f.name: getattr(bare, f.name) for f in dataclasses.fields(bare)} | {"settings": settings}
    html = render_html(template, variables, env=make_environment())
    started = time.perf_counter()
    HTML(string=html, base_url=TEMPLATE_ROOT_URL, url_fetcher=make_url_fetcher(())).write_pdf()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=0, help="generate a dataset of this size (0: sample)")
    args = parser.parse_args()
    data = None
    if args.accounts:
        from reports.sample_data import SampleSpec, generate_sample, write_sample

        started = time.perf_counter()
        tables = generate_sample(SampleSpec(accounts=args.accounts, usage_frequency="monthly"))
        folder = Path(tempfile.mkdtemp(prefix="csreports-bench-"))
        write_sample(tables, folder, "parquet")
        print(f"generated {args.accounts:,} accounts in {time.perf_counter() - started:.1f}s")
        data = folder
    started = time.perf_counter()
    run = prepare_run(data)
    print(f"metrics ({run.window.label}): {time.perf_counter() - started:.1f}s")
    print(f"{'report':16} {'full s':>8} {'floor s':>8} {'ratio':>6}")
    for name, (template, build, render) in REPORTS.items():
        started = time.perf_counter()
        context = build(run)
        render(run, context=context)
        full = time.perf_counter() - started
        floor = floor_seconds(template, context, run)
        print(f"{name:16} {full:8.2f} {floor:8.2f} {full / floor:6.2f}")


if __name__ == "__main__":
    main()
