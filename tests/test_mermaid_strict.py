"""Mermaid draws with securityLevel strict: HTML or script in a diagram label is shown as text, never run."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import diagram_svg
import pytest
from bs4 import BeautifulSoup
from diagram_render import render_diagram
from lxml import etree

from tests.drawings import DIAGRAM_SVGS, DRAWING

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser

PAYLOAD = "<img src=x onerror=alert(1)>"
DIAGRAM = f'flowchart TD\n  accTitle: Payload\n  accDescr: A label that holds markup\n  A["{PAYLOAD}"] --> B["after"]\n'
LINK = "flowchart TD\n  accTitle: Link\n  accDescr: A script as a click target\n  A --> B\n"
LINK += '  click A "javascript:alert(1)"\n'


@pytest.fixture(scope="module")
def payload_svg() -> str:
    """The payload diagram as the site's build draws it (the site's Mermaid config, no cache)."""
    outcome = render_diagram(DIAGRAM)
    assert outcome.error is None, outcome.error
    return outcome.svg


def test_a_payload_in_a_label_is_drawn_as_text(payload_svg: str) -> None:
    root = etree.fromstring(payload_svg.encode("utf-8"))
    names = {etree.QName(element).localname for element in root.iter() if isinstance(element.tag, str)}
    assert not names & {"img", "script", "iframe", "foreignObject"}, names
    # Shown as the characters of markup (Mermaid's sanitizer has already dropped the handler from them).
    labels = "".join(text for element in root.iter(f"{{{diagram_svg.SVG_NS}}}text") for text in element.itertext())
    assert "<img" in labels, labels


def test_a_script_link_is_not_kept() -> None:
    """Strict replaces a `javascript:` click target; under 'loose' it would be kept as the link."""
    outcome = render_diagram(LINK)
    assert outcome.error is None, outcome.error
    root = etree.fromstring(outcome.svg.encode("utf-8"))
    hrefs = [a.get(f"{{{diagram_svg.XLINK_NS}}}href") or a.get("href") for a in root.iter(f"{{{diagram_svg.SVG_NS}}}a")]
    assert hrefs, "the click line did not become a link"
    assert not [href for href in hrefs if (href or "").strip().lower().startswith("javascript:")], hrefs


@pytest.mark.browser
def test_a_payload_in_a_label_stays_text_in_the_browser(
    browser: Browser, site_dir: Path, tmp_path: Path, payload_svg: str
) -> None:
    # A copy of the built site with one drawing swapped for the payload's, as the hook inlines it.
    site = tmp_path / "site"
    shutil.copytree(site_dir, site)
    target = next(p for p in sorted(site.rglob("*.html")) if DRAWING.strip(".") in p.read_text("utf-8"))
    doc = BeautifulSoup(target.read_text("utf-8"), "html.parser")
    drawing = doc.select_one(DRAWING)
    drawing.clear()
    drawing.append(BeautifulSoup(diagram_svg.for_page(payload_svg, lambda _: None, "diagram-1"), "html.parser"))
    target.write_text(str(doc), "utf-8")

    # bypass_csp: this is about what Mermaid drew; the CSP is a second line, tested in test_csp.py.
    context = browser.new_context(bypass_csp=True)
    dialogs: list[str] = []
    requests: list[str] = []
    try:
        page = context.new_page()
        page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        page.on("request", lambda request: requests.append(request.url))
        page.goto(target.as_uri())
        rendered = page.evaluate(
            f"""{DIAGRAM_SVGS}.filter(svg => svg.textContent.includes("after"))
                .map(svg => ({{text: svg.textContent, tags: svg.querySelectorAll("img, script, iframe").length}}))"""
        )
        page.wait_for_timeout(300)  # an onerror would fire right after the image fails
    finally:
        context.close()
    assert len(rendered) == 1, "the payload diagram is not on the page"
    assert rendered[0]["tags"] == 0, "the label became HTML elements in the diagram"
    assert "<img" in rendered[0]["text"], f"the label is not shown as text: {rendered[0]['text']!r}"
    assert dialogs == []
    assert not [url for url in requests if url.endswith("/x")], "the label's image was requested"
