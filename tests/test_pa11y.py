"""HTML_CodeSniffer (WCAG2AA, through pa11y pinned in tests/tools) finds no error on any page, in either palette.

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

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("scheme", SCHEMES)
def test_no_html_codesniffer_errors_on_any_page(site_url: str, site_dir: Path, scheme: str) -> None:
    if (why := checkers.missing_tools("node", "pa11y")) is not None:
        pytest.fail(why)
    urls = [site_url + src for src in _every_page(site_dir)]
    result = checkers.pa11y(urls, scheme)
    assert result["blocked"] == [], f"requests off the local server: {result['blocked']}"
    pages: dict[str, dict] = result["pages"]  # type: ignore[assignment]
    assert sorted(pages) == sorted(urls)
    assert {url: page["scheme"] for url, page in pages.items()} == dict.fromkeys(urls, scheme)
    problems = [
        f"{url.removeprefix(site_url) or '/'} [{scheme}]: {issue['code']} at {issue['selector']}: {issue['message']}"
        for url, page in pages.items()
        for issue in page["issues"]
    ]
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
