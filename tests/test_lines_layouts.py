"""Sides in every layout parse to the same speeches; what is not spoken stays apart;
hostile files are one clear error each (exit code 10), never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest

from callback_coach.errors import ExitCode, NotFoundError, SidesError, UsageError
from callback_coach.lines.layouts import read_sides
from callback_coach.lines.scene import Direction, Speech

from .lines_helpers import (
    FOUNTAIN,
    SCREENPLAY,
    SPEECHES,
    STAGE,
    encrypted,
    pdf_of_pages,
    pdf_pages_of,
    speeches,
    write,
)

LAYOUTS = {
    "screenplay.txt": SCREENPLAY,
    "stage-play.txt": STAGE,
    "scene.fountain": FOUNTAIN,
    "screenplay.pdf": pdf_of_pages(pdf_pages_of(SCREENPLAY)),
    "stage-play.pdf": pdf_of_pages(pdf_pages_of(STAGE)),
}


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_every_layout_parses_to_the_same_speeches(tmp_path: Path, name: str) -> None:
    sides = read_sides(write(tmp_path, name, LAYOUTS[name]))
    assert speeches(sides.scenes) == SPEECHES
    assert sides.speakers() == ["ZOE", "MAX"]
    assert len(sides.scenes) == 2


@pytest.mark.parametrize("name", list(LAYOUTS))
def test_parentheticals_and_directions_are_not_spoken(tmp_path: Path, name: str) -> None:
    sides = read_sides(write(tmp_path, name, LAYOUTS[name]))
    first = sides.scenes[0]
    max_speech = first.speeches()[1]
    assert max_speech.directions == ("not looking up",)
    assert "looking" not in max_speech.text
    assert first.speeches()[-1].text == "Did you even read my letter?"
    directions = [e.text for e in first.elements if isinstance(e, Direction)]
    assert any("drops her bag" in d for d in directions)
    last = sides.scenes[1].speeches()[-1]
    assert (last.text, last.directions) == ("I can't.", ("quietly",))


@pytest.mark.parametrize("name", ["screenplay.txt", "scene.fountain", "screenplay.pdf"])
def test_screenplay_headings_extensions_and_dual_dialogue(tmp_path: Path, name: str) -> None:
    sides = read_sides(write(tmp_path, name, LAYOUTS[name]))
    assert [s.title for s in sides.scenes] == [
        "INT. BOATHOUSE BY THE LAKE - NIGHT",
        "EXT. JETTY - LATER",
    ]
    voice_over, go_home, stay, _ = sides.scenes[1].speeches()
    assert (voice_over.speaker, voice_over.extension) == ("MAX", "V.O.")
    # The speech broken by a page break ("(MORE)", "MAX (CONT'D)") is one speech.
    assert voice_over.text == "I read it twice. Then I burned it."
    assert (go_home.dual, stay.dual) == (False, True)
    every_text = " ".join(s.text for scene in sides.scenes for s in scene.speeches())
    for furniture in ("CUT TO", "CONT'D", "MORE", "INT.", "2.", "BLUE PAGES"):
        assert furniture not in every_text


def test_stage_play_headings_start_scenes(tmp_path: Path) -> None:
    sides = read_sides(write(tmp_path, "play.txt", STAGE))
    assert [s.title for s in sides.scenes] == ["SCENE ONE", "SCENE TWO"]
    assert sides.layout == "stage play"


def test_a_name_with_a_full_stop_inside_is_one_speaker(tmp_path: Path) -> None:
    text = "MRS. HALE. Sit down.\nDR. ROSS: I would rather stand.\nMRS. HALE. Then stand.\n"
    sides = read_sides(write(tmp_path, "hale.txt", text))
    assert speeches(sides.scenes) == [
        ("MRS. HALE", "Sit down."),
        ("DR. ROSS", "I would rather stand."),
        ("MRS. HALE", "Then stand."),
    ]


def test_title_case_names_before_a_colon_where_the_file_writes_them_so(tmp_path: Path) -> None:
    text = (
        "Note: the kettle is on throughout.\n\n"
        "Ada: Is it late?\nBen: Not yet.\nAda: It feels late.\n"
    )
    sides = read_sides(write(tmp_path, "kettle.txt", text))
    assert speeches(sides.scenes) == [
        ("Ada", "Is it late?"),
        ("Ben", "Not yet."),
        ("Ada", "It feels late."),
    ]
    assert isinstance(sides.scenes[0].elements[0], Direction)
    once = read_sides(write(tmp_path, "once.txt", "Ada: Is it late?\nBEN. Not yet.\n"))
    assert speeches(once.scenes) == [("BEN", "Not yet.")]  # one title-case name is no layout


def test_fountain_forced_elements_and_emphasis(tmp_path: Path) -> None:
    text = (
        "!SHOUTING IS ACTION HERE.\n\n@McCLANE\nYippee-*ki*-yay.\n\n"
        "ZOE\n(beat)\n**Fine.**\n  \nReally _fine_.\n"
    )
    sides = read_sides(write(tmp_path, "forced.fountain", text))
    assert speeches(sides.scenes) == [
        ("McCLANE", "Yippee-ki-yay."),
        ("ZOE", "Fine. Really fine."),
    ]
    first = sides.scenes[0].elements[0]
    assert isinstance(first, Direction) and first.text == "SHOUTING IS ACTION HERE."


def test_a_speech_without_words_is_a_direction(tmp_path: Path) -> None:
    text = "ZOE\n(nods)\n\nMAX\nGood.\n\nZOE\nGood.\n"
    scene = read_sides(write(tmp_path, "nod.txt", text)).scenes[0]
    assert isinstance(scene.elements[0], Direction)
    assert scene.elements[0].text == "ZOE (nods)"
    assert [s.speaker for s in scene.speeches()] == ["MAX", "ZOE"]


def test_same_title_twice_is_numbered(tmp_path: Path) -> None:
    text = "INT. KITCHEN - DAY\n\nZOE\nHi.\n\nINT. KITCHEN - DAY\n\nMAX\nBye.\n"
    titles = [s.title for s in read_sides(write(tmp_path, "k.txt", text)).scenes]
    assert titles == ["INT. KITCHEN - DAY (1)", "INT. KITCHEN - DAY (2)"]


# -- hostile files ------------------------------------------------------------------------


def refused(path: Path) -> SidesError:
    with pytest.raises(SidesError) as caught:
        read_sides(path)
    assert caught.value.exit_code == ExitCode.SIDES_UNREADABLE == 10
    assert "\n" not in caught.value.message
    return caught.value


def test_an_empty_file(tmp_path: Path) -> None:
    assert "empty" in refused(write(tmp_path, "empty.txt", "")).message
    assert "empty" in refused(write(tmp_path, "blank.txt", "\n  \n\t\n")).message


def test_a_binary_file(tmp_path: Path) -> None:
    data = bytes(range(256)) * 64
    assert "not text" in refused(write(tmp_path, "photo.txt", data)).message


def test_a_50_mb_file_is_refused_unread(tmp_path: Path) -> None:
    for name in ("huge.txt", "huge.pdf"):
        path = tmp_path / name
        with open(path, "wb") as handle:
            handle.truncate(50 * 1024 * 1024)  # sparse: 50 MB of zeros
        assert "larger than" in refused(path).message


def test_no_speaker_lists_what_was_tried(tmp_path: Path) -> None:
    prose = "It was a dark night. The rain fell on the lake.\n\nNobody said anything.\n"
    message = refused(write(tmp_path, "prose.txt", prose)).message
    assert message.startswith("no speaker found in prose.txt; tried: ")
    assert "screenplay" in message and "stage play" in message
    fountain = refused(write(tmp_path, "prose.fountain", prose)).message
    assert "Fountain" in fountain


def test_one_speaker_only_is_a_monologue(tmp_path: Path) -> None:
    text = "ZOE\nI said I would come.\n\nShe turns.\n\nZOE\nAnd I came.\n"
    sides = read_sides(write(tmp_path, "monologue.txt", text))
    assert sides.speakers() == ["ZOE"]
    assert speeches(sides.scenes) == [("ZOE", "I said I would come."), ("ZOE", "And I came.")]


def test_text_that_is_not_utf8_is_read_as_windows_1252(tmp_path: Path) -> None:
    text = "ZOË. Un café, s’il vous plaît.\nMAX. Deux cafés.\n"
    sides = read_sides(write(tmp_path, "paris.txt", text.encode("cp1252")))
    assert speeches(sides.scenes) == [
        ("ZOË", "Un café, s’il vous plaît."),
        ("MAX", "Deux cafés."),
    ]
    assert sides.notes == ["paris.txt is not UTF-8: read as Windows-1252"]


def test_utf16_with_a_byte_order_mark(tmp_path: Path) -> None:
    sides = read_sides(write(tmp_path, "u16.txt", STAGE.encode("utf-16")))
    assert speeches(sides.scenes) == SPEECHES


def test_an_encrypted_pdf(tmp_path: Path) -> None:
    pdf = encrypted(pdf_of_pages(pdf_pages_of(STAGE)), user_password="secret")
    message = refused(write(tmp_path, "locked.pdf", pdf)).message
    assert "encrypted" in message and ".txt" in message


def test_a_pdf_encrypted_only_against_copying_is_read(tmp_path: Path) -> None:
    pdf = encrypted(pdf_of_pages(pdf_pages_of(STAGE)), user_password="")
    assert speeches(read_sides(write(tmp_path, "copy-protected.pdf", pdf)).scenes) == SPEECHES


def test_a_scanned_pdf_has_no_text_layer(tmp_path: Path) -> None:
    pdf = pdf_of_pages([[""], [""]], image_only=True)
    message = refused(write(tmp_path, "scan.pdf", pdf)).message
    assert "no text layer" in message and "paste" in message


def test_a_damaged_pdf(tmp_path: Path) -> None:
    pdf = pdf_of_pages(pdf_pages_of(STAGE))
    message = refused(write(tmp_path, "torn.pdf", pdf[: len(pdf) // 3])).message
    assert "cannot be read as a PDF" in message
    assert "cannot be read" in refused(write(tmp_path, "fake.pdf", b"%PDF-1.4\nnot a pdf")).message


def test_a_missing_file_and_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NotFoundError):
        read_sides(tmp_path / "nowhere.txt")
    with pytest.raises(UsageError):
        read_sides(tmp_path)


def test_speech_objects_round_trip_through_plain_data(tmp_path: Path) -> None:
    from callback_coach.lines.scene import scene_from_data

    for scene in read_sides(write(tmp_path, "s.fountain", FOUNTAIN)).scenes:
        again = scene_from_data(scene.title, scene.to_data())
        assert again == scene
        assert all(isinstance(e, (Speech, Direction)) for e in again.elements)


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("notes.fountain", "[[" * 500_000),
        ("boneyard.fountain", "/* " * 300_000),
        ("stars.fountain", "ZOE\n" + "*a" * 500_000 + "\n"),
        ("names.txt", "AB. " * 400_000),
        ("parens.txt", "ZOE\n" + "(" * 500_000 + "x" + ")" * 500_000 + "\n"),
        ("cue.txt", "NINA " * 300_000 + "\nhi\n"),
    ],
    ids=["notes", "boneyard", "stars", "names", "parens", "cue"],
)
def test_pathological_text_is_read_in_one_pass(tmp_path: Path, name: str, text: str) -> None:
    # Patterns that could take the square of the text's length; the suite's timeout
    # (pytest-timeout) is what fails if one does.
    try:
        sides = read_sides(write(tmp_path, name, text))
    except SidesError as exc:
        assert exc.message.startswith("no speaker found")
    else:
        assert len(speeches(sides.scenes)) == 1


def test_more_lines_than_any_script_are_refused(tmp_path: Path) -> None:
    text = "ZOE\nHi.\n\nMAX\nHo.\n\n" * 5_001
    assert "more than 30,000 lines" in refused(write(tmp_path, "long.txt", text)).message
    assert "more than 30,000 lines" in refused(write(tmp_path, "long.fountain", text)).message
