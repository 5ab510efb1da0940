"""The waiting-room card: one screen distilled from a round's prep and the last review.

Which answers feed the card is declared in the checklists (`card: SLOT` on a question),
so an actor's own checklist can add to it. For each slot the card takes this round's
prep answers (newest prep first); a slot the prep left empty takes the last round's
review. Empty answers are left out, never shown as blanks.

Building the card is pure; rendering it as text (Rich), Markdown or HTML is too. Long
answers are shortened on the card at a word boundary (the note keeps every word).
"""

from __future__ import annotations

import datetime as dt
import html
from dataclasses import dataclass
from typing import Any

from callback_coach.core.checklist import CARD_SLOTS, Catalogue

LABELS = {
    "want": "Want",
    "keep": "Keep",
    "refresh": "Refresh",
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
# Answers that mean "nothing here" on a card.
EMPTY_WORDS = ("none", "n/a", "-", "—")
# Lines on a terminal card; the text card is fitted to this height at 80 columns.
SCREEN_LINES = 24
TEXT_BUDGETS = (220, 160, 120, 90, 60)  # characters per answer, tried in turn
PAGE_BUDGET = 240  # Markdown and HTML: enough to keep one printed page


@dataclass(frozen=True)
class CardItem:
    slot: str
    label: str
    text: str


@dataclass(frozen=True)
class Card:
    """What the actor takes into the waiting room."""

    role: str
    project: str
    round: str
    date: str
    details: tuple[str, ...]  # medium, casting office: what the notes recorded
    items: tuple[CardItem, ...]

    def get(self, slot: str) -> str | None:
        for item in self.items:
            if item.slot == slot:
                return item.text
        return None

    def subtitle(self) -> str:
        return " · ".join(
            part for part in (self.round, nice_date(self.date), *self.details) if part
        )

    def title(self) -> str:
        return " · ".join(part for part in (self.role, self.project) if part)


def slot_map(catalogue: Catalogue) -> list[tuple[str, str, str]]:
    """(checklist id, question id, slot) for every question that feeds the card."""
    return [
        (checklist.id, question.id, question.card)
        for checklist in catalogue.checklists
        for question in checklist.questions
        if question.card
    ]


def build_card(
    role: str,
    project: str,
    round_label: str,
    preps: list[Any],
    last_review: Any | None,
    catalogue: Catalogue,
) -> Card:
    """The card of one round from its prep notes (oldest first, as a RoundRecord keeps
    them) and the previous round's review (or None)."""
    feeds = slot_map(catalogue)
    found: dict[str, list[str]] = {slot: [] for slot in CARD_SLOTS}
    for note in reversed(preps):
        _collect(note, feeds, found)
    if last_review is not None:
        from_review: dict[str, list[str]] = {slot: [] for slot in CARD_SLOTS}
        _collect(last_review, feeds, from_review)
        for slot, values in from_review.items():
            if not found[slot]:
                found[slot] = values
    items = tuple(
        CardItem(slot, LABELS[slot], " · ".join(found[slot])) for slot in CARD_SLOTS if found[slot]
    )
    latest = preps[-1] if preps else None
    details = []
    for key in ("medium", "casting_office"):
        value = _meta(preps, key)
        if value:
            details.append(value)
    return Card(
        role=role,
        project=project,
        round=round_label,
        date=latest.date if latest is not None else "",
        details=tuple(details),
        items=items,
    )


def _collect(note: Any, feeds: list[tuple[str, str, str]], found: dict[str, list[str]]) -> None:
    answers = note.answers
    for cid, qid, slot in feeds:
        text = answer_text(answers.get(cid, {}).get(qid))
        if text and text.casefold() not in (v.casefold() for v in found[slot]):
            found[slot].append(text)


def _meta(notes: list[Any], key: str) -> str:
    """The newest note's `medium` or `casting_office`: its answer, else its front matter."""
    from callback_coach.core.season_model import note_detail

    for note in reversed(notes):
        value = note_detail(note, key)
        if value:
            return " ".join(value.split())
    return ""


def answer_text(value: Any) -> str:
    """An answer as one paragraph for the card ("" when there is nothing to show)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (list, tuple)):
        text = ", ".join(str(v) for v in value)
    else:
        lines = [" ".join(line.split()) for line in str(value).splitlines()]
        lines = [line for line in lines if line]
        text = ""
        for line in lines:
            if not text:
                text = line
            elif text[-1] in ".,;:!?…-–—":
                text += " " + line
            else:
                text += "; " + line
    text = text.strip()
    return "" if text.casefold() in EMPTY_WORDS else text


def shorten(text: str, limit: int) -> str:
    """`text` cut to at most `limit` characters at a word boundary, with "…" when cut."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:·-–—") + "…"


def nice_date(value: str) -> str:
    """ "2026-11-24" as "Tue 24 Nov 2026" (the date as it was written otherwise)."""
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return value
    names = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
    months = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
    return f"{names[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}"


# -- the terminal card (Rich) ----------------------------------------------------------

WIDE = 60  # from this many columns, labels sit beside their answers


def renderable(card: Card, width: int, budget: int) -> Any:
    """The card as a Rich panel that wraps (never crops) at `width` columns."""
    from rich import box
    from rich.console import Group
    from rich.padding import Padding
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text

    parts: list[Any] = []
    if card.subtitle():
        parts.append(Text(card.subtitle(), style="muted", overflow="fold"))
    if width >= WIDE:
        grid = Table.grid(padding=(0, 1), expand=True)
        grid.add_column(style="heading", no_wrap=True, min_width=14)
        grid.add_column(ratio=1, overflow="fold")
        for item in card.items:
            grid.add_row(item.label, Text(shorten(item.text, budget), overflow="fold"))
        parts.append(grid)
    else:
        for item in card.items:
            parts.append(Text(item.label, style="heading", overflow="fold"))
            answer = Text(shorten(item.text, budget), overflow="fold")
            parts.append(Padding(answer, (0, 0, 0, 2)))
    if not card.items:
        parts.append(Text("The prep has no answers for the card yet.", style="muted"))
    return Panel(
        Group(*parts),
        title=Text(card.title(), style="title"),
        title_align="left",
        box=box.ROUNDED,
        border_style="magenta",
        width=width,
        padding=(0, 1),
    )


def plain_lines(card: Card, width: int, budget: int) -> list[str]:
    """The terminal card as plain text lines (no colour, no escape codes)."""
    import io

    from callback_coach.cli.console import new_console

    buffer = io.StringIO()
    new_console(file=buffer, width=width, color_system=None, force_terminal=False).print(
        renderable(card, width, budget)
    )
    return buffer.getvalue().rstrip("\n").split("\n")


def fit_budget(card: Card, width: int, height: int = SCREEN_LINES) -> int:
    """The longest answer length at which the card fits `height` lines at `width`
    columns; when even the shortest does not fit (a narrow screen), a readable middle."""
    for budget in TEXT_BUDGETS:
        if len(plain_lines(card, width, budget)) <= height:
            return budget
    return 120


def text(card: Card, width: int = 80) -> str:
    """The card as plain text, fitted to one 24-line screen at this width if it can be."""
    return "\n".join(plain_lines(card, width, fit_budget(card, width))) + "\n"


# -- Markdown --------------------------------------------------------------------------


def _md(text: str) -> str:
    """Escape what would change how a line of Markdown reads (user text stays text)."""
    out = []
    for ch in text:
        if ch in "\\`*_[]<>#|!~&":
            out.append("\\" + ch)
        elif ch in "\r\n":
            out.append(" ")
        else:
            out.append(ch)
    return "".join(out)


def markdown(card: Card) -> str:
    """A one-page Markdown card: a title, the round and date, then one line per answer."""
    lines = [f"# {_md(card.title())}", ""]
    if card.subtitle():
        lines += [f"*{_md(card.subtitle())}*", ""]
    for item in card.items:
        lines.append(f"- **{_md(item.label)}:** {_md(shorten(item.text, PAGE_BUDGET))}")
    if not card.items:
        lines.append("The prep has no answers for the card yet.")
    return "\n".join(lines) + "\n"


# -- HTML ------------------------------------------------------------------------------

STYLE = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%;text-size-adjust:100%}
body{margin:0;padding:14px;background:#f3efe8;color:#1f1d1a;
font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:36rem;margin:0 auto;background:#fff;border:1px solid #d9d1c4;
border-radius:14px;padding:16px 18px}
h1{font-size:1.35rem;line-height:1.2;margin:0;overflow-wrap:break-word}
.meta{color:#5c5750;margin:4px 0 10px;overflow-wrap:break-word}
dl{margin:0}
dt{margin-top:10px;font-size:.78rem;font-weight:700;letter-spacing:.05em;
text-transform:uppercase;color:#7b3f8c}
dd{margin:1px 0 0;overflow-wrap:break-word;word-break:normal}
.empty{color:#5c5750}
@page{margin:14mm}
@media print{
body{background:none;padding:0;font-size:11pt;line-height:1.35}
main{max-width:none;border:0;border-radius:0;padding:0}
dt{margin-top:7px}
dt,dd{break-inside:avoid;page-break-inside:avoid}
}
""".strip()


def to_html(card: Card) -> str:
    """One self-contained page: no script, no link, no font or image to fetch; every
    piece of the actor's text escaped. Reads on a phone; prints on one A4/Letter page."""
    e = html.escape
    rows = "\n".join(
        f"<dt>{e(item.label)}</dt><dd>{e(shorten(item.text, PAGE_BUDGET))}</dd>"
        for item in card.items
    )
    body = (
        f"<dl>\n{rows}\n</dl>"
        if card.items
        else ('<p class="empty">The prep has no answers for the card yet.</p>')
    )
    meta = f'<p class="meta">{e(card.subtitle())}</p>\n' if card.subtitle() else ""
    title = " · ".join(p for p in (card.role, card.round, "waiting-room card") if p)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta http-equiv="Content-Security-Policy" '
        "content=\"default-src 'none'; style-src 'unsafe-inline'\">\n"
        f"<title>{e(title)}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n"
        f"<h1>{e(card.title())}</h1>\n{meta}{body}\n</main>\n</body>\n</html>\n"
    )


FORMATS = ("text", "md", "html")


def check_format(fmt: str) -> str:
    from callback_coach.errors import UsageError

    value = fmt.strip().lower()
    value = {"markdown": "md", "txt": "text", "htm": "html"}.get(value, value)
    if value not in FORMATS:
        raise UsageError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    return value


def render(card: Card, fmt: str, width: int = 80) -> str:
    """The card as a file's text: `text` (plain, 80 columns), `md` or `html`."""
    if fmt == "md":
        return markdown(card)
    if fmt == "html":
        return to_html(card)
    return text(card, width)


def card_for(
    coach: Any,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    choose_project: Any = None,
) -> Card:
    """The card of a role's round (default: the latest round with a prep)."""
    from callback_coach.core.history import previous_round
    from callback_coach.core.inputs import check_round
    from callback_coach.errors import NotFoundError

    name, project_name, rounds = coach.timeline(
        role, project=project, choose_project=choose_project
    )
    prepared = [r for r in rounds if r.preps]
    if round_label is not None:
        wanted = check_round(round_label)
        record = next((r for r in prepared if r.round == wanted), None)
        if record is None:
            known = ", ".join(r.round for r in prepared) or "none"
            raise NotFoundError(f"{name!r} has no prep for {wanted} (rounds prepared: {known})")
    elif prepared:
        record = prepared[-1]
    else:
        from callback_coach.core.hints import command_line

        raise NotFoundError(
            f"{name!r} has no prep yet: run `{command_line(['prep'], [name])}` first"
        )
    previous = previous_round(rounds, record.round)
    last_review = previous.latest_review if previous is not None else None
    return build_card(
        name, project_name, record.round, record.preps, last_review, coach.catalogue()
    )


def file_name(role: str, round_label: str, suffix: str) -> str:
    """The file a card is written to by default: `nina_callback-1_card.html`."""
    from callback_coach.store.slugs import slugify

    return f"{slugify(role, fallback='role')}_{round_label}_card.{suffix}"
