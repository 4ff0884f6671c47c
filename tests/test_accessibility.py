"""axe-core finds nothing to fix on any page, in either palette; diagrams are reachable and named."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.drawings import DIAGRAM_SVGS, diagram_count
from tests.pages import built_path

if TYPE_CHECKING:
    from pathlib import Path

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


def _every_page(site: Path) -> list[str]:
    """Every built page, as the path a reader's browser asks for: the nav's pages, site pages and the 404."""
    return [str(p.relative_to(site)).removesuffix("index.html") for p in sorted(site.rglob("*.html"))]


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_axe_violations_on_any_page(context: BrowserContext, site_url: str, site_dir: Path, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    page = context.new_page()
    page.goto(site_url)
    _choose_scheme(page, scheme)
    problems = {}
    for src in _every_page(site_dir):
        page.goto(site_url + src)
        page.wait_for_load_state("load")
        assert page.get_attribute("body", "data-md-color-scheme") == scheme, src
        results = axe.run(page)
        if results.violations_count:
            problems[src] = _report(results)
    assert not problems, "\n".join(f"{src} [{scheme}]:\n{text}" for src, text in problems.items())


# Marks each diagram, and the text equivalent beside it (a <details> in the same container), with its
# index; then records which of them receive keyboard focus.
MARK_AND_LISTEN = f"""() => {{
  window.__reached = new Set();
  const svgs = {DIAGRAM_SVGS};
  const found = svgs.map((svg, i) => {{
    const host = svg.parentElement;
    host.dataset.diagram = i;
    const details = host.parentElement.querySelector(':scope > details, :scope > * > details');
    if (details) details.querySelector('summary').dataset.textEquivalent = i;
    const label = svg.getAttribute('aria-labelledby');
    const name = (svg.getAttribute('aria-label') || (label || '').split(' ')
      .map(id => document.getElementById(id)?.textContent || '').join(' ')).trim();
    return {{name, role: svg.getAttribute('role'), hasText: !!details}};
  }});
  document.addEventListener('focusin', e => {{
    for (const el of e.composedPath()) {{
      if (el.dataset?.diagram !== undefined) window.__reached.add('diagram ' + el.dataset.diagram);
      if (el.dataset?.textEquivalent !== undefined) window.__reached.add('text ' + el.dataset.textEquivalent);
    }}
  }});
  return found;
}}"""


def test_diagrams_and_their_text_are_named_and_reachable_by_keyboard(
    context: BrowserContext, site_url: str, nav_pages: list[str]
) -> None:
    page = context.new_page()
    seen = 0
    problems = []
    for src in nav_pages:
        page.goto(site_url + built_path(src).removesuffix("index.html"))
        if not diagram_count(page):
            continue
        diagrams = page.evaluate(MARK_AND_LISTEN)
        seen += len(diagrams)
        for i, diagram in enumerate(diagrams):
            if not diagram["name"]:
                problems.append(f"{src}: diagram {i + 1} has no accessible name (accTitle)")
            if not diagram["hasText"]:
                problems.append(f"{src}: diagram {i + 1} has no text equivalent (<details>) beside it")
        wanted = {f"diagram {i}" for i in range(len(diagrams))} | {
            f"text {i}" for i, d in enumerate(diagrams) if d["hasText"]
        }
        page.locator("body").focus()
        for _ in range(400):
            page.keyboard.press("Tab")
            if wanted <= set(page.evaluate("[...window.__reached]")):
                break
        missed = wanted - set(page.evaluate("[...window.__reached]"))
        problems += [f"{src}: {item} is not reachable with Tab" for item in sorted(missed)]
    assert seen >= len(nav_pages), f"only {seen} diagrams on {len(nav_pages)} essay pages"
    assert not problems, "\n".join(problems)
