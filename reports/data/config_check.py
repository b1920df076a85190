"""Check config files against their schema: every problem at once, one line each.

:func:`check_config_folder` reads every file of :data:`SCHEMAS` (the user's
``--config`` folder first, file by file, then the bundled defaults), checks
each against its schema, the rules between its keys and the rules between
files, and raises one :class:`ConfigError` listing every problem, before any
data is loaded or anything written. Each line names the file and the key
path and says what is allowed::

    cfg/health.yaml: factors.usage_trend.weight: must be ≥ 0 (got -1)
    cfg/metrics.yaml: count_reactivation_in_nrr: must be true or false without quotes (got the text 'false')

:func:`read_config` reads one file the same way for the module that owns it
(the QBR, email and NPS settings read theirs when they are needed).
"""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Annotated, Any, TypeVar, get_args, get_origin

import annotated_types
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import ErrorDetails

from cs_calc.churn import ChurnTaxonomy, churn_taxonomy_from_mapping
from cs_calc.health import HealthConfig, health_config_from_mapping
from cs_calc.text.themes import ThemeTaxonomy, taxonomy_from_mapping
from reports.data.branding import branding_from
from reports.data.config_files import ConfigDirs, load_yaml_file
from reports.data.config_schema import (
    SCHEMAS,
    BrandingFile,
    ChurnReasonsFile,
    ConfigFile,
    DeliveryFile,
    EmailFile,
    HealthFile,
    MetricsFile,
    NpsOverridesFile,
    NpsThemesFile,
    QbrFile,
    SegmentsFile,
    did_you_mean,
)
from reports.errors import ConfigError
from reports.resources import bundled_configs_dir

Schema = TypeVar("Schema", bound=ConfigFile)


# --------------------------------------------------------------------------- one file


def schema_problems(schema: type[Schema], data: Any, where: str) -> tuple[Schema | None, list[str]]:
    """``(model, [])`` when ``data`` (a file's parsed YAML) fits ``schema``, else ``(None, lines)``.

    Each line is ``where: key.path: message``. Rules between keys are checked
    only once every value has the right type.
    """
    if data is None or data == {}:
        required = [name for name, field in schema.model_fields.items() if field.is_required()]
        if required:
            return None, [f"{where}: the file is empty; it needs {', '.join(required)}"]
        data = {}
    try:
        model = schema.model_validate(data)
    except ValidationError as exc:
        return None, [_join(where, *error_line(schema, error)) for error in exc.errors()]
    rules = model.rule_problems()
    if rules:
        return None, [_join(where, path, message) for path, message in rules]
    return model, []


def parse_config(schema: type[Schema], data: Any, where: str) -> Schema:
    """``data`` as a ``schema`` model, or one :class:`ConfigError` listing every problem."""
    model, problems = schema_problems(schema, data, where)
    if model is None:
        raise ConfigError.listing(problems)
    return model


def read_config_file(path: Path, schema: type[Schema]) -> Schema:
    """Read and check the YAML file at ``path`` (e.g. the weekly notes) against ``schema``."""
    return parse_config(schema, load_yaml_file(path), str(path))


def read_config(dirs: ConfigDirs, schema: type[Schema]) -> tuple[Schema, str]:
    """The config file of ``schema`` (the user's folder first), checked, and the path it came from."""
    path = dirs.find(schema.file_name)
    return read_config_file(path, schema), str(path)


# --------------------------------------------------------------------------- settings owned by cs_calc


def health_config_from(model: HealthFile, where: str) -> HealthConfig:
    """The health score's settings from a checked ``health.yaml``."""
    return _built(health_config_from_mapping, model, where)


def churn_taxonomy_from(model: ChurnReasonsFile, where: str) -> ChurnTaxonomy:
    """The churn-reason taxonomy from a checked ``churn_reasons.yaml``."""
    return _built(churn_taxonomy_from_mapping, model, where)


def nps_taxonomy_from(model: NpsThemesFile, where: str) -> ThemeTaxonomy:
    """The NPS theme taxonomy from a checked ``nps_themes.yaml``."""
    return _built(taxonomy_from_mapping, model, where)


Built = TypeVar("Built")


def _built(parse: Callable[[Mapping[str, Any]], Built], model: ConfigFile, where: str) -> Built:
    """``parse`` of what the file says (defaults left to ``parse``); its ValueError lines become problems."""
    try:
        return parse(model.model_dump(exclude_unset=True, exclude_none=True))
    except ValueError as exc:
        lines = [line for line in str(exc).splitlines() if line.strip()]
        if len(lines) > 1 and lines[0].endswith(":"):
            lines = lines[1:]  # "invalid NPS theme taxonomy:" and then a line per problem
        raise ConfigError.listing(f"{where}: {line}" for line in lines) from None


# --------------------------------------------------------------------------- the whole folder


@dataclass(frozen=True)
class CheckedConfigs:
    """Every config file, checked; ``paths`` says where each was read from."""

    segments: SegmentsFile
    metrics: MetricsFile
    health: HealthFile
    churn_reasons: ChurnReasonsFile
    nps_themes: NpsThemesFile
    nps_overrides: NpsOverridesFile
    qbr: QbrFile
    email: EmailFile
    delivery: DeliveryFile
    branding: BrandingFile
    paths: Mapping[str, Path]

    def where(self, name: str) -> str:
        return str(self.paths[name])


def check_config_folder(dirs: ConfigDirs) -> CheckedConfigs:
    """Read and check every config file; one :class:`ConfigError` lists every problem in all of them."""
    problems: list[str] = []
    models: dict[str, ConfigFile] = {}
    paths: dict[str, Path] = {}
    for name, schema in SCHEMAS.items():
        try:
            path = dirs.find(name)
            model, found = schema_problems(schema, load_yaml_file(path), str(path))
        except ConfigError as exc:
            problems.extend(exc.problems)
            continue
        problems.extend(found)
        if model is not None:
            models[name], paths[name] = model, path
    builders: dict[str, Callable[[Any, str], object]] = {
        "health.yaml": health_config_from,
        "churn_reasons.yaml": churn_taxonomy_from,
        "nps_themes.yaml": nps_taxonomy_from,
    }
    for name, build in builders.items():
        if name in models:
            try:
                build(models[name], str(paths[name]))
            except ConfigError as exc:
                problems.extend(exc.problems)
                del models[name]
    branding = models.get("branding.yaml")
    if isinstance(branding, BrandingFile):
        try:
            branding_from(branding, paths["branding.yaml"])  # the logo: there, an image, small
        except ConfigError as exc:
            problems.extend(exc.problems)
    problems += _between_files(models, paths, dirs)
    problems += _misnamed_files(dirs)
    if problems:
        raise ConfigError.listing(problems)
    return CheckedConfigs(
        **{name.removesuffix(".yaml"): model for name, model in models.items()},  # type: ignore[arg-type]
        paths=paths,
    )


def _between_files(
    models: Mapping[str, ConfigFile], paths: Mapping[str, Path], dirs: ConfigDirs
) -> list[str]:
    """Rules between two files: override themes exist; QBR decks name real segments."""
    problems = []
    themes, overrides = models.get("nps_themes.yaml"), models.get("nps_overrides.yaml")
    if isinstance(themes, NpsThemesFile) and isinstance(overrides, NpsOverridesFile):
        known = tuple(themes.themes)
        for response_id, theme_ids in overrides.overrides.items():
            for i, theme in enumerate(theme_ids):
                if theme not in known:
                    problems.append(
                        _join(
                            str(paths["nps_overrides.yaml"]),
                            f"overrides.{response_id}[{i}]",
                            f"theme {theme!r} is not in {paths['nps_themes.yaml'].name}"
                            f"{did_you_mean(theme, known)} (themes: {', '.join(known)})",
                        )
                    )
    segments, qbr = models.get("segments.yaml"), models.get("qbr.yaml")
    if isinstance(segments, SegmentsFile) and isinstance(qbr, QbrFile):
        bundled = bundled_configs_dir()
        # A bundled qbr.yaml next to the user's own segments may name tiers the user renamed:
        # those get default_deck, which is what the user's folder asks for.
        stale_default = paths["qbr.yaml"].parent == bundled and paths["segments.yaml"].parent != bundled
        names = tuple(segments.segments)
        for segment in qbr.deck_by_segment:
            if segment not in names and not stale_default:
                problems.append(
                    _join(
                        str(paths["qbr.yaml"]),
                        "deck_by_segment",
                        f"unknown segment {segment!r}{did_you_mean(segment, names)} "
                        f"(segments.yaml has: {', '.join(names)})",
                    )
                )
    return problems


def _misnamed_files(dirs: ConfigDirs) -> list[str]:
    """YAML files of the user's folder named one letter or an extension away from a config it lacks.

    csreports would ignore them and use the bundled default, silently. A
    near name next to the real file (``health-v2.yaml`` beside
    ``health.yaml``) is left alone: the user's own file is the one read.
    """
    if dirs.user_dir is None:
        return []
    folder = Path(dirs.user_dir)
    lacking = [name for name in SCHEMAS if not (folder / name).is_file()]
    problems = []
    for path in sorted(folder.iterdir()):
        if not path.is_file() or path.suffix not in (".yaml", ".yml") or path.name in SCHEMAS:
            continue
        meant = path.stem + ".yaml"
        if meant in lacking:
            problems.append(f"{path}: csreports reads {meant} (.yaml, not .yml); rename the file")
            continue
        close = difflib.get_close_matches(path.name, lacking, n=1, cutoff=0.85)
        if close:
            problems.append(
                f"{path}: not a file csreports reads, so the bundled {close[0]} is used "
                f"(did you mean {close[0]!r}?); rename the file"
            )
    return problems


# --------------------------------------------------------------------------- messages


def _join(where: str, path: str, message: str | None = None) -> str:
    if message is None:
        path, message = "", path
    return f"{where}: {path}: {message}" if path else f"{where}: {message}"


def key_path(loc: Sequence[int | str]) -> str:
    """``factors.usage_trend.weight``, ``decks.digital[2]``: a pydantic location as the user reads it.

    >>> key_path(("decks", "digital", 2))
    'decks.digital[2]'
    >>> key_path(())
    ''
    """
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def error_line(schema: type[BaseModel], error: ErrorDetails) -> tuple[str, str]:
    """``(key path, message)`` for one pydantic error, in the words of the config file."""
    loc = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    got = error.get("input")
    on_key = bool(loc) and loc[-1] == "[key]"
    if on_key:
        loc = loc[:-1]  # the error is about the key itself, the last part of the path
    if kind == "extra_forbidden":
        parent, _ = _annotation_at(schema, loc[:-1])
        allowed = list(parent.model_fields) if _is_model(parent) else []
        key = loc[-1]
        hint = did_you_mean(key, allowed)
        return key_path(loc[:-1]), f"unknown key {key!r}{hint} (allowed: {', '.join(allowed)})"
    if kind in ("value_error", "assertion_error"):
        message = str(ctx.get("error", error["msg"]))
        return key_path(loc[:-1] if on_key else loc), message
    _, field = _annotation_at(schema, loc)
    message = _type_message(kind, ctx, got, field, error["msg"])
    if on_key:
        return key_path(loc[:-1]), f"key {_shown(loc[-1])}: {message}"
    return key_path(loc), message


_QUOTED_BOOLEANS = {"true", "false", "yes", "no", "on", "off"}
_INT_KINDS = {"int_type", "int_parsing", "int_from_float", "int_parsing_size"}
_NUMBER_KINDS = {"float_type", "float_parsing", "finite_number", *_INT_KINDS}
_RANGE_KINDS = {"greater_than", "greater_than_equal", "less_than", "less_than_equal"}


def _type_message(kind: str, ctx: Mapping[str, Any], got: Any, field: FieldInfo | None, fallback: str) -> str:
    shown = _shown(got)
    if kind == "missing":
        return "missing; this key is required"
    if kind in _NUMBER_KINDS:
        whole = kind in _INT_KINDS or _is_int(field)
        noun = "a whole number" if whole else "a number"
        bounds = _bounds_text(field, ctx)
        return f"must be {noun}{' ' + bounds if bounds else ''} (got {shown})"
    if kind in _RANGE_KINDS:
        return f"must be {_bounds_text(field, ctx)} (got {shown})"
    if kind == "bool_type":
        if isinstance(got, str) and got.strip().lower() in _QUOTED_BOOLEANS:
            return f"must be true or false without quotes (got the text {got!r})"
        return f"must be true or false (got {shown})"
    if kind == "string_type":
        if isinstance(got, bool):
            return (
                f"must be text (got {shown}: YAML reads unquoted yes, no, on, off, true and false "
                "as true/false, so put it in quotes)"
            )
        return f"must be text (got {shown})"
    if kind in ("dict_type", "model_type", "model_attributes_type", "mapping_type"):
        return f"must be a mapping of keys to values (got {shown})"
    if kind in ("list_type", "tuple_type"):
        return f"must be a list (got {shown})"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "too_short":
        least = ctx.get("min_length", 1)
        got_length = ctx.get("actual_length", 0)
        return f"must have at least {least} item{'s' if least != 1 else ''} (got {got_length})"
    if kind == "too_long":
        most = ctx.get("max_length")
        return f"must have at most {most} item{'s' if most != 1 else ''} (got {ctx.get('actual_length')})"
    return f"{fallback} (got {shown})"


def _shown(value: Any) -> str:
    """A value as the message quotes it: YAML words for YAML values, a kind for collections.

    >>> [_shown(v) for v in ("lots", -1, 0.5, True, None, [1], {"a": 1})]
    ["'lots'", '-1', '0.5', 'true', 'nothing', 'a list', 'a mapping']
    """
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 60 else value[:57] + "...")
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, date):
        return f"a date ({value.isoformat()})"
    return type(value).__name__


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _bounds_text(field: FieldInfo | None, ctx: Mapping[str, Any]) -> str:
    """``≥ 0``, ``from 0 to 1``, ``> 0 and ≤ 1``: the field's range, or what the error says."""
    low: Any = None
    high: Any = None
    low_strict = high_strict = False
    for meta in field.metadata if field is not None else ():
        if isinstance(meta, annotated_types.Ge):
            low = meta.ge
        elif isinstance(meta, annotated_types.Gt):
            low, low_strict = meta.gt, True
        elif isinstance(meta, annotated_types.Le):
            high = meta.le
        elif isinstance(meta, annotated_types.Lt):
            high, high_strict = meta.lt, True
    if low is None and high is None:
        low, low_strict = (ctx["gt"], True) if "gt" in ctx else (ctx.get("ge"), False)
        high, high_strict = (ctx["lt"], True) if "lt" in ctx else (ctx.get("le"), False)
    if low is not None and high is not None and not low_strict and not high_strict:
        return f"from {_number(low)} to {_number(high)}"
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_strict else '≥'} {_number(low)}")
    if high is not None:
        parts.append(f"{'<' if high_strict else '≤'} {_number(high)}")
    return " and ".join(parts)


def _is_model(annotation: Any) -> bool:
    return isinstance(annotation, type) and issubclass(annotation, BaseModel)


def _is_int(field: FieldInfo | None) -> bool:
    return field is not None and _unwrapped(field.annotation) is int


def _unwrapped(annotation: Any) -> Any:
    """The type under ``Annotated[...]`` and ``X | None``."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            others = [arg for arg in get_args(annotation) if arg is not type(None)]
            if len(others) != 1:
                return annotation
            annotation = others[0]
        else:
            return annotation


def _annotation_at(schema: type[BaseModel], loc: Sequence[int | str]) -> tuple[Any, FieldInfo | None]:
    """The type expected at ``loc`` in ``schema``, and its field when ``loc`` ends at a model's key."""
    annotation: Any = schema
    field: FieldInfo | None = None
    for part in loc:
        annotation = _unwrapped(annotation)
        origin = get_origin(annotation)
        if _is_model(annotation):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return None, None
            annotation = field.annotation
        elif origin is dict:
            annotation, field = get_args(annotation)[1], None
        elif origin is list:
            annotation, field = get_args(annotation)[0], None
        else:
            return None, None
    return _unwrapped(annotation), field
