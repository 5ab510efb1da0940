"""Checklist files read and checked: one file, several (`coach checklists validate`), and
the catalogue of a coach home (the built-ins, with the actor's files replacing or adding).

Each file is parsed by `checklist_parse`; then what joins checklists is checked: an id
defined twice, and a `recall`, `relies_on` or `revisit` that names a question (or, for
`revisit`, a checklist) that no checklist has. Every problem is collected, each with its
file and line, and one `ChecklistError` lists them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path

from callback_coach.core.checklist import BUILTIN_ORDER, Catalogue, Checklist, when_text
from callback_coach.core.checklist_parse import EMPTY_FILE, Parsed, Reference, parse_text
from callback_coach.errors import ChecklistError
from callback_coach.store import yamlio
from callback_coach.store.datafile import Problem
from callback_coach.store.facts import DETAIL_QUESTIONS
from callback_coach.store.yamlio import shown


def parse_checklists_text(text: str, file: str = "<checklist>") -> list[Checklist]:
    """Parse and validate checklist YAML of one or more documents (`---` between them),
    one checklist each; raise `ChecklistError` listing every problem."""
    parsed, problems = parse_text(text, file)
    problems += _duplicate_ids(parsed)
    if problems:
        raise checklist_error(problems)
    return _valid(parsed)


def parse_checklist_text(text: str, file: str = "<checklist>") -> Checklist:
    """Parse and validate YAML holding exactly one checklist."""
    return _one(parse_checklists_text(text, file), file)


def load_checklists(path: Path, *, builtin: bool = False) -> list[Checklist]:
    """Load and validate a checklist file (one checklist per YAML document)."""
    parsed, problems = _load_file(path, builtin)
    problems += _duplicate_ids(parsed)
    if problems:
        raise checklist_error(problems)
    return _valid(parsed)


def load_checklist(path: Path, *, builtin: bool = False) -> Checklist:
    """Load and validate a file holding exactly one checklist."""
    return _one(load_checklists(path, builtin=builtin), str(path))


def validate_files(
    files: Iterable[Path], known: Iterable[Checklist] | None = None
) -> list[Problem]:
    """Every problem in every file given (an empty list when all are valid).

    Besides each file on its own: a checklist id defined twice among the files, and a
    `recall` or `relies_on` naming no question, or a `revisit` naming no checklist, of
    `known` or of the files given (a file's checklist replaces a known one with the same
    id, as in the coach home). A file with other problems has its names checked too.
    `known` defaults to the built-ins and the coach home's other checklist files.
    """
    files = list(files)
    problems: list[Problem] = []
    parsed: list[Parsed] = []
    for path in files:
        found, file_problems = _load_file(path, builtin=False)
        parsed += found
        problems += file_problems
    known = _home_checklists(files) if known is None else list(known)
    problems += _check_together(parsed, known)
    order = {str(path): number for number, path in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, 0), p.line or 0))


def checklist_error(problems: list[Problem]) -> ChecklistError:
    """One error listing every problem (a line each, in the order of their files and
    lines), named by its file when there is one."""
    first: dict[str, int] = {}
    for problem in problems:
        first.setdefault(problem.file, len(first))
    problems = sorted(problems, key=lambda p: (first[p.file], p.document or 0, p.line or 0))
    files = sorted({p.file for p in problems})
    where = files[0] if len(files) == 1 else f"{len(files)} files"
    return ChecklistError.listing(f"invalid checklist {where}", problems)


def _one(checklists: list[Checklist], file: str) -> Checklist:
    if len(checklists) != 1:
        problem = Problem(file, None, f"{len(checklists)} checklists where one was expected")
        raise checklist_error([problem])
    return checklists[0]


def _valid(parsed: list[Parsed]) -> list[Checklist]:
    return [item.checklist for item in parsed if item.checklist is not None]


def _load_file(path: Path, builtin: bool) -> tuple[list[Parsed], list[Problem]]:
    try:
        text = yamlio.read_file(path)
    except yamlio.ReadError as exc:
        return [], [Problem(str(path), exc.line, exc.message)]
    except OSError as exc:
        return [], [Problem(str(path), None, f"cannot read: {exc.strerror or exc}")]
    parsed, problems = parse_text(text, str(path))
    for item in parsed:
        if item.checklist is not None:
            item.checklist = replace(item.checklist, source=path, builtin=builtin)
    return parsed, problems


def _check_together(parsed: list[Parsed], known: list[Checklist]) -> list[Problem]:
    """Problems between checklists: an id defined twice, and a name (`Reference`) of no
    question or checklist of `known` or `parsed` (a parsed checklist replaces a known one
    with its id; one with problems counts with the ids it declares)."""
    problems = _duplicate_ids(parsed)
    questions: dict[str, frozenset[str]] = {
        c.id: frozenset(q.id for q in c.questions) for c in known
    }
    for item in reversed(parsed):
        if item.declared_id is not None:
            questions[item.declared_id] = item.declared_questions
    answers = _answers_by_id([*known, *(i.checklist for i in parsed if i.checklist)])
    for item in parsed:
        for reference in item.references:
            reason = _missing(reference, questions)
            if reason:
                message = f"{reference.label}: '{reference.key}' names {reference.name} ({reason})"
                problems.append(Problem(item.file, reference.line, message, item.document))
            elif reference.key == "when" and reference.value is not None:
                offered = answers.get(reference.name)
                if offered is not None and when_text(reference.value)[0] not in offered:
                    message = (
                        f"{reference.label}: 'when' compares {reference.name} with "
                        f"{reference.value!r}, which it never answers "
                        f"(its answers: {', '.join(sorted(offered))})"
                    )
                    problems.append(Problem(item.file, reference.line, message, item.document))
    return problems


def _answers_by_id(checklists: list[Checklist]) -> dict[str, frozenset[str]]:
    """Question id -> every answer a question of that id can give, folded, where they are
    few (a choice, yes or no); an id of any question whose answers are open is left out."""
    found: dict[str, set[str]] = {}
    open_ids: set[str] = set()
    for checklist in checklists:
        for question in checklist.questions:
            if question.choices:
                found.setdefault(question.id, set()).update(
                    text for choice in question.choices for text in when_text(choice)
                )
            elif question.type == "confirm":
                found.setdefault(question.id, set()).update(when_text(True) + when_text(False))
            else:
                open_ids.add(question.id)
    return {qid: frozenset(given) for qid, given in found.items() if qid not in open_ids}


def _missing(reference: Reference, questions: dict[str, frozenset[str]]) -> str | None:
    """Why `reference` names nothing ("no such checklist", "no such question"), or None."""
    if reference.names_a_checklist:
        return None if reference.name in questions else "no such checklist"
    if reference.key == "when":  # a question of any checklist, or a detail the round keeps
        if reference.name.replace("-", "_") in DETAIL_QUESTIONS:
            return None
        known = any(reference.name in ids for ids in questions.values())
        return None if known else "no question of any checklist has this id"
    checklist, _, question = reference.name.partition(".")
    if checklist not in questions:
        return "no such checklist"
    return None if question in questions[checklist] else "no such question"


def _duplicate_ids(parsed: list[Parsed]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, Parsed] = {}
    for item in parsed:
        if item.checklist is None:
            continue
        cid = item.checklist.id
        other = first.setdefault(cid, item)
        if other is item:
            continue
        if other.file != item.file:
            where = other.file
        elif other.document is not None:
            where = f"document {other.document}"
        else:
            where = f"line {other.line}"
        message = f"checklist id {shown(cid)} is also defined in {where}"
        problems.append(Problem(item.file, item.line, message, item.document))
    return problems


def load_catalogue(builtin_dir: Path, user_dir: Path | None) -> Catalogue:
    """Load built-in checklists, then the actor's; any invalid file raises with all problems.

    A user file whose id matches a built-in replaces it in place; a new id is added after
    the built-ins (sorted by file name). A user file may hold several checklists (YAML
    documents); an empty one is skipped (it is listed in `skipped`).
    """
    problems: list[Problem] = []
    builtins: dict[str, Checklist] = {}
    for path in sorted(builtin_dir.glob("*.yaml")):
        found, file_problems = _load_file(path, True)
        problems += file_problems
        builtins.update((c.id, c) for c in _valid(found))
    user: list[Parsed] = []
    skipped: list[tuple[str, str]] = []
    for path in _user_files(user_dir):
        if not path.is_file():  # a folder, or a FIFO that would wait for a writer
            skipped.append((str(path), "not a regular file"))
            continue
        found, file_problems = _load_file(path, False)
        if [p.message for p in file_problems] == [EMPTY_FILE]:
            skipped.append((str(path), EMPTY_FILE))
            continue
        problems += file_problems
        user += found
    problems += _check_together(user, list(builtins.values()))
    if problems:
        raise checklist_error(problems)
    ordered = sorted(
        builtins.values(),
        key=lambda c: (
            BUILTIN_ORDER.index(c.id) if c.id in BUILTIN_ORDER else len(BUILTIN_ORDER),
            c.id,
        ),
    )
    merged = {c.id: c for c in ordered}
    for checklist in _valid(user):
        merged[checklist.id] = checklist
    return Catalogue(tuple(merged.values()), tuple(skipped))


def _user_files(user_dir: Path | None) -> list[Path]:
    if user_dir is None or not user_dir.is_dir():
        return []
    return sorted([*user_dir.glob("*.yaml"), *user_dir.glob("*.yml")])


def _home_checklists(besides: list[Path]) -> list[Checklist]:
    """The checklists of the coach home (built-ins, then the actor's files other than
    `besides`), leaving out any file that is broken: what a `recall` may name."""
    from callback_coach.store import paths

    skip = {path.resolve() for path in besides}
    known: dict[str, Checklist] = {}
    files = sorted(paths.builtin_checklists_dir().glob("*.yaml"))
    files += [
        p
        for p in _user_files(paths.user_checklists_dir())
        if p.is_file() and p.resolve() not in skip
    ]
    for path in files:
        found, _ = _load_file(path, builtin=False)
        known.update((c.id, c) for c in _valid(found))
    return list(known.values())
