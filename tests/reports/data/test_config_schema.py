"""The config schema: a reference for every bundled key, defaults that agree, messages users can act on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, get_args, get_origin

import pytest
import yaml
from pydantic import BaseModel

from cs_calc.health import HealthConfig
from cs_calc.signals import SignalConfig
from cs_calc.text.themes import EmergingThemeSettings
from reports.data.config_check import check_config_folder, parse_config, read_config_file
from reports.data.config_files import ConfigDirs, load_yaml_file
from reports.data.config_schema import (
    EXAMPLE_SCHEMAS,
    OKR_STATUSES,
    SCHEMAS,
    ConfigFile,
    EmergingThemesSpec,
    HealthFile,
    MetricsFile,
    NpsOverridesFile,
    QbrThresholdsSpec,
    SegmentsFile,
    SignalsSpec,
)
from reports.delivery.config import DeliveryConfig, delivery_config_from_mapping
from reports.documents.email.config import EmailConfig, email_config_from_mapping
from reports.documents.email.context import OKR_STATUSES as OKR_LABELS
from reports.documents.qbr.config import QbrConfig, QbrThresholds, qbr_config_from_mapping
from reports.errors import ConfigError
from reports.resources import bundled_configs_dir

ALL_SCHEMAS = {**SCHEMAS, **EXAMPLE_SCHEMAS}


def _models(annotation: Any) -> Iterator[type[BaseModel]]:
    """Every model reachable from ``annotation`` (through dict values, list items, Optional)."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
        for field in annotation.model_fields.values():
            yield from _models(field.annotation)
    for arg in get_args(annotation):
        yield from _models(arg)


def _undeclared(value: Any, annotation: Any, path: str) -> Iterator[str]:
    """Key paths in ``value`` (parsed YAML) that ``annotation`` does not declare."""
    while get_origin(annotation) is not None and get_origin(annotation) not in (dict, list):
        options = [a for a in get_args(annotation) if a is not type(None)]
        annotation = options[0]  # Annotated[...] or X | None
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(value, dict):
        for key, item in value.items():
            if key not in annotation.model_fields:
                yield f"{path}{key}"
            else:
                yield from _undeclared(item, annotation.model_fields[key].annotation, f"{path}{key}.")
    elif get_origin(annotation) is dict and isinstance(value, dict):
        for key, item in value.items():
            yield from _undeclared(item, get_args(annotation)[1], f"{path}{key}.")
    elif get_origin(annotation) is list and isinstance(value, list):
        for item in value:
            yield from _undeclared(item, get_args(annotation)[0], path)


# --------------------------------------------------------------------------- configuration reference


def test_every_bundled_config_file_has_a_schema():
    bundled = {path.name for path in bundled_configs_dir().glob("*.yaml")}
    assert bundled == set(ALL_SCHEMAS)


@pytest.mark.parametrize("name", sorted(ALL_SCHEMAS))
def test_every_bundled_key_is_declared(name):
    data = yaml.safe_load((bundled_configs_dir() / name).read_text(encoding="utf-8")) or {}
    assert list(_undeclared(data, ALL_SCHEMAS[name], "")) == []


def test_every_schema_field_has_a_description():
    missing = [
        f"{model.__name__}.{field_name}"
        for schema in ALL_SCHEMAS.values()
        for model in _models(schema)
        for field_name, field in model.model_fields.items()
        if not (field.description or "").strip()
    ]
    assert missing == []


def test_the_check_sees_an_undeclared_key():
    assert list(_undeclared({"signals": {"lookbak_days": 3}}, MetricsFile, "")) == ["signals.lookbak_days"]


def test_the_bundled_configs_pass_their_schema(tmp_path):
    checked = check_config_folder(ConfigDirs())
    assert tuple(checked.segments.segments) == ("Starter", "Scaled", "Upmarket", "Strategic")
    notes = read_config_file(
        bundled_configs_dir() / "weekly_notes.example.yaml", EXAMPLE_SCHEMAS["weekly_notes.example.yaml"]
    )
    assert notes.week == "2026-W43" and notes.okrs[0].status == "at_risk"


# --------------------------------------------------------------------------- defaults agree with the dataclasses


def test_schema_defaults_are_the_dataclass_defaults():
    assert SignalConfig(**SignalsSpec().model_dump()) == SignalConfig()
    assert QbrThresholds(**QbrThresholdsSpec().model_dump()) == QbrThresholds()
    assert EmergingThemeSettings(**EmergingThemesSpec().model_dump()) == EmergingThemeSettings()
    assert qbr_config_from_mapping({}) == QbrConfig()
    assert email_config_from_mapping({}) == EmailConfig(recipients=())
    assert delivery_config_from_mapping({}, "x") == DeliveryConfig(source="x")
    health = HealthFile.model_validate({"factors": {"nps": {"weight": 1, "points": [[0, 0]]}}})
    defaults = HealthConfig(factors={})
    assert (health.bands.yellow_from, health.bands.green_from) == (defaults.yellow_from, defaults.green_from)
    assert (
        health.lookback_days,
        health.trend_months,
        health.trend_stable_points,
        health.backtest_quarters,
    ) == (
        defaults.lookback_days,
        defaults.trend_months,
        defaults.trend_stable_points,
        defaults.backtest_quarters,
    )
    assert tuple(health.metrics.model_dump().values()) == (
        defaults.active_users_metric,
        defaults.seats_metric,
        defaults.logins_metric,
    )


def test_lists_copied_from_other_modules_stay_equal():
    assert tuple(OKR_LABELS) == OKR_STATUSES


# --------------------------------------------------------------------------- strict types and messages


def _problems(schema: type[ConfigFile], data: Any) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(schema, data, "x.yaml")
    return list(caught.value.problems)


def test_no_silent_coercion():
    assert _problems(MetricsFile, {"count_reactivation_in_nrr": "true"}) == [
        "x.yaml: count_reactivation_in_nrr: must be true or false without quotes (got the text 'true')"
    ]
    assert _problems(MetricsFile, {"count_reactivation_in_nrr": 1}) == [
        "x.yaml: count_reactivation_in_nrr: must be true or false (got 1)"
    ]
    assert _problems(MetricsFile, {"signals": {"lookback_days": "90"}}) == [
        "x.yaml: signals.lookback_days: must be a whole number ≥ 1 (got '90')"
    ]
    assert _problems(MetricsFile, {"signals": {"usage_drop": float("nan")}}) == [
        "x.yaml: signals.usage_drop: must be a number > 0 and ≤ 1 (got nan)"
    ]
    assert _problems(MetricsFile, {"reporting_currency": "usd"}) == [
        "x.yaml: reporting_currency: 'usd' is not a three-letter ISO 4217 currency code in capitals "
        "(e.g. USD, EUR, SEK)"
    ]
    # A whole number is a number: 1 for a fraction is fine.
    assert parse_config(MetricsFile, {"signals": {"usage_drop": 1}}, "x.yaml").signals.usage_drop == 1


def test_an_empty_section_keeps_its_defaults_but_an_empty_value_does_not():
    assert parse_config(MetricsFile, {"signals": None}, "x.yaml").signals == SignalsSpec()
    assert _problems(MetricsFile, {"signals": {"lookback_days": None}}) == [
        "x.yaml: signals.lookback_days: must be a whole number ≥ 1 (got nothing)"
    ]


def test_health_rules_between_keys():
    assert _problems(
        HealthFile,
        {"factors": {"nps": {"weight": 1, "points": [[8, 75], [6, 130]]}}},
    ) == [
        "x.yaml: factors.nps.points[1]: inputs must be in increasing order (6 comes after 8)",
        "x.yaml: factors.nps.points[1]: score must be from 0 to 100 (got 130)",
    ]
    assert _problems(HealthFile, {"factors": {}}) == ["x.yaml: factors: must have at least 1 item (got 0)"]
    assert _problems(HealthFile, {"factors": {"nps": {"weight": 1, "points": [[1, 2, 3]]}}}) == [
        "x.yaml: factors.nps.points[0]: must have at most 2 items (got 3)"
    ]


def test_keys_that_are_not_text_or_not_ids():
    assert _problems(SegmentsFile, {"segments": {2024: {}}, "regions": ["NAM", "NAM"]}) == [
        "x.yaml: segments: key 2024: must be text (got 2024)"
    ]
    assert _problems(SegmentsFile, {"segments": {"Starter": None}, "regions": ["NAM", "NAM"]}) == [
        "x.yaml: regions[1]: 'NAM' is listed twice (also at [0])"
    ]
    reasons = SCHEMAS["churn_reasons.yaml"]
    assert _problems(reasons, {"reasons": {"Price budget": {"label": "Price"}}}) == [
        "x.yaml: reasons: 'Price budget' must be lower-case letters, digits and '_', starting with a letter"
    ]


def test_overrides_accept_numeric_ids_and_a_single_theme():
    checked = parse_config(NpsOverridesFile, {"overrides": {117: "pricing", "R-2": None}}, "x.yaml")
    assert checked.overrides == {"117": ["pricing"], "R-2": []}


# --------------------------------------------------------------------------- reading files


def test_reading_files(tmp_path: Path):
    bom = tmp_path / "bom.yaml"
    bom.write_bytes(b"\xef\xbb\xbfa: 1\n")
    assert load_yaml_file(bom) == {"a": 1}
    merged = tmp_path / "merge.yaml"
    merged.write_text("base: &b {x: 1}\nd:\n  <<: *b\n  x: 2\n", encoding="utf-8")
    assert load_yaml_file(merged)["d"] == {"x": 2}  # a merge key may be overridden: not a repeated key
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_text("a: 1\n", encoding="utf-16")
    with pytest.raises(ConfigError, match=r"utf16.yaml: not UTF-8 text \(byte 0xff at offset 0, line 1\)"):
        load_yaml_file(utf16)
    scalar = tmp_path / "scalar.yaml"
    scalar.write_text("just words\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"the top level must be a mapping of keys to values \(got text\)"):
        load_yaml_file(scalar)


def test_delivery_config_names_each_problem():
    from reports.errors import ConfigError

    with pytest.raises(ConfigError) as caught:
        delivery_config_from_mapping(
            {
                "attach": ["slides"],
                "sender": "bob\r\nBcc: x@evil.example",
                "recipients": {"prefer": ["ceo"], "max_recipients": 0},
                "subject": {"en": "{acount}"},
                "rate_per_minute": -1,
            },
            "delivery.yaml",
        )
    text = str(caught.value)
    for key in (
        "attach",
        "sender",
        "recipients.prefer",
        "recipients.max_recipients",
        "subject",
        "rate_per_minute",
    ):
        assert f"delivery.yaml: {key}" in text, text
    assert "is not an e-mail address" in text and "{acount} is not a subject field" in text
    assert load_delivery_config_default().attach == ("leave_behind",)


def load_delivery_config_default():
    from reports.delivery.config import load_delivery_config

    return load_delivery_config()
