"""Builds the site model (hooks/site_model.py) once per build; every other hook reads it.

First in mkdocs.yml's hook list, and first at each event it handles: the others rely on what it has filled in.
It also reports what only the model can see: a nav entry that names no page (at its line in mkdocs.yml),
front matter that MkDocs could not read, and, after the build, every problem again when `--quiet` kept
MkDocs from counting them under `--strict`.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

import cff
import changelog
import edition_record
from citation_record import with_slash
from disk_cache import DiskCache
from front_matter import body_start, front_matter_problems
from mkdocs.plugins import event_priority
from mkdocs.structure.nav import Link, Section
from problems import Problem
from site_model import (
    EDITIONS_DIR,
    HOSTED,
    OFFLINE,
    Download,
    Edition,
    Lock,
    PageModel,
    Site,
    books,
    current,
    offline_zip_name,
    place,
    start,
)
from yaml_lines import YamlLines

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.nav import Navigation
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.model")

CFF_NAME = "CITATION.cff"
LOCK_NAME = "permalinks.lock"
OFFLINE_PLUGIN = "material/offline"

_serving = False


def on_startup(*, command: str, dirty: bool) -> None:
    # `mkdocs serve` replaces site_url with its own address before on_config runs.
    global _serving
    _serving = command == "serve"


@event_priority(100)  # before Material's offline plugin turns use_directory_urls off: the hosted style is read here
def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    root = Path(config.config_file_path).parent
    offline = config.plugins.get(OFFLINE_PLUGIN)
    site = start(
        Site(
            root=root,
            docs=Path(os.path.relpath(config.docs_dir, root)).as_posix(),
            variant=OFFLINE if offline is not None and offline.config.enabled else HOSTED,
            site_url=with_slash(config.site_url) if config.site_url else "",
            hosted_directory_urls=config.use_directory_urls,
            strict=bool(config.strict),
            serving=_serving,
            config_text=Path(config.config_file_path).read_text("utf-8"),
        )
    )
    checked = DiskCache(root / ".cache" / "cff-check.json")
    work, problems = cff.load_file(root / CFF_NAME, site_url=None if _serving else config.site_url, checked=checked)
    checked.save()
    if work is None:  # nothing can be cited: stop here, every problem in the one error (and not twice)
        raise cff_error(problems)
    for problem in problems:
        site.report.add(problem, log)
    site.work = work
    if not _serving:
        site.site_url = work.url  # one canonical address: cff has checked that it equals site_url
    site.books = books(work, site.site_url)
    lock = root / LOCK_NAME
    site.lock = Lock(lock, lock.read_text("utf-8") if lock.is_file() else "", lock.is_file())
    _editions(site, config)
    language = config.theme.get("language")
    if language and language != work.language:
        site.report.add(
            Problem(
                "mkdocs.yml",
                YamlLines(site.config_text).line(("theme", "language")) or 1,
                f"citation: theme.language {language!r} differs from {CFF_NAME} languages[0] {work.language!r}",
                "<html lang> and DC.language must agree; make them equal",
            ),
            log,
        )
    return None


def on_serve(server: LiveReloadServer, *, config: MkDocsConfig, builder: Callable[[], None]) -> None:
    # CITATION.cff and permalinks.lock live outside docs/, so `mkdocs serve` would not rebuild when they change.
    root = Path(config.config_file_path).parent
    server.watch(str(root / CFF_NAME))
    server.watch(str(root / LOCK_NAME))


@event_priority(100)
def on_files(files: Files, *, config: MkDocsConfig) -> Files | None:
    site = current()
    for file in files.documentation_pages():
        where = place(
            file.src_uri,
            file.url,
            file.dest_uri,
            site_url=site.site_url,
            hosted_directory_urls=site.hosted_directory_urls,
            edition=site.edition,
            previous=site.previous,
        )
        site.pages[file.src_uri] = PageModel(
            where, doc=f"{site.docs}/{file.src_uri}", nav_optional=file.inclusion.is_not_in_nav()
        )
        if where.path.startswith(f"{EDITIONS_DIR}/"):
            hint = f"the publish tree keeps its editions under {EDITIONS_DIR}/<version>/; move the file elsewhere"
            site.report.add(Problem(f"{site.docs}/{file.src_uri}", 1, f"editions: {where.path} is reserved", hint), log)
    if site.edition is not None:
        site.edition.pages = {src: page.place.path for src, page in site.pages.items()}
        site.edition.moved = _moved(site, config)
        log_page = site.pages.get(changelog.FILE)
        site.edition.changelog = log_page.place.path if log_page is not None else ""
    return None


@event_priority(100)
def on_nav(nav: Navigation, *, config: MkDocsConfig, files: Files) -> Navigation | None:
    site = current()
    site.nav = [page.file.src_uri for page in nav.pages]
    for src in site.nav:
        site.pages[src].in_nav = True
    lines = YamlLines(site.config_text)
    for path, link in _nav_links(config.nav or [], ("nav",), nav):
        site.broken_nav_links.add(link)
        site.report.add(
            Problem(
                "mkdocs.yml",
                lines.line(path) or 1,
                f"nav: '{link}' is not a page under {site.docs}/",
                _nav_hint(link, list(site.pages)),
            ),
            log,
        )
    return None


@event_priority(100)
def on_pre_page(page: Page, *, config: MkDocsConfig, files: Files) -> Page | None:
    site = current()
    model = site.pages[page.file.src_uri]
    # MkDocs derives the canonical URL from this build's URL style; offline that is an address no host serves.
    # A frozen edition's page is its own canonical address: its words differ from the current page's.
    page.canonical_url = model.place.edition if site.frozen else model.place.hosted
    return None


@event_priority(100)
def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = current()
    model = site.pages[page.file.src_uri]
    model.source = page.file.content_string
    model.body_start = body_start(model.source)
    model.cited = page.meta.get("citation", True) is not False
    site.rendering = model
    for problem in front_matter_problems(model.doc, model.source):
        site.report.add(problem, log)
    return None


@event_priority(100)
def on_page_content(html: str, *, page: Page, config: MkDocsConfig, files: Files) -> str | None:
    site = current()
    site.pages[page.file.src_uri].title = page.title or ""
    site.rendering = None
    return None


@event_priority(-100)  # last: every other hook has reported by now
def on_post_build(*, config: MkDocsConfig) -> None:
    current().report.enforce(strict=bool(config.strict))


def _editions(site: Site, config: MkDocsConfig) -> None:
    """This build's edition (CITATION.cff's release), whether it is the frozen copy, and the editions before it.

    mkdocs.yml's `extra` gives EDITION (the version of a frozen build; empty for the root) and PUBLISHED (a
    folder holding the publish tree's versions.json; empty outside `make publish`).
    """
    assert site.work is not None
    work = site.work
    site.edition = Edition(
        work.version,
        work.released.isoformat(),
        downloads=(Download("Offline copy (zip)", offline_zip_name(work), "application/zip"),),
    )
    frozen = str(config.extra.get("edition") or "")
    if frozen and frozen != work.version:
        hint = f"build the frozen edition of the release CITATION.cff describes: EDITION={work.version}"
        site.report.add(
            Problem(CFF_NAME, 1, f"editions: EDITION={frozen} but {CFF_NAME} gives version {work.version}", hint), log
        )
    site.frozen = bool(frozen)
    published = str(config.extra.get("published") or "")
    if published:
        site.published_dir = Path(published)
        editions, problems = edition_record.load_published(site.published_dir)
        for problem in problems:
            site.report.add(problem, log)
        site.published = edition_record.published_before(editions, work.version)


def _moved(site: Site, config: MkDocsConfig) -> dict[str, str]:
    """Retired pages (mkdocs-redirects' redirect_maps) and where each is now: "old.md" -> "new/#p1"."""
    if "redirects" not in config.plugins:
        return {}
    moved = {}
    for old, new in (config.plugins["redirects"].config.get("redirect_maps") or {}).items():
        path, _, anchor = str(new).partition("#")
        target = site.pages.get(path)
        if target is not None:
            moved[old] = target.place.path + (f"#{anchor}" if anchor else "")
    return moved


def cff_error(problems: list[Problem]) -> Exception:
    from mkdocs.exceptions import PluginError

    lines = "\n".join(str(p) for p in problems)
    return PluginError(f"{CFF_NAME} cannot serve as the citation record:\n{lines}")


def _nav_links(items: list[object], path: tuple[str | int, ...], nav: Navigation) -> Iterator[tuple[tuple, str]]:
    """(YAML path, target) of each nav entry that MkDocs kept as a plain link although it names a local file."""
    from urllib.parse import urlsplit

    links = {item.url for item in _walk(nav.items) if isinstance(item, Link)}
    for index, item in enumerate(items):
        here = (*path, index)
        value, key = (item, None) if isinstance(item, str) else next(iter(item.items()))  # type: ignore[union-attr]
        if key is not None:
            here = (*here, key)
        if isinstance(value, list):
            yield from _nav_links(value, here, nav)
        elif isinstance(value, str) and value in links and not urlsplit(value).scheme and not value.startswith("/"):
            yield here, value


def _walk(items: list[object]) -> Iterator[object]:
    for item in items:
        yield item
        if isinstance(item, Section):
            yield from _walk(item.children)


def _nav_hint(link: str, pages: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(link, pages, n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else "create the page or remove the entry"
