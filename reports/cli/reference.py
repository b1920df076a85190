"""The command line as the documentation shows it: every command loaded, its examples.

:mod:`reports.cli` imports a command when first asked for, so a Click walker such as
mkdocs-click, which reads ``group.commands``, would see only those already loaded.
Here :data:`cli` has every command loaded, and each command is an attribute of this
module under its name with ``_`` for ``-`` (``reports.cli.reference:board_report``):
the documentation's CLI reference renders each one with mkdocs-click, so ``--help``
and the documentation cannot differ.
"""

from __future__ import annotations

import click

from reports.cli import cli as _cli


def _loaded(group: click.Group) -> click.Group:
    """``group`` with every command loaded; each command shown alone (as mkdocs-click does) keeps the
    help option names it inherits from the group (``-h, --help``)."""
    ctx = click.Context(group, info_name="csreports")
    inherited = {k: v for k, v in group.context_settings.items() if k == "help_option_names"}
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if command is not None:
            command.context_settings = {**inherited, **command.context_settings}
    return group


cli = _loaded(_cli)


def command_names() -> list[str]:
    """Every command of ``csreports``, sorted.

    >>> "qbr" in command_names() and "board-report" in command_names()
    True
    """
    return sorted(cli.commands)


def command(name: str) -> click.Command:
    """The command called ``name`` (``board-report``)."""
    return cli.commands[name]


def examples_of(name: str) -> list[str]:
    """The command lines of a command's ``Examples:`` epilog (:func:`reports.cli.types.examples`).

    >>> examples_of("qbr")[0]
    'csreports qbr --account A-00140 --quarter 2026-Q3'
    """
    lines = (command(name).epilog or "").splitlines()
    if "Examples:" not in lines:
        return []
    return [line.strip() for line in lines[lines.index("Examples:") + 1 :] if line.strip()]


def global_options_help() -> str:
    """The usage line and options of ``csreports`` itself, as ``csreports --help`` prints them.

    >>> global_options_help().splitlines()[0]
    'Usage: csreports [OPTIONS] COMMAND [ARGS]...'
    """
    ctx = click.Context(cli, info_name="csreports")
    formatter = ctx.make_formatter()
    cli.format_options(ctx, formatter)
    options = formatter.getvalue()
    if "Commands:" in options:
        options = options[: options.index("Commands:")]
    return f"{ctx.get_usage()}\n\n{options.rstrip()}"


def __getattr__(name: str) -> click.Command:
    """``reports.cli.reference.board_report`` is the ``board-report`` command."""
    try:
        return cli.commands[name.replace("_", "-")]
    except KeyError:
        raise AttributeError(name) from None
