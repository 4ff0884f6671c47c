"""One parse of each final page for all the work that needs the whole page: links, rel, CSP.

Runs last among the hooks' on_post_page (priority -100): the page is parsed once (lexbor), then
1. external links gain rel="noopener" (hooks/noopener.py), the only change made to the tree;
2. the page's ids and links are recorded in the site model, for hooks/xref.py to resolve after the build;
3. a diagram placeholder that no drawing replaced is reported (it would ship as an empty box);
4. the Content-Security-Policy is computed from the same tree (hooks/csp.py) and written in place of its token.
The page is serialized again only when step 1 changed it. Theme pages that are not Markdown pages (404.html)
get steps 1 and 4. Under `mkdocs serve` no policy is written: its live-reload script, injected into every
page after the build, cannot be hashed in advance.

On a site of many pages and a machine with a spare core, the parse runs in a worker process while MkDocs
renders the next pages, and the worker writes the page, policy included (hooks/final_html.py
`finish_and_write`); MkDocs, handed an empty page, writes nothing. Everything a later hook reads is in the model
before its post_build runs. At 1,000 generated pages this takes the parse (a sixth of bare Material's whole
build) and the page's write off the build's path.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import csp
from final_html import Finished, finish, finish_and_write
from mkdocs.plugins import event_priority
from problems import Problem
from site_model import current

if TYPE_CHECKING:
    from concurrent.futures import Future

    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page
    from site_model import Site

log = logging.getLogger("mkdocs.hooks.final_page")

# From this many pages on, each page is parsed in a process of its own while MkDocs renders the next ones: the
# parse then costs the build nothing on a machine with a spare core. Below it, starting that process (about
# 0.1 s) costs more than the pages' parses save.
POOL_FROM_PAGES = 50
# Read once: in a container the call costs about 60 µs, once per page.
_CPUS = os.cpu_count() or 1

_pending: dict[str, Future[Finished]] = {}  # pages the pool is finishing, by source path
_in_pool: set[str] = set()  # every page handed to the pool in this build: MkDocs wrote none of them
_executor: ProcessPoolExecutor | None = None
_MKDOCS_BUILD_LOG = logging.getLogger("mkdocs.commands.build")


class _SkippedInPool(logging.Filter):
    """MkDocs says "Page skipped" at INFO for a page it was handed empty; the pool writes those pages."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        src = message.removeprefix("Page skipped: '").removesuffix("'. Generated empty output.")
        return src == message or src not in _in_pool


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    global _executor
    _pending.clear()
    _in_pool.clear()
    # mkdocs serve imports the hooks anew for each build: one filter, this module's, stays on MkDocs' logger.
    for old in [f for f in _MKDOCS_BUILD_LOG.filters if getattr(f, "name", None) == __name__]:
        _MKDOCS_BUILD_LOG.removeFilter(old)
    _MKDOCS_BUILD_LOG.addFilter(_SkippedInPool(__name__))
    if _executor is not None:  # a build that failed half-way, under mkdocs serve
        _executor.shutdown(cancel_futures=True)
        _executor = None
    return None


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # overrides/main.html writes this token as the policy's content; None (serve) leaves the <meta> out.
    env.globals["content_security_policy"] = None if current().serving else csp.TOKEN
    return None


@event_priority(-100)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    site = current()
    own_host = _own_host(site.site_url)
    if site.serving or len(site.pages) < POOL_FROM_PAGES or _CPUS < 2:
        finished = finish(output, own_host)
        _record(site, page.file.src_uri, finished)
        return _served(output, finished, _name(site, page.file.src_uri), site.serving)
    # The pool parses and writes the page while MkDocs renders the next; what it found is recorded once it is
    # done (seen here at a later page, or after the build). An empty page is one MkDocs does not write.
    _finish_done(site)
    _in_pool.add(page.file.src_uri)
    _pending[page.file.src_uri] = _pool().submit(finish_and_write, output, own_host, page.file.abs_dest_path)
    return ""


@event_priority(-100)
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
    if not template_name.endswith(".html"):
        return None
    site = current()
    finished = finish(output_content, _own_host(site.site_url))
    return _served(output_content, finished, template_name, site.serving)


@event_priority(90)  # before the hooks whose post_build reads what the pages hold (xref, editions, books)
def on_post_build(*, config: MkDocsConfig) -> None:
    global _executor
    _finish_done(current(), wait=True)
    if _executor is not None:
        _executor.shutdown()
        _executor = None


def _finish_done(site: Site, *, wait: bool = False) -> None:
    """Record the pages the pool has finished (all of them, with `wait`)."""
    for src, parsed in list(_pending.items()):
        if not (wait or parsed.done()):
            continue
        del _pending[src]
        finished = parsed.result()
        _record(site, src, finished)
        _check_tokens(finished, _name(site, src))


def _record(site: Site, src: str, finished: Finished) -> None:
    model = site.pages.get(src)
    if model is None:
        return
    model.final_ids = finished.ids
    model.final_hrefs = finished.hrefs
    model.final_article = finished.article
    model.final_essay = finished.essay
    for key in finished.placeholders:
        if key not in site.drawings:
            line = next((f.line for f in model.fences if f.key == key), 1)
            hint = "superfences made a Mermaid block that hooks/diagrams.py never saw; report this with the page"
            site.report.add(Problem(model.doc, line, "diagram not drawn", hint), log)


def _served(html: str, finished: Finished, name: str, serving: bool) -> str:
    if serving:  # no policy: mkdocs serve injects its live-reload script after this
        return finished.html or html
    _check_tokens(finished, name)
    return finished.written(html)


def _check_tokens(finished: Finished, name: str) -> None:
    if finished.tokens != 1:
        hint = "keep the site_meta block of overrides/main.html (it writes the CSP <meta>)"
        current().report.add(Problem(name, 1, f"csp: {finished.tokens} policy tokens, not 1", hint), log)


def _pool() -> ProcessPoolExecutor:
    global _executor
    if _executor is None:
        # fork: the worker starts at once with every module the build has loaded (spawn imports them all again,
        # measured to cost a 300-page build half of what the pool saves it). It is safe here: the build runs
        # no thread when the first page is handed over (mkdocs serve, whose server has threads, parses in turn).
        # hooks/collector.py has frozen what the build held before its pages, so the worker's copy stays shared.
        workers = _CPUS - 1
        _executor = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    return _executor


def _name(site: Site, src: str) -> str:
    model = site.pages.get(src)
    return model.doc if model is not None else src


@functools.cache
def _own_host(site_url: str) -> str | None:
    return urlsplit(site_url).hostname
