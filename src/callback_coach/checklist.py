"""The checklist model (frozen dataclasses) and its YAML loader and validator.

A checklist file is YAML read with PyYAML's *safe* loader only: a `!!python/...` tag is
reported as a problem, never executed. Validation collects every problem in a file, each
with the file name and line, and raises one `ChecklistError` listing them all.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from callback_coach.errors import ChecklistError

QUESTION_TYPES = ("text", "long_text", "confirm", "select", "multiselect", "scale")
PHASES = ("prep", "review")
CHECKLIST_KEYS = ("id", "title", "phase", "version", "intro", "questions")
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
)
# Where an answer goes on the waiting-room card (`coach card`), in the card's order.
CARD_SLOTS = (
    "want",
    "keep",
    "refresh",
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
# libyaml's safe loader when present (several times faster), else PyYAML's own; both safe.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
ID_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Question:
    """One question of a checklist."""

    id: str
    prompt: str
    type: str = "text"
    help: str | None = None
    choices: tuple[str, ...] = ()
    min: int | None = None
    max: int | None = None
    default: Any = None
    required: bool = False
    # Carry-over: "CHECKLIST.QUESTION" of an earlier round whose answer becomes this
    # question's default when the next round is prepared.
    recall: tuple[str, ...] = ()
    # Asked instead of `prompt` when the role has no earlier round (the first callback).
    first_prompt: str | None = None
    # The slot of the waiting-room card this answer fills (one of CARD_SLOTS).
    card: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The question as it is written in a checklist file (only keys that are set)."""
        data: dict[str, Any] = {"id": self.id, "prompt": self.prompt, "type": self.type}
        if self.help:
            data["help"] = self.help
        if self.choices:
            data["choices"] = list(self.choices)
        if self.min is not None:
            data["min"] = self.min
        if self.max is not None:
            data["max"] = self.max
        if self.default is not None:
            data["default"] = (
                list(self.default) if isinstance(self.default, tuple) else self.default
            )
        if self.required:
            data["required"] = True
        if self.recall:
            data["recall"] = list(self.recall) if len(self.recall) > 1 else self.recall[0]
        if self.first_prompt:
            data["first_prompt"] = self.first_prompt
        if self.card:
            data["card"] = self.card
        return data


@dataclass(frozen=True)
class Checklist:
    """A titled list of questions for one phase (prep or review)."""

    id: str
    title: str
    phase: str
    version: int
    questions: tuple[Question, ...]
    intro: str | None = None
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
        data["questions"] = [q.to_dict() for q in self.questions]
        return data


@dataclass(frozen=True)
class Problem:
    """One thing wrong in a checklist file."""

    file: str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class _Collector:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def add(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else None
        self.problems.append(Problem(self.file, line, message))


def _scalar(loader: Any, node: yaml.Node) -> Any:
    return loader.construct_object(node, deep=True)


def _mapping_items(node: yaml.MappingNode) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value)


def parse_checklist_text(text: str, file: str = "<checklist>") -> Checklist:
    """Parse and validate checklist YAML; raise `ChecklistError` listing every problem."""
    problems: list[Problem] = []
    checklist = _parse(text, file, problems)
    if problems or checklist is None:
        raise _error(problems)
    return checklist


def load_checklist(path: Path, *, builtin: bool = False) -> Checklist:
    """Load and validate one checklist file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise _error([Problem(str(path), None, "not a UTF-8 text file")]) from None
    except OSError as exc:
        raise _error([Problem(str(path), None, f"cannot read: {exc.strerror or exc}")]) from None
    checklist = parse_checklist_text(text, str(path))
    return _with_origin(checklist, path, builtin)


def validate_files(paths: Iterable[Path]) -> list[Problem]:
    """Every problem in every file given (an empty list when all are valid)."""
    problems: list[Problem] = []
    for path in paths:
        try:
            load_checklist(path)
        except ChecklistError as exc:
            problems.extend(exc.problems)
    return problems


def _with_origin(checklist: Checklist, path: Path, builtin: bool) -> Checklist:
    from dataclasses import replace

    return replace(checklist, source=path, builtin=builtin)


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


def _parse(text: str, file: str, problems: list[Problem]) -> Checklist | None:
    out = _Collector(file)
    loader = _LOADER(text)
    try:
        root = loader.get_single_node()
        if root is not None:
            # Construct once up front so unsafe tags surface as problems, not code.
            loader.construct_document(root)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = (exc.problem or "invalid YAML").strip()
        if "constructor" in what and "tag" in what:
            tag = what.split("tag", 1)[1].strip().strip("'").replace("tag:yaml.org,2002:", "!!")
            what = f"YAML tag {tag!s} is not allowed (only plain YAML is read)"
        problems.append(Problem(file, line, f"invalid YAML: {what}"))
        return None
    except yaml.YAMLError as exc:
        problems.append(Problem(file, None, f"invalid YAML: {exc}"))
        return None
    finally:
        loader.dispose()
    if root is None:
        problems.append(Problem(file, None, "the file is empty"))
        return None
    if not isinstance(root, yaml.MappingNode):
        problems.append(Problem(file, root.start_mark.line + 1, "a checklist must be a mapping"))
        return None

    loader = _LOADER("")
    fields: dict[str, tuple[yaml.Node, yaml.Node]] = {}
    for key_node, value_node in _mapping_items(root):
        key = _scalar(loader, key_node)
        if key not in CHECKLIST_KEYS:
            out.add(key_node, f"unknown key {key!r} (allowed: {', '.join(CHECKLIST_KEYS)})")
            continue
        if key in fields:
            out.add(key_node, f"duplicate key {key!r}")
        fields[key] = (key_node, value_node)

    def value(key: str) -> tuple[yaml.Node | None, Any]:
        if key not in fields:
            return None, None
        node = fields[key][1]
        return node, _scalar(loader, node)

    cid_node, cid = value("id")
    if cid is None:
        out.add(root, "missing 'id'")
    elif not _is_id(cid):
        out.add(cid_node, f"id {cid!r} must use lower-case letters, digits, '-' or '_'")
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

    questions: list[Question] = []
    q_node, _ = value("questions")
    if q_node is None:
        out.add(root, "missing 'questions' (a list)")
    elif not isinstance(q_node, yaml.SequenceNode) or not q_node.value:
        out.add(q_node, "'questions' must be a non-empty list")
    else:
        seen: dict[str, int] = {}
        for item in q_node.value:
            question = _parse_question(loader, item, out)
            if question is None:
                continue
            if question.id in seen:
                out.add(
                    item,
                    f"duplicate question id {question.id!r} (first on line {seen[question.id]})",
                )
                continue
            seen[question.id] = item.start_mark.line + 1
            questions.append(question)

    problems.extend(out.problems)
    if out.problems:
        return None
    return Checklist(
        id=cid,
        title=title.strip(),
        phase=phase,
        version=version,
        questions=tuple(questions),
        intro=intro.strip() if isinstance(intro, str) and intro.strip() else None,
    )


def _is_id(value: Any) -> bool:
    return isinstance(value, str) and bool(value) and set(value) <= ID_CHARS and len(value) <= 64


def _parse_question(loader: Any, node: yaml.Node, out: _Collector) -> Question | None:
    if not isinstance(node, yaml.MappingNode):
        out.add(node, "each question must be a mapping with at least 'id' and 'prompt'")
        return None
    raw: dict[str, Any] = {}
    nodes: dict[str, yaml.Node] = {}
    before = len(out.problems)
    for key_node, value_node in _mapping_items(node):
        key = _scalar(loader, key_node)
        if key not in QUESTION_KEYS:
            out.add(key_node, f"unknown question key {key!r} (allowed: {', '.join(QUESTION_KEYS)})")
            continue
        raw[key] = _scalar(loader, value_node)
        nodes[key] = value_node

    qid = raw.get("id")
    label = f"question {qid!r}" if isinstance(qid, str) else "question"
    if qid is None:
        out.add(node, "question without 'id'")
    elif not _is_id(qid):
        out.add(nodes["id"], f"question id {qid!r} must use lower-case letters, digits, '-' or '_'")
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        out.add(nodes.get("prompt", node), f"{label}: missing 'prompt'")
    help_text = raw.get("help")
    if help_text is not None and (not isinstance(help_text, str) or "\n" in help_text.strip()):
        out.add(nodes["help"], f"{label}: 'help' must be one line of text")
    qtype = raw.get("type", "text")
    if qtype not in QUESTION_TYPES:
        out.add(
            nodes.get("type", node),
            f"{label}: unknown type {qtype!r} (allowed: {', '.join(QUESTION_TYPES)})",
        )
    required = raw.get("required", False)
    if not isinstance(required, bool):
        out.add(nodes["required"], f"{label}: 'required' must be true or false")

    choices: tuple[str, ...] = ()
    if qtype in ("select", "multiselect"):
        raw_choices = raw.get("choices")
        if not isinstance(raw_choices, list) or not raw_choices:
            out.add(
                nodes.get("choices", node),
                f"{label}: type {qtype} needs a non-empty 'choices' list",
            )
        elif not all(isinstance(c, str) and c.strip() for c in raw_choices):
            out.add(
                nodes["choices"], f"{label}: every choice must be text (quote words like yes/no)"
            )
        elif len(set(raw_choices)) != len(raw_choices):
            out.add(nodes["choices"], f"{label}: choices repeat")
        else:
            choices = tuple(raw_choices)
    elif "choices" in raw:
        out.add(nodes["choices"], f"{label}: 'choices' only goes with select or multiselect")

    low = high = None
    if qtype == "scale":
        low, high = raw.get("min", 1), raw.get("max", 5)
        for name, val in (("min", low), ("max", high)):
            if isinstance(val, bool) or not isinstance(val, int):
                out.add(nodes.get(name, node), f"{label}: '{name}' must be a whole number")
        if isinstance(low, int) and isinstance(high, int) and not low < high:
            out.add(nodes.get("min", node), f"{label}: 'min' must be less than 'max'")
        elif isinstance(low, int) and isinstance(high, int) and high - low > 100:
            out.add(nodes.get("max", node), f"{label}: a scale may span at most 100 steps")
    else:
        for name in ("min", "max"):
            if name in raw:
                out.add(nodes[name], f"{label}: '{name}' only goes with type scale")

    recall_raw = raw.get("recall")
    recall: tuple[str, ...] = ()
    if recall_raw is not None:
        items = [recall_raw] if isinstance(recall_raw, str) else recall_raw
        if not isinstance(items, list) or not all(
            isinstance(r, str) and r.count(".") == 1 and all(_is_id(p) for p in r.split("."))
            for r in items
        ):
            out.add(
                nodes["recall"], f"{label}: 'recall' names CHECKLIST.QUESTION (or a list of them)"
            )
        else:
            recall = tuple(items)

    first_prompt = raw.get("first_prompt")
    if first_prompt is not None and (not isinstance(first_prompt, str) or not first_prompt.strip()):
        out.add(nodes["first_prompt"], f"{label}: 'first_prompt' must be text")

    card = raw.get("card")
    if card is not None and card not in CARD_SLOTS:
        out.add(nodes["card"], f"{label}: 'card' must be one of: {', '.join(CARD_SLOTS)}")

    if len(out.problems) > before:
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
    )
    if "default" in raw and raw["default"] is not None:
        from callback_coach.answers import check_value

        try:
            default = check_value(question, raw["default"])
        except ValueError as exc:
            out.add(nodes["default"], f"{label}: bad 'default': {exc}")
            return None
        from dataclasses import replace

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
    "refine-intention",
    "prepare-for-redirection",
    "recall-what-worked",
    "mindset",
    "after-the-room",
)


def load_catalogue(builtin_dir: Path, user_dir: Path | None) -> Catalogue:
    """Load built-in checklists, then the actor's; any invalid file raises with all problems.

    A user file whose id matches a built-in replaces it in place; a new id is added after
    the built-ins (sorted by file name).
    """
    problems: list[Problem] = []
    builtins: dict[str, Checklist] = {}
    for path in sorted(builtin_dir.glob("*.yaml")):
        try:
            c = load_checklist(path, builtin=True)
        except ChecklistError as exc:
            problems.extend(exc.problems)
            continue
        builtins[c.id] = c
    user: list[Checklist] = []
    skipped: list[tuple[str, str]] = []
    if user_dir is not None and user_dir.is_dir():
        seen: dict[str, Path] = {}
        files = sorted([*user_dir.glob("*.yaml"), *user_dir.glob("*.yml")])
        for path in files:
            try:
                if not path.read_text(encoding="utf-8").strip():
                    skipped.append((str(path), "the file is empty"))
                    continue
            except (OSError, UnicodeDecodeError):
                pass  # load_checklist reports it
            try:
                c = load_checklist(path, builtin=False)
            except ChecklistError as exc:
                problems.extend(exc.problems)
                continue
            if c.id in seen:
                problems.append(
                    Problem(
                        str(path), None, f"checklist id {c.id!r} is also defined in {seen[c.id]}"
                    )
                )
                continue
            seen[c.id] = path
            user.append(c)
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
    for c in user:
        merged[c.id] = c
    return Catalogue(tuple(merged.values()), tuple(skipped))
