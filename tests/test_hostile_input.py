"""Untrusted input (issue 7): notes, drafts, checklists and answers files that are damaged
or hostile, and bytes that are not UTF-8. Each is a warning and a skip (notes, drafts) or
a listed problem with its exit code (checklists 3, answers 4, arguments 2): never a
traceback, a hang or a crash of the interpreter, and nothing unreadable is ever saved."""

from __future__ import annotations

import json
import os
import resource
import subprocess
from pathlib import Path

import pytest
import yaml
from ruamel.yaml import YAML
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.workflow import Coach
from callback_coach.errors import AnswersError, ExitCode
from callback_coach.store import paths, yamlio
from callback_coach.store.drafts import Draft, DraftStore
from callback_coach.store.notes import new_note
from callback_coach.store.notestore import NoteStore

from .helpers import prep

runner = CliRunner()
ANSWERS = "refine-intention:\n  want: to be seen\n"
# Nine anchors of nine aliases each: a billion "lol"s once expanded.
LAUGHS = ["l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
LAUGHS += [f"l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]" for i in range(1, 9)]


def coach(*args: str, input: str | bytes | None = None):
    result = runner.invoke(app, list(args), input=input)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def run_coach(coach_bin: str, *args: str | bytes, stdin: int | None = None):
    """The installed coach in its own process, held to 1 GiB of memory and a minute: a
    crash of the interpreter, a runaway allocation or a hang shows as a failure."""

    def limit_memory() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    proc = subprocess.run(
        [coach_bin, *args],
        capture_output=True,
        stdin=subprocess.DEVNULL if stdin is None else stdin,
        timeout=60,
        preexec_fn=limit_memory,
        check=False,
    )
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode >= 0, f"killed by signal {-proc.returncode}: {stderr}"
    assert "Traceback" not in stderr and "MemoryError" not in stderr, stderr
    return proc.returncode, stderr


def notes_dir(home: Path) -> Path:
    return paths.notes_dir(home)


@pytest.fixture
def note(home: Path) -> Path:
    """One good note of Nina (callback-1), dated 2026-11-20."""
    return prep(Coach(home), date="2026-11-20")


def damaged_copy(note: Path, name: str, old: str, new: str) -> Path:
    text = note.read_text(encoding="utf-8")
    assert old in text
    copy = note.parent / name
    copy.write_text(text.replace(old, new, 1), encoding="utf-8")
    return copy


def answers_file(tmp_path: Path, text: str, name: str = "a.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# -- item 19: one impossible value -------------------------------------------------------

IMPOSSIBLE = {
    "date": ("date: '2026-11-20'", "date: 2026-02-30", "'date' must be a date written YYYY-MM-DD"),
    "big-int": ("format: 1", "format: 1\nbig: " + "9" * 5000, "a number with more than 100"),
}
COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("search", "seen"),
    ("show", "Nina"),
    ("show", "Nina", "--json"),
    ("export", "notes"),
    ("export", "notes", "--format", "json"),
    ("export", "notes", "--format", "csv"),
    ("outcome", "Nina", "callback"),
]


@pytest.mark.parametrize("damage", IMPOSSIBLE)
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_an_impossible_value_in_a_note_is_a_warning_and_a_skip(
    note: Path, damage: str, command: tuple[str, ...]
) -> None:
    old, new, reason = IMPOSSIBLE[damage]
    bad = damaged_copy(note, "2026-02-01_x_nina_callback-1_prep.md", old, new)
    result = coach(*command)
    assert result.exit_code == 0, result.stderr
    assert f"warning: skipped {bad}: " in result.stderr and reason in result.stderr


@pytest.mark.parametrize("damage", IMPOSSIBLE)
def test_an_impossible_value_in_a_note_does_not_stop_a_prep(
    note: Path, damage: str, tmp_path: Path
) -> None:
    old, new, _ = IMPOSSIBLE[damage]
    damaged_copy(note, "2026-02-01_x_nina_callback-1_prep.md", old, new)
    result = coach("prep", "Nina", "--answers", str(answers_file(tmp_path, ANSWERS)))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip().endswith("_callback-2_prep.md")


def test_an_unquoted_date_in_an_answers_file_is_text(home: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, "refine-intention:\n  want: 2026-02-30\n")
    result = coach("prep", "Nina", "--answers", str(path))
    assert result.exit_code == 0, result.stderr
    saved = yaml.safe_load(Path(result.stdout.strip()).read_text().split("---")[1])
    assert saved["answers"]["refine-intention"]["want"] == "2026-02-30"


def test_a_huge_number_in_an_answers_file_is_a_problem(home: Path, tmp_path: Path) -> None:
    path = answers_file(tmp_path, "mindset:\n  calm: " + "9" * 5000 + "\n")
    result = coach("prep", "Nina", "--answers", str(path))
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert result.stderr == f"error: {path}:2: a number with more than 100 digits\n"
    assert not notes_dir(home).exists()


CHECKLIST = """\
id: warm-up
title: Warm-up
phase: prep
version: {version}
questions:
  - id: when
    prompt: When?
    default: 2026-02-30
"""


def test_impossible_values_in_a_checklist(home: Path) -> None:
    folder = paths.user_checklists_dir(home)
    folder.mkdir(parents=True)
    path = folder / "warm-up.yaml"
    path.write_text(CHECKLIST.format(version=1))
    checklist = Coach(home).catalogue().get("warm-up")
    assert checklist is not None and checklist.questions[0].default == "2026-02-30"
    path.write_text(CHECKLIST.format(version="9" * 5000))
    for args in (("checklists", "validate", str(path)), ("checklists", "list")):
        result = coach(*args)
        assert result.exit_code == ExitCode.CHECKLIST_INVALID
        assert f"{path}:4: a number with more than 100 digits" in result.stderr


def write_draft(home: Path, **changes: str) -> Path:
    store = DraftStore(home)
    draft = Draft(
        kind="prep",
        role="Nina",
        project="",
        round="callback-1",
        date="2026-11-20",
        checklists=["refine-intention"],
        answers={"refine-intention": {"want": "from the draft"}},
    )
    path = store.save(draft)
    text = path.read_text()
    for old, new in changes.items():
        text = text.replace(old, new)
    path.write_text(text)
    return path


def test_an_impossible_date_in_a_draft_is_named_and_today_is_used(
    home: Path, tmp_path: Path
) -> None:
    write_draft(home, **{"date: '2026-11-20'": "date: 2026-02-30"})
    result = coach("prep", "Nina", "--answers", str(answers_file(tmp_path, ANSWERS)))
    assert result.exit_code == 0, result.stderr
    assert "the unfinished prep's date '2026-02-30' is not a valid" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("format: 1", "format: 1\nbig: " + "9" * 5000, "a number with more than 100 digits"),
        ("format: 1", "format: 1\ndeep: " + "[" * 3000, "nested more than 40 levels deep"),
        ("format: 1", "format: 1\n" + "\n".join(LAUGHS), "more than 100,000 values"),
        ("kind: prep", "kind: [prep]", "'kind' must be prep or review"),
        ("want: from the draft", "want: {a: 1}", "is a mapping, not an answer"),
    ],
)
def test_a_damaged_draft_is_named_and_skipped(
    home: Path, tmp_path: Path, old: str, new: str, reason: str
) -> None:
    path = write_draft(home, **{old: new})
    before = path.read_bytes()
    result = coach("prep", "Nina", "--answers", str(answers_file(tmp_path, ANSWERS)))
    assert result.exit_code == 0, result.stderr
    assert f"warning: skipped draft {path}: " in result.stderr and reason in result.stderr
    assert path.read_bytes() == before


# -- item 20: deep nesting, and item 21: billion laughs ---------------------------------


def test_3000_levels_in_a_note_are_skipped_by_export(note: Path) -> None:
    bad = damaged_copy(note, "deep.md", "format: 1", "format: 1\ndeep: " + "[" * 3000 + "]" * 3000)
    result = coach("export", "notes", "--format", "json")
    assert result.exit_code == 0
    assert f"warning: skipped {bad}: front matter, line 3: nested more than 40" in result.stderr
    assert len(json.loads(result.stdout)["notes"]) == 1


HOSTILE = {
    "30000 [": "[" * 30_000,
    "3000 levels": "[" * 3_000 + "]" * 3_000,
    "billion laughs": None,  # the anchors go at the top level of each file
}


def hostile_mapping(kind: str, key: str, indent: str = "") -> str:
    """`key: <hostile value>` as YAML (the laughs' anchors go just before, as keys)."""
    if kind == "billion laughs":
        return "".join(f"{indent}{line}\n" for line in LAUGHS) + f"{indent}{key}: *l8\n"
    return f"{indent}{key}: {HOSTILE[kind]}\n"


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_yaml_in_a_note(note: Path, coach_bin: str, kind: str) -> None:
    text = note.read_text()
    bad = note.parent / "hostile.md"
    bad.write_text(text.replace("format: 1\n", "format: 1\n" + hostile_mapping(kind, "x"), 1))
    for args in (("list",), ("export", "notes", "--format", "json"), ("show", "Nina")):
        code, stderr = run_coach(coach_bin, *args)
        assert code == 0, stderr
        assert f"warning: skipped {bad}: front matter" in stderr


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_yaml_in_a_checklist(home: Path, coach_bin: str, kind: str) -> None:
    folder = paths.user_checklists_dir(home)
    folder.mkdir(parents=True)
    path = folder / "hostile.yaml"
    # A multiselect default is checked against the choices, naming the ones that are
    # not: where the old reader expanded every alias (the anchors are unknown keys).
    laughs = kind == "billion laughs"
    path.write_text(
        ("".join(f"{line}\n" for line in LAUGHS) if laughs else "")
        + "id: hostile\ntitle: H\nphase: prep\nquestions:\n"
        "  - id: q\n    prompt: Q?\n    type: multiselect\n    choices: [lol]\n"
        f"    default: {'*l8' if laughs else HOSTILE[kind]}\n"
    )
    for args in (("checklists", "validate", str(path)), ("prep", "Nina", "--defaults")):
        code, stderr = run_coach(coach_bin, *args)
        assert code == ExitCode.CHECKLIST_INVALID, stderr
        assert str(path) in stderr
    assert not notes_dir(home).exists()


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_yaml_in_an_answers_file(
    home: Path, tmp_path: Path, coach_bin: str, kind: str
) -> None:
    # A select answer is checked against the choices, naming what is not one of them.
    path = answers_file(tmp_path, "mindset:\n" + hostile_mapping(kind, "breathing", "  "))
    code, stderr = run_coach(coach_bin, "prep", "Nina", "--answers", str(path))
    assert code == ExitCode.ANSWERS_INVALID, stderr
    assert stderr.startswith(f"error: {path}:")
    assert not notes_dir(home).exists()


def test_billion_laughs_in_a_multiselect_answer(home: Path, tmp_path: Path, coach_bin: str) -> None:
    laughs = hostile_mapping("billion laughs", "follow-up", "  ")
    path = answers_file(tmp_path, "after-the-room:\n" + laughs)
    code, stderr = run_coach(coach_bin, "review", "Nina", "--answers", str(path))
    assert code == ExitCode.ANSWERS_INVALID
    assert "more than 100,000 values" in stderr


@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_yaml_in_a_draft(home: Path, tmp_path: Path, coach_bin: str, kind: str) -> None:
    path = write_draft(home)
    path.write_text(path.read_text() + hostile_mapping(kind, "extra"))
    answers = answers_file(tmp_path, ANSWERS)
    code, stderr = run_coach(coach_bin, "prep", "Nina", "--answers", str(answers))
    assert code == 0, stderr
    assert f"warning: skipped draft {path}" in stderr


# -- items 13 and 26: values of the wrong type, keys written twice ---------------------


@pytest.mark.parametrize(
    ("old", "new", "reason"),
    [
        ("format: 1", "format: 2", "written in format 2, newer than this coach reads (1)"),
        ("format: 1", "format: '1'", "'format' must be a whole number (1), not '1'"),
        ("answers:\n", 'answers: "oops"\nold:\n', "'answers' must be a mapping of checklist id"),
        ("want: to be seen", "want: {a: 1}", "answers.refine-intention.want is a mapping"),
        ("kind: prep", "kind: audition", "'kind' must be prep or review, not 'audition'"),
        ("role: Nina", "role: 1984", "'role' must be text (in quotes if it looks like a number)"),
    ],
)
def test_a_note_with_a_value_of_the_wrong_type_is_named_and_skipped(
    note: Path, old: str, new: str, reason: str
) -> None:
    bad = damaged_copy(note, "wrong.md", old, new)
    result = coach("list", "--json")
    assert result.exit_code == 0
    assert f"warning: skipped {bad}: {reason}" in result.stderr
    assert [r["notes"] for r in json.loads(result.stdout)["roles"]] == [1]


def test_a_key_written_twice_in_a_note_is_a_warning(note: Path) -> None:
    twice = damaged_copy(note, "twice.md", "kind: prep", "kind: prep\nrole: Nina")
    for _ in range(2):  # the second run reads the index, and still says it
        result = coach("list", "--json")
        assert result.exit_code == 0
        assert result.stderr == (
            f"warning: {twice}: key 'role' is written twice (line 5); the last one is used\n"
        )
        assert [r["notes"] for r in json.loads(result.stdout)["roles"]] == [2]


@pytest.mark.parametrize(
    ("name", "text", "problems"),
    [
        (
            "a.yaml",
            "mindset:\n  calm: 3\n  calm: 4\nmindset:\n  ready: yes\n",
            ["a.yaml:3: key 'calm' is written twice", "a.yaml:4: key 'mindset' is written twice"],
        ),
        (
            "a.json",
            '{"mindset": {"calm": 3, "calm": 4}}',
            ["a.json: key 'calm' is written twice"],
        ),
    ],
)
def test_keys_written_twice_in_an_answers_file_are_listed(
    home: Path, tmp_path: Path, name: str, text: str, problems: list[str]
) -> None:
    path = answers_file(tmp_path, text, name)
    result = coach("prep", "Nina", "--answers", str(path))
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert result.stderr.splitlines()[1:] == [f"  {tmp_path}/{p}" for p in problems]
    assert not notes_dir(home).exists()


@pytest.mark.parametrize("source", ["file", "stdin"])
def test_an_endless_answers_stream_is_refused_at_once(
    home: Path, coach_bin: str, source: str
) -> None:
    with open("/dev/zero", "rb") as zero:
        if source == "file":
            code, stderr = run_coach(coach_bin, "prep", "Nina", "--answers", "/dev/zero")
            where = "/dev/zero"
        else:
            code, stderr = run_coach(
                coach_bin, "prep", "Nina", "--answers", "-", stdin=zero.fileno()
            )
            where = "<stdin>"
    assert code == ExitCode.ANSWERS_INVALID
    assert stderr == f"error: {where}: larger than 4 MiB; it was not read\n"


# -- item 9: strings a YAML 1.2 reader would take for numbers ---------------------------


def test_answers_that_look_like_numbers_read_back_as_text_in_yaml_1_2(home: Path) -> None:
    values = ["1e3", "0o17", "0x1F", ".inf", "1_000", "12:30", "+1", ".5", "y", "off", "~"]
    checklist = Coach(home).catalogue().get("refine-intention")
    assert checklist is not None
    questions = [q.id for q in checklist.questions if q.type in ("text", "long_text")]
    pairs = list(zip(questions, values, strict=False))
    assert len(pairs) >= 6
    result = coach("prep", "Nina", *(f"--set=refine-intention.{q}={v}" for q, v in pairs))
    assert result.exit_code == 0, result.stderr
    front = Path(result.stdout.strip()).read_text().split("---\n")[1]
    for reader in (YAML(typ="safe", pure=True).load, yaml.safe_load):
        answers = reader(front)["answers"]["refine-intention"]
        assert [(q, answers[q]) for q, _ in pairs] == pairs


# -- item 22: bytes that are not UTF-8 ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "shown"),
    [
        ((b"prep", b"Zo\xeb", b"--defaults"), "Zo\\xeb"),
        (
            (b"prep", b"Nina", b"--set", b"refine-intention.want=caf\xe9"),
            "refine-intention.want=caf\\xe9",
        ),
        ((b"search", b"caf\xe9"), "caf\\xe9"),
    ],
)
def test_arguments_that_are_not_utf8_stop_at_the_edge(
    home: Path, coach_bin: str, args: tuple[bytes, ...], shown: str
) -> None:
    code, stderr = run_coach(coach_bin, *args)
    assert code == ExitCode.USAGE
    assert stderr == f"error: the argument '{shown}' is not valid UTF-8 text\n"
    assert not home.exists()


def test_arguments_with_lone_surrogates_in_process(home: Path) -> None:
    result = coach("prep", "Zo\udceb", "--defaults")
    assert result.exit_code == ExitCode.USAGE
    assert result.stderr == "error: the argument 'Zo\\xeb' is not valid UTF-8 text\n"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'{"refine-intention": {"want": "\\ud800"}}',
            "refine-intention.want: text that is not valid Unicode ('\\ud800')",
        ),
        (b"refine-intention:\n  want: caf\xe9\n", "<stdin>:2: not UTF-8 text (byte 0xe9)"),
        (b'{"refine-intention": {"want": "caf\xe9"}}', "<stdin>:1: not UTF-8 text (byte 0xe9)"),
    ],
)
def test_answers_that_are_not_utf8_are_refused(home: Path, data: bytes, message: str) -> None:
    result = coach("prep", "Nina", "--answers", "-", input=data)
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert message in result.stderr
    assert not notes_dir(home).exists()


def test_an_answers_file_that_is_not_utf8_names_its_line(home: Path, tmp_path: Path) -> None:
    path = tmp_path / "a.yaml"
    path.write_bytes(b"refine-intention:\n  want: ok\n  obstacle: caf\xe9\n")
    result = coach("prep", "Nina", "--answers", str(path))
    assert result.exit_code == ExitCode.ANSWERS_INVALID
    assert result.stderr == f"error: {path}:3: not UTF-8 text (byte 0xe9)\n"


def test_nothing_unreadable_is_ever_saved(home: Path) -> None:
    """The last guard, for a caller of the Python API that skipped every check."""
    note = new_note(
        kind="prep",
        role="Zo\udceb",
        project="",
        round_label="callback-1",
        date="2026-11-20",
        checklists=[],
        answers={"c": {"q": "caf\udce9"}},
    )
    with pytest.raises(AnswersError, match="not valid Unicode"):
        NoteStore(home).save_new(note)
    draft = Draft("prep", "Nina", "", "callback-1", "2026-11-20", [], {"c": {"q": "caf\udce9"}})
    with pytest.raises(AnswersError, match="not valid Unicode"):
        DraftStore(home).save(draft)
    deep: list = ["x"]
    for _ in range(yamlio.MAX_DEPTH):
        deep = [deep]
    note.meta.update(role="Zoë", answers={"c": {"q": "x"}}, extra=deep)
    note.body = "# Zoë\n"
    with pytest.raises(AnswersError, match="nested more than 40 levels"):
        NoteStore(home).save_new(note)
    assert [p for p in home.rglob("*") if p.is_file()] == []


def test_a_text_answer_holding_a_lone_surrogate_is_refused() -> None:
    from callback_coach.core.answers import check_value
    from callback_coach.core.checklist import Question

    with pytest.raises(ValueError, match="not valid Unicode"):
        check_value(Question(id="q", prompt="Q?"), "caf\udce9")


def test_reader_limits_are_documented() -> None:
    from .helpers import doc_section

    section = doc_section("checklists", "## The guarded reader")
    assert f"over {yamlio.MAX_BYTES // 2**20} MiB" in section
    assert f"more than {yamlio.MAX_DEPTH} levels deep" in section
    assert f"more than {yamlio.MAX_VALUES:,} values" in section


def test_a_fifo_among_checklists_or_drafts_never_waits(home: Path, coach_bin: str) -> None:
    folder = paths.user_checklists_dir(home)
    folder.mkdir(parents=True)
    os.mkfifo(folder / "pipe.yaml")
    drafts = paths.drafts_dir(home)
    drafts.mkdir(parents=True)
    os.mkfifo(drafts / "prep_no-project_nina_callback-1.yaml")
    code, stderr = run_coach(coach_bin, "prep", "Nina", "--set", "refine-intention.want=x")
    assert code == 0, stderr
    assert f"warning: skipped checklist {folder / 'pipe.yaml'}: not a regular file" in stderr
    assert f"skipped draft {drafts}/prep_no-project_nina_callback-1.yaml: not a regular" in stderr


def test_answers_from_a_closed_standard_input(home: Path, coach_bin: str) -> None:
    proc = subprocess.run(
        ["sh", "-c", f"'{coach_bin}' prep Nina --answers - <&-"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == ExitCode.NOT_FOUND
    assert proc.stderr == "error: cannot read the answers: standard input is closed\n"
