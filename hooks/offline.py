"""Offline build (OFFLINE=true): keep every page's canonical URL the hosted one.

Material's offline plugin turns use_directory_urls off so that links open from disk, and MkDocs derives
`page.canonical_url` (the <link rel="canonical">, the sitemap, metadata built from it) from the same
setting: `ukraine.md` would claim https://…/ukraine.html, an address the hosted site never serves. This hook
notes the hosted URL style before the plugin changes it and gives each page its hosted canonical URL back.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urljoin

from mkdocs.plugins import event_priority
from mkdocs.structure.files import File

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.offline")
OFFLINE_PLUGIN = "material/offline"

# use_directory_urls as the hosted build has it, read before the offline plugin overrides it.
_hosted_directory_urls = True


@event_priority(100)  # before Material's offline plugin (priority 0) sets use_directory_urls to false
def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _hosted_directory_urls
    _hosted_directory_urls = config.use_directory_urls
    return None


def on_pre_page(page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
    if not _offline(config) or not config.site_url:
        return None
    page.canonical_url = hosted_url(page.file.src_uri, config.site_url, directory_urls=_hosted_directory_urls)
    log.debug("%s: canonical URL kept as hosted: %s", page.file.src_uri, page.canonical_url)
    return None


def hosted_url(src_uri: str, site_url: str, *, directory_urls: bool) -> str:
    """Where MkDocs puts the page `src_uri` on the hosted site, as an absolute URL."""
    url = File(src_uri, src_dir=None, dest_dir="", use_directory_urls=directory_urls).url
    return urljoin(site_url if site_url.endswith("/") else site_url + "/", url)


def _offline(config: MkDocsConfig) -> bool:
    plugin = config.plugins.get(OFFLINE_PLUGIN)
    return plugin is not None and bool(plugin.config.enabled)
