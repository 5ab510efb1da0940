"""The waiting-room card: one screen distilled from a round's prep and the last review.

Which answers feed the card is declared in the checklists (`card: SLOT` on a question),
so an actor's own checklist can add to it. For each slot the card takes this round's
prep answers (newest prep first); a slot the prep left empty takes the last round's
review. Empty answers are left out, never shown as blanks.

Building the card is pure; so is writing it as Markdown or HTML (the terminal card is
drawn by the CLI, `cli.card_view`). Long answers are shortened on the card at a word
boundary (the note keeps every word).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from callback_coach.core.answers import one_line
from callback_coach.core.checklist import CARD_LABELS, CARD_SLOTS, Catalogue
from callback_coach.core.hints import command_line
from callback_coach.core.home import Home
from callback_coach.core.inputs import check_round
from callback_coach.core.rounds import Round
from callback_coach.core.todos import open_todos
from callback_coach.errors import NotFoundError, UsageError
from callback_coach.lines import OffBook, offbook
from callback_coach.store import facts
from callback_coach.store.slugs import slugify

LABELS = CARD_LABELS
# Answers that mean "nothing here" on a card.
EMPTY_WORDS = ("none", "n/a", "-", "—")
# Lines on a terminal card; the text card is fitted to this height at 80 columns.
SCREEN_LINES = 24
TEXT_BUDGETS = (220, 160, 120, 90, 60)  # characters per answer, tried in turn
PAGE_BUDGET = 200  # Markdown and HTML: enough to keep one printed page
# Rows that are a line by nature (a time, an address, a to-do) get less of the page.
SHORT_ROWS = ("time", "place", "todo", "off-book")
SHORT_BUDGET = 120


@dataclass(frozen=True)
class CardItem:
    slot: str
    label: str
    text: str


def page_text(item: CardItem) -> str:
    """An item's text as the printed card (Markdown, HTML) shows it."""
    return shorten(item.text, SHORT_BUDGET if item.slot in SHORT_ROWS else PAGE_BUDGET)


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
    record: Round,
    previous: Round | None,
    catalogue: Catalogue,
    off_book: OffBook | None = None,
) -> Card:
    """The card of one round (built with its answers) from its preps' answers, merged
    question by question, and the previous round's review (or None) for what the preps
    left empty: when and where at the top (the round's time and place), then what is
    still to do before the callback, how off-book the actor is (`off_book`), and each
    slot in the card's order."""
    feeds = slot_map(catalogue)
    found = _slots(record.answers, feeds)
    if previous is not None and previous.reviews:
        for slot, value in _slots(previous.review_answers, feeds).items():
            found.setdefault(slot, value)
    for slot, key in (("time", "time"), ("place", "place")):
        if record.detail(key):
            found[slot] = " ".join(str(record.detail(key)).split())
    items: list[CardItem] = []
    for slot in CARD_SLOTS:
        if slot in found:
            items.append(CardItem(slot, LABELS[slot], found[slot]))
        if slot == "place":  # what is still to do comes right after when and where
            items += [
                CardItem("todo", LABELS["todo"], t.text) for t in open_todos(record, catalogue)
            ]
            if off_book is not None and off_book.total:
                figure = f"{off_book.percent}% of your lines ({off_book.right} of {off_book.total})"
                items.append(CardItem("off-book", LABELS["off-book"], figure))
    details = [
        " ".join(record.details[key].split())
        for key in ("medium", "casting_office")
        if record.details.get(key)
    ]
    return Card(
        role=record.role,
        project=record.project,
        round=record.label,
        date=record.date,
        details=tuple(details),
        items=tuple(items),
    )


def _slots(
    answers: Mapping[str, Mapping[str, object]], feeds: list[tuple[str, str, str]]
) -> dict[str, str]:
    """The card's slots these answers fill: each slot's answers (several questions may
    feed one slot), the same words once."""
    found: dict[str, list[str]] = {}
    for cid, qid, slot in feeds:
        text = answer_text(answers.get(cid, {}).get(qid))
        values = found.setdefault(slot, [])
        if text and text.casefold() not in (v.casefold() for v in values):
            values.append(text)
    return {slot: " · ".join(values) for slot, values in found.items() if values}


def answer_text(value: object) -> str:
    """An answer as one paragraph for the card ("" when there is nothing to show)."""
    if value is None or isinstance(value, (bool, list, tuple)):
        text = facts.answer_text(value)
    else:
        text = one_line(str(value))
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
        lines.append(f"- **{_md(item.label)}:** {_md(page_text(item))}")
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
body{background:none;padding:0;font-size:10pt;line-height:1.3}
main{max-width:none;border:0;border-radius:0;padding:0}
dt{margin-top:5px}
dt,dd{break-inside:avoid;page-break-inside:avoid}
}
""".strip()


def to_html(card: Card) -> str:
    """One self-contained page: no script, no link, no font or image to fetch; every
    piece of the actor's text escaped. Reads on a phone; prints on one A4/Letter page."""
    e = html.escape
    rows = "\n".join(
        f"<dt>{e(item.label)}</dt><dd>{e(page_text(item))}</dd>" for item in card.items
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
    """The card format `fmt` names (`markdown` is `md`...); UsageError for another."""
    value = fmt.strip().lower()
    value = {"markdown": "md", "txt": "text", "htm": "html"}.get(value, value)
    if value not in FORMATS:
        raise UsageError(f"format {fmt!r} is not one of: {', '.join(FORMATS)}")
    return value


def card_for(
    coach: Home,
    role: str,
    *,
    project: str | None = None,
    round_label: str | None = None,
    choose_project: Callable[[list[str]], str] | None = None,
) -> Card:
    """The card of a role's round (default: the latest round with a prep)."""
    name, project_name, found = coach.role(role, project, choose_project, answers=True)
    if found is None:
        raise coach.no_notes(name, project_name)
    prepared = [r for r in found.held if r.preps] if found is not None else []
    if round_label is not None:
        wanted = check_round(round_label)
        record = next((r for r in prepared if r.label == wanted), None)
        if record is None:
            known = ", ".join(r.label for r in prepared) or "none"
            raise NotFoundError(f"{name!r} has no prep for {wanted} (rounds prepared: {known})")
    elif prepared:
        record = prepared[-1]
    else:
        raise NotFoundError(
            f"{name!r} has no prep yet: run `{command_line(['prep'], [name])}` first"
        )
    return build_card(
        record,
        found.previous(record.label),
        coach.catalogue(),
        offbook(coach.home, name, project_name, record.label),
    )


def file_name(role: str, round_label: str, suffix: str) -> str:
    """The file a card is written to by default: `nina_callback-1_card.html`."""
    return f"{slugify(role, fallback='role')}_{round_label}_card.{suffix}"
