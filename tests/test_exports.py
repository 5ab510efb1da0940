"""Exports and scripting: every format round-trips what was saved; safe output files."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.cli.render import format_answer
from callback_coach.core.checklist_load import load_catalogue, parse_checklist_text
from callback_coach.core.workflow import Coach
from callback_coach.errors import ExitCode
from callback_coach.exports import as_csv
from callback_coach.exports.format import NoteFormat, Prompts
from callback_coach.exports.formats import FORMATS
from callback_coach.store import paths
from callback_coach.store.notes import Note, read_note

from .helpers import REVIEW, uninert
from .test_notes import TRICKY

runner = CliRunner()
ANSWER_TEXT = st.one_of(
    st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00")),
    TRICKY,
    st.sampled_from(["=SUM(A1:A2)", "+1", "-1", "@cmd", "\tx", "'quoted", "no", "1e3", "~"]),
)


def coach(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input, catch_exceptions=False)


def catalogue():
    return load_catalogue(paths.builtin_checklists_dir(), None)


def save_prep(home: Path, want: str, beats: str, body_extra: str = "") -> Path:
    c = Coach(home)
    plan = c.plan_prep(
        "Nina",
        project="The Seagull",
        round_label="callback-1",
        checklist_ids=["refine-intention"],
        date="2026-11-23",
    )
    note = c.save_answers(
        plan,
        {"refine-intention": {"want": " ".join(want.splitlines()).strip() or "x", "beats": beats}},
    )
    if body_extra:
        note.path.write_text(note.path.read_text(encoding="utf-8") + body_extra, encoding="utf-8")
    return note.path


def fresh_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("h") / "home"
    os.environ["COACH_HOME"] = str(home)
    return home


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(want=ANSWER_TEXT, beats=ANSWER_TEXT)
def test_every_format_round_trips_the_answers(tmp_path_factory, want: str, beats: str) -> None:
    home = fresh_home(tmp_path_factory)
    note = read_note(save_prep(home, want, beats))
    saved = note.answers["refine-intention"]
    cat = catalogue()

    data = json.loads(FORMATS["json"].notes([note], cat))
    (exported,) = [c for c in data["notes"][0]["checklists"] if c["id"] == "refine-intention"]
    assert {a["id"]: a["answer"] for a in exported["answers"]} == saved

    data = yaml.safe_load(FORMATS["yaml"].notes([note], cat))
    (exported,) = [c for c in data["notes"][0]["checklists"] if c["id"] == "refine-intention"]
    assert {a["id"]: a["answer"] for a in exported["answers"]} == saved

    rows = list(csv.DictReader(io.StringIO(FORMATS["csv"].notes([note], cat), newline="")))
    assert {r["question_id"]: uninert(r["answer"]) for r in rows} == {
        k: format_answer(v) for k, v in saved.items()
    }
    for row in rows:
        for cell in row.values():
            assert not cell.startswith(as_csv.FORMULA_STARTS), "a spreadsheet would run it"

    md = FORMATS["md"].notes([note], cat)
    quoted = re.findall(r"^((?:>.*\n)+)", md + "\n", flags=re.MULTILINE)
    texts = [unquoted(q.rstrip("\n").split("\n")) for q in quoted]
    shown = [format_answer(v) for v in saved.values() if format_answer(v) != ""]
    assert texts[: len(shown)] == shown


def unquoted(quoted: list[str]) -> str:
    """A block quote's text back: "> " off each line, and the two spaces that end a line
    followed by another of its paragraph (a hard line break) off that line."""
    lines = [line[2:] if line.startswith("> ") else "" for line in quoted]
    for number in range(len(lines) - 1):
        if lines[number] and lines[number + 1]:
            assert lines[number].endswith("  ")
            lines[number] = lines[number][:-2]
    return "\n".join(lines)


def test_csv_neutralises_formulas() -> None:
    for cell in ("=1+1", "+1", "-2", "@SUM(1)", "\tx", "\rx", "'x"):
        assert as_csv.inert(cell) == "'" + cell
        assert uninert(as_csv.inert(cell)) == cell
    assert as_csv.inert("fine =1") == "fine =1"


def test_exports_with_no_notes(home: Path) -> None:
    for fmt, expected in (
        ("json", {"format": 4, "notes": []}),
        ("yaml", {"format": 4, "notes": []}),
    ):
        result = coach("export", "notes", "--format", fmt)
        assert result.exit_code == 0
        assert (
            json.loads(result.stdout) if fmt == "json" else yaml.safe_load(result.stdout)
        ) == expected
        assert result.stderr == "No notes match.\n"
    assert (
        coach("export", "notes", "--format", "csv").stdout_bytes
        == (",".join(as_csv.CSV_COLUMNS) + "\r\n").encode()
    )
    assert coach("export", "notes").stdout == ""


def exported(*args: str) -> list[tuple[str, str, str]]:
    result = coach("export", "notes", "--format", "json", *args)
    assert result.exit_code == 0, result.stderr
    return [(n["role"], n["round"], n["kind"]) for n in json.loads(result.stdout)["notes"]]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (
            [],
            [
                ("Nina", "callback-1", "prep"),
                ("Nina", "callback-1", "review"),
                ("Nina", "callback-2", "prep"),
                ("Sonya", "callback-1", "prep"),
                ("Sonya", "callback-1", "review"),
            ],
        ),
        (["--role", "sonya"], [("Sonya", "callback-1", "prep"), ("Sonya", "callback-1", "review")]),
        (["--project", "the seagull", "--kind", "review"], [("Nina", "callback-1", "review")]),
        (["--round", "Callback 2"], [("Nina", "callback-2", "prep")]),
        (["--outcome", "released"], [("Sonya", "callback-1", "review")]),
        (
            ["--since", "2026-11-21"],
            [("Nina", "callback-1", "review"), ("Nina", "callback-2", "prep")],
        ),
        (["--until", "2026-10-02"], [("Sonya", "callback-1", "prep")]),
    ],
)
def test_every_filter(history: Coach, args: list[str], expected) -> None:
    assert exported(*args) == expected


def test_bad_filters_and_formats(history: Coach) -> None:
    for args, message in (
        (["--format", "pdf"], "error: format 'pdf' is not one of: md, json, yaml, csv"),
        (["--kind", "audition"], "error: kind 'audition' is not one of: prep, review, drill"),
        (
            ["--since", "last week"],
            "error: date 'last week' is not a date the coach understands: use YYYY-MM-DD, "
            "today, tomorrow, yesterday, a weekday (fri, friday) or +N days",
        ),
    ):
        result = coach("export", "notes", *args)
        assert result.exit_code == ExitCode.USAGE
        assert result.stderr == message + "\n"


def test_exports_are_byte_identical(history: Coach) -> None:
    for fmt in FORMATS:
        first = coach("export", "notes", "--format", fmt).stdout_bytes
        assert first == coach("export", "notes", "--format", fmt).stdout_bytes


def test_output_to_a_file_then_refusal_then_force(history: Coach, tmp_path: Path) -> None:
    target = tmp_path / "all.json"
    result = coach("export", "notes", "--format", "json", "--output", str(target))
    assert result.exit_code == 0 and result.stdout == ""
    assert len(json.loads(target.read_text())["notes"]) == 5
    target.write_text("mine")
    again = coach("export", "notes", "--format", "json", "--output", str(target))
    assert again.exit_code == ExitCode.EXISTS
    assert again.stderr.splitlines() == [
        "error: 1 file(s) already exist; nothing was written (use --force to replace)",
        f"  {target}",
    ]
    assert target.read_text() == "mine"
    forced = coach("export", "notes", "--format", "json", "--output", str(target), "--force")
    assert forced.exit_code == 0 and json.loads(target.read_text())["format"] == 4


def test_output_to_a_folder_writes_one_file_per_note(history: Coach, tmp_path: Path) -> None:
    folder = tmp_path / "backup"
    result = coach("export", "notes", "--output", f"{folder}/")
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in folder.iterdir())
    assert names == sorted(p.stem + ".md" for p in (history.home / "notes").iterdir())
    assert (folder / names[0]).read_text().startswith("# ")
    (folder / names[0]).write_text("edited")
    refused = coach("export", "notes", "--output", f"{folder}/")
    assert refused.exit_code == ExitCode.EXISTS
    assert (folder / names[0]).read_text() == "edited"
    assert coach("export", "notes", "--output", str(folder), "--force").exit_code == 0
    assert (folder / names[0]).read_text().startswith("# ")


def test_output_into_a_missing_folder(history: Coach, tmp_path: Path) -> None:
    result = coach("export", "notes", "--output", str(tmp_path / "nope" / "x.md"))
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == f"error: the folder for {tmp_path / 'nope' / 'x.md'} does not exist\n"


def test_piped_output_has_no_escape_codes(history: Coach, coach_bin: str, home: Path) -> None:
    env = {**os.environ, "COACH_HOME": str(home)}
    env.pop("NO_COLOR", None)
    for args in (
        ["export", "notes"],
        ["list"],
        ["show", "Nina"],
        ["search", "pride"],
        ["checklists", "list"],
        ["export", "checklists", "--format", "md"],
    ):
        proc = subprocess.run(
            [coach_bin, *args], capture_output=True, text=True, env=env, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        assert "\x1b" not in proc.stdout and "\x1b" not in proc.stderr, args


# -- checklists ------------------------------------------------------------------------


def test_checklists_list_and_show(home: Path) -> None:
    (home / "checklists").mkdir(parents=True)
    (home / "checklists" / "m.yaml").write_text(
        "id: mindset\ntitle: Mine\nphase: prep\nquestions:\n  - id: a\n    prompt: Ready?\n"
    )
    data = json.loads(coach("checklists", "list", "--json").stdout)
    rows = {r["id"]: r for r in data["checklists"]}
    assert rows["refine-intention"]["source"] == "built-in"
    assert rows["mindset"] == {
        "id": "mindset",
        "title": "Mine",
        "phase": "prep",
        "questions": 1,
        "source": str(home / "checklists" / "m.yaml"),
    }
    shown = coach("checklists", "show", "refine-intention")
    assert shown.exit_code == 0 and "What do you want from the other person" in shown.stdout
    missing = coach("checklists", "show", "nope")
    assert missing.exit_code == ExitCode.NOT_FOUND


def test_validate_good_broken_and_exported_files(home: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.yaml"
    good.write_text("id: g\ntitle: G\nphase: prep\nquestions:\n  - id: a\n    prompt: A?\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: b\ntitle: B\nphase: later\nquestions:\n  - id: a\n    type: essay\n")
    ok = coach("checklists", "validate", str(good))
    assert ok.exit_code == 0 and ok.stderr == f"{good}: ok\n"
    broken = coach("checklists", "validate", str(good), str(bad), str(tmp_path / "missing.yaml"))
    assert broken.exit_code == ExitCode.NOT_FOUND, "a missing file is not found, as for --answers"
    assert broken.stderr.splitlines() == [
        "error: 4 problems found",
        f"  {bad}:3: 'phase' must be one of: prep, review",
        f"  {bad}:5: question 'a': missing 'prompt'",
        f"  {bad}:6: question 'a': unknown type 'essay' (allowed: text, long_text, confirm, select, multiselect, scale)",
        f"  {tmp_path / 'missing.yaml'}: cannot read: No such file or directory",
    ]
    folder = tmp_path / "exported"
    assert coach("export", "checklists", "--output", f"{folder}/").exit_code == 0
    files = sorted(folder.glob("*.yaml"))
    assert len(files) == 7
    assert coach("checklists", "validate", *map(str, files)).exit_code == 0


def test_exported_yaml_loads_back_unchanged_and_can_be_edited(home: Path) -> None:
    for checklist in catalogue().checklists:
        text = coach("export", "checklists", checklist.id).stdout
        assert parse_checklist_text(text, "x.yaml") == checklist
    text = coach("export", "checklists", "mindset").stdout.replace(
        "title: Mindset", "title: My mind"
    )
    (home / "checklists").mkdir(parents=True)
    (home / "checklists" / "mindset.yaml").write_text(text)
    assert Coach(home).catalogue().get("mindset").title == "My mind"


def test_exported_checklist_json_shape(home: Path) -> None:
    data = json.loads(coach("export", "checklists", "mindset", "--format", "json").stdout)
    (mindset,) = data["checklists"]
    assert data["format"] == 1 and mindset["id"] == "mindset"
    calm = next(q for q in mindset["questions"] if q["id"] == "calm")
    assert calm == {
        "id": "calm",
        "prompt": "How settled do you feel right now?",
        "type": "scale",
        "help": calm["help"],
        "min": 1,
        "max": 10,
        "required": False,
    }
    breathing = next(q for q in mindset["questions"] if q["id"] == "breathing")
    assert breathing["choices"][0].startswith("box breathing")


def test_worksheet_has_room_to_write(home: Path) -> None:
    md = coach("export", "checklists", "refine-intention", "--format", "md").stdout
    assert md.startswith("# Refine intention\n")
    assert "**2. What do you want from the other person, as one active verb?**" in md
    assert md.count("_" * 60) >= 11
    # One choice: a round mark to fill in; several: boxes to tick.
    md = coach("export", "checklists", "logistics", "--format", "md").stdout
    assert "- ( ) no new pages\n- ( ) yes, worked fully\n- ( ) yes, still working on them\n" in md
    assert "- [ ] yes, worked fully" not in md


def test_worksheet_says_when_a_question_applies(home: Path) -> None:
    """On paper as at the prompt: a question asked only in the room (not for a self-tape)
    says so, and a question worded otherwise before a first callback shows that wording."""
    from callback_coach.core.checklist_load import load_catalogue
    from callback_coach.store import paths

    seen = set()
    for checklist in load_catalogue(paths.builtin_checklists_dir(), None).checklists:
        md = coach("export", "checklists", checklist.id, "--format", "md").stdout
        numbers = {q.id: n for n, q in enumerate(checklist.questions, start=1)}
        for question in checklist.questions:
            block = md.split(f". {question.prompt}**", 1)[1].split("**", 1)[0]
            if question.when:
                key, test, value = question.when
                verb = "is not" if test == "!=" else "is"
                # A question of the same sheet is named by its number on paper.
                what = f"your answer to question {numbers[key]}" if key in numbers else key
                assert f"*Only when {what} {verb} {value}.*" in block
                seen.add(key in numbers)
            else:
                assert "Only when" not in block
            if question.first_prompt:
                assert f"*Before a first callback: {question.first_prompt}*" in block
    assert seen == {True, False}, "both kinds of condition are in the built-in checklists"


# -- non-interactive parity ------------------------------------------------------------


def test_set_overrides_the_answers_file(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "a.yaml"
    answers.write_text("refine-intention:\n  want: from the file\n  off-book: 2\n")
    result = coach(
        "prep",
        "Nina",
        "--answers",
        str(answers),
        "--set",
        "refine-intention.want=from --set",
        "--set",
        "refine-intention.medium=self-tape",
        "--set",
        "recall-what-worked.self-tape-test-take=yes",
        "--set",
        "mindset.calm=9",
        "--set",
        "mindset.breathing=long slow exhales",
    )
    assert result.exit_code == 0, result.stderr
    note = read_note(Path(result.stdout.strip()))
    assert note.answers["refine-intention"]["want"] == "from --set"
    assert note.answers["refine-intention"]["off-book"] == 2
    assert note.answers["recall-what-worked"]["self-tape-test-take"] is True
    assert note.answers["mindset"]["calm"] == 9
    assert note.answers["mindset"]["breathing"] == "long slow exhales"


def test_set_values_are_typed_like_the_prompts(home: Path) -> None:
    result = coach(
        "review",
        "Nina",
        "--set",
        "after-the-room.one-thing=breathe",
        "--set",
        "after-the-room.follow-up=thank-you note to the casting office, contact details of the people you met",
        "--set",
        "after-the-room.energy=4",
        "--outcome",
        "hold",
    )
    assert result.exit_code == 0, result.stderr
    note = read_note(Path(result.stdout.strip()))
    assert note.answers["after-the-room"]["follow-up"] == [
        "thank-you note to the casting office",
        "contact details of the people you met",
    ]
    assert note.answers["after-the-room"]["energy"] == 4
    assert note.outcome == "hold"
    bad = coach(
        "review",
        "Nina",
        "--set",
        "after-the-room.energy=lots",
        "--set",
        "after-the-room.follow-up=flowers",
        "--set",
        "after-the-room.x=1",
    )
    assert bad.exit_code == ExitCode.ANSWERS_INVALID
    assert bad.stderr.splitlines() == [
        "error: 3 problems with --set",
        "  --set after-the-room.energy: expected a whole number, got 'lots'",
        "  --set after-the-room.follow-up: 'flowers' not among: thank-you note to the casting office, short update to your agent or manager, contact details of the people you met",
        "  --set after-the-room.x: unknown question",
    ]


def test_defaults_fill_everything_or_list_what_is_missing(home: Path) -> None:
    missing = coach("prep", "Nina", "--defaults")
    assert missing.exit_code == ExitCode.ANSWERS_INVALID
    assert missing.stderr.splitlines() == [
        "error: 1 problem with the answers",
        "  --defaults: refine-intention.want: required, but no answer",
    ]
    ok = coach("prep", "Nina", "--defaults", "--set", "refine-intention.want=to stay")
    assert ok.exit_code == 0, ok.stderr
    note = read_note(Path(ok.stdout.strip()))
    # No built-in question answers itself: a yes/no or the actor's own words stay blank.
    answered = {cid: given for cid, given in note.answers.items() if given}
    assert answered == {"refine-intention": {"want": "to stay"}}


def test_an_answers_file_for_review(home: Path, tmp_path: Path) -> None:
    answers = tmp_path / "review.json"
    answers.write_text(json.dumps(REVIEW))
    result = coach("review", "Nina", "--answers", str(answers), "--outcome", "avail")
    assert result.exit_code == 0, result.stderr
    note = read_note(Path(result.stdout.strip()))
    assert note.kind == "review" and note.outcome == "avail"
    assert note.answers["after-the-room"]["direction"] == "Less pleading,\nmore pride"


# -- completion ------------------------------------------------------------------------


def complete(coach_bin: str, home: Path, words: str) -> list[str]:
    env = {
        **os.environ,
        "COACH_HOME": str(home),
        "_COACH_COMPLETE": "complete_bash",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    proc = subprocess.run([coach_bin], env=env, capture_output=True, text=True, timeout=30)
    return proc.stdout.split()


def test_completion_offers_roles_and_checklist_ids(
    history: Coach, home: Path, coach_bin: str
) -> None:
    assert complete(coach_bin, home, "coach prep Ni") == ["Nina"]
    assert complete(coach_bin, home, "coach show So") == ["Sonya"]
    assert complete(coach_bin, home, "coach prep Nina --checklist re") == [
        "refine-intention",
        "recall-what-worked",
    ]
    assert complete(coach_bin, home, "coach outcome Nina bo") == ["booked"]
    assert "export" in complete(coach_bin, home, "coach ")


class Tsv(NoteFormat):
    """A format made here: one answer a line, tab-separated, no checklists."""

    name = "tsv"
    checklists_too = False

    def piece(self, note: Note, prompts: Prompts, *, yaml_escapes: bool = False) -> str:
        return "".join(
            f"{note.role}\t{cid}.{qid}\t{str(value).replace(chr(10), ' ')}\n"
            for cid, answers in note.answers.items()
            for qid, value in answers.items()
        )

    def document(self, pieces: Iterable[str]) -> Iterator[str]:
        yield "role\tquestion\tanswer\n"
        yield from pieces


def test_a_new_export_format_is_one_class(history: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(FORMATS, "tsv", Tsv())
    result = runner.invoke(app, ["export", "notes", "--format", "tsv", "--role", "Sonya"])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "role\tquestion\tanswer" and len(lines) > 1
    assert all(line.startswith("Sonya\t") for line in lines[1:])
    refused = runner.invoke(app, ["export", "checklists", "--format", "tsv"])
    assert refused.exit_code == 2 and "md, json, yaml" in refused.stderr


def test_a_multiselect_with_nothing_ticked_is_kept_in_every_export(home: Path) -> None:
    """`follow-up: []` (none of these) is an answer: JSON and YAML keep the empty list, CSV
    and Markdown keep the question."""
    coach = Coach(home)
    plan = coach.plan_prep("Nina")
    coach.save_answers(plan, {"refine-intention": {"want": "to win"}})
    review = coach.plan_review("Nina", outcome="pending")
    coach.save_answers(review, {"after-the-room": {"one-thing": "Breathe", "follow-up": []}})

    def export(fmt: str) -> str:
        result = runner.invoke(app, ["export", "notes", "--format", fmt, "--kind", "review"])
        assert result.exit_code == 0, result.stderr
        return result.stdout

    def follow_up(document: dict) -> object:
        (note,) = document["notes"]
        (after,) = [c for c in note["checklists"] if c["id"] == "after-the-room"]
        return {a["id"]: a["answer"] for a in after["answers"]}["follow-up"]

    assert follow_up(json.loads(export("json"))) == []
    assert follow_up(yaml.safe_load(export("yaml"))) == []
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert [r["answer"] for r in rows if r["question_id"] == "follow-up"] == [""]
    prompt = Coach(home).catalogue().get("after-the-room").question("follow-up").prompt
    assert prompt in export("md").replace("\\", "")


def test_a_csv_for_a_spreadsheet_starts_with_a_byte_order_mark(history: Coach, tmp_path) -> None:
    plain = runner.invoke(app, ["export", "notes", "--format", "csv"]).stdout_bytes
    marked = runner.invoke(app, ["export", "notes", "--format", "csv", "--bom"]).stdout_bytes
    assert not plain.startswith(b"\xef\xbb\xbf")
    assert marked == b"\xef\xbb\xbf" + plain
    assert list(csv.DictReader(io.StringIO(marked.decode("utf-8-sig")))) == list(
        csv.DictReader(io.StringIO(plain.decode("utf-8")))
    )
    folder = runner.invoke(
        app, ["export", "notes", "--format", "csv", "--bom", "--output", f"{tmp_path}/"]
    )
    assert folder.exit_code == 0
    assert all(p.read_bytes().startswith(b"\xef\xbb\xbf") for p in tmp_path.glob("*.csv"))
    refused = runner.invoke(app, ["export", "notes", "--format", "json", "--bom"])
    assert refused.exit_code == ExitCode.USAGE
