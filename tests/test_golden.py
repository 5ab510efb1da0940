"""Exports of a fixed home are byte-identical to the golden files made before the
streaming exports (tests/golden/, written by `python -m tests.golden_home`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from .golden_home import GOLDEN, HOMES, build_home, exports_of


@pytest.mark.parametrize("name", sorted(HOMES))
def test_exports_match_the_golden_files(name: str, tmp_path: Path) -> None:
    home = build_home(tmp_path / "home", HOMES[name])
    expected = {
        str(p.relative_to(GOLDEN / name)): p.read_bytes()
        for p in sorted((GOLDEN / name).rglob("*"))
        if p.is_file()
    }
    assert expected, "golden files are missing: run python -m tests.golden_home"
    cache = tmp_path / "cache"
    first = exports_of(home, cache, tmp_path / "cold")  # builds the index
    assert sorted(first) == sorted(expected)
    for key, data in expected.items():
        assert first[key] == data, key
    # From a warm index, and again after one note changed: still the same bytes.
    assert exports_of(home, cache, tmp_path / "warm") == first
    notes = sorted((home / "notes").glob("*_prep.md"))
    notes[0].write_bytes(notes[0].read_bytes())  # a new mtime, the same text
    assert exports_of(home, cache, tmp_path / "touched") == first
