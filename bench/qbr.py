"""QBR deck throughput against the floor "open the template and save it", same run.

    python bench/qbr.py [--accounts 1000] [--workers 1 2]

Generates a sample of ``--accounts`` accounts into a temporary folder,
computes the metrics once, then renders one customer deck per account with 1
and with 2 worker processes (each worker receives only :class:`AccountData`).

Reports, in one run:

- the floor: open the template and save it (median of 30, wall and CPU);
- per deck, for digital and high-touch decks: context and render time,
  wall and CPU (``time.process_time`` in the worker), median;
- per worker count: decks/s, total CPU seconds of the workers
  (``RUSAGE_CHILDREN``), the time per deck against the floor;
- projections: 1,000 high-touch decks and 10,000 digital decks with 2 workers.

Targets: <= 3x the floor per deck; 1,000 high-touch decks <= 120 s and
10,000 digital decks <= 300 s on 2 cores. The machine may be shared: CPU
seconds are less noisy than wall time, so both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.data.sample_data import SampleSpec, generate_sample, write_sample
from reports.documents.qbr.config import QbrConfig, load_qbr_config
from reports.documents.qbr.context import AccountData, AccountIndex, build_qbr_context
from reports.documents.qbr.render_pptx import render_qbr_pptx
from reports.pipeline import prepare_run
from reports.render.pptx.deck import open_template, save_deterministic, template_bytes
from reports.resources import bundled_templates_dir

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
KINDS = ("digital", "high_touch")
_CONFIG: QbrConfig | None = None

# (deck kind, context wall, render wall, context cpu, render cpu), seconds
Timing = tuple[str, float, float, float, float]


def floor_once(blob: bytes) -> bytes:
    prs = open_template(blob)
    return save_deterministic(prs, title="floor", author="bench", date=dt.date(2026, 10, 1))


def render_one(data: AccountData) -> Timing:
    wall, cpu = time.perf_counter(), time.process_time()
    context = build_qbr_context(data, audience="customer", locale="en", config=_CONFIG or QbrConfig())
    wall_mid, cpu_mid = time.perf_counter(), time.process_time()
    render_qbr_pptx(context, template_bytes(TEMPLATE))
    wall_end, cpu_end = time.perf_counter(), time.process_time()
    return context.deck_kind, wall_mid - wall, wall_end - wall_mid, cpu_mid - cpu, cpu_end - cpu_mid


def _init(config: QbrConfig) -> None:
    global _CONFIG
    _CONFIG = config
    template_bytes(TEMPLATE)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def _mean(values: list[float]) -> float:
    return statistics.fmean(values) if values else float("nan")


def measure_floor(blob: bytes, repeats: int = 30) -> tuple[float, float]:
    """Median wall and CPU seconds of opening the template and saving it."""
    floor_once(blob)  # warm caches, as a worker would be
    walls, cpus = [], []
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        floor_once(blob)
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return _median(walls), _median(cpus)


def report_kinds(results: list[Timing], floor_wall: float, floor_cpu: float) -> None:
    for kind in KINDS:
        rows = [r for r in results if r[0] == kind]
        if not rows:
            continue
        ctx_w, ren_w = _median([r[1] for r in rows]), _median([r[2] for r in rows])
        ctx_c, ren_c = _median([r[3] for r in rows]), _median([r[4] for r in rows])
        total_w = _median([r[1] + r[2] for r in rows])
        total_c = _median([r[3] + r[4] for r in rows])
        print(
            f"  {kind:<10} n={len(rows):>4}  wall: context {ctx_w * 1000:5.0f} + render {ren_w * 1000:5.0f}"
            f" = {total_w * 1000:5.0f} ms ({total_w / floor_wall:4.1f}x floor)"
            f" | cpu: {ctx_c * 1000:5.0f} + {ren_c * 1000:5.0f} = {total_c * 1000:5.0f} ms"
            f" ({total_c / floor_cpu:4.1f}x floor cpu)"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        write_sample(generate_sample(SampleSpec(accounts=args.accounts)), Path(tmp))
        run = prepare_run(Path(tmp))
    config = load_qbr_config(run.settings.config_dirs)
    index = AccountIndex(run)
    ids = sorted(run.dataset.tables["accounts"]["account_id"])
    payloads = [index.account_data(a) for a in ids]
    print(f"setup (sample, metrics, {len(payloads)} AccountData): {time.perf_counter() - started:.1f} s")

    blob = template_bytes(TEMPLATE)
    floor_wall, floor_cpu = measure_floor(blob)
    print(f"floor (open template + save): {floor_wall * 1000:.1f} ms wall, {floor_cpu * 1000:.1f} ms cpu")

    per_kind_2: dict[str, float] = {}
    for workers in args.workers:
        cpu_before = _children_cpu()
        started = time.perf_counter()
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(config,)) as pool:
            results = list(pool.map(render_one, payloads, chunksize=16))
        wall = time.perf_counter() - started
        cpu = _children_cpu() - cpu_before
        per_deck = _median([r[1] + r[2] for r in results])
        print(
            f"{workers} worker(s): {len(results)} decks in {wall:.1f} s wall = {len(results) / wall:.1f} decks/s;"
            f" workers' cpu {cpu:.1f} s = {cpu / len(results) * 1000:.0f} ms/deck;"
            f" median per deck {per_deck * 1000:.0f} ms = {per_deck / floor_wall:.1f}x floor",
            flush=True,
        )
        report_kinds(results, floor_wall, floor_cpu)
        for kind in KINDS:
            rows = [r for r in results if r[0] == kind]
            # all-in cost per deck: the run's wall time shared out by each kind's share of work
            share = sum(r[1] + r[2] for r in rows) / max(sum(r[1] + r[2] for r in results), 1e-9)
            per_kind_2[f"{kind}@{workers}"] = wall * share / len(rows) if rows else float("nan")
            per_kind_2[f"{kind}_cpu"] = _mean([r[3] + r[4] for r in rows])

    top = max(args.workers)
    high, digital = per_kind_2.get(f"high_touch@{top}"), per_kind_2.get(f"digital@{top}")
    print(f"projections with {top} worker(s), from this run's wall time (and from cpu / {top}):")
    if high is not None:
        print(
            f"  1,000 high-touch decks ~ {high * 1000:.0f} s wall"
            f" (cpu-bound {per_kind_2['high_touch_cpu'] * 1000 / top:.0f} s); target <= 120 s"
        )
    if digital is not None:
        print(
            f"  10,000 digital decks ~ {digital * 10_000:.0f} s wall"
            f" (cpu-bound {per_kind_2['digital_cpu'] * 10_000 / top:.0f} s); target <= 300 s"
        )


if __name__ == "__main__":
    main()
