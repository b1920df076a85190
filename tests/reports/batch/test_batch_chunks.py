"""How QBR tasks are chunked for the workers: every task once, in plan order, chunks shrinking to the end."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from reports.batch.job import parse_job
from reports.batch.plan import make_plan
from reports.batch.runner import MAX_CHUNK, RunOptions, chunk_sizes


@given(tasks=st.integers(0, 5_000), workers=st.integers(1, 16))
def test_guided_sizes_cover_every_task_and_shrink(tasks: int, workers: int) -> None:
    sizes = list(chunk_sizes(RunOptions(), tasks, workers))
    assert sum(sizes) == tasks
    assert all(1 <= size <= MAX_CHUNK for size in sizes)
    assert sizes == sorted(sizes, reverse=True)
    # A chunk handed out never exceeds a quarter of a worker's share of what was left,
    # so no worker is left rendering a big chunk alone at the end.
    left = tasks
    for size in sizes:
        assert size == 1 or size <= left / (4 * workers)
        left -= size


@given(tasks=st.integers(0, 300), size=st.integers(1, 40))
def test_fixed_and_fail_fast_sizes(tasks: int, size: int) -> None:
    assert sum(chunk_sizes(RunOptions(chunk_size=size), tasks, 2)) == tasks
    assert set(chunk_sizes(RunOptions(chunk_size=size), tasks, 2)) <= {size, tasks % size}
    assert set(chunk_sizes(RunOptions(fail_fast=True), tasks, 2)) <= {1}


def test_chunks_carry_each_task_once_in_plan_order_with_its_own_data(sample_run, tmp_path: Path) -> None:
    job = parse_job(
        {"documents": [{"kind": "qbr", "deck": "digital"}]}, Path("job.yaml"), sample_run.settings
    )
    plan = make_plan(job, sample_run, tmp_path)
    sizes = list(chunk_sizes(RunOptions(), len(plan.qbr_rows), 2))
    chunks = list(plan.qbr_chunks(sizes))
    assert [len(chunk) for chunk in chunks] == sizes
    tasks = [chunk.task(i) for chunk in chunks for i in range(len(chunk))]
    assert [task.seq for task in tasks] == [row.seq for row in plan.qbr_rows]
    assert all(task.data.account_id == task.account_id for task in tasks)
    # Sizes that run out early: the last chunk takes the rest.
    short = list(plan.qbr_chunks([3, 2]))
    assert [len(chunk) for chunk in short] == [3, 2, len(plan.qbr_rows) - 5]
