"""The optional voice: without the extra or an engine, one line says what to install and
the drill goes on; with pyttsx3 and espeak-ng it speaks (skipped where they are absent)."""

from __future__ import annotations

import shutil
import subprocess
import sys
import types
from pathlib import Path

import pytest

from callback_coach.lines.voice import EngineVoice, VoiceUnavailable, open_voice


def test_without_the_extra_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # an import of it fails
    with pytest.raises(VoiceUnavailable) as caught:
        open_voice()
    assert 'pip install "callback-coach[voice]"' in caught.value.message
    assert "\n" not in caught.value.message


def test_without_an_engine_it_names_espeak_ng(monkeypatch: pytest.MonkeyPatch) -> None:
    def init() -> None:
        raise OSError("libespeak.so.1: cannot open shared object file")

    monkeypatch.setitem(sys.modules, "pyttsx3", types.SimpleNamespace(init=init))
    with pytest.raises(VoiceUnavailable, match="espeak-ng"):
        open_voice()


def test_the_lines_command_warns_in_one_line_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from callback_coach.cli.lines_cmd import _open_voice

    monkeypatch.setitem(sys.modules, "pyttsx3", None)
    assert _open_voice() is None
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 1 and err[0].startswith("warning: --voice needs the voice extra")


def test_an_engine_failing_mid_drill_falls_silent() -> None:
    calls: list[str] = []

    class Engine:
        def say(self, text: str) -> None:
            calls.append(text)
            raise RuntimeError("the audio device went away")

        def runAndWait(self) -> None:  # (pyttsx3 names it so)
            calls.append("wait")

    voice = EngineVoice(Engine())
    voice.say("Is she coming?")
    voice.say("Is she coming?")
    assert calls == ["Is she coming?"] and voice.broken


def test_what_the_engine_prints_stays_off_the_terminal(capfd: pytest.CaptureFixture[str]) -> None:
    import os

    class Engine:
        def say(self, text: str) -> None:
            print(f"Audio saved to {text}")
            os.write(1, b"ALSA lib: no card\n")
            os.write(2, b"aplay: no device\n")

        def runAndWait(self) -> None:  # (pyttsx3 names it so)
            pass

    EngineVoice(Engine()).say("cue")
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


# In a fresh interpreter: pyttsx3 keeps one engine per process, and a drill run earlier in
# the same test process (`--voice`) leaves it with its own loop and queue.
REAL_VOICE = """
import sys
from callback_coach.lines.voice import open_voice
voice = open_voice()
voice.say("Is she coming?")
assert not voice.broken, "the engine failed to say the cue"
voice.engine.save_to_file("Is she coming?", sys.argv[1])
voice.engine.runAndWait()
"""


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed")
def test_a_real_voice_reads_a_cue(tmp_path: Path) -> None:
    pytest.importorskip("pyttsx3", reason="the voice extra is not installed")
    wav = tmp_path / "cue.wav"
    sizes = []
    # pyttsx3's espeak driver, on a loaded machine, now and then ends runAndWait before
    # the file's samples are written (a 44-byte header only, about one run in a hundred
    # of the full suite here): the coach's own part, `say` without breaking, is checked
    # every time; the file is tried three times.
    for _ in range(3):
        done = subprocess.run(
            [sys.executable, "-c", REAL_VOICE, str(wav)],
            capture_output=True,
            text=True,
            timeout=60,
            stdin=subprocess.DEVNULL,
        )
        assert done.returncode == 0, done.stderr
        sizes.append(wav.stat().st_size)
        if sizes[-1] > 1000:
            break
    assert sizes[-1] > 1000, sizes  # espeak-ng really synthesised the cue
