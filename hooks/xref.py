"""Check every cross-reference of the site, and keep published anchors alive (permalinks.lock).

While pages render, this hook records each page's ids and references; once every page is written it
resolves them all in one pass (hooks/xref_core.py, plain data) and logs each problem as one warning,
`docs/<page>.md:<line>: <kind>: '<target>' — <hint>`, so `--strict` fails after listing them all.
A lock entry or a redirect target is reported where it is written: permalinks.lock:<line>, mkdocs.yml:<line>.

Where references come from, and how their source line is found:
- Markdown links (inline and reference-style): read from Python-Markdown's own element tree, before MkDocs
  rewrites `.md` paths, so nothing is re-parsed; their line is found by searching the source for the target.
- Raw-HTML hrefs: read from Python-Markdown's raw-HTML stash (parsed with lxml), line found the same way.
- Mermaid `click` targets: read from the ```mermaid fences of the source file, with their exact line
  (hooks/diagrams.py rewrites them to URLs before rendering, so the source is the only place they are written).
- Links added by templates and other hooks: every other `<a href>` in the final HTML, attributed to line 1.
- Redirect targets: mkdocs-redirects `redirect_maps`, reported at their line in mkdocs.yml.

`XREF_LOCK=update` (make lock) adds every page and authored anchor of a clean build to permalinks.lock.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from lxml import etree
from markdown.extensions import Extension
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from mkdocs.plugins import event_priority

try:  # MkDocs loads hooks by path, with hooks/ on sys.path while it does
    import xref_core as core
except ImportError:  # imported as hooks.xref by the tests
    from hooks import xref_core as core  # type: ignore[no-redef]

if TYPE_CHECKING:
    from xml.etree.ElementTree import Element

    from markdown import Markdown
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.xref")
LOCK_NAME = "permalinks.lock"


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    """Start every build (and every `mkdocs serve` rebuild) from empty state."""
    global _state
    _state = _State(config)
    config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, Recorder)]
    config.markdown_extensions.append(Recorder(_state))
    return config


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> None:
    _state.nav = [page.file.src_uri for page in nav.pages]
    _state.files = files


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> None:
    # Keyed by the Markdown that was converted: other plugins may render snippets with the same extensions.
    rendered = _state.renders.pop(page.markdown or "", None) or Rendered()
    _state.records[page.file.src_uri] = _Record(page, page.file.content_string, rendered)


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> None:
    record = _state.records.get(page.file.src_uri)
    if record is None:
        return
    root = etree.HTML(output)
    if root is not None:
        record.final_ids = root.xpath("//*/@id")
        # Links in an SVG are a diagram's `click` lines, checked where they are written (mermaid_clicks).
        record.final_hrefs = root.xpath("//a[not(ancestor::svg)]/@href | //area/@href")


# After other plugins' post_build (mkdocs-redirects writes its pages there), like mkdocstrings/autorefs.
@event_priority(-50)
def on_post_build(*, config: MkDocsConfig) -> None:
    if missing := _state.unrendered():
        # `--dirty` renders only changed pages: without the others, every link to them would look broken.
        log.info(f"cross-references not checked: {len(missing)} pages were not rendered in this (dirty) build")
        return
    pages = _state.pages()
    lock_text = _state.lock_path.read_text("utf-8") if _state.lock_path.is_file() else ""
    updating = os.environ.get("XREF_LOCK") == "update"
    new_lock = core.updated_lock(lock_text, pages) if updating else lock_text
    problems = core.find_problems(
        pages,
        _state.references(),
        core.parse_lock(new_lock),
        _state.redirects(),
        files=_state.other_files(),
        unbuilt=_state.unbuilt(),
        built=_SiteDir(Path(config.site_dir)),
        docs=_state.docs,
        lock_file=LOCK_NAME,
    )
    warnings = [p for p in problems if p.level == "warning"]
    if not lock_text and not updating:
        # Without a lock every anchor is unlocked: one line says so instead of one per anchor.
        problems = warnings
    for problem in problems:
        (log.warning if problem.level == "warning" else log.info)(str(problem))
    if not lock_text and not updating:
        log.info(f"{LOCK_NAME} is missing: run `make lock` to publish the current pages and anchors")
    if updating:
        _write_lock(lock_text, new_lock, warnings)


# --- recording while pages render -----------------------------------------------------------------


@dataclass
class Rendered:
    links: list[tuple[str, str]] = field(default_factory=list)  # Markdown link: (as written, as rewritten)
    raw_hrefs: list[str] = field(default_factory=list)
    authored_ids: set[str] = field(default_factory=set)


@dataclass
class _Record:
    page: Page
    source: str  # the source file as written, front matter included
    rendered: Rendered
    final_ids: list[str] = field(default_factory=list)
    final_hrefs: list[str] = field(default_factory=list)


class Recorder(Extension):
    """Reads each page's Markdown links, ids and raw HTML out of Python-Markdown while it renders."""

    def __init__(self, state: _State) -> None:
        super().__init__()
        self.state = state

    def extendMarkdown(self, md: Markdown) -> None:
        source = _Source(md)
        md.preprocessors.register(source, "xref_source", 1000)  # first: sees the text exactly as given
        capture = _CaptureLinks(md)
        # After inline links exist (20), before attr_list/toc (8, 5) add permalinks and MkDocs rewrites .md (0).
        md.treeprocessors.register(capture, "xref_capture", 15)
        md.treeprocessors.register(_Collect(md, source, capture, self.state), "xref_collect", -100)


class _Source(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        self.text = "\n".join(lines)
        return lines


class _CaptureLinks(Treeprocessor):
    def run(self, root: Element) -> None:
        self.links = [(el, el.get("href", "")) for el in root.iter("a") if el.get("href") is not None]


class _Collect(Treeprocessor):
    def __init__(self, md: Markdown, source: _Source, capture: _CaptureLinks, state: _State) -> None:
        super().__init__(md)
        self.source = source
        self.capture = capture
        self.state = state

    def run(self, root: Element) -> None:
        rendered = Rendered(links=[(written, el.get("href", "")) for el, written in self.capture.links])
        rendered.authored_ids = {el.get("id", "") for el in root.iter() if el.get("id")}
        for block in self.md.htmlStash.rawHtmlBlocks:
            self._read_raw(block, rendered)
        rendered.authored_ids = {i for i in rendered.authored_ids if not i.startswith("__")}
        self.state.renders[self.source.text] = rendered

    @staticmethod
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


# --- turning the records into plain data for the core ---------------------------------------------


class _State:
    def __init__(self, config: MkDocsConfig) -> None:
        root = Path(config.config_file_path or ".").resolve().parent
        self.config = config
        self.config_text = Path(config.config_file_path).read_text("utf-8") if config.config_file_path else ""
        self.docs = os.path.relpath(config.docs_dir, root).replace(os.sep, "/")
        self.lock_path = root / LOCK_NAME
        self.nav: list[str] = []
        self.files: Files | None = None
        self.records: dict[str, _Record] = {}
        self.renders: dict[str, Rendered] = {}

    def pages(self) -> list[core.Page]:
        order = {src: i for i, src in enumerate(self.nav)}
        pages = []
        for src in sorted(self.records, key=lambda s: (order.get(s, len(order)), s)):
            record, file = self.records[src], self.records[src].page.file
            page = page_data(src, file.dest_uri, file.url, record.source, record.rendered, record.final_ids)
            pages.append(replace(page, in_nav=src in order, nav_optional=file.inclusion.is_not_in_nav()))
        return pages

    def references(self) -> list[core.Reference]:
        refs = []
        for src, record in self.records.items():
            refs += page_references(src, f"{self.docs}/{src}", record.source, record.rendered, record.final_hrefs)
        return refs

    def redirects(self) -> list[core.Redirect]:
        plugin = self.config.plugins.get("redirects")
        maps = plugin.config.get("redirect_maps", {}) if plugin is not None else {}
        lines = self.config_text.splitlines()
        return [core.Redirect(old, new, _line_of(lines, old)) for old, new in maps.items()]

    def other_files(self) -> dict[str, str]:
        return {
            f.src_uri: f.dest_uri
            for f in self.files or ()
            if not f.is_documentation_page() and f.inclusion.is_included()
        }

    def unrendered(self) -> list[str]:
        included = (f for f in self.files or () if f.is_documentation_page() and f.inclusion.is_included())
        return [f.src_uri for f in included if f.src_uri not in self.records]

    def unbuilt(self) -> set[str]:
        return {f.src_uri for f in self.files or () if f.inclusion.is_excluded()}


def page_data(src: str, dest: str, url: str, source: str, rendered: Rendered, final_ids: list[str]) -> core.Page:
    """A page's ids, each with the source line that writes it (1 for ids the theme or hooks add)."""
    lines = core.SourceLines(source)
    authored = rendered.authored_ids
    anchors = tuple(core.Anchor(i, lines.ids(i) if i in authored else 1, i in authored) for i in final_ids)
    return core.Page(src, dest, url, anchors)


def page_references(
    src: str, doc: str, source: str, rendered: Rendered, final_hrefs: list[str]
) -> list[core.Reference]:
    """Every reference a page makes, from its source, its rendered Markdown and its final HTML."""
    lines = core.SourceLines(source)
    refs = [core.Reference(doc, lines.link(w), w, "markdown", src) for w, _ in rendered.links]
    refs += [core.Reference(doc, lines.href(h), h, "html", src) for h in rendered.raw_hrefs]
    refs += [core.Reference(doc, n, t, "mermaid", src) for n, t in core.mermaid_clicks(source)]
    # What the final HTML links to beyond the page's own Markdown and raw HTML: templates and hooks added it.
    added = Counter(final_hrefs) - Counter(r for _, r in rendered.links) - Counter(rendered.raw_hrefs)
    refs += [core.Reference(doc, 1, h, "template", src) for h in added]
    return refs


class _SiteDir:
    """Built paths that exist on disk: files that plugins write after the pages (redirects, exports)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def __contains__(self, dest: object) -> bool:
        return isinstance(dest, str) and (self.site_dir / dest).is_file()


def _line_of(lines: list[str], key: str) -> int:
    for number, text in enumerate(lines, 1):
        if text.strip().strip("'\"").startswith(key) and ":" in text:
            return number
    return 1


def _write_lock(old: str, new: str, warnings: list[core.Problem]) -> None:
    if warnings:
        log.warning(f"{LOCK_NAME} not updated: fix the {len(warnings)} problems above first")
        return
    added = len(core.parse_lock(new)) - len(core.parse_lock(old))
    if new != old:
        _state.lock_path.write_text(new, "utf-8")
    log.info(f"{LOCK_NAME}: {added} entries added")


_state: _State
