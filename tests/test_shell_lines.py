"""Commands to copy, wrapped to the terminal (`cli.shell_lines`): every line fits, and the
lines pasted into a real shell (bash, zsh, sh, fish) are the command they were made from."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from callback_coach.cli.shell_lines import shell_lines
from callback_coach.core.hints import command_line

SHELLS = {
    "bash": (["bash", "--norc", "-c"], "coach() { printf '%s\\0' \"$@\"; }\n"),
    "zsh": (["zsh", "-f", "-c"], "coach() { printf '%s\\0' \"$@\"; }\n"),
    "sh": (["sh", "-c"], "coach() { printf '%s\\0' \"$@\"; }\n"),
    "fish": (["fish", "--no-config", "-c"], "function coach; printf '%s\\0' $argv; end\n"),
}


def run_pasted(shell: list[str], pasted: str, define: str = SHELLS["bash"][1]) -> list[str]:
    """The words `coach` gets when `pasted` is run by `shell`."""
    proc = subprocess.run(
        [*shell, define + pasted],
        capture_output=True,
        timeout=30,
        env={**os.environ, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8"},
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8").split("\0")[:-1]


# Names as actors write them: spaces, quotes, accents, other scripts, emoji.
NAME = st.text(
    st.sampled_from([*"abc XYZ-'\"$`\\!*?()&;#~", "é", "Ł", "見", "🎭", "Н"]),
    min_size=1,
    max_size=50,
).filter(lambda name: name.strip() and not name.startswith("-"))


def hint(role: str, project: str) -> str:
    options = ["--project", project, "--round", "callback-2", "--date", "2026-11-24"]
    return command_line(["prep"], [role], [*options, "-c", "refine-intention"])


@settings(max_examples=40, deadline=None)
@given(role=NAME, project=NAME, width=st.integers(20, 100), indent=st.integers(0, 6))
def test_every_line_fits_and_bash_reads_back_the_command(
    role: str, project: str, width: int, indent: int
) -> None:
    command = hint(role, project)
    lines = shell_lines(command, width, first=" " * indent, rest=" " * (indent + 4))
    assert all(cell_len(line) <= width for line in lines), lines
    assert all(line.endswith("\\") for line in lines[:-1])
    assert run_pasted(SHELLS["bash"][0], "\n".join(lines)) == shlex.split(command)[1:]


@pytest.mark.parametrize("shell", ["zsh", "sh", "fish"])
@settings(max_examples=15, deadline=None)
@given(role=NAME, project=NAME, width=st.integers(20, 70))
def test_other_shells_read_back_the_same_command(
    shell: str, role: str, project: str, width: int
) -> None:
    if shutil.which(SHELLS[shell][0][0]) is None:
        pytest.skip(f"{shell} is not installed")
    if shell == "fish" and "\\" in role + project:
        return  # fish reads \\ and \' inside single quotes as escapes: not POSIX quoting
    command = hint(role, project)
    pasted = "\n".join(shell_lines(command, width, first="  ", rest="      "))
    assert run_pasted(SHELLS[shell][0], pasted, SHELLS[shell][1]) == shlex.split(command)[1:]


def test_a_long_hint_at_40_columns() -> None:
    command = hint("Masha Shamrayeva-Medvedenko", "The Seagull (Chekhov, new version)")
    assert shell_lines(command, 40, first="  → ", rest="      ") == [
        "  → coach prep \\",
        "      'Masha Shamrayeva-Medvedenko' \\",
        "      --project \\",
        "      'The Seagull (Chekhov, new '\\",
        "'version)' --round callback-2 --date \\",
        "      2026-11-24 -c refine-intention",
    ]
    short = "coach list"
    assert shell_lines(short, 40, first="  ") == ["  coach list"]


def test_a_name_with_control_characters_is_shown_as_escapes_and_still_runs() -> None:
    role = "Nina\x1b]0;title\x07 \u202e🎭"
    command = command_line(["show"], [role])
    lines = shell_lines(command, 30)
    assert "\x1b" not in "".join(lines) and "\u202e" not in "".join(lines)
    assert lines[0].startswith("coach show \\") or lines[0].startswith("coach show $'")
    for shell in ("bash", "zsh"):
        assert run_pasted(SHELLS[shell][0], "\n".join(lines), SHELLS[shell][1]) == ["show", role]


def test_an_example_keeps_its_comment_on_a_line_of_its_own() -> None:
    lines = shell_lines('coach prep "Nina" --project "The Seagull"   # the night before', 30)
    assert lines == ["# the night before", 'coach prep "Nina" --project \\', '    "The Seagull"']


def test_a_command_said_on_a_narrow_terminal_runs_when_pasted(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The card command said after a prep (and any `say_command`): each wrapped line ends
    in one backslash as the shell needs, not the two that Rich's markup escape wrote."""
    from callback_coach.cli.shell_lines import say_command

    monkeypatch.setenv("COLUMNS", "60")
    hint = command_line(
        ["card", "Nina"],
        ["--project", "The Seagull", "--round", "callback-1", "--format", "html", "--output",
         "nina_callback-1_card.html"],
    )  # fmt: skip
    say_command("For your phone or a printer:", hint)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "For your phone or a printer:"
    wrapped = [line.rstrip() for line in lines[1:]]
    assert len(wrapped) > 1 and all(line.endswith(" \\") for line in wrapped[:-1]), wrapped
    assert not any(line.endswith("\\\\") for line in wrapped)
    assert run_pasted(["bash", "--norc", "-c"], "\n".join(wrapped)) == shlex.split(hint)[1:]
