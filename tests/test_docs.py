"""The documentation keeps up with the code: a short README whose quick tour runs as shown, every
command and option in docs/commands.md, and no broken relative link."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from storyline.cli.app import app

from .conftest import ROOT

README = ROOT / "README.md"
DOCS = ROOT / "docs"
COMMANDS_DOC = DOCS / "commands.md"
MARKDOWN = [README, *sorted(DOCS.glob("*.md"))]


def cli_commands() -> dict[str, Any]:
    """Every command by its full name ("ingest", "eval timeml"), from the typer app itself."""
    found: dict[str, Any] = {}

    def walk(prefix: str, group: Any) -> None:
        for name, command in group.commands.items():
            full = f"{prefix} {name}".strip()
            if hasattr(command, "commands"):
                found[full] = command
                walk(full, command)
            else:
                found[full] = command

    walk("", typer.main.get_command(app))
    return found


def command_sections() -> dict[str, str]:
    """docs/commands.md cut at its "## storyline X" and "### storyline X Y" headings."""
    text = COMMANDS_DOC.read_text(encoding="utf-8")
    heads = list(re.finditer(r"^#{2,3} storyline ([\w -]+?)\s*$", text, re.M))
    ends = [m.start() for m in heads[1:]] + [len(text)]
    return {m.group(1): text[m.end() : end] for m, end in zip(heads, ends, strict=True)}


def test_readme_is_short() -> None:
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 200, f"README.md has {len(lines)} lines; reference material belongs in docs/"


@pytest.mark.parametrize("command", sorted(cli_commands()))
def test_every_command_and_option_is_documented(command: str) -> None:
    sections = command_sections()
    assert command in sections, f"`storyline {command}` has no section (## storyline {command}) in docs/commands.md"
    section = sections[command]
    params = getattr(cli_commands()[command], "params", [])
    options = [o for p in params if p.param_type_name == "option" for o in [*p.opts, *p.secondary_opts]]
    long = [o for o in options if o.startswith("--") and o != "--help"]
    missing = [o for o in long if not re.search(rf"{re.escape(o)}(?![\w-])", section)]
    assert not missing, f"options of `storyline {command}` not in its section of docs/commands.md: {missing}"


def test_commands_doc_names_only_real_commands() -> None:
    stale = sorted(set(command_sections()) - set(cli_commands()))
    assert not stale, f"docs/commands.md documents commands that do not exist: {stale}"


def quick_tour() -> list[tuple[str, list[str]]]:
    """The quick tour's commands ("$ storyline ..." lines) with the output lines shown under each."""
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## A quick tour\n(.*?)(?=^## )", text, re.M | re.S)
    assert section, "README.md has no '## A quick tour' section"
    block = re.search(r"^```sh\n(.*?)^```", section.group(1), re.M | re.S)
    assert block, "the quick tour has no ```sh block"
    steps: list[tuple[str, list[str]]] = []
    for line in block.group(1).splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif line.strip():
            assert steps, f"output before any command in the quick tour: {line!r}"
            steps[-1][1].append(line.rstrip())
    return steps


def test_quick_tour_starts_with_analyze() -> None:
    steps = quick_tour()
    assert steps and shlex.split(steps[0][0], comments=True)[:2] == ["storyline", "analyze"]
    assert 5 <= len(steps) + sum(len(shown) for _, shown in steps) <= 30


def test_quick_tour_runs_as_shown(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each command of the tour, in order, in a fresh folder where examples/ is the repository's:
    it succeeds, and every line shown under it is in its output (a line ending in "…" is a prefix)."""
    (tmp_path / "examples").symlink_to(ROOT / "examples", target_is_directory=True)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("STORYLINE_DB", raising=False)
    runner = CliRunner()
    ran = 0
    for command, shown in quick_tour():
        args = shlex.split(command, comments=True)
        assert args[0] == "storyline", f"the quick tour runs only storyline commands: {command!r}"
        if args[1] == "serve":  # a server: it does not return
            continue
        result = runner.invoke(app, args[1:])
        output = [line.rstrip() for line in result.output.splitlines()]
        assert result.exit_code == 0, f"{command!r} exited {result.exit_code}:\n{result.output}"
        for line in shown:
            if line.strip() == "…":
                continue
            if line.endswith("…"):
                prefix = line[:-1].rstrip()
                ok = any(out.startswith(prefix) for out in output)
            else:
                ok = line in output
            assert ok, f"README shows {line!r} under {command!r}, but it printed:\n{result.output}"
        ran += 1
    assert ran >= 4


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as dashes."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    return {slug(m.group(1)) for m in re.finditer(r"^#{1,6} (.+)$", text, re.M)}


@pytest.mark.parametrize("path", MARKDOWN, ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(path: Path) -> None:
    text = re.sub(r"^```.*?^```", "", path.read_text(encoding="utf-8"), flags=re.M | re.S)
    broken = []
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"[a-z][a-z0-9+.-]*:", target):  # http:, https:, mailto:
            continue
        file, _, anchor = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        if not resolved.exists() or (anchor and resolved.suffix == ".md" and anchor not in anchors(resolved)):
            broken.append(target)
    assert not broken, f"broken links in {path.relative_to(ROOT)}: {broken}"
