"""The index's row for a note keeps its front matter as JSON only when JSON gives it back
exactly: every mapping key text, no value JSON cannot hold."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from callback_coach.store.index.rows import meta_json

keys = st.one_of(st.text(max_size=5), st.integers(), st.booleans(), st.none())
values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)),
    max_leaves=25,
)


def text_keys_everywhere(value: object) -> bool:
    if isinstance(value, dict):
        return all(isinstance(k, str) for k in value) and all(
            text_keys_everywhere(v) for v in value.values()
        )
    if isinstance(value, list):
        return all(text_keys_everywhere(v) for v in value)
    return True


@given(st.dictionaries(st.text(max_size=5), values, max_size=5))
def test_the_front_matter_is_kept_as_json_only_when_it_comes_back_the_same(meta) -> None:
    kept = meta_json(meta)
    if text_keys_everywhere(meta):
        assert kept is not None and json.loads(kept) == meta
    else:
        assert kept is None, "a number or yes/no key would come back as text"
