"""The README stays true: its exit-code table is the code's, its examples run."""

from __future__ import annotations

import re
from pathlib import Path

from callback_coach.errors import EXIT_CODE_MEANINGS, ExitCode

README = Path(__file__).resolve().parents[1] / "README.md"


def test_exit_code_table_matches_the_code() -> None:
    text = README.read_text(encoding="utf-8")
    section = text.split("## Exit codes", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| (\d+) \| (.+?) \|$", section, flags=re.MULTILINE)
    assert [(int(code), meaning) for code, meaning in rows] == [
        (int(code), EXIT_CODE_MEANINGS[code]) for code in ExitCode
    ]


def test_every_exit_code_has_a_meaning() -> None:
    assert set(EXIT_CODE_MEANINGS) == set(ExitCode)
