"""The built wheel carries the checklists, the data and the JSON Schemas, and works from
any folder, in a fresh venv."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(ROOT)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    (built,) = out.glob("callback_coach-*.whl")
    return built


@pytest.fixture(scope="module")
def sdist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The source distribution, built by hatchling (the build backend) installed apart."""
    scratch = tmp_path_factory.mktemp("sdist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--target",
            str(scratch / "h"),
            "hatchling",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    code = f"from hatchling.build import build_sdist; print(build_sdist({str(scratch / 'out')!r}))"
    built = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(scratch / "h")},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return scratch / "out" / built.stdout.strip().splitlines()[-1]


def test_the_sdist_carries_the_license_the_changelog_and_the_docs(sdist: Path) -> None:
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
        license_text = archive.extractfile(f"{sdist.name.removesuffix('.tar.gz')}/LICENSE")
        assert license_text is not None
        assert license_text.read() == (ROOT / "LICENSE").read_bytes()
    wanted = {"LICENSE", "CHANGELOG.md", "README.md", ".ci/run"}
    wanted |= {f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")}
    wanted |= {f"schemas/{p.name}" for p in (ROOT / "schemas").glob("*.json")}
    assert wanted <= names, sorted(wanted - names)


def test_the_license_is_mit_as_pyproject_declares(wheel: Path) -> None:
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License\n\nCopyright (c) 2026 the callback-coach authors\n")
    assert 'license = "MIT"' in (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    shipped = [n for n in zipfile.ZipFile(wheel).namelist() if n.endswith("/LICENSE")]
    assert len(shipped) == 1 and ".dist-info/" in shipped[0]


def test_the_wheel_ships_every_checklist(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(
        n.rsplit("/", 1)[1] for n in names if n.startswith("callback_coach/checklists/")
    )
    # Every YAML file, and the folder's README (what each checklist covers) with them.
    assert shipped == sorted(p.name for p in (ROOT / "checklists").iterdir() if p.is_file())
    assert "closing-check.yaml" in shipped


def test_the_wheel_ships_the_breathing_patterns_and_the_drill_bank(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    shipped = sorted(n.rsplit("/", 1)[1] for n in names if n.startswith("callback_coach/data/"))
    assert shipped == sorted(p.name for p in (ROOT / "data").glob("*.yaml"))
    assert shipped == ["breathing.yaml", "drill-notes.yaml"]


def test_the_wheel_ships_every_json_schema(wheel: Path) -> None:
    archive = zipfile.ZipFile(wheel)
    prefix = "callback_coach/schemas/"
    shipped = sorted(n.removeprefix(prefix) for n in archive.namelist() if n.startswith(prefix))
    files = sorted((ROOT / "schemas").glob("*.schema.json"))
    assert shipped == [p.name for p in files]
    assert "schema-list.schema.json" in shipped
    for path in files:
        assert archive.read(prefix + path.name) == path.read_bytes(), path.name


def test_the_installed_wheel_works_outside_the_repo(wheel: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run(
        [
            bin_dir / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--no-index",
            str(wheel),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    # Dependencies come from the running environment, after the fresh venv's own packages.
    site = subprocess.run(
        [bin_dir / "python", "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "deps-from-test-env.pth").write_text(sysconfig.get_path("purelib") + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "COACH_HOME": str(tmp_path / "home"), "NO_COLOR": "1"}
    run = {"cwd": elsewhere, "env": env, "capture_output": True, "text": True, "timeout": 60}

    for folder in ("checklists", "data", "schemas"):
        # Each bundled folder is found inside the installed package, not in this checkout.
        code = f"from callback_coach.store import paths; print(paths.builtin_{folder}_dir())"
        where = subprocess.run([bin_dir / "python", "-c", code], **run)
        assert Path(where.stdout.strip()).is_relative_to(env_dir), where

    version = subprocess.run([bin_dir / "coach", "--version"], **run)
    assert version.returncode == 0 and version.stdout.startswith("coach ")

    patterns = subprocess.run([bin_dir / "coach", "breathe", "--list"], **run)
    assert patterns.returncode == 0 and patterns.stdout.startswith("box\t"), patterns
    drill = subprocess.run([bin_dir / "coach", "drill", "Nina", "--list", "--json"], **run)
    assert drill.returncode == 0 and '"source": "bank"' in drill.stdout, drill

    listed = subprocess.run([bin_dir / "coach", "schema", "list"], **run)
    names = sorted(p.name.removesuffix(".schema.json") for p in (ROOT / "schemas").glob("*.json"))
    assert listed.returncode == 0 and listed.stdout.splitlines() == names, listed
    today = subprocess.run([bin_dir / "coach", "schema", "show", "today"], **run)
    assert today.stdout == (ROOT / "schemas" / "today.schema.json").read_text(encoding="utf-8")

    prep = subprocess.run(
        [bin_dir / "coach", "prep", "Nina", "--answers", "-"],
        input='{"refine-intention": {"want": "to fly"}}',
        **{**run, "text": True},
    )
    assert prep.returncode == 0, prep.stderr
    assert "to fly" in Path(prep.stdout.strip()).read_text(encoding="utf-8")
