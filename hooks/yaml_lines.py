"""Line and column numbers of the values in a YAML file, from PyYAML's node marks.

Composing builds the node tree without constructing Python values, so any tag passes: mkdocs.yml's
`!ENV [OFFLINE, false]` and `!!python/name:…` need MkDocs' own loader to load, but not to be located.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

if TYPE_CHECKING:
    from collections.abc import Sequence

    from yaml.error import Mark

    # Keys and indices from the document's root: ("nav", 8, "About", 0).
    NodePath = Sequence[str | int]


class YamlLines:
    """One YAML text, composed once, looked up by path: mapping keys by name, sequence items by index."""

    def __init__(self, text: str) -> None:
        # Raises yaml.YAMLError (with problem_mark) when the text is not YAML; None for an empty text.
        self.root: yaml.Node | None = yaml.compose(text, Loader=yaml.SafeLoader)

    def line(self, path: NodePath) -> int | None:
        """1-based line of the node at `path`; for a mapping value, the line of its key. None if absent."""
        mark = self._mark(path)
        return None if mark is None else mark.line + 1

    def column(self, path: NodePath) -> int | None:
        """1-based column of the node `line` points at. None if absent."""
        mark = self._mark(path)
        return None if mark is None else mark.column + 1

    def node(self, path: NodePath) -> yaml.Node | None:
        """The node at `path` (a mapping's value, a sequence's item), or None when the path leads nowhere."""
        found = self._find(path)
        return None if found is None else found[1]

    def _mark(self, path: NodePath) -> Mark | None:
        found = self._find(path)
        if found is None:
            return None
        key, value = found
        return (key or value).start_mark

    def _find(self, path: NodePath) -> tuple[yaml.Node | None, yaml.Node] | None:
        """(the key node when the last step is a mapping key, the value node), or None."""
        if isinstance(path, str):
            raise TypeError(f"a path is a sequence of keys and indices, not the string {path!r}")
        key: yaml.Node | None = None
        node = self.root
        for step in path:
            if node is None:
                return None
            key, node = _step(node, step)
        return None if node is None else (key, node)


def _step(node: yaml.Node, step: str | int) -> tuple[yaml.Node | None, yaml.Node | None]:
    if isinstance(node, yaml.MappingNode):
        # The last of repeated keys, as PyYAML's constructor keeps the last value.
        matches = [(k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == str(step)]
        return matches[-1] if matches else (None, None)
    if isinstance(node, yaml.SequenceNode) and isinstance(step, int) and not isinstance(step, bool):
        return (None, node.value[step]) if 0 <= step < len(node.value) else (None, None)
    return None, None
