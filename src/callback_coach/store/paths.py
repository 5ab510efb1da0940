"""Where everything lives. Every path derives from `coach_home()` (env `COACH_HOME`)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from callback_coach.store.fileio import usable_dir

APP_NAME = "callback-coach"
# The callback_coach package folder (checklists, data and schemas are installed inside it).
_PACKAGE = Path(__file__).resolve().parents[1]


def coach_home() -> Path:
    """The actor's private folder: `$COACH_HOME`, else the platform's user data folder."""
    env = os.environ.get("COACH_HOME")
    if env:
        return Path(env).expanduser().absolute()
    from platformdirs import user_data_path  # (a few ms: not needed with $COACH_HOME)

    return user_data_path(APP_NAME, appauthor=False)


def notes_dir(home: Path | None = None) -> Path:
    return (home or coach_home()) / "notes"


def drafts_dir(home: Path | None = None) -> Path:
    return (home or coach_home()) / "drafts"


def sides_dir(home: Path | None = None) -> Path:
    """The actor's imported sides (`coach sides add`): one folder per role, a readable
    YAML file per scene and its drill progress next to it."""
    return (home or coach_home()) / "sides"


def user_checklists_dir(home: Path | None = None) -> Path:
    return (home or coach_home()) / "checklists"


def cache_dir(home: Path | None = None) -> Path:
    """Derived data (never notes) lives outside the home, so syncing the home never conflicts.

    `$COACH_CACHE_DIR` overrides; otherwise the platform's user cache folder. Each home
    gets its own sub-folder, named by a hash of its path, so two homes never share a cache.
    """
    home = home or coach_home()
    env = os.environ.get("COACH_CACHE_DIR")
    if env:
        base = Path(env).expanduser().absolute()
    else:
        from platformdirs import user_cache_path  # (see `coach_home`)

        base = user_cache_path(APP_NAME, appauthor=False)
    digest = hashlib.sha256(str(home).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return base / digest


def fallback_cache_dir(home: Path | None = None) -> Path:
    """Where the cache goes when its own folder cannot be used (read-only, damaged, a file
    in its way): a folder of this user's in the system's temporary folder, the same for
    every coach of this user and home (so their locks still meet)."""
    import tempfile  # (it imports random and shutil: needed only here, and rarely)

    home = home or coach_home()
    digest = hashlib.sha256(str(home).encode("utf-8", "surrogatepass")).hexdigest()[:16]
    user = os.getuid() if hasattr(os, "getuid") else os.getlogin()
    return Path(tempfile.gettempdir()) / f"{APP_NAME}-{user}" / digest


def locks_dir(home: Path | None = None) -> Path:
    """The folder of the coach's lock files (per machine), made if missing: `locks` in the
    cache folder, else (the cache folder cannot be used) the same in the fallback cache
    folder: the cache never blocks the work."""
    return usable_dir(cache_dir(home) / "locks", fallback_cache_dir(home) / "locks")


def builtin_checklists_dir() -> Path:
    """The YAML checklists shipped with the package (inside the wheel).

    In a source checkout that has not been installed, fall back to the top-level
    `checklists/` folder, so the test suite also works against the source tree.
    """
    return _bundled("checklists")


def builtin_data_dir() -> Path:
    """Data shipped with the package besides checklists: breathing patterns, the drill bank.

    Installed as `callback_coach/data` (pyproject's force-include); in a source checkout,
    the top-level `data/` folder.
    """
    return _bundled("data")


def builtin_schemas_dir() -> Path:
    """The JSON Schemas of the coach's JSON output and of the files an actor writes
    (`coach schema`). Installed as `callback_coach/schemas` (pyproject's force-include);
    in a source checkout, the top-level `schemas/` folder."""
    return _bundled("schemas")


def _bundled(folder: str) -> Path:
    """A folder the wheel installs inside the package, else (a source checkout, or an
    editable install) the top-level folder of that name."""
    packaged = _PACKAGE / folder
    if packaged.is_dir():
        return packaged
    return _PACKAGE.parents[1] / folder


def user_breathing_file(home: Path | None = None) -> Path:
    """The actor's own breathing patterns (optional)."""
    return (home or coach_home()) / "breathing.yaml"


def user_drill_bank_file(home: Path | None = None) -> Path:
    """The actor's own director's notes for `coach drill` (optional)."""
    return (home or coach_home()) / "drill-notes.yaml"
