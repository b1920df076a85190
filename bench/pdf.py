"""Benchmark: time per leadership PDF against WeasyPrint rendering the same HTML without charts.

    python bench/pdf.py                      # bundled sample
    python bench/pdf.py --accounts 100000    # generated dataset (monthly usage rows), cached in bench/_data/

For each report the full time (context with charts + HTML + WeasyPrint PDF) is
compared with a floor measured in the same run: the same template rendered to
HTML with ``charts`` emptied, then WeasyPrint alone. Target: ratio <= 1.5.
The run's metrics (computed once per run for every document, including the
8-quarter trend and the health bands the leadership documents read) are
timed on their own line, not in the ratio.

Both are measured after one untimed warm-up of each (the first WeasyPrint
call of a process loads fonts and the default stylesheets, the first chart
loads matplotlib's fonts), then ``--repeat`` times, alternating, each from a
collected heap; the table gives medians of wall and CPU seconds and the
median of each round's ratio (a round's full and floor run back to back, so
the shared machine's drift between rounds cancels out).
"""

from __future__ import annotations

import argparse
import dataclasses
import gc
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from reports.documents.leadership.board_report import build_board_report_context, render_board_report
from reports.documents.leadership.churn_report import build_churn_report_context, render_churn_report
from reports.documents.leadership.common import report_date
from reports.documents.leadership.cost_to_retain import build_cost_to_retain_context, render_cost_to_retain
from reports.pipeline import prepare_run
from reports.render.pdf import TEMPLATE_ROOT_URL, PdfSettings, make_environment, make_url_fetcher, render_html

HERE = Path(__file__).parent
REPORTS = {
    "churn-report": ("churn/report.html", build_churn_report_context, render_churn_report),
    "cost-to-retain": ("cost_to_retain/report.html", build_cost_to_retain_context, render_cost_to_retain),
    "board-report": ("board/report.html", build_board_report_context, render_board_report),
}


def floor_html(template: str, context, run) -> str:
    """The report's HTML with no charts (rendered outside the timed part of the floor)."""
    bare = dataclasses.replace(context, charts={})
    settings = PdfSettings(generated_on=report_date(run), title="bench")
    variables = {f.name: getattr(bare, f.name) for f in dataclasses.fields(bare)} | {"settings": settings}
    return render_html(template, variables, env=make_environment())


def floor_pdf(html: str) -> bytes:
    """WeasyPrint alone on the HTML with no charts."""
    from weasyprint import HTML

    return HTML(string=html, base_url=TEMPLATE_ROOT_URL, url_fetcher=make_url_fetcher(())).write_pdf()


def floor_seconds(template: str, context, run) -> float:
    """Wall seconds of :func:`floor_pdf` on the report's HTML without charts."""
    html = floor_html(template, context, run)
    started = time.perf_counter()
    floor_pdf(html)
    return time.perf_counter() - started


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    """Wall and CPU seconds of ``work``, from a collected heap (neither side pays for the other's garbage)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    work()
    return time.perf_counter() - wall, time.process_time() - cpu


def _median_ratio(full: list[tuple[float, float]], floor: list[tuple[float, float]], i: int) -> float:
    """Median over rounds of full ÷ floor, each round's pair measured back to back."""
    return statistics.median(f[i] / g[i] for f, g in zip(full, floor, strict=True))


def _dataset(accounts: int) -> Path:
    from reports.data.sample_data import SampleSpec, generate_sample, write_sample

    spec = SampleSpec(accounts=accounts, usage_frequency="monthly")
    folder = HERE / "_data" / f"pdf-{spec.accounts}x{spec.months}"
    if not (folder / "accounts.parquet").exists():
        started = time.perf_counter()
        folder.mkdir(parents=True, exist_ok=True)
        write_sample(generate_sample(spec), folder, "parquet")
        print(f"generated {accounts:,} accounts into {folder} in {time.perf_counter() - started:.1f}s")
    return folder


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--accounts", type=int, default=0, help="generate a dataset of this size (0: sample)")
    parser.add_argument("--repeat", type=int, default=3, help="timed rounds per report (median is shown)")
    parser.add_argument("--only", choices=sorted(REPORTS), action="append", help="run only these reports")
    args = parser.parse_args()
    data = _dataset(args.accounts) if args.accounts else None
    started = time.perf_counter()
    run = prepare_run(data)
    print(f"metrics ({run.window.label}): {time.perf_counter() - started:.1f}s")
    print(
        f"{'report':16} {'full s':>8} {'floor s':>8} {'ratio':>6}   "
        f"{'full cpu':>8} {'floor cpu':>9} {'cpu ratio':>9}"
    )
    for name, (template, build, render) in REPORTS.items():
        if args.only and name not in args.only:
            continue
        context = build(run)
        html = floor_html(template, context, run)
        render(run, context=context)  # warm-up, untimed
        floor_pdf(html)
        full, floor = [], []
        for _ in range(max(1, args.repeat)):
            full.append(_timed(lambda build=build, render=render: render(run, context=build(run))))
            floor.append(_timed(lambda html=html: floor_pdf(html)))
        wall, cpu = (statistics.median(f[i] for f in full) for i in (0, 1))
        floor_wall, floor_cpu = (statistics.median(f[i] for f in floor) for i in (0, 1))
        print(
            f"{name:16} {wall:8.2f} {floor_wall:8.2f} {_median_ratio(full, floor, 0):6.2f}   "
            f"{cpu:8.2f} {floor_cpu:9.2f} {_median_ratio(full, floor, 1):9.2f}",
            flush=True,
        )


if __name__ == "__main__":
    main()
