"""The lines layer stays a pure core, and its heavy libraries load only where used:
`coach --help`, `coach list` and the sides listings never pay for pypdf, fsrs,
rapidfuzz or the voice."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .lines_helpers import SCREENPLAY, pdf_of_pages, pdf_pages_of, write
from .lines_scripted import import_sides

LINES = Path(__file__).resolve().parents[1] / "src" / "callback_coach" / "lines"
HEAVY = ("pypdf", "fsrs", "rapidfuzz", "pyttsx3")
# What the core may not import (the import-linter contract says the same).
FORBIDDEN = ("rich", "questionary", "prompt_toolkit", "typer", "click")
OTHER_LAYERS = tuple(
    f"callback_coach.{layer}" for layer in ("core", "day", "season", "exports", "cli")
)


def imported_names(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("path", sorted(LINES.rglob("*.py")), ids=lambda p: p.name)
def test_the_lines_core_imports_no_terminal_library_and_no_other_layer(path: Path) -> None:
    for name in imported_names(path):
        assert not name.startswith(FORBIDDEN), f"{path.name} imports {name}"
        assert not name.startswith(OTHER_LAYERS), f"{path.name} imports {name}"


def test_every_heavy_import_is_inside_a_function() -> None:
    for path in LINES.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:  # module level only
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else []
                module = getattr(node, "module", None) or ""
                for name in [*names, module]:
                    assert not name.startswith(HEAVY), f"{path.name} imports {name} at the top"


def loaded_after(args: list[str], home: Path) -> set[str]:
    """The heavy modules loaded by running `coach ARGS` in a fresh interpreter."""
    code = (
        "import sys\n"
        "from callback_coach.cli import app as cli\n"
        f"sys.argv = ['coach', *{args!r}]\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        f"print(sorted(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    env = {**os.environ, "COACH_HOME": str(home)}
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env
    )
    return set(ast.literal_eval(proc.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["list"],
        ["sides", "list"],
        ["sides", "show", "Zoe"],
        ["lines", "Zoe", "--list", "--json"],
        ["lines", "--help"],
    ],
    ids=" ".join,
)
def test_commands_that_need_no_heavy_library_load_none(home: Path, args: list[str]) -> None:
    import_sides(home)
    assert loaded_after(args, home) == set()


def test_the_pdf_library_loads_for_pdf_sides_only(home: Path, tmp_path: Path) -> None:
    text = write(tmp_path, "p.txt", SCREENPLAY)
    assert loaded_after(["sides", "add", "Zoe", str(text)], home) == set()
    pdf = write(tmp_path, "p.pdf", pdf_of_pages(pdf_pages_of(SCREENPLAY)))
    assert loaded_after(["sides", "add", "Zoe", str(pdf)], home) == {"pypdf"}
