"""The documentation covers what the product does: every metric, command, config key, table and column.

The reference pages (glossary, data contract, configuration keys, CLI) are generated from the code
by ``docs/gen_pages.py`` when the site is built (``mkdocs build --strict`` in ``.ci/run``, which
also fails on a broken internal link or anchor). These tests check the generators cover
everything, that the hand-written pages hold the places the generated text goes, and that the
README stays a short front door whose quickstart is what CI runs.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from cs_calc.definitions import METRICS, glossary_markdown
from reports.cli.reference import cli, command, command_names, examples_of
from reports.data.config_reference import config_reference_markdown, key_paths
from reports.data.config_schema import EXAMPLE_SCHEMAS, SCHEMAS
from reports.data.contract import TABLES, contract_markdown
from reports.resources import bundled_configs_dir

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
MKDOCS = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
GENERATOR = (DOCS / "gen_pages.py").read_text(encoding="utf-8")
CI = (ROOT / ".ci" / "run").read_text(encoding="utf-8")

MARKERS = {
    "metrics.md": "<!-- generated: glossary -->",
    "data/contract.md": "<!-- generated: contract -->",
    "configuration.md": "<!-- generated: config-reference -->",
    "documents/nps-digest.md": "<!-- generated: theme-quality -->",
}


def _nav_pages(items: Any) -> list[str]:
    if isinstance(items, str):
        return [items]
    if isinstance(items, list):
        return [page for item in items for page in _nav_pages(item)]
    if isinstance(items, dict):
        return [page for value in items.values() for page in _nav_pages(value)]
    return []


NAV = _nav_pages(MKDOCS["nav"])
HAND_WRITTEN = "\n".join(path.read_text(encoding="utf-8") for path in sorted(DOCS.rglob("*.md")))


# --------------------------------------------------------------------------- generated pages


@pytest.mark.parametrize("page", sorted(MARKERS))
def test_generated_text_has_its_place_in_a_page(page):
    assert (DOCS / page).read_text(encoding="utf-8").count(MARKERS[page]) == 1
    assert MARKERS[page] in GENERATOR
    assert page in NAV


def test_the_site_runs_the_generator_and_ci_builds_it_strictly():
    plugins = {next(iter(p)) if isinstance(p, dict) else p: p for p in MKDOCS["plugins"]}
    assert plugins["gen-files"]["gen-files"]["scripts"] == ["docs/gen_pages.py"]
    assert MKDOCS["strict"] is True
    assert "mkdocs build --strict" in CI


def test_every_metric_is_in_the_glossary(tiny_run):
    glossary = glossary_markdown()
    for metric in sorted({*tiny_run.metrics.portfolio["metric"], *METRICS}):
        assert f"`{metric}`" in glossary, metric


def test_every_contract_table_and_column_is_documented():
    contract = contract_markdown()
    for table in TABLES:
        assert f"### `{table.name}` ({'required' if table.required else 'optional'})" in contract
        for column in table.columns:
            assert re.search(rf"^\| `{column.name}` \|", contract, re.MULTILINE), (
                f"{table.name}.{column.name}"
            )


def test_every_config_file_is_documented():
    reference = config_reference_markdown()
    for path in sorted(bundled_configs_dir().glob("*.yaml")):
        assert f"## `{path.name}`" in reference, path.name


def _leaf_paths(value: Any, path: str = "") -> list[str]:
    if isinstance(value, dict) and value:
        return [
            p for key, item in value.items() for p in _leaf_paths(item, f"{path}.{key}" if path else str(key))
        ]
    if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
        return [p for item in value for p in _leaf_paths(item, f"{path}[]")]
    return [path]


@pytest.mark.parametrize("name", sorted({**SCHEMAS, **EXAMPLE_SCHEMAS}))
def test_every_key_of_the_bundled_configs_is_in_the_reference(name):
    """A key is documented when its path matches a reference row (``<name>`` stands for any key);
    under a key that holds a mapping or list of plain values, the key's own row documents it."""
    schema = {**SCHEMAS, **EXAMPLE_SCHEMAS}[name]
    paths = key_paths(schema)
    patterns = [re.escape(p).replace("<name>", "[^.]+").replace(r"\[\]", r"\[\]") for p in paths]
    leaves = [
        re.escape(p).replace("<name>", "[^.]+")
        for p in paths
        if not any(other.startswith(f"{p}.") or other.startswith(f"{p}[]") for other in paths)
    ]
    data = yaml.safe_load((bundled_configs_dir() / name).read_text(encoding="utf-8")) or {}
    for leaf in _leaf_paths(data):
        if not leaf:
            continue
        assert any(re.fullmatch(p, leaf) for p in patterns) or any(
            re.match(rf"{p}(\.|\[)", leaf) for p in leaves
        ), f"{name}: {leaf}"


# --------------------------------------------------------------------------- commands


def test_every_command_has_a_reference_page_in_the_nav():
    pages = sorted(p.removeprefix("reference/cli/").removesuffix(".md") for p in NAV if "reference/cli/" in p)
    assert pages == sorted([*command_names(), "index"])


def test_every_command_is_named_in_the_guides():
    for name in command_names():
        assert f"`{name}" in HAND_WRITTEN or f"csreports {name}" in HAND_WRITTEN, name


@pytest.mark.parametrize("name", command_names())
def test_the_reference_shows_the_options_help_shows(name):
    """mkdocs-click renders a command on its own (no parent context): its options must read as
    ``csreports NAME --help`` prints them, help option names included."""
    shown = command(name)
    ctx = shown.context_class(shown, info_name=f"csreports {name}", **shown.context_settings)
    formatter = ctx.make_formatter()
    click.Command.format_options(shown, ctx, formatter)
    result = CliRunner().invoke(cli, [name, "--help"], terminal_width=80)
    assert result.exit_code == 0, result.output
    assert " ".join(formatter.getvalue().split()) in " ".join(result.output.split())


def test_every_command_shows_examples_in_its_reference():
    for name in command_names():
        assert examples_of(name), name
        assert all(line.startswith(f"csreports {name}") or "csreports" in line for line in examples_of(name))
        assert command(name).help, name


# --------------------------------------------------------------------------- README


def test_quickstart_and_ci_run_the_same_test_command():
    test_command = 'pip install -e ".[test]" && pytest'
    assert f"```bash\n{test_command}\n```" in README
    assert "```bash\npip install . && csreports demo\n```" in README
    assert test_command in CI
    getting_started = (DOCS / "getting-started.md").read_text(encoding="utf-8")
    assert f"```bash\n{test_command}\n```" in getting_started
    assert "```bash\npip install . && csreports demo\n```" in getting_started


def test_the_readme_is_a_short_front_door():
    assert len(README.splitlines()) <= 200
    section = README[README.index("## Most used commands") :]
    rows = re.findall(r"^\| `csreports ([a-z-]+)", section, re.MULTILINE)
    assert len(rows) == 5 and set(rows) <= set(command_names())


def test_readme_links_and_pictures_exist():
    targets = re.findall(r"\]\(([^)#]+)(?:#[^)]*)?\)", README) + re.findall(r'src="([^"]+)"', README)
    assert targets
    for target in targets:
        assert (ROOT / target).is_file(), target
        if target.endswith(".md"):
            assert target.removeprefix("docs/") in NAV, target


def test_screenshots_are_small_and_shown():
    pictures = sorted((DOCS / "img").glob("*.png"))
    assert pictures
    for picture in pictures:
        assert picture.stat().st_size < 150_000, picture.name
        assert f"img/{picture.name}" in HAND_WRITTEN + README, f"{picture.name} is not shown anywhere"


# --------------------------------------------------------------------------- code the docs show


def test_the_theme_quality_script_prints_the_docs_table():
    path = ROOT / "bench" / "nps_theme_quality.py"
    spec = importlib.util.spec_from_file_location("nps_theme_quality", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        scores = module.theme_quality()
        table = module.markdown_table(scores)
    finally:
        del sys.modules[spec.name]
    assert [s.theme for s in scores["all"]] == [s.theme for s in scores["held out"]]
    assert len(table.splitlines()) == 2 + len(scores["all"]) + 1
    assert sum(s.labelled for s in scores["held out"]) >= 50
    assert module.macro_f1(scores["all"]) >= 0.8 and module.macro_f1(scores["held out"]) >= 0.8
