"""What a page references and which ids it has, recorded while it renders, as plain data for hooks/xref_core.py.

- Markdown links (inline and reference-style): read from Python-Markdown's own element tree, before MkDocs
  rewrites `.md` paths, so nothing is re-parsed; their line is found by searching the source for the target.
- Raw-HTML hrefs: read from Python-Markdown's raw-HTML stash (parsed with lxml), line found the same way.
- Mermaid `click` targets: the links Mermaid kept in the drawing, at the line of the diagram that writes them.
- Links added by templates and other hooks: every other `<a href>` of the final page, attributed to line 1.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import diagram_svg
from lxml import etree
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from xref_core import Anchor, Page, Reference, SourceLines, TemplateLinks

if TYPE_CHECKING:
    from collections.abc import Callable
    from xml.etree.ElementTree import Element

    from markdown import Markdown


@dataclass
class Rendered:
    links: list[tuple[str, str]] = field(default_factory=list)  # Markdown link: (as written, as rewritten)
    raw_hrefs: list[str] = field(default_factory=list)
    authored_ids: set[str] = field(default_factory=set)


class Recorder(Extension):
    """Reads each page's Markdown links, ids and raw HTML out of Python-Markdown while it renders.

    `record(markdown, rendered)` gets the Markdown text that was converted with what it holds; keyed by that
    text, a snippet that another plugin renders with the same extensions never replaces the page's record.
    """

    def __init__(self, record: Callable[[str, Rendered], None]) -> None:
        super().__init__()
        self.record = record

    def extendMarkdown(self, md: Markdown) -> None:
        source = _Source(md)
        md.preprocessors.register(source, "xref_source", 1000)  # first: sees the text exactly as given
        capture = _CaptureLinks(md)
        # After inline links exist (20), before attr_list/toc (8, 5) add permalinks and MkDocs rewrites .md (0).
        md.treeprocessors.register(capture, "xref_capture", 15)
        md.treeprocessors.register(_Collect(md, source, capture, self.record), "xref_collect", -100)


class _Source(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        self.text = "\n".join(lines)
        return lines


class _CaptureLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        self.links = [(el, el.get("href", "")) for el in root.iter("a") if el.get("href") is not None]


class _Collect(Treeprocessor):
    def __init__(
        self, md: Markdown, source: _Source, capture: _CaptureLinks, record: Callable[[str, Rendered], None]
    ) -> None:
        super().__init__(md)
        self.source = source
        self.capture = capture
        self.record = record

    def run(self, root: Element) -> None:
        rendered = Rendered(links=[(written, el.get("href", "")) for el, written in self.capture.links])
        rendered.authored_ids = {el.get("id", "") for el in root.iter() if el.get("id")}
        for block in self.md.htmlStash.rawHtmlBlocks:
            _read_raw(block, rendered)
        rendered.authored_ids = {i for i in rendered.authored_ids if not i.startswith("__")}
        self.record(self.source.text, rendered)


def _read_raw(block: Any, rendered: Rendered) -> None:
    if isinstance(block, str):
        if "href" not in block and "id" not in block:
            return
        root = etree.HTML(block)
        if root is None:
            return
        rendered.raw_hrefs += root.xpath("//a/@href | //area/@href")
        rendered.authored_ids.update(root.xpath("//*/@id"))
    else:  # an element tree (md_in_html)
        for el in block.iter():
            if el.get("id"):
                rendered.authored_ids.add(el.get("id"))
            if el.tag in ("a", "area") and el.get("href") is not None:
                rendered.raw_hrefs.append(el.get("href"))


def page_data(src: str, dest: str, url: str, lines: SourceLines, rendered: Rendered, final_ids: list[str]) -> Page:
    """A page's ids, each with the source line that writes it (1 for ids the theme or hooks add)."""
    authored = rendered.authored_ids
    anchors = tuple(Anchor(i, lines.ids(i) if i in authored else 1, i in authored) for i in final_ids)
    return Page(src, dest, url, anchors)


def page_references(src: str, doc: str, lines: SourceLines, rendered: Rendered) -> list[Reference]:
    """Every reference a page's Markdown and raw HTML make (diagrams: `click_references`; the rest:
    `template_links`)."""
    refs = [Reference(doc, lines.link(w), w, "markdown", src) for w, _ in rendered.links]
    refs += [Reference(doc, lines.href(h), h, "html", src) for h in rendered.raw_hrefs]
    return refs


def template_links(src: str, doc: str, rendered: Rendered, final_hrefs: list[str]) -> TemplateLinks:
    """What the final page links to beyond its own Markdown and raw HTML: its template and hooks added it."""
    written = {rewritten for _, rewritten in rendered.links}.union(rendered.raw_hrefs)
    return TemplateLinks(doc, src, set(final_hrefs).difference(written))


def click_references(src: str, doc: str, fence_line: int, fence_source: str, svg: str) -> list[Reference]:
    """The click targets Mermaid kept in a drawing, each at the line of the diagram that writes it."""
    lines = fence_source.split("\n")
    used: Counter[str] = Counter()
    refs = []
    for target in diagram_svg.link_targets(svg):
        places = [i for i, text in enumerate(lines) if f'"{target}"' in text] or [0]
        index = places[min(used[target], len(places) - 1)]
        used[target] += 1
        refs.append(Reference(doc, fence_line + index, target, "mermaid", src))
    return refs
