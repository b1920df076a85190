"""Generate the documentation's reference pages from the code, at build time (mkdocs-gen-files).

- ``metrics.md``: the glossary from the metric registry (``cs_calc.definitions``);
- ``data/contract.md``: the tables from the data contract (``reports.data.contract``);
- ``configuration.md``: every key from the config schema (``reports.data.config_schema``);
- ``documents/nps-digest.md``: the theme engine's F1 on the labelled set (``bench/nps_theme_quality.py``);
- ``reference/cli/*.md``: one page per command from Click (mkdocs-click) with its examples.

A hand-written page holds a marker line (``<!-- generated: glossary -->``) where the generated
text goes; nothing generated is committed, so the pages cannot drift from the code.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import mkdocs_gen_files

from cs_calc.definitions import glossary_markdown
from reports.cli.reference import command, command_names, examples_of, global_options_help
from reports.data.config_reference import config_reference_markdown
from reports.data.contract import contract_markdown


def _theme_quality_table() -> str:
    """The NPS theme engine's precision, recall and F1 on the labelled set (``bench/nps_theme_quality.py``)."""
    path = Path(__file__).resolve().parent.parent / "bench" / "nps_theme_quality.py"
    spec = importlib.util.spec_from_file_location("nps_theme_quality", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclass looks its module up
    spec.loader.exec_module(module)
    return module.markdown_table(module.theme_quality())


MARKERS = {
    "metrics.md": ("<!-- generated: glossary -->", glossary_markdown),
    "data/contract.md": ("<!-- generated: contract -->", contract_markdown),
    "configuration.md": ("<!-- generated: config-reference -->", config_reference_markdown),
    "documents/nps-digest.md": ("<!-- generated: theme-quality -->", _theme_quality_table),
}


def fill(page: str, marker: str, text: str) -> None:
    with mkdocs_gen_files.open(page, "r") as handle:
        source = handle.read()
    if source.count(marker) != 1:
        raise SystemExit(f"docs/{page}: needs the line {marker} exactly once")
    with mkdocs_gen_files.open(page, "w") as handle:
        handle.write(source.replace(marker, text.rstrip("\n")))


for page, (marker, generate) in MARKERS.items():
    fill(page, marker, generate())


def command_page(name: str) -> str:
    attribute = name.replace("-", "_")
    lines = [
        f"# csreports {name}",
        "",
        f"Generated from the command's Click definition: this page is `csreports {name} --help`.",
        "",
        "::: mkdocs-click",
        "    :module: reports.cli.reference",
        f"    :command: {attribute}",
        f"    :prog_name: csreports {name}",
        "    :depth: 1",
        "",
    ]
    examples = examples_of(name)
    if examples:
        lines += ["## Examples", "", "```bash", *examples, "```", ""]
    return "\n".join(lines)


rows = []
for name in command_names():
    with mkdocs_gen_files.open(f"reference/cli/{name}.md", "w") as handle:
        handle.write(command_page(name))
    mkdocs_gen_files.set_edit_path(f"reference/cli/{name}.md", "../gen_pages.py")
    summary = command(name).get_short_help_str(200).replace("|", "\\|")
    rows.append(f"| [`{name}`]({name}.md) | {summary} |")

with mkdocs_gen_files.open("reference/cli/index.md", "w") as handle:
    handle.write(
        "\n".join(
            [
                "# CLI reference",
                "",
                "Generated from the Click definitions, so it says what `--help` says.",
                "",
                "```text",
                global_options_help(),
                "```",
                "",
                "The global options may also follow the command, with the same meaning "
                "(`csreports demo --out x`); giving one on both sides with different values is a "
                "usage error.",
                "",
                "| command | what it does |",
                "|---|---|",
                *rows,
                "",
            ]
        )
    )
