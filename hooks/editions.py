"""Editions: the banner and edition menu, the RFC 5829 version links, what changed, and edition.json.

Every address comes from the site model (hooks/model.py fills the edition, the editions published before it and
each page's frozen and previous addresses); hooks/edition_record.py reads and writes the publish tree's records,
hooks/edition_diff.py compares two editions' sentences. Templates get `edition` (overrides/partials/edition*.html);
docs/assets/editions.js brings an older edition's banner and menu up to date from versions.json.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

import changelog
import edition_diff
import edition_record
import edition_text
import lxml.html
from site_model import HOSTED, current

if TYPE_CHECKING:
    from edition_record import Paragraph
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page
    from mkdocs.utils.templates import TemplateContext
    from site_model import PageModel, Site

log = logging.getLogger("mkdocs.hooks.editions")

# Each cited page's essay text in the edition before this build's (from its edition.json).
_previous_text: dict[str, list[Paragraph]] = {}


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    site = current()
    _previous_text.clear()
    if site.previous is not None and site.published_dir is not None:
        text, problems = edition_record.read_text(site.published_dir, site.previous)
        _previous_text.update(text)
        for problem in problems:
            site.report.add(problem, log)
    return None


def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = current()
    model = site.pages[page.file.src_uri]
    if model.src == changelog.FILE and site.edition is not None:
        return changelog_links(html, site, model)
    return None


def on_page_context(
    context: TemplateContext, *, page: Page, config: MkDocsConfig, nav: Navigation
) -> TemplateContext | None:
    site = current()
    model = site.pages.get(page.file.src_uri)
    if model is None or site.edition is None:
        return None
    context["edition"] = _context(site, model, page.content or "")
    return context


def on_post_build(*, config: MkDocsConfig) -> None:
    site = current()
    # The offline copy is read from disk, where nothing fetches it; only the publish tree needs the record.
    if site.edition is None or site.variant != HOSTED:
        return
    # The final pages' text (hooks/final_page.py reads it off each page, in the worker on a large site).
    record = edition_record.record_json(site.edition, {p.src: p.final_essay for p in site.pages.values() if p.cited})
    (Path(config.site_dir) / edition_record.RECORD).write_text(record, encoding="utf-8")


def changelog_links(html: str, site: Site, model: PageModel) -> str:
    """The change log's `## <version> (<date>)` entries, each followed by links to its edition and downloads."""
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    editions = {edition.version: edition for edition in site.editions()}
    changed = False
    for heading in root.iter("h2"):
        version = " ".join(heading.text_content().split()).partition(" (")[0]  # its ¶ comes after the date
        edition = editions.get(version)
        if edition is None:
            continue
        links = lxml.html.fragment_fromstring('<p class="edition-links"></p>')
        read = lxml.html.Element("a", href=site.publish_link(edition.path, model.place))
        read.text = f"Read edition {edition.version}"
        links.append(read)
        for download in edition.downloads:
            read.tail = " · "
            read = lxml.html.Element(
                "a", href=site.publish_link(edition.path + download.file, model.place), type=download.media_type
            )
            read.text = f"{download.label}, edition {edition.version}"
            links.append(read)
        heading.addnext(links)
        changed = True
    if not changed:
        return html
    return (root.text or "") + "".join(lxml.html.tostring(child, encoding="unicode") for child in root)


def date_text(iso: str) -> str:
    """`2026-11-27` as readers write it: `27 November 2026`."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%B %Y}"


def _context(site: Site, model: PageModel, content: str) -> dict[str, Any]:
    assert site.edition is not None
    place = model.place
    edition = site.edition
    latest_link = site.publish_link(place.path, place)
    rels = [{"rel": "version-history", "href": site.pages[changelog.FILE].place.hosted}] if _has_log(site) else []
    if site.frozen:
        rels.append({"rel": "latest-version", "href": place.hosted})
    if place.previous:
        rels.append({"rel": "predecessor-version", "href": place.previous})
    return {
        "version": edition.version,
        "released": edition.released,
        "released_text": date_text(edition.released),
        "frozen": site.frozen,
        # Only the hosted root is the current edition for good: an offline copy of it is fixed once unpacked.
        "hosted": site.variant == HOSTED,
        "src": place.src,
        "root": site.publish_link("", place),
        "current": latest_link,
        "menu": _menu(site, model),
        "rels": rels,
        "changes": _changes(site, model, content),
        # The offline copy is itself the download: it offers none of the hosted files.
        "downloads": [
            {"label": d.label, "type": d.media_type, "href": site.publish_link(edition.path + d.file, place)}
            for d in edition.downloads
            if site.variant == HOSTED
        ],
    }


def _menu(site: Site, model: PageModel) -> list[dict[str, Any]]:
    """Every edition this build knows, newest first, each linking to this page in it (or to its home page)."""
    assert site.edition is not None
    items = []
    for edition in reversed(site.editions()):
        path = edition.pages.get(model.src) or edition.moved.get(model.src) or ""
        items.append(
            {
                "version": edition.version,
                "released": edition.released,
                "released_text": date_text(edition.released),
                "href": site.publish_link(edition.path + path, model.place),
                # On the root, "this page" is the menu's first entry, the current edition, not the frozen copy.
                "this": site.frozen and edition.version == site.edition.version,
                # A frozen copy cannot know what follows it: only the root, rebuilt at every release, says so.
                "latest": not site.frozen and edition.version == site.edition.version,
            }
        )
    return items


def _changes(site: Site, model: PageModel, content: str) -> dict[str, Any] | None:
    """What changed in this page's essay text since the previous edition; None for the first, or a site page."""
    previous = site.previous
    if previous is None or not model.cited:
        return None
    before = _previous_text.get(model.src)
    path = previous.pages.get(model.src, "")
    items = []
    # Read from the content here, before the final page exists; edition.json reads the same text off that page.
    changes = edition_diff.changes(before, edition_text.essay_text(content)) if before is not None else []
    for change in changes:
        items.append(
            {
                "kind": change.kind,
                "before": change.before,
                "after": change.after,
                "words": change.words() if change.kind == edition_diff.REWORDED else [],
                "anchor": "" if change.paragraph == edition_text.TITLE else change.paragraph,
            }
        )
    counts = {kind: sum(1 for i in items if i["kind"] == kind) for kind in edition_diff.KINDS}
    return {
        "since": previous.version,
        "since_released": previous.released,
        "since_released_text": date_text(previous.released),
        "since_href": site.publish_link(previous.path + path, model.place),
        "new_page": before is None,
        "items": items,
        "summary": _summary(counts),
    }


def _summary(counts: dict[str, int]) -> str:
    parts = [f"{n} {'sentence' if n == 1 else 'sentences'} {kind}" for kind, n in counts.items() if n]
    return ", ".join(parts)


def _has_log(site: Site) -> bool:
    return changelog.FILE in site.pages
