"""Citations: the cite box, paragraph pinpoints, <head> metadata and the exports, all from the citation record.

The record is the site model's `work` (CITATION.cff, read and checked once by hooks/model.py);
hooks/citation_record.py turns it into CSL-JSON, BibTeX, RIS and meta tags, and hooks/citation_styles.py
renders APA, MLA and Chicago with citeproc-py. Templates get the box as the `cite` context variable.
"""

from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

import citation_passages as passages
import citation_record as record
import citation_styles as styles
from changelog import changelog_problems
from citation_pinpoints import Pinpoints
from disk_cache import DiskCache
from site_model import current, page_stem

if TYPE_CHECKING:
    from collections.abc import Callable

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext
    from site_model import PageModel

log = logging.getLogger("mkdocs.hooks.citations")

# Replaced on the How-to-cite page by citations rendered from the same record as every cite box.
EXAMPLES_MARKER = "<!-- citation-examples -->"
EXPORTS = (("bib", "BibTeX"), ("ris", "RIS"), ("json", "CSL-JSON"))
MEDIA_TYPES = {
    "bib": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "json": "application/vnd.citationstyles.csl+json",
}
ESSAY_NAME = "essay"
# Part of the key of kept export files: bump it when hooks/citation_record.py writes them differently.
EXPORTS_VERSION = 1
CHANGELOG = "changelog.md"

_highwire = False
# Rendered citations by hash of style and item, kept on disk so that a warm build renders nothing.
_render_cache: DiskCache | None = None
# The code that makes a cite box (this module, the record, the styles, the passages) and the renderer, as one
# hash: part of each kept box's key, so a box made by other code is made anew.
_box_code = ""


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _highwire, _render_cache, _box_code
    styles.apply_fixes()
    _box_code = _code_hash()
    _render_cache = DiskCache(Path(config.config_file_path).parent / ".cache" / "citations.json")
    config.markdown_extensions[:] = [e for e in config.markdown_extensions if not isinstance(e, Pinpoints)]
    config.markdown_extensions.append(Pinpoints(_pinpoint_base, _pinpoint_found))
    _highwire = bool((config.extra.get("citation") or {}).get("highwire", False))
    return config


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = current()
    if page.file.src_uri == CHANGELOG and site.work is not None:
        page = site.pages[CHANGELOG]
        for problem in changelog_problems(page.doc, page.source, page.body_start, site.work):
            site.report.add(problem, log)
    return None


def on_page_context(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext | None:
    site = current()
    model = site.pages.get(page.file.src_uri)
    if model is None or site.work is None:
        return None
    if page.content and EXAMPLES_MARKER in page.content:
        # Here, not while the page renders: by now every page has its title, so the examples cite a real one.
        page.content = page.content.replace(EXAMPLES_MARKER, examples_html(site.work, site.cited_pages(), _essay()))
    if model.cited:
        context["cite"] = _kept_box(_cited(site.work, model), model)
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    site = current()
    if site.work is None:
        return
    # The whole essay's exports are files with stable addresses (cite/essay.bib …); a page's own travel in its
    # cite box (`_box`), which saves a large site three files per page on every build.
    out = Path(config.site_dir) / "cite"
    out.mkdir(parents=True, exist_ok=True)
    for ext, text in _exports(_essay()).items():
        (out / f"{ESSAY_NAME}.{ext}").write_text(text, encoding="utf-8")
    if _render_cache is not None:
        _render_cache.save()


def examples_html(work: record.Work, pages: list[PageModel], whole: record.Cited | None = None) -> str:
    """The How-to-cite page's examples: the whole essay, then its first numbered section, in every style."""
    items = [("The whole essay", whole or record.essay(work))]
    items += [("One section", _cited(work, page)) for page in pages[1:2]]
    blocks = []
    for heading, item in items:
        blocks.append(f'<p class="cite-example__scope"><strong>{heading}</strong> — {item.url}</p><ul>')
        blocks += [
            f'<li class="cite-example"><strong>{r.style.label}:</strong> {r.html}</li>'
            for r in styles.render_all(record.csl(item), _render_cache)
        ]
        blocks.append("</ul>")
    return "\n".join(blocks)


def data_url(text: str, media_type: str) -> str:
    """The file `text` as a `data:` URL: a link with `download` saves it, from the hosted site or from disk."""
    return f"data:{media_type};charset=utf-8,{quote(text, safe='')}"


def _cited(work: record.Work, page: PageModel) -> record.Cited:
    """The page as cited: at its frozen edition's address (the site model's), the current one beside it."""
    place = page.place
    return record.page(
        work,
        name=page_stem(page.src),
        title=page.title or work.title,
        url=place.edition or place.hosted,
        current=place.hosted,
        canonical=place.edition if current().frozen else place.hosted,
    )


def _essay() -> record.Cited:
    """The whole essay as cited: its home page in this edition."""
    site = current()
    assert site.work is not None
    return record.essay(site.work, url=site.edition_url, current=site.work.url)


def _exports(item: record.Cited) -> dict[str, str]:
    """The item's export files, kept with the rendered citations: a warm build runs no exporter."""
    return _kept(f"exports {_digest(item)}", lambda: record.exports(item))


def _kept(key: str, make: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    if _render_cache is None:
        return make()
    kept = _render_cache.get(key)
    if kept is None:
        kept = _render_cache[key] = make()
    return kept


def _digest(item: record.Cited) -> str:
    # The record is frozen dataclasses of strings, dates and tuples, whose repr is stable and names every field.
    return hashlib.sha256(f"{EXPORTS_VERSION} {item!r}".encode()).hexdigest()


def _pinpoint_base() -> str | None:
    """The URL the pinpoints of the page being rendered copy (its frozen edition's); None when it is not cited."""
    page = current().rendering
    return (page.place.edition or page.place.hosted) if page is not None and page.cited else None


def _pinpoint_found(anchor: str) -> None:
    if (page := current().rendering) is not None:
        page.pinpoints.append(anchor)


def _kept_box(item: record.Cited, page: PageModel) -> dict[str, Any]:
    """The page's cite box, kept whole: a warm build makes no key per style and paragraph, no JSON, no URL.
    Made anew, the box reads its rendered citations and exports from the same cache."""
    material = f"{_box_code} {_highwire} {page.src} {page.pinpoints} {item!r}"
    # Made anew, it goes through JSON as a kept one comes back: the templates see the same either way.
    return _kept(
        f"box {hashlib.sha256(material.encode()).hexdigest()}", lambda: json.loads(json.dumps(_box(item, page)))
    )


def _code_hash() -> str:
    digest = hashlib.sha256(styles.RENDERER.encode())
    for module in (__file__, record.__file__, styles.__file__, passages.__file__):
        digest.update(Path(module).read_bytes())
    return digest.hexdigest()


def _box(item: record.Cited, page: PageModel) -> dict[str, Any]:
    """Everything the cite box and the <head> partial print, all from one record."""
    name = page_stem(page.src)
    csl = record.csl(item)
    in_text = styles.cite_all(csl, None, _render_cache)
    own = {ext: data_url(text, MEDIA_TYPES[ext]) for ext, text in _exports(item).items()}
    return {
        "url": item.url,
        "current": item.current,
        "version": item.work.version,
        "released": item.work.released.isoformat(),
        "rights": item.work.rights,
        "styles": [
            {
                "id": f"cite-{r.style.slug}",
                "label": r.style.label,
                "html": r.html,
                "text": r.text,
                "in_text": {"html": t.html, "text": t.text},
            }
            for r, t in zip(styles.render_all(csl, _render_cache), in_text, strict=True)
        ],
        # Pinpointed citations of each paragraph, for docs/assets/cite-passage.js (the cite box's script).
        "passages_id": passages.SCRIPT_ID,
        "passages": passages.script_text(passages.passage_data(csl, item.url, page.pinpoints, _render_cache)),
        "downloads": [
            *(
                {
                    "scope": "this page",
                    "label": label,
                    "href": own[ext],
                    "file": f"{name}.{ext}",
                    "type": MEDIA_TYPES[ext],
                }
                for ext, label in EXPORTS
            ),
            *(
                {
                    "scope": "the whole essay",
                    "label": label,
                    "href": f"cite/{ESSAY_NAME}.{ext}",
                    "file": f"{ESSAY_NAME}.{ext}",
                    "type": MEDIA_TYPES[ext],
                }
                for ext, label in EXPORTS
            ),
        ],
        "head": record.head(item, highwire=_highwire),
        "json_ld": record.json_ld(item),
    }
