"""``csreports run JOB.yaml``: a batch of documents as one resumable, parallel run."""

from __future__ import annotations

from pathlib import Path

import click

from reports.batch.executors import EXECUTORS
from reports.cli.commands.global_options import option_given
from reports.cli.types import examples
from reports.output.files import ensure_out_dir


def check_executor_options(executor: str, scheduler: str | None) -> None:
    """``--scheduler`` goes with ``--executor dask`` and only with it; raises UsageError."""
    if executor == "dask" and not scheduler:
        raise click.UsageError("--executor dask needs --scheduler tcp://HOST:PORT")
    if scheduler and executor != "dask":
        raise click.UsageError("--scheduler only applies with --executor dask")


@click.command(
    "run",
    epilog=examples(
        "csreports run jobs/quarterly.yaml",
        "csreports run jobs/quarterly.yaml --workers 4 --out ./q3",
        "csreports run jobs/quarterly.yaml --resume --out ./q3",
    ),
)
@click.argument("job_file", metavar="JOB.yaml", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--workers", type=click.IntRange(1), help="Worker processes. Default: one per CPU core.")
@click.option(
    "--resume", is_flag=True, help="Skip documents the manifest records as done with the same inputs."
)
@click.option("--fail-fast", is_flag=True, help="Stop submitting work after the first failed document.")
@click.option(
    "--executor",
    type=click.Choice(EXECUTORS),
    default="local",
    show_default=True,
    help="local processes, a local Dask cluster, or an existing Dask cluster (--scheduler).",
)
@click.option("--scheduler", metavar="ADDR", help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.pass_context
def command(
    ctx: click.Context,
    job_file: Path,
    workers: int | None,
    resume: bool,
    fail_fast: bool,
    executor: str,
    scheduler: str | None,
) -> int:
    """Run a job file: QBRs for many accounts and leadership documents, in parallel, with a manifest.

    --data and --out on the command line override the job file's.
    Exit 0 when everything rendered, 3 when some documents failed (see manifest.json).
    """
    from reports.batch.job import load_job
    from reports.batch.runner import RunOptions, run_job
    from reports.cli.commands.review import write_page_line
    from reports.data.settings import load_settings

    obj = ctx.obj
    check_executor_options(executor, scheduler)
    job = load_job(job_file, load_settings(obj["config_dir"]))
    data = obj["data"] if obj["data"] is not None else job.data
    out_dir: Path = obj["out_dir"] if option_given(ctx, "out_dir") or job.out is None else job.out
    ensure_out_dir(out_dir)
    options = RunOptions(
        executor=executor, workers=workers, scheduler=scheduler, resume=resume, fail_fast=fail_fast
    )
    try:
        summary = run_job(
            job,
            options,
            data=data,
            out_dir=out_dir,
            config_dir=obj["config_dir"],
            templates_dir=obj["templates_dir"],
        )
    except KeyboardInterrupt:
        click.echo(
            f"{job_file.name}: stopped; {out_dir / 'manifest.json'} records what finished "
            "(status interrupted). Run again with --resume to finish the rest.",
            err=True,
        )
        raise
    click.echo(
        f"{job_file.name}: {summary.total} documents ({summary.rendered} rendered, {summary.reused} reused, "
        f"{summary.failed} failed) in {summary.seconds:.1f} s; manifest {summary.manifest_path}"
    )
    write_page_line(out_dir)
    for account_id, error in summary.failures[:20]:
        click.echo(f"  failed: {account_id or '-'}: {error}", err=True)
    if len(summary.failures) > 20:
        click.echo(f"  ... and {len(summary.failures) - 20} more (see manifest.json)", err=True)
    return summary.exit_code
