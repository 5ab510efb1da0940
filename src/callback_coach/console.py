"""The two consoles: data to stdout, messages and errors to stderr; one theme."""

from __future__ import annotations

import sys
from functools import cache

from rich.console import Console
from rich.theme import Theme

THEME = Theme(
    {
        "title": "bold magenta",
        "heading": "bold cyan",
        "help": "dim italic",
        "answer": "green",
        "muted": "dim",
        "error": "bold red",
        "warning": "yellow",
        "ok": "bold green",
        "match": "bold reverse",
    }
)


@cache
def out() -> Console:
    """Console for data and the interactive session (stdout)."""
    return Console(theme=THEME, highlight=False)


@cache
def err() -> Console:
    """Console for messages, warnings and errors (stderr)."""
    return Console(theme=THEME, stderr=True, highlight=False)


def error(message: str, prefix: str = "error: ") -> None:
    label = f"[error]{_escape(prefix)}[/error]" if prefix else ""
    err().print(f"{label}{_escape(message)}", soft_wrap=True)


def warn(message: str) -> None:
    err().print(f"[warning]warning:[/warning] {_escape(message)}", soft_wrap=True)


def info(message: str) -> None:
    err().print(_escape(message), soft_wrap=True)


def _escape(text: str) -> str:
    from rich.markup import escape

    return escape(text)


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (ValueError, OSError):
        return False
