"""Every test runs in its own coach home, with plain, fixed-width output."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from callback_coach.cli import console


@pytest.fixture(autouse=True)
def isolated_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    monkeypatch.setenv("COACH_HOME", str(home))
    monkeypatch.setenv("COACH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    console.out.cache_clear()
    console.err.cache_clear()
    return home


@pytest.fixture
def home(isolated_home: Path) -> Path:
    return isolated_home


def installed_coach() -> str:
    """The `coach` installed next to the running interpreter (the README's install)."""
    candidate = Path(sys.executable).parent / ("coach.exe" if os.name == "nt" else "coach")
    assert candidate.exists(), (
        f"coach is not installed next to {sys.executable}: pip install .[test]"
    )
    return str(candidate)


@pytest.fixture
def coach_bin() -> str:
    return installed_coach()


@pytest.fixture
def history(home: Path):
    """Two roles: Nina (callback-1 prepped and reviewed, callback-2 prepped) and Sonya
    (callback-1 prepped and reviewed, released)."""
    from callback_coach.core.workflow import Coach

    from .helpers import prep, review

    c = Coach(home)
    prep(c, project="The Seagull", date="2026-11-20")
    review(c, outcome="callback", date="2026-11-21")
    prep(c, date="2026-11-24")
    prep(c, "Sonya", project="Uncle Vanya", date="2026-10-02")
    review(c, "Sonya", outcome="released", date="2026-10-03")
    return c
