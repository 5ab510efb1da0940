"""One error hierarchy; every error carries the exit code the CLI returns for it.

The table in docs/exit-codes.md is kept the same as `ExitCode` by a test.
"""

from __future__ import annotations

import enum
from collections.abc import Sequence


class ExitCode(enum.IntEnum):
    """Every exit code the coach uses, with the meaning docs/exit-codes.md gives it."""

    OK = 0
    ERROR = 1
    USAGE = 2
    CHECKLIST_INVALID = 3
    ANSWERS_INVALID = 4
    NOT_FOUND = 5
    NO_TERMINAL = 6
    STORAGE = 7
    AMBIGUOUS = 8
    EXISTS = 9
    SIDES_UNREADABLE = 10
    INTERRUPTED = 130
    OUTPUT_CLOSED = 141


EXIT_CODE_MEANINGS: dict[ExitCode, str] = {
    ExitCode.OK: "success (a note saved, an export written, or a discard you asked for)",
    ExitCode.ERROR: "an unexpected error (a bug: please report it)",
    ExitCode.USAGE: "bad command-line usage: an unknown option, a malformed date or round, "
    "an --output where a file would replace a device, pipe or folder, or in the notes folder",
    ExitCode.CHECKLIST_INVALID: "a checklist, breathing or drill file is invalid (every problem is listed)",
    ExitCode.ANSWERS_INVALID: "an answers file or value is invalid (every problem is listed)",
    ExitCode.NOT_FOUND: "a role, note, checklist or file was not found",
    ExitCode.NO_TERMINAL: "a prompt was needed but there is no terminal: use --answers",
    ExitCode.STORAGE: "the notes folder cannot be read or written (permissions, disk, busy)",
    ExitCode.AMBIGUOUS: "a role name matches several projects: add --project",
    ExitCode.EXISTS: "a file to write already exists: nothing was written (use --force)",
    ExitCode.SIDES_UNREADABLE: "a sides file cannot be read as a scene: a scan with no text, "
    "an encrypted PDF, no speaker found, or a character not in it (what was found is listed)",
    ExitCode.INTERRUPTED: "interrupted with Ctrl-C; answers given so far are kept in a draft",
    ExitCode.OUTPUT_CLOSED: "standard output was closed early (e.g. by `head`); the rest is not printed",
}


class CoachError(Exception):
    """Base of every error a user can cause; the message is one line for stderr."""

    exit_code: ExitCode = ExitCode.ERROR
    # How the first line is introduced on stderr ("" for messages that are not errors).
    prefix: str = "error: "

    def __init__(self, message: str, *, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = list(details or [])

    def lines(self) -> list[str]:
        """The message followed by any detail lines (one problem per line)."""
        return [self.message, *self.details]


class UsageError(CoachError):
    exit_code = ExitCode.USAGE


class ChecklistError(CoachError):
    exit_code = ExitCode.CHECKLIST_INVALID

    def __init__(
        self,
        message: str,
        *,
        details: list[str] | None = None,
        problems: Sequence[object] | None = None,
    ) -> None:
        super().__init__(message, details=details)
        self.problems = list(problems or [])  # checklist.Problem, one per detail line

    @classmethod
    def listing(cls, title: str, problems: Sequence[object]) -> ChecklistError:
        """`title: N problems`, then one line per problem (a file's checklists, drill
        notes or breathing patterns)."""
        noun = "problem" if len(problems) == 1 else "problems"
        return cls(
            f"{title}: {len(problems)} {noun}",
            details=[str(p) for p in problems],
            problems=problems,
        )


class AnswersError(CoachError):
    exit_code = ExitCode.ANSWERS_INVALID


class NotFoundError(CoachError):
    exit_code = ExitCode.NOT_FOUND


class NoTerminalError(CoachError):
    exit_code = ExitCode.NO_TERMINAL


class StorageError(CoachError):
    exit_code = ExitCode.STORAGE


class AmbiguousError(CoachError):
    exit_code = ExitCode.AMBIGUOUS

    def __init__(self, message: str, *, choices: list[str]) -> None:
        super().__init__(message)
        self.choices = list(choices)  # what the user may pick from


class ExistsError(CoachError):
    exit_code = ExitCode.EXISTS


class SidesError(CoachError):
    """Pages given to `coach sides add` that cannot be learnt from: not text, a scan, an
    encrypted PDF, no speaker found, or a character who does not speak in them."""

    exit_code = ExitCode.SIDES_UNREADABLE


class Declined(CoachError):
    """The actor chose, at a question before a session's first, not to go on (a review
    of a round still to come): nothing is written, and that is no error."""

    exit_code = ExitCode.OK
    prefix = ""


class Interrupted(CoachError):
    exit_code = ExitCode.INTERRUPTED
    prefix = ""


class OutputClosed(CoachError):
    """Standard output was closed by its reader (`coach list | head -1`): stop quietly,
    with the exit code of a process ended by SIGPIPE (128 + 13)."""

    exit_code = ExitCode.OUTPUT_CLOSED
    prefix = ""
