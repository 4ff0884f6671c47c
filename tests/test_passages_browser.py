"""Cite this passage in Chromium: words selected by script are cited, and the link lands on those words;
the keyboard path from the ¶ link; the cite box's pinpoint; from disk; under the page's CSP."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import unquote

import cff
import pytest

from tests.browser import DiskGuard, Guard, new_guarded_context
from tests.cspwatch import violations, watch_csp
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext, Page

pytestmark = pytest.mark.browser

WORK = cff.load_file(ROOT / "CITATION.cff", site_url=None)[0]
assert WORK is not None
PAGE = "ukraine/"
# Citations give the page in this release's frozen edition, whose words stay what was quoted.
EDITION = f"{WORK.url}v/{WORK.version}/"
# The last words of the page's paragraph: below the fold of a phone-sized window until the link scrolls there.
WORDS = "military infrastructure at its western doorstep"
PHONE = {"width": 390, "height": 360}

# Selects the first occurrence of `words` in the paragraph `id`, across its text nodes, as a reader would.
SELECT = """([id, words]) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  const nodes = [];
  let text = "";
  while (walker.nextNode()) { nodes.push([walker.currentNode, text.length]); text += walker.currentNode.nodeValue; }
  const start = text.indexOf(words), end = start + words.length;
  if (start < 0) throw new Error("no such words in " + id);
  const at = offset => {
    const [node, base] = nodes.filter(([, b]) => b <= offset).pop();
    return [node, offset - base];
  };
  const range = document.createRange();
  range.setStart(...at(start));
  range.setEnd(...at(end));
  getSelection().removeAllRanges();
  getSelection().addRange(range);
}"""

# Where the words are in the window: the rectangle of their first occurrence in the paragraph, or null.
WHERE = """([id, words]) => {
  const p = document.getElementById(id);
  const walker = document.createTreeWalker(p, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const i = walker.currentNode.nodeValue.indexOf(words);
    if (i >= 0) {
      const range = document.createRange();
      range.setStart(walker.currentNode, i);
      range.setEnd(walker.currentNode, i + words.length);
      const r = range.getBoundingClientRect();
      const first = range.getClientRects()[0];  // the words' first line, where the highlight shows
      const inView = r.top >= 0 && r.bottom <= innerHeight;
      return {top: r.top, bottom: r.bottom, line: [first.left, first.top, first.width, first.height], inView};
    }
  }
  return null;
}"""


@pytest.fixture
def csp_context(browser: Browser, guard: Guard, site_url: str) -> Iterator[BrowserContext]:
    """Pages with their Content-Security-Policy in force, a clipboard, and every violation recorded."""
    ctx = new_guarded_context(browser, guard, bypass_csp=False, viewport={"width": 1280, "height": 800})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=site_url.rstrip("/"))
    watch_csp(ctx)
    yield ctx
    ctx.close()
    guard.assert_clean()


def _cite_selection(page: Page) -> dict[str, object]:
    page.evaluate(SELECT, ["p1", WORDS])
    offer = page.get_by_role("button", name="Cite this passage")
    offer.wait_for(state="visible")
    offer.click()
    dialog = page.get_by_role("dialog", name="Cite this passage")
    dialog.wait_for(state="visible")
    return {
        "quote": page.locator("#cite-passage-quote").input_value(),
        "link": page.locator("#cite-passage-link").get_attribute("href"),
        "citations": {slug: page.locator(f"#cite-passage-{slug}").inner_text() for slug in ("apa", "mla", "chicago")},
    }


def test_a_selected_passage_is_cited_and_its_link_lands_on_the_words(
    csp_context: BrowserContext, site_url: str
) -> None:
    page = csp_context.new_page()
    page.goto(site_url + PAGE)
    cited = _cite_selection(page)
    assert cited["quote"] == WORDS
    link = str(cited["link"])
    assert link.startswith(EDITION + PAGE + "#p1:~:text=")
    assert unquote(link.split(":~:text=", 1)[1]).replace("-,", " ").replace(",-", " ").find(WORDS) >= 0
    assert "para. 1)" in cited["citations"]["apa"]  # type: ignore[index]
    assert "par. 1)" in cited["citations"]["mla"]  # type: ignore[index]
    assert "para. 1)" in cited["citations"]["chicago"]  # type: ignore[index]
    button = page.get_by_role("button", name="Copy the APA 7 citation")
    button.click()
    page.get_by_text("Copied.").wait_for()
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(cited["citations"]["apa"])  # type: ignore[index]
    assert EDITION + PAGE in copied
    assert violations(page) == []

    # The link, opened in a new page on this server, lands with the words in view and highlighted.
    local = site_url + PAGE + "#" + link.split("#", 1)[1]
    plain = csp_context.new_page()
    plain.set_viewport_size(PHONE)
    plain.goto(site_url + PAGE)
    plain.wait_for_load_state("load")
    assert not plain.evaluate(WHERE, ["p1", WORDS])["inView"], "the words are in view without the fragment"
    landed = csp_context.new_page()
    landed.set_viewport_size(PHONE)
    landed.goto(local)
    landed.wait_for_load_state("load")
    where = landed.evaluate(WHERE, ["p1", WORDS])
    assert where["inView"], f"the words are not in view: {where}"
    assert landed.evaluate("location.hash") == "#p1"  # Chromium read the text directive and took it out
    # Highlighted: the words look different from the same words, at the same place, without the directive.
    plain.evaluate("y => window.scrollTo(0, y)", landed.evaluate("scrollY"))
    left, top, width, height = where["line"]
    clip = {"x": left, "y": top + height / 3, "width": width, "height": height / 3}
    assert plain.evaluate(WHERE, ["p1", WORDS])["top"] == pytest.approx(where["top"], abs=1)
    assert landed.screenshot(clip=clip) != plain.screenshot(clip=clip), "the words are not highlighted"
    assert violations(landed) == []


def test_the_keyboard_reaches_cite_from_the_pinpoint_and_focus_returns(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + PAGE)
    page.get_by_role("link", name="Link to paragraph 1").focus()
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('aria-label')")
    assert focused == "Cite a passage of paragraph 1"
    page.keyboard.press("Enter")
    dialog = page.get_by_role("dialog", name="Cite this passage")
    dialog.wait_for(state="visible")
    quote = page.locator("#cite-passage-quote")
    whole = " ".join(page.locator("#p1").text_content().split())
    assert quote.input_value() == whole
    assert page.evaluate("document.activeElement.id") == "cite-passage-quote"
    # The reader shortens the quote to the words they cite; the link follows.
    quote.fill(WORDS)
    link = page.locator("#cite-passage-link").get_attribute("href")
    assert "#p1:~:text=" in link
    assert "western%20doorstep" in link
    quote.fill("words the paragraph does not have")
    assert page.locator("#cite-passage-link").get_attribute("href") == EDITION + PAGE + "#p1"
    assert "not in paragraph 1" in page.locator("#cite-passage-status").inner_text()
    page.keyboard.press("Escape")
    dialog.wait_for(state="hidden")
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == "Cite a passage of paragraph 1"


def test_the_cite_box_takes_the_pinpoint_of_the_address(context: BrowserContext, site_url: str) -> None:
    page = context.new_page()
    page.goto(site_url + PAGE)
    page.locator("details.cite-box > summary").click()
    assert page.locator("#cite-url").inner_text() == EDITION + PAGE
    assert "para." not in page.locator("#cite-apa-in-text").inner_text()
    page.get_by_role("link", name="Link to paragraph 1").click()
    page.wait_for_function("document.getElementById('cite-url').textContent.endsWith('#p1')")
    assert page.locator("#cite-url").inner_text() == EDITION + PAGE + "#p1"
    for slug, pinpoint in (("apa", "para. 1"), ("mla", "par. 1"), ("chicago", "para. 1")):
        assert pinpoint in page.locator(f"#cite-{slug}-in-text").inner_text(), slug
    copy = page.get_by_role("button", name="Copy the APA 7 in-text citation")
    assert "para. 1" in copy.get_attribute("data-clipboard-text")
    page.goto(site_url + "military/#p1")
    assert page.locator("#cite-url").text_content() == EDITION + "military/#p1"


def test_cite_a_passage_from_disk(disk_browser: Browser, offline_dir: Path) -> None:
    guard = DiskGuard()
    ctx = new_guarded_context(disk_browser, guard, bypass_csp=False)
    watch_csp(ctx)
    try:
        page = ctx.new_page()
        page.goto((offline_dir / "ukraine.html").as_uri())
        cited = _cite_selection(page)
        assert cited["quote"] == WORDS
        link = str(cited["link"])
        assert link.startswith(EDITION + PAGE + "#p1:~:text=")  # the citable address, also from disk
        landed = ctx.new_page()
        landed.set_viewport_size(PHONE)
        landed.goto((offline_dir / "ukraine.html").as_uri() + "#" + link.split("#", 1)[1])
        landed.wait_for_load_state("load")
        assert landed.evaluate(WHERE, ["p1", WORDS])["inView"]
        assert violations(page) == []
        assert violations(landed) == []
    finally:
        ctx.close()
    guard.assert_clean()
