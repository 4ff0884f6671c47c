"""Citations from CITATION.cff: the cite box, paragraph pinpoints, <head> metadata and the exports.

CITATION.cff is read once per build, through hooks/cff.py (its only reader); hooks/citation_record.py turns
the Work into plain data and hooks/citation_styles.py renders APA, MLA and Chicago with citeproc-py.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import cff
import citation_record as record
import citation_styles as styles
from citation_cache import RenderCache
from citation_pinpoints import Pinpoints
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.citations")

CFF_NAME = "CITATION.cff"
# Replaced on the How-to-cite page by citations rendered from the same record as every cite box.
EXAMPLES_MARKER = "<!-- citation-examples -->"
EXPORTS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
ESSAY_NAME = "essay"

_work: record.Work | None = None
_highwire = False
_pages: dict[str, record.Cited] = {}
_nav_order: list[str] = []
_serving = False
# Rendered citations by hash of style and item, kept on disk so that a warm build renders nothing.
_render_cache: RenderCache | None = None
_pinpoints = Pinpoints()


def on_startup(*, command: str, dirty: bool) -> None:
    # `mkdocs serve` replaces site_url with its own address before on_config runs.
    global _serving
    _serving = command == "serve"


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _work, _highwire, _render_cache
    _pages.clear()
    _nav_order.clear()
    root = Path(config.config_file_path).parent
    _render_cache = RenderCache(root / ".cache" / "citations.json")
    _work, problems = cff.load_file(root / CFF_NAME, site_url=None if _serving else config.site_url)
    if _work is None:  # the error lists every line; logging them too would print each twice
        raise PluginError("\n".join(str(problem) for problem in problems))
    for problem in problems:
        log.warning(str(problem))
    _pinpoints.page_url = None
    config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, Pinpoints)]
    config.markdown_extensions.append(_pinpoints)
    _highwire = bool((config.extra.get("citation") or {}).get("highwire", False))
    language = config.theme.get("language")
    if language and language != _work.language:
        log.warning(
            f"mkdocs.yml: citation: theme.language {language!r} differs from {CFF_NAME} languages[0] "
            f"{_work.language!r} — <html lang> and DC.language must agree"
        )
    return config


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[[], None]) -> None:
    # CITATION.cff lives outside docs/, so `mkdocs serve` would not rebuild when it changes.
    server.watch(str(Path(config.config_file_path).parent / CFF_NAME))


def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    _nav_order.extend(_page_name(page) for page in nav.pages)
    return None


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    # Material's <link rel="canonical"> follows this build's URL style; citations need the hosted one.
    page.canonical_url = record.hosted_url(_require_work().url, _directory_url(page, config))
    # The page renders next: its paragraphs get pinpoints to that URL, unless it is not cited.
    _pinpoints.page_url = page.canonical_url if page.meta.get("citation", True) else None
    if page.file.src_uri == "changelog.md" and _work is not None:
        # The source file, not `markdown`, so that line numbers count the front matter as editors see it.
        for problem in changelog_problems(page.file.content_string, _work):
            log.warning(problem)
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    if not page.meta.get("citation", True):
        return None
    work = _require_work()
    name = _page_name(page)
    # on_page_markdown set the canonical URL to the hosted one.
    item = record.page(work, name=name, title=page.title or work.title, url=page.canonical_url)
    _pages[name] = item
    page.meta["citation"] = _box(item, name)
    return None


def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    # After every page's content exists, so the examples can cite a real section by its title.
    if EXAMPLES_MARKER not in output:
        return None
    return output.replace(EXAMPLES_MARKER, examples_html(_require_work(), _in_nav_order()))


def on_post_build(*, config: MkDocsConfig) -> None:
    if _work is None:
        return
    if _render_cache is not None:
        _render_cache.save()
    out = Path(config.site_dir) / "cite"
    out.mkdir(parents=True, exist_ok=True)
    for name, item in [(ESSAY_NAME, record.essay(_work)), *_pages.items()]:
        for ext, text in (("bib", record.bibtex(item)), ("ris", record.ris(item)), ("json", record.csl_json(item))):
            (out / f"{name}.{ext}").write_text(text, encoding="utf-8")


def changelog_problems(source: str, work: record.Work) -> list[str]:
    """The newest change-log entry must be the release CITATION.cff describes: `## <version> (<date>)`."""
    lines = source.splitlines()
    body = 0
    if lines and lines[0].strip() == "---":
        body = next((i + 1 for i, line in enumerate(lines[1:], start=1) if line.strip() == "---"), 0)
    for number, line in enumerate(lines[body:], start=body + 1):
        if line.startswith("## "):
            expected = f"## {work.version} ({work.released.isoformat()})"
            if line.split("{")[0].strip() != expected:
                return [
                    f"docs/changelog.md:{number}: changelog: newest entry {line!r} is not this release"
                    f" — add '{expected}' above it ({CFF_NAME} gives version and date-released)"
                ]
            return []
    return [f"docs/changelog.md:1: changelog: no '## <version> (<date>)' entry — add one for {work.version}"]


def _box(item: record.Cited, name: str) -> dict[str, Any]:
    """Everything the cite box and the <head> partial print, all from one record."""
    data = record.csl(item)
    return {
        "url": item.url,
        "version": item.work.version,
        "released": item.work.released.isoformat(),
        "rights": item.work.rights,
        "styles": [
            {"id": f"cite-{r.style.slug}", "label": r.style.label, "html": r.html, "text": r.text}
            for r in styles.render_all(data, _render_cache)
        ],
        "downloads": [
            {"scope": scope, "label": label, "href": f"cite/{file}.{ext}", "file": f"{file}.{ext}"}
            for scope, file in (("this page", name), ("the whole essay", ESSAY_NAME))
            for ext, label in EXPORTS
        ],
        "head": record.head(item, highwire=_highwire),
        "json_ld": record.json_ld(item),
    }


def examples_html(work: record.Work, pages: list[record.Cited]) -> str:
    """The How-to-cite page's examples: the whole essay, then its first numbered section, in every style."""
    blocks = []
    for heading, item in (("The whole essay", record.essay(work)), *(("One section", p) for p in pages[1:2])):
        blocks.append(f'<p class="cite-example__scope"><strong>{heading}</strong> — {item.url}</p><ul>')
        blocks += [
            f'<li class="cite-example"><strong>{r.style.label}:</strong> {r.html}</li>'
            for r in styles.render_all(record.csl(item), _render_cache)
        ]
        blocks.append("</ul>")
    return "\n".join(blocks)


def _in_nav_order() -> list[record.Cited]:
    return [_pages[name] for name in _nav_order if name in _pages]


def _require_work() -> record.Work:
    if _work is None:
        raise PluginError(f"{CFF_NAME} was not loaded: on_config did not run")
    return _work


def _directory_url(page: Page, config: MkDocsConfig) -> str:
    if config.use_directory_urls:
        return page.url
    return File(page.file.src_uri, config.docs_dir, config.site_dir, use_directory_urls=True).url


def _page_name(page: Page) -> str:
    return page.file.src_uri.removesuffix(".md").replace("/", "-")
