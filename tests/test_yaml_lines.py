"""hooks/yaml_lines.py: the line and column of a value, on a mkdocs.yml like the project's (custom tags too)."""

from __future__ import annotations

import pytest
import yaml
from yaml_lines import YamlLines

from tests.sitebuild import ROOT
from tests.textpos import position

MKDOCS_YML = (ROOT / "tests" / "data" / "mkdocs-nested-nav.yml").read_text("utf-8")


@pytest.mark.parametrize(
    ("path", "needle", "after"),
    [
        (("site_name",), "site_name:", ""),
        (("nav", 0), "index.md", "\nnav:"),
        (("nav", 3), "ukraine.md", "\nnav:"),
        # A mapping item starts at its first key; a mapping value is found at its key.
        (("nav", 8), "About:", ""),
        (("nav", 8, "About"), "About:", ""),
        (("nav", 8, "About", 0), "how-to-cite.md", ""),
        (("nav", 8, "About", 2, "Archive", 0), "Earlier editions:", ""),
        (("nav", 8, "About", 2, "Archive", 0, "Earlier editions"), "Earlier editions:", ""),
        (("nav", 8, "About", 2, "Archive", 1), "archive/notes.md", ""),
        # `!ENV [OFFLINE, false]` and `!!python/name:…` need MkDocs' loader to load, not to be located.
        (("plugins", 1, "offline", "enabled"), "enabled:", ""),
        (("markdown_extensions", 3, "pymdownx.superfences", "custom_fences", 0, "format"), "format:", ""),
        (("plugins", 2, "redirects", "redirect_maps"), "redirect_maps:", ""),
        (("plugins", 2, "redirects", "redirect_maps", "old.md"), "old.md:", ""),
        (("plugins", 2, "redirects", "redirect_maps", "essay/nato.md"), '"essay/nato.md":', ""),
        (("plugins", 2, "redirects", "redirect_maps", "russia.md"), "russia.md:", ""),
        (("validation", "nav", "not_found"), "not_found:", ""),
        (("validation", "links", "not_found"), "not_found:", "  links:"),
        (("extra", "citation", "highwire"), "highwire:", ""),
    ],
)
def test_line_and_column_of_a_node(path: tuple[str | int, ...], needle: str, after: str) -> None:
    lines = YamlLines(MKDOCS_YML)
    assert (lines.line(path), lines.column(path)) == position(MKDOCS_YML, needle, after=after)


@pytest.mark.parametrize(
    "path",
    [
        ("nav", 99),
        ("nav", -1),
        ("nav", "index.md"),
        ("no_such_key",),
        ("site_name", 0),
        ("plugins", 2, "redirects", "redirect_maps", "missing.md"),
        ("plugins", 0, "search"),  # `- search` is a plain item, not a mapping
    ],
)
def test_a_path_that_leads_nowhere(path: tuple[str | int, ...]) -> None:
    lines = YamlLines(MKDOCS_YML)
    assert (lines.line(path), lines.column(path), lines.node(path)) == (None, None, None)


@pytest.mark.parametrize(
    ("text", "path", "needle"),
    [
        ("a: [x, {b: 1}]\n", ("a", 1, "b"), "b:"),
        ("a: [x, {b: 1}]\n", ("a", 0), "x"),
        ("a: 1\nb:\n  - c\n", ("b",), "b:"),
        ("a: 1\na: 2\n", ("a",), "a: 2"),  # the last of repeated keys, the one PyYAML keeps
        ("1: one\n", (1,), "1:"),
        ("- - x\n  - y\n", (0, 1), "y"),
    ],
)
def test_small_documents(text: str, path: tuple[str | int, ...], needle: str) -> None:
    lines = YamlLines(text)
    assert (lines.line(path), lines.column(path)) == position(text, needle)


def test_the_root_and_an_empty_text() -> None:
    assert YamlLines("# only a comment\nkey: value\n").line(()) == 2
    empty = YamlLines("")
    assert (empty.root, empty.line(()), empty.line(("a",))) == (None, None, None)


def test_node_gives_the_value_as_written() -> None:
    node = YamlLines("version: 1.10\n").node(("version",))
    assert isinstance(node, yaml.ScalarNode)
    assert node.value == "1.10"


def test_a_syntax_error_is_pyyamls() -> None:
    with pytest.raises(yaml.YAMLError):
        YamlLines('title: "open\n')


def test_a_string_is_not_a_path() -> None:
    with pytest.raises(TypeError, match="not the string"):
        YamlLines("nav: 1\n").line("nav")  # type: ignore[arg-type]
