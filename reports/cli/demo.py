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

DemoStep = Callable[[RunContext, Path, Manifest, Sequence[Path], str], None]
"""``(run, out_dir, manifest, template_dirs, locale)``: one step of the demo."""


def write_demo_metrics(
    run: RunContext, out_dir: Path, manifest: Manifest, template_dirs: Sequence[Path] = (), locale: str = "en"
) -> None:
    """portfolio.csv, accounts.csv and movements.csv into ``out_dir/metrics/`` (data files: no language)."""
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
    locale: str = "en",
    progress: Callable[[str], None] = lambda name: None,
) -> tuple[RunContext, Manifest]:
    """Compute the metrics once, run every step into ``out_dir`` in ``locale`` and write ``manifest.json``."""
    run = prepare_run(data, config_dir=config_dir, quarter=quarter)
    manifest = Manifest(out_dir, run=run.provenance | {"command": "demo"})
    template_dirs = (templates_dir,) if templates_dir else ()
    for name, step in demo_steps():
        progress(name)
        step(run, out_dir, manifest, template_dirs, locale)
    manifest.write()
    return run, manifest


def open_first(manifest: Manifest) -> list[tuple[str, str]]:
    """What a new user should open first: ``(path relative to out, what it is)`` for the
    first customer QBR deck and the board report, those the run wrote.

    >>> from reports.output.manifest import ManifestEntry
    >>> m = Manifest(Path("out"))
    >>> m.entries = [ManifestEntry("qbr", "ok", "qbr/a-1-internal.pptx"), ManifestEntry("qbr", "ok", "qbr/a-1.pptx")]
    >>> open_first(m)
    [('qbr/a-1.pptx', 'a customer QBR deck')]
    """
    written = [e.path for e in manifest.entries if e.status == "ok" and e.path]
    picks = []
    deck = next(
        (p for p in written if p.startswith("qbr/") and p.endswith(".pptx") and not is_internal(p)), None
    )
    if deck:
        picks.append((deck, "a customer QBR deck"))
    board = next((p for p in written if "board-report" in p and p.endswith(".pdf")), None)
    if board:
        picks.append((board, "the board report"))
    return picks


def is_internal(path: str) -> bool:
    """Whether ``path`` is an internal-audience file (``*-internal.*``)."""
    return Path(path).stem.endswith("-internal")


INTERNAL_WARNING = (
    "Files named *-internal.* show health scores, risks and upsell signals: "
    "for internal use only, never send them to a customer."
)
