"""A mistake in a config file stops the run with one line per problem, exit 1, nothing written.

Each test copies one bundled config into a ``--config`` folder (the user's
folder is searched first, the bundled defaults fill in the rest), breaks it
the way a user would, runs the real CLI and pins the message: the file, the
key path, what is allowed and what was found.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from reports.cli import cli
from reports.resources import bundled_configs_dir


def _edited(folder: Path, name: str, old: str, new: str) -> Path:
    """Write the bundled ``name`` into ``folder`` with ``old`` replaced by ``new`` (once)."""
    text = (bundled_configs_dir() / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not once in {name}"
    path = folder / name
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


@pytest.fixture
def cfg(tmp_path: Path) -> Path:
    folder = tmp_path / "cfg"
    folder.mkdir()
    return folder


def _metrics(tiny_dir: Path, cfg: Path, out: Path, *command: str) -> Result:
    args = ["--data", str(tiny_dir), "--config", str(cfg), "--out", str(out)]
    return CliRunner().invoke(cli, [*args, *(command or ("metrics", "--quarter", "2026-Q3"))])


def _refused(result: Result, out: Path, *lines: str) -> None:
    """Exit 1, exactly ``lines`` after 'Error: ', and no output folder."""
    assert result.exit_code == 1, result.output
    if len(lines) == 1:
        assert result.output == f"Error: {lines[0]}\n"
    else:
        head = f"Error: {len(lines)} problems in the config files; nothing was run:"
        assert result.output.splitlines() == [head, *lines]
    assert not out.exists(), sorted(out.rglob("*"))


# --------------------------------------------------------------------------- what the tester found


def test_a_quoted_false_is_not_true(tiny_dir, cfg, tmp_path):
    """Read as a string, "false" was truthy and switched NRR to counting reactivations."""
    path = _edited(
        cfg, "metrics.yaml", "count_reactivation_in_nrr: false", 'count_reactivation_in_nrr: "false"'
    )
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: count_reactivation_in_nrr: must be true or false without quotes (got the text 'false')",
    )


def test_a_negative_health_weight_is_refused(tiny_dir, cfg, tmp_path):
    """A negative weight made the weighted mean NaN for most accounts."""
    path = _edited(cfg, "health.yaml", "weight: 0.25", "weight: -1")
    out = tmp_path / "out"
    _refused(_metrics(tiny_dir, cfg, out), out, f"{path}: factors.usage_trend.weight: must be ≥ 0 (got -1)")


def test_health_weights_that_are_all_zero_are_refused(tiny_dir, cfg, tmp_path):
    path = cfg / "health.yaml"
    path.write_text(
        "factors:\n  nps: {weight: 0, points: [[0, 0], [10, 100]]}\n"
        "  champion_present: {weight: 0.0, points: [[0, 0], [1, 100]]}\n",
        encoding="utf-8",
    )
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out), out, f"{path}: factors: every weight is 0; at least one must be above 0"
    )


def test_text_where_a_number_belongs_is_one_line_each(tiny_dir, cfg, tmp_path):
    """'lots', 'a quarter' and a number for a list gave tracebacks; now every one is listed at once."""
    segments = _edited(cfg, "segments.yaml", "accounts_per_csm: 1200", 'accounts_per_csm: "lots"')
    segments.write_text(
        segments.read_text(encoding="utf-8").replace("regions: [NAM, LATAM, EMEA, JAPAC]", "regions: 5"),
        encoding="utf-8",
    )
    metrics = _edited(cfg, "metrics.yaml", "usage_drop: 0.25", 'usage_drop: "a quarter"')
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{segments}: segments.Scaled.accounts_per_csm: must be a number > 0 (got 'lots')",
        f"{segments}: regions: must be a list (got 5)",
        f"{metrics}: signals.usage_drop: must be a number > 0 and ≤ 1 (got 'a quarter')",
    )


def test_a_latin1_file_is_one_line(tiny_dir, cfg, tmp_path):
    path = cfg / "churn_reasons.yaml"
    text = (bundled_configs_dir() / "churn_reasons.yaml").read_text(encoding="utf-8")
    path.write_bytes(text.replace("Product gap", "Produktlücke").encode("latin-1"))
    offset = text.index("Product gap") + len("Produktl")
    line = text[:offset].count("\n") + 1
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: not UTF-8 text (byte 0xfc at offset {offset}, line {line}); save the file as UTF-8",
    )


# --------------------------------------------------------------------------- keys, values, shapes


def test_an_unknown_key_suggests_the_one_meant(tiny_dir, cfg, tmp_path):
    path = _edited(
        cfg,
        "health.yaml",
        "    weight: 0.15\n    points: [[0.2, 0]",
        "    wieght: 0.15\n    points: [[0.2, 0]",
    )
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: factors.seat_utilisation.weight: missing; this key is required",
        f"{path}: factors.seat_utilisation: unknown key 'wieght' (did you mean 'weight'?) "
        "(allowed: weight, points)",
    )


def test_an_unknown_top_level_key_is_named(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "metrics.yaml", "reporting_currency: USD", "reporting_curency: USD")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: unknown key 'reporting_curency' (did you mean 'reporting_currency'?) "
        "(allowed: reporting_currency, count_reactivation_in_nrr, signals)",
    )


def test_a_value_outside_the_allowed_ones(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "qbr.yaml", "reference_ask_band: green", "reference_ask_band: Green")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: thresholds.reference_ask_band: 'Green' is not one of red, yellow, green "
        "(did you mean 'green'?)",
    )


def test_an_unknown_slide_and_deck_kind(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "qbr.yaml", "  Scaled: digital", "  Scaled: digtal")
    path.write_text(
        path.read_text(encoding="utf-8").replace("    - agenda\n", "    - agennda\n"), encoding="utf-8"
    )
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: decks.high_touch[1]: unknown slide 'agennda' (did you mean 'agenda'?) (allowed: title, "
        "agenda, executive_summary, goals_review, success_plan, adoption, support, voice_of_customer, "
        "stakeholders, risks_opportunities, next_steps, appendix)",
    )
    path.write_text(path.read_text(encoding="utf-8").replace("agennda", "agenda"), encoding="utf-8")
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: deck_by_segment.Scaled: 'digtal' is not a deck kind (did you mean 'digital'?) "
        "(decks has: high_touch, digital)",
    )


def test_an_empty_file_where_keys_are_required(tiny_dir, cfg, tmp_path):
    (cfg / "segments.yaml").write_text("# all commented out\n", encoding="utf-8")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{cfg / 'segments.yaml'}: the file is empty; it needs segments, regions",
    )


def test_a_list_where_a_mapping_belongs(tiny_dir, cfg, tmp_path):
    (cfg / "churn_reasons.yaml").write_text("- product_gap\n- price_budget\n", encoding="utf-8")
    health = _edited(cfg, "health.yaml", "bands:\n  yellow_from: 50\n  green_from: 75", "bands: [50, 75]")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{health}: bands: must be a mapping of keys to values (got a list)",
        f"{cfg / 'churn_reasons.yaml'}: the top level must be a mapping of keys to values (got a list)",
    )


def test_fractions_and_counts_out_of_range(tiny_dir, cfg, tmp_path):
    """A threshold written as a percent (3 for 3%) would silently never trigger."""
    email = _edited(cfg, "email.yaml", "activity_change_threshold: 0.03", "activity_change_threshold: 3")
    email.write_text(
        email.read_text(encoding="utf-8").replace("trend_weeks: 8", "trend_weeks: 8.0"), encoding="utf-8"
    )
    qbr = _edited(cfg, "qbr.yaml", "adoption_low: 0.5 ", "adoption_low: -0.5 ")
    health = _edited(cfg, "health.yaml", "green_from: 75", "green_from: 40")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{health}: bands.green_from: must be at or above yellow_from (50) (got 40)",
        f"{qbr}: thresholds.adoption_low: must be from 0 to 1 (got -0.5)",
        f"{email}: trend_weeks: must be a whole number ≥ 2 (got 8.0)",
        f"{email}: activity_change_threshold: must be from 0 to 1 (got 3)",
    )


def test_yaml_no_is_not_text(tiny_dir, cfg, tmp_path):
    """Unquoted no/yes/on/off are booleans in YAML: a Norwegian locale code is the classic."""
    path = _edited(cfg, "email.yaml", "locale: en", "locale: no")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}: locale: must be text (got false: YAML reads unquoted yes, no, on, off, true and false "
        "as true/false, so put it in quotes)",
    )


def test_a_key_given_twice_is_refused(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "health.yaml", "    weight: 0.25\n", "    weight: 0.25\n    weight: 0.5\n")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{path}, line 20: not valid YAML (key 'weight' appears twice in one mapping (first on line 19); "
        "keep one)",
    )


def test_a_misnamed_file_is_not_silently_ignored(tiny_dir, cfg, tmp_path):
    (cfg / "health.yml").write_text((bundled_configs_dir() / "health.yaml").read_text(encoding="utf-8"))
    (cfg / "segment.yaml").write_text((bundled_configs_dir() / "segments.yaml").read_text(encoding="utf-8"))
    # Not config files: a job file, and a near name beside the real metrics.yaml.
    (cfg / "my-job.yaml").write_text("documents: [churn-report]\n", encoding="utf-8")
    _edited(cfg, "metrics.yaml", "usage_growth: 0.2", "usage_growth: 0.3")
    (cfg / "metrics-old.yaml").write_text("", encoding="utf-8")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{cfg / 'health.yml'}: csreports reads health.yaml (.yaml, not .yml); rename the file",
        f"{cfg / 'segment.yaml'}: not a file csreports reads, so the bundled segments.yaml is used "
        "(did you mean 'segments.yaml'?); rename the file",
    )


def test_rules_between_files(tiny_dir, cfg, tmp_path):
    overrides = cfg / "nps_overrides.yaml"
    overrides.write_text("overrides:\n  R-1: [pricng, support]\n", encoding="utf-8")
    qbr = _edited(cfg, "qbr.yaml", "  Strategic: high_touch", "  Strategik: high_touch")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out),
        out,
        f"{overrides}: overrides.R-1[0]: theme 'pricng' is not in nps_themes.yaml (did you mean 'pricing'?) "
        "(themes: onboarding, pricing, support, reporting, integrations, performance, usability, "
        "reliability, documentation, account_management)",
        f"{qbr}: deck_by_segment: unknown segment 'Strategik' (did you mean 'Strategic'?) "
        "(segments.yaml has: Starter, Scaled, Upmarket, Strategic)",
    )


# --------------------------------------------------------------------------- other commands, good configs


def test_a_document_command_writes_nothing_either(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "email.yaml", "renewal_days: 105", "renewal_days: soon")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out, "qbr", "--account", "A1", "--quarter", "2026-Q3"),
        out,
        f"{path}: renewal_days: must be a whole number ≥ 1 (got 'soon')",
    )


def test_a_batch_run_checks_the_configs_before_the_job(tiny_dir, cfg, tmp_path):
    path = _edited(cfg, "segments.yaml", "max_mrr: 250", "max_mrr: -250")
    job = tmp_path / "job.yaml"
    job.write_text(f"data: {tiny_dir}\nperiod: 2026-Q3\ndocuments: [churn-report]\n", encoding="utf-8")
    out = tmp_path / "out"
    _refused(
        _metrics(tiny_dir, cfg, out, "run", str(job)),
        out,
        f"{path}: segments.Starter.max_mrr: must be > 0 (got -250)",
    )


def test_a_users_file_replaces_only_its_own_default(tiny_dir, cfg, tmp_path):
    """The user's folder wins file by file: a valid metrics.yaml alone changes NRR, nothing else."""
    _edited(cfg, "metrics.yaml", "count_reactivation_in_nrr: false", "count_reactivation_in_nrr: true")
    result = _metrics(tiny_dir, cfg, tmp_path / "out", "validate")
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: ")
