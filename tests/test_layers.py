"""Document code only arranges numbers: it never calls a cs_calc computation.

A document module (QBR, leadership documents, NPS digest, weekly email) may
import types and constants from ``cs_calc`` and calendar arithmetic from
``cs_calc.periods``, but not a function that computes a figure: every figure
is computed once per run (``reports.pipeline.RunContext``) and read from
there.
"""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCUMENT_PACKAGES = (
    "reports/documents/leadership",
    "reports/documents/nps_digest",
    "reports/documents/email",
    "reports/documents/qbr",
)
ALLOWED_MODULES = {"cs_calc.periods", "cs_calc.definitions"}
"""Calendar arithmetic (quarters, months, weeks) and the metric registry's lookups, not figures."""

PENDING: dict[str, set[str]] = {}
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


def test_document_modules_call_no_cs_calc_computation():
    calls = {}
    for path in _document_modules():
        used = _cs_calc_functions_used(path)
        if used:
            calls[path.relative_to(ROOT).as_posix()] = sorted(used)
    assert not calls, f"document modules call cs_calc computations; read them from the run instead: {calls}"


def test_the_check_sees_a_computation(tmp_path):
    module = tmp_path / "doc.py"
    module.write_text("from cs_calc.retention import compute_retention, RETENTION_COLUMNS\n")
    assert _cs_calc_functions_used(module) == {"compute_retention"}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _import_graph() -> dict[str, set[str]]:
    """Module -> the first-party modules it imports, at any depth of its code (lazy imports too)."""
    paths = sorted(p for package in ("cs_calc", "reports") for p in (ROOT / package).rglob("*.py"))
    modules = {_module_name(p): p for p in paths}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        targets = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If)
            and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
            for inner in ast.walk(node)
        }
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue  # annotations only: no import at run time
            if isinstance(node, ast.Import):
                candidates = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                candidates = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            else:
                continue
            targets.update(c for c in candidates if c in modules and c != name)
        graph[name] = targets
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_cycles():
    graph = _import_graph()
    # packages import their own modules in __init__; a cycle through a package's __init__ is not a cycle
    for name in list(graph):
        graph[name] = {
            t for t in graph[name] if not name.startswith(t + ".") and not t.startswith(name + ".")
        }
    assert _cycles(graph) == []


def test_cs_calc_imports_nothing_from_reports():
    graph = _import_graph()
    offenders = {
        m: sorted(t for t in ts if t.startswith("reports"))
        for m, ts in graph.items()
        if m.startswith("cs_calc")
    }
    assert {m: ts for m, ts in offenders.items() if ts} == {}


def test_the_cycle_check_finds_a_cycle():
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]
