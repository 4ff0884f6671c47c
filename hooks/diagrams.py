"""Mermaid diagrams, drawn once at build time and inlined as SVG; pages load no Mermaid.

pymdownx.superfences is the parser of record: every fence it would render as Mermaid (```` ```mermaid ````,
```` ``` { .mermaid } ````, `~~~mermaid`, inside admonitions or not) comes to `fence_diagram`, which records it
on the page being rendered and leaves a placeholder. Once every page's Markdown is converted (on_env), all
the diagrams are drawn at once (hooks/diagram_render.py: cached by hash, uncached ones on every core) and each
problem is reported at its line in the Markdown file. Each page then gets its drawings in place of the
placeholders (on_page_context), with ids made unique and click targets (`click A "ukraine.md#p1"`, written
like a Markdown link) turned into the built page's relative URLs; and a download of each drawing
(`assets/diagrams/<page>.svg`) whose links are the hosted URLs.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import TYPE_CHECKING

import diagram_checks as checks
import diagram_svg
from diagram_render import DiagramCache
from diagram_svg import DOWNLOAD_TEXT, DRAWING_CLASS, PLACEHOLDER, drawing_key
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url
from site_model import Drawing, Fence, PageModel, Site, current

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext
    from problems import Problem

log = logging.getLogger("mkdocs.hooks.diagrams")

CACHE_DIR = Path(".cache") / "diagrams"
_PLACEHOLDER = re.compile(f'<div class="{DRAWING_CLASS}" data-diagram="(?P<key>[0-9a-f]{{64}})"></div>')

_cache_dir: Path | None = None


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _cache_dir
    _cache_dir = Path(config.config_file_path).parent / CACHE_DIR
    if "pymdownx.superfences" not in config.markdown_extensions:
        raise PluginError("mkdocs.yml: hooks/diagrams.py needs pymdownx.superfences under markdown_extensions")
    # The mermaid fence is this hook's, whatever mkdocs.yml says: it records the diagram and leaves a placeholder.
    superfences = config.mdx_configs.setdefault("pymdownx.superfences", {})
    fences = [fence for fence in superfences.get("custom_fences", []) if fence.get("name") != "mermaid"]
    superfences["custom_fences"] = [*fences, {"name": "mermaid", "class": DRAWING_CLASS, "format": fence_diagram}]
    return config


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    site = current()
    started = time.perf_counter()
    pages = [page for page in site.in_nav_order() if page.fences]
    sources = [fence.source for page in pages for fence in page.fences if fence.source.strip()]
    outcomes = DiagramCache(_cache_dir).render_all(sources)
    for page in pages:
        names = diagram_svg.svg_names(page.src, len(page.fences))
        for fence, name in zip(page.fences, names, strict=True):
            outcome, _ = outcomes.get(fence.source, (None, False))
            drawing = Drawing(outcome.svg, outcome.error) if outcome else Drawing(None, None)
            site.drawings[fence.key] = drawing
            for problem in fence_problems(page, fence, drawing, outcome.fault if outcome else 0):
                site.report.add(problem, log)
            if drawing.svg is not None:
                svg = diagram_svg.for_download(drawing.svg, lambda target, p=page: _hosted(site, target, p))
                _replace_file(files, File.generated(config, name, content=svg))
    drawn = sum(fresh for _, fresh in outcomes.values())
    log.info(
        "diagrams: %d checked, %d rendered, %d from cache, in %.3f s",
        len(outcomes),
        drawn,
        len(outcomes) - drawn,
        time.perf_counter() - started,
    )
    return None


def on_page_context(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext | None:
    site = current()
    model = site.pages.get(page.file.src_uri)
    if model is None or not model.fences or page.content is None:
        return None
    names = dict(zip((f.key for f in model.fences), diagram_svg.svg_names(model.src, len(model.fences)), strict=True))
    count = 0

    def inline(match: re.Match[str]) -> str:
        nonlocal count
        drawing = site.drawings.get(match["key"])
        if drawing is None or drawing.svg is None:  # reported at its line in on_env
            return match[0]
        count += 1
        svg = diagram_svg.for_page(drawing.svg, lambda t: _built(site, t, model), f"diagram-{count}")
        href = get_relative_url(names[match["key"]], page.url)
        download = f'<a class="diagram-download" href="{href}" download="{href.rsplit("/", 1)[-1]}">{DOWNLOAD_TEXT}</a>'
        return f'<div class="{DRAWING_CLASS}">{svg}</div>\n<p>{download}</p>'

    page.content = _PLACEHOLDER.sub(inline, page.content)
    return None


def fence_diagram(source: str, language: str, class_name: str, options: object, md: object, **kwargs: object) -> str:
    """superfences' format for Mermaid: record the diagram on the page being rendered, leave its placeholder."""
    page = current().rendering
    key = drawing_key(source)
    if page is not None:
        bodies = [fence.source for fence in page.fences] + [source]
        line = checks.locate(page.source, bodies)[-1]
        page.fences.append(Fence(source.strip("\n"), key, line, len(page.fences) + 1))
    return PLACEHOLDER.format(key=key)


def fence_problems(page: PageModel, fence: Fence, drawing: Drawing, fault: int) -> list[Problem]:
    """Every problem with one diagram: empty, refused by Mermaid, unnamed for screen readers, markup dropped."""
    if not fence.source.strip():
        return checks.empty_problems(page.doc, fence.line, fence.source)
    problems = checks.error_problems(page.doc, fence.line, fence.source, drawing.error, fault)
    problems += checks.accessibility_problems(page.doc, fence.line, fence.source)
    if drawing.svg is not None:
        problems += checks.markup_problems(page.doc, fence.line, fence.source, diagram_svg.label_text(drawing.svg))
    return problems


def _built(site: Site, target: str, page: PageModel) -> str | None:
    found = site.linked_page(target, page.src)
    return found[0].place.link_from(page.place, found[1]) if found else None


def _hosted(site: Site, target: str, page: PageModel) -> str | None:
    # A downloaded SVG has no page around it: its links must be absolute, and the hosted ones are canonical.
    found = site.linked_page(target, page.src)
    return found[0].place.hosted + (f"#{found[1]}" if found[1] else "") if found else None


def _replace_file(files: Files, file: File) -> None:
    existing = files.get_file_from_path(file.src_uri)
    if existing is not None:
        files.remove(existing)
    files.append(file)
