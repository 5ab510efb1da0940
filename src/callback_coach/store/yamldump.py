"""The one YAML writer (notes' front matter, drafts, checklists, exports).

It quotes every string that a YAML 1.1 reader (PyYAML) or a YAML 1.2 reader
(ruamel.yaml, most editors) could read as another type, never writes aliases, keeps
multi-line text as literal blocks, and reads back through `yamlio.load` to exactly what
it wrote.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import yaml
    from yaml.representer import SafeRepresenter

# A string starting like a number (1e3, 0o17, 0x1F, .5, +1, 1_000, _1, 12:30, 2026-11-23,
# .inf, -.inf) or spelled like a null or a boolean in YAML 1.1 or 1.2 (y and n included,
# which PyYAML reads as text but other YAML 1.1 readers do not) is quoted.
_NUMBER_LIKE = re.compile(r"[-+]?[._0-9]")
QUOTED_WORDS = frozenset(["", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"])
# PyYAML writes these raw when Unicode is allowed, then reads them back as line breaks.
YAML_LINE_BREAKS = ("\x85", "\u2028", "\u2029")
_STR = "tag:yaml.org,2002:str"


def needs_quotes(value: str) -> bool:
    """True when a plain (unquoted) `value` could be read as something other than text."""
    return value.lower() in QUOTED_WORDS or _NUMBER_LIKE.match(value) is not None


@functools.cache
def dumper() -> type[yaml.SafeDumper]:
    """PyYAML's safe dumper writing readable multi-line text (literal blocks), no folding
    and no aliases (made when first needed). It is PyYAML's own emitter: libyaml's escapes
    every character outside the BMP (an emoji in a role name would be written as
    "\\U0001F3AD")."""
    import yaml  # (PyYAML takes about 10 ms to import: most commands write no YAML)

    class _Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data: object) -> bool:
            return True

    _Dumper.add_representer(str, represent_str)
    return _Dumper


def represent_str(dumper: SafeRepresenter, value: str) -> yaml.ScalarNode:
    """How `dumper` writes text (for a writer of the same text with libyaml's emitter)."""
    if "\n" in value:
        style: str | None = "|"
    elif needs_quotes(value):
        style = "'"
    else:
        style = None
    return dumper.represent_scalar(_STR, value, style=style)


def has_yaml_line_break(data: object) -> bool:
    """True when some text in `data` holds a character YAML reads as a line break."""
    if isinstance(data, str):
        return any(ch in data for ch in YAML_LINE_BREAKS)
    if isinstance(data, dict):
        return any(has_yaml_line_break(k) or has_yaml_line_break(v) for k, v in data.items())
    if isinstance(data, (list, tuple)):
        return any(has_yaml_line_break(v) for v in data)
    return False


def dump(data: object) -> str:
    """Stable, readable, safe YAML (keys in insertion order, Unicode kept).

    Text holding a character YAML reads as a line break makes the document escape
    non-ASCII instead, so that `yamlio.load(dump(x)).value == x` always holds.
    """
    import yaml  # (see `dumper`)

    text: str = yaml.dump(
        data,
        Dumper=dumper(),
        sort_keys=False,
        allow_unicode=not has_yaml_line_break(data),
        width=2**31 - 1,
        default_flow_style=False,
    )
    return text
