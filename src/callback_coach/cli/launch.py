"""The `coach` command's entry point, kept light: when the notes folder is large, the
folder's listing starts being read by another core (`listing.read_ahead`) while the rest
of the coach loads (about 50 ms: Typer, the command's modules), then the command line
runs (`cli.main`), and the index takes the digest the child read.
"""

from __future__ import annotations

import os
import sys


def main() -> None:
    """Entry point of the `coach` command (and `python -m callback_coach`)."""
    _read_ahead()
    from callback_coach.cli.app import main as run

    run()


def _read_ahead() -> None:
    """Start reading a large notes folder's listing, unless the run is for help, the
    version or shell completion (no command: nothing to read)."""
    args = sys.argv[1:]
    if not args or args[0].startswith("-") or any(k.endswith("_COMPLETE") for k in os.environ):
        return
    from callback_coach.store import listing, paths

    try:
        notes = paths.notes_dir(paths.coach_home())
    except Exception:  # (the command itself reports a home it cannot use)
        return
    if listing.looks_large(notes):
        listing.read_ahead(notes)
