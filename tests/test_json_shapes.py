"""Every JSON document the coach writes has one documented shape, with a JSON Schema in
schemas/ that real output is checked against; a note has the same shape everywhere."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from callback_coach.core.checklist_load import load_catalogue
from callback_coach.core.workflow import Coach
from callback_coach.exports import json_shapes
from callback_coach.exports.formats import FORMATS
from callback_coach.store import paths
from callback_coach.store.notes import Note, read_note

from .helpers import REVIEW, doc, doc_section, prep, review, subcommands
from .scripted import ScriptedAsker

ROOT = Path(__file__).resolve().parents[1]
SCHEMAS = ROOT / "schemas"


def schema(name: str) -> dict[str, Any]:
    return json.loads((SCHEMAS / f"{name}.schema.json").read_text(encoding="utf-8"))


def check(name: str, data: Any) -> None:
    """Raise if `data` does not have the shape schemas/NAME.schema.json describes."""
    jsonschema.Draft202012Validator(schema(name)).validate(data)


def is_valid(name: str, data: Any) -> bool:
    return jsonschema.Draft202012Validator(schema(name)).is_valid(data)


def run(home: Path, coach_bin: str, *args: str) -> str:
    env = {**os.environ, "COACH_HOME": str(home)}
    proc = subprocess.run(
        [coach_bin, *args], env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


# -- the schemas themselves -------------------------------------------------------------


def test_every_schema_is_a_valid_draft_2020_12_schema() -> None:
    files = sorted(SCHEMAS.glob("*.schema.json"))
    assert [f.name for f in files] == [
        "answers.schema.json",
        "checklist.schema.json",
        "checklists-export.schema.json",
        "checklists-list.schema.json",
        "conflicts-list.schema.json",
        "conflicts-show.schema.json",
        "drill-list.schema.json",
        "follow-ups.schema.json",
        "lines-list.schema.json",  # tests/test_lines_cli.py checks output against these three
        "list.schema.json",
        "notes-export.schema.json",
        "schema-list.schema.json",
        "search.schema.json",
        "show.schema.json",
        "sides-list.schema.json",
        "sides-show.schema.json",
        "stats.schema.json",
        "today.schema.json",
    ]
    for file in files:
        data = json.loads(file.read_text(encoding="utf-8"))
        assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema", file.name
        jsonschema.Draft202012Validator.check_schema(data)


def test_shared_parts_of_the_schemas_are_identical_copies() -> None:
    # A note is one shape wherever it appears; a checklist likewise.
    assert schema("show")["$defs"] == schema("notes-export")["$defs"]
    exported, file = schema("checklists-export")["$defs"], schema("checklist")
    assert exported["checklist"] == {
        k: v for k, v in file.items() if k not in ("$schema", "title", "description", "$defs")
    }
    assert {k: v for k, v in exported.items() if k != "checklist"} == file["$defs"]


def json_docs() -> str:
    """docs/scripting.md's "JSON output", then docs/lines.md's JSON (links as from the root)."""
    section = doc_section("scripting", "## JSON output")
    lines = doc_section("lines", "### Scripting and JSON")
    return (section + lines).replace("](../schemas/", "](schemas/")


def test_the_docs_link_and_describe_every_schema() -> None:
    section = json_docs()
    for file in SCHEMAS.glob("*.schema.json"):
        assert f"(schemas/{file.name})" in section, file.name
    documents = re.findall(r'"format": (\d+)', section)
    assert documents, "the docs show each document's format"


# Every way the CLI prints JSON, and the schema of what it prints.
JSON_COMMANDS = {
    "list --json": "list",
    "show --json": "show",
    "search --json": "search",
    "export notes --format json": "notes-export",
    "checklists list --json": "checklists-list",
    "export checklists --format json": "checklists-export",
    "stats --json": "stats",
    "follow-ups --json": "follow-ups",
    "follow-ups list --json": "follow-ups",
    "today --json": "today",
    "drill --json": "drill-list",
    "conflicts --json": "conflicts-list",
    "conflicts list --json": "conflicts-list",
    "conflicts show --json": "conflicts-show",
    "sides list --json": "sides-list",
    "sides show --json": "sides-show",
    "lines --json": "lines-list",
    "schema list --json": "schema-list",
}


def test_every_json_the_cli_prints_has_a_schema() -> None:
    import typer.main

    from callback_coach.cli.app import app

    found: set[str] = set()

    def walk(command: Any, path: str) -> None:
        for param in command.params:
            opts = getattr(param, "opts", [])
            if "--json" in opts:
                found.add(f"{path} --json")
            elif "--format" in opts and "json" in (param.metavar or "").split("|"):
                found.add(f"{path} --format json")
        for name, sub in subcommands(command).items():
            walk(sub, f"{path} {name}".strip())

    walk(typer.main.get_command(app), "")
    assert found == set(JSON_COMMANDS), "a command prints JSON with no schema in JSON_COMMANDS"
    table = json_docs()
    for name in JSON_COMMANDS.values():
        assert (SCHEMAS / f"{name}.schema.json").is_file(), name
        assert f"(schemas/{name}.schema.json) |" in table, f"{name} is not in the docs' table"


# -- real output ------------------------------------------------------------------------


@pytest.fixture
def rich_home(home: Path) -> Path:
    """Notes of every kind the coach writes, and hand edits it must carry through."""
    coach = Coach(home)
    # An interactive prep with skipped questions (a prompt gives "" or nothing chosen).
    plan = coach.plan_prep("Nina", project="The Seagull", date="2026-11-20")
    asker = ScriptedAsker(
        {"refine-intention.want": "to be seen", "refine-intention.obstacle": ""},
        choices=["save"],
    )
    coach.run_session(plan, asker)
    review(coach, outcome="callback", date="2026-11-21")
    prep(coach, date="2026-11-24")
    coach.record_outcome("Nina", "hold")
    prep(coach, "Hamlet 🎭", project="Hamlet", date="2026-10-01")
    review(coach, "Hamlet 🎭", outcome="released", date="2026-10-02")
    edited = prep(coach, "Zoë", date="2026-09-01")
    text = edited.read_text(encoding="utf-8")
    edited.write_text(
        text.replace(
            "kind: prep\n",
            "kind: prep\nmedium: film\ncasting_office: Anna & Co\nmy_key: [1, 2]\n"
            "when: 2026-09-01 10:00:00\nodd: .nan\n",
        )
        + "\nMy own paragraph.\n",
        encoding="utf-8",
    )
    return home


def test_list_json_has_its_documented_shape(rich_home: Path, coach_bin: str) -> None:
    data = json.loads(run(rich_home, coach_bin, "list", "--json"))
    check("list", data)
    assert {r["role"]: r["outcome"] for r in data["roles"]} == {
        "Nina": "hold",
        "Hamlet 🎭": "released",
        "Zoë": "pending",
    }


def test_show_json_has_its_documented_shape(rich_home: Path, coach_bin: str) -> None:
    for role in ("Nina", "Hamlet 🎭", "zoe"):
        check("show", json.loads(run(rich_home, coach_bin, "show", role, "--json")))


def test_search_json_has_its_documented_shape(rich_home: Path, coach_bin: str) -> None:
    # "o": in an answer and in the actor's own paragraph (the coach's heading is not searched).
    data = json.loads(run(rich_home, coach_bin, "search", "o", "--json"))
    check("search", data)
    assert {m["where"] for m in data["matches"]} >= {"refine-intention.want", "body"}


def test_notes_export_has_its_documented_shape_in_json_and_yaml(
    rich_home: Path, coach_bin: str
) -> None:
    data = json.loads(run(rich_home, coach_bin, "export", "notes", "--format", "json"))
    check("notes-export", data)
    assert len(data["notes"]) == 6
    assert yaml.safe_load(run(rich_home, coach_bin, "export", "notes", "--format", "yaml")) == data


def test_notes_exported_one_file_each_have_the_export_shape(
    rich_home: Path, coach_bin: str
) -> None:
    folder = rich_home / "exported"
    run(rich_home, coach_bin, "export", "notes", "--format", "json", "--output", f"{folder}/")
    files = sorted(folder.glob("*.json"))
    assert len(files) == 6
    for file in files:
        document = json.loads(file.read_text(encoding="utf-8"))
        check("notes-export", document)
        assert len(document["notes"]) == 1


def test_checklist_documents_have_their_documented_shapes(home: Path, coach_bin: str) -> None:
    own = home / "checklists" / "warm-up.yaml"
    own.parent.mkdir(parents=True)
    own.write_text(
        "id: warm-up\ntitle: Warm-up\nphase: prep\nquestions:\n"
        "  - id: voice\n    prompt: Voice warm?\n    type: confirm\n"
        "  - id: energy\n    prompt: Energy?\n    type: scale\n    min: 1\n    max: 3\n"
        "    recall: [after-the-room.energy, mindset.calm]\n",
        encoding="utf-8",
    )
    check("checklists-list", json.loads(run(home, coach_bin, "checklists", "list", "--json")))
    exported = json.loads(run(home, coach_bin, "export", "checklists", "--format", "json"))
    check("checklists-export", exported)
    assert len(exported["checklists"]) == 8  # seven built-in, one own
    for path in [*sorted(paths.builtin_checklists_dir().glob("*.yaml")), own]:
        check("checklist", yaml.safe_load(path.read_text(encoding="utf-8")))
    for document in exported["checklists"]:
        check("checklist", document)  # an exported checklist is a checklist file
    run(home, coach_bin, "export", "checklists", "--output", f"{home / 'exported'}/")
    for path in sorted((home / "exported").glob("*.yaml")):
        check("checklist", yaml.safe_load(path.read_text(encoding="utf-8")))


def test_the_documented_checklist_and_answers_examples_have_their_shapes() -> None:
    for example in re.findall(r"```yaml\n(.*?)```", doc("checklists"), flags=re.DOTALL):
        check("checklist", yaml.safe_load(example))
    text = doc("scripting")
    answers = re.search(r"cat > answers.yaml <<'YAML'\n(.*?)YAML\n", text, flags=re.DOTALL)
    assert answers is not None
    check("answers", yaml.safe_load(answers.group(1)))
    check("answers", REVIEW)


def test_a_note_s_front_matter_is_an_answers_file(
    home: Path, coach_bin: str, tmp_path: Path
) -> None:
    note = prep(Coach(home), date="2026-11-20")
    front_matter = note.read_text(encoding="utf-8").split("---\n")[1]
    check("answers", yaml.safe_load(front_matter))
    answers = tmp_path / "front-matter.yaml"
    answers.write_text(front_matter, encoding="utf-8")
    assert run(home, coach_bin, "prep", "Nina", "--round", "callback-9", "--answers", str(answers))


def test_the_schemas_reject_what_the_coach_rejects() -> None:
    assert not is_valid("checklist", {"id": "x", "title": "X", "phase": "later", "questions": []})
    assert not is_valid(
        "checklist",
        {
            "id": "x",
            "title": "X",
            "phase": "prep",
            "questions": [{"id": "a", "prompt": "A?", "type": "select"}],
        },
    )
    assert not is_valid(
        "checklist",
        {
            "id": "x",
            "title": "X",
            "phase": "prep",
            "questions": [{"id": "a", "prompt": "A?", "min": 1}],
        },
    )
    assert not is_valid("answers", {"mindset": "calm"})
    assert not is_valid("answers", {"mindset": {"calm": {"deep": 1}}})
    # The shapes before format 2: `outcome: null` in list, answers by id in show.
    row = {
        "role": "Nina",
        "project": "",
        "rounds": ["callback-1"],
        "notes": 1,
        "latest_round": "callback-1",
        "latest_date": None,
        "outcome": None,
        "next": None,
        "offbook": None,
    }
    assert not is_valid("list", {"format": 4, "roles": [row], "drafts": []})
    assert is_valid("list", {"format": 4, "roles": [{**row, "outcome": "pending"}], "drafts": []})
    # Format 3 had no `offbook`: a row without it is the old shape.
    pending = {**row, "outcome": "pending"}
    del pending["offbook"]
    assert not is_valid("list", {"format": 4, "roles": [pending], "drafts": []})
    bad_figure = {"right": 3, "total": 2, "percent": 150}
    assert not is_valid(
        "list", {"format": 4, "roles": [{**row, "outcome": "pending", "offbook": bad_figure}],
                 "drafts": []},
    )  # fmt: skip


# -- one note, one shape -----------------------------------------------------------------


def test_show_and_export_give_a_note_the_same_json(rich_home: Path, coach_bin: str) -> None:
    exported = json.loads(run(rich_home, coach_bin, "export", "notes", "--format", "json"))
    shown = json.loads(run(rich_home, coach_bin, "show", "Nina", "--json"))
    by_file = {n["file"]: n for n in exported["notes"]}
    notes = [n for r in shown["rounds"] for n in (*r["preps"], *r["reviews"])]
    assert len(notes) == 3
    for note in notes:
        assert note == by_file[note["file"]]


def test_the_coach_s_own_keys_have_their_own_fields(rich_home: Path, coach_bin: str) -> None:
    exported = json.loads(run(rich_home, coach_bin, "export", "notes", "--format", "json"))
    nina = [n for n in exported["notes"] if n["role"] == "Nina"]
    prep_1, review_1, prep_2 = nina
    assert review_1["prep_note"] == prep_1["file"]
    assert review_1["people_met"] == []
    assert prep_2["people_met"] == ["Anna (casting), the director"], "from the last review"
    assert prep_2["outcome"] == "hold" and prep_2["outcome_updated"]
    assert prep_1["outcome"] == "pending" and prep_1["outcome_updated"] is None
    for note in nina:
        assert note["extra"] == {}, "only keys the actor added are extra"
    (zoe,) = [n for n in exported["notes"] if n["role"] == "Zoë"]
    assert (zoe["medium"], zoe["casting_office"]) == ("film", "Anna & Co")
    assert zoe["extra"] == {
        "my_key": [1, 2],
        "when": "2026-09-01 10:00:00",  # timestamps stay the text typed (yamlio)
        "odd": "nan",
    }
    assert zoe["body"].endswith("My own paragraph.\n")


# -- skipped questions --------------------------------------------------------------------


def test_a_skipped_question_is_absent_however_the_note_was_written(home: Path) -> None:
    coach = Coach(home)
    given = {"refine-intention": {"want": "to be seen", "off-book": 3}}
    plan = coach.plan_prep("Nina", date="2026-11-20", checklist_ids=["refine-intention"])
    scripted = coach.save_answers(plan, given)
    # At the prompts a skipped text is "", a multiselect with nothing picked is [].
    skipped = {
        f"refine-intention.{q.id}": None if q.type == "select" else ""
        for q in plan.checklists[0].questions
    }
    skipped |= {"refine-intention.want": "to be seen", "refine-intention.off-book": 3}
    plan = coach.plan_prep("Nina", round_label="callback-2", checklist_ids=["refine-intention"])
    result = coach.run_session(plan, ScriptedAsker(skipped, choices=["save"]))
    interactive = read_note(result.note.path)
    assert read_note(scripted.path).answers == interactive.answers == given


def test_csv_has_a_row_per_answer_and_none_for_skipped_questions(home: Path) -> None:
    note = Note(
        meta={
            "kind": "prep",
            "role": "Nina",
            "round": "callback-1",
            "answers": {"refine-intention": {"want": "x", "obstacle": "", "beats": "  "}},
        }
    )
    catalogue = load_catalogue(paths.builtin_checklists_dir(), home / "checklists")
    rows = list(csv.DictReader(io.StringIO(FORMATS["csv"].notes([note], catalogue))))
    assert [(r["question_id"], r["answer"]) for r in rows] == [("want", "x")]
    (document,) = json_shapes.notes_json([note], catalogue)["notes"]
    assert document["checklists"][0]["answers"] == [
        {"id": "want", "prompt": document["checklists"][0]["answers"][0]["prompt"], "answer": "x"}
    ]


# -- list: people and scripts agree --------------------------------------------------------


def test_list_shows_people_the_outcome_the_json_gives(history: Coach, coach_bin: str) -> None:
    home = history.home
    table = run(home, coach_bin, "list")
    for row in json.loads(run(home, coach_bin, "list", "--json"))["roles"]:
        line = next(line for line in table.splitlines() if row["role"] in line)
        assert row["outcome"] in line.split()


# -- any note a hand edit can produce -------------------------------------------------------

BUILT_IN = load_catalogue(paths.builtin_checklists_dir(), Path("/nonexistent"))
YAML_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63),
    st.floats(),
    st.text(max_size=20),
    st.binary(max_size=8),
    st.dates(),
    st.datetimes(),
)
YAML_VALUES = st.recursive(
    YAML_SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers()), inner, max_size=4),
        st.frozensets(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
    ),
    max_leaves=12,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    extra=st.dictionaries(st.text(min_size=1, max_size=10), YAML_VALUES, max_size=5),
    answers=st.dictionaries(
        st.sampled_from(["refine-intention", "mindset", "gone"]),
        st.dictionaries(st.text(min_size=1, max_size=10), YAML_VALUES, max_size=4),
        max_size=3,
    ),
    details=st.fixed_dictionaries(
        {},
        optional={key: YAML_VALUES for key in (*json_shapes.DETAIL_KEYS, "outcome", "date")},
    ),
)
def test_any_hand_edited_note_gives_json_of_the_documented_shape(
    extra: dict, answers: dict, details: dict
) -> None:
    meta = {"kind": "prep", "role": "Nina", "round": "callback-1", **details, **extra}
    meta["answers"] = answers
    note = Note(meta=meta, path=Path("2026-11-20_x_nina_callback-1_prep.md"))
    document = json_shapes.notes_json([note], BUILT_IN)
    text = json.dumps(document, ensure_ascii=False, allow_nan=False)
    check("notes-export", json.loads(text))


def test_dates_and_times_in_a_note_are_given_as_iso_text() -> None:
    assert json_shapes.json_safe({"d": dt.date(2026, 11, 20), 3: {1, 2}}) == {
        "d": "2026-11-20",
        "3": [1, 2],
    }


def test_a_detail_given_as_an_answer_is_the_note_s_field(home: Path, coach_bin: str) -> None:
    """The medium and casting office the prep asks are the note's `medium` and
    `casting_office` in every note document (they were null: only a front-matter key was
    read), as list, card and calendar already took them."""
    run(
        home, coach_bin, "prep", "Nina", "--project", "The Seagull", "--date", "2026-11-20",
        "--set", "refine-intention.medium=TV", "--set", "logistics.casting-office=Anna & Co",
        "--set", "refine-intention.want=to be seen",
        "--defaults",
    )  # fmt: skip
    as_json = json.loads(run(home, coach_bin, "export", "notes", "--format", "json"))
    as_yaml = yaml.safe_load(run(home, coach_bin, "export", "notes", "--format", "yaml"))
    shown = json.loads(run(home, coach_bin, "show", "Nina", "--json"))
    for document in (as_json, as_yaml, {"notes": shown["rounds"][0]["preps"]}):
        (note,) = document["notes"]
        assert (note["medium"], note["casting_office"]) == ("TV", "Anna & Co")
    check("notes-export", as_json)
