"""Mermaid runs with securityLevel strict: HTML or script in a diagram label is shown as text, never run."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import markdown
import pytest
from bs4 import BeautifulSoup

from hooks.diagrams import browser_source
from tests.shadow import DIAGRAM_SVGS, open_shadow_roots, wait_for_diagrams
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser

PAYLOAD = "<img src=x onerror=alert(1)>"
DIAGRAM = f'flowchart TD\n  accTitle: Payload\n  accDescr: A label that holds markup\n  A["{PAYLOAD}"] --> B["after"]\n'


def _config() -> dict:
    """The site's configuration as a build sees it: after every plugin's and hook's on_config."""
    from mkdocs.config import load_config

    config = load_config(str(ROOT / "mkdocs.yml"))
    return config.plugins.on_config(config)


def test_the_mermaid_fence_writes_its_source_as_text() -> None:
    """The site's own Markdown pipeline must not turn a label into page markup before Mermaid sees it."""
    config = _config()
    html = markdown.markdown(
        f"```mermaid\n{DIAGRAM}```\n",
        extensions=config["markdown_extensions"],
        extension_configs=config["mdx_configs"],
    )
    doc = BeautifulSoup(html, "html.parser")
    if not doc.select(".mermaid"):
        pytest.skip("this configuration does not turn ```mermaid fences into diagrams (issue 3)")
    assert not doc.find("img"), f"the diagram's label became an element of the page: {html}"
    assert PAYLOAD in doc.select_one(".mermaid").get_text()


@pytest.mark.browser
def test_a_payload_in_a_label_is_rendered_as_text(browser: Browser, site_dir: Path, tmp_path: Path) -> None:
    # A copy of the built site, with one diagram's source swapped for the payload: what the reader's
    # browser does with it is up to Mermaid's configuration alone, whatever checks a build would run first.
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    target = next((p for p in sorted(site.rglob("*.html")) if "mermaid" in p.read_text("utf-8")), None)
    doc = BeautifulSoup(target.read_text("utf-8"), "html.parser") if target else None
    source = doc.select_one("pre.mermaid code, pre.mermaid, div.mermaid") if doc else None
    if source is None:
        pytest.skip("the site has no diagrams yet (issue 3)")
    source.string = browser_source(DIAGRAM)  # BeautifulSoup escapes it, as the site's fence does
    target.write_text(str(doc), "utf-8")

    # bypass_csp: this is about Mermaid's own handling; the CSP is a second line, tested in test_csp.py.
    context = browser.new_context(bypass_csp=True)
    dialogs: list[str] = []
    requests: list[str] = []
    try:
        open_shadow_roots(context)
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(target.as_uri())
        wait_for_diagrams(page)
        rendered = page.evaluate(
            f"""{DIAGRAM_SVGS}.filter(svg => svg.textContent.includes("after"))
                .map(svg => ({{text: svg.textContent, tags: svg.querySelectorAll("img, script, iframe").length}}))"""
        )
        page.wait_for_timeout(300)  # an onerror would fire right after the image fails
    finally:
        context.close()
    assert len(rendered) == 1, "the payload diagram did not render"
    assert rendered[0]["tags"] == 0, "the label became HTML elements in the diagram"
    assert "<img" in rendered[0]["text"], f"the label is not shown as text: {rendered[0]['text']!r}"
    assert dialogs == []
    assert not [url for url in requests if url.endswith("/x")], "the label's image was requested"
