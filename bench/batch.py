"""Batch-run throughput and memory: digital QBR decks with 1 and 2 local workers and dask-local.

    python bench/batch.py [--decks 10000] [--configs local:1 local:2 dask-local:2] [--rounds N]
                          [--stub-render [--stub-sleep MS]] [--leadership [--singles-inline]] [--resume]

Generates ``SampleSpec(accounts=10_000, months=15, usage_frequency="monthly")``
once into ``bench/_data/batch-10000x15/`` (reused when present), computes the
metrics once, then for each configuration runs the same plan (the first
``--decks`` accounts, digital customer decks, PPTX only; with
``--leadership`` also churn-report, cost-to-retain, board-report and
nps-digest) into a fresh temporary folder through
:func:`reports.batch.runner.execute_plan`.

``--stub-render`` swaps the per-deck context building and rendering for a
stand-in that returns a few bytes, in every worker (through
``RunOptions.worker_setup``); everything else is real: packing each chunk's accounts in
this process, shipping the chunk, unpacking and hashing in the worker, the resume check,
atomic writes, sha256, the manifest, the progress accounting. What is left
is the batch machinery's own cost per document. ``--stub-sleep MS`` makes
each stand-in deck wait (not compute) MS milliseconds: the speed-up from 1
to 2 workers then shows whether the machinery keeps the workers busy, even
on a machine whose cores are taken by other work.

Memory: a thread samples every 0.25 s the process tree (this process and
every descendant: workers, forkserver, forked single-document processes,
Dask workers; the Dask scheduler and nannies run in this process) and keeps
the peak of the *sum of RSS* (counts pages shared between processes, such
as the forkserver's preloaded libraries or the copy-on-write run data of a
forked process, once per process: an upper bound) and the peak of the *sum
of PSS* (shared pages split between the processes sharing them: the
machine's actual use). CPU: user + system seconds of the tree (this process
from the start of the configuration; descendants from their start, as last
sampled), split into this process (without the sampling thread) and the rest.

Speed-up: ``--rounds N`` runs the configurations N times, reversing their
order every other round, and prints the speed-up of each round and their
median (a shared machine's speed drifts between runs). Before and after the
runs, the *machine ceiling* is measured: the work two processes running a
fixed pure-Python loop get done at once, over the work one gets done alone
(2.00x on two free cores). The 1 -> 2 worker speed-up cannot exceed it.

Targets (2-core machine): 10k decks <= 5 min, speed-up >= 1.7x, peak RSS <= 2 GB.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import contextlib
import dataclasses
import functools
import json
import multiprocessing
import os
import pickle
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.batch.job import parse_job
from reports.batch.plan import make_plan
from reports.batch.runner import MAX_CHUNK, EventLog, RunOptions, execute_plan

DATA = Path(__file__).resolve().parent / "_data"
LEADERSHIP = ["churn-report", "cost-to-retain", "board-report", "nps-digest"]


def _stub_outputs(task: Any, data: Any, shared: Any, sleep_s: float = 0.0) -> Iterator[tuple[str, bytes]]:
    """Stand-in for context + render: a few bytes per output, after ``sleep_s`` seconds of waiting."""
    if sleep_s:
        time.sleep(sleep_s)
    for document, _path in task.outputs:
        yield document, f"stub {document} {task.account_id}\n".encode()


def install_stub(sleep_ms: float = 0.0) -> None:
    """Runs in each worker: replace the worker's render step by :func:`_stub_outputs`."""
    import reports.batch.worker as worker

    worker.render_outputs = functools.partial(_stub_outputs, sleep_s=sleep_ms / 1000)


class TreeSampler:
    """Peak summed RSS and PSS of this process and its descendants, and their CPU, sampled in a thread."""

    def __init__(self, interval: float = 0.25):
        self.interval = interval
        self.peak_rss = self.peak_pss = 0
        self.me = psutil.Process()
        self.cpu: dict[int, tuple[float, float]] = {}
        """pid -> (CPU seconds when first seen, when last seen)."""
        self.own = 0.0
        """CPU seconds of the sampling thread itself (left out of this process's figure)."""
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    @staticmethod
    def _seconds(proc: psutil.Process) -> float:
        times = proc.cpu_times()
        return times.user + times.system

    def _sample(self, initial: bool = False) -> None:
        rss = pss = 0
        for proc in [self.me, *self.me.children(recursive=True)]:
            with contextlib.suppress(psutil.Error):
                memory = proc.memory_full_info()
                rss += memory.rss
                pss += memory.pss
                seconds = self._seconds(proc)
                first = self.cpu.get(proc.pid, (seconds if initial else 0.0, 0.0))[0]
                self.cpu[proc.pid] = (first, seconds)
        self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)

    def cpu_seconds(self) -> tuple[float, float]:
        """(this process without the sampler, descendants) CPU seconds used while sampled."""
        mine = self.cpu.get(self.me.pid, (0.0, 0.0))
        children = sum(last - first for pid, (first, last) in self.cpu.items() if pid != self.me.pid)
        return mine[1] - mine[0] - self.own, children

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            started = time.thread_time()
            self._sample()
            self.own += time.thread_time() - started

    def __enter__(self) -> TreeSampler:
        self._sample(initial=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


def _busy(seconds: float) -> int:
    """A fixed pure-Python workload (dicts and text, as in building a deck), repeated for ``seconds``."""
    done, end = 0, time.perf_counter() + seconds
    while time.perf_counter() < end:
        values = {str(i): i * 2.5 for i in range(200)}
        ",".join(f"{key}={value}" for key, value in values.items())
        done += 1
    return done


def machine_ceiling(seconds: float = 3.0) -> float:
    """Work two processes get done at once over the work one gets done alone (2.0 on two free cores)."""
    context = multiprocessing.get_context("fork")
    with concurrent.futures.ProcessPoolExecutor(2, mp_context=context) as pool:
        list(pool.map(_busy, [0.1, 0.1]))  # both processes started
        alone = pool.submit(_busy, seconds).result()
        together = sum(pool.map(_busy, [seconds, seconds]))
    return together / alone


def dataset(accounts: int) -> Path:
    folder = DATA / f"batch-{accounts}x15"
    if not (folder / "accounts.csv").is_file():
        started = time.perf_counter()
        from reports.data.sample_data import SampleSpec, generate_sample, write_sample

        tables = generate_sample(SampleSpec(accounts=accounts, months=15, usage_frequency="monthly"))
        write_sample(tables, folder)
        print(f"generated {folder} in {time.perf_counter() - started:.1f} s", flush=True)
    return folder


def parent_floor(plan: Any, limit: int = 1000, size: int = MAX_CHUNK) -> str:
    """What this process does per deck before any worker sees it: cut the chunks' data, pickle them."""
    cpu = time.process_time()
    chunks = plan.qbr_chunks(size)
    chunk = next(chunks)  # builds the AccountIndex
    index_s = time.process_time() - cpu
    cut = pickled = 0.0
    n = 0
    while chunk is not None and n < limit:
        started = time.process_time()
        pickle.dumps(chunk, protocol=pickle.DEFAULT_PROTOCOL)
        middle = time.process_time()
        n += len(chunk)
        chunk = next(chunks, None)
        cut, pickled = cut + time.process_time() - middle, pickled + middle - started
    return (
        f"parent floor: AccountIndex build {index_s:.1f} s CPU once; per deck {cut / n * 1000:.2f} ms CPU "
        f"to cut the data + {pickled / n * 1000:.2f} ms to pickle the task (chunks of {size}, mean of {n})"
    )


def measure(label: str, plan: Any, options: RunOptions) -> float:
    """Run ``plan`` once, print throughput, memory and CPU; returns the wall seconds."""
    with TreeSampler() as sampler:
        started = time.perf_counter()
        summary = execute_plan(plan, options, log=EventLog(write=lambda line: None))
        seconds = time.perf_counter() - started
    done = summary.rendered + summary.reused
    rate = done / seconds
    parent, children = sampler.cpu_seconds()
    per = 1000 / max(done, 1)
    print(
        f"{label:>13}: {summary.rendered:,} documents rendered, {summary.reused:,} reused "
        f"({summary.failed} failed) in {seconds:.1f} s = {rate:.2f}/s -> 10,000 in {10_000 / rate / 60:.1f} min; "
        f"peak RSS sum {sampler.peak_rss / 2**30:.2f} GiB, PSS sum {sampler.peak_pss / 2**30:.2f} GiB; "
        f"CPU {(parent + children) * per:.1f} ms/doc (this process {parent * per:.1f}, others {children * per:.1f}), "
        f"{(parent + children) / seconds:.2f} cores busy",
        flush=True,
    )
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--accounts", type=int, default=10_000, help="accounts in the generated dataset")
    parser.add_argument("--decks", type=int, default=2_000, help="decks per configuration")
    parser.add_argument("--configs", nargs="+", default=["local:1", "local:2", "dask-local:2"])
    parser.add_argument("--stub-render", action="store_true", help="measure the machinery: no real decks")
    parser.add_argument(
        "--stub-sleep",
        type=float,
        default=0.0,
        metavar="MS",
        help="with --stub-render: each stand-in deck waits MS milliseconds (a deck's latency without its CPU)",
    )
    parser.add_argument("--leadership", action="store_true", help="also 4 leadership documents in the job")
    parser.add_argument("--resume", action="store_true", help="then run each again with --resume")
    parser.add_argument("--rounds", type=int, default=1, help="run the configurations this many times")
    parser.add_argument(
        "--singles-inline", action="store_true", help="render them first in this process (the old way)"
    )
    args = parser.parse_args()

    folder = dataset(args.accounts)
    started = time.perf_counter()
    from reports.pipeline import prepare_run  # here, not above: workers import this script again

    run = prepare_run(folder)
    print(
        f"metrics for {args.accounts:,} accounts ({run.window.label}) in {time.perf_counter() - started:.1f} s"
    )
    ids = sorted(run.dataset.tables["accounts"]["account_id"].astype(str))[: args.decks]
    documents: list[Any] = [{"kind": "qbr", "deck": "digital", "accounts": {"ids": ids}}]
    job = parse_job(
        {"documents": (LEADERSHIP if args.leadership else []) + documents},
        Path("bench-batch.yaml"),
        run.settings,
    )
    with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
        print(parent_floor(make_plan(job, run, Path(tmp))), flush=True)
    results: dict[str, list[float]] = {config: [] for config in args.configs}
    digests: dict[str, dict[str, str]] = {}
    mode = "real render"
    if args.stub_render:
        mode = f"stub render (machinery only{f', {args.stub_sleep:g} ms wait per deck' if args.stub_sleep else ''})"
    print(f"{len(ids):,} digital decks{' + 4 leadership documents' if args.leadership else ''}, {mode}")
    ceilings = [machine_ceiling()]
    print(f"machine ceiling: 2 processes do {ceilings[0]:.2f}x the work of 1", flush=True)
    for round_ in range(args.rounds):
        order = args.configs if round_ % 2 == 0 else args.configs[::-1]
        for config in order:
            executor, workers = config.split(":")
            with tempfile.TemporaryDirectory(prefix="bench-batch-") as tmp:
                plan = make_plan(job, run, Path(tmp))
                options = RunOptions(
                    executor=executor,
                    workers=int(workers),
                    progress=False,
                    worker_setup=functools.partial(install_stub, args.stub_sleep)
                    if args.stub_render
                    else None,
                    singles_forked=False if args.singles_inline else None,
                )
                results[config].append(measure(config, plan, options))
                payload = json.loads((Path(tmp) / "manifest.json").read_text())
                digests[config] = {
                    d["path"]: d["sha256"] for d in payload["documents"] if d["status"] == "ok"
                }
                if args.resume:
                    measure(f"{config} --resume", plan, dataclasses.replace(options, resume=True))
    ceilings.append(machine_ceiling())
    print(f"machine ceiling: 2 processes do {ceilings[1]:.2f}x the work of 1")
    if results.get("local:1") and results.get("local:2"):
        ratios = [one / two for one, two in zip(results["local:1"], results["local:2"], strict=True)]
        print(
            f"speed-up 1 -> 2 local workers: {statistics.median(ratios):.2f}x median of "
            f"{', '.join(f'{r:.2f}' for r in ratios)} (target >= 1.7x; machine ceiling "
            f"{min(ceilings):.2f}-{max(ceilings):.2f}x)"
        )
    first = next(iter(digests.values()))
    same = all(d == first for d in digests.values())
    print(f"byte-identical outputs across configurations: {same}")
    load = ", ".join(f"{x:.1f}" for x in psutil.getloadavg())
    print(f"load average at the end: {load} on {os.cpu_count()} cores (shared machine)")


if __name__ == "__main__":
    main()
