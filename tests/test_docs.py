"""The documentation stays true: the README (a front page) and the pages of docs/.

Each check reads the page where its content lives: the exit codes are errors.py's, the
examples run, every checklist key, JSON Schema, command, package and module is named
where it belongs, and every relative link leads somewhere.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import typer

from callback_coach.cli.app import COMMANDS, app
from callback_coach.core.checklist import CARD_LABELS, CARD_SLOTS, CHECKLIST_KEYS, QUESTION_KEYS
from callback_coach.errors import EXIT_CODE_MEANINGS, ExitCode

from .helpers import DOCS, README, ROOT, doc, doc_section, subcommands

PACKAGE = ROOT / "src" / "callback_coach"
# Every page a reader may reach: the README, docs/, the built-in checklists' page, the changelog.
PAGES = [
    README,
    *sorted(DOCS.glob("*.md")),
    ROOT / "checklists" / "README.md",
    ROOT / "CHANGELOG.md",
]


def code_blocks(text: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)


def table_rows(text: str) -> list[list[str]]:
    """The cells of every row of the Markdown tables in `text` (header and rule left out)."""
    rows = []
    for line in text.splitlines():
        if line.startswith("|") and not re.match(r"^\|[-| ]+\|$", line):
            rows.append([cell.strip() for cell in line.strip("|").split(" | ")])
    return rows[1:] if rows else rows


# -- exit codes: docs/exit-codes.md ----------------------------------------------------------


def test_exit_code_table_matches_the_code() -> None:
    rows = re.findall(
        r"^\| (\d+) \| `([A-Z_]+)` \| (.+?) \|$", doc("exit-codes"), flags=re.MULTILINE
    )
    assert [(int(code), name, meaning) for code, name, meaning in rows] == [
        (int(code), code.name, EXIT_CODE_MEANINGS[code]) for code in ExitCode
    ]


def test_every_exit_code_has_a_meaning() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)


def test_every_exit_code_but_success_and_a_bug_says_where_it_comes_from() -> None:
    section = doc_section("exit-codes", "## Where each code comes from")
    explained = [int(code) for code in re.findall(r"^- \*\*(\d+)\*\*:", section, re.MULTILINE)]
    assert explained == [int(c) for c in ExitCode if c not in (ExitCode.OK, ExitCode.ERROR)]


# -- examples that run -----------------------------------------------------------------------


def test_the_scripting_examples_really_run(tmp_path: Path, coach_bin: str) -> None:
    blocks = code_blocks(doc("scripting"), "sh")
    assert len(blocks) >= 8
    env = {
        **os.environ,
        "COACH_HOME": str(tmp_path / "home"),
        "PATH": f"{Path(coach_bin).parent}{os.pathsep}{os.environ['PATH']}",
    }
    outputs = []
    for block in blocks:
        proc = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", block],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )
        assert proc.returncode == 0, f"{block}\n{proc.stderr}"
        outputs.append(proc.stdout)
    assert outputs[0].startswith(f"saved {tmp_path / 'home' / 'notes'}")
    assert outputs[2].splitlines() == ["The pause"], "jq found the review's what-worked"
    assert len(list((tmp_path / "backup").glob("*.md"))) == 2
    assert (
        outputs[4].strip() == "role,project,round,kind,date,checklist,question_id,question,answer"
    )
    assert (tmp_path / "mindset-worksheet.md").read_text().startswith("# Mindset")
    own = tmp_path / "home" / "checklists" / "mindset.yaml"
    assert own.read_text().startswith("id: mindset\n")
    assert "mindset" in outputs[5]
    assert outputs[6].splitlines() == sorted(
        p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.json")
    )
    shown = (tmp_path / "today.schema.json").read_text(encoding="utf-8")
    assert shown == (ROOT / "schemas" / "today.schema.json").read_text(encoding="utf-8")


def checklist_examples() -> list[str]:
    return code_blocks(doc("checklists"), "yaml")


def test_the_example_checklist_is_valid() -> None:
    from callback_coach.core.checklist_load import parse_checklist_text

    example = checklist_examples()[0]
    checklist = parse_checklist_text(example, "docs/checklists.md")
    assert [q.type for q in checklist.questions] == ["confirm", "select", "confirm", "scale"]
    assert checklist.question("voice").quick
    assert checklist.question("ring-light").when == ("room", "=", "self-tape")


def test_the_to_do_example_makes_the_to_dos_it_says() -> None:
    from callback_coach.core.checklist_load import parse_checklist_text

    (example,) = checklist_examples()[1:]
    checklist = parse_checklist_text(example, "docs/checklists.md")
    route, printed, want = checklist.questions
    assert route.leads_to_todo(None) and not route.leads_to_todo("the 9:10 train")
    assert printed.leads_to_todo(False) and not printed.leads_to_todo(True)
    assert want.relies_on == ("refine-intention.want",)


def test_the_validate_example_is_what_validate_prints(tmp_path: Path, coach_bin: str) -> None:
    section = doc_section("checklists", "## Checking a file")
    (shown,) = code_blocks(section, "text")
    example = checklist_examples()[0]
    broken = re.sub(r"(    quick: true .*\n)", r"\1    recall: nothing.here\n", example)
    broken = re.sub(
        r"(    when: room=self-tape .*\n)", r"\1    relies_on: mindset.nothing\n", broken
    )
    assert "`recall: nothing.here` added to `voice`" in section
    assert "`relies_on: mindset.nothing` to `ring-light`" in section
    (tmp_path / "warm-up.yaml").write_text(broken, encoding="utf-8")
    proc = subprocess.run(
        [coach_bin, "checklists", "validate", "warm-up.yaml"],
        cwd=tmp_path,
        env={**os.environ, "COACH_HOME": str(tmp_path / "home"), "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == ExitCode.CHECKLIST_INVALID
    assert proc.stdout == ""
    assert proc.stderr == shown


def test_the_example_note_parses() -> None:
    from callback_coach.store.notes import parse_note

    (example,) = code_blocks(doc("notes"), "markdown")
    note = parse_note(example)
    assert (
        note.answers["refine-intention"]["obstacle"] == "His doubt about my talent.\nAnd my mother."
    )


def test_the_python_example_in_workflow_runs() -> None:
    """The example that opens workflow.py (a Python caller's one entry point) runs as
    written, in this test's coach home."""
    import textwrap

    from callback_coach.core import workflow

    lines = (workflow.__doc__ or "").splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("    "))
    end = next(i for i in range(start, len(lines)) if lines[i] and lines[i][0] != " ")
    code = textwrap.dedent("\n".join(lines[start:end]))
    assert "Coach.open()" in code
    names: dict[str, Any] = {}
    exec(code, names)
    assert names["note"].kind == "prep"
    assert [row.outcome for row in names["rows"]] == ["callback"]
    assert [where for _, where, _ in names["hits"]] == ["refine-intention.want"]


# -- set up: the README, docs/development.md and .ci/run ------------------------------------


def set_up_blocks() -> list[str]:
    return code_blocks(doc_section("README", "## Set up"), "sh")


def test_set_up_is_two_commands_for_the_coach_and_two_for_the_tests() -> None:
    section = doc_section("README", "## Set up")
    coach, tests = set_up_blocks()
    assert coach.splitlines() == ["pipx install .", 'coach prep "Nina" --project "The Seagull"']
    assert "`pipx ensurepath`" in section and "not found" in section
    install, run = tests.splitlines()
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && ")
    assert run == "pytest"


def test_ci_runs_the_readme_s_test_commands() -> None:
    """What .ci/run marks `# README: CMD` is the README's install and test commands (those
    after the virtual environment is made and activated), run as the README writes them
    but for its own quiet flag and constraints."""
    _, tests = set_up_blocks()
    commands = [c.strip() for c in tests.replace("\n", " && ").split(" && ") if c.strip()]
    inside = commands[commands.index(". .venv/bin/activate") + 1 :]
    assert inside == ['pip install ".[test]"', "pytest"]
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    marked = re.findall(r"^(.*?)\s+# README: (.+)$", script, flags=re.MULTILINE)
    assert [readme for _, readme in marked] == inside
    for line, readme in marked:
        words = [w for w in shlex.split(line) if "=" not in w.split()[0] and w != "--quiet"]
        assert words == shlex.split(readme), line


def test_the_next_day_a_new_terminal_finds_coach_again(tmp_path: Path, coach_bin: str) -> None:
    """docs/development.md's "new terminal" lines, run in a shell whose PATH has no coach:
    they re-activate the virtual environment the tests run in, and coach runs."""
    venv = Path(sys.prefix)
    assert (venv / "bin" / "activate").is_file(), "the tests run in the README's venv"
    assert Path(coach_bin).parent == venv / "bin"
    blocks = code_blocks(
        doc_section("development", "## A checkout and its virtual environment"), "sh"
    )
    clone, tests, again = blocks
    name = project_name()
    # The clone names its folder, so the `cd` is right whatever the repository is called.
    assert clone == f"git clone REPOSITORY-ADDRESS {name}\ncd {name}\n"
    assert tests == set_up_blocks()[1], "the same commands as the README's"
    assert again.startswith(f"cd {name} && . .venv/bin/activate\ncoach ")
    checkout = tmp_path / name
    checkout.mkdir()
    (checkout / ".venv").symlink_to(venv)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COACH_HOME": str(tmp_path / "h")}
    assert subprocess.run(["bash", "-c", "command -v coach"], env=env).returncode != 0
    proc = subprocess.run(
        ["bash", "-euc", again], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("No roles yet.")


def test_every_test_the_docs_name_exists() -> None:
    """The table of promises names real tests (a renamed test fails here)."""
    section = doc_section("development", "## What the tests hold the coach to")
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", section))
    assert len(named) >= 20
    tests = Path(__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in tests.glob("test_*.py"))
    missing = sorted(n for n in named if f"def {n}(" not in source)
    assert not missing, missing


# -- the checklist format: docs/checklists.md ------------------------------------------------


def documented_keys(heading: str) -> list[str]:
    """The keys a table of docs/checklists.md documents (the names in each first cell)."""
    rows = table_rows(doc_section("checklists", heading))
    return [key for row in rows for key in re.findall(r"`([a-z_]+)`", row[0])]


def test_every_checklist_key_the_loader_accepts_is_documented() -> None:
    assert documented_keys("## Checklist keys") == list(CHECKLIST_KEYS)
    assert sorted(documented_keys("## Question keys")) == sorted(QUESTION_KEYS)


def test_the_card_slots_are_the_card_s() -> None:
    rows = table_rows(doc_section("checklists", "## Card slots"))
    assert [(row[0], row[1]) for row in rows] == [
        (f"`{slot}`", CARD_LABELS[slot]) for slot in CARD_SLOTS
    ]


def test_the_details_table_is_the_code_s() -> None:
    from callback_coach.store.facts import DETAIL_QUESTIONS

    rows = table_rows(doc_section("notes", "## Details you record"))
    found = {row[1].strip("`"): tuple(re.findall(r"`([a-z_-]+)`", row[2])) for row in rows}
    assert found == DETAIL_QUESTIONS


# -- JSON: docs/scripting.md -------------------------------------------------------------------


def test_every_json_schema_is_named_in_scripting() -> None:
    text = doc("scripting")
    for file in sorted((ROOT / "schemas").glob("*.schema.json")):
        assert f"](../schemas/{file.name})" in text, file.name


def code_formats() -> dict[str, int]:
    """Each JSON Schema's name, with the `format` number the code writes for it."""
    from callback_coach.cli import conflicts_cmd
    from callback_coach.exports import json_shapes
    from callback_coach.lines import json_shapes as lines_shapes
    from callback_coach.season import followups, stats, today

    return {
        "list": json_shapes.LIST_FORMAT,
        "show": json_shapes.SHOW_FORMAT,
        "search": json_shapes.SEARCH_FORMAT,
        "notes-export": json_shapes.NOTES_FORMAT,
        "checklists-list": json_shapes.CHECKLISTS_FORMAT,
        "checklists-export": json_shapes.CHECKLISTS_FORMAT,
        "drill-list": 1,
        "stats": stats.STATS_FORMAT,
        "follow-ups": followups.FOLLOW_UPS_FORMAT,
        "today": today.TODAY_FORMAT,
        "conflicts-list": conflicts_cmd.CONFLICTS_FORMAT,
        "conflicts-show": conflicts_cmd.CONFLICTS_FORMAT,
        "sides-list": lines_shapes.SIDES_LIST_FORMAT,
        "sides-show": lines_shapes.SIDES_SHOW_FORMAT,
        "lines-list": lines_shapes.LINES_LIST_FORMAT,
    }


def test_the_json_format_table_is_the_code_s() -> None:
    """The table of `format` numbers says what the code writes, and each schema accepts
    only that number."""
    import json

    text = doc_section("scripting", "## JSON output")
    table = {
        schema: int(number)
        for number, schema in re.findall(r"\| (\d+) \| \[`([a-z-]+)\.schema\.json`\]", text)
    }
    assert table == code_formats()
    for schema, number in table.items():
        path = ROOT / "schemas" / f"{schema}.schema.json"
        format_ = json.loads(path.read_text(encoding="utf-8"))["properties"]["format"]
        assert format_["const"] == number, schema


# -- the code's layout: the README and docs/layout.md ---------------------------------------


def packages() -> list[Path]:
    return sorted(p.parent for p in PACKAGE.rglob("__init__.py"))


def dotted(package: Path) -> str:
    return ".".join(package.relative_to(PACKAGE.parent).parts)


def test_layout_names_every_package_and_every_module_of_the_tree() -> None:
    """Each package is a heading of docs/layout.md listing exactly its modules."""
    text = doc("layout")
    headings = re.findall(r"^### `([a-z_.]+)`$", text, flags=re.MULTILINE)
    assert sorted(headings) == sorted(dotted(p) for p in packages())
    for package in packages():
        section = doc_section("layout", f"### `{dotted(package)}`")
        listed = re.findall(r"^- `([a-z_]+\.py)`:", section, flags=re.MULTILINE)
        modules = sorted(p.name for p in package.glob("*.py") if p.name != "__init__.py")
        assert sorted(listed) == modules, dotted(package)


def pyproject() -> str:
    return (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def project_name() -> str:
    project = pyproject().split("[project]", 1)[1].split("\n[", 1)[0]
    (name,) = re.findall(r'^name = "(.+)"$', project, flags=re.MULTILINE)
    return name


def layers() -> list[str]:
    """The layers contract of pyproject.toml, as the picture writes them (no prefix)."""
    contract = pyproject().split('type = "layers"', 1)[1].split("]", 1)[0]
    return [
        " | ".join(name.strip().removeprefix("callback_coach.") for name in layer.split("|"))
        for layer in re.findall(r'^    "(.+)",$', contract, flags=re.MULTILINE)
    ]


@pytest.mark.parametrize("page", ["README", "layout"])
def test_the_layer_picture_is_pyproject_s_and_names_every_subpackage(page: str) -> None:
    section = doc_section(
        page, "## How the code is laid out" if page == "README" else "# How the code is laid out"
    )
    (picture,) = code_blocks(section, "text")
    drawn = [re.split(r"\s{2,}", line, maxsplit=1) for line in picture.splitlines()]
    assert [layer for layer, _ in drawn] == layers()
    assert all(says.strip() for _, says in drawn), "each layer says what it owns"
    top = sorted(p.name for p in packages() if p.parent == PACKAGE)
    named = {name for layer, _ in drawn for name in layer.split(" | ")}
    assert set(top) <= named


# -- commands, links and pages -----------------------------------------------------------------


def test_every_command_is_documented() -> None:
    text = "\n".join(page.read_text(encoding="utf-8") for page in PAGES)
    missing = [name for name in COMMANDS if f"coach {name}" not in text]
    assert not missing, missing
    everyday = doc_section("README", "## Everyday use")
    for name in ("prep", "review", "today", "card", "lines"):
        assert f"coach {name} " in everyday, name


def coach_lines() -> list[tuple[str, str]]:
    """Every command line of the coach in the sh code blocks of every page: (page, line)."""
    found = []
    for page in PAGES:
        for block in code_blocks(page.read_text(encoding="utf-8"), "sh"):
            for line in block.replace("\\\n", " ").splitlines():
                for part in re.split(r"\$\(|\|", line):
                    part = part.strip()
                    if part.startswith("coach") and not part.startswith("coach COMMAND"):
                        found.append((page.name, part))
    return found


def test_every_command_line_in_the_docs_is_a_real_command_with_real_options() -> None:
    lines = coach_lines()
    assert len(lines) >= 60
    root = typer.main.get_command(app)
    for page, line in lines:
        own = re.split(r" (?:>|2>|&&|;) ", line)[0]
        words = [w.rstrip(")") for w in shlex.split(own, comments=True)][1:]
        command: Any = root
        for word in words:
            if word not in subcommands(command):
                break
            command = subcommands(command)[word]
        assert command is not root or not words or words[0].startswith("-"), (page, line)
        options = {opt for param in command.params for opt in param.opts}
        options |= {"--help", "-h", "--install-completion", "--version"}
        for word in words:
            if word.startswith("-") and word != "-":
                assert word.split("=")[0] in options, (page, line, word)


def anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown page's headings (code blocks left out)."""
    found: set[str] = set()
    fenced = False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fenced = not fenced
        elif not fenced and re.match(r"^#{1,6} ", line):
            title = line.lstrip("#").strip().lower()
            found.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return found


def relative_links(text: str) -> list[str]:
    outside_code = re.sub(r"```.*?```", "", text, flags=re.DOTALL)
    outside_code = re.sub(r"`[^`\n]*`", "", outside_code)
    targets = re.findall(r"\]\(([^)\s]+)\)", outside_code)
    return [t for t in targets if not re.match(r"^[a-z]+:", t)]


@pytest.mark.parametrize("page", PAGES, ids=lambda page: str(page.relative_to(ROOT)))
def test_every_relative_link_leads_somewhere(page: Path) -> None:
    for link in relative_links(page.read_text(encoding="utf-8")):
        target, _, anchor = link.partition("#")
        path = (page.parent / target).resolve() if target else page
        assert path.exists(), (page.name, link)
        assert path.is_relative_to(ROOT), (page.name, link)
        if anchor:
            assert path.suffix == ".md" and anchor in anchors(path), (page.name, link)


def test_the_readme_is_a_front_page_that_links_every_doc() -> None:
    text = doc("README")
    assert len(text.splitlines()) <= 200, "reference goes to docs/"
    for page in DOCS.glob("*.md"):
        assert f"](docs/{page.name})" in text, page.name
    for name in ("CHANGELOG.md", "LICENSE", "checklists/README.md"):
        assert f"]({name})" in text, name


# -- the changelog -------------------------------------------------------------------------


def changelog_rows(heading: str) -> list[list[str]]:
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    section = text.split(f"\n{heading}\n", 1)[1].split("\n#", 1)[0]
    return table_rows(section)


def test_the_changelog_s_release_is_the_package_s() -> None:
    from callback_coach import __version__

    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    releases = re.findall(r"^## (\d+\.\d+\.\d+)\b", text, flags=re.MULTILINE)
    assert releases[0] == __version__


def test_the_changelog_lists_every_version_of_every_built_in_checklist() -> None:
    from callback_coach.core.checklist_load import load_checklist
    from callback_coach.store import paths

    listed: dict[str, list[int]] = {}
    for row in changelog_rows("### The built-in checklists"):
        listed.setdefault(row[0].strip("`"), []).append(int(row[1]))
    current = {
        c.id: c.version
        for c in (load_checklist(p) for p in sorted(paths.builtin_checklists_dir().glob("*.yaml")))
    }
    assert listed == {cid: list(range(1, version + 1)) for cid, version in current.items()}


def test_the_changelog_ends_at_each_json_document_s_format() -> None:
    commands = {
        "list --json": "list",
        "show --json": "show",
        "search --json": "search",
        "export notes": "notes-export",
        "checklists list --json": "checklists-list",
        "export checklists": "checklists-export",
        "drill ROLE --list --json": "drill-list",
        "stats --json": "stats",
        "follow-ups --json": "follow-ups",
        "today --json": "today",
        "conflicts --json": "conflicts-list",
        "conflicts show --json": "conflicts-show",
        "sides list --json": "sides-list",
        "sides show --json": "sides-show",
        "lines --list --json": "lines-list",
    }
    code = code_formats()
    assert sorted(commands.values()) == sorted(code)
    rows = changelog_rows("### JSON documents")
    for command, schema in commands.items():
        formats = [
            int(row[1])
            for row in rows
            if re.search(rf"`{re.escape(command)}( [^`]*)?`", row[0]) and row[1].isdigit()
        ]
        assert formats and formats == sorted(formats), command
        assert formats[-1] == code[schema], command
