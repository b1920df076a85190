"""Document commands. Each module defines ``command``, a Click command that
:mod:`reports.cli` adds to the ``csreports`` group when it is first asked for
(so ``csreports run`` never imports the email or PDF code), and may register a
demo step with :func:`reports.demo.demo_step`.

Add a module here by listing it in :data:`COMMANDS`.
"""

from __future__ import annotations

import importlib
from typing import Any

COMMANDS: dict[str, str] = {
    "qbr": "reports.commands.qbr",
    "churn-report": "reports.commands.churn_report",
    "cost-to-retain": "reports.commands.cost_to_retain",
    "board-report": "reports.commands.board_report",
    "nps-digest": "reports.commands.nps_digest",
    "weekly-email": "reports.commands.weekly_email",
    "run": "reports.commands.run",
}
"""Command name -> importable module; the demo renders documents in this order."""

COMMAND_MODULES: tuple[str, ...] = tuple(COMMANDS.values())


def load_command(name: str) -> Any:
    """The Click command called ``name`` (one of :data:`COMMANDS`), importing its module."""
    command = importlib.import_module(COMMANDS[name]).command
    if command.name != name:  # pragma: no cover - a module listed under the wrong name
        raise RuntimeError(f"{COMMANDS[name]} defines {command.name!r}, listed as {name!r}")
    return command
