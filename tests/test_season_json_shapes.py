"""The JSON of `coach stats`, `follow-ups`, `today` and `drill --list` has the shape its
schema in schemas/ describes: real output of each command on a realistic season, on an
empty home and on the edges (no outcome, done and lapsed follow-ups, hand edits, a drill
with the actor's own bank), and any season a hand edit can produce."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.rounds import build_roles
from callback_coach.core.workflow import Coach
from callback_coach.season import followups
from callback_coach.season import loading as season
from callback_coach.season.stats import BREAKDOWNS, season_stats
from callback_coach.season.today import today_view
from callback_coach.store.drafts import Draft, DraftStore
from callback_coach.store.facts import facts_of
from callback_coach.store.notes import Note

from .helpers import REVIEW, doc_section, prep, review
from .season_data import make_season
from .test_json_shapes import check, is_valid, schema

runner = CliRunner()
DAY = dt.date(2026, 11, 23)  # a Monday, after the season of season_data


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(season, "current_day", lambda: DAY)


def coach_json(*args: str) -> Any:
    """The JSON a command prints (in process, on the fixed day)."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def on_day(monkeypatch: pytest.MonkeyPatch, day: dt.date) -> None:
    monkeypatch.setattr(season, "current_day", lambda: day)


def add_follow_up(*args: str) -> str:
    result = runner.invoke(app, ["follow-ups", "add", *args])
    assert result.exit_code == 0, result.stderr
    return result.stdout.strip()


def set_front_matter_line(path: Path, after: str, lines: str) -> None:
    """A hand edit: `lines` added to a note's front matter after the line `after`."""
    text = path.read_text(encoding="utf-8")
    assert after in text
    path.write_text(text.replace(after, after + lines, 1), encoding="utf-8")


# -- the schemas ------------------------------------------------------------------------


def test_a_follow_up_has_one_shape_wherever_it_appears() -> None:
    assert schema("today")["$defs"]["follow_up"] == schema("follow-ups")["$defs"]["follow_up"]


def test_the_schemas_hold_the_rules_the_coach_keeps() -> None:
    item = {
        "id": "5c1e09a",
        "role": "Nina",
        "project": "",
        "round": "callback-1",
        "what": "Thank-you note",
        "for": None,
        "due": None,
        "done": None,
        "status": "open",
        "source": "review",
        "file": "2026-11-21__nina_callback-1_review.md",
        "since": "2026-11-21",
    }
    assert is_valid("follow-ups", {"format": 1, "follow_ups": [item]})
    for wrong in (
        {"status": "done"},  # done without a day
        {"done": "2026-11-22"},  # a day, still open
        {"status": "lapsed", "source": "added"},  # only a review's items lapse
        {"due": "friday"},
        {"since": ""},
        {"role": ""},  # a note with no role is not read
        {"note": "x"},
    ):
        assert not is_valid("follow-ups", {"format": 1, "follow_ups": [{**item, **wrong}]}), wrong
    drill = {
        "format": 1,
        "role": "Nina",
        "project": "",
        "round": "callback-1",
        "seed": 7,
        "medium": None,
        "notes": [
            {"id": "past-1", "text": "Less pleading", "tags": [], "source": "past direction"}
        ],
    }
    assert is_valid("drill-list", drill)
    for wrong_note in (
        {"id": "past-1", "text": "Less  pleading", "tags": [], "source": "past direction"},
        {"id": "past-1", "text": "Less pleading", "tags": ["tempo"], "source": "past direction"},
        {"id": "x", "text": "Less pleading", "tags": ["juggling"], "source": "bank"},
        {"id": "x", "text": "Less pleading", "tags": [], "source": "the internet"},
    ):
        assert not is_valid("drill-list", {**drill, "notes": [wrong_note]}), wrong_note
    assert not is_valid("drill-list", {**drill, "notes": []})
    assert not is_valid("drill-list", {**drill, "medium": "radio"})


# -- coach stats --json ---------------------------------------------------------------------


def test_stats_json_of_a_season_has_its_documented_shape(home: Path) -> None:
    make_season(home)
    every = coach_json("stats", "--json", "--by", ",".join(BREAKDOWNS))
    check("stats", every)
    assert set(every["breakdowns"]) == set(BREAKDOWNS)
    assert every["roles"] == 12 and every["now"]["open"] == 5  # Irina, Vanya: no outcome
    default = coach_json("stats", "--json")
    check("stats", default)
    assert set(default["breakdowns"]) == {"office", "medium", "month"}
    window = coach_json("stats", "--json", "--since", "2026-10-01", "--until", "2026-10-31")
    check("stats", window)
    assert (window["since"], window["until"], window["roles"]) == ("2026-10-01", "2026-10-31", 4)
    nothing = coach_json("stats", "--json", "--since", "2027-01-01")
    check("stats", nothing)
    assert nothing["roles"] == 0 and nothing["funnel"][1]["ratio"] is None


def test_stats_json_of_an_empty_home_has_its_documented_shape(home: Path) -> None:
    data = coach_json("stats", "--json", "--by", "month")
    check("stats", data)
    assert data["roles"] == 0 and data["breakdowns"] == {"month": []}
    assert data["booked_of_auditioned"]["ratio"] is None


def test_stats_json_of_roles_with_nothing_recorded(home: Path) -> None:
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")  # no outcome, no office, no medium
    undated = prep(c, "Sonya", date="2026-11-21")
    text = undated.read_text(encoding="utf-8")
    undated.write_text(re.sub(r"\ndate: [^\n]*\n", "\n", text, count=1), encoding="utf-8")
    data = coach_json("stats", "--json", "--by", "office,medium,project,month")
    check("stats", data)
    assert data["now"] == {"open": 2, "released": 0, "booked": 0}
    assert [g["key"] for g in data["breakdowns"]["month"]] == ["2026-11", None]
    assert [g["key"] for g in data["breakdowns"]["office"]] == [None]


# -- coach follow-ups --json ------------------------------------------------------------------


@pytest.fixture
def owed(home: Path) -> Coach:
    """Follow-ups of every kind: from a review's multiselect (ticked and not), from a
    review's text (with due days and a [x]), added with a due day and a person, one done
    with `coach follow-ups done`, and hand-written entries."""
    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    answers = {
        "after-the-room": {
            **REVIEW["after-the-room"],
            "follow-up": ["contact details of the people you met"],
        }
    }
    reviewed = review(c, answers=answers, outcome="callback", date="2026-11-21")
    # Hand edits: an entry with an id of its own, marked done with no day.
    set_front_matter_line(
        reviewed,
        "outcome: callback\n",
        "follow_ups:\n- id: MINE-1\n  what: Card to the reader\n  due: 2026-11-30\n"
        "follow_ups_done:\n  mine-1: true\n",
    )
    prep(c, "Sonya", project="Uncle Vanya", date="2026-11-02")
    answers = {
        "after-the-room": {
            **REVIEW["after-the-room"],
            "follow-up": ["contact details of the people you met"],
        }
    }
    review(c, "Sonya", answers=answers, outcome="pending", date="2026-11-02")
    add_follow_up("Nina", "Send the self-tape", "--due", "2026-11-25", "--for", "Anna")
    add_follow_up("Sonya", "Invite them to the show")
    open_items = coach_json("follow-ups", "--json")["follow_ups"]
    sonyas = [i for i in open_items if i["role"] == "Sonya" and i["source"] == "review"]
    assert runner.invoke(app, ["follow-ups", "done", sonyas[0]["id"]]).exit_code == 0
    return c


def test_follow_ups_json_has_its_documented_shape(owed: Coach) -> None:
    listed = coach_json("follow-ups", "--json")
    check("follow-ups", listed)
    assert {i["status"] for i in listed["follow_ups"]} == {"open"}
    every = coach_json("follow-ups", "--all", "--json")
    check("follow-ups", every)
    assert coach_json("follow-ups", "list", "--all", "--json") == every
    statuses = {
        (i["role"], i["what"]): (i["status"], i["source"], i["done"]) for i in every["follow_ups"]
    }
    assert statuses["Nina", "contact details of the people you met"] == (
        "done",
        "review",
        "2026-11-21",
    )
    assert statuses["Nina", "Card to the reader"] == ("done", "added", "yes")  # no day written
    assert statuses["Nina", "Send the self-tape"] == ("open", "added", None)
    assert ("done", "review", DAY.isoformat()) in [
        s for (role, _), s in statuses.items() if role == "Sonya"
    ]


def test_follow_ups_json_with_lapsed_items(owed: Coach, monkeypatch: pytest.MonkeyPatch) -> None:
    on_day(monkeypatch, DAY + dt.timedelta(days=40))
    every = coach_json("follow-ups", "--all", "--json")
    check("follow-ups", every)
    statuses = {i["status"] for i in every["follow_ups"]}
    assert statuses == {"open", "done", "lapsed"}
    assert {i["source"] for i in every["follow_ups"] if i["status"] == "lapsed"} == {"review"}
    check("follow-ups", coach_json("follow-ups", "--json"))


def test_follow_ups_json_of_an_empty_home(home: Path) -> None:
    data = coach_json("follow-ups", "--all", "--json")
    check("follow-ups", data)
    assert data == {"format": 1, "follow_ups": []}


# -- coach today --json ------------------------------------------------------------------------


@pytest.fixture
def busy_week(home: Path) -> Coach:
    """The season, and on the fixed day: a prepped callback with its time and place, an
    unfinished prep and review, one hand-edited draft, follow-ups due and undated."""
    c = make_season(home)
    plan = c.plan_prep("Nina", project="The Seagull", round_label="callback-3", date="2026-11-25")
    c.save_answers(
        plan,
        {
            "refine-intention": {"want": "to be seen"},
            "job": {"time": "2:30 pm", "place": "Studio 4"},
        },
    )
    store = DraftStore(home)
    store.save(
        Draft(
            kind="prep",
            role="Kostya",
            project="The Seagull",
            round="callback-1",
            date="2026-11-24",
            checklists=["refine-intention"],
            answers={"refine-intention": {"want": "to be loved"}},
            started="2026-11-22T20:00:00+00:00",
        )
    )
    store.save(
        Draft(
            kind="review",
            role="Vanya",
            project="Uncle Vanya",
            round="audition",
            date="2026-11-03",
            checklists=["after-the-room"],
            answers={},
            started="2026-11-22T21:00:00+00:00",
        )
    )
    # A draft edited by hand: its date is kept as written.
    path = store.save(
        Draft(
            kind="prep",
            role="Yasha",
            project="The Orchard",
            round="audition",
            date="2026-11-26",
            checklists=["refine-intention"],
            started="2026-11-23T08:00:00+00:00",
        )
    )
    path.write_text(
        path.read_text(encoding="utf-8").replace("2026-11-26", "2026-11-26 (morning)", 1),
        encoding="utf-8",
    )
    add_follow_up("Irina", "Send the tape", "--due", "2026-11-24")
    add_follow_up("Irina", "Late thank-you", "--due", "2026-11-01", "--for", "Bell Casting")
    add_follow_up("Boris", "Update my agent")
    return c


def test_today_json_has_its_documented_shape(busy_week: Coach) -> None:
    data = coach_json("today", "--json")
    check("today", data)
    assert [(c["role"], c["prepped"]) for c in data["callbacks"]] == [
        ("Kostya", False),
        ("Nina", True),
        ("Yasha", False),
    ]
    assert data["callbacks"][1]["time"] == "2:30 pm"
    assert data["callbacks"][2]["date"] == "2026-11-26 (morning)", "a draft's date as written"
    assert [r["role"] for r in data["to_review"]] == ["Irina", "Vanya"]
    assert [p["role"] for p in data["pending_outcomes"]] == ["Boris", "Olga", "Lopakhin"]
    assert [i["what"] for i in data["follow_ups"]] == ["Late thank-you", "Send the tape"]
    assert data["undated_follow_ups"] == 1
    assert {(d["kind"], d["role"]) for d in data["drafts"]} == {
        ("prep", "Kostya"),
        ("review", "Vanya"),
        ("prep", "Yasha"),
    }


def test_today_json_of_an_empty_home(home: Path) -> None:
    data = coach_json("today", "--json")
    check("today", data)
    assert data == {
        "format": 2,
        "today": DAY.isoformat(),
        "callbacks": [],
        "to_review": [],
        "follow_ups": [],
        "undated_follow_ups": 0,
        "drafts": [],
        "pending_outcomes": [],
    }


# -- coach drill ROLE --list --json ---------------------------------------------------------------

OWN_BANK = (
    "notes:\n"
    "  - id: again-no-note\n    text: Beautiful. Again, exactly that.\n    tags: [once-more]\n"
    "  - id: mine-accent\n    text: Try it in your own accent.\n    tags: [voice, stage]\n"
    "  - id: mine-whisper\n    text: Whisper the whole   thing.\n    tags: [voice]\n"
    "  - id: mine-chair\n    text: Stay in the chair this time.\n    tags: [physicality]\n"
    "  - id: mine-screen\n    text: Smaller, the camera is close.\n    tags: [tempo, screen]\n"
)


@pytest.fixture
def directed(home: Path) -> Coach:
    """A role with directions, a redirection plan and a medium, and the actor's own bank."""
    c = Coach(home)
    plan = c.plan_prep("Nina", project="The Seagull", date="2026-11-20")
    plan.extra["medium"] = "TV series"
    c.save_answers(
        plan,
        {
            "refine-intention": {"want": "to be seen"},
            "prepare-for-redirection": {"alternate-take": "Play it\nas a threat."},
        },
    )
    answers = {
        "after-the-room": {**REVIEW["after-the-room"], "direction": "- slower\n- more pride"}
    }
    review(c, answers=answers, outcome="callback", date="2026-11-21")
    prep(c, project="The Seagull", date="2026-11-25")
    (home / "drill-notes.yaml").write_text(OWN_BANK, encoding="utf-8")
    return c


def test_drill_list_json_has_its_documented_shape(directed: Coach) -> None:
    sources: set[str] = set()
    for seed in range(6):
        data = coach_json("drill", "Nina", "--list", "--json", "--seed", str(seed), "-n", "20")
        check("drill-list", data)
        assert (data["seed"], data["medium"], len(data["notes"])) == (seed, "screen", 20)
        sources |= {n["source"] for n in data["notes"]}
    assert sources == {"bank", "your bank", "past direction", "redirection plan"}
    stage = coach_json("drill", "Nina", "--json", "--medium", "stage", "--round", "producers")
    check("drill-list", stage)
    assert (stage["medium"], stage["round"]) == ("stage", "producers")


def test_drill_list_json_of_a_role_with_no_notes(home: Path) -> None:
    for args in (("Zoë",), ("Nina", "--project", "The Seagull", "-n", "1", "--seed", "0")):
        data = coach_json("drill", *args, "--json")
        check("drill-list", data)
        assert data["medium"] is None
        assert {n["source"] for n in data["notes"]} == {"bank"}


# -- any season a hand edit can produce -------------------------------------------------------------

TEXT = st.text(max_size=12)
DAYS = st.dates(min_value=dt.date(2026, 9, 1), max_value=dt.date(2027, 1, 31))
VALUES = st.one_of(
    st.none(), st.booleans(), st.integers(-5, 5000), TEXT, DAYS, st.lists(TEXT, max_size=3)
)
DAY_TEXT = st.one_of(DAYS.map(dt.date.isoformat), DAYS, TEXT, st.none())
OWN_IDS = st.sampled_from(["MINE-1", " mine-2 "])
ENTRY = st.one_of(
    VALUES,
    st.fixed_dictionaries(
        {"id": st.one_of(OWN_IDS, TEXT, st.none()), "what": st.one_of(TEXT, st.none())},
        optional={"for": VALUES, "due": DAY_TEXT, "added": DAY_TEXT},
    ),
)
FOLLOW_UP_ANSWER = st.one_of(
    st.lists(st.one_of(TEXT, st.sampled_from(["thank-you note sent", "contacts noted"]))),
    st.lists(st.sampled_from(["- [x] done", "Card by friday", "Tape due 2026-12-01", ""])).map(
        "\n".join
    ),
    VALUES,
)
NOTE_META = st.fixed_dictionaries(
    {
        "kind": st.sampled_from(["review", "review", "prep", "drill"]),
        "role": st.sampled_from(["Nina", "nina", "Sonya", "Zoë", "Zoe"]),
        "round": st.sampled_from(["audition", "callback-1", "callback-2", "producers"]),
        "answers": st.fixed_dictionaries(
            {"after-the-room": st.fixed_dictionaries({"follow-up": FOLLOW_UP_ANSWER})},
            optional={
                "owed": st.fixed_dictionaries({"follow-ups": FOLLOW_UP_ANSWER}),
                "job": st.fixed_dictionaries({}, optional={"time": VALUES, "medium": VALUES}),
            },
        ),
    },
    optional={
        "project": st.sampled_from(["", "The Seagull", "the seagull", "Uncle Vanya"]),
        "date": DAY_TEXT,
        "created": st.datetimes(dt.datetime(2026, 9, 1), dt.datetime(2027, 1, 31)).map(
            lambda t: t.isoformat(timespec="seconds")
        ),
        "outcome": st.one_of(st.sampled_from(["pending", "callback", "hold", "booked"]), VALUES),
        "outcome_updated": DAY_TEXT,
        "medium": VALUES,
        "casting_office": VALUES,
        "time": VALUES,
        "place": VALUES,
        "follow_ups": st.one_of(VALUES, st.lists(ENTRY, max_size=3)),
        "follow_ups_done": st.one_of(
            VALUES,
            st.dictionaries(
                st.one_of(st.sampled_from(["mine-1", "mine-2"]), TEXT),
                st.one_of(DAY_TEXT, st.booleans()),
                max_size=3,
            ),
        ),
    },
)
DRAFTS = st.lists(
    st.builds(
        Draft,
        kind=st.sampled_from(["prep", "review"]),
        role=st.sampled_from(["Nina", "Kostya"]),
        project=st.sampled_from(["", "The Seagull"]),
        round=st.sampled_from(["audition", "callback-1"]),
        date=st.one_of(DAYS.map(dt.date.isoformat), TEXT),
        checklists=st.just(["refine-intention"]),
        answers=st.just({"refine-intention": {"want": "x"}}),
        started=TEXT,
    ),
    max_size=3,
)


def dumped(data: Any) -> Any:
    """What print_json prints, read back."""
    return json.loads(json.dumps(data, ensure_ascii=False, allow_nan=False))


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(metas=st.lists(NOTE_META, max_size=6), drafts=DRAFTS, day=DAYS)
def test_any_season_gives_json_of_the_documented_shapes(
    metas: list[dict[str, Any]], drafts: list[Draft], day: dt.date
) -> None:
    facts = [facts_of(Note(meta=meta), f"note-{number}.md") for number, meta in enumerate(metas)]
    roles = build_roles(facts)
    check("stats", dumped(season_stats(roles, by=BREAKDOWNS).to_json()))
    check("stats", dumped(season_stats(roles, since=day, until=day, by=("month",)).to_json()))
    items = followups.collect(roles, lambda cid, qid: None, day)
    check("follow-ups", dumped({"format": 1, "follow_ups": [i.to_json() for i in items]}))
    check("today", dumped(today_view(roles, items, drafts, day).to_json()))


# -- the documented examples ------------------------------------------------------------------------

EXAMPLES = {
    "stats": "// coach stats --json",
    "follow-ups": "// coach follow-ups --json",
    "today": "// coach today --json",
    "drill-list": "// coach drill ",
}
# A name in capitals stands for a document shown in another example.
PLACEHOLDERS = {"FOLLOW-UP": "follow-ups"}


def documented_examples() -> dict[str, str]:
    """Each JSON example of docs/scripting.md's "JSON output", by the comment it starts with."""
    section = doc_section("scripting", "## JSON output")
    blocks = re.findall(r"```jsonc\n(.*?)```", section, flags=re.DOTALL)
    found: dict[str, str] = {}
    for block in blocks:
        for part in re.split(r"\n(?=// )", "\n" + block):
            part = part.strip()
            if part:
                found[part.splitlines()[0]] = part
    return found


def keys_in(example: str) -> set[str]:
    code = "\n".join(line.split("//", 1)[0] for line in example.splitlines()[1:])
    return set(re.findall(r'"([A-Za-z_]+)"\s*:', code))


def names_in(node: Any, *, required: bool) -> set[str]:
    """The property names a schema defines (or requires), at any depth."""
    names: set[str] = set()
    if isinstance(node, dict):
        if required:
            names.update(node.get("required", []))
        elif isinstance(node.get("properties"), dict):
            names.update(node["properties"])
        for value in node.values():
            names |= names_in(value, required=required)
    elif isinstance(node, list):
        for value in node:
            names |= names_in(value, required=required)
    return names


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_the_documented_examples_use_the_schemas_field_names(name: str) -> None:
    examples = documented_examples()
    (header,) = [h for h in examples if h.startswith(EXAMPLES[name])]
    example = examples[header]
    keys = keys_in(example)
    for placeholder, other in PLACEHOLDERS.items():
        if placeholder in example:
            (other_header,) = [h for h in examples if h.startswith(EXAMPLES[other])]
            keys |= keys_in(examples[other_header])
    assert keys - names_in(schema(name), required=False) == set(), "not in the schema"
    assert names_in(schema(name), required=True) - keys == set(), "missing from the example"
