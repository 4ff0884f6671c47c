"""Check every cross-reference of the site, and keep published anchors alive (permalinks.lock).

While pages render, hooks/xref_record.py records each page's Markdown links, raw-HTML links and ids; the
final page's ids and links come from hooks/final_page.py's one parse, the diagrams' click targets from their
drawings, everything else from the site model. Once every page is written, hooks/xref_core.py resolves all
of it in one pass, and each problem is one warning, `docs/<page>.md:<line>: <kind>: '<target>' — <hint>`,
so `--strict` fails after listing them all. A lock entry or a redirect target is reported where it is
written: permalinks.lock:<line>, mkdocs.yml:<line>.

`XREF_LOCK=update` (make lock) adds every page and authored anchor of a clean build to permalinks.lock.
"""

from __future__ import annotations

import logging
import os
import posixpath
from pathlib import Path
from typing import TYPE_CHECKING

import xref_core as core
from mkdocs.plugins import event_priority
from problems import Problem
from site_model import current, in_publish_tree
from xref_record import Recorder, Rendered, click_references, page_data, page_references, template_links
from yaml_lines import YamlLines

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from site_model import PageModel, Site

log = logging.getLogger("mkdocs.hooks.xref")

# Each page's record, by source path; and what the Recorder saw, by the Markdown text it converted.
_records: dict[str, Rendered] = {}
_renders: dict[str, Rendered] = {}
_files: Files | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    """Start every build (and every `mkdocs serve` rebuild) from empty state."""
    _records.clear()
    _renders.clear()
    config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, Recorder)]
    config.markdown_extensions.append(Recorder(_renders.__setitem__))
    return config


def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    global _files
    _files = files
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    _records[page.file.src_uri] = _renders.pop(page.markdown or "", None) or Rendered()
    return None


# After other plugins' post_build (mkdocs-redirects writes its pages there), like mkdocstrings/autorefs.
@event_priority(-50)
def on_post_build(*, config: MkDocsConfig) -> None:
    site = current()
    if missing := [src for src in site.pages if src not in _records]:
        # `--dirty` renders only changed pages: without the others, every link to them would look broken.
        log.info(f"cross-references not checked: {len(missing)} pages were not rendered in this (dirty) build")
        return
    assert site.lock is not None
    updating = os.environ.get("XREF_LOCK") == "update"
    # One map from the HTML back to each page's source lines, for its anchors and its references alike.
    lines = {model.src: core.SourceLines(model.source, model.body_start) for model in site.in_nav_order()}
    pages = [_page(model, lines[model.src]) for model in site.in_nav_order()]
    # The essay's PDF and EPUB (hooks/books.py), published like pages; declared here even when `mkdocs serve`
    # skips typesetting the PDF.
    published = [book.path for book in site.books]
    lock_text = core.updated_lock(site.lock.text, pages, published) if updating else site.lock.text
    problems = core.find_problems(
        pages,
        [ref for model in site.in_nav_order() for ref in _references(site, model, lines[model.src])],
        core.parse_lock(lock_text),
        _redirects(site, config),
        files={**_other_files(), **{path: path for path in published}},
        unbuilt={f.src_uri for f in _files or () if f.inclusion.is_excluded()},
        built=_SiteDir(Path(config.site_dir)),
        docs=site.docs,
        lock_file=site.lock.path.name,
        template_links=[
            template_links(model.src, model.doc, _records[model.src], _unreported(site, model))
            for model in site.in_nav_order()
        ],
        published=published,
    )
    if not site.lock.present and not updating:
        # Without a lock no published anchor is checked: that fails the build, instead of one note per anchor.
        hint = "restore it (git checkout -- permalinks.lock), or run `make lock` to publish every current anchor"
        problems = [p for p in problems if p.level == "warning"]
        problems.append(Problem(site.lock.path.name, 1, "published anchors: the lock file is missing", hint))
    for problem in problems:
        site.report.add(problem, log)
    if updating:
        _write_lock(site, lock_text, [p for p in problems if p.level == "warning"])


def _page(model: PageModel, lines: core.SourceLines) -> core.Page:
    data = page_data(model.src, model.place.dest, model.place.url, lines, _records[model.src], model.final_ids)
    return core.Page(data.src, data.dest, data.url, data.anchors, model.in_nav, model.nav_optional)


def _references(site: Site, model: PageModel, lines: core.SourceLines) -> list[core.Reference]:
    refs = page_references(model.src, model.doc, lines, _records[model.src])
    for fence in model.fences:
        drawing = site.drawings.get(fence.key)
        if drawing is not None and drawing.svg is not None:
            refs += click_references(model.src, model.doc, fence.line, fence.source, drawing.svg)
    return refs


def _unreported(site: Site, model: PageModel) -> list[str]:
    """The final page's links, but those to a nav entry that names no page: reported once, at its mkdocs.yml line."""
    if not site.broken_nav_links:
        return model.final_hrefs
    here = posixpath.dirname(model.place.dest)
    return [h for h in model.final_hrefs if posixpath.normpath(posixpath.join(here, h)) not in site.broken_nav_links]


def _redirects(site: Site, config: MkDocsConfig) -> list[core.Redirect]:
    plugins = list(config.plugins)
    if "redirects" not in plugins:
        return []
    maps = config.plugins["redirects"].config.get("redirect_maps", {})
    lines = YamlLines(site.config_text)
    index = _plugin_index(lines, "redirects")
    return [
        core.Redirect(old, new, lines.line(("plugins", index, "redirects", "redirect_maps", old)) or 1)
        for old, new in maps.items()
    ]


def _plugin_index(lines: YamlLines, name: str) -> int:
    """Where `name` stands in mkdocs.yml's plugins list, written as a mapping (it has settings)."""
    index = 0
    while lines.line(("plugins", index)) is not None:
        if lines.line(("plugins", index, name)) is not None:
            return index
        index += 1
    return 0


def _other_files() -> dict[str, str]:
    return {f.src_uri: f.dest_uri for f in _files or () if not f.is_documentation_page() and f.inclusion.is_included()}


class _SiteDir:
    """Built paths that exist on disk: files that plugins write after the pages (redirects, exports), and the
    earlier editions under v/, which publishing keeps beside this build (scripts/publish.py checks those links)."""

    def __init__(self, site_dir: Path) -> None:
        self.site_dir = site_dir

    def __contains__(self, dest: object) -> bool:
        return isinstance(dest, str) and ((self.site_dir / dest).is_file() or in_publish_tree(dest))


def _write_lock(site: Site, new: str, warnings: list[Problem]) -> None:
    assert site.lock is not None
    if warnings:
        log.warning(f"{site.lock.path.name} not updated: fix the {len(warnings)} problems above first")
        return
    added = len(core.parse_lock(new)) - len(core.parse_lock(site.lock.text))
    if new != site.lock.text:
        site.lock.path.write_text(new, "utf-8")
    log.info(f"{site.lock.path.name}: {added} entries added")
