"""The pure core of hooks/diagrams.py, table-driven; the Mermaid cases run the real parser through mermaidx."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from hooks import diagrams
from hooks.diagrams import DiagramCache, Outcome

if TYPE_CHECKING:
    from pathlib import Path

FENCE_CASES = [
    pytest.param(
        "text\n\n```mermaid\nflowchart TD\n  a --> b\n```\n", [("flowchart TD\n  a --> b", 3, "")], id="plain"
    ),
    pytest.param(
        "!!! diagram\n\n    ```mermaid\n    flowchart TD\n      a --> b\n    ```\n",
        [("flowchart TD\n  a --> b", 3, "    ")],
        id="indented-in-admonition",
    ),
    pytest.param("~~~~ mermaid\ngraph LR\n~~~~\n", [("graph LR", 1, "")], id="tildes"),
    pytest.param("```python\nx = 1\n```\n", [], id="other-language"),
    pytest.param(
        "```mermaid\nflowchart TD\n```\n\n```mermaid\ngraph LR\n```\n",
        [("flowchart TD", 1, ""), ("graph LR", 5, "")],
        id="two",
    ),
    pytest.param(
        "````mermaid\nflowchart TD\n```\nstill inside\n````\n", [("flowchart TD\n```\nstill inside", 1, "")], id="long"
    ),
]


@pytest.mark.parametrize(("markdown", "expected"), FENCE_CASES)
def test_find_fences(markdown: str, expected: list[tuple[str, int, str]]) -> None:
    found = [(fence.source, fence.line_offset, fence.indent) for fence in diagrams.find_fences(markdown)]
    assert found == expected


# (diagram source, the line Mermaid reports, the line of the source it means)
SOURCE_LINE_CASES = [
    pytest.param("flowchart TD\n  a --> b\n  b -->> c", 3, 3, id="as-is"),
    pytest.param("flowchart TD\n  %% a comment\n  a --> b\n  b -->> c", 3, 4, id="comment-line-dropped"),
    pytest.param("flowchart TD\n\n  %% comment\n  b -->> c", 2, 4, id="blank-line-above-comment-dropped"),
    pytest.param("\n\nflowchart TD\n  b -->> c", 2, 4, id="leading-blank-lines-dropped"),
    pytest.param("---\ntitle: x\n---\nflowchart TD\n  b -->> c", 2, 5, id="front-matter-dropped"),
    pytest.param("flowchart TD\n  a --> b\n", 9, 2, id="past-the-end-is-the-last-line"),
    pytest.param("flowchart TD\n  %%\n  b -->> c", 3, 3, id="bare-percent-is-kept"),
]


@pytest.mark.parametrize(("source", "mermaid_line", "expected"), SOURCE_LINE_CASES)
def test_source_line(source: str, mermaid_line: int, expected: int) -> None:
    assert diagrams.source_line(source, mermaid_line) == expected


MESSAGE_CASES = [
    pytest.param(
        "Mermaid rendering failed: Error: Parse error on line 3:\n...rt LR  A-->B  B-->>C\n"
        "---------------------^\nExpecting 'AMP', 'COLON', got 'TAGEND'",
        "Parse error on line 3: Expecting 'AMP', 'COLON', got 'TAGEND'",
        id="parse-error",
    ),
    pytest.param(
        "Error: Lexical error on line 3. Unrecognized text.\ngraph TDA-->BC--D--E((\n-----------------^",
        "Lexical error on line 3. Unrecognized text.",
        id="lexical-error",
    ),
    pytest.param(
        "UnknownDiagramError: No diagram type detected matching given configuration for text: flowchrt LR\n A-->B",
        "No diagram type detected matching given configuration for text: flowchrt LR A-->B",
        id="unknown-type",
    ),
]


@pytest.mark.parametrize(("error", "expected"), MESSAGE_CASES)
def test_mermaid_message_is_one_line(error: str, expected: str) -> None:
    assert diagrams.mermaid_message(error) == expected


@pytest.mark.parametrize(
    ("source", "missing"),
    [
        ("flowchart TD\n  accTitle: T\n  accDescr: D\n  a --> b", None),
        ("flowchart TD\n  accTitle: T\n  accDescr {\n    D\n  }\n  a --> b", None),
        ("flowchart TD\n  accDescr: D\n  a --> b", "accTitle"),
        ("flowchart TD\n  a --> b", "accTitle or accDescr"),
        ("flowchart TD\n  a[accTitle: x] --> b\n  accDescr: D", "accTitle"),
    ],
)
def test_accessibility_problems(source: str, missing: str | None) -> None:
    problems = diagrams.accessibility_problems("docs/x.md", source, 7)
    if missing is None:
        assert problems == []
    else:
        assert problems == [
            f"docs/x.md:7: diagram accessibility: no {missing} — add `accTitle: …` and `accDescr: …` lines, "
            "in the essay's words"
        ]


def test_no_error_no_problem() -> None:
    assert diagrams.diagram_problems("docs/x.md", "flowchart TD\n  a --> b", 4, None) == []


# Broken diagrams through the real Mermaid parser. `<<` marks the line the problem must point at.
MERMAID_CASES = [
    pytest.param("flowchart TD\n  a --> b\n  b -->> c  <<", id="bad-arrow"),
    pytest.param("flowchart TD\n  %% one\n\n  %% two\n  a --> b\n  b -->> c  <<", id="bad-arrow-after-comments"),
    pytest.param("flowchrt TD  <<\n  a --> b", id="unknown-diagram-type"),
    pytest.param(
        "flowchart TD\n  accTitle: t\n  accDescr {\n    d\n  }\n  a[x --> b  <<", id="after-multiline-accdescr"
    ),
]


@pytest.mark.parametrize("marked", MERMAID_CASES)
def test_real_mermaid_errors_point_at_the_line(marked: str) -> None:
    source = marked.replace("  <<", "")
    expected_line = next(i for i, line in enumerate(marked.split("\n"), 1) if line.endswith("<<"))
    outcome = diagrams.render_diagram(source)
    assert outcome.svg is None
    assert outcome.cacheable
    problems = diagrams.diagram_problems("docs/page.md", source, 20, outcome.error)
    assert len(problems) == 1
    prefix = f"docs/page.md:{20 + expected_line}: diagram error: "
    assert problems[0].startswith(prefix), problems[0]
    assert problems[0] == prefix + diagrams.mermaid_message(outcome.error)
    assert "\n" not in problems[0]


def test_real_mermaid_renders_a_valid_diagram() -> None:
    outcome = diagrams.render_diagram('flowchart TD\n  accTitle: T\n  a["x"] --> b\n  click a "page.md#p1" "tip"')
    assert outcome.error is None
    assert outcome.svg.startswith("<svg")
    assert 'href="page.md#p1"' in outcome.svg


class CountingRenderer:
    def __init__(self, outcome: Outcome) -> None:
        self.outcome = outcome
        self.calls: list[str] = []

    def __call__(self, source: str) -> Outcome:
        self.calls.append(source)
        return self.outcome


def test_cache_renders_each_source_once(tmp_path: Path) -> None:
    renderer = CountingRenderer(Outcome("<svg/>", None))
    assert DiagramCache(tmp_path, renderer).render("graph TD\n a") == (Outcome("<svg/>", None), True)
    # A new cache object, as in the next build or `mkdocs serve` rebuild: only the disk is shared.
    assert DiagramCache(tmp_path, renderer).render("graph TD\n a") == (Outcome("<svg/>", None), False)
    assert DiagramCache(tmp_path, renderer).render("graph TD\n b")[1] is True
    assert renderer.calls == ["graph TD\n a", "graph TD\n b"]
    assert len(list(tmp_path.glob("*.json"))) == 2


def test_cache_keeps_errors_but_not_engine_failures(tmp_path: Path) -> None:
    error = CountingRenderer(Outcome(None, "Parse error on line 1:"))
    DiagramCache(tmp_path, error).render("x")
    assert DiagramCache(tmp_path, error).render("x") == (Outcome(None, "Parse error on line 1:"), False)
    crash = CountingRenderer(Outcome(None, "could not run Mermaid", cacheable=False))
    DiagramCache(tmp_path, crash).render("y")
    DiagramCache(tmp_path, crash).render("y")
    assert crash.calls == ["y", "y"]


def test_cache_rerenders_a_torn_entry(tmp_path: Path) -> None:
    renderer = CountingRenderer(Outcome("<svg/>", None))
    cache = DiagramCache(tmp_path, renderer)
    (tmp_path / f"{cache.key('x')}.json").write_text("{not json", "utf-8")
    assert cache.render("x") == (Outcome("<svg/>", None), True)


SVG_HEAD = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
PAGE_SVG_CASES = [
    pytest.param(
        SVG_HEAD + 'id="my-svg" aria-labelledby="chart-title-my-svg"><title id="chart-title-my-svg">T</title></svg>',
        ['id="diagram-2"', 'aria-labelledby="chart-title-diagram-2"', 'id="chart-title-diagram-2"'],
        id="the id and the ids derived from it",
    ),
    pytest.param(
        SVG_HEAD + 'id="my-svg"><style>#my-svg .node{fill:red}</style><path marker-end="url(#my-svg_end)"/></svg>',
        ["<style>#diagram-2 .node{fill:red}</style>", 'marker-end="url(#diagram-2_end)"'],
        id="style rules and markers",
    ),
    pytest.param(
        SVG_HEAD + 'id="my-svg"><a xlink:href="ukraine.md#p1"><text>a</text></a><a xlink:href="b.md"/></svg>',
        [' href="../ukraine/#p1"', ' href="b.md"'],
        id="links: known ones resolved, others kept, as plain href",
    ),
]


@pytest.mark.parametrize(("svg", "expected"), PAGE_SVG_CASES)
def test_page_svg(svg: str, expected: list[str]) -> None:
    out = diagrams.page_svg(svg, {"ukraine.md#p1": "../ukraine/#p1"}.get, "diagram-2")
    assert diagrams.RENDER_ID not in out
    assert "xlink:href" not in out
    for part in expected:
        assert part in out


def test_fence_placeholder_names_its_own_drawing() -> None:
    """superfences hands the fence its source without the indent or final newline; the key is the same."""
    fences = diagrams.find_fences("!!! diagram\n\n    ```mermaid\n    flowchart TD\n      a --> b\n    ```\n")
    placeholder = diagrams.fence_diagram("flowchart TD\n  a --> b\n", "mermaid", diagrams.DRAWING_CLASS, {}, None)
    assert placeholder == diagrams.PLACEHOLDER.format(key=diagrams.drawing_key(fences[0].source))
    assert diagrams.drawing_key("flowchart TD\n  a --> c") not in placeholder


def test_relink_svg_rewrites_only_known_links() -> None:
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        '<a xlink:href="ukraine.md#p1"><text>a</text></a><a xlink:href="other.md"><text>b</text></a></svg>'
    )
    out = diagrams.relink_svg(svg, {"ukraine.md#p1": "https://example.org/ukraine/#p1"}.get)
    assert 'xlink:href="https://example.org/ukraine/#p1"' in out
    assert 'xlink:href="other.md"' in out


@pytest.mark.parametrize(
    ("src_uri", "count", "expected"),
    [
        ("ukraine.md", 1, ["assets/diagrams/ukraine.svg"]),
        ("index.md", 2, ["assets/diagrams/index-1.svg", "assets/diagrams/index-2.svg"]),
        ("notes/a.md", 1, ["assets/diagrams/notes-a.svg"]),
        ("cyber.md", 0, []),
    ],
)
def test_svg_names(src_uri: str, count: int, expected: list[str]) -> None:
    assert diagrams.svg_names(src_uri, count) == expected
