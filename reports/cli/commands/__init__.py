"""Commands that :mod:`reports.cli` loads when first asked for.

Each document kind's command is declared in :mod:`reports.documents.kinds`;
``run``, ``accounts``, ``template``, ``approve``, ``hold``, ``review`` and ``deliver`` are the other lazily
loaded commands. Loading on demand means a
command pays only for its own imports, and so do the worker processes of
``csreports run``, which import :mod:`reports.cli` again.
"""

from __future__ import annotations

from typing import Any

from reports.documents.kinds import DOCUMENT_KINDS, load_callable

LAZY_COMMANDS: dict[str, str] = {
    **{kind.name: kind.command for kind in DOCUMENT_KINDS},
    "run": "reports.cli.commands.run:command",
    "accounts": "reports.cli.commands.accounts:command",
    "template": "reports.cli.commands.template:command",
    "approve": "reports.cli.commands.approve:approve",
    "hold": "reports.cli.commands.approve:hold",
    "review": "reports.cli.commands.review:command",
    "deliver": "reports.cli.commands.deliver:command",
}
"""Command name -> ``module:attribute`` of its Click command."""

DESCRIPTIONS: dict[str, str] = {
    "accounts": "List account ids with name, segment and CSM.",
    "template": "Check a PowerPoint master: layouts used, slide size, fonts.",
    "approve": "Approve a run's documents for delivery.",
    "hold": "Hold an account's documents back from delivery, with the reason.",
    "review": "Write the review page of a run: OUT/index.html.",
    "deliver": "E-mail each approved customer account its QBR documents.",
}
"""One-line help of lazy commands outside the registry, so ``--help`` need not import them."""


def load_command(name: str) -> Any:
    """The Click command called ``name`` (one of :data:`LAZY_COMMANDS`), importing its module."""
    command = load_callable(LAZY_COMMANDS[name])
    if command.name != name:  # pragma: no cover - a command declared under the wrong name
        raise RuntimeError(f"{LAZY_COMMANDS[name]} defines {command.name!r}, declared as {name!r}")
    return command
