"""Diagrams legible on any screen: every label at 12 CSS px or more at 1280×900 and at 390×844, measured in Chromium;
a drawing wider than its box scrolls there, with a visible cue and keyboard focus."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import diagram_svg
import pytest

from tests.browser import new_guarded_context
from tests.drawings import DRAWING, diagram_sources
from tests.legibility import MIN_LABEL_PX, VIEWPORTS, page_labels, too_small
from tests.pages import built_path
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator

    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.browser import Guard


@pytest.mark.parametrize(
    ("view_box", "expected"),
    [
        pytest.param("0 0 548.177734375 571.7999877929688", ("412", "429.76"), id="rounded up, in proportion"),
        pytest.param("0 0 1704.46875 834.7999877929688", ("1279", "626.42"), id="wide"),
        pytest.param("0,0,160,80", ("120", "60.0"), id="commas, exact"),
        pytest.param("-8 -8 100 50", ("75", "37.5"), id="origin does not matter"),
        pytest.param("", None, id="no viewBox"),
        pytest.param("0 0 100", None, id="three numbers"),
        pytest.param("0 0 0 50", None, id="no width"),
        pytest.param("0 0 100 -5", None, id="negative height"),
        pytest.param("0 0 nan 50", None, id="not a number"),
        pytest.param("0 0 inf 50", None, id="infinite"),
    ],
)
def test_readable_size(view_box: str, expected: tuple[str, str] | None) -> None:
    assert diagram_svg.readable_size(view_box) == expected


def test_the_size_shows_labels_at_the_minimum() -> None:
    width, height = diagram_svg.readable_size("0 0 333.3 111.1") or ("0", "0")
    scale = float(width) / 333.3
    assert diagram_svg.LABEL_PX * scale >= diagram_svg.MIN_LABEL_PX == MIN_LABEL_PX
    assert float(height) / 111.1 >= scale  # the height never makes the drawing scale below the width's scale


def test_a_page_drawing_has_its_readable_size_and_a_download_keeps_mermaids() -> None:
    svg = '<svg xmlns="http://www.w3.org/2000/svg" id="my-svg" width="100%" viewBox="0 0 160 80"><text>a</text></svg>'
    page = diagram_svg.for_page(svg, lambda target: None, "diagram-1")
    assert 'width="120"' in page
    assert 'height="60.0"' in page
    assert 'width="100%"' in diagram_svg.for_download(svg, lambda target: None)


@pytest.fixture(params=list(VIEWPORTS))
def sized_context(request: pytest.FixtureRequest, browser: Browser, guard: Guard) -> Iterator[BrowserContext]:
    ctx = new_guarded_context(browser, guard, viewport=VIEWPORTS[request.param])
    yield ctx
    ctx.close()
    guard.assert_clean()


def _diagram_pages(nav_pages: list[str]) -> list[str]:
    return [src for src in nav_pages if diagram_sources(ROOT / "docs" / src)]


def _open(page: Page, site_url: str, src: str) -> None:
    page.goto(site_url + built_path(src).removesuffix("index.html"))
    page.locator(".diagram-tools").first.wait_for()


@pytest.mark.browser
def test_every_label_is_drawn_at_12_css_px_or_larger(
    sized_context: BrowserContext, site_url: str, nav_pages: list[str]
) -> None:
    page = sized_context.new_page()
    problems, measured = [], 0
    for src in _diagram_pages(nav_pages):
        _open(page, site_url, src)
        for number, labels in enumerate(page_labels(page), 1):
            assert len(labels) >= 3, f"{src}: diagram {number} has no labels to measure"
            measured += 1
            problems += [f"{src} diagram {number}: {line}" for line in too_small(labels)]
    assert measured >= 7
    assert not problems, "\n".join(problems)


@pytest.mark.browser
def test_labels_are_legible_without_javascript(
    browser: Browser, guard: Guard, site_url: str, nav_pages: list[str]
) -> None:
    """The minimum size is the page's own markup and CSS: scripts only add the cue and the full-screen view."""
    context = new_guarded_context(browser, guard, viewport=VIEWPORTS["390x844"], java_script_enabled=False)
    try:
        page = context.new_page()
        problems = []
        for src in _diagram_pages(nav_pages):
            page.goto(site_url + built_path(src).removesuffix("index.html"))
            assert page.locator(".diagram-tools").count() == 0  # the script did not run
            for number, labels in enumerate(page_labels(page), 1):
                problems += [f"{src} diagram {number}: {line}" for line in too_small(labels)]
        assert not problems, "\n".join(problems)
    finally:
        context.close()
    guard.assert_clean()


# For each drawing: whether any of its nodes or labels lies outside what its box shows, and what the box offers.
BOXES = f"""() => [...document.querySelectorAll('{DRAWING}')].map(box => {{
  const hint = box.previousElementSibling?.querySelector('.diagram-tools__hint');
  const shown = box.getBoundingClientRect();
  const parts = [...box.querySelectorAll('g.node, text')].map(part => part.getBoundingClientRect());
  return {{
    hidden: parts.some(r => r.width && (r.left < shown.left - 0.5 || r.right > shown.right + 0.5)),
    tabindex: box.getAttribute('tabindex'),
    role: box.getAttribute('role'),
    name: box.getAttribute('aria-label'),
    described: box.getAttribute('aria-describedby'),
    hintShown: !!hint && hint.checkVisibility(),
    hintId: hint?.id,
    svgWidth: box.querySelector('svg').getBoundingClientRect().width,
    minimum: box.querySelector('svg').width.baseVal.value,
  }};
}})"""


@pytest.mark.browser
def test_a_wide_drawing_scrolls_in_its_box_with_a_cue_and_keyboard_focus(
    sized_context: BrowserContext, site_url: str, nav_pages: list[str]
) -> None:
    page = sized_context.new_page()
    kinds = set()
    for src in _diagram_pages(nav_pages):
        _open(page, site_url, src)
        for number, box in enumerate(page.evaluate(BOXES), 1):
            where = f"{src} diagram {number}"
            assert box["svgWidth"] >= box["minimum"] - 0.5, f"{where}: drawn narrower than its readable size"
            kinds.add(box["hidden"])
            assert box["hintShown"] == box["hidden"], f"{where}: the cue must show exactly when part of it is hidden"
            if not box["hidden"]:
                assert box["tabindex"] is None, f"{where}: a box with nothing to scroll to is no tab stop"
                continue
            assert (box["tabindex"], box["role"]) == ("0", "group"), where
            assert box["name"], where
            assert box["described"] == box["hintId"], where
            drawing = page.locator(DRAWING).nth(number - 1)
            before = drawing.evaluate("box => box.scrollLeft")
            page.locator("body").focus()
            for _ in range(60):
                page.keyboard.press("Tab")
                if drawing.evaluate("box => document.activeElement === box"):
                    break
            else:
                raise AssertionError(f"{where}: Tab never reaches the box that scrolls")
            page.keyboard.press("ArrowRight")
            # Keyboard scrolling is animated: wait for it.
            for _ in range(40):
                if drawing.evaluate(
                    f"box => box.scrollLeft > {before} || box.scrollLeft + box.clientWidth >= box.scrollWidth - 1"
                ):
                    break
                time.sleep(0.05)
            else:
                raise AssertionError(f"{where}: the arrow keys do not scroll the box")
    # At 390 px most drawings scroll and the narrow one does not; at 1280 px most fit and the overview scrolls.
    assert kinds == {True, False}
