"""``--data``, ``--config``, ``--templates`` and ``--out``: before the command or after it.

The group declares them with :func:`before_command`; every command the
group holds gets them too (:func:`add_global_options`), so
``csreports --out x demo`` and ``csreports demo --out x`` mean the same.
Given on both sides with different values is a usage error naming the
option. A ``--config``, ``--templates`` or local ``--data`` folder that does
not exist is a one-line error (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import click
from click.core import ParameterSource

from reports.errors import CsReportsError

_FOLDER = click.Path(file_okay=False, path_type=Path)


@dataclass(frozen=True)
class _Global:
    flag: str
    key: str
    """Key in the group's ``ctx.obj``."""
    help: str
    type: Any = None
    metavar: str | None = None
    must_exist: bool = True


GLOBAL_OPTIONS: tuple[_Global, ...] = (
    _Global(
        "--data",
        "data",
        "Folder of CSV/Parquet files or a SQLAlchemy URL. Default: the bundled sample.",
        metavar="PATH|URL",
    ),
    _Global("--config", "config_dir", "Folder of YAML configs searched before the bundled ones.", _FOLDER),
    _Global("--templates", "templates_dir", "Folder of templates searched before the bundled ones.", _FOLDER),
    _Global("--out", "out_dir", "Output folder.", _FOLDER, must_exist=False),
)
DEFAULT_OUT = Path("out")


def check_folder(flag: str, value: Any) -> None:
    """Raise :class:`CsReportsError` when the folder given to ``flag`` does not exist.

    ``--out`` may be new; ``--data`` may be a database URL instead.
    """
    option = next(o for o in GLOBAL_OPTIONS if o.flag == flag)
    if value is None or not option.must_exist or "://" in str(value):
        return
    if not Path(value).exists():
        raise CsReportsError(f"{flag} folder {_without_password(str(value))} does not exist")


def _without_password(value: str) -> str:
    """``value`` as an error may show it: a URL typed with one slash (``postgresql:/cs:pw@db``)
    is taken for a folder, and its password must not be printed.

    >>> _without_password("postgresql:/cs:pw@db/cs")
    'postgresql:/cs:***@db/cs'
    >>> _without_password("/data/exports")
    '/data/exports'
    """
    from reports.data.loading import mask_url

    as_url = value.replace(":/", "://", 1)
    masked = mask_url(as_url)
    return value if masked == as_url else masked.replace("://", ":/", 1)


def _before(option: _Global) -> Callable[[click.Context, click.Parameter, Any], Any]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
        check_folder(option.flag, value)
        return value

    return callback


def _after(option: _Global) -> Callable[[click.Context, click.Parameter, Any], None]:
    def callback(ctx: click.Context, param: click.Parameter, value: Any) -> None:
        if value is None:
            return
        check_folder(option.flag, value)
        root = ctx.find_root()
        if not isinstance(root.obj, dict):  # the command runs outside the group
            return
        if option_given(root, option.key) and root.obj[option.key] != value:
            raise click.UsageError(
                f"{option.flag} is given before and after the command with different values "
                f"({root.obj[option.key]} and {value}); give it once",
                ctx,
            )
        root.obj[option.key] = value

    return callback


def before_command(function: Callable[..., Any]) -> Callable[..., Any]:
    """Declare the four options on the group (``--out`` defaults to ``out``)."""
    for option in reversed(GLOBAL_OPTIONS):
        default = DEFAULT_OUT if option.key == "out_dir" else None
        function = click.option(
            option.flag,
            option.key,
            type=option.type,
            metavar=option.metavar,
            default=default,
            show_default=default is not None,
            help=option.help,
            callback=_before(option),
        )(function)
    return function


def add_global_options(command: click.Command) -> click.Command:
    """Let ``command`` take the four options after its name too (once; returns ``command``)."""
    names = {name for param in command.params for name in getattr(param, "opts", ())}
    for option in GLOBAL_OPTIONS:
        if option.flag in names:
            continue
        command.params.append(
            click.Option(
                [option.flag, option.key],
                type=option.type,
                metavar=option.metavar,
                help=option.help + " Same as before the command.",
                expose_value=False,
                callback=_after(option),
            )
        )
    return command


def option_given(ctx: click.Context, key: str) -> bool:
    """Whether the global option ``key`` (e.g. ``out_dir``) was given, before or after the command."""
    context: click.Context | None = ctx
    while context is not None:
        source = context.get_parameter_source(key)
        if source is not None and source != ParameterSource.DEFAULT:
            return True
        context = context.parent
    return False
