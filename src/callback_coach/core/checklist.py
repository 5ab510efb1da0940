"""The checklist model (frozen dataclasses) and its YAML loader and validator.

A checklist file is read by the guarded YAML reader (`yamlio`): plain values only, so a
`!!python/...` tag is reported as a problem, never executed, and size, depth and alias
limits hold. A file holds one checklist, or several as YAML documents (`---` between
them, as `coach export checklists` writes). Validation collects every problem in a file,
each with the file name and line, and raises one `ChecklistError` listing them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from callback_coach.core.questions import EMPTY, OFFERS, TYPES, Question
from callback_coach.errors import ChecklistError
from callback_coach.store import yamlio
from callback_coach.store.datafile import Problem
from callback_coach.store.yamlio import Node, shown
from callback_coach.store.yamlmemo import Memo

QUESTION_TYPES = tuple(TYPES)
PHASES = ("prep", "review")
CHECKLIST_KEYS = ("id", "title", "phase", "version", "intro", "closing", "questions")
QUESTION_KEYS = (
    "id",
    "prompt",
    "help",
    "type",
    "choices",
    "min",
    "max",
    "default",
    "required",
    "recall",
    "first_prompt",
    "card",
    "quick",
    "when",
    "revisit",
    "todo_if",
    "todo",
    "offer",
    "relies_on",
)
# Where an answer goes on the waiting-room card (`coach card`), in the card's order.
CARD_SLOTS = (
    "time",
    "place",
    "want",
    "keep",
    "refresh",
    "work-on",
    "direction",
    "ask",
    "recovery",
    "silent-room",
    "line",
    "anchor",
    "breathing",
    "room",
    "wardrobe",
    "remember",
)
# How the card names each slot, and what only the card shows: the to-dos and the
# off-book figure.
CARD_LABELS = {
    "time": "When",
    "place": "Where",
    "todo": "To do",
    "off-book": "Off book",
    "want": "Want",
    "keep": "Keep",
    "refresh": "Refresh",
    "work-on": "Work on",
    "direction": "Direction",
    "ask": "Unclear? Ask",
    "recovery": "If you slip",
    "silent-room": "Quiet room",
    "line": "Tell yourself",
    "anchor": "Anchor",
    "breathing": "Breathe",
    "room": "In the room",
    "wardrobe": "Wear",
    "remember": "Remember",
}
# How a sentence names a slot's answer ("Your want: to corner him"; "Your way back if you
# slip is empty").
SLOT_NAMES = {
    "time": "call time",
    "place": "place",
    "want": "want",
    "keep": "keep",
    "refresh": "refresh",
    "work-on": "work-on",
    "direction": "direction from last time",
    "ask": "question for an unclear note",
    "recovery": "way back if you slip",
    "silent-room": "line for a quiet room",
    "line": "line to tell yourself",
    "anchor": "anchor",
    "breathing": "breathing",
    "room": "people in the room",
    "wardrobe": "clothes and what to bring",
    "remember": "note to remember",
}
ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")
_EMPTY = "the file is empty"


@dataclass(frozen=True)
class Checklist:
    """A titled list of questions for one phase (prep or review)."""

    id: str
    title: str
    phase: str
    version: int
    questions: tuple[Question, ...]
    intro: str | None = None
    # The closing check: asked at the end of every prep; a "not yet" offers to go back
    # to the checklist its question names (`revisit`).
    closing: bool = False
    source: Path | None = field(default=None, compare=False)
    builtin: bool = field(default=True, compare=False)

    def question(self, question_id: str) -> Question | None:
        for q in self.questions:
            if q.id == question_id:
                return q
        return None

    def to_dict(self) -> dict[str, Any]:
        """The checklist as it is written in a checklist file; loads back unchanged."""
        data: dict[str, Any] = {
            "id": self.id,
            "title": self.title,
            "phase": self.phase,
            "version": self.version,
        }
        if self.intro:
            data["intro"] = self.intro
        if self.closing:
            data["closing"] = True
        data["questions"] = [q.to_dict() for q in self.questions]
        return data


class _Collector:
    def __init__(self, file: str, document: int | None) -> None:
        self.file = file
        self.document = document
        self.problems: list[Problem] = []

    def add(self, node: Node | None, message: str) -> None:
        line = node.line if node is not None else None
        self.problems.append(Problem(self.file, line, message, self.document))


@dataclass
class _Parsed:
    """A valid checklist of a file, with what is checked against other files later."""

    checklist: Checklist
    file: str
    document: int | None
    line: int  # where its id is
    # (line, question label, CHECKLIST.QUESTION) of every `recall`
    recalls: list[tuple[int, str, str, str]]


def parse_checklists_text(text: str, file: str = "<checklist>") -> list[Checklist]:
    """Parse and validate checklist YAML of one or more documents (`---` between them),
    one checklist each; raise `ChecklistError` listing every problem."""
    parsed, problems = _parse_file(text, file)
    problems += _duplicate_ids(parsed)
    if problems:
        raise _error(problems)
    return [p.checklist for p in parsed]


def parse_checklist_text(text: str, file: str = "<checklist>") -> Checklist:
    """Parse and validate YAML holding exactly one checklist."""
    checklists = parse_checklists_text(text, file)
    if len(checklists) != 1:
        raise _error([Problem(file, None, f"{len(checklists)} checklists where one was expected")])
    return checklists[0]


def load_checklists(path: Path, *, builtin: bool = False) -> list[Checklist]:
    """Load and validate a checklist file (one checklist per YAML document)."""
    parsed, problems = _load_file(path, builtin)
    problems += _duplicate_ids(parsed)
    if problems:
        raise _error(problems)
    return [p.checklist for p in parsed]


def load_checklist(path: Path, *, builtin: bool = False) -> Checklist:
    """Load and validate a file holding exactly one checklist."""
    checklists = load_checklists(path, builtin=builtin)
    if len(checklists) != 1:
        problem = Problem(str(path), None, f"{len(checklists)} checklists where one was expected")
        raise _error([problem])
    return checklists[0]


def validate_files(
    files: Iterable[Path], known: Iterable[Checklist] | None = None
) -> list[Problem]:
    """Every problem in every file given (an empty list when all are valid).

    Besides each file on its own: a checklist id defined twice among the files, and a
    `recall` naming no question of `known` or of the files given (a file's checklist
    replaces a known one with the same id, as in the coach home). `known` defaults to the
    built-ins and the coach home's other checklist files.
    """
    files = list(files)
    problems: list[Problem] = []
    parsed: list[_Parsed] = []
    for path in files:
        found, file_problems = _load_file(path, builtin=False)
        parsed += found
        problems += file_problems
    known = _home_checklists(files) if known is None else list(known)
    problems += _check_together(parsed, known)
    order = {str(path): number for number, path in enumerate(files)}
    return sorted(problems, key=lambda p: (order.get(p.file, 0), p.line or 0))


def _load_file(
    path: Path, builtin: bool, memo: Memo | None = None
) -> tuple[list[_Parsed], list[Problem]]:
    try:
        text = yamlio.read_file(path)
    except yamlio.ReadError as exc:
        return [], [Problem(str(path), exc.line, exc.message)]
    except OSError as exc:
        return [], [Problem(str(path), None, f"cannot read: {exc.strerror or exc}")]
    parsed, problems = _parse_file(text, str(path), memo)
    for item in parsed:
        item.checklist = replace(item.checklist, source=path, builtin=builtin)
    return parsed, problems


def _check_together(parsed: list[_Parsed], known: list[Checklist]) -> list[Problem]:
    """Problems between checklists: an id defined twice, a `recall` naming no question of
    `known` or `parsed` (a parsed checklist replaces a known one with its id)."""
    problems = _duplicate_ids(parsed)
    checklists = {c.id: c for c in known}
    checklists.update((item.checklist.id, item.checklist) for item in reversed(parsed))
    questions = {f"{c.id}.{q.id}" for c in checklists.values() for q in c.questions}
    for item in parsed:
        for line, label, ref, key in item.recalls:
            if ref not in questions:
                cid = ref.split(".", 1)[0]
                reason = "no such question" if cid in checklists else "no such checklist"
                message = f"{label}: '{key}' names {ref} ({reason})"
                problems.append(Problem(item.file, line, message, item.document))
        for question in item.checklist.questions:
            if question.revisit and question.revisit not in checklists:
                message = (
                    f"question {shown(question.id)}: 'revisit' names {question.revisit} "
                    "(no such checklist)"
                )
                problems.append(Problem(item.file, item.line, message, item.document))
    return problems


def _duplicate_ids(parsed: list[_Parsed]) -> list[Problem]:
    problems: list[Problem] = []
    first: dict[str, _Parsed] = {}
    for item in parsed:
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


def _error(problems: list[Problem]) -> ChecklistError:
    files = sorted({p.file for p in problems})
    count = len(problems)
    noun = "problem" if count == 1 else "problems"
    where = files[0] if len(files) == 1 else f"{len(files)} files"
    return ChecklistError(
        f"invalid checklist {where}: {count} {noun}",
        details=[str(p) for p in problems],
        problems=problems,
    )


def _parse_file(
    text: str, file: str, memo: Memo | None = None
) -> tuple[list[_Parsed], list[Problem]]:
    """Every document of a checklist file, through the guarded YAML reader (or parsed
    before, from `memo`)."""
    try:
        documents = yamlio.load_all(text) if memo is None else memo.load_all(text)
    except yamlio.ReadError as exc:
        return [], [Problem(file, exc.line, exc.message)]
    # An empty document (e.g. after a last `---`) is a null scalar: nothing to read.
    filled = [d for d in documents if d.value is not None and d.value.python() is not None]
    if not filled:
        return [], [Problem(file, None, _EMPTY)]
    parsed: list[_Parsed] = []
    problems: list[Problem] = []
    for number, document in enumerate(filled, start=1):
        out = _Collector(file, number if len(filled) > 1 else None)
        for line, key in document.duplicates:
            out.problems.append(Problem(file, line, f"duplicate key {shown(key)}", out.document))
        item = _parse(document.value, out)
        problems += out.problems
        if item is not None and not out.problems:
            parsed.append(item)
    return parsed, problems


def _parse(root: Node, out: _Collector) -> _Parsed | None:
    if root.kind != "map":
        out.add(root, "a checklist must be a mapping")
        return None
    fields: dict[str, Node] = {}
    for key_node, value_node in root.value:
        key = key_node.value
        if key not in CHECKLIST_KEYS:
            out.add(key_node, f"unknown key {shown(key)} (allowed: {', '.join(CHECKLIST_KEYS)})")
            continue
        fields[key] = value_node

    def value(key: str) -> tuple[Node | None, Any]:
        node = fields.get(key)
        return (None, None) if node is None else (node, node.python())

    cid_node, cid = value("id")
    if cid is None:
        out.add(root, "missing 'id'")
    elif not _is_id(cid):
        out.add(cid_node, f"id {shown(cid)} must use lower-case letters, digits, '-' or '_'")
    title_node, title = value("title")
    if not isinstance(title, str) or not title.strip():
        out.add(title_node or root, "missing 'title' (a short text)")
    phase_node, phase = value("phase")
    if phase not in PHASES:
        out.add(phase_node or root, f"'phase' must be one of: {', '.join(PHASES)}")
    version_node, version = value("version")
    if version is None:
        version = 1
    elif isinstance(version, bool) or not isinstance(version, int) or version < 1:
        out.add(version_node, "'version' must be a whole number from 1 up")
    intro_node, intro = value("intro")
    if intro is not None and not isinstance(intro, str):
        out.add(intro_node, "'intro' must be text")
    closing_node, closing = value("closing")
    if closing is None:
        closing = False
    elif not isinstance(closing, bool):
        out.add(closing_node, "'closing' must be true or false")

    questions: list[Question] = []
    recalls: list[tuple[int, str, str, str]] = []
    q_node = fields.get("questions")
    if q_node is None:
        out.add(root, "missing 'questions' (a list)")
    elif q_node.kind != "seq" or not q_node.value:
        out.add(q_node, "'questions' must be a non-empty list")
    else:
        seen: dict[Any, int] = {}
        for item in q_node.value:
            # A repeated id is reported whatever else is wrong with either question.
            qid = _question_id(item)
            if isinstance(qid, str) and qid in seen:
                out.add(item, f"duplicate question id {shown(qid)} (first on line {seen[qid]})")
            elif isinstance(qid, str):
                seen[qid] = item.line
            question = _parse_question(item, out, recalls)
            if question is not None:
                questions.append(question)

    if out.problems:
        return None
    checklist = Checklist(
        id=cid,
        title=title.strip(),
        phase=phase,
        version=version,
        questions=tuple(questions),
        intro=intro.strip() if isinstance(intro, str) and intro.strip() else None,
        closing=closing,
    )
    if closing and checklist.phase != "prep":
        out.add(closing_node, "a closing check must have phase prep")
        return None
    if closing:
        for question in questions:
            if question.type != "confirm" or not (question.revisit or question.offer):
                out.add(
                    q_node,
                    f"question {shown(question.id)}: a closing check asks yes/no questions "
                    "(type confirm), each with what a no leads to ('offer' or 'revisit')",
                )
                return None
    return _Parsed(checklist, out.file, out.document, (cid_node or root).line, recalls)


def _read_todo(
    raw: dict[str, Any],
    qtype: Any,
    choices: tuple[str, ...],
    label: str,
    nodes: dict[str, Node],
    node: Node,
    out: _Collector,
) -> tuple[Any, str | None]:
    """A question's `todo_if` (the answer that makes a to-do, as stored: True/False for a
    yes/no, a choice, or "empty") and `todo` (its words)."""
    if "todo_if" not in raw and "todo" not in raw:
        return None, None
    todo = raw.get("todo")
    if not isinstance(todo, str) or not todo.strip() or "\n" in todo.strip():
        out.add(nodes.get("todo", node), f"{label}: 'todo' gives the to-do in one line of text")
        todo = None
    value = raw.get("todo_if")
    if qtype == "confirm":
        words = {"yes": True, "no": False, True: True, False: False}
        if value not in words:
            out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' is yes or no here")
            return None, None
        return words[value], todo.strip() if todo else None
    if qtype in ("select", "multiselect"):
        if value not in choices:
            out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' must be one of the choices")
            return None, None
        return value, todo.strip() if todo else None
    if value != EMPTY:
        out.add(nodes.get("todo_if", node), f"{label}: 'todo_if' is {EMPTY} for this type")
        return None, None
    return EMPTY, todo.strip() if todo else None


def _refs(
    raw: dict[str, Any], key: str, label: str, nodes: dict[str, Node], out: _Collector
) -> tuple[str, ...]:
    """The CHECKLIST.QUESTION names of `key` (one, or a list)."""
    found = raw.get(key)
    if found is None:
        return ()
    items = [found] if isinstance(found, str) else found
    if not isinstance(items, list) or not all(
        isinstance(r, str) and r.count(".") == 1 and all(_is_id(p) for p in r.split("."))
        for r in items
    ):
        out.add(nodes[key], f"{label}: '{key}' names CHECKLIST.QUESTION (or a list of them)")
        return ()
    return tuple(items)


def parse_when(value: Any) -> tuple[str, str, str] | None:
    """`medium=self-tape` as ("medium", "=", "self-tape"), `medium!=self-tape` with "!=";
    None when `value` is not such a condition."""
    if not isinstance(value, str):
        return None
    key, op, expected = value.partition("!=")
    if not op:
        key, op, expected = value.partition("=")
    key, expected = key.strip(), expected.strip()
    if not op or not _is_id(key) or not expected:
        return None
    return (key, op, expected)


def _question_id(node: Node) -> Any:
    if node.kind != "map":
        return None
    ids = [value.value for key, value in node.value if key.value == "id"]
    return ids[-1] if ids else None


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and set(value) <= ID_CHARS and len(value) <= 64


def _parse_question(
    node: Node, out: _Collector, recalls: list[tuple[int, str, str, str]]
) -> Question | None:
    if node.kind != "map":
        out.add(node, "each question must be a mapping with at least 'id' and 'prompt'")
        return None
    raw: dict[str, Any] = {}
    nodes: dict[str, Node] = {}
    before = len(out.problems)
    for key_node, value_node in node.value:
        key = key_node.value
        if key not in QUESTION_KEYS:
            out.add(
                key_node, f"unknown question key {shown(key)} (allowed: {', '.join(QUESTION_KEYS)})"
            )
            continue
        raw[key] = value_node.python()
        nodes[key] = value_node

    qid = raw.get("id")
    label = f"question {shown(qid)}" if isinstance(qid, str) else "question"
    if qid is None:
        out.add(node, "question without 'id'")
    elif not _is_id(qid):
        out.add(
            nodes["id"], f"question id {shown(qid)} must use lower-case letters, digits, '-' or '_'"
        )
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        out.add(nodes.get("prompt", node), f"{label}: missing 'prompt'")
    help_text = raw.get("help")
    if help_text is not None and (not isinstance(help_text, str) or "\n" in help_text.strip()):
        out.add(nodes["help"], f"{label}: 'help' must be one line of text")
    qtype = raw.get("type", "text")
    kind = TYPES.get(qtype) if isinstance(qtype, str) else None
    if kind is None:
        out.add(
            nodes.get("type", node),
            f"{label}: unknown type {shown(qtype)} (allowed: {', '.join(QUESTION_TYPES)})",
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(nodes["required"], f"{label}: 'required' must be true or false")

    def report(key: str | None, message: str) -> None:
        out.add(nodes.get(key or "", node), f"{label}: {message}")

    choices, low, high = kind.read_spec(raw, report) if kind is not None else ((), None, None)

    recall = _refs(raw, "recall", label, nodes, out)
    recalls.extend((nodes["recall"].line, label, ref, "recall") for ref in recall)

    first_prompt = raw.get("first_prompt")
    if first_prompt is not None and (not isinstance(first_prompt, str) or not first_prompt.strip()):
        out.add(nodes["first_prompt"], f"{label}: 'first_prompt' must be text")

    card = raw.get("card")
    if card is not None and card not in CARD_SLOTS:
        out.add(nodes["card"], f"{label}: 'card' must be one of: {', '.join(CARD_SLOTS)}")

    quick = raw.get("quick", False)
    if not isinstance(quick, bool):
        out.add(nodes["quick"], f"{label}: 'quick' must be true or false")
    when = parse_when(raw.get("when"))
    if "when" in raw and when is None:
        out.add(
            nodes["when"],
            f"{label}: 'when' is QUESTION=VALUE or QUESTION!=VALUE (medium=self-tape)",
        )
    revisit = raw.get("revisit")
    if revisit is not None and not _is_id(revisit):
        out.add(nodes["revisit"], f"{label}: 'revisit' names a checklist id")
    todo_if, todo = _read_todo(raw, qtype, choices, label, nodes, node, out)
    offer = raw.get("offer")
    if offer is not None and offer not in OFFERS:
        out.add(nodes["offer"], f"{label}: 'offer' must be one of: {', '.join(OFFERS)}")
    relies_on = _refs(raw, "relies_on", label, nodes, out)
    recalls.extend((nodes["relies_on"].line, label, ref, "relies_on") for ref in relies_on)
    if offer == "question" and not relies_on:
        out.add(nodes["offer"], f"{label}: 'offer: question' asks the question of 'relies_on'")

    if len(out.problems) > before or not isinstance(qid, str) or not isinstance(prompt, str):
        return None
    question = Question(
        id=qid,
        prompt=prompt.strip(),
        type=qtype,
        help=help_text.strip() if isinstance(help_text, str) and help_text.strip() else None,
        choices=choices,
        min=low,
        max=high,
        required=required,
        recall=recall,
        first_prompt=first_prompt.strip() if isinstance(first_prompt, str) else None,
        card=card,
        quick=quick,
        when=when,
        revisit=revisit,
        todo_if=todo_if,
        todo=todo,
        offer=offer,
        relies_on=relies_on,
    )
    if "default" in raw and raw["default"] is not None:
        try:
            default = question.kind.check(question, raw["default"])
        except ValueError as exc:
            out.add(nodes["default"], f"{label}: bad 'default': {exc}")
            return None
        question = replace(
            question, default=tuple(default) if isinstance(default, list) else default
        )
    return question


# ---------------------------------------------------------------------------------------
# The catalogue: built-ins plus the actor's own files.


@dataclass(frozen=True)
class Catalogue:
    """All checklists available: built-ins, with the actor's files replacing or adding."""

    checklists: tuple[Checklist, ...]
    # The actor's files that were skipped because they are empty (e.g. a shell redirect
    # that has just created the file), as (path, reason).
    skipped: tuple[tuple[str, str], ...] = ()

    def get(self, checklist_id: str) -> Checklist | None:
        for c in self.checklists:
            if c.id == checklist_id:
                return c
        return None

    def for_phase(self, phase: str) -> list[Checklist]:
        return [c for c in self.checklists if c.phase == phase]

    def ids(self) -> list[str]:
        return [c.id for c in self.checklists]


BUILTIN_ORDER = (
    "logistics",
    "refine-intention",
    "prepare-for-redirection",
    "recall-what-worked",
    "mindset",
    "after-the-room",
)


def load_catalogue(
    builtin_dir: Path, user_dir: Path | None, *, memo_file: Path | None = None
) -> Catalogue:
    """Load built-in checklists, then the actor's; any invalid file raises with all problems.

    A user file whose id matches a built-in replaces it in place; a new id is added after
    the built-ins (sorted by file name). A user file may hold several checklists (YAML
    documents); an empty one is skipped (it is listed in `skipped`). `memo_file` keeps
    the files' parsed YAML for the next load (`yamlmemo`).
    """
    memo = Memo(memo_file)
    try:
        return _load_catalogue(builtin_dir, user_dir, memo)
    finally:
        memo.save()


def _load_catalogue(builtin_dir: Path, user_dir: Path | None, memo: Memo) -> Catalogue:
    problems: list[Problem] = []
    builtins: dict[str, Checklist] = {}
    for path in sorted(builtin_dir.glob("*.yaml")):
        found, file_problems = _load_file(path, True, memo)
        problems += file_problems
        builtins.update((item.checklist.id, item.checklist) for item in found)
    user: list[_Parsed] = []
    skipped: list[tuple[str, str]] = []
    for path in _user_files(user_dir):
        if not path.is_file():  # a folder, or a FIFO that would wait for a writer
            skipped.append((str(path), "not a regular file"))
            continue
        found, file_problems = _load_file(path, False, memo)
        if [p.message for p in file_problems] == [_EMPTY]:
            skipped.append((str(path), _EMPTY))
            continue
        problems += file_problems
        user += found
    problems += _check_together(user, list(builtins.values()))
    if problems:
        raise _error(problems)
    ordered = sorted(
        builtins.values(),
        key=lambda c: (
            BUILTIN_ORDER.index(c.id) if c.id in BUILTIN_ORDER else len(BUILTIN_ORDER),
            c.id,
        ),
    )
    merged = {c.id: c for c in ordered}
    for item in user:
        merged[item.checklist.id] = item.checklist
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
        known.update((item.checklist.id, item.checklist) for item in found)
    return list(known.values())
