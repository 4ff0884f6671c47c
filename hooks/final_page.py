"""One parse of each final page for all the work that needs the whole page: links, rel, CSP.

Runs last among the hooks' on_post_page (priority -100): the page is parsed once (lexbor), then
1. external links gain rel="noopener" (hooks/noopener.py), the only change made to the tree;
2. the page's ids and links are recorded in the site model, for hooks/xref.py to resolve after the build;
3. a diagram placeholder that no drawing replaced is reported (it would ship as an empty box);
4. the Content-Security-Policy is computed from the same tree (hooks/csp.py) and written in place of its token.
The page is serialized again only when step 1 changed it. Theme pages that are not Markdown pages (404.html)
get steps 1 and 4. Under `mkdocs serve` no policy is written: its live-reload script, injected into every
page after the build, cannot be hashed in advance.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import csp
from final_html import FinalPage
from mkdocs.plugins import event_priority
from problems import Problem
from site_model import current

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.final_page")


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    # overrides/main.html writes this token as the policy's content; None (serve) leaves the <meta> out.
    env.globals["content_security_policy"] = None if current().serving else csp.TOKEN
    return None


@event_priority(-100)
def on_post_page(output: str, *, page: Page, config: MkDocsConfig) -> str | None:
    site = current()
    final = FinalPage(output, own_host=_own_host(site.site_url))
    model = site.pages.get(page.file.src_uri)
    if model is not None:
        model.final_ids = final.ids()
        model.final_hrefs = final.hrefs
        for key in final.placeholders():
            if key not in site.drawings:
                line = next((f.line for f in model.fences if f.key == key), 1)
                hint = "superfences made a Mermaid block that hooks/diagrams.py never saw; report this with the page"
                site.report.add(Problem(model.doc, line, "diagram not drawn", hint), log)
    return _finish(final, model.doc if model else page.file.src_uri, site.serving)


@event_priority(-100)
def on_post_template(output_content: str, *, template_name: str, config: MkDocsConfig) -> str | None:
    if not template_name.endswith(".html"):
        return None
    site = current()
    return _finish(FinalPage(output_content, own_host=_own_host(site.site_url)), template_name, site.serving)


def _finish(final: FinalPage, name: str, serving: bool) -> str:
    if serving:
        return final.html
    tokens = final.html.count(csp.TOKEN)
    if tokens != 1:
        hint = "keep the site_meta block of overrides/main.html (it writes the CSP <meta>)"
        current().report.add(Problem(name, 1, f"csp: {tokens} policy tokens, not 1", hint), log)
        return final.html
    return final.html.replace(csp.TOKEN, csp.policy(final.inline_code()))


def _own_host(site_url: str) -> str | None:
    return urlsplit(site_url).hostname
