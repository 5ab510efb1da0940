"""How YAML 1.1 (PyYAML) reads a scalar, for the guarded reader (`yamlio`): the tags of
the plain types, the words that are booleans or nulls, and integers and floats in every
form PyYAML accepts. Plain Python, so that reading a value does not import PyYAML.
"""

from __future__ import annotations

from typing import TypeAlias

# A scalar as the reader gives it (a timestamp stays the text it was written as).
Scalar: TypeAlias = str | int | float | bool | None

TAG = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (TAG + t for t in ("str", "int", "float", "bool", "null"))
TIMESTAMP, MERGE = TAG + "timestamp", TAG + "merge"
COLLECTION_TAGS = (None, "!", TAG + "seq", TAG + "map")
BOOLS = {"yes": True, "true": True, "on": True, "no": False, "false": False, "off": False}

# The first characters of plain values YAML 1.1 may read as something other than text
# (a plain value starting otherwise is text: no need to ask the resolver): the keys of
# PyYAML's `Resolver.yaml_implicit_resolvers`, written out so that reading a value does
# not import PyYAML (tests/test_yamlquick.py compares them with the resolver's).
RESOLVED_FIRST = frozenset("yYnNtTfFoO-+0123456789.<~=!&*")
ANY_FIRST = False  # (a resolver for any first character: None among those keys)
# Letters that start a boolean or a null ("yes", "Off", "null"...), and nothing else.
WORD_FIRST = frozenset(c for c in RESOLVED_FIRST if c.isalpha())
# Words YAML 1.1 reads as booleans or nulls (tests/test_yamlquick.py asks the resolver).
COMMON_WORDS: dict[str, bool | None] = {
    **dict.fromkeys(["true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON"], True),
    **dict.fromkeys(["false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF"], False),
    **dict.fromkeys(["~", "null", "Null", "NULL"], None),
}


class TooLong(Exception):
    """A number with more digits than the reader takes."""


def yaml_int(text: str, max_digits: int) -> int:
    """A YAML 1.1 integer, as PyYAML reads it (sign, 0b, 0x, 0 octal, 1:30 base 60);
    TooLong past `max_digits` characters, ValueError or IndexError when it is not one."""
    value = text.replace("_", "")
    if len(value) > max_digits:
        raise TooLong
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == "0":
        return 0
    if value.startswith("0b"):
        return sign * int(value[2:], 2)
    if value.startswith("0x"):
        return sign * int(value[2:], 16)
    if value[0] == "0":
        return sign * int(value, 8)
    if ":" in value:
        number = 0
        for part in value.split(":"):
            number = number * 60 + int(part)
        return sign * number
    return sign * int(value)


def yaml_float(text: str) -> float:
    """A YAML 1.1 float, as PyYAML reads it (.inf, .nan, 1:30.5 base 60)."""
    value = text.replace("_", "").lower()
    sign = -1 if value[0] == "-" else 1
    if value[0] in "+-":
        value = value[1:]
    if value == ".inf":
        return sign * float("inf")
    if value == ".nan":
        return float("nan")
    if ":" in value:
        number = 0.0
        for part in value.split(":"):
            number = number * 60 + float(part)
        return sign * number
    return sign * float(value)
