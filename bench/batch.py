"""Batch-run throughput and memory: digital QBR decks with 1 and 2 local workers and dask-local.

    python bench/batch.py [--decks 10000] [--configs local:1 local:2 dask-local:2]

Generates ``SampleSpec(accounts=10_000, months=15, usage_frequency="monthly")``
once into ``bench/_data/batch-10000x15/`` (reused when present), computes the
metrics once, then for each configuration runs the same plan (the first
``--decks`` accounts, digital customer decks, PPTX only) into a fresh
temporary folder through :func:`reports.batch.runner.execute_plan`, sampling
the RSS of the whole process tree (this process + every descendant: workers,
forkserver, Dask nanny/worker/scheduler) every 0.2 s.

Reports documents/s, the wall time extrapolated to 10,000 decks, peak RSS
and the 1 -> 2 worker speed-up, and checks every configuration wrote
byte-identical decks. Targets (2-core machine): 10k decks <= 5 min, speed-up
>= 1.7x, peak RSS <= 2 GB.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.batch.job import parse_job
from reports.batch.plan import make_plan
from reports.batch.runner import EventLog, RunOptions, execute_plan
from reports.pipeline import prepare_run
from reports.sample_data import SampleSpec, generate_sample, write_sample

DATA = Path(__file__).resolve().parent / "_data"


class TreeRss:
    """Peak summed RSS of this process and all its descendants, sampled in a thread."""

    def __init__(self, interval: float = 0.2):
        self.interval, self.peak = interval, 0
        self.cpu: dict[int, list[float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> int:
        me = psutil.Process()
        total = 0
        for proc in [me, *me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                total += proc.memory_info().rss
                times = proc.cpu_times()
                self.cpu.setdefault(proc.pid, [times.user + times.system] * 2)[1] = times.user + times.system
        return total

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds the process tree used while sampled (last seen minus first seen, per process)."""
        return sum(last - first for first, last in self.cpu.values())

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            self._stop.wait(self.interval)

    def __enter__(self) -> TreeRss:
        self.peak = self._sample()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def dataset(accounts: int) -> Path:
    folder = DATA / f"batch-{accounts}x15"
    if not (folder / "accounts.csv").is_file():
        started = time.perf_counter()
        tables = generate_sample(SampleSpec(accounts=accounts, months=15, usage_frequency="monthly"))
        write_sample(tables, folder)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--accounts", type=int, default=10_000, help="accounts in the generated dataset")
    parser.add_argument("--decks", type=int, default=10_000, help="decks per configuration")
    parser.add_argument("--configs", nargs="+", default=["local:1", "local:2", "dask-local:2"])
    args = parser.parse_args()

    folder = dataset(args.accounts)
    started = time.perf_counter()
    run = prepare_run(folder)
    print(
        f"metrics for {args.accounts:,} accounts ({run.window.label}) in {time.perf_counter() - started:.1f} s"
    )
    ids = sorted(run.dataset.tables["accounts"]["account_id"].astype(str))[: args.decks]
    job = parse_job(
        {"documents": [{"kind": "qbr", "deck": "digital", "accounts": {"ids": ids}}]},
        Path("bench-batch.yaml"),
        run.settings,
    )
    results: dict[str, tuple[float, int]] = {}
    digests: dict[str, dict[str, str]] = {}
    quiet = EventLog(write=lambda line: None)
    for config in args.configs:
        executor, workers = config.split(":")
        with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
            plan = make_plan(job, run, Path(tmp))
            options = RunOptions(executor=executor, workers=int(workers), progress=False)
            with TreeRss() as rss:
                t0 = time.perf_counter()
                summary = execute_plan(plan, options, log=quiet)
                seconds = time.perf_counter() - t0

            payload = json.loads((Path(tmp) / "manifest.json").read_text())
            digests[config] = {d["path"]: d["sha256"] for d in payload["documents"] if d["status"] == "ok"}
        results[config] = (seconds, rss.peak)
        rate = summary.rendered / seconds
        print(
            f"{config:>13}: {summary.rendered:,} decks ({summary.failed} failed) in {seconds:.1f} s = "
            f"{rate:.2f} decks/s -> 10,000 decks in {10_000 / rate / 60:.1f} min; "
            f"peak RSS (process tree) {rss.peak / 2**20:,.0f} MiB; "
            f"CPU {rss.cpu_seconds / max(summary.rendered, 1) * 1000:.0f} ms/deck, "
            f"{rss.cpu_seconds / seconds:.2f} cores busy on average",
            flush=True,
        )
    if "local:1" in results and "local:2" in results:
        print(
            f"speed-up 1 -> 2 local workers: {results['local:1'][0] / results['local:2'][0]:.2f}x (target >= 1.7x)"
        )
    first = next(iter(digests.values()))
    same = all(d == first for d in digests.values())
    print(f"byte-identical decks across configurations: {same}")
    print(
        f"load average during the run: {psutil.getloadavg()} on {psutil.cpu_count()} cores (shared machine)"
    )


if __name__ == "__main__":
    main()
