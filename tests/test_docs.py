"""The README stays true: its exit-code table is the code's, its examples run."""

from __future__ import annotations

import re
from pathlib import Path

from callback_coach.errors import EXIT_CODE_MEANINGS, ExitCode

README = Path(__file__).resolve().parents[1] / "README.md"


def test_exit_code_table_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, flags=re.MULTILINE)
    assert [(int(code), meaning) for code, meaning in rows] == [
        (int(code), EXIT_CODE_MEANINGS[code]) for code in ExitCode
    ]


def test_every_exit_code_has_a_meaning() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)


def scripting_examples() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Scripting", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def test_the_scripting_examples_really_run(tmp_path: Path, coach_bin: str) -> None:
    import os
    import subprocess

    blocks = scripting_examples()
    assert len(blocks) >= 6
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


def test_the_example_checklist_in_the_readme_is_valid() -> None:
    from callback_coach.core.checklist_load import parse_checklist_text

    section = README.read_text(encoding="utf-8").split("## Checklists", 1)[1].split("\n## ", 1)[0]
    (example,) = re.findall(r"```yaml\n(.*?)```", section, flags=re.DOTALL)
    checklist = parse_checklist_text(example, "README.md")
    assert [q.type for q in checklist.questions] == ["confirm", "select", "confirm", "scale"]
    assert checklist.question("voice").quick
    assert checklist.question("ring-light").when == ("room", "=", "self-tape")


def test_the_example_note_in_the_readme_parses() -> None:
    from callback_coach.store.notes import parse_note

    text = README.read_text(encoding="utf-8")
    (example,) = re.findall(r"```markdown\n(.*?)```", text, flags=re.DOTALL)
    note = parse_note(example)
    assert (
        note.answers["refine-intention"]["obstacle"] == "His doubt about my talent.\nAnd my mother."
    )


def set_up_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)```", section, flags=re.DOTALL)


def test_set_up_gets_the_code_then_runs_the_coach_and_the_tests() -> None:
    clone, install, tests, again, pipx = set_up_blocks()
    pyproject = (README.parent / "pyproject.toml").read_text(encoding="utf-8")
    project = pyproject.split("[project]", 1)[1].split("\n[", 1)[0]
    (name,) = re.findall(r'^name = "(.+)"$', project, flags=re.MULTILINE)
    # The clone names its folder, so the `cd` is right whatever the repository is called.
    assert clone == f"git clone REPOSITORY-ADDRESS {name}\ncd {name}\n"
    assert install.startswith("python3 -m venv .venv && . .venv/bin/activate && pip install . &&")
    assert 'coach prep "Nina"' in install
    assert tests.strip().endswith('pip install ".[test]" && pytest')
    assert again.startswith(f"cd {name} && . .venv/bin/activate\ncoach ")
    assert pipx == "pipx install .\n"


def test_the_next_day_a_new_terminal_finds_coach_again(tmp_path: Path, coach_bin: str) -> None:
    """The README's "new terminal" lines, run in a shell whose PATH has no coach: they
    re-activate the virtual environment the tests run in, and coach runs."""
    import subprocess
    import sys

    venv = Path(sys.prefix)
    assert (venv / "bin" / "activate").is_file(), "the tests run in the README's venv"
    assert Path(coach_bin).parent == venv / "bin"
    _, _, _, again, _ = set_up_blocks()
    checkout = tmp_path / "callback-coach"
    checkout.mkdir()
    (checkout / ".venv").symlink_to(venv)
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "COACH_HOME": str(tmp_path / "h")}
    assert subprocess.run(["bash", "-c", "command -v coach"], env=env).returncode != 0
    proc = subprocess.run(
        ["bash", "-euc", again], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("No roles yet.")


def test_every_test_the_readme_names_exists() -> None:
    """The README's table of promises names real tests (a renamed test fails here)."""
    import re

    text = README.read_text(encoding="utf-8")
    section = text.split("### What the tests hold the coach to")[1].split("###")[0]
    named = set(re.findall(r"`(test_[a-z0-9_]+)`", section))
    assert len(named) >= 20
    tests = Path(__file__).parent
    source = "\n".join(p.read_text(encoding="utf-8") for p in tests.glob("test_*.py"))
    missing = sorted(n for n in named if f"def {n}(" not in source)
    assert not missing, missing


def test_the_python_example_in_workflow_runs() -> None:
    """The example that opens workflow.py (a Python caller's one entry point) runs as
    written, in this test's coach home."""
    import textwrap
    from typing import Any

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


def test_the_json_format_table_is_the_code_s() -> None:
    """The README's table of `format` numbers says what the code writes, and each schema
    accepts only that number."""
    import json

    from callback_coach.cli import conflicts_cmd
    from callback_coach.exports import json_shapes
    from callback_coach.season import followups, stats, today

    text = README.read_text(encoding="utf-8")
    table = {
        schema: int(number)
        for number, schema in re.findall(r"\| (\d+) \| \[`([a-z-]+)\.schema\.json`\]", text)
    }
    expected = {
        "list": json_shapes.LIST_FORMAT,
        "show": json_shapes.SHOW_FORMAT,
        "search": json_shapes.SEARCH_FORMAT,
        "notes-export": json_shapes.NOTES_FORMAT,
        "checklists-list": json_shapes.CHECKLISTS_FORMAT,
        "stats": stats.STATS_FORMAT,
        "follow-ups": followups.FOLLOW_UPS_FORMAT,
        "today": today.TODAY_FORMAT,
        "conflicts-list": conflicts_cmd.CONFLICTS_FORMAT,
        "conflicts-show": conflicts_cmd.CONFLICTS_FORMAT,
    }
    for schema, number in expected.items():
        assert table[schema] == number, schema
        path = README.parent / "schemas" / f"{schema}.schema.json"
        format_ = json.loads(path.read_text(encoding="utf-8"))["properties"]["format"]
        assert format_["const"] == number, schema
