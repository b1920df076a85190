"""``csreports demo``: every document kind for the bundled sample.

Document command modules (:data:`reports.commands.COMMANDS`) add a step
with :func:`demo_step` when imported; ``demo`` runs the steps
(:func:`demo_steps`) after computing the metrics once.
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


def demo_steps() -> list[tuple[str, DemoStep]]:
    """Every step: the metrics first, then each document command's, in :data:`reports.commands.COMMANDS` order."""
    import importlib

    from reports.commands import COMMAND_MODULES

    for module in COMMAND_MODULES:
        importlib.import_module(module)
    order = {module: i for i, module in enumerate((__name__, *COMMAND_MODULES))}
    return sorted(DEMO_STEPS, key=lambda step: order.get(step[1].__module__, len(order)))


@demo_step("metrics")
def _metrics(run: RunContext, out_dir: Path, manifest: Manifest) -> None:
    from reports.metrics_output import write_metrics

    sub = write_metrics(run, out_dir / "metrics")
    for entry in sub.entries:
        entry.path = f"metrics/{entry.path}"
        manifest.entries.append(entry)
