"""Rendered Mermaid diagrams, wherever the renderer put them (Material: a closed shadow root), for browser tests."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

# Test-only: Material renders each diagram into a closed shadow root, which page scripts (axe, these tests)
# cannot read; assistive technology can. Opening it lets the tests see what readers get.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, { ...init, mode: "open" }); };
"""

# The SVG of every rendered diagram, in document order: inside the element's shadow root or the element.
DIAGRAM_SVGS = "[...document.querySelectorAll('.mermaid')].map(e => (e.shadowRoot || e).querySelector('svg'))"


def open_shadow_roots(context: BrowserContext) -> None:
    context.add_init_script(OPEN_SHADOW_ROOTS)


def wait_for_diagrams(page: Page, *, timeout: float = 30) -> int:
    """Wait until every diagram on the page has rendered; return how many there are."""
    poll(page, f"!document.querySelector('pre.mermaid') && {DIAGRAM_SVGS}.every(Boolean)", timeout=timeout)
    return page.evaluate(f"{DIAGRAM_SVGS}.length")


def poll(page: Page, expression: str, *, timeout: float = 30) -> None:
    """Like page.wait_for_function, but works under a CSP without 'unsafe-eval' (evaluate is not eval)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(f"still false after {timeout} s: {expression}")
        time.sleep(0.05)
