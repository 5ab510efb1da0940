"""The commands the coach suggests (hints), written so they run as shown when copied.

Every hint is quoted for a POSIX shell, its arguments (a role) before its options; when an
argument starts with a dash, the options come first and `--` before the arguments (a role
named `-Nina` is not an option).
Placeholders the actor replaces (OUTCOME) are left bare.
"""

from __future__ import annotations

import shlex
from collections.abc import Mapping, Sequence

from callback_coach.store.drafts import Draft

PLACEHOLDERS = frozenset(["OUTCOME"])


def command_line(
    words: Sequence[str], args: Sequence[str] = (), options: Sequence[str] = ()
) -> str:
    """`coach WORDS ARGS OPTIONS`, each quoted as a shell needs it; `coach WORDS OPTIONS --
    ARGS` when an argument starts with a dash."""
    if any(arg.startswith("-") for arg in args):
        parts = ["coach", *words, *options, "--", *args]
    else:
        parts = ["coach", *words, *args, *options]
    return " ".join(p if p in PLACEHOLDERS else shlex.quote(p) for p in parts)


def command(
    word: str,
    *args: str,
    project: str | None = None,
    round_label: str | None = None,
    options: Sequence[str] = (),
) -> str:
    """A hint `coach WORD ARGS`, with --project and --round when given, then `options`."""
    given = ["--project", project] if project else []
    if round_label:
        given += ["--round", round_label]
    return command_line([word], args, [*given, *options])


def resume_command(
    kind: str,
    role: str,
    project: str,
    round_label: str,
    date: str,
    *,
    path: str | None = None,
    chosen: list[str] | None = None,
    seconds: int | None = None,
) -> str:
    """The command that resumes a session with every option it was started with."""
    options = []
    if kind == "drill" and seconds is not None:
        options += ["--seconds", str(seconds)]
    if kind in ("prep", "review") and date:
        options += ["--date", date]
    if kind == "prep":
        options += path_options(path, chosen)
    return command(kind, role, project=project or None, round_label=round_label, options=options)


def path_options(path: str | None, chosen: list[str] | None, *, full: bool = False) -> list[str]:
    """A prep's path as options: --quick, each -c (and --full, when `full` asks for it:
    the full path is the one taken without options)."""
    options = ["--quick"] if path == "quick" else ["--full"] if full and path == "full" else []
    for cid in chosen or []:
        options += ["-c", cid]
    return options


def resume(draft: Draft) -> str:
    """The command that resumes an unfinished session as it was started."""
    return resume_command(
        draft.kind,
        draft.role,
        draft.project,
        draft.round,
        draft.date,
        path=draft.path_taken(),
        chosen=draft.chosen,
        seconds=drill_seconds(draft.extra),
    )


def drill_seconds(extra: Mapping[str, object]) -> int | None:
    """The seconds to play each note that a drill was started with, when not the default
    (kept in its draft's and note's `drill` meta only then), from a session's extra keys."""
    meta = extra.get("drill")
    seconds = meta.get("seconds") if isinstance(meta, dict) else None
    return seconds if isinstance(seconds, int) and not isinstance(seconds, bool) else None
