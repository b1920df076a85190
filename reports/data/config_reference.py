"""The configuration reference: every key of every config file, from the schema.

The documentation's configuration page is generated from
:func:`config_reference_markdown` at build time, so every key the schema in
:mod:`reports.data.config_schema` accepts is documented, with its type, default and
description, and nothing else is.
"""

from __future__ import annotations

import json
import types
from collections.abc import Iterator
from typing import Annotated, Any, Literal, Union, get_args, get_origin

from pydantic import BaseModel

from reports.data.config_schema import EXAMPLE_SCHEMAS, SCHEMAS, ConfigFile

_SCALARS = {bool: "true/false", int: "whole number", float: "number", str: "text"}


def _strip(annotation: Any) -> tuple[Any, bool]:
    """``annotation`` without ``Annotated[...]`` and ``| None``; and whether None was allowed."""
    optional = False
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            args = [a for a in get_args(annotation) if a is not type(None)]
            optional = optional or len(args) < len(get_args(annotation))
            annotation = args[0] if len(args) == 1 else Union[tuple(args)]  # noqa: UP007
            if len(args) > 1:
                return annotation, optional
        else:
            return annotation, optional


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def type_words(annotation: Any) -> str:
    """What a key holds, in words.

    >>> type_words(dict[str, list[int]])
    'mapping of name → list of whole number'
    >>> type_words(float | None)
    'number or empty'
    """
    annotation, optional = _strip(annotation)
    origin = get_origin(annotation)
    if _is_model(annotation):
        words = "section"
    elif origin is list:
        words = f"list of {type_words(get_args(annotation)[0])}"
    elif origin is dict:
        words = f"mapping of name → {type_words(get_args(annotation)[1])}"
    elif origin is Literal:
        words = "one of " + ", ".join(f"`{v}`" for v in get_args(annotation))
    elif origin in (Union, types.UnionType):
        words = " or ".join(type_words(a) for a in get_args(annotation))
    else:
        words = _SCALARS.get(annotation, getattr(annotation, "__name__", str(annotation)))
    return f"{words} or empty" if optional else words


def _default_words(field: Any) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return ""
    if value is None:
        return "empty"
    if isinstance(value, bool):
        return f"`{str(value).lower()}`"
    text = json.dumps(value, ensure_ascii=False) if isinstance(value, list | dict) else str(value)
    if text == "":
        return '`""`'
    if len(text) > 60:
        text = text[:57] + "…"
    return f"`{text}`"


def _rows(model: type[BaseModel], prefix: str) -> Iterator[tuple[str, str, str, str]]:
    """``(key path, type, default, description)`` of every key of ``model``, sections followed by their keys."""
    for name, field in model.model_fields.items():
        path = f"{prefix}{name}"
        description = (field.description or "").strip()
        yield path, type_words(field.annotation), _default_words(field), description
        annotation, _ = _strip(field.annotation)
        origin = get_origin(annotation)
        if _is_model(annotation):
            yield from _rows(annotation, f"{path}.")
        elif origin is dict and _is_model(_strip(get_args(annotation)[1])[0]):
            yield from _rows(_strip(get_args(annotation)[1])[0], f"{path}.<name>.")
        elif origin is list and _is_model(_strip(get_args(annotation)[0])[0]):
            yield from _rows(_strip(get_args(annotation)[0])[0], f"{path}[].")


def key_paths(schema: type[ConfigFile]) -> list[str]:
    """Every key path the reference lists for ``schema`` (``signals.usage_drop``, ``factors.<name>.weight``).

    >>> from reports.data.config_schema import MetricsFile
    >>> key_paths(MetricsFile)[:3]
    ['reporting_currency', 'count_reactivation_in_nrr', 'signals']
    """
    return [row[0] for row in _rows(schema, "")]


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def config_reference_markdown() -> str:
    """Every config file (and the ``--notes`` example) as a Markdown section with a table of its keys.

    >>> text = config_reference_markdown()
    >>> "## `metrics.yaml`" in text and "| `signals.usage_drop` | number | `0.25` |" in text
    True
    """
    parts = []
    for name, schema in {**SCHEMAS, **EXAMPLE_SCHEMAS}.items():
        doc = (schema.__doc__ or "").strip().split("\n\n")[0].replace("\n", " ").replace("``", "`")
        lines = [f"## `{name}`", "", doc, "", "| key | type | default | description |", "|---|---|---|---|"]
        for path, kind, default, description in _rows(schema, ""):
            lines.append(f"| `{path}` | {_cell(kind)} | {_cell(default)} | {_cell(description)} |")
        parts.append("\n".join(lines))
    return "\n\n".join(parts) + "\n"
