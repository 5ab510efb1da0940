"""`coach schema list|show`: every JSON Schema in schemas/ is listed and shown as the file
holds it, from the folder the package resolves (tests/test_packaging.py: the wheel's)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from callback_coach.cli.app import app
from callback_coach.errors import ExitCode
from callback_coach.store import paths

runner = CliRunner()
SCHEMAS = Path(__file__).resolve().parents[1] / "schemas"
FILES = sorted(SCHEMAS.glob("*.schema.json"))
NAMES = [file.name.removesuffix(".schema.json") for file in FILES]


def test_the_package_resolves_a_schemas_folder_holding_the_repository_s() -> None:
    """The source tree's own folder when run from it (an editable install), the copy
    installed with the package otherwise (CI installs it so): either way, the same files."""
    found = paths.builtin_schemas_dir()
    installed = sorted(found.glob("*.schema.json"))
    assert [file.name for file in installed] == [file.name for file in FILES]
    for mine, theirs in zip(installed, FILES, strict=True):
        assert mine.read_bytes() == theirs.read_bytes(), mine.name
    assert len(NAMES) >= 18 and "checklist" in NAMES and "today" in NAMES


def test_list_prints_every_schema_one_name_a_line(home: Path) -> None:
    result = runner.invoke(app, ["schema", "list"])
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == NAMES
    assert result.stderr == ""


def test_list_json_is_the_list_of_names_its_own_schema_describes(home: Path) -> None:
    result = runner.invoke(app, ["schema", "list", "--json"])
    assert result.exit_code == 0, result.stderr
    names = json.loads(result.stdout)
    assert names == NAMES
    own = json.loads((SCHEMAS / "schema-list.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(names, own)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([*names, names[0]], own)


@pytest.mark.parametrize("file", FILES, ids=lambda file: file.name)
def test_show_prints_the_schema_exactly_as_its_file(home: Path, file: Path) -> None:
    name = file.name.removesuffix(".schema.json")
    result = runner.invoke(app, ["schema", "show", name])
    assert result.exit_code == 0, result.stderr
    assert result.stdout == file.read_text(encoding="utf-8")
    assert result.stderr == ""
    jsonschema.Draft202012Validator.check_schema(json.loads(result.stdout))
    by_file_name = runner.invoke(app, ["schema", "show", file.name])
    assert by_file_name.exit_code == 0 and by_file_name.stdout == result.stdout


@pytest.mark.parametrize("name", ["nothing", "", "../pyproject", "LIST"])
def test_an_unknown_name_is_one_line_naming_the_known_ones_exit_2(home: Path, name: str) -> None:
    result = runner.invoke(app, ["schema", "show", name])
    assert result.exit_code == ExitCode.USAGE == 2
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith(f"error: no schema named '{name}': the schemas are ")
    assert line.split("the schemas are ", 1)[1].split(", ") == NAMES


def test_schema_names_complete(home: Path) -> None:
    from callback_coach.cli.schema_cmd import complete_schema

    assert complete_schema("to") == ["today"]
    assert complete_schema("checklist") == ["checklist", "checklists-export", "checklists-list"]
    assert complete_schema("") == NAMES


@pytest.mark.parametrize("args", [["schema"], ["schema", "list"], ["schema", "show"]])
def test_help_has_runnable_examples(home: Path, args: list[str]) -> None:
    result = runner.invoke(app, [*args, "--help"])
    assert result.exit_code == 0
    examples = result.stdout.split("Examples:\n", 1)[1].splitlines()
    assert examples and all(line.strip().startswith("coach schema ") for line in examples)
