"""External links carry rel="noopener": a page opened from the site gets no handle on it (window.opener)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import lxml.html

if TYPE_CHECKING:
    from bs4 import BeautifulSoup, Tag
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.noopener")


def on_post_page(output: str, *, page: Page | None, config: MkDocsConfig) -> str | None:
    own_host = urlsplit(config.site_url or "").hostname
    # A quick look first (lxml, links only): most pages need no change, and then are not rewritten.
    if not needs_noopener(output, own_host=own_host):
        return None
    # Imported here: bs4 costs a tenth of a second to import, and a build whose links all carry noopener
    # (the usual case) never needs it.
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(output, "html.parser")
    add_noopener(soup, own_host=own_host)
    return str(soup)


def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
    # Theme pages that are not Markdown pages, such as 404.html, carry links too.
    if not template_name.endswith(".html"):
        return None
    return on_post_page(output_content, page=None, config=config)


def needs_noopener(html: str, *, own_host: str | None) -> bool:
    for link in lxml.html.document_fromstring(html).iter("a", "area"):
        href, rel = link.get("href"), (link.get("rel") or "").lower().split()
        if href is not None and is_external(href, own_host=own_host) and "noopener" not in rel:
            return True
    return False


def add_noopener(soup: BeautifulSoup, *, own_host: str | None) -> int:
    """Add "noopener" to every external link's rel; return how many links changed."""
    changed = 0
    for link in soup.find_all(["a", "area"], href=True):
        if _lacks_noopener(link, own_host):
            link["rel"] = [*_rel(link), "noopener"]
            changed += 1
    return changed


def is_external(href: str, *, own_host: str | None) -> bool:
    parts = urlsplit(href.strip())
    if parts.scheme not in {"http", "https", ""} or not parts.netloc:
        return False
    return parts.hostname != own_host


def _lacks_noopener(link: Tag, own_host: str | None) -> bool:
    return is_external(link["href"], own_host=own_host) and "noopener" not in (t.lower() for t in _rel(link))


def _rel(link: Tag) -> list[str]:
    rel = link.get("rel") or []
    # BeautifulSoup gives rel as a list (a multi-valued attribute), but a hook may have set a string.
    return rel.split() if isinstance(rel, str) else list(rel)
