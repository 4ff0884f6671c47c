"""A diagram's full-screen view, in Chromium under the site's Content-Security-Policy: opened, zoomed and panned by
mouse, touch and keyboard; Esc closes it and focus returns; it works from the offline zip too; axe finds nothing."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest

from tests.browser import new_guarded_context
from tests.cspwatch import violations, watch_csp
from tests.drawings import DRAWING
from tests.legibility import VIEWPORTS, svg_labels, too_small

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page

    from tests.browser import DiskGuard, Guard

pytestmark = pytest.mark.browser

OPEN = ".diagram-tools__open"
VIEWER = "dialog.diagram-viewer"
STAGE = ".diagram-viewer__stage"
VIEWED_SVG = ".diagram-viewer__canvas > svg"

# Where the view stands: the canvas's transform (scale and offset in the stage), and where focus and the drawing are.
STATE = """() => {
  const dialog = document.querySelector('dialog.diagram-viewer');
  const canvas = dialog && dialog.querySelector('.diagram-viewer__canvas');
  const m = canvas ? new DOMMatrix(getComputedStyle(canvas).transform) : new DOMMatrix();
  const active = document.activeElement;
  return {
    open: !!(dialog && dialog.open),
    scale: m.a, x: m.e, y: m.f,
    focus: active ? active.className : '',
    inPage: [...document.querySelectorAll('.diagram-drawing')].every(box => box.querySelector(':scope > svg')),
    inView: !!(canvas && canvas.querySelector('svg')),
  };
}"""
# Whether the whole drawing lies inside the stage.
FITS = """() => {
  const stage = document.querySelector('.diagram-viewer__stage').getBoundingClientRect();
  const svg = document.querySelector('.diagram-viewer__canvas > svg').getBoundingClientRect();
  return svg.left >= stage.left - 0.5 && svg.right <= stage.right + 0.5
    && svg.top >= stage.top - 0.5 && svg.bottom <= stage.bottom + 0.5;
}"""


# Whether the focused link lies inside the stage.
LINK_IN_VIEW = """() => {
  const stage = document.querySelector('.diagram-viewer__stage').getBoundingClientRect();
  const link = document.activeElement.getBoundingClientRect();
  return link.left >= stage.left && link.right <= stage.right && link.top >= stage.top && link.bottom <= stage.bottom;
}"""


@pytest.fixture
def csp_context(browser: Browser, guard: Guard) -> Iterator[BrowserContext]:
    """As a reader's browser has it: the page's policy enforced (no eval, so no wait_for_function here)."""
    ctx = new_guarded_context(browser, guard, bypass_csp=False, viewport=VIEWPORTS["1280x900"])
    watch_csp(ctx)
    yield ctx
    ctx.close()
    guard.assert_clean()


def _state(page: Page) -> dict[str, object]:
    return page.evaluate(STATE)


def _until(page: Page, check: Callable[[dict[str, object]], bool], what: str) -> dict[str, object]:
    """Poll the view's state (events such as the wheel and the dialog's close are delivered asynchronously)."""
    for _ in range(50):
        state = _state(page)
        if check(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"{what}: {state}")


def _opener_has_focus(page: Page) -> bool:
    return page.locator(OPEN).first.evaluate("button => document.activeElement === button")


def _link_boxes(page: Page) -> list[dict[str, float]]:
    links = page.locator(f"{VIEWED_SVG} a")
    return [box for i in range(links.count()) if (box := links.nth(i).bounding_box())]


def _inside(box: dict[str, float], stage: dict[str, float]) -> bool:
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    return (
        stage["x"] + 150 < cx < stage["x"] + stage["width"] - 150
        and stage["y"] + 60 < cy < stage["y"] + stage["height"] - 60
    )


def _open_by_mouse(page: Page) -> dict[str, object]:
    page.locator(OPEN).first.click()
    page.locator(f"{VIEWER}[open]").wait_for()
    return _until(page, lambda s: s["open"] and s["inView"] and s["scale"] > 0, "the view did not open")


def test_full_screen_view_by_mouse(csp_context: BrowserContext, site_url: str) -> None:
    page = csp_context.new_page()
    page.goto(site_url)  # the overview: the widest diagram
    opened = _open_by_mouse(page)
    assert not too_small(svg_labels(page, VIEWED_SVG)), "the view opens with labels below 12 px"

    # The wheel zooms about the pointer: the point of the drawing under it stays under it.
    stage = page.locator(STAGE).bounding_box()
    assert stage is not None
    px, py = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
    page.mouse.move(px, py)
    page.mouse.wheel(0, -300)
    zoomed = _until(page, lambda s: s["scale"] > opened["scale"] * 1.2, "the wheel did not zoom in")
    for axis, pointer, origin in (("x", px, stage["x"]), ("y", py, stage["y"])):
        before = (pointer - origin - opened[axis]) / opened["scale"]
        after = (pointer - origin - zoomed[axis]) / zoomed["scale"]
        assert abs(before - after) < 2, f"zooming moved the point under the pointer along {axis}"

    # Dragging pans, also when the press starts on a node's link (one in view), which then does not navigate.
    node = next(box for box in _link_boxes(page) if _inside(box, stage))
    url = page.url
    page.mouse.move(node["x"] + node["width"] / 2, node["y"] + node["height"] / 2)
    page.mouse.down()
    page.mouse.move(node["x"] + node["width"] / 2 + 100, node["y"] + node["height"] / 2 + 40, steps=8)
    page.mouse.up()
    panned = _state(page)
    assert abs(panned["x"] - zoomed["x"] - 100) < 2
    assert abs(panned["y"] - zoomed["y"] - 40) < 2
    assert panned["open"]
    assert page.url == url, "a drag that started on a link followed it"

    # The buttons zoom too; Close gives the drawing back to the page and focus back to the opener.
    page.get_by_role("button", name="Zoom out").click()
    assert _state(page)["scale"] < panned["scale"]
    page.get_by_role("button", name="Close the full-screen view").click()
    closed = _until(page, lambda s: not s["open"] and s["inPage"], "Close did not close the view")
    assert not closed["inView"]
    assert _opener_has_focus(page)
    assert violations(page) == []


def test_full_screen_view_by_keyboard(csp_context: BrowserContext, site_url: str) -> None:
    page = csp_context.new_page()
    page.goto(site_url + "military/")
    page.locator(OPEN).first.wait_for()
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if _opener_has_focus(page):
            break
    else:
        raise AssertionError("Tab never reaches the full-screen button")
    page.keyboard.press("Enter")
    page.locator(f"{VIEWER}[open]").wait_for()
    opened = _until(page, lambda s: s["open"] and s["inView"], "Enter did not open the view")
    assert "diagram-viewer__stage" in opened["focus"], "focus is not on the diagram in the view"
    assert not too_small(svg_labels(page, VIEWED_SVG))

    page.keyboard.press("+")
    zoomed = _state(page)
    assert zoomed["scale"] == pytest.approx(opened["scale"] * 1.25, rel=0.01)
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")
    panned = _state(page)
    assert panned["x"] < zoomed["x"], "ArrowRight does not move the view right"
    assert panned["y"] < zoomed["y"], "ArrowDown does not move the view down"
    page.keyboard.press("-")
    assert _state(page)["scale"] == pytest.approx(zoomed["scale"] / 1.25, rel=0.01)
    page.keyboard.press("0")
    assert page.evaluate(FITS), "0 does not fit the whole diagram in view"

    # Zoomed in, Tab reaches each of the diagram's links, and the view pans to show the one with focus.
    for _ in range(3):
        page.keyboard.press("+")
    links = page.locator(f"{VIEWED_SVG} a")
    for number in range(links.count()):
        page.keyboard.press("Tab")
        assert links.nth(number).evaluate("a => document.activeElement === a"), f"Tab does not reach link {number}"
        assert page.evaluate(LINK_IN_VIEW), f"link {number} has focus out of view"
    page.keyboard.press("0")

    # Material's shortcuts stay off while the view is open ("n" would go to the next page).
    url = page.url
    page.keyboard.press("n")
    assert page.url == url
    assert _state(page)["open"]

    page.keyboard.press("Escape")
    closed = _until(page, lambda s: not s["open"] and s["inPage"], "Esc did not close the view")
    assert not closed["inView"]
    assert _opener_has_focus(page), "focus did not return to the button that opened the view"
    assert violations(page) == []


def test_a_node_link_in_the_view_leads_to_its_paragraph(csp_context: BrowserContext, site_url: str) -> None:
    page = csp_context.new_page()
    page.goto(site_url)
    page.goto(site_url + "ukraine/")
    _open_by_mouse(page)
    link = page.locator(f"{VIEWED_SVG} a").first
    href = link.get_attribute("href")
    assert href
    link.click()
    _until(page, lambda s: not s["open"] and s["inPage"], "following a link did not close the view")
    _until_url(page, lambda url: urlsplit(url).fragment == urlsplit(href).fragment, "the link was not followed")
    assert page.evaluate("location.hash && document.querySelector(location.hash) !== null")
    # The view left no entry in the history: Back returns to the page, then to the page before it.
    page.go_back()
    _until_url(page, lambda url: url == site_url + "ukraine/", "Back did not return from the paragraph")
    page.go_back()
    _until_url(page, lambda url: url == site_url, "the view left an entry in the history")


@pytest.mark.parametrize("how", ["Back", "Escape"])
def test_back_closes_the_view_and_no_entry_stays(csp_context: BrowserContext, site_url: str, how: str) -> None:
    page = csp_context.new_page()
    page.goto(site_url)
    page.goto(site_url + "ukraine/")
    _open_by_mouse(page)
    if how == "Back":
        page.go_back()
    else:
        page.keyboard.press("Escape")
    _until(page, lambda s: not s["open"] and s["inPage"], f"{how} did not close the view")
    _until_url(page, lambda url: url == site_url + "ukraine/", f"{how} left the page")
    assert _opener_has_focus(page)
    assert page.evaluate("history.state") is None
    page.go_back()
    _until_url(page, lambda url: url == site_url, "after the view, Back does not lead to the page before")


def _until_url(page: Page, check: Callable[[str], bool], what: str) -> None:
    for _ in range(50):
        if check(page.url):
            return
        time.sleep(0.05)
    raise AssertionError(f"{what}: {page.url}")


def _touch(cdp: object, kind: str, points: list[tuple[float, float]]) -> None:
    touch = [{"x": x, "y": y, "id": i} for i, (x, y) in enumerate(points)]
    cdp.send("Input.dispatchTouchEvent", {"type": kind, "touchPoints": touch})  # type: ignore[attr-defined]


def test_full_screen_view_by_touch(browser: Browser, guard: Guard, site_url: str) -> None:
    context = new_guarded_context(
        browser, guard, bypass_csp=False, viewport=VIEWPORTS["390x844"], has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        page.goto(site_url)
        page.locator(OPEN).first.tap()
        page.locator(f"{VIEWER}[open]").wait_for()
        opened = _until(page, lambda s: s["open"] and s["inView"], "a tap did not open the view")
        assert not too_small(svg_labels(page, VIEWED_SVG))
        stage = page.locator(STAGE).bounding_box()
        assert stage is not None
        cx, cy = stage["x"] + stage["width"] / 2, stage["y"] + stage["height"] / 2
        cdp = context.new_cdp_session(page)

        # Two fingers spread apart: zoom in.
        _touch(cdp, "touchStart", [(cx - 40, cy), (cx + 40, cy)])
        for step in range(1, 6):
            _touch(cdp, "touchMove", [(cx - 40 - 16 * step, cy), (cx + 40 + 16 * step, cy)])
        _touch(cdp, "touchEnd", [])
        pinched = _until(page, lambda s: s["scale"] > opened["scale"] * 1.5, "a pinch did not zoom in")

        # One finger: pan.
        _touch(cdp, "touchStart", [(cx, cy)])
        for step in range(1, 6):
            _touch(cdp, "touchMove", [(cx - 12 * step, cy - 8 * step)])
        _touch(cdp, "touchEnd", [])
        moved = _until(page, lambda s: s["x"] < pinched["x"] - 30, "a one-finger drag did not pan")
        assert moved["y"] < pinched["y"]
        assert moved["open"]
        # Chromium made no click of a tap sent a few milliseconds after the pan ended (seen here, not
        # documented); a reader's finger is lifted and put down again.
        time.sleep(0.5)
        page.get_by_role("button", name="Close the full-screen view").tap()
        _until(page, lambda s: not s["open"] and s["inPage"], "Close did not close the view")
    finally:
        context.close()
    guard.assert_clean()


def test_full_screen_view_works_from_the_offline_zip(
    disk_browser: Browser, disk_guard: DiskGuard, offline_dir: Path
) -> None:
    context = new_guarded_context(disk_browser, disk_guard, bypass_csp=False, viewport=VIEWPORTS["390x844"])
    watch_csp(context)
    try:
        page = context.new_page()
        page.goto((offline_dir / "index.html").as_uri())
        opened = _open_by_mouse(page)
        assert not too_small(svg_labels(page, VIEWED_SVG))
        page.keyboard.press("+")
        assert _state(page)["scale"] > opened["scale"]
        page.keyboard.press("Escape")
        _until(page, lambda s: not s["open"] and s["inPage"], "Esc did not close the view")
        assert _opener_has_focus(page)
        assert page.locator(f"{DRAWING} > svg").count() >= 1
        assert violations(page) == []
    finally:
        context.close()
    disk_guard.assert_clean()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_no_axe_violations_with_the_view_open(browser: Browser, guard: Guard, site_url: str, scheme: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    context = new_guarded_context(browser, guard, color_scheme=scheme, viewport=VIEWPORTS["390x844"])
    try:
        page = context.new_page()
        page.goto(site_url)
        assert page.get_attribute("body", "data-md-color-scheme") == {"light": "default", "dark": "slate"}[scheme]
        _open_by_mouse(page)
        results = Axe().run(page)
        found = [
            f"{v['id']}: {v['help']} — {[n['target'] for n in v['nodes']][:3]}" for v in results.response["violations"]
        ]
        assert not found, "\n".join(found)
    finally:
        context.close()
    guard.assert_clean()
