"""HTML_CodeSniffer (WCAG2AA, through pa11y pinned in tests/tools) finds no error on any page, in either palette,
served (hosted build) and from disk (the offline zip).

A second engine beside axe (tests/test_accessibility.py): it also judges elements axe skips, such as the
buttons inside the closed cite box, and Material's forms and toggles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests import checkers
from tests.test_accessibility import SCHEMES, _every_page

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import BrowserContext

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("build", ["hosted", "offline"])
@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_html_codesniffer_errors_on_any_page(build: str, scheme: str, request: pytest.FixtureRequest) -> None:
    if (why := checkers.missing_tools("node", "pa11y")) is not None:
        pytest.fail(why)
    if build == "hosted":
        base: str = request.getfixturevalue("site_url")
        urls = [base + src for src in _every_page(request.getfixturevalue("site_dir"))]
    else:  # the unpacked zip, opened from disk as a reader does
        folder: Path = request.getfixturevalue("offline_dir")
        base = folder.as_uri() + "/"
        urls = [page.as_uri() for page in sorted(folder.rglob("*.html"))]
    result = checkers.pa11y(urls, scheme)
    assert result["blocked"] == [], f"requests off the site: {result['blocked']}"
    pages: dict[str, dict] = result["pages"]  # type: ignore[assignment]
    assert sorted(pages) == sorted(urls)
    assert {url: page["scheme"] for url, page in pages.items()} == dict.fromkeys(urls, scheme)
    problems = [
        f"{url.removeprefix(base) or '/'} [{scheme}]: {issue['code']} at {issue['selector']}: {issue['message']}"
        for url, page in pages.items()
        for issue in page["issues"]
    ]
    assert len(urls) >= 10, urls
    assert not problems, f"{len(problems)} errors:\n" + "\n".join(problems)


def test_the_runner_reports_what_the_site_used_to_have(tmp_path: Path) -> None:
    """pa11y-run.js, as run here, sees Material's old errors (so a clean run means something)."""
    from tests.localserver import serve_directory

    if (why := checkers.missing_tools("node", "pa11y")) is not None:
        pytest.fail(why)
    (tmp_path / "index.html").write_text(
        '<!doctype html><html lang="en"><head><title>t</title></head>'
        '<body data-md-color-scheme="default"><main><form><input type="text" aria-label="q"></form>'
        '<input type="checkbox" id="__toc"></main></body></html>',
        "utf-8",
    )
    server = serve_directory(tmp_path)
    url = next(server)
    try:
        result = checkers.pa11y([url], "default")
    finally:
        server.close()
    issues = result["pages"][url]["issues"]  # type: ignore[index]
    codes = {issue["code"] for issue in issues}
    assert any(code.endswith(".H32.2") for code in codes), codes
    assert any(code.endswith(".H91.InputCheckbox.Name") for code in codes), codes


def test_the_search_forms_submit_button_opens_search_with_the_query(context: BrowserContext, site_url: str) -> None:
    """The button that H32.2 asked for does what a submit does here: Material's search deep link, ?q=…."""
    page = context.new_page()
    page.goto(site_url + "ukraine/")
    page.locator("input.md-search__input").click()
    page.keyboard.type("crimea")
    submit = page.get_by_role("button", name="Search", exact=True)
    submit.wait_for(state="visible")
    with page.expect_navigation():
        submit.click()
    assert page.url == site_url + "ukraine/?q=crimea"
    assert page.locator("input.md-search__input").input_value() == "crimea"
    page.locator(".md-search-result__item").first.wait_for()
    assert "Crimea" in page.locator(".md-search-result").inner_text()
