"""Shell completion of the installed `coach`: the candidates, their quoting, and what a
real bash, zsh or fish puts on the command line after a Tab."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pexpect
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.cli.completion import ansi_c_quoted, bash_word, open_quote, raw_words
from callback_coach.core.workflow import Coach

from .helpers import prep

NAMES = ("Hamlet 🎭", "o'brien", "Nina", "Łukasz", "Zoë")


@pytest.fixture
def roles(home: Path) -> Path:
    coach = Coach(home)
    for name in NAMES:
        prep(coach, name, date="2026-11-20")
    return home


def env_for(home: Path, coach_bin: str, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "COACH_HOME": str(home),
        "PATH": f"{Path(coach_bin).parent}{os.pathsep}{os.environ['PATH']}",
        "LANG": "C.UTF-8",
        **extra,
    }


def bash_candidates(coach_bin: str, home: Path, *words: str) -> tuple[list[str], str]:
    """What `coach` answers bash for the last of `words` (as Typer's bash script asks)."""
    env = env_for(
        home,
        coach_bin,
        _COACH_COMPLETE="complete_bash",
        # The script joins the words with its IFS, a line break.
        COMP_WORDS="\n".join(words),
        COMP_CWORD=str(len(words) - 1),
    )
    proc = subprocess.run([coach_bin], env=env, capture_output=True, text=True, timeout=30)
    assert proc.returncode == 0
    # Bash splits the answer at line breaks and drops empty words.
    return [line for line in proc.stdout.split("\n") if line], proc.stderr


# -- what coach answers -------------------------------------------------------------------


def test_bash_gets_each_name_quoted_for_the_word_it_replaces(roles: Path, coach_bin: str) -> None:
    assert bash_candidates(coach_bin, roles, "coach", "show", "Ham") == (["Hamlet\\ 🎭"], "")
    assert bash_candidates(coach_bin, roles, "coach", "show", "o") == (["o\\'brien"], "")
    # After an opening quote, readline keeps the quote: only what it needs is escaped.
    assert bash_candidates(coach_bin, roles, "coach", "show", '"Ham') == (["Hamlet 🎭"], "")
    assert bash_candidates(coach_bin, roles, "coach", "show", "'o") == (["o'\\''brien"], "")


def test_names_are_matched_without_regard_to_case_or_accents(roles: Path, coach_bin: str) -> None:
    def offered(*words: str) -> list[str]:
        return bash_candidates(coach_bin, roles, "coach", *words)[0]

    assert offered("show", "ni") == ["Nina"]
    assert offered("show", "LUK") == ["Łukasz"]
    assert offered("review", "zoe") == ["Zoë"]
    assert offered("list", "--role", "n") == ["Nina"]
    assert offered("outcome", "Nina", "BO") == ["booked"]
    assert offered("prep", "Nina", "--checklist", "MIND") == ["mindset"]


def test_a_name_with_control_characters_is_offered_as_inert_text(
    home: Path, coach_bin: str
) -> None:
    notes = home / "notes"
    notes.mkdir(parents=True)
    (notes / "odd.md").write_text(
        '---\nkind: prep\nrole: "Tab\\there\\e[2J"\nround: callback-1\ndate: 2026-11-20\n'
        "created: 2026-11-20T10:00:00+00:00\n---\n",
        encoding="utf-8",
    )
    (candidate,), _ = bash_candidates(coach_bin, home, "coach", "show", "tab")
    assert candidate == "$'Tab\\x09here\\x1b\\x5b2J'"
    assert "\x1b" not in candidate


def test_completion_never_prints_an_error(tmp_path: Path, coach_bin: str) -> None:
    broken_home = tmp_path / "a-file"
    broken_home.write_text("not a folder")
    assert bash_candidates(coach_bin, broken_home, "coach", "show", "n") == ([], "")
    home = tmp_path / "home"
    (home / "checklists").mkdir(parents=True)
    (home / "checklists" / "bad.yaml").write_text("id: [unclosed\n")
    assert bash_candidates(coach_bin, home, "coach", "prep", "x", "--checklist", "m") == ([], "")


def test_zsh_gets_the_names_unfiltered_and_quotes_them_itself(roles: Path, coach_bin: str) -> None:
    env = env_for(
        roles, coach_bin, _COACH_COMPLETE="complete_zsh", _TYPER_COMPLETE_ARGS="coach show ni"
    )
    proc = subprocess.run([coach_bin], env=env, capture_output=True, text=True, timeout=30)
    assert (proc.returncode, proc.stdout, proc.stderr) == (0, "compadd -U -- $'Nina'\n", "")
    env["_TYPER_COMPLETE_ARGS"] = "coach show Ham"
    proc = subprocess.run([coach_bin], env=env, capture_output=True, text=True, timeout=30)
    assert proc.stdout == "compadd -U -- $'Hamlet\\x20🎭'\n"


# -- the quoting, through a real shell ------------------------------------------------------

SHELL_TEXT = st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"))


def shell_words(shell: list[str], words: list[str]) -> list[str]:
    """What `shell` makes of `words` written on one command line."""
    script = "printf '%s\\0' " + " ".join(words)
    proc = subprocess.run(
        [*shell, script], capture_output=True, timeout=30, env={**os.environ, "LANG": "C.UTF-8"}
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.decode("utf-8").split("\0")[:-1]


@settings(max_examples=60, deadline=None)
@given(st.lists(SHELL_TEXT.filter(bool), min_size=1, max_size=8))
def test_bash_reads_back_every_quoted_candidate(values: list[str]) -> None:
    bare = [bash_word(v, None) for v in values]
    single = ["'" + bash_word(v, "'") + "'" for v in values if v.isprintable()]
    double = ['"' + bash_word(v, '"') + '"' for v in values if v.isprintable()]
    assert shell_words(["bash", "--norc", "-c"], bare + single + double) == (
        values + [v for v in values if v.isprintable()] * 2
    )


@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
@settings(max_examples=30, deadline=None)
@given(st.lists(SHELL_TEXT.filter(bool), min_size=1, max_size=8))
def test_zsh_reads_back_every_candidate(values: list[str]) -> None:
    words = [ansi_c_quoted(v) for v in values]
    assert all(not any(ch.isspace() for ch in w) for w in words)
    assert shell_words(["zsh", "-f", "-c"], words) == values


def test_the_word_being_completed_is_found_as_typed() -> None:
    assert raw_words('coach\nshow\n"Hamlet 🎭" \'o') == ["coach", "show", '"Hamlet 🎭"', "'o"]
    assert raw_words("a\\ b c") == ["a\\ b", "c"]
    assert [open_quote(w) for w in ('"Ham', "'o", "o\\'b", "'a'\"b", "x")] == [
        '"',
        "'",
        None,
        '"',
        None,
    ]


# -- a person pressing Tab -------------------------------------------------------------------


def typed_then_tab(shell: pexpect.spawn, line: str) -> list[str]:
    """Type `line`, press Tab, then run the line with `printf` in front of it instead of
    `coach`: the words the shell would have passed to coach."""
    # Keys typed while the shell completes wait for it: no pause is needed.
    shell.send(line + "\t")
    # Ctrl-A, the printf; Ctrl-E, a marker that shows only when run (DO""NE prints DONE).
    shell.send("\x01printf 'ARG[%s]\\n' \x05; echo DO\"\"NE\r")
    shell.expect_exact("DONE\r\n")
    # An output line; the echo of the typed line holds `ARG[%s]\n` with a backslash.
    return re.findall(r"ARG\[(.*?)\]\r\n", shell.before)[2:]


def interactive(argv: list[str], home: Path, coach_bin: str, **extra: str) -> pexpect.spawn:
    return pexpect.spawn(
        argv[0],
        argv[1:],
        env=env_for(home, coach_bin, **{"TERM": "dumb", **extra}),
        encoding="utf-8",
        timeout=20,
        dimensions=(24, 200),
    )


LINES = [
    ("coach show Ham", "Hamlet 🎭"),
    ("coach show o", "o'brien"),
    ("coach show ni", "Nina"),
    ("coach show luk", "Łukasz"),
    ('coach show "Ham', "Hamlet 🎭"),
    ("coach show 'o", "o'brien"),
]


@pytest.mark.e2e
def test_tab_in_bash_inserts_each_name_as_one_word(roles: Path, coach_bin: str) -> None:
    bash = interactive(["bash", "--norc", "--noprofile", "-i"], roles, coach_bin, PS1="$ ")
    bash.expect_exact("$ ")
    bash.sendline("source <(coach --show-completion bash); echo READY")
    bash.expect_exact("READY")
    bash.expect_exact("$ ")
    for line, name in LINES:
        assert typed_then_tab(bash, line) == [name], line
    bash.sendline("exit")


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_tab_in_zsh_inserts_each_name_as_one_word(roles: Path, coach_bin: str) -> None:
    zsh = interactive(["zsh", "-f", "-i"], roles, coach_bin)
    zsh.sendline(
        "PS1='$ '; autoload -Uz compinit && compinit -u; "
        "source <(coach --show-completion zsh); echo READY"
    )
    zsh.expect_exact("READY\r\n")
    zsh.expect_exact("$ ")
    for line, name in LINES:
        assert typed_then_tab(zsh, line) == [name], line
    zsh.sendline("exit")


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("fish") is None, reason="fish is not installed")
def test_tab_in_fish_inserts_each_name_as_one_word(
    roles: Path, coach_bin: str, tmp_path: Path
) -> None:
    config = tmp_path / "config" / "fish"
    config.mkdir(parents=True)
    (config / "config.fish").write_text(
        "function fish_prompt; echo -n 'PROMPT> '; end\n"
        "function fish_greeting; end\n"
        "coach --show-completion fish | source\n"
    )
    fish = interactive(
        ["fish", "-i"], roles, coach_bin, TERM="xterm", XDG_CONFIG_HOME=str(tmp_path / "config")
    )
    fish.expect_exact("PROMPT> ")
    # Fish matches candidates itself (case-insensitively, but not across accents).
    for line, name in [pair for pair in LINES if "luk" not in pair[0]]:
        assert typed_then_tab(fish, line) == [name], line
    fish.sendline("exit")


@pytest.mark.e2e
@pytest.mark.skipif(shutil.which("zsh") is None, reason="zsh is not installed")
def test_the_first_tab_completes_in_a_new_zsh_after_install_completion(
    roles: Path, coach_bin: str, tmp_path: Path
) -> None:
    """`coach --install-completion` writes ~/.zfunc/_coach, which compinit autoloads on
    the first Tab: that Tab completes (it used to only register the completion)."""
    user = tmp_path / "user"
    user.mkdir()
    install = subprocess.run(
        [coach_bin, "--install-completion", "zsh"],
        env=env_for(
            roles, coach_bin, HOME=str(user), _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"
        ),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert install.returncode == 0, install.stderr
    assert (user / ".zfunc" / "_coach").is_file() and "compinit" in (user / ".zshrc").read_text()
    env = {k: v for k, v in env_for(roles, coach_bin, HOME=str(user)).items() if k != "ZDOTDIR"}
    for line, name in [("coach show ni", "Nina"), ("coach show Ham", "Hamlet 🎭")]:
        zsh = pexpect.spawn(
            "zsh", ["-i"], env={**env, "TERM": "dumb"}, encoding="utf-8", timeout=20,
            dimensions=(24, 200),
        )  # fmt: skip
        zsh.sendline("PS1='$ '; echo READY")
        zsh.expect_exact("READY\r\n")
        zsh.expect_exact("$ ")
        assert typed_then_tab(zsh, line) == [name], f"the first Tab of a new zsh: {line}"
        assert typed_then_tab(zsh, line) == [name], f"and the next one: {line}"
        zsh.sendline("exit")


def test_the_zsh_script_completes_when_autoloaded_and_registers_when_sourced(
    coach_bin: str, home: Path
) -> None:
    script = subprocess.run(
        [coach_bin, "--show-completion", "zsh"],
        env=env_for(home, coach_bin, _TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION="1"),
        capture_output=True,
        text=True,
        timeout=30,
    ).stdout
    assert script.startswith("#compdef coach\n")
    assert '"${funcstack[1]-}" == "_coach"' in script
    assert "compdef _coach_completion coach" in script
