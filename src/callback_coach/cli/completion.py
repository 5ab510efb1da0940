"""Shell completion: role names, checklist ids and outcomes from the actor's own data, and
the bash, zsh and fish formats that put them on the command line correctly quoted.

Two things in Typer's own completion do not suit names an actor types:
- it keeps only the candidates that start with exactly what was typed, while the coach
  matches names without regard to case or accents (`ni` finds `Nina`, `luk` `Łukasz`);
  so our parameters carry a `CompletedText` type, whose candidates are used as they are;
- its bash format inserts a candidate as raw text, so `Hamlet 🎭` becomes two words and
  `o'brien` opens a quote; ours quotes each candidate the way the shell needs it.

And Typer's zsh script, installed by `--install-completion`, completed nothing on the
first Tab of a new shell (`ZSH_SCRIPT` does); fish and PowerShell get names only when
they can be written raw (`writable_as_is`).

Imported by the CLI at start-up: it imports nothing that Typer has not loaded already,
and reads the notes only when a completion runs. A completion never prints an error into
the shell: anything that goes wrong gives no candidates.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TypeVar

from typer import _completion_classes as typer_shells
from typer import _completion_shared as typer_scripts

from callback_coach.cli import console

try:  # Typer 0.25+ ships its own copy of Click
    from typer._click import core, shell_completion, types
except ImportError:  # pragma: no cover - older Typer uses Click itself
    from click import core, shell_completion, types  # type: ignore[import-not-found,no-redef,unused-ignore]

Shell = TypeVar("Shell", bound=shell_completion.ShellComplete)


def command_names(
    commands: Iterable[tuple[str, str]], incomplete: str
) -> list[shell_completion.CompletionItem]:
    """The commands (name, short help) whose name starts with what was typed."""
    return [
        shell_completion.CompletionItem(name, help=short_help)
        for name, short_help in commands
        if name.startswith(incomplete)
    ]


def complete_role(incomplete: str) -> list[str]:
    """Role names from the actor's own notes, matched case- and accent-insensitively."""
    # The notes (and hashlib) are loaded only when a completion runs, not at start-up.
    from callback_coach.core.workflow import Coach
    from callback_coach.store.slugs import fold

    start = fold(incomplete)
    names = {row.role for row in Coach.open().index.roles()}
    return sorted(n for n in names if fold(n).startswith(start))


def complete_checklist(incomplete: str) -> list[str]:
    """Checklist ids, built-in and the actor's own."""
    from callback_coach.core.workflow import Coach  # the notes: only when completing

    start = incomplete.lower()
    return [i for i in Coach.open().catalogue().ids() if i.startswith(start)]


def complete_outcome(incomplete: str) -> list[str]:
    """The outcomes a round can have."""
    from callback_coach.store.labels import OUTCOMES  # only when completing

    return [o for o in OUTCOMES if o.startswith(incomplete.lower())]


class CompletedText(types.StringParamType):
    """Text whose completions come from `source`, which does its own matching: every
    candidate it returns is offered, none is filtered out again by its first letters."""

    def __init__(self, source: Callable[[str], list[str]]) -> None:
        self.source = source

    def shell_complete(
        self, ctx: core.Context, param: core.Parameter, incomplete: str
    ) -> list[shell_completion.CompletionItem]:
        try:
            values = self.source(incomplete)
        except Exception:  # completion must never print an error into the shell
            return []
        return [shell_completion.CompletionItem(v) for v in values]


ROLE_NAME = CompletedText(complete_role)
CHECKLIST_ID = CompletedText(complete_checklist)
OUTCOME = CompletedText(complete_outcome)


# -- quoting a candidate for the shell ----------------------------------------------------

# ASCII characters that mean nothing to bash or zsh inside a word; any other ASCII
# character is quoted. Letters beyond ASCII (accents, other scripts, emoji) need nothing.
_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./+@%,")


def _ansi_c_escape(ch: str) -> str:
    """One character as bash and zsh read it inside $'...'."""
    if ch in "\\'":
        return "\\" + ch
    # Space would split the word and *?[ be globbed where Typer's scripts leave the
    # candidates unquoted ($(...)), so they are written as codes too.
    if ch.isprintable() and ch not in " *?[":
        return ch
    code = ord(ch)
    if code < 0x80:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def ansi_c_quoted(value: str) -> str:
    """`value` as one $'...' word: no space, no control character, nothing the shell runs."""
    return "$'" + "".join(_ansi_c_escape(ch) for ch in value) + "'"


def bash_word(value: str, open_quote: str | None) -> str | None:
    """`value` as bash must insert it in place of the word being completed.

    `open_quote` is the quote the actor opened in that word and did not close (`'`, `"`
    or None): readline keeps it and closes it after the candidate, so inside it only
    what that quote needs is escaped. None when the value cannot be written there.
    """
    if open_quote is None:
        if not value.isprintable():
            return ansi_c_quoted(value)
        return "".join(ch if ch in _PLAIN or not ch.isascii() else "\\" + ch for ch in value)
    if not value.isprintable():
        return None
    if open_quote == "'":
        return value.replace("'", "'\\''")
    return "".join("\\" + ch if ch in '\\"$`' else ch for ch in value)


def open_quote(word: str) -> str | None:
    """The quote left open at the end of a shell word as typed (`'`, `"` or None)."""
    return _scan(word)[1]


def raw_words(line: str) -> list[str]:
    """A command line split into words as typed (quotes and backslashes kept)."""
    return _scan(line)[0]


def _scan(line: str) -> tuple[list[str], str | None]:
    """The words of `line` as typed, and the quote still open at its end."""
    words: list[str] = []
    current: list[str] = []
    quote: str | None = None
    escaped = False
    for ch in line:
        if escaped:
            escaped = False
        elif quote == "'":
            quote = None if ch == "'" else quote
        elif ch == "\\":
            escaped = True
        elif quote == '"':
            quote = None if ch == '"' else quote
        elif ch in "'\"":
            quote = ch
        elif ch.isspace():
            if current:
                words.append("".join(current))
                current = []
            continue
        current.append(ch)
    if current:
        words.append("".join(current))
    return words, quote


_SHOWS_FILES = ("file", "dir")


def _safe(complete: Callable[[Shell], str]) -> Callable[[Shell], str]:
    def guarded(self: Shell) -> str:
        try:
            return complete(self)
        except Exception:  # never an error, never a traceback in the shell
            return ""

    return guarded


class BashComplete(typer_shells.BashComplete):
    """Bash: each candidate quoted for the word it replaces."""

    @_safe
    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if any(item.type in _SHOWS_FILES for item in items):
            return ""  # nothing: bash completes file names itself (`complete -o default`)
        words = raw_words(os.environ.get("COMP_WORDS", ""))
        cword = int(os.environ.get("COMP_CWORD", "0"))
        quote = open_quote(words[cword]) if cword < len(words) else None
        quoted = (bash_word(str(item.value), quote) for item in items)
        return "\n".join(word for word in quoted if word is not None)


class ZshComplete(typer_shells.ZshComplete):
    """Zsh: the candidates are added as they are (`compadd -U`), and zsh quotes the one it
    inserts. Commands and options, which have descriptions, keep Typer's format."""

    @_safe
    def complete(self) -> str:
        args, incomplete = self.get_completion_args()
        items = self.get_completions(args, incomplete)
        if not items or any(item.type in _SHOWS_FILES for item in items):
            return "_files"
        if any(item.help for item in items):
            described = "\n".join(self.format_completion(item) for item in items)
            return f"_arguments '*: :(({described}))'"
        # Typer's script runs `eval $(...)` unquoted: the words must hold no whitespace.
        return "compadd -U -- " + " ".join(ansi_c_quoted(str(item.value)) for item in items)


def writable_as_is(value: str) -> bool:
    """True when `value` can be written raw in a line-based completion format: no line
    break or tab (the format's separators) and nothing `console.visible` would escape (a
    control sequence, a bidi override, a zero-width mark) that the shell would then put
    on the command line and the terminal act on."""
    return "\n" not in value and "\t" not in value and console.visible(value) == value


class FishComplete(typer_shells.FishComplete):
    """Fish: one candidate a line (fish quotes the one it inserts); a name that cannot be
    written raw in that format (`writable_as_is`) is left out."""

    def get_completions(
        self, args: list[str], incomplete: str
    ) -> list[shell_completion.CompletionItem]:
        items = super().get_completions(args, incomplete)
        return [item for item in items if writable_as_is(str(item.value))]

    @_safe
    def complete(self) -> str:
        return super().complete()


class PowerShellComplete(typer_shells.PowerShellComplete):
    """PowerShell: one `value:::help` a line, inserted as it is; a name that cannot be
    written raw (`writable_as_is`) is left out, and help is our own text, made visible."""

    def get_completions(
        self, args: list[str], incomplete: str
    ) -> list[shell_completion.CompletionItem]:
        items = super().get_completions(args, incomplete)
        return [item for item in items if writable_as_is(str(item.value))]

    def format_completion(self, item: shell_completion.CompletionItem) -> str:
        shown = console.one_line(item.help) if item.help else " "
        return f"{item.value}:::{shown}"

    @_safe
    def complete(self) -> str:
        return super().complete()


# Typer's zsh script defines the completion function and registers it with `compdef`.
# Sourced (`source <(coach --show-completion zsh)`), that is right. Installed
# (`--install-completion` writes it to ~/.zfunc/_coach, which compinit autoloads as the
# completer of `coach`), the first Tab only ran that registration and completed nothing:
# run as the completer, it now completes as well.
ZSH_SCRIPT = """
#compdef %(prog_name)s

%(complete_func)s() {
  eval $(env _TYPER_COMPLETE_ARGS="${words[1,$CURRENT]}" %(autocomplete_var)s=complete_zsh %(prog_name)s)
}

if [[ "${funcstack[1]-}" == "_%(prog_name)s" ]]; then
  %(complete_func)s "$@"
else
  compdef %(complete_func)s %(prog_name)s
fi
"""


def use_coach_scripts() -> None:
    """Make `--show-completion` and `--install-completion` write the coach's zsh script
    (Typer reads its scripts from this table when either option runs)."""
    typer_scripts._completion_scripts["zsh"] = ZSH_SCRIPT
    ZshComplete.source_template = ZSH_SCRIPT


def use_coach_shells() -> None:
    """Make bash, zsh, fish and PowerShell completion use the coach's formats (called
    before a completion request is answered)."""
    for cls in (BashComplete, ZshComplete, FishComplete):
        shell_completion.add_completion_class(cls, cls.name)
    for name in ("powershell", "pwsh"):
        shell_completion.add_completion_class(PowerShellComplete, name)


use_coach_scripts()
