"""What a new user meets first: global options anywhere, help with examples, the
accounts listing, id suggestions, the weekly-email default week, the demo's last lines."""

from __future__ import annotations

import datetime as dt
import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from reports.cli import cli
from reports.cli.commands import global_options
from reports.cli.types import MonthType, QuarterType, WeekType

COMMANDS = sorted(cli.list_commands(None))  # type: ignore[arg-type]
REQUIRED_ARGS = {
    "run": ["job.yaml"],
    "approve": ["."],
    "hold": [".", "--account", "A-00001", "--reason", "renewal call first"],
    "review": ["."],
    "deliver": ["."],
}
"""Arguments a command cannot parse without (files made by the tests that need them)."""


def _command(name: str) -> click.Command:
    command = cli.get_command(None, name)  # type: ignore[arg-type]
    assert command is not None, name
    return command


def _parse(args: list[str]) -> tuple[click.Context, click.Context]:
    """Parse a whole command line as ``csreports`` would, running no command: (group, command) contexts."""
    root = cli.make_context("csreports", list(args))
    root.obj = {key: root.params[key] for key in ("data", "config_dir", "templates_dir", "out_dir")}
    name, command, rest = cli.resolve_command(root, [*root._protected_args, *root.args])
    assert command is not None and name is not None
    return root, command.make_context(name, rest, parent=root)


def test_commands_include_the_accounts_listing() -> None:
    from reports.cli.commands import DESCRIPTIONS

    assert "accounts" in COMMANDS and "template" in COMMANDS and len(COMMANDS) == 17
    assert {"approve", "hold", "deliver"} <= set(COMMANDS)
    assert DESCRIPTIONS["accounts"] in CliRunner().invoke(cli, ["--help"]).output
    assert DESCRIPTIONS["template"] in CliRunner().invoke(cli, ["--help"]).output


@pytest.mark.parametrize("name", COMMANDS)
def test_global_options_work_after_every_command(name: str, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    Path("job.yaml").write_text("documents: []\n")
    for folder in ("data", "config", "templates", "q3"):
        (tmp_path / folder).mkdir()
    after = ["--data", "data", "--config", "config", "--templates", "templates", "--out", "new-out"]
    root, _ctx = _parse([name, *REQUIRED_ARGS.get(name, []), *after])
    assert root.obj == {
        "data": "data",
        "config_dir": Path("config"),
        "templates_dir": Path("templates"),
        "out_dir": Path("new-out"),
    }
    assert not Path("new-out").exists()


def test_out_after_sample_data_writes_there(tmp_path: Path) -> None:
    out = tmp_path / "big"
    result = CliRunner().invoke(cli, ["sample-data", "--accounts", "3", "--months", "2", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "accounts.csv").is_file()


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("where", ["before", "after"])
def test_missing_data_folder_is_named_for_every_command(name: str, where: str, tmp_path: Path) -> None:
    job = tmp_path / "job.yaml"
    job.write_text("documents: []\n")
    missing = ["--data", str(tmp_path / "no-such-folder")]
    args = [*REQUIRED_ARGS.get(name, [])]
    args = [str(job) if a == "job.yaml" else a for a in args]
    line = [*missing, name, *args] if where == "before" else [name, *args, *missing]
    result = CliRunner().invoke(cli, [*line, "--out", str(tmp_path / "out")])
    assert result.exit_code == 1, result.output
    assert result.output == f"Error: --data folder {tmp_path / 'no-such-folder'} does not exist\n"
    assert not (tmp_path / "out").exists()


def _examples(help_text: str) -> list[str]:
    part = help_text[help_text.index("Examples:") :]
    return [line.strip() for line in part.splitlines()[1:] if line.strip().startswith("csreports ")]


@pytest.mark.parametrize("name", [None, *COMMANDS])
def test_every_help_has_examples_that_parse(name: str | None, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(global_options, "check_folder", lambda flag, value: None)  # example folders
    (tmp_path / "q3").mkdir()  # the output folder the review and delivery examples name
    result = CliRunner().invoke(cli, [name, "--help"] if name else ["--help"])
    assert result.exit_code == 0, result.output
    examples = _examples(result.output)
    assert 1 <= len(examples) <= 3, result.output
    for example in examples:
        words = shlex.split(example)[1:]
        words = words[: words.index(">")] if ">" in words else words
        for word in words:
            if word.endswith((".yaml", ".env")):
                Path(word).parent.mkdir(parents=True, exist_ok=True)
                Path(word).write_text("documents: []\n")
            elif word.startswith("./"):  # an output folder of an earlier run
                Path(word).mkdir(parents=True, exist_ok=True)
        _root, ctx = _parse(words)
        assert name is None or ctx.info_name == name, example


@pytest.mark.parametrize("name", COMMANDS)
def test_help_states_the_period_formats(name: str) -> None:
    command = _command(name)
    help_text = CliRunner().invoke(cli, [name, "--help"]).output
    formats = {QuarterType: "YYYY-Qn", MonthType: "YYYY-MM", WeekType: "YYYY-Www"}
    for param in command.params:
        for kind, text in formats.items():
            if isinstance(param.type, kind):
                assert f"{param.opts[0]} {text}" in help_text, (name, param.name)


def test_unknown_account_suggests_the_id_meant_and_writes_nothing(tiny_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner = CliRunner()
    base = ["--data", str(tiny_dir), "--out", str(out), "qbr", "--quarter", "2026-Q3"]
    result = runner.invoke(cli, [*base, "--account", "a5"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown account id(s): a5 (did you mean A5?); `csreports accounts` lists the ids\n"
    )
    result = runner.invoke(cli, [*base, "--account", "A-5", "--account", "ZZZ"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: unknown account id(s): A-5 (did you mean A5?), ZZZ; `csreports accounts` lists the ids\n"
    )
    assert not out.exists()


def test_accounts_lists_id_name_segment_and_csm(tiny_dir: Path) -> None:
    result = CliRunner().invoke(cli, ["accounts", "--data", str(tiny_dir), "--limit", "2"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "ID  NAME       SEGMENT   CSM  CSM NAME",
        "A1  Alpha AB   Scaled    C1   Cleo One",
        "A2  Beta GmbH  Upmarket  C2   Carl Two",
        "… and 3 more (--all lists every one, --format csv writes them all)",
    ]
    result = CliRunner().invoke(cli, ["--data", str(tiny_dir), "accounts", "--limit", "2", "--all"])
    assert len(result.output.splitlines()) == 6


def test_accounts_filters_and_csv(tiny_dir: Path) -> None:
    runner = CliRunner()
    args = ["--data", str(tiny_dir), "accounts", "--format", "csv"]
    result = runner.invoke(cli, [*args, "--segment", "upmarket", "--csm", "c2"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        "account_id,name,segment,csm_id,csm_name\nA2,Beta GmbH,Upmarket,C2,Carl Two\nA5,Epsilon SA,Upmarket,C2,Carl Two\n"
    )
    result = runner.invoke(cli, [*args, "--search", "GAMMA"])
    assert result.output.splitlines()[1:] == ["A3,Gamma Inc.,Scaled,C1,Cleo One"]
    result = runner.invoke(cli, ["--data", str(tiny_dir), "accounts", "--search", "nothing-like-it"])
    assert (result.exit_code, result.output) == (0, "No account matches.\n")
    result = runner.invoke(cli, ["--data", str(tiny_dir), "accounts", "--segment", "Gold"])
    assert result.exit_code == 1
    assert result.output == "Error: segment 'Gold' is not one of Scaled, Starter, Upmarket\n"


def test_weekly_email_without_week_uses_the_last_week_with_data() -> None:
    result = CliRunner().invoke(cli, ["weekly-email", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == (
        "No --week given: 2026-W43 (2026-10-19 to 2026-10-25), the last complete week with data."
    )
    assert "Week: 2026-W43 (2026-10-19 to 2026-10-25)" in result.output


def test_default_data_week_is_never_after_the_current_week(monkeypatch, sample_run) -> None:  # type: ignore[no-untyped-def]
    from reports.cli.commands import weekly_email

    monkeypatch.setattr("reports.documents.email.context.today_in", lambda zone: dt.date(2026, 10, 14))
    assert weekly_email.default_data_week(sample_run.dataset.tables, None).label == "2026-W41"
    monkeypatch.setattr("reports.documents.email.context.today_in", lambda zone: dt.date(2027, 3, 1))
    assert weekly_email.default_data_week(sample_run.dataset.tables, None).label == "2026-W43"


def test_demo_ends_with_what_to_open_first_and_the_internal_warning(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import importlib
    from types import SimpleNamespace

    from reports.output.manifest import Manifest, ManifestEntry

    def fake_run_demo(data, out_dir, **kwargs):  # type: ignore[no-untyped-def]
        manifest = Manifest(out_dir)
        for path in (
            "metrics/portfolio.csv",
            "qbr/a-1-internal.pptx",
            "qbr/a-1.pdf",
            "qbr/a-1.pptx",
            "leadership/board-report-2026-q3.pptx",
            "leadership/board-report-2026-q3.pdf",
        ):
            manifest.entries.append(ManifestEntry("x", "ok", path))
        return SimpleNamespace(window=SimpleNamespace(label="2026-Q3")), manifest

    demo = importlib.import_module("reports.cli.demo")  # the module; reports.cli.demo is the command
    monkeypatch.setattr(demo, "run_demo", fake_run_demo)
    out = tmp_path / "demo"
    result = CliRunner().invoke(cli, ["demo", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-4:] == [
        "Open first:",
        f"  {out.resolve() / 'qbr/a-1.pptx'}  (a customer QBR deck)",
        f"  {out.resolve() / 'leadership/board-report-2026-q3.pdf'}  (the board report)",
        "Warning: Files named *-internal.* show health scores, risks and upsell signals: "
        "for internal use only, never send them to a customer.",
    ]


def test_readme_commands_table_renders_and_names_real_commands() -> None:
    """The README shows the five most used commands; the CLI reference, generated from Click, lists them all."""
    from reports.cli.reference import command_names

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    start = readme.index("## Most used commands")
    section = readme[start : readme.index("\n## ", start + 1)]
    lines = section.splitlines()
    first = lines.index("| command | what it does |")
    table = lines[first : lines.index("", first)]  # a GitHub table ends at its first blank line
    assert table[1] == "|---|---|"
    rows = [row.split("`")[1].split()[1] for row in table[2:]]
    assert len(rows) == 5 and set(rows) <= set(COMMANDS)
    for row in [table[0], *table[2:]]:
        assert row.startswith("| ") and row.endswith(" |") and row.count(" | ") == 1, row
    assert command_names() == COMMANDS
    assert "DESIGN.md" not in readme
