"""The cross-reference checker's core, on small sites rendered by Python-Markdown alone (no MkDocs build).

Each page is rendered with the hook's own recorder, so the references and lines come from the same code the
build uses; only the MkDocs parts (nav, file list, theme) are given as plain data.
"""

from __future__ import annotations

import posixpath
from dataclasses import replace
from typing import Any

import diagram_checks
import markdown
import pytest
import xref_core
from diagram_render import render_diagram
from front_matter import body_start
from lxml import etree
from xref_core import LOCK_HEADER, Redirect, SourceLines, find_problems, parse_lock, updated_lock
from xref_record import Recorder, click_references, page_data, page_references, template_links

# Six lines each, so text appended below a page starts on line 8.
BASE = {
    "index.md": "# Introduction { #introduction }\n\nText.\n{ #p1 }\n\n[On](expansion.md), [on](ukraine.md)\n",
    "expansion.md": "# Expansion { #expansion }\n\nText.\n{ #p1 }\n\nOn to [Ukraine](ukraine.md#ukraine).\n",
    "ukraine.md": "# Ukraine { #ukraine }\n\nText.\n{ #p1 }\n\nBack to [the start](index.md).\n",
}
NAV = ("index.md", "expansion.md", "ukraine.md")
LOCK = "".join(f"{src}\n{src}#{posixpath.splitext(src)[0]}\n{src}#p1\n" for src in NAV).replace(
    "index.md#index", "index.md#introduction"
)
MERMAID = '```mermaid\nflowchart LR\n  A --> B\n  click A "expansion.md#expanson" "tip"\n  click B "conflict.md"\n```'


def dest_and_url(src: str, directory_urls: bool) -> tuple[str, str]:
    stem = src.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html", stem.removesuffix("index") if directory_urls else stem + ".html"
    return (stem + "/index.html", stem + "/") if directory_urls else (stem + ".html", stem + ".html")


def check(
    *,
    directory_urls: bool = True,
    append: dict[str, str] | None = None,
    extra: dict[str, str] | None = None,
    nav: tuple[str, ...] = NAV,
    not_in_nav: tuple[str, ...] = (),
    added_links: dict[str, list[str]] | None = None,
    lock: str = LOCK,
    level: str = "warning",
    **kwargs: Any,
) -> list[str]:
    """Render BASE (+ appended text, + extra pages) and return the problems of one level as lines.

    Each page is rendered as the build renders it: superfences hands over the Mermaid fences (drawn by the
    real Mermaid, located in the file), and the xref Recorder reads links and ids from Python-Markdown's tree.
    """
    sources = {
        src: text + ("\n" + append[src] + "\n" if append and src in append else "") for src, text in BASE.items()
    }
    sources.update(extra or {})
    pages, refs, added = [], [], []
    for src, source in sources.items():
        renders: dict[str, Any] = {}
        fences: list[str] = []
        start = body_start(source)
        body = "\n".join(source.split("\n")[start:])
        html = markdown.Markdown(
            extensions=["attr_list", "toc", "pymdownx.superfences", Recorder(renders.__setitem__)],
            extension_configs={"pymdownx.superfences": {"custom_fences": [_recording_fence(fences)]}},
        ).convert(body)
        rendered = renders[body]
        root = etree.HTML(f"<html><body>{html}</body></html>")
        final_ids = root.xpath("//*/@id")
        final_hrefs = root.xpath("//a/@href") + (added_links or {}).get(src, [])
        dest, url = dest_and_url(src, directory_urls)
        lines = SourceLines(source, start)
        page = page_data(src, dest, url, lines, rendered, final_ids)
        pages.append(replace(page, in_nav=src in nav, nav_optional=src in not_in_nav))
        refs += page_references(src, f"docs/{src}", lines, rendered)
        added.append(template_links(src, f"docs/{src}", rendered, final_hrefs))
        for fence, line in zip(fences, diagram_checks.locate(source, fences), strict=True):
            svg = render_diagram(fence).svg
            assert svg is not None, fence
            refs += click_references(src, f"docs/{src}", line, fence, svg)
    problems = find_problems(pages, refs, parse_lock(lock), template_links=added, **kwargs)
    return [str(p) for p in problems if p.level == level]


def _recording_fence(found: list[str]) -> dict[str, Any]:
    def record(source: str, *args: Any, **kwargs: Any) -> str:
        found.append(source)
        return "<div></div>"

    return {"name": "mermaid", "class": "mermaid", "format": record}


def by_mode(expected: Any, directory_urls: bool) -> list[str]:
    return expected[directory_urls] if isinstance(expected, dict) else expected


# (name, arguments to check(), expected warnings: a list, or {directory_urls: list} where the modes differ)
CASES: list[tuple[str, dict[str, Any], Any]] = [
    (
        "markdown link to a missing page",
        {"append": {"index.md": "See [this](expanson.md)."}},
        ["docs/index.md:8: missing page: 'expanson.md' — did you mean 'expansion.md'?"],
    ),
    (
        "reference-style link, reported at its definition",
        {"append": {"index.md": "A [reference][r] and [another][r].\n\n[r]: ukrain.md"}},
        ["docs/index.md:10: missing page: 'ukrain.md' — did you mean 'ukraine.md'?"],
    ),
    (
        "same-page anchor with no close id",
        {"append": {"ukraine.md": "Text.\n\nSee [below](#p2)."}},
        ["docs/ukraine.md:10: missing anchor: '#p2' — docs/ukraine.md has no id 'p2'; add { #p2 } there"],
    ),
    (
        "cross-page anchor",
        {"append": {"expansion.md": "Compare [Ukraine](ukraine.md#ukrane)."}},
        ["docs/expansion.md:8: missing anchor: 'ukraine.md#ukrane' — did you mean 'ukraine.md#ukraine'?"],
    ),
    (
        "raw HTML href to a missing page",
        {"append": {"index.md": '<p><a href="ukrane/">Ukraine</a></p>'}},
        {
            True: ["docs/index.md:8: missing page: 'ukrane/' — did you mean 'ukraine/'?"],
            False: ["docs/index.md:8: missing page: 'ukrane/' — did you mean 'ukraine.html'?"],
        },
    ),
    (
        "raw HTML href to a .md file, which MkDocs does not rewrite",
        {"append": {"index.md": 'Read <a href="ukraine.md#p1">paragraph 1</a>.'}},
        [
            "docs/index.md:8: not built: 'ukraine.md#p1' — MkDocs rewrites .md links only in Markdown;"
            " write a Markdown link: [text](ukraine.md)"
        ],
    ),
    (
        "raw HTML URL that works only with directory URLs",
        {"append": {"index.md": 'Read <a href="ukraine/#p2">paragraph 2</a>.'}},
        {
            True: [
                "docs/index.md:8: missing anchor: 'ukraine/#p2' — docs/ukraine.md has no id 'p2'; add { #p2 } there"
            ],
            False: ["docs/index.md:8: missing page: 'ukraine/#p2' — did you mean 'ukraine.html'?"],
        },
    ),
    (
        "mermaid click targets",
        {"append": {"index.md": MERMAID}},
        [
            "docs/index.md:11: missing anchor: 'expansion.md#expanson' — did you mean 'expansion.md#expansion'?",
            "docs/index.md:12: missing page: 'conflict.md' — no such file under docs/; fix the path or remove the link",
        ],
    ),
    (
        "a fence written with superfences' attribute syntax is a diagram too",
        {"append": {"index.md": MERMAID.replace("```mermaid", "``` { .mermaid }")}},
        [
            "docs/index.md:11: missing anchor: 'expansion.md#expanson' — did you mean 'expansion.md#expansion'?",
            "docs/index.md:12: missing page: 'conflict.md' — no such file under docs/; fix the path or remove the link",
        ],
    ),
    (
        "link added by a template or another hook",
        {"added_links": {"ukraine.md": ["../changelog/"]}},
        [
            "docs/ukraine.md:1: missing page: '../changelog/' — no such page or file is built;"
            " fix the URL or remove the link"
        ],
    ),
    (
        "duplicate id",
        {"append": {"ukraine.md": "More text.\n{ #p1 }"}},
        [
            "docs/ukraine.md:9: duplicate id: '#p1' — also defined at line 4;"
            " ids must be unique on a page, so rename one"
        ],
    ),
    (
        "orphan page",
        {"extra": {"notes.md": "# Notes\n\nText.\n"}, "lock": LOCK + "notes.md\nnotes.md#notes\n"},
        ["docs/notes.md:1: orphan page: 'notes.md' — nothing links to it; add it to nav in mkdocs.yml or link to it"],
    ),
    (
        "link to a page that is not in the nav",
        {"append": {"index.md": "See [notes](notes.md)."}, "extra": {"notes.md": "# Notes\n"}},
        [
            "docs/index.md:8: not in nav: 'notes.md' — add notes.md to nav in mkdocs.yml,"
            " or to not_in_nav if only links should reach it"
        ],
    ),
    (
        "link to a file that is excluded from the build",
        {"append": {"index.md": "See [the draft](draft.md)."}, "unbuilt": {"draft.md"}},
        [
            "docs/index.md:8: not built: 'draft.md' — docs/draft.md is excluded from the build"
            " (exclude_docs or draft_docs)"
        ],
    ),
    (
        "link to a file outside docs/",
        {"append": {"index.md": "See [the readme](../README.md)."}},
        ["docs/index.md:8: not built: '../README.md' — it is outside docs/, so MkDocs does not build it"],
    ),
    (
        "link from a subfolder, resolved from that folder, with front matter counted",
        {
            "extra": {"notes/sources.md": "---\ntitle: Sources\n---\n# Sources\n\nSee [Ukraine](ukraine.md)."},
            "nav": (*NAV, "notes/sources.md"),
        },
        ["docs/notes/sources.md:6: missing page: 'ukraine.md' — did you mean '../ukraine.md'?"],
    ),
    (
        "removed locked anchor",
        {"lock": LOCK + "ukraine.md#p7\n"},
        [
            "permalinks.lock:10: removed locked anchor: 'ukraine.md#p7' — restore { #p7 }"
            ' or keep an alias <a id="p7"></a> where its text now is'
        ],
    ),
    (
        "removed locked page without a redirect",
        {"lock": LOCK + "conflict.md\nconflict.md#p1\nconflict.md#p2\n"},
        [
            "permalinks.lock:10: removed locked page: 'conflict.md' — restore docs/conflict.md or redirect it"
            " in mkdocs.yml redirect_maps: 'conflict.md': 'index.md'; locked anchors on it: 2"
        ],
    ),
    (
        "removed locked page whose redirect target lacks a locked anchor",
        {"lock": LOCK + "conflict.md\nconflict.md#p2\n", "redirects": [Redirect("conflict.md", "ukraine.md", 70)]},
        [
            "permalinks.lock:11: removed locked anchor: 'conflict.md#p2' — it redirects to ukraine.md,"
            " which has no id 'p2'; add an alias <a id=\"p2\"></a> there"
        ],
    ),
    (
        "removed locked page whose redirect drops the anchor",
        {"lock": LOCK + "conflict.md#p1\n", "redirects": [Redirect("conflict.md", "ukraine.md#ukraine", 70)]},
        [
            "permalinks.lock:10: removed locked anchor: 'conflict.md#p1' — the redirect to 'ukraine.md#ukraine'"
            " (mkdocs.yml:70) replaces its fragment"
        ],
    ),
    (
        "redirect to a missing page",
        {"redirects": [Redirect("old.md", "expanson.md", 70)]},
        ["mkdocs.yml:70: missing page: 'expanson.md' — did you mean 'expansion.md'?"],
    ),
    (
        "markdown link to a page that was moved",
        {
            "append": {"index.md": "See [the conflict](conflict.md)."},
            "redirects": [Redirect("conflict.md", "ukraine.md")],
        },
        ["docs/index.md:8: missing page: 'conflict.md' — it was moved (redirect_maps): link to 'ukraine.md' instead"],
    ),
    (
        "several problems on one page, each on its own line",
        {"append": {"index.md": "[a](ukraine.md#p3)\n\n[b](ukraine.md#p3)\n\n<a href='#nope'>c</a>"}},
        [
            "docs/index.md:8: missing anchor: 'ukraine.md#p3' — docs/ukraine.md has no id 'p3'; add { #p3 } there",
            "docs/index.md:10: missing anchor: 'ukraine.md#p3' — docs/ukraine.md has no id 'p3'; add { #p3 } there",
            "docs/index.md:12: missing anchor: '#nope' — docs/index.md has no id 'nope'; add { #nope } there",
        ],
    ),
]

# Inputs that look risky but are fine: each must produce no warning.
CLEAN: list[tuple[str, dict[str, Any]]] = [
    ("the base site", {}),
    (
        "an alias id keeps a locked anchor",
        {"lock": LOCK + "ukraine.md#p7\n", "append": {"ukraine.md": '<a id="p7"></a>'}},
    ),
    (
        "a redirect keeps a locked page and its anchors",
        {"lock": LOCK + "conflict.md\nconflict.md#p1\n", "redirects": [Redirect("conflict.md", "ukraine.md")]},
    ),
    (
        "a not_in_nav page reached by a link",
        {"append": {"index.md": "[n](notes.md)"}, "extra": {"notes.md": "# N\n"}, "not_in_nav": ("notes.md",)},
    ),
    ("#top, which HTML always resolves", {"added_links": {"ukraine.md": ["#top"]}}),
    ("external links and mail", {"append": {"index.md": "[a](https://example.org/x.md) <a href='mailto:a@b.c'>m</a>"}}),
    (
        "a link to a built non-page file",
        {"append": {"index.md": "[data](data/essay.bib)"}, "files": {"data/essay.bib": "data/essay.bib"}},
    ),
    (
        "a template link to a file written after the pages",
        {"added_links": {"index.md": ["essay.ris"]}, "built": {"essay.ris"}},
    ),
]


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
@pytest.mark.parametrize(("name", "arguments", "expected"), CASES, ids=[c[0] for c in CASES])
def test_each_broken_input_is_reported_with_file_and_line(
    name: str, arguments: dict[str, Any], expected: Any, directory_urls: bool
) -> None:
    assert check(directory_urls=directory_urls, **arguments) == by_mode(expected, directory_urls)


@pytest.mark.parametrize("directory_urls", [True, False], ids=["directory-urls", "flat-urls"])
@pytest.mark.parametrize(("name", "arguments"), CLEAN, ids=[c[0] for c in CLEAN])
def test_sound_inputs_are_not_reported(name: str, arguments: dict[str, Any], directory_urls: bool) -> None:
    assert check(directory_urls=directory_urls, **arguments) == []


def test_unlocked_anchors_are_info_notes_at_their_line() -> None:
    notes = check(append={"ukraine.md": "New text.\n{ #p2 }"}, level="info")
    assert notes == ["docs/ukraine.md:9: unlocked anchor: 'ukraine.md#p2' — run `make lock` to publish it"]


def test_updating_the_lock_adds_in_site_order_and_never_removes() -> None:
    pages = [xref_core.Page("index.md", "index.html", "", (xref_core.Anchor("p1"), xref_core.Anchor("__x", 1, False)))]
    text = updated_lock(LOCK_HEADER + "gone.md#p4\nindex.md\n", pages)
    assert text == LOCK_HEADER + "index.md\nindex.md#p1\ngone.md#p4\n"
    assert updated_lock(text, pages) == text
    assert [str(e) for e in parse_lock(text)] == ["index.md", "index.md#p1", "gone.md#p4"]


def test_click_targets_come_from_the_drawing_at_the_line_that_writes_them() -> None:
    source = 'flowchart LR\n  A --> B\n  click A "a.md#x" "tip"\n  click B href "b.md"\n  %% click C "c.md"'
    svg = render_diagram(source).svg
    assert svg is not None
    refs = click_references("index.md", "docs/index.md", 10, source, svg)
    assert sorted((r.line, r.target, r.origin) for r in refs) == [(12, "a.md#x", "mermaid"), (13, "b.md", "mermaid")]


def test_a_snippet_rendered_by_another_plugin_does_not_replace_the_pages_record() -> None:
    renders: dict[str, Any] = {}
    recorder = Recorder(renders.__setitem__)
    page, snippet = "[a](ukraine.md)\n", "[b](cite.md)\n"
    markdown.Markdown(extensions=[recorder]).convert(page)
    markdown.Markdown(extensions=[recorder]).convert(snippet)
    assert [w for w, _ in renders[page].links] == ["ukraine.md"]
    assert [w for w, _ in renders[snippet].links] == ["cite.md"]
