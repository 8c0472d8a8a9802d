"""Damaging JSON documents at random, for importer robustness tests (Hypothesis)."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from hypothesis import strategies as st


def any_json(*words: str) -> st.SearchStrategy[Any]:
    """Small JSON values, with ``words`` a format cares about mixed in."""
    return st.recursive(
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats()
        | st.text(max_size=8)
        | st.sampled_from(list(words)),
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=6,
    )


def json_paths(node: Any, prefix: tuple = ()) -> Iterator[tuple]:
    """Every path in a JSON document, the root first."""
    yield prefix
    children = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, child in children:
        yield from json_paths(child, (*prefix, key))


def replaced(doc: Any, path: tuple, value: Any, delete: bool) -> Any:
    """A copy of ``doc`` with the node at ``path`` replaced by ``value`` (or deleted)."""
    if not path:
        return value
    doc = copy.deepcopy(doc)
    parent = doc
    for key in path[:-1]:
        parent = parent[key]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = value
    return doc
