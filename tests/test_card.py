"""The waiting-room card: which answers feed it, what it shows, and its three formats."""

from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from callback_coach.cli import card_view
from callback_coach.cli.app import app
from callback_coach.core.checklist import CARD_SLOTS
from callback_coach.core.checklist_load import parse_checklist_text
from callback_coach.core.workflow import Coach
from callback_coach.day import card as cards
from callback_coach.errors import ChecklistError, ExitCode

from .helpers import REVIEW, write_checklist

runner = CliRunner()

PREP = {
    "refine-intention": {"want": "to win him over", "obstacle": "not on the card"},
    "prepare-for-redirection": {
        "clarifying-question": "Bigger in feeling, or bigger in voice?",
        "recovery": "Stop, breathe, go back to the line before.",
        "alternate-take": "Play it as a threat.",
    },
    "recall-what-worked": {
        "what-worked": "Keep the pause.",
        "refresh": "Refresh the entrance",
        "who-will-be-there": "Anna (casting), the director",
        "wardrobe": "",
    },
    "mindset": {
        "breathing": "box breathing (4 in, 4 hold, 4 out, 4 hold)",
        "affirmation": "They already like me.",
        "anchor": "none",
    },
}


def save_prep(coach: Coach, answers=PREP, role: str = "Nina", **kwargs):
    plan = coach.plan_prep(role, **kwargs)
    return coach.save_answers(plan, answers)


def save_review(coach: Coach, answers=REVIEW, role: str = "Nina", **kwargs):
    plan = coach.plan_review(role, outcome="callback", **kwargs)
    return coach.save_answers(plan, answers)


# -- the checklist key ------------------------------------------------------------------


def test_built_in_checklists_declare_what_feeds_the_card(home: Path) -> None:
    feeds = {(cid, qid): slot for cid, qid, slot in cards.slot_map(Coach(home).catalogue())}
    assert feeds[("refine-intention", "want")] == "want"
    assert feeds[("after-the-room", "one-thing")] == "work-on"
    assert feeds[("mindset", "breathing")] == "breathing"
    assert feeds[("logistics", "time")] == "time"
    assert {slot for slot in feeds.values()} == set(CARD_SLOTS) - {"remember"}
    # The card's own rows (open to-dos, the off-book figure) have labels but no question.
    assert set(cards.LABELS) == set(CARD_SLOTS) | {"todo", "off-book"}


def test_card_key_is_validated_and_round_trips() -> None:
    text = "id: x\ntitle: X\nphase: prep\nquestions:\n  - id: q\n    prompt: Q?\n    card: want\n"
    checklist = parse_checklist_text(text)
    assert checklist.questions[0].card == "want"
    assert checklist.to_dict()["questions"][0]["card"] == "want"
    with pytest.raises(ChecklistError) as info:
        parse_checklist_text(text.replace("card: want", "card: lunch"), "bad.yaml")
    assert info.value.details == [
        f"bad.yaml:7: question 'q': 'card' must be one of: {', '.join(CARD_SLOTS)}"
    ]


# -- what the card holds ------------------------------------------------------------------


def test_card_content_for_a_known_prep(home: Path) -> None:
    coach = Coach(home)
    save_prep(coach, project="The Seagull", date="2026-11-24")
    card = cards.card_for(coach, "nina")
    assert (card.role, card.project, card.round, card.date) == (
        "Nina",
        "The Seagull",
        "callback-1",
        "2026-11-24",
    )
    assert [(i.slot, i.text) for i in card.items] == [
        # Logistics ran with the time and place left blank: both are open to-dos, on top.
        ("todo", "Find out your call time (or when the tape is due)"),
        ("todo", "Find out where it is (the address or the link)"),
        ("want", "to win him over"),
        ("keep", "Keep the pause."),
        ("refresh", "Refresh the entrance"),
        ("ask", "Bigger in feeling, or bigger in voice?"),
        ("recovery", "Stop, breathe, go back to the line before."),
        ("line", "They already like me."),
        ("breathing", "box breathing (4 in, 4 hold, 4 out, 4 hold)"),
        ("room", "Anna (casting), the director"),
    ]
    assert card.subtitle() == "callback-1 · Tue 24 Nov 2026"


def test_the_card_names_the_medium_the_prep_answered(home: Path) -> None:
    coach = Coach(home)
    answers = {"refine-intention": {"medium": "self-tape", "want": "to stay"}}
    save_prep(coach, answers=answers, date="2026-11-24")
    card = cards.card_for(coach, "Nina")
    assert card.subtitle() == "callback-1 · Tue 24 Nov 2026 · self-tape"


def test_empty_answers_are_left_out_never_blank(home: Path) -> None:
    coach = Coach(home)
    save_prep(coach, answers={"refine-intention": {"want": "to stay"}}, date="2026-11-24")
    card = cards.card_for(coach, "Nina")
    # Only the want and the two to-dos of the blank time and place (no question has a
    # ready-made answer): nothing empty, no "none" anchor.
    assert [i.slot for i in card.items] == ["todo", "todo", "want"]
    text = card_view.text(card)
    for label in ("Anchor", "Wear", "Direction", "Breathe"):
        assert label not in text
    assert "Anchor" not in cards.markdown(card) and "Anchor" not in cards.to_html(card)


def test_this_prep_wins_and_the_last_review_fills_the_gaps(home: Path) -> None:
    coach = Coach(home)
    save_prep(coach, answers={"refine-intention": {"want": "to be seen"}}, date="2026-11-20")
    save_review(coach, date="2026-11-21")
    save_prep(
        coach,
        answers={
            "refine-intention": {"want": "to win"},
            "recall-what-worked": {"direction-last-time": "More pride, less pleading"},
        },
        date="2026-11-24",
    )
    card = cards.card_for(coach, "Nina")
    assert card.round == "callback-2"
    assert card.get("want") == "to win"
    assert card.get("direction") == "More pride, less pleading", "the prep wins"
    # Not in this prep: the last round's review fills them in.
    assert card.get("work-on") == "Breathe before the exit"
    assert card.get("wardrobe") == "Blue dress, hair down"
    assert card.get("room") == "Anna (casting), the director"
    # An earlier round can still be asked for.
    assert cards.card_for(coach, "Nina", round_label="callback-1").get("want") == "to be seen"


def test_a_users_checklist_adds_to_the_card(home: Path) -> None:
    write_checklist(
        home / "checklists",
        "day.yaml",
        {
            "id": "day",
            "title": "On the day",
            "phase": "prep",
            "questions": [
                {"id": "snack", "prompt": "What will you eat?", "card": "remember"},
                {"id": "motto", "prompt": "A second line?", "card": "line"},
            ],
        },
    )
    coach = Coach(home)
    save_prep(
        coach,
        answers={
            "refine-intention": {"want": "to stay"},
            "mindset": {"affirmation": "I belong here."},
            "day": {"snack": "A banana at ten", "motto": "Play, don't prove."},
        },
    )
    card = cards.card_for(coach, "Nina")
    assert card.get("remember") == "A banana at ten"
    assert card.get("line") == "I belong here. · Play, don't prove."


def test_a_role_without_a_prep(home: Path) -> None:
    result = runner.invoke(app, ["card", "Hamlet"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert result.stderr == "error: no notes for 'Hamlet'\n"
    coach = Coach(home)
    save_prep(coach)
    result = runner.invoke(app, ["card", "Nina", "--round", "callback-4"])
    assert result.exit_code == ExitCode.NOT_FOUND
    assert (
        result.stderr == "error: 'Nina' has no prep for callback-4 (rounds prepared: callback-1)\n"
    )


# -- the terminal card --------------------------------------------------------------------

LONG = (
    "I keep the pause before the last line exactly as it was, and I refresh the entrance "
    "so that I come in already in the middle of a thought about him and about the lake"
)


def fullest_card(coach: Coach, extra: dict | None = None) -> cards.Card:
    """A card with a long answer in every slot the built-in checklists feed."""
    slots = {
        "logistics": ["time", "place"],
        "refine-intention": ["want"],
        "prepare-for-redirection": ["clarifying-question", "recovery"],
        "recall-what-worked": [
            "what-worked",
            "refresh",
            "work-on",
            "direction-last-time",
            "who-will-be-there",
            "wardrobe",
        ],
        "mindset": ["affirmation", "anchor", "silent-room"],
    }
    answers = {cid: {qid: f"{LONG} ({qid})" for qid in qids} for cid, qids in slots.items()}
    answers["mindset"]["breathing"] = "long slow exhales"
    save_prep(coach, answers={"refine-intention": {"want": "to be seen"}}, project="The Seagull")
    save_review(coach, answers={"after-the-room": {"one-thing": f"{LONG} (one-thing)"}})
    save_prep(coach, answers={**answers, **(extra or {})})
    return cards.card_for(coach, "Nina")


def test_a_full_card_fits_one_80_by_24_screen(home: Path) -> None:
    card = fullest_card(Coach(home))
    assert len(card.items) == len(CARD_SLOTS) - 1  # all but "remember"
    lines = card_view.text(card, 80).splitlines()
    assert len(lines) <= 24
    assert all(len(line) <= 80 for line in lines)
    assert "…" in "\n".join(lines), "long answers are shortened, at a word boundary"


WORD = st.text(alphabet=st.characters(categories=("L", "N")), min_size=1, max_size=14)


@settings(max_examples=40, deadline=None)
@given(words=st.lists(WORD, min_size=1, max_size=40), width=st.sampled_from([40, 52, 80, 120]))
def test_words_wrap_and_are_never_cut(words: list[str], width: int) -> None:
    answer = " ".join(words)
    card = cards.Card("Nina", "", "", "", (), (cards.CardItem("want", "Want", answer),))
    from rich.cells import cell_len

    lines = card_view.plain_lines(card, width, 400)
    # Columns on the screen, not characters: some letters (e.g. U+1160) take none.
    assert all(cell_len(line) <= width for line in lines)
    # The label starts the first line (the answer beside it or below); the answer may
    # itself hold the word "Want", so the label is taken off that first line only.
    content = [line.strip("│╭╮╰╯─ ") for line in lines[1:-1]]
    assert content[0].startswith("Want")
    inner = " ".join([content[0].removeprefix("Want"), *content[1:]])
    shown = inner.split()
    assert shown == words, "every word whole, in order"


# -- Markdown and HTML ---------------------------------------------------------------------

HOSTILE = {
    "refine-intention": {"want": "<script>alert(1)</script> **bold** [x](http://evil.example)"},
    "mindset": {"anchor": "& a \"quote\" and 'single' <img src=x onerror=y>"},
}


def test_markdown_is_one_page_and_keeps_user_text_as_text(home: Path) -> None:
    from markdown_it import MarkdownIt

    coach = Coach(home)
    save_prep(coach, answers=HOSTILE, project="The Seagull")
    text = cards.markdown(cards.card_for(coach, "Nina"))
    tokens = MarkdownIt().parse(text)
    inline = [t for t in tokens if t.type == "inline"]
    assert inline[0].content == "Nina · The Seagull"
    rendered = MarkdownIt().render(text)
    assert "<script>" not in rendered and "<img" not in rendered and "href" not in rendered
    assert "&lt;script&gt;alert(1)&lt;/script&gt; **bold** [x](http://evil.example)" in rendered
    assert len(text.splitlines()) < 50, "one printed page"


class Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs.extend(attrs)

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_escaped(home: Path) -> None:
    coach = Coach(home)
    save_prep(coach, answers=HOSTILE, project="The Seagull")
    page = cards.to_html(cards.card_for(coach, "Nina"))
    parsed = Collector()
    parsed.feed(page)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "link" not in parsed.tags
    assert not re.search(r"(https?:)?//", " ".join(v or "" for _, v in parsed.attrs))
    assert "url(" not in page and "@import" not in page
    text = "".join(parsed.text)
    assert "<script>alert(1)</script> **bold** [x](http://evil.example)" in text
    assert "& a \"quote\" and 'single' <img src=x onerror=y>" in text
    assert 'name="viewport"' in page and "@page" in page and "max-width" in page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="needs a headless Chromium (apt-get install chromium)")
@pytest.mark.parametrize("paper", ["A4", "letter"])
def test_the_fullest_html_card_prints_on_one_page(home: Path, tmp_path: Path, paper: str) -> None:
    write_checklist(
        home / "checklists",
        "day.yaml",
        {
            "id": "day",
            "title": "Day",
            "phase": "prep",
            "questions": [{"id": "x", "prompt": "X?", "card": "remember"}],
        },
    )
    card = fullest_card(Coach(home), {"day": {"x": LONG + " " + LONG}})
    assert len(card.items) == len(CARD_SLOTS)
    page = cards.to_html(card)
    page = page.replace("@page{", f"@page{{size:{paper};")
    source = tmp_path / "card.html"
    source.write_text(page, encoding="utf-8")
    pdf = tmp_path / "card.pdf"
    subprocess.run(
        [
            CHROMIUM,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            source.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    pages = re.findall(rb"/Type\s*/Page\b", pdf.read_bytes())
    assert len(pages) == 1


# -- the command ----------------------------------------------------------------------------


def test_card_command_formats_and_output_file(home: Path, tmp_path: Path) -> None:
    save_prep(Coach(home), project="The Seagull")
    result = runner.invoke(app, ["card", "Nina"])
    assert result.exit_code == 0 and "to win him over" in result.stdout
    assert "\x1b" not in result.stdout
    md = runner.invoke(app, ["card", "Nina", "--format", "markdown"])
    assert md.stdout.startswith("# Nina · The Seagull\n")
    target = tmp_path / "nina.html"
    first = runner.invoke(app, ["card", "Nina", "-f", "html", "-O", str(target)])
    assert first.exit_code == 0 and first.stdout == ""
    assert target.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = runner.invoke(app, ["card", "Nina", "-f", "html", "-O", str(target)])
    assert again.exit_code == ExitCode.EXISTS
    assert (
        runner.invoke(app, ["card", "Nina", "-f", "html", "-O", str(target), "--force"]).exit_code
        == 0
    )
    folder = tmp_path / "cards"
    folder.mkdir()
    assert runner.invoke(app, ["card", "Nina", "-f", "md", "-O", f"{folder}/"]).exit_code == 0
    assert [p.name for p in folder.iterdir()] == ["nina_callback-1_card.md"]
    bad = runner.invoke(app, ["card", "Nina", "--format", "pdf"])
    assert bad.exit_code == ExitCode.USAGE
    assert bad.stderr == "error: format 'pdf' is not one of: text, md, html\n"
