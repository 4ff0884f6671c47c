"""axe-core finds nothing to fix on any page, in either palette; diagrams are reachable and named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.pages import built_path

if TYPE_CHECKING:
    from playwright.sync_api import BrowserContext, Page

pytestmark = pytest.mark.browser

SCHEMES = ("default", "slate")


def _choose_scheme(page: Page, scheme: str) -> None:
    """Click the palette toggle until the page shows `scheme`; Material remembers the choice for the site."""
    for _ in range(3):
        if page.get_attribute("body", "data-md-color-scheme") == scheme:
            return
        before = page.get_attribute("body", "data-md-color-scheme")
        page.locator("label.md-header__button[for^='__palette']:visible").first.click()
        page.wait_for_function(f"document.body.dataset.mdColorScheme !== {before!r}")
    raise AssertionError(f"the palette toggle never reached {scheme!r}")


def _report(results: object) -> str:
    lines = []
    for violation in results.response["violations"]:  # type: ignore[attr-defined]
        targets = [", ".join(node["target"]) for node in violation["nodes"]][:5]
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {targets}")
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_on_any_page(
    context: BrowserContext, site_url: str, nav_pages: list[str], scheme: str
) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = context.new_page()
    page.goto(site_url)
    _choose_scheme(page, scheme)
    problems = {}
    for src in nav_pages:
        page.goto(site_url + built_path(src).removesuffix("index.html"))
        page.wait_for_load_state("load")
        assert page.get_attribute("body", "data-md-color-scheme") == scheme, src
        # Diagrams render after load: check them as readers see them.
        page.wait_for_function("!document.querySelector('pre.mermaid')")
        results = axe.run(page)
        if results.violations_count:
            problems[src] = _report(results)
    assert not problems, "\n".join(f"{src} [{scheme}]:\n{text}" for src, text in problems.items())
