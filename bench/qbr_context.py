"""CPU cost of cutting out an account and building its QBR context, per deck kind.

    python bench/qbr_context.py [--data PATH] [--audience customer] [--locale en]

Uses the bundled sample unless ``--data`` is given. Times are CPU time
(``time.process_time``), so other jobs on a shared machine disturb them
little: the median and 90th percentile over every account of each deck kind,
after one warm-up deck (Babel's locale data loads on first use). Prints the
:class:`~reports.documents.qbr.context.AccountIndex` set-up, ``account_data`` per
account with the pickled size of its :class:`~reports.documents.qbr.context.AccountData`
(what a batch sends to a worker), and ``build_qbr_context`` per deck.
"""

from __future__ import annotations

import argparse
import pickle
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reports.documents.qbr.config import load_qbr_config
from reports.documents.qbr.context import AccountIndex, build_qbr_context


@dataclass(frozen=True)
class ContextCosts:
    """CPU milliseconds of the steps, and pickled bytes of the slices."""

    index_ms: float
    account_data_ms: list[float]
    pickled_bytes: list[int]
    context_ms: dict[str, list[float]]
    """Deck kind (digital, high_touch) -> one time per account."""


def measure_context_costs(run: Any, audience: str = "customer", locale: str = "en") -> ContextCosts:
    """Time ``AccountIndex``, ``account_data`` and ``build_qbr_context`` for every account of ``run``."""
    config = load_qbr_config(run.settings.config_dirs)
    started = time.process_time()
    index = AccountIndex(run)
    index_ms = (time.process_time() - started) * 1000
    ids = sorted(run.dataset.tables["accounts"]["account_id"])
    slices, slice_ms = [], []
    for account_id in ids:
        started = time.process_time()
        slices.append(index.account_data(account_id))
        slice_ms.append((time.process_time() - started) * 1000)
    if slices:
        build_qbr_context(slices[0], audience=audience, locale=locale, config=config)
    by_kind: dict[str, list[float]] = {}
    for data in slices:
        started = time.process_time()
        context = build_qbr_context(data, audience=audience, locale=locale, config=config)
        by_kind.setdefault(context.deck_kind, []).append((time.process_time() - started) * 1000)
    return ContextCosts(index_ms, slice_ms, [len(pickle.dumps(d)) for d in slices], by_kind)


def _spread(values: list[float]) -> str:
    ordered = sorted(values)
    p90 = ordered[min(len(ordered) - 1, int(0.9 * len(ordered)))]
    return f"median {statistics.median(ordered):6.2f}  p90 {p90:6.2f}"


def main(argv: list[str] | None = None) -> None:
    from reports.pipeline import prepare_run

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data", type=Path, default=None, help="data folder (default: the bundled sample)")
    parser.add_argument("--audience", default="customer", choices=("customer", "internal"))
    parser.add_argument("--locale", default="en")
    args = parser.parse_args(argv)
    costs = measure_context_costs(prepare_run(args.data), args.audience, args.locale)
    print(f"AccountIndex set-up           {costs.index_ms:8.1f} ms cpu")
    print(f"account_data        n={len(costs.account_data_ms):>5}  {_spread(costs.account_data_ms)} ms cpu")
    sizes = costs.pickled_bytes
    print(
        f"pickled AccountData            median {statistics.median(sizes):8.0f}  max {max(sizes):8.0f} bytes"
    )
    for kind, values in sorted(costs.context_ms.items()):
        print(f"context {kind:<11} n={len(values):>5}  {_spread(values)} ms cpu")


if __name__ == "__main__":
    main()
