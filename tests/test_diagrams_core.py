"""The diagrams' pure cores, table-driven; the Mermaid cases run the real parser through mermaidx."""

from __future__ import annotations

from typing import TYPE_CHECKING

import diagram_checks as checks
import diagram_svg
import pytest
from diagram_render import DiagramCache, Outcome, draw_many, render_diagram
from lxml import etree

if TYPE_CHECKING:
    from pathlib import Path

# (Markdown file, the diagram bodies superfences hands over, the line of each body's first line)
LOCATE_CASES = [
    pytest.param("text\n\n```mermaid\nflowchart TD\n  a --> b\n```\n", ["flowchart TD\n  a --> b"], [4], id="plain"),
    pytest.param(
        "!!! diagram\n\n    ```mermaid\n    flowchart TD\n      a --> b\n    ```\n",
        ["flowchart TD\n  a --> b"],
        [4],
        id="indented-in-admonition",
    ),
    pytest.param("``` { .mermaid }\ngraph LR\n```\n", ["graph LR"], [2], id="attribute-syntax"),
    pytest.param(
        "```mermaid\ngraph LR\n```\n\n```mermaid\ngraph LR\n```\n", ["graph LR", "graph LR"], [2, 6], id="same-twice"
    ),
    pytest.param("---\ntitle: x\n---\n~~~mermaid\n~~~\n", [""], [4], id="empty-at-its-opening-line"),
    pytest.param("no diagram here\n", ["graph LR"], [1], id="not-found-is-line-1"),
]


@pytest.mark.parametrize(("markdown", "bodies", "expected"), LOCATE_CASES)
def test_locate(markdown: str, bodies: list[str], expected: list[int]) -> None:
    assert checks.locate(markdown, bodies) == expected


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
    assert checks.source_line(source, mermaid_line) == expected


MESSAGE_CASES = [
    pytest.param(
        "Error: Parse error on line 3:\n...rt LR  A-->B  B-->>C\n---------------------^\n"
        "Expecting 'AMP', 'COLON', got 'TAGEND'",
        ("Parse error: Expecting 'AMP', 'COLON', got 'TAGEND'", False),
        id="parse-error",
    ),
    pytest.param(
        "Error: Parse error on line 4:\n...b  c --> d((\n---------------^\nExpecting 'SQE', 'PE', 'A', 'B', 'C', 'D', "
        "'E', got '1'",
        ("Parse error: Expecting 'SQE', 'PE', 'A', 'B', 'C', …, got the end of the diagram", True),
        id="long-list-and-end-of-input",
    ),
    pytest.param(
        "Error: Lexical error on line 3. Unrecognized text.\ngraph TDA-->BC--D--E((\n-----------------^",
        ("Lexical error: Unrecognized text.", False),
        id="lexical-error",
    ),
    pytest.param(
        "UnknownDiagramError: No diagram type detected matching given configuration for text: flowchrt LR\n A-->B",
        ("No diagram type detected matching given configuration", False),
        id="unknown-type",
    ),
]


@pytest.mark.parametrize(("error", "expected"), MESSAGE_CASES)
def test_mermaid_message_is_one_line(error: str, expected: tuple[str, bool]) -> None:
    assert checks.mermaid_message(error) == expected


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
    problems = [str(p) for p in checks.accessibility_problems("docs/x.md", 7, source)]
    if missing is None:
        assert problems == []
    else:
        assert problems == [
            f"docs/x.md:7: diagram accessibility: no {missing} — add `accTitle: …` and `accDescr: …` lines, "
            "in the essay's words"
        ]


@pytest.mark.parametrize("source", ["", "\n", "   \n  "])
def test_an_empty_diagram_is_one_plain_problem(source: str) -> None:
    assert [str(p) for p in checks.empty_problems("docs/x.md", 9, source)] == [
        "docs/x.md:9: empty diagram — add one or remove the fence"
    ]
    assert checks.empty_problems("docs/x.md", 9, "graph TD") == []


def test_no_error_no_problem() -> None:
    assert checks.error_problems("docs/x.md", 4, "flowchart TD\n  a --> b", None, 0) == []


# Broken diagrams through the real Mermaid parser. `<<` marks the line the problem must point at.
MERMAID_CASES = [
    pytest.param("flowchart TD\n  a --> b\n  b -->> c  <<", "see Mermaid's syntax", id="bad-arrow"),
    pytest.param(
        "flowchart TD\n  %% one\n\n  %% two\n  a --> b\n  b -->> c  <<", "see Mermaid's syntax", id="after-comments"
    ),
    pytest.param("flowchrt TD  <<\n  a --> b", "start the diagram with its type", id="unknown-diagram-type"),
    pytest.param(
        "flowchart TD\n  accTitle: t\n  accDescr {\n    d\n  }\n  a[x --> b  <<",
        "never closed",
        id="after-multiline-accdescr",
    ),
    # Mermaid itself names the line after these, where its parser met the end of the diagram.
    pytest.param("flowchart TD\n  a --> b(  <<\n  c --> d", "never closed", id="unclosed-bracket"),
    pytest.param("flowchart TD\n  a --> b\n  c --> d((  <<", "never closed", id="unclosed-at-the-end"),
    pytest.param("flowchart TD\n  a --> b\n  subgraph one  <<\n  b --> c", "never closed", id="subgraph-without-end"),
    pytest.param('flowchart TD\n  a --> b\n  click a "x.md" "tip  <<\n  b --> c', "never closed", id="unclosed-quote"),
]


@pytest.mark.parametrize(("marked", "hint"), MERMAID_CASES)
def test_real_mermaid_errors_point_at_the_faulty_line(tmp_path: Path, marked: str, hint: str) -> None:
    source = marked.replace("  <<", "")
    expected_line = next(i for i, line in enumerate(marked.split("\n"), 1) if line.endswith("<<"))
    outcome, drawn = DiagramCache(tmp_path).render(source)
    assert drawn
    assert outcome.svg is None
    assert outcome.cacheable
    problems = [str(p) for p in checks.error_problems("docs/page.md", 20, source, outcome.error, outcome.fault)]
    assert len(problems) == 1
    faulty = source.split("\n")[expected_line - 1].strip()
    assert problems[0].startswith(f"docs/page.md:{19 + expected_line}: diagram error: "), problems[0]
    assert f"— line reads `{faulty}`: " in problems[0], problems[0]
    assert hint in problems[0]
    assert "\n" not in problems[0]
    # The faulty line is found once and kept with the drawing's outcome: a warm build asks Mermaid nothing.
    assert DiagramCache(tmp_path).render(source) == (outcome, False)


def test_markup_that_mermaid_drops_from_a_label_is_reported() -> None:
    source = 'flowchart TD\n  accTitle: T\n  accDescr: D\n  a["<script>alert(1)</script> hi"] --> b["<b>kept</b>"]'
    outcome = render_diagram(source)
    assert outcome.svg is not None
    shown = diagram_svg.label_text(outcome.svg)
    problems = [str(p) for p in checks.markup_problems("docs/x.md", 10, source, shown)]
    hint = "labels are plain text: remove the markup, or write < and > as #lt; and #gt;"
    assert problems == [
        f"docs/x.md:13: diagram label lost markup: '<script>' — {hint}",
        f"docs/x.md:13: diagram label lost markup: '</script>' — {hint}",
    ]


def test_real_mermaid_renders_a_valid_diagram() -> None:
    outcome = render_diagram('flowchart TD\n  accTitle: T\n  a["x"] --> b\n  click a "page.md#p1" "tip"')
    assert outcome.error is None
    assert outcome.svg.startswith("<svg")
    assert diagram_svg.link_targets(outcome.svg) == ["page.md#p1"]


def test_drawing_on_two_engines_gives_the_same_svgs() -> None:
    sources = [f'flowchart TD\n  a{i}["node {i}"] --> b' for i in range(4)]
    assert draw_many(sources, workers=2) == draw_many(sources, workers=1)


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
    assert DiagramCache(tmp_path, error).render("x") == (Outcome(None, "Parse error on line 1:", fault=1), False)
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
    pytest.param(
        SVG_HEAD + 'id="my-svg"><a xlink:href="b.md"><g class="node" title="Section 3"><text>a</text></g></a></svg>',
        ['<a aria-label="a" href="b.md"><title>Section 3</title><g class="node"><text>a</text></g></a>'],
        id="a click's tooltip becomes the link's title element, its label the link's name",
    ),
    pytest.param(
        SVG_HEAD + 'id="my-svg"><a xlink:href="b.md"><g title="T"><text><tspan class="text-outer-tspan row">'
        '<tspan>NATO’s</tspan><tspan> outreach</tspan></tspan><tspan class="row"><tspan>to  Ukraine</tspan>'
        "</tspan></text></g></a></svg>",
        ['aria-label="NATO’s outreach to Ukraine"'],
        id="the label's rows joined by one space",
    ),
    pytest.param(
        SVG_HEAD + 'id="my-svg"><g class="node" title="tip"><text>a</text></g></svg>',
        ['<g class="node"><title>tip</title><text>a</text></g>'],
        id="a tooltip without a link stays on its node",
    ),
]


@pytest.mark.parametrize(("svg", "expected"), PAGE_SVG_CASES)
def test_for_page(svg: str, expected: list[str]) -> None:
    out = diagram_svg.for_page(svg, {"ukraine.md#p1": "../ukraine/#p1"}.get, "diagram-2")
    assert diagram_svg.RENDER_ID not in out
    assert "xlink:href" not in out
    assert " title=" not in out
    for part in expected:
        assert part in out


def test_for_download_rewrites_only_known_links_and_keeps_xlink() -> None:
    svg = (
        SVG_HEAD + '><a xlink:href="ukraine.md#p1"><g title="tip"><text>a</text></g></a>'
        '<a xlink:href="other.md"><text>b</text></a></svg>'
    )
    out = diagram_svg.for_download(svg, {"ukraine.md#p1": "https://example.org/ukraine/#p1"}.get)
    root = etree.fromstring(out.encode("utf-8"))
    hrefs = [a.get(diagram_svg.XLINK_HREF) for a in root.iter(f"{{{diagram_svg.SVG_NS}}}a")]
    assert hrefs == ["https://example.org/ukraine/#p1", "other.md"]
    assert root.findtext(f".//{{{diagram_svg.SVG_NS}}}a/{{{diagram_svg.SVG_NS}}}title") == "tip"


def test_the_placeholder_names_its_own_drawing() -> None:
    """superfences hands the fence its source without the indent, with or without the final newline."""
    key = diagram_svg.drawing_key("flowchart TD\n  a --> b\n")
    assert key == diagram_svg.drawing_key("flowchart TD\n  a --> b")
    assert key != diagram_svg.drawing_key("flowchart TD\n  a --> c")
    assert key in diagram_svg.PLACEHOLDER.format(key=key)


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
    assert diagram_svg.svg_names(src_uri, count) == expected
