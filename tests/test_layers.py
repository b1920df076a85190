"""Document code only arranges numbers: it never calls a cs_calc computation.

A document module (QBR, leadership documents, NPS digest, weekly email) may
import types and constants from ``cs_calc`` and calendar arithmetic from
``cs_calc.periods``, but not a function that computes a figure: every figure
is computed once per run (``reports.pipeline.RunContext``) and read from
there. :data:`PENDING` lists the calls still to move, by module; the test
fails for any new call and for a listed call that is gone (so the list only
shrinks).
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_PACKAGES = ("reports/leadership", "reports/nps_digest", "reports/email", "reports/qbr")
ALLOWED_MODULES = {"cs_calc.periods", "cs_calc.definitions"}
"""Calendar arithmetic (quarters, months, weeks) and the metric registry's lookups, not figures."""

PENDING: dict[str, set[str]] = {
    "reports/email/context.py": {
        "compute_weekly_kpis",
        "data_end",
        "last_week_with_data",
        "target_statuses",
        "week_has_data",
    },
    "reports/qbr/account_facts.py": {
        "monthly_ticket_counts",
        "monthly_values",
        "nps_by_quarter",
        "nps_per_period",
        "ticket_stats_of",
        "top_themes",
    },
    "reports/qbr/calendar.py": {"quarter_bounds"},
    "reports/qbr/comment_themes.py": {"comment_tone", "tag_comments"},
}
"""Module -> cs_calc functions it still calls; to be moved into the run's metrics."""


def _cs_calc_functions_used(path: Path) -> set[str]:
    """Names of cs_calc functions (not classes or constants) a module imports."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith("cs_calc"):
            continue
        if node.module in ALLOWED_MODULES:
            continue
        module = importlib.import_module(node.module)
        for alias in node.names:
            value = getattr(module, alias.name, None)
            if inspect.isfunction(value):
                found.add(alias.name)
    return found


def _document_modules() -> list[Path]:
    return sorted(p for package in DOCUMENT_PACKAGES for p in (ROOT / package).rglob("*.py"))


def test_document_modules_call_no_new_cs_calc_computation():
    new = {}
    for path in _document_modules():
        relative = path.relative_to(ROOT).as_posix()
        extra = _cs_calc_functions_used(path) - PENDING.get(relative, set())
        if extra:
            new[relative] = sorted(extra)
    assert not new, f"document modules call cs_calc computations; read them from the run instead: {new}"


def test_pending_list_only_names_calls_that_remain():
    gone = {}
    for relative, names in PENDING.items():
        path = ROOT / relative
        used = _cs_calc_functions_used(path) if path.exists() else set()
        if names - used:
            gone[relative] = sorted(names - used)
    assert not gone, f"remove these from PENDING, they no longer happen: {gone}"


def test_the_check_sees_a_computation(tmp_path):
    module = tmp_path / "doc.py"
    module.write_text("from cs_calc.retention import compute_retention, RETENTION_COLUMNS\n")
    assert _cs_calc_functions_used(module) == {"compute_retention"}
