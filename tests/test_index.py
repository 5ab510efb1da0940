"""The notes index (SQLite in the cache folder): built, updated a note at a time, and
rebuilt or bypassed when it is missing, damaged, locked, read-only or from another schema
version. Every command answers the same and no note is ever touched."""

from __future__ import annotations

import contextlib
import itertools
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.core.rounds import summarize
from callback_coach.core.workflow import Coach
from callback_coach.store import index as index_module
from callback_coach.store import paths
from callback_coach.store.index import NoteIndex
from callback_coach.store.index import index as index_code
from callback_coach.store.index import refresh as index_refresh
from callback_coach.store.index import rows as index_rows
from callback_coach.store.slugs import search_fold

from .helpers import prep
from .test_emitters import notes as emitter_notes

runner = CliRunner()
COMMANDS = (
    ("list", "--json"),
    ("show", "Nina", "--json"),
    ("search", "pride", "--json"),
    ("search", "PR", "--json"),
    ("export", "notes", "--format", "json"),
    ("export", "notes", "--format", "yaml"),
)


def answers() -> list[str]:
    """What every command prints; each must succeed without a word on stderr."""
    found = []
    for args in COMMANDS:
        result = runner.invoke(app, list(args))
        assert result.exit_code == 0, (args, result.stderr)
        assert result.stderr == "", (args, result.stderr)
        found.append(result.stdout)
    return found


def snapshot(home: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in (home / "notes").iterdir()}


def db_path(home: Path) -> Path:
    return paths.cache_dir(home) / index_module.DB_NAME


def checkpoint(home: Path) -> None:
    """Move everything from the write-ahead log into the database file."""
    with contextlib.closing(sqlite3.connect(db_path(home))) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def remove_db(home: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{db_path(home)}{suffix}")


@pytest.fixture
def expected(history: Coach, home: Path) -> list[str]:
    """The answers of a home with a freshly built index."""
    found = answers()
    assert db_path(home).exists() and not db_path(home).is_relative_to(home)
    return found


def damage_truncated(home: Path) -> None:
    checkpoint(home)
    data = db_path(home).read_bytes()
    db_path(home).write_bytes(data[: len(data) // 2])


def damage_garbage(home: Path) -> None:
    remove_db(home)
    db_path(home).write_bytes(os.urandom(3000) + b"SQLite format 3\x00" + os.urandom(5000))


def damage_header_kept(home: Path) -> None:
    # A valid header, then pages of noise: found damaged only when a page is read.
    checkpoint(home)
    data = bytearray(db_path(home).read_bytes())
    data[4096:] = os.urandom(len(data) - 4096)
    db_path(home).write_bytes(bytes(data))


def damage_older_schema(home: Path) -> None:
    remove_db(home)
    with contextlib.closing(sqlite3.connect(db_path(home))) as db:
        db.execute("CREATE TABLE notes (file TEXT, summary BLOB)")
        db.execute("INSERT INTO notes VALUES ('x.md', 'old')")
        db.execute("PRAGMA user_version = 0")
        db.commit()


def damage_newer_schema(home: Path) -> None:
    checkpoint(home)
    with contextlib.closing(sqlite3.connect(db_path(home))) as db:
        db.execute(f"PRAGMA user_version = {index_module.SCHEMA_VERSION + 7}")
        db.execute("DELETE FROM roles")
        db.commit()


def damage_other_home(home: Path) -> None:
    with contextlib.closing(sqlite3.connect(db_path(home))) as db:
        db.execute("UPDATE state SET value = '/somewhere/else' WHERE key = 'home'")
        db.execute("DELETE FROM roles")
        db.commit()


@pytest.mark.parametrize(
    "damage",
    [
        remove_db,
        damage_truncated,
        damage_garbage,
        damage_header_kept,
        damage_older_schema,
        damage_newer_schema,
        damage_other_home,
    ],
)
def test_a_damaged_index_is_rebuilt(expected: list[str], home: Path, damage) -> None:
    before = snapshot(home)
    damage(home)
    assert answers() == expected
    assert snapshot(home) == before, "no note is touched"
    # Rebuilt, not bypassed: the next run finds a good index again.
    index = NoteIndex(home, summarize)
    index.note_rows()
    assert not index.bypassed
    with contextlib.closing(sqlite3.connect(db_path(home))) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == index_module.SCHEMA_VERSION
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_the_index_follows_each_changed_note_and_reads_only_that_one(
    history: Coach, home: Path, monkeypatch
) -> None:
    index = NoteIndex(home, summarize)
    index.note_rows()
    index.close()
    note = next(p for p in (home / "notes").iterdir() if "review" in p.name and "nina" in p.name)
    note.write_text(note.read_text().replace("more pride", "more grace"), encoding="utf-8")
    reads: list[Path] = []
    real_read = index_rows.read_note
    monkeypatch.setattr(index_rows, "read_note", lambda p: reads.append(p) or real_read(p))
    assert [h[2] for h in NoteIndex(home, summarize).search("grace")] == ["more grace"]
    assert reads == [note]
    # The carried-over copy in the next prep still says "more pride".
    assert [h[0].file for h in NoteIndex(home, summarize).search("more pride")] != [note.name]
    note.unlink()
    assert all(s.file != note.name for s in NoteIndex(home, summarize).note_rows())
    assert NoteIndex(home, summarize).search("grace") == []
    assert reads == [note], "a removed note is not read"


def test_a_new_note_and_a_new_role_appear(expected: list[str], home: Path) -> None:
    prep(Coach(home), "Masha", project="Three Sisters", date="2026-12-01")
    data = runner.invoke(app, ["list", "--json"]).stdout
    assert '"role": "Masha"' in data and data != expected[0]


def test_a_locked_index_is_gone_around(expected: list[str], home: Path, monkeypatch) -> None:
    monkeypatch.setattr(index_refresh, "BUSY_TIMEOUT_MS", 50)
    remove_db(home)
    # Another coach holds the write lock of a new, empty index for the whole run.
    holder = sqlite3.connect(db_path(home), isolation_level=None)
    holder.execute("PRAGMA journal_mode=WAL")
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("CREATE TABLE other (x)")
    try:
        before = snapshot(home)
        assert answers() == expected
        assert snapshot(home) == before
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answers() == expected


def test_a_cache_folder_that_cannot_be_made(expected: list[str], home: Path, tmp_path, monkeypatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("COACH_CACHE_DIR", str(blocker / "cache"))
    before = snapshot(home)
    assert answers() == expected
    assert snapshot(home) == before
    assert blocker.read_text() == "not a folder"


def test_a_read_only_index(expected: list[str], home: Path, monkeypatch) -> None:
    # A stale index that can be read but not written (a read-only folder or file system):
    # SQLite opened read-only refuses every write the way such a folder does, for root too.
    prep(Coach(home), "Masha", project="Three Sisters", date="2026-12-01")
    fresh = answers()
    prep(Coach(home), "Olga", project="Three Sisters", date="2026-12-02")
    checkpoint(home)
    real_connect = sqlite3.connect

    def read_only(target, *args, **kwargs):
        if target:
            return real_connect(f"file:{target}?mode=ro", *args, uri=True, **kwargs)
        return real_connect(target, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(index_code.sqlite3, "connect", read_only)
        before = snapshot(home)
        stale_bytes = db_path(home).read_bytes()
        now = answers()
        assert now != fresh and '"role": "Olga"' in now[0]
        assert snapshot(home) == before
        assert db_path(home).read_bytes() == stale_bytes
    assert answers() == now


@pytest.mark.skipif(os.geteuid() == 0, reason="permissions do not bind root")
def test_a_read_only_cache_folder(expected: list[str], home: Path) -> None:
    prep(Coach(home), "Masha", project="Three Sisters", date="2026-12-01")
    folder = paths.cache_dir(home)
    folder.chmod(0o500)
    try:
        result = runner.invoke(app, ["list", "--json"])
        assert result.exit_code == 0 and result.stderr == ""
        assert '"role": "Masha"' in result.stdout
    finally:
        folder.chmod(0o700)


def test_two_processes_refreshing_at_once(expected: list[str], home: Path) -> None:
    remove_db(home)
    for note in (home / "notes").iterdir():
        note.write_bytes(note.read_bytes())  # every stamp changes
    before = snapshot(home)
    env = {**os.environ, "COACH_HOME": str(home)}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "callback_coach", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            stdin=subprocess.DEVNULL,
        )
        for args in (COMMANDS[0], COMMANDS[4], COMMANDS[0], COMMANDS[2])
    ]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0, 0]
    assert [err for _, err in outputs] == [b"", b"", b"", b""]
    got = [out.decode() for out, _ in outputs]
    assert got == [expected[0], expected[4], expected[0], expected[2]]
    assert snapshot(home) == before
    assert answers() == expected


# -- search: the actor's own words only ----------------------------------------------------


def search(text: str, *extra: str) -> list[tuple[str, str, str]]:
    import json

    result = runner.invoke(app, ["search", text, "--json", *extra])
    assert result.exit_code == 0, result.stderr
    return [(m["kind"], m["where"], m["line"]) for m in json.loads(result.stdout)["matches"]]


def test_search_skips_the_coach_heading_and_hint(home: Path) -> None:
    path = prep(Coach(home), project="The Seagull", date="2026-11-20")
    text = path.read_text(encoding="utf-8")
    assert "# Nina · The Seagull · callback-1 (prep)" in text
    assert search("prep") == [] and search("Seagull") == []
    assert search("the coach never changes") == []
    path.write_text(
        text + "\nMy prep: run lines twice.\n# Nina · The Seagull · callback-1 (prep)\n"
    )
    assert search("prep") == [
        ("prep", "body", "My prep: run lines twice."),
        # the same words written again further down are the actor's
        ("prep", "body", "# Nina · The Seagull · callback-1 (prep)"),
    ]


def test_search_ignores_case_and_accents(home: Path) -> None:
    """`ete` finds `été` and `lukasz` finds `Łukasz`, as names already matched."""
    path = prep(Coach(home), project="The Seagull", date="2026-11-20")
    path.write_text(
        path.read_text() + "\nZoë had the ÉTÉ scene with Łukasz; Straße.\n", encoding="utf-8"
    )
    want = ("prep", "refine-intention.want", "to be seen")
    line = ("prep", "body", "Zoë had the ÉTÉ scene with Łukasz; Straße.")
    for needle in ("zoË", "zoe had", "été", "ete", "ÉTÉ", "STRASSE", "strasse", "ß", "lukasz"):
        assert search(needle) == [line], needle
    assert search("é") == [want, line], "é is e: 'seen' holds one too"
    assert search("to be seen") == [want]


def test_search_for_text_holding_a_nul_is_a_plain_search(home: Path) -> None:
    # The full-text query syntax cannot hold a NUL ("unterminated string"): such a search
    # scans the words instead, and the index is neither rebuilt nor an error.
    path = prep(Coach(home), project="The Seagull", date="2026-11-20")
    path.write_text(path.read_text() + "\nline 00\x00 with a NUL\n", encoding="utf-8")
    assert search("00\x00") == [("prep", "body", "line 00\x00 with a NUL")]
    assert search("zz\x00z") == []


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(needle=st.text(st.sampled_from("aeprdMoé ÉßS.ẞ\"'*%_-"), min_size=1, max_size=5))
def test_full_text_and_scan_find_the_same_lines(history: Coach, home: Path, needle: str) -> None:
    path = sorted((home / "notes").iterdir())[0]
    if "Straße" not in path.read_text():
        path.write_text(path.read_text() + '\nMore pride, "Straße" 50% *é* ẞ_x\n')
    index = NoteIndex(home, summarize)
    index.search("pride")  # makes the full-text table (a needle of 3 or more)
    with_fts = index.search(needle)
    made = index.db().execute("SELECT 1 FROM sqlite_master WHERE name = 'search'").fetchone()
    assert bool(made) == index_module.fts5_trigram_available()
    index_code._FTS5 = False  # (set on the package, as it was, it forced nothing)
    try:
        scanned = NoteIndex(home, summarize).search(needle)
    finally:
        index_code._FTS5 = None
    assert [(s.file, w, line) for s, w, line in with_fts] == [
        (s.file, w, line) for s, w, line in scanned
    ]
    folded = search_fold(needle)
    assert all(folded in search_fold(line) for _, _, line in with_fts)


def test_core_modules_load_neither_rich_nor_questionary(history: Coach, home: Path) -> None:
    code = (
        "import sys\n"
        "from pathlib import Path\n"
        "import callback_coach.store.index, callback_coach.core.rounds, callback_coach.exports.formats\n"
        "import callback_coach.store.notes, callback_coach.core.session\n"
        "from callback_coach.exports.exporting import export_notes, export_text\n"
        "from callback_coach.core.workflow import Coach\n"
        "from callback_coach.exports.formats import NoteFilter\n"
        "coach = Coach(Path(sys.argv[1]))\n"
        "assert coach.search('pride') and coach.list_roles()\n"
        "for fmt in ('md', 'json', 'yaml', 'csv'):\n"
        "    assert ''.join(export_text(coach, export_notes(coach, NoteFilter()), fmt))\n"
        "print(sorted(m for m in ('rich', 'questionary', 'prompt_toolkit') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(home)], capture_output=True, text=True, check=True
    )
    assert result.stdout == "[]\n"


def test_roles_made_in_one_pass_are_the_ones_made_one_by_one(
    expected: list[str], home: Path, monkeypatch
) -> None:
    """A first build sums up every role from one pass over the notes; a few changed
    roles, one query each: the rows are the same either way."""
    remove_db(home)
    one_by_one = NoteIndex(home, summarize)
    rows = one_by_one.db().execute("SELECT * FROM roles ORDER BY role_key, project_key").fetchall()
    one_by_one.close()
    assert len(rows) > 1
    remove_db(home)
    monkeypatch.setattr(index_refresh, "ROLES_ONE_BY_ONE", 0)
    in_one_pass = NoteIndex(home, summarize)
    again = in_one_pass.db().execute("SELECT * FROM roles ORDER BY role_key, project_key")
    assert again.fetchall() == rows
    in_one_pass.close()
    assert answers() == expected


@settings(max_examples=300, deadline=None)
@given(note=emitter_notes())
def test_the_searched_words_are_the_actor_s_lines_folded(note) -> None:
    """`folded_words` (made for every note read) is `actor_lines` with case and accents
    folded (`search_fold`), one per line."""
    from callback_coach.store.index import actor_lines, folded_words

    expected = "\n".join(search_fold(line) for _, line in actor_lines(note))
    assert folded_words(note) == expected


def test_the_installed_coach_sees_each_change_in_a_large_folder(home: Path, coach_bin: str) -> None:
    import json

    folder = home / "notes"
    folder.mkdir(parents=True)
    for n in range(1500):
        (folder / f"2026-01-01_role-{n:04}_callback-1_prep.md").write_text(
            f"---\nkind: prep\nrole: Role {n:04}\nround: callback-1\n---\n", encoding="utf-8"
        )

    def roles() -> list[str]:
        done = subprocess.run(
            [coach_bin, "list", "--json"], capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0, done.stderr
        return sorted(r["role"] for r in json.loads(done.stdout)["roles"])

    assert len(roles()) == 1500
    edited = folder / "2026-01-01_role-0007_callback-1_prep.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace("0007", "Seven"), "utf-8")
    assert "Role Seven" in roles() and "Role 0007" not in roles()
    edited.unlink()
    assert len(roles()) == 1499


def test_every_command_goes_around_an_index_another_coach_is_writing(
    history: Coach, home: Path
) -> None:
    """An index held by another process's write transaction is waited for at most a
    moment (BUSY_TIMEOUT_MS), then gone around: the season commands too answer as usual."""
    commands = (
        ["stats", "--json"], ["today", "--json"], ["follow-ups", "--all", "--json"],
        ["export", "calendar"], ["list", "--json"], ["search", "pride", "--json"],
    )  # fmt: skip
    before = [runner.invoke(app, args).stdout for args in commands]
    holder = sqlite3.connect(db_path(home), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE state SET value = value")
    try:
        for args, expected in zip(commands, before, strict=True):
            result = runner.invoke(app, args)
            assert result.exit_code == 0, (args, result.stderr)
            assert result.stdout == expected
    finally:
        holder.execute("ROLLBACK")
        holder.close()


@pytest.mark.parametrize("blocked", ["locks", "cache"])
def test_a_cache_or_lock_folder_in_the_way_never_stops_a_prep(
    home: Path, tmp_path: Path, monkeypatch, blocked: str
) -> None:
    """A file where the lock folder (or the whole cache folder) should be: the locks go
    to a private temporary folder and the prep is saved."""
    cache = paths.cache_dir(home)
    cache.parent.mkdir(parents=True, exist_ok=True)
    if blocked == "locks":
        cache.mkdir(parents=True, exist_ok=True)
        (cache / "locks").write_text("not a folder")
    else:
        cache.write_text("not a folder")
    monkeypatch.setattr("tempfile.tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    result = runner.invoke(app, ["prep", "Nina", "--set", "refine-intention.want=x"])
    assert result.exit_code == 0, result.stderr
    assert list((tmp_path / "tmp").glob("callback-coach-*/*/locks/*.lock"))
    assert runner.invoke(app, ["outcome", "Nina", "hold"]).exit_code == 0


@settings(max_examples=300, deadline=None)
@given(
    line=st.text(st.sampled_from("aeEéÉèzZoØøßẞŁł  .\u0301"), max_size=20),
    needle=st.text(st.sampled_from("aeEéÉzoøßłl"), min_size=1, max_size=3),
)
def test_a_match_is_highlighted_where_it_is_in_the_actor_s_spelling(line: str, needle: str) -> None:
    """Each span `search_spans` gives is a piece of the line that folds to the needle, they
    do not overlap, and there are as many as the folded line holds."""
    from callback_coach.store.slugs import search_spans

    spans = search_spans(line, needle)
    key = search_fold(needle)
    for start, end in spans:
        assert key in search_fold(line[start:end])
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))
    assert len(spans) == search_fold(line).count(key)
