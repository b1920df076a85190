"""QBR deck throughput against the floor "open the template and save it", same run.

    python bench/qbr.py [--accounts 1000] [--workers 1 2]

Generates a sample of ``--accounts`` accounts into a temporary folder,
computes the metrics once, then renders one customer deck per account with 1
and with 2 worker processes (each worker receives only :class:`AccountData`).
Reports decks/s, the time per deck against the floor, and the time 1,000
high-touch decks would take. Targets: <= 3x the floor per deck; 1,000
high-touch decks <= 120 s on 2 cores.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.pipeline import prepare_run
from reports.pptx.deck import open_template, save_deterministic, template_bytes
from reports.qbr.config import QbrConfig, load_qbr_config
from reports.qbr.context import AccountData, AccountIndex, build_qbr_context
from reports.qbr.render_pptx import render_qbr_pptx
from reports.resources import bundled_templates_dir
from reports.sample_data import SampleSpec, generate_sample, write_sample

TEMPLATE = bundled_templates_dir() / "qbr" / "qbr.pptx"
_CONFIG: QbrConfig | None = None


def floor_once(blob: bytes) -> bytes:
    prs = open_template(blob)
    return save_deterministic(prs, title="floor", author="bench", date=dt.date(2026, 10, 1))


def render_one(data: AccountData) -> tuple[str, float]:
    started = time.perf_counter()
    context = build_qbr_context(data, audience="customer", locale="en", config=_CONFIG or QbrConfig())
    render_qbr_pptx(context, template_bytes(TEMPLATE))
    return context.deck_kind, time.perf_counter() - started


def _init(config: QbrConfig) -> None:
    global _CONFIG
    _CONFIG = config


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=1000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        write_sample(generate_sample(SampleSpec(accounts=args.accounts)), Path(tmp))
        run = prepare_run(Path(tmp))
    config = load_qbr_config(run.settings.config_dirs)
    index = AccountIndex(run)
    ids = sorted(run.dataset.tables["accounts"]["account_id"])
    payloads = [index.account_data(a) for a in ids]

    blob = template_bytes(TEMPLATE)
    floor_times = []
    for _ in range(30):
        started = time.perf_counter()
        floor_once(blob)
        floor_times.append(time.perf_counter() - started)
    floor = statistics.median(floor_times)
    print(f"floor (open template + save): {floor * 1000:.1f} ms")

    for workers in args.workers:
        started = time.perf_counter()
        with ProcessPoolExecutor(workers, initializer=_init, initargs=(config,)) as pool:
            results = list(pool.map(render_one, payloads, chunksize=8))
        wall = time.perf_counter() - started
        high = [t for kind, t in results if kind == "high_touch"]
        per_deck = statistics.median(t for _, t in results)
        per_high = statistics.median(high) if high else float("nan")
        print(
            f"{workers} worker(s): {len(results)} decks in {wall:.1f} s = {len(results) / wall:.1f} decks/s; "
            f"median per deck {per_deck * 1000:.0f} ms = {per_deck / floor:.1f}x floor; "
            f"high-touch {per_high * 1000:.0f} ms = {per_high / floor:.1f}x floor "
            f"-> 1,000 high-touch decks ~ {per_high * 1000 / workers:.0f} s"
        )


if __name__ == "__main__":
    main()
