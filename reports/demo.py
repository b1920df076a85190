"""``csreports demo``: every document kind for the bundled sample.

Document command modules (:data:`reports.commands.COMMAND_MODULES`) add a step
with :func:`demo_step` when imported; ``demo`` runs the steps in order after
computing the metrics once.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from reports.manifest import Manifest
from reports.pipeline import RunContext

DemoStep = Callable[[RunContext, Path, Manifest], None]
DEMO_STEPS: list[tuple[str, DemoStep]] = []


def demo_step(name: str) -> Callable[[DemoStep], DemoStep]:
    """Register ``function`` as the demo step that renders ``name``."""

    def register(function: DemoStep) -> DemoStep:
        DEMO_STEPS.append((name, function))
        return function

    return register


@demo_step("metrics")
def _metrics(run: RunContext, out_dir: Path, manifest: Manifest) -> None:
    from reports.metrics_output import write_metrics

    sub = write_metrics(run, out_dir / "metrics")
    for entry in sub.entries:
        entry.path = f"metrics/{entry.path}"
        manifest.entries.append(entry)
