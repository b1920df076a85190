"""Document commands. Each module defines ``command``, a Click command that
:mod:`reports.cli` adds to the ``csreports`` group, and may register a demo
step with :func:`reports.demo.demo_step`.

Add a module here by listing it in :data:`COMMAND_MODULES`.
"""

from __future__ import annotations

COMMAND_MODULES: tuple[str, ...] = (
    "reports.commands.qbr",
    "reports.commands.churn_report",
    "reports.commands.cost_to_retain",
    "reports.commands.board_report",
    "reports.commands.nps_digest",
    "reports.commands.weekly_email",
    "reports.commands.run",
)
"""Importable module names, in the order ``csreports --help`` lists them."""
