"""Record Content-Security-Policy violations in the page, for browser tests and the bench."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

# Installed before any page script runs, so even a violation during parsing is caught.
INIT_SCRIPT = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline"}`
    + ` at ${e.sourceFile || e.documentURI}:${e.lineNumber} (${(e.sample || "").slice(0, 60)})`);
});
"""


def watch_csp(context: BrowserContext) -> None:
    context.add_init_script(INIT_SCRIPT)


def violations(page: Page) -> list[str]:
    return page.evaluate("window.__cspViolations || []")
