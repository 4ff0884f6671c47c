"""In Chromium: copy buttons put the citation on the clipboard; a pinpoint URL scrolls to its paragraph."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import pytest

from tests.browser import Guard, new_guarded_context

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext

pytestmark = pytest.mark.browser

HOSTED = "https://nato-russia-tensions.example.org/"
# Citations give the page in its frozen edition (CITATION.cff's version): its words never change there.
EDITION = HOSTED + "v/1.0.0/"


@pytest.fixture
def clipboard_context(browser: Browser, guard: Guard, site_url: str) -> Iterator[BrowserContext]:
    ctx = new_guarded_context(browser, guard, viewport={"width": 1280, "height": 400})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    yield ctx
    ctx.close()
    guard.assert_clean()


def _clipboard(page: object) -> str:
    return page.evaluate("navigator.clipboard.readText()")  # type: ignore[attr-defined]


@pytest.mark.parametrize("style", ["APA 7", "MLA 9", "Chicago (author-date)"])
def test_copy_puts_the_citation_on_the_clipboard(clipboard_context: BrowserContext, site_url: str, style: str) -> None:
    page = clipboard_context.new_page()
    page.goto(site_url + "ukraine/")
    page.evaluate("navigator.clipboard.writeText('before')")
    page.locator("details.cite-box > summary").click()
    button = page.get_by_role("button", name=f"Copy the {style} citation")
    expected = button.get_attribute("data-clipboard-text")
    assert "3. The Ukraine Factor and NATO’s Influence" in expected
    button.click()
    page.wait_for_function("expected => navigator.clipboard.readText().then(t => t === expected)", arg=expected)
    assert _clipboard(page) == expected
    assert EDITION + "ukraine/" in _clipboard(page)


def test_accessed_date_defaults_to_today_and_copies(clipboard_context: BrowserContext, site_url: str) -> None:
    page = clipboard_context.new_page()
    page.goto(site_url + "military/")
    page.locator("details.cite-box > summary").click()
    field = page.get_by_label("Accessed")
    today = page.evaluate("(() => { const d = new Date(); return [d.getFullYear(), d.getMonth() + 1, d.getDate()] })()")
    assert field.input_value() == dt.date(*today).isoformat()
    field.fill("2030-01-02")
    page.get_by_role("button", name="Copy the access date").click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t === '2030-01-02')")


def test_pinpoint_url_scrolls_to_its_paragraph(clipboard_context: BrowserContext, site_url: str) -> None:
    page = clipboard_context.new_page()
    page.goto(site_url + "conclusion/#p1")
    page.wait_for_load_state("load")
    box = page.locator("#p1").bounding_box()
    header = page.locator("header.md-header").bounding_box()
    assert page.evaluate("document.querySelector(':target').id") == "p1"
    assert page.evaluate("window.scrollY") > 0, "the page did not scroll to the paragraph"
    assert box is not None
    assert header is not None
    # In view, and not hidden under Material's sticky header.
    assert header["y"] + header["height"] <= box["y"] + 1
    assert box["y"] < 400


def test_pinpoint_marker_shows_on_focus_and_copies_the_edition_url(
    clipboard_context: BrowserContext, site_url: str
) -> None:
    page = clipboard_context.new_page()
    page.goto(site_url + "ukraine/")
    marker = page.get_by_role("link", name="Link to paragraph 1")
    assert float(marker.evaluate("a => getComputedStyle(a).opacity")) == 0
    marker.focus()
    page.wait_for_function("() => getComputedStyle(document.activeElement).opacity === '1'")
    assert marker.evaluate("a => getComputedStyle(a, '::before').content") == '"¶"'
    marker.click()
    page.wait_for_function("navigator.clipboard.readText().then(t => t.endsWith('/ukraine/#p1'))")
    assert _clipboard(page) == EDITION + "ukraine/#p1"
    assert page.url.endswith("/ukraine/#p1")


def test_cite_box_works_from_disk_in_an_offline_style_build(browser: Browser, tmp_path: Path) -> None:
    from tests.sitebuild import build, copy_project

    project = copy_project(tmp_path / "project")
    assert build(tmp_path / "site", project=project, env={"OFFLINE": "true"}).returncode == 0
    guard = Guard()
    ctx = new_guarded_context(browser, guard, accept_downloads=True)
    try:
        page = ctx.new_page()
        page.goto((tmp_path / "site" / "ukraine.html").as_uri())
        page.locator("details.cite-box > summary").click()
        assert page.locator("#cite-url").inner_text() == EDITION + "ukraine/"
        assert page.locator("#cite-current-url").inner_text() == HOSTED + "ukraine/"
        assert page.get_by_label("Accessed").input_value()
        assert page.get_by_role("link", name="Link to paragraph 1").get_attribute("data-clipboard-text") == (
            EDITION + "ukraine/#p1"
        )
        with page.expect_download() as download:
            page.get_by_role("link", name="CSL-JSON for the whole essay").click()
        assert EDITION in download.value.path().read_text("utf-8")
    finally:
        ctx.close()
    assert not guard.blocked
    assert guard.console_errors == []
