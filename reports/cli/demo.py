"""``csreports demo``: the metrics, then every document kind marked ``in_demo``.

The steps come from :mod:`reports.documents.kinds`; each receives the run
(data and config), the output folder, the manifest and the template folders,
so ``--data``, ``--config``, ``--templates`` and ``--out`` reach every document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from reports.documents.kinds import demo_kinds
from reports.output.manifest import Manifest
from reports.pipeline import RunContext, prepare_run

DemoStep = Callable[[RunContext, Path, Manifest, Sequence[Path]], None]


def write_demo_metrics(
    run: RunContext, out_dir: Path, manifest: Manifest, template_dirs: Sequence[Path] = ()
) -> None:
    """portfolio.csv, accounts.csv and movements.csv into ``out_dir/metrics/``."""
    from reports.output.metrics_files import write_metrics

    sub = write_metrics(run, out_dir / "metrics")
    for entry in sub.entries:
        entry.path = f"metrics/{entry.path}"
        manifest.entries.append(entry)


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Every step: the metrics first, then each demo document kind in registry order."""
    steps: list[tuple[str, DemoStep]] = [("metrics", write_demo_metrics)]
    steps += [(kind.name, kind.render_demo) for kind in demo_kinds()]
    return steps


def run_demo(
    data: str | None,
    out_dir: Path,
    *,
    config_dir: Path | None = None,
    templates_dir: Path | None = None,
    quarter: str | None = None,
    progress: Callable[[str], None] = lambda name: None,
) -> tuple[RunContext, Manifest]:
    """Compute the metrics once, run every step into ``out_dir`` and write ``manifest.json``."""
    run = prepare_run(data, config_dir=config_dir, quarter=quarter)
    manifest = Manifest(out_dir, run=run.provenance | {"command": "demo"})
    template_dirs = (templates_dir,) if templates_dir else ()
    for name, step in demo_steps():
        progress(name)
        step(run, out_dir, manifest, template_dirs)
    manifest.write()
    return run, manifest
