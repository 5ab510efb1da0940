"""The checklists' parsed YAML kept in the cache (yamlmemo): the same documents as a parse,
never stale, never an error, and no PyYAML import when it answers."""

from __future__ import annotations

import errno
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from callback_coach.core import checklist_load
from callback_coach.errors import ChecklistError
from callback_coach.store import paths, yamlio, yamlmemo


def shape(value: Any) -> Any:
    """A parse result as comparable data: every Node's kind, value and line."""
    if isinstance(value, list):
        return [shape(item) for item in value]
    if isinstance(value, tuple):
        return tuple(shape(item) for item in value)
    if isinstance(value, yamlio.Document):
        return ("doc", shape(value.value), value.line, [tuple(d) for d in value.duplicates])
    if isinstance(value, yamlio.Node):
        return (value.kind, shape(value.value), value.line, type(value.value).__name__)
    if isinstance(value, float):
        return repr(value)  # (NaN is not equal to itself)
    return value


def parsed_twice(text: str, file: Path) -> tuple[Any, Any]:
    """`text` through a memo that parses and keeps it, then through a new memo that
    reads it back from `file`."""
    first = yamlmemo.Memo(file)
    parsed = first.load_all(text)
    first.save()
    again = yamlmemo.Memo(file)
    kept = again.load_all(text)
    assert not again._new, "the second memo parsed the text again"
    return shape(parsed), shape(kept)


def builtin_texts() -> list[str]:
    return [p.read_text("utf-8") for p in sorted(paths.builtin_checklists_dir().glob("*.yaml"))]


def test_the_builtin_checklists_come_back_as_parsed(tmp_path: Path) -> None:
    for text in builtin_texts():
        parsed, kept = parsed_twice(text, tmp_path / "memo")
        assert kept == parsed == shape(yamlio.load_all(text))


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
)
data = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(documents=st.lists(data, min_size=1, max_size=3), flow=st.sampled_from([None, True, False]))
def test_any_documents_come_back_as_parsed(tmp_path_factory, documents, flow) -> None:
    text = yaml.safe_dump_all(documents, default_flow_style=flow, allow_unicode=True)
    file = tmp_path_factory.mktemp("memo") / "memo"
    parsed, kept = parsed_twice(text, file)
    assert kept == parsed


def test_duplicate_keys_and_empty_documents_are_kept_with_their_lines(tmp_path: Path) -> None:
    text = "a: 1\nb: [x, y]\na: 2\n---\n---\nc: {d: .nan}\n"
    parsed, kept = parsed_twice(text, tmp_path / "memo")
    assert kept == parsed
    assert kept[0][3] == [(3, "a")]


def test_another_text_is_parsed_not_taken_from_the_cache(tmp_path: Path) -> None:
    file = tmp_path / "memo"
    memo = yamlmemo.Memo(file)
    memo.load_all("a: 1\n")
    memo.save()
    again = yamlmemo.Memo(file)
    assert again.load_all("a: 2\n")[0].value.python() == {"a": 2}
    assert again._new


def test_a_text_that_does_not_parse_is_never_kept(tmp_path: Path) -> None:
    file = tmp_path / "memo"
    for _ in range(2):
        memo = yamlmemo.Memo(file)
        with pytest.raises(yamlio.ReadError) as raised:
            memo.load_all("a: [unclosed\n")
        assert raised.value.line == 2
        memo.save()
    assert not file.exists()


def test_another_reader_parses_again(tmp_path: Path, monkeypatch) -> None:
    file = tmp_path / "memo"
    memo = yamlmemo.Memo(file)
    memo.load_all("a: 1\n")
    memo.save()
    stamp = yamlmemo.reader_stamp()
    monkeypatch.setattr(yamlmemo, "reader_stamp", lambda: [*stamp, "another version"])
    again = yamlmemo.Memo(file)
    again.load_all("a: 1\n")
    assert again._new


def test_the_stamp_follows_the_readers_files(tmp_path: Path) -> None:
    stamp = yamlmemo.reader_stamp()
    files = [entry[0] for entry in stamp[1:]]
    assert files[0] == yamlio.__file__
    assert files[1].endswith("yamlquick.py")
    assert files[2] == yaml.__file__


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"\x00garbage",
        b"not marshal at all" * 100,
        "marshal of the wrong shape",
        "a node of an unknown kind",
        "a line that is not a number",
        "a scalar that is not plain data",
    ],
)
def test_a_damaged_cache_is_parsed_again_and_rewritten(tmp_path: Path, damage) -> None:
    import marshal

    file = tmp_path / "memo"
    text = "a: 1\nb: [x]\n"
    memo = yamlmemo.Memo(file)
    memo.load_all(text)
    memo.save()
    stamp, entries = marshal.loads(file.read_bytes())
    [(key, [[value, line, dups]])] = entries.items()
    if damage == "marshal of the wrong shape":
        damage = marshal.dumps({"a": 1})
    elif damage == "a node of an unknown kind":
        damage = marshal.dumps([stamp, {key: [[("tuple", [], 1), line, dups]]}])
    elif damage == "a line that is not a number":
        damage = marshal.dumps([stamp, {key: [[(value[0], value[1], "1"), line, dups]]}])
    elif damage == "a scalar that is not plain data":
        damage = marshal.dumps([stamp, {key: [[("scalar", b"bytes", 1), line, dups]]}])
    file.write_bytes(damage)
    again = yamlmemo.Memo(file)
    assert shape(again.load_all(text)) == shape(yamlio.load_all(text))
    assert again._new
    again.save()
    third = yamlmemo.Memo(file)
    third.load_all(text)
    assert not third._new


@pytest.mark.parametrize("error", [errno.EROFS, errno.ENOSPC, errno.EACCES])
def test_a_cache_that_cannot_be_written_is_skipped(tmp_path: Path, monkeypatch, error) -> None:
    from callback_coach.store import fileio

    def refuse(path: Path, data: bytes, **_: Any) -> None:
        raise fileio.storage_error(OSError(error, os.strerror(error)), path, "write")

    monkeypatch.setattr(fileio, "atomic_write_bytes", refuse)
    file = tmp_path / "cache" / yamlmemo.FILE_NAME
    catalogue = checklist_load.load_catalogue(paths.builtin_checklists_dir(), None, memo_file=file)
    assert catalogue.checklists
    assert not file.exists()


def test_a_cache_path_under_a_file_is_skipped(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would be", "utf-8")
    catalogue = checklist_load.load_catalogue(
        paths.builtin_checklists_dir(), None, memo_file=blocker / "sub" / yamlmemo.FILE_NAME
    )
    assert catalogue.checklists


def test_the_catalogue_is_the_same_from_the_cache(tmp_path: Path, home: Path) -> None:
    user = home / "checklists"
    user.mkdir(parents=True)
    (user / "mine.yaml").write_text(
        "id: mine\ntitle: Mine\nphase: prep\nversion: 1\n"
        "questions:\n  - {id: one, prompt: 'What is one thing?', type: text}\n",
        "utf-8",
    )
    file = tmp_path / "memo"
    first = checklist_load.load_catalogue(paths.builtin_checklists_dir(), user, memo_file=file)
    second = checklist_load.load_catalogue(paths.builtin_checklists_dir(), user, memo_file=file)
    assert first == second
    assert [c.id for c in second.checklists][-1] == "mine"


def test_an_edited_checklist_is_read_as_edited(tmp_path: Path, home: Path) -> None:
    user = home / "checklists"
    user.mkdir(parents=True)
    mine = user / "mine.yaml"
    body = "id: mine\ntitle: {}\nphase: prep\nversion: 1\nquestions:\n  - {{id: one, prompt: 'What?', type: text}}\n"
    mine.write_text(body.format("Mine"), "utf-8")
    file = tmp_path / "memo"
    checklist_load.load_catalogue(paths.builtin_checklists_dir(), user, memo_file=file)
    mine.write_text(body.format("Mine, edited"), "utf-8")
    catalogue = checklist_load.load_catalogue(paths.builtin_checklists_dir(), user, memo_file=file)
    assert catalogue.get("mine").title == "Mine, edited"
    mine.write_text(body.format("Mine") + "  - {id: one, prompt: 'Again?', type: text}\n", "utf-8")
    for _ in range(2):  # parsed, then from the cache: the same problem on the same line
        with pytest.raises(ChecklistError) as raised:
            checklist_load.load_catalogue(paths.builtin_checklists_dir(), user, memo_file=file)
        assert any(
            line.endswith(":7: duplicate question id 'one' (first on line 6)")
            for line in raised.value.details
        )


def test_a_memo_keeps_only_the_texts_still_in_use(tmp_path: Path) -> None:
    import marshal

    file = tmp_path / "memo"
    memo = yamlmemo.Memo(file)
    memo.load_all("a: 1\n")
    memo.load_all("b: 1\n")
    memo.save()
    memo = yamlmemo.Memo(file)
    memo.load_all("a: 1\n")
    memo.save()
    assert len(marshal.loads(file.read_bytes())[1]) == 1
    assert oct(file.stat().st_mode & 0o777) == "0o600"


def test_a_prep_command_loads_the_checklists_without_pyyaml(home: Path) -> None:
    code = (
        "import sys\n"
        "from callback_coach.core.workflow import Coach\n"
        "from pathlib import Path\n"
        "coach = Coach(Path(sys.argv[1]))\n"
        "assert coach.catalogue().checklists\n"
        "print('yaml' in sys.modules)\n"
    )
    env = dict(os.environ)
    runs = [
        subprocess.run(
            [sys.executable, "-c", code, str(home)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        ).stdout
        for _ in range(2)
    ]
    assert runs == ["True\n", "False\n"]  # parsed once, then from the cache


def test_the_notes_the_coach_writes_are_read_without_pyyaml(home: Path) -> None:
    """Every answer type a checklist has, every choice of every built-in select, in a
    prep and a review, and a note read back: no value sends the reader to PyYAML (which
    a command would then import: ~10 ms, e.g. on the first `list` after a note changed)."""
    from callback_coach.core.workflow import Coach

    from .helpers import full_answers

    coach = Coach(home)
    for phase in ("prep", "review"):
        checklists = coach.select_checklists(phase, None)
        for pick in (0, -1):
            answers = full_answers(checklists)
            for c in checklists:
                for q in c.questions:
                    if q.type == "select":
                        answers[c.id][q.id] = q.choices[pick]
                    elif q.type == "scale":
                        answers[c.id][q.id] = q.min if pick == 0 else q.max
                    elif q.type == "confirm":
                        answers[c.id][q.id] = pick == 0
            plan = (coach.plan_prep if phase == "prep" else coach.plan_review)(
                f"Nina {pick}", project="The Seagull", date="2026-11-20"
            )
            if phase == "prep":
                plan.extra.update({"time": "14:30", "place": "Studio 4", "medium": "TV"})
            coach.save_answers(plan, answers)
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "from callback_coach.store.notes import read_note\n"
        "notes = sorted(Path(sys.argv[1]).glob('*.md'))\n"
        "assert len(notes) == 4 and all(read_note(p).answers for p in notes)\n"
        "print('yaml' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(home / "notes")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "False\n"
