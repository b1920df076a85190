"""Find and read the YAML configs (``configs/*.yaml``) with user overrides.

A user's ``--config DIR`` is searched first, file by file; whatever it does
not hold comes from the bundled defaults. This module only finds and reads
files: a file that is not UTF-8, not YAML, repeats a key or is not a mapping
at the top is a one-line :class:`ConfigError` naming the file (and the line
or byte where that is cheap). What the keys may hold is checked by
:mod:`reports.data.config_schema` (:mod:`reports.data.config_check` runs it).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from reports.errors import ConfigError
from reports.resources import bundled_configs_dir


@dataclass(frozen=True)
class ConfigDirs:
    """The folders searched for a config file, most specific first."""

    user_dir: Path | None = None

    @property
    def search_path(self) -> tuple[Path, ...]:
        bundled = bundled_configs_dir()
        if self.user_dir is None:
            return (bundled,)
        return (Path(self.user_dir), bundled)

    def find(self, name: str) -> Path:
        """Path of config ``name`` (e.g. ``"health.yaml"``), user folder first."""
        for folder in self.search_path:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        raise ConfigError(f"config file {name!r} not found in {', '.join(map(str, self.search_path))}")

    def load(self, name: str) -> dict[str, Any]:
        """Read config ``name`` as a mapping; an empty file gives ``{}``."""
        return load_yaml_file(self.find(name))


class _UniqueKeyLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """PyYAML's safe loader (libyaml's parser when installed), except that a key given twice is an error.

    Plain PyYAML keeps the last value silently, so a second ``weight:`` under
    a factor would quietly replace the first.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                continue
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            try:
                first = seen.setdefault(key, line)
            except TypeError:
                continue  # an unhashable key: the base class reports it
            if first != line:
                raise yaml.constructor.ConstructorError(
                    None,
                    None,
                    f"key {key!r} appears twice in one mapping (first on line {first}); keep one",
                    key_node.start_mark,
                )
        return super().construct_mapping(node, deep=deep)


def _describe(value: Any) -> str:
    """What a YAML value is, in words: ``a list``, ``a number``."""
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    return type(value).__name__


def read_yaml(path: Path) -> Any:
    """The YAML value in the file at ``path`` (``None`` for an empty file), or a one-line ConfigError.

    The file must be UTF-8 (a UTF-8 byte order mark is allowed); the error for
    another encoding gives the byte offset and line of the first bad byte.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror})") from exc
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ConfigError(
            f"{path}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}, line {line}); "
            "save the file as UTF-8"
        ) from None
    try:
        return yaml.load(text, Loader=_UniqueKeyLoader)  # a safe loader: plain data only
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f", line {mark.line + 1}" if mark is not None else ""
        raise ConfigError(f"{path}{where}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None


def load_yaml_file(path: Path) -> dict[str, Any]:
    """Read a YAML file whose top level must be a mapping; an empty file gives ``{}``."""
    data = read_yaml(path)
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(
            f"{path}: the top level must be a mapping of keys to values (got {_describe(data)})"
        )
    return data
