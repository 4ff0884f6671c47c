"""Front matter, read the way MkDocs reads it (mkdocs.utils.meta), with what MkDocs would silently drop reported.

MkDocs publishes a front-matter block it cannot parse as the page's text (an <hr> and a heading above the
title) and says nothing; here that becomes a problem at the line of the YAML error.
"""

from __future__ import annotations

import yaml
from mkdocs.utils.meta import YAML_RE
from problems import Problem
from yaml_lines import YamlLines, explain_syntax_error


def body_start(source: str) -> int:
    """How many lines of `source` are front matter, by MkDocs' own reader (0 when there is none)."""
    match = YAML_RE.match(source)
    return match.group(0).count("\n") if match else 0


def front_matter_problems(doc: str, source: str) -> list[Problem]:
    """Front matter that MkDocs' reader silently drops (it then publishes the block as text), or that is wrong."""
    match = YAML_RE.match(source)
    if match is None:
        return []
    try:
        data = yaml.safe_load(match.group(1))
    except yaml.YAMLError as error:
        found = explain_syntax_error(error, match.group(1), first_line=2)  # after the opening '---'
        hint = f"{found.hint}; until then MkDocs publishes the block as the page's text"
        return [Problem(doc, found.line, f"front matter: {found.message}", hint, column=found.column)]
    if not isinstance(data, dict):
        return [Problem(doc, 2, "front matter: not a mapping of keys to values", "write `key: value` lines")]
    problems = []
    if "citation" in data and not isinstance(data["citation"], bool):
        line = 1 + (YamlLines(match.group(1)).line(("citation",)) or 1)
        hint = "write `citation: false` or remove the line"
        problems.append(Problem(doc, line, f"front matter: citation is {data['citation']!r}, not true or false", hint))
    return problems
