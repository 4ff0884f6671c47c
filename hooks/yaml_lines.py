"""Line and column numbers of the values in a YAML file, from PyYAML's node marks.

Composing builds the node tree without constructing Python values, so any tag passes: mkdocs.yml's
`!ENV [OFFLINE, false]` and `!!python/name:…` need MkDocs' own loader to load, but not to be located.
"""

from __future__ import annotations

from dataclasses import dataclass
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


@dataclass(frozen=True)
class YamlMistake:
    line: int  # 1-based, in the text that was parsed
    column: int  # 1-based; 0 when PyYAML gave no place
    message: str
    hint: str


def explain_syntax_error(error: yaml.YAMLError, text: str, *, first_line: int = 1) -> YamlMistake:
    """A YAML syntax error as people make them, in plain words, at PyYAML's mark, with what to do.

    `first_line` is the line of the file where `text` starts (front matter starts on the second).
    """
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line, column = (mark.line + first_line, mark.column + 1) if mark else (first_line, 0)
    message, hint = _plain_syntax(error, text, first_line)
    return YamlMistake(line, column, message, hint)


def _plain_syntax(error: yaml.YAMLError, text: str, first_line: int) -> tuple[str, str]:
    """(PyYAML's problem in plain words, what to do), for the syntax errors people make in a CFF file."""
    problem = str(getattr(error, "problem", None) or error)
    context = str(getattr(error, "context", None) or "")
    opened = getattr(error, "context_mark", None)
    opened_at = f"line {opened.line + first_line}" if opened else "an earlier line"
    if "'\\t'" in problem:
        return "a tab, which YAML does not accept here", "indent with spaces"
    if "quoted scalar" in context and "end of stream" in problem:
        return "the file ends inside a quoted value", f"the quote opened on {opened_at} is never closed; close it"
    message, hint = next(
        ((m, h) for start, m, h in _SYNTAX if problem.startswith(start)), (None, "check the YAML near {opened}")
    )
    runaway = _runaway_quote(text, getattr(error, "problem_mark", None))
    if runaway is not None:
        start = runaway.start_mark.line + first_line
        hint = f"the quote opened on line {start} runs on to this line; close it on line {start}"
    message = message or _without_token_names(problem)
    return message.replace("{opened}", opened_at), hint.replace("{opened}", opened_at)


_INDENT = "check the indentation against {opened}"
_QUOTE_COLON = "put the value in quotes: it holds ': ', which starts a key"
# (the start of PyYAML's problem, the same in plain words, what to do); {opened} is the line of its context.
_SYNTAX = (
    ("expected <block end>, but found '<scalar>'", "text where a new key or the end of the block belongs", _INDENT),
    ("expected <block end>, but found '<block mapping start>'", "a key out of line with the keys above", _INDENT),
    ("expected <block end>, but found '<block sequence start>'", "a list out of line with the lines above", _INDENT),
    ("expected <block end>, but found '-'", "a list item where a key belongs", _INDENT),
    ("expected <block end>", None, _INDENT),
    ("expected ',' or ']'", "the '[' opened on {opened} is not closed", "close it, with ',' between the items"),
    ("expected ',' or '}'", "the '{' opened on {opened} is not closed", "close it, with ',' between the items"),
    ("could not find expected ':'", "a line with no ':' where a key: value belongs", "write key: value"),
    ("mapping values are not allowed here", "a ': ' inside a value", _QUOTE_COLON),
    ("but found another document", "a second YAML document", "the file holds one; remove the '---' line"),
    ("sequence entries are not allowed here", "a '- ' list item where it does not belong", "check its indentation"),
    ("found undefined alias", "'*' at the start of a value, which YAML reads as an alias", "put the value in quotes"),
    (
        "expected alphabetic or numeric character",
        "'*' or '&' at the start of a value, where YAML expects an alias or an anchor",
        "put the value in quotes",
    ),
    ("found unknown escape character", None, "write \\\\ for a backslash, or use single quotes"),
    ("could not determine a constructor", None, "remove the tag: the file holds plain values only"),
    ("found unexpected end of stream", "the file ends in the middle of a value", "finish what starts on {opened}"),
)


def _without_token_names(problem: str) -> str:
    """PyYAML's problem with its token names (<scalar>, <block end>) and full tag names in words."""
    for token, word in (("'<scalar>'", "text"), ("<block end>", "the end of the block"), ("<stream end>", "the end")):
        problem = problem.replace(token, word)
    problem = problem.replace("could not determine a constructor for the tag", "a tag that cannot be read:")
    problem = problem.replace("tag:yaml.org,2002:", "!!")
    return problem.replace("<", "").replace(">", "")  # the rest of PyYAML's token markup


def _runaway_quote(text: str, mark: Mark | None) -> yaml.ScalarToken | None:
    """A quoted value that runs over lines up to the error: most likely a quote left open, closed by the next."""
    if mark is None:
        return None
    last = None
    try:
        for token in yaml.scan(text, Loader=yaml.SafeLoader):
            if token.start_mark.index >= mark.index:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token
    except yaml.YAMLError:
        pass
    if last is not None and last.start_mark.line < last.end_mark.line == mark.line:
        return last
    return None
