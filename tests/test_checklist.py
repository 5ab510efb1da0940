"""The checklist format: built-ins, every class of broken file, user overrides."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from callback_coach.core.checklist import BUILTIN_ORDER
from callback_coach.core.checklist_load import (
    load_catalogue,
    load_checklist,
    load_checklists,
    parse_checklist_text,
    validate_files,
)
from callback_coach.errors import ChecklistError, ExitCode
from callback_coach.store import paths

from .helpers import write_checklist

# The closing check is asked at the end of every prep, wherever the catalogue puts it.
BUILTIN_IDS = {*BUILTIN_ORDER, "closing-check"}


def builtin_files() -> list[Path]:
    return sorted(paths.builtin_checklists_dir().glob("*.yaml"))


def test_every_builtin_is_shipped_and_valid() -> None:
    files = builtin_files()
    loaded = [load_checklist(p, builtin=True) for p in files]
    assert {c.id for c in loaded} == BUILTIN_IDS
    for c in loaded:
        if c.id == "logistics":
            # The practical details: one short block, asked once and first.
            assert 3 <= len(c.questions) <= 6, c.id
        else:
            # Each of the four checklists is worth its name (the full path's cap of 34
            # questions, issue 18, is kept in tests/test_content.py).
            assert len(c.questions) >= 4, c.id
        assert all(q.help for q in c.questions), f"{c.id}: every question needs a help line"
        assert c.phase == ("review" if c.id == "after-the-room" else "prep")


def test_builtin_file_names_match_ids() -> None:
    for path in builtin_files():
        assert load_checklist(path).id == path.stem


def test_builtin_order_is_the_prep_order() -> None:
    catalogue = load_catalogue(paths.builtin_checklists_dir(), None)
    assert [c.id for c in catalogue.for_phase("prep") if not c.closing] == [
        "logistics",
        "refine-intention",
        "prepare-for-redirection",
        "recall-what-worked",
        "mindset",
    ]
    assert [c.id for c in catalogue.checklists if c.closing] == ["closing-check"]


def test_recall_keys_name_real_questions() -> None:
    catalogue = load_catalogue(paths.builtin_checklists_dir(), None)
    for c in catalogue.checklists:
        for q in c.questions:
            for ref in q.recall:
                cid, qid = ref.split(".")
                source = catalogue.get(cid)
                assert source is not None and source.question(qid) is not None, ref


def problems_of(text: str) -> list[str]:
    with pytest.raises(ChecklistError) as info:
        parse_checklist_text(text, "bad.yaml")
    return info.value.details


GOOD = """\
id: good
title: Good
phase: prep
version: 1
questions:
  - id: a
    prompt: First?
    type: text
"""


def test_a_good_file_loads() -> None:
    c = parse_checklist_text(GOOD, "good.yaml")
    assert c.id == "good" and c.questions[0].prompt == "First?"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            GOOD + "  - id: b\n    prompt: x\n    type: essay\n",
            "bad.yaml:11: question 'b': unknown type 'essay'",
        ),
        (
            GOOD + "  - id: b\n    prompt: x\n    colour: red\n",
            "bad.yaml:11: unknown question key 'colour'",
        ),
        (GOOD + "  - id: b\n    type: text\n", "bad.yaml:9: question 'b': missing 'prompt'"),
        (
            GOOD + "  - id: a\n    prompt: again\n",
            "bad.yaml:9: duplicate question id 'a' (first on line 6)",
        ),
        (
            GOOD + "  - id: b\n    prompt: pick\n    type: select\n",
            "bad.yaml:9: question 'b': type select needs a non-empty 'choices' list",
        ),
        (
            GOOD + "  - id: b\n    prompt: x\n    type: scale\n    min: 5\n    max: 1\n",
            "bad.yaml:12: question 'b': 'min' must be less than 'max'",
        ),
        (
            GOOD.replace("phase: prep", "phase: later"),
            "bad.yaml:3: 'phase' must be one of: prep, review",
        ),
        (GOOD + "extra: 1\n", "bad.yaml:9: unknown key 'extra'"),
        (
            GOOD
            + "  - id: b\n    prompt: x\n    type: select\n    choices: [a, b]\n    default: c\n",
            "bad.yaml:13: question 'b': bad 'default'",
        ),
    ],
)
def test_each_kind_of_problem_is_reported_with_its_line(text: str, expected: str) -> None:
    problems = problems_of(text)
    assert any(p.startswith(expected) for p in problems), problems


def test_bad_yaml_names_the_line() -> None:
    problems = problems_of("id: x\ntitle: [unclosed\nphase: prep\n")
    assert len(problems) == 1
    assert problems[0].startswith("bad.yaml:3: invalid YAML")


def test_python_tags_are_reported_never_executed(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    text = GOOD + f"  - id: b\n    prompt: !!python/object/apply:os.system ['touch {marker}']\n"
    problems = problems_of(text)
    assert problems == [
        "bad.yaml:10: invalid YAML: YAML tag !!python/object/apply:os.system is not allowed (only plain YAML is read)"
    ]
    assert not marker.exists()


def test_every_problem_is_reported_at_once() -> None:
    text = """\
id: Bad Id
title: ""
phase: prep
questions:
  - id: a
    type: essay
  - id: a
    prompt: twice
  - id: c
    prompt: pick
    type: multiselect
"""
    problems = problems_of(text)
    assert problems == [
        "bad.yaml:1: id 'Bad Id' must use lower-case letters, digits, '-' or '_'",
        "bad.yaml:2: missing 'title' (a short text)",
        "bad.yaml:5: question 'a': missing 'prompt'",
        "bad.yaml:6: question 'a': unknown type 'essay' (allowed: text, long_text, confirm, select, multiselect, scale)",
        # Reported although the first 'a' has problems of its own (issue 7, item 6).
        "bad.yaml:7: duplicate question id 'a' (first on line 5)",
        "bad.yaml:9: question 'c': type multiselect needs a non-empty 'choices' list",
    ]


def test_empty_and_non_mapping_files() -> None:
    assert problems_of("") == ["bad.yaml: the file is empty"]
    assert problems_of("- a\n- b\n") == ["bad.yaml:1: a checklist must be a mapping"]


def test_user_checklist_replaces_builtin_and_adds(home: Path) -> None:
    user_dir = paths.user_checklists_dir(home)
    write_checklist(
        user_dir,
        "mine.yaml",
        {
            "id": "mindset",
            "title": "My mindset",
            "phase": "prep",
            "questions": [{"id": "one", "prompt": "Ready?", "type": "confirm"}],
        },
    )
    write_checklist(
        user_dir,
        "warmup.yaml",
        {
            "id": "warm-up",
            "title": "Warm-up",
            "phase": "prep",
            "questions": [{"id": "voice", "prompt": "Voice warmed up?", "type": "confirm"}],
        },
    )
    catalogue = load_catalogue(paths.builtin_checklists_dir(), user_dir)
    ids = [c.id for c in catalogue.for_phase("prep") if not c.closing]
    assert ids == [
        "logistics",
        "refine-intention",
        "prepare-for-redirection",
        "recall-what-worked",
        "mindset",
        "warm-up",
    ]
    mindset = catalogue.get("mindset")
    assert mindset is not None and mindset.title == "My mindset" and not mindset.builtin


def test_a_broken_user_checklist_stops_loading(home: Path) -> None:
    user_dir = paths.user_checklists_dir(home)
    path = write_checklist(
        user_dir, "broken.yaml", "id: x\ntitle: X\nphase: prep\nquestions:\n  - id: q\n"
    )
    with pytest.raises(ChecklistError) as info:
        load_catalogue(paths.builtin_checklists_dir(), user_dir)
    assert info.value.details == [f"{path}:5: question 'q': missing 'prompt'"]


def test_to_dict_round_trips_through_the_loader() -> None:
    for path in builtin_files():
        original = load_checklist(path)
        text = yaml.safe_dump(original.to_dict(), sort_keys=False, allow_unicode=True)
        assert parse_checklist_text(text, "again.yaml") == original


def test_an_empty_user_file_is_skipped_with_a_warning(home: Path) -> None:
    # `coach export checklists mindset > $COACH_HOME/checklists/mindset.yaml`: the shell
    # creates the empty file before the coach runs.
    from typer.testing import CliRunner

    from callback_coach.cli.app import app

    user_dir = paths.user_checklists_dir(home)
    user_dir.mkdir(parents=True)
    (user_dir / "mindset.yaml").write_text("")
    result = CliRunner().invoke(app, ["export", "checklists", "mindset"])
    assert result.exit_code == 0
    assert (
        result.stderr
        == f"warning: skipped checklist {user_dir / 'mindset.yaml'}: the file is empty\n"
    )
    assert result.stdout.startswith("id: mindset\n")


# -- issue 7, item 5: `coach export checklists > all.yaml` reads back ------------------


def cli(*args: str):
    from typer.testing import CliRunner

    from callback_coach.cli.app import app

    return CliRunner().invoke(app, list(args))


def test_all_checklists_exported_to_one_file_validate_and_load(home: Path, tmp_path: Path) -> None:
    exported = cli("export", "checklists")
    assert exported.exit_code == 0
    all_yaml = tmp_path / "all.yaml"
    all_yaml.write_text(exported.stdout, encoding="utf-8")
    assert exported.stdout.count("\n---\n") == len(BUILTIN_IDS) - 1

    validated = cli("checklists", "validate", str(all_yaml))
    assert (validated.exit_code, validated.stderr) == (0, f"{all_yaml}: ok\n")

    user_dir = paths.user_checklists_dir(home)
    user_dir.mkdir(parents=True)
    (user_dir / "all.yaml").write_text(exported.stdout, encoding="utf-8")
    listed = cli("checklists", "list", "--json")
    assert listed.exit_code == 0, listed.stderr
    sources = {c["id"]: c["source"] for c in json.loads(listed.stdout)["checklists"]}
    assert sources == dict.fromkeys(BUILTIN_IDS, str(user_dir / "all.yaml"))
    answers = tmp_path / "a.yaml"
    answers.write_text("refine-intention:\n  want: to be seen\n")
    prepped = cli("prep", "Nina", "--answers", str(answers))
    assert prepped.exit_code == 0, prepped.stderr


def test_several_checklists_in_one_file_name_the_document_of_each_problem(tmp_path: Path) -> None:
    path = write_checklist(
        tmp_path,
        "two.yaml",
        GOOD
        + "---\n"
        + GOOD.replace("id: good", "id: other").replace("type: text", "type: x")
        + "---\n"
        + GOOD
        + "---\n",
    )
    assert [str(p) for p in validate_files([path])] == [
        f"{path}:17 (document 2): question 'a': unknown type 'x' (allowed: text, long_text, confirm, select, multiselect, scale)",
        f"{path}:19 (document 3): checklist id 'good' is also defined in document 1",
    ]
    ok = write_checklist(tmp_path, "ok.yaml", GOOD + "---\n" + GOOD.replace("id: good", "id: b"))
    assert [c.id for c in load_checklists(ok)] == ["good", "b"]
    with pytest.raises(ChecklistError) as info:
        load_checklist(ok)
    assert info.value.details == [f"{ok}: 2 checklists where one was expected"]


# -- issue 7, item 6: the validator reports everything at once ---------------------------

RECALLS = GOOD + "    recall: [nothing.here, mindset.nope, mindset.calm, warm-up.voice]\n"


def test_a_recall_naming_no_question_is_reported(home: Path, tmp_path: Path) -> None:
    path = write_checklist(tmp_path, "recalls.yaml", RECALLS)
    result = cli("checklists", "validate", str(path))
    assert result.exit_code == 3
    assert result.stderr.splitlines()[1:] == [
        f"  {path}:9: question 'a': 'recall' names nothing.here (no such checklist)",
        f"  {path}:9: question 'a': 'recall' names mindset.nope (no such question)",
        f"  {path}:9: question 'a': 'recall' names warm-up.voice (no such checklist)",
    ]


def test_a_recall_may_name_a_checklist_of_another_file_or_of_the_home(
    home: Path, tmp_path: Path
) -> None:
    warm_up = {
        "id": "warm-up",
        "title": "Warm-up",
        "phase": "prep",
        "questions": [{"id": "voice", "prompt": "Voice?", "type": "confirm"}],
    }
    recalls = write_checklist(
        tmp_path,
        "recalls.yaml",
        RECALLS.replace("nothing.here, ", "").replace("mindset.nope, ", ""),
    )
    other = write_checklist(tmp_path, "warm-up.yaml", warm_up)
    assert validate_files([recalls, other]) == []
    assert [p.message for p in validate_files([recalls])] == [
        "question 'a': 'recall' names warm-up.voice (no such checklist)"
    ]
    write_checklist(paths.user_checklists_dir(home), "warm-up.yaml", warm_up)
    assert validate_files([recalls]) == []


NAMES = """\
id: names
title: Names
phase: prep
questions:
  - id: ready
    prompt: Ready?
    type: confirm
    relies_on: mindset.nothing
  - id: before
    prompt: Before?
    recall: nothing.here
"""


def test_each_name_of_nothing_is_one_line_of_validate_exit_3(home: Path, tmp_path: Path) -> None:
    """`recall` and `relies_on` naming nothing: one line each, at the line of the key, in
    file order; nothing on standard output. (`revisit`, which acts only in a closing
    check: test_a_revisit_naming_no_checklist_is_reported.)"""
    path = write_checklist(tmp_path, "names.yaml", NAMES)
    result = cli("checklists", "validate", str(path))
    assert result.exit_code == 3 == ExitCode.CHECKLIST_INVALID
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "error: 2 problems found",
        f"  {path}:8: question 'ready': 'relies_on' names mindset.nothing (no such question)",
        f"  {path}:11: question 'before': 'recall' names nothing.here (no such checklist)",
    ]
    fixed = NAMES.replace("mindset.nothing", "mindset.calm")
    write_checklist(tmp_path, "names.yaml", fixed.replace("nothing.here", "names.ready"))
    result = cli("checklists", "validate", str(path))
    assert result.exit_code == 0 and result.stderr == f"{path}: ok\n"


def test_names_are_checked_in_a_file_with_other_problems(home: Path, tmp_path: Path) -> None:
    """A broken question elsewhere in the file does not hide a name of nothing; a name of
    a question that the broken checklist itself declares is not one."""
    broken = NAMES.replace("prompt: Before?", "prompt: Before?\n    type: bogus")
    path = write_checklist(tmp_path, "names.yaml", broken)
    messages = [p.message for p in validate_files([path])]
    assert messages == [
        "question 'ready': 'relies_on' names mindset.nothing (no such question)",
        "question 'before': unknown type 'bogus' (allowed: text, long_text, confirm, select, "
        "multiselect, scale)",
        "question 'before': 'recall' names nothing.here (no such checklist)",
    ]
    own = broken.replace("nothing.here", "names.ready").replace("mindset.nothing", "names.before")
    write_checklist(tmp_path, "names.yaml", own)
    assert [p.message for p in validate_files([path])] == [messages[1]]


def test_a_name_of_a_user_checklist_in_the_home_passes(home: Path, tmp_path: Path) -> None:
    write_checklist(paths.user_checklists_dir(home), "good.yaml", GOOD)
    path = write_checklist(tmp_path, "names.yaml", NAMES.replace("mindset.nothing", "good.a"))
    assert [p.message.split(":")[1] for p in validate_files([path])] == [
        " 'recall' names nothing.here (no such checklist)",
    ]


def test_a_recall_naming_no_question_stops_a_prep(home: Path) -> None:
    path = write_checklist(paths.user_checklists_dir(home), "recalls.yaml", RECALLS)
    result = cli("prep", "Nina", "--defaults")
    assert result.exit_code == 3
    assert f"  {path}:9: question 'a': 'recall' names nothing.here (no such checklist)" in (
        result.stderr.splitlines()
    )
    assert not paths.notes_dir(home).exists()


def test_keys_written_twice_are_reported_at_every_level() -> None:
    text = GOOD.replace("phase: prep\n", "phase: prep\nphase: review\n") + "    prompt: again?\n"
    assert problems_of(text) == [
        "bad.yaml:4: duplicate key 'phase'",
        "bad.yaml:10: duplicate key 'prompt'",
    ]


# -- the quick path, conditions and the closing check (issue 9) --------------------------

PATHS_FILE = """\
id: paths
title: Paths
phase: prep
questions:
  - id: medium
    prompt: Where is it?
    type: select
    choices: [room, self-tape]
    quick: true
  - id: reader
    prompt: Who reads with you?
    when: medium=self-tape
  - id: room-size
    prompt: How big is the room?
    when: medium != self-tape
---
id: check
title: Check
phase: prep
closing: true
questions:
  - id: ready
    prompt: Ready?
    type: confirm
    revisit: paths
"""


def test_quick_when_and_closing_load_and_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "paths.yaml"
    path.write_text(PATHS_FILE, encoding="utf-8")
    paths_list, check = load_checklists(path)
    assert [q.quick for q in paths_list.questions] == [True, False, False]
    assert paths_list.question("reader").when == ("medium", "=", "self-tape")
    assert paths_list.question("room-size").when == ("medium", "!=", "self-tape")
    assert check.closing and check.question("ready").revisit == "paths"
    for checklist in (paths_list, check):
        text = yaml.safe_dump(checklist.to_dict(), sort_keys=False)
        assert parse_checklist_text(text, "again.yaml") == checklist


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (("quick: true", "quick: often"), "'quick' must be true or false"),
        (("when: medium=self-tape", "when: self-tape"), "'when' is QUESTION=VALUE"),
        (("when: medium=self-tape", "when: '=x'"), "'when' is QUESTION=VALUE"),
        (("closing: true", "closing: 1"), "'closing' must be true or false"),
        (("revisit: paths", "revisit: Not An Id"), "'revisit' names a checklist id"),
        (("    type: confirm\n", "    type: text\n"), "a closing check asks yes/no questions"),
        (("    revisit: paths\n", ""), "a closing check asks yes/no questions"),
    ],
)
def test_bad_paths_keys_are_problems(change: tuple[str, str], expected: str) -> None:
    text = PATHS_FILE.replace(*change)
    assert text != PATHS_FILE
    assert any(expected in p for p in problems_of(text))


def test_a_revisit_naming_no_checklist_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "check.yaml"
    path.write_text(PATHS_FILE.replace("revisit: paths", "revisit: nowhere"), encoding="utf-8")
    (problem,) = [str(p) for p in validate_files([path])]
    assert "'revisit' names nowhere (no such checklist)" in problem


def test_a_when_naming_no_question_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "paths.yaml"
    # A typo in the question a condition reads: the question would never be asked.
    path.write_text(PATHS_FILE.replace("when: medium=self-tape", "when: mediun=self-tape"))
    (problem,) = [str(p) for p in validate_files([path])]
    assert "question 'reader': 'when' names mediun (no question of any checklist" in problem
    assert problem.startswith(f"{path}:12 (document 1):")


@pytest.mark.parametrize("key", ["medium", "casting-office", "casting_office", "place", "a"])
def test_a_when_may_read_another_checklist_s_question_or_a_detail(tmp_path: Path, key: str) -> None:
    # `a` is a question of another file; the others are details a round keeps.
    other = tmp_path / "other.yaml"
    other.write_text(GOOD, encoding="utf-8")
    path = tmp_path / "paths.yaml"
    path.write_text(PATHS_FILE.replace("when: medium=self-tape", f"when: {key}=self-tape"))
    assert validate_files([path, other]) == []


@pytest.mark.parametrize("key", ["offer: breathe", "revisit: paths"])
def test_offer_and_revisit_act_only_in_the_closing_check(key: str) -> None:
    text = PATHS_FILE.replace("    when: medium != self-tape\n", f"    {key}\n")
    name = key.split(":")[0]
    acts_only = (
        f"bad.yaml:15 (document 1): question 'room-size': '{name}' acts only in the closing "
        "check (a checklist with 'closing: true')"
    )
    assert problems_of(text) == [acts_only]
    # Another problem in the checklist (a default no choice has) hides nothing.
    broken = text.replace("    quick: true\n", "    quick: true\n    default: tv\n", 1)
    problems = problems_of(broken)
    assert len(problems) == 2 and problems[1] == acts_only.replace(":15 ", ":16 ")
    assert problems[0].startswith("bad.yaml:10 (document 1): question 'medium': ")


def test_a_prep_lists_a_file_s_problems_in_line_order(home: Path) -> None:
    # A name of nothing (line 12) is found after the file is read, a bad default (line 16)
    # while it is: listed by line all the same.
    text = PATHS_FILE.replace("when: medium=self-tape", "when: mediun=self-tape").replace(
        "    when: medium != self-tape\n",
        "    when: medium != self-tape\n    default: 7\n    type: scale\n    max: 5\n",
    )
    path = write_checklist(paths.user_checklists_dir(home), "paths.yaml", text)
    result = cli("prep", "Nina", "--defaults")
    assert result.exit_code == 3
    lines = [line.split(" (document")[0] for line in result.stderr.splitlines()[1:]]
    assert lines == [f"  {path}:12", f"  {path}:16"], result.stderr


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("medium=selftape", "'when' compares medium with 'selftape', which it never answers"),
        ("medium != Self-Tape", None),  # case and spacing aside, as the session compares
        ("medium=room", None),
    ],
)
def test_a_when_comparing_a_choice_with_no_choice_is_reported(
    tmp_path: Path, when: str, problem: str | None
) -> None:
    path = tmp_path / "paths.yaml"
    path.write_text(PATHS_FILE.replace("when: medium=self-tape", f"when: {when}"))
    found = [p.message for p in validate_files([path])]
    if problem is None:
        assert found == []
    else:
        (message,) = found
        assert message.startswith(f"question 'reader': {problem}")
        # Every `medium` any checklist asks is looked at: the built-in one's too.
        assert "self-tape" in message and "room" in message and "film" in message
