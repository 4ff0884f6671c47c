"""External links carry rel="noopener"; links within the site are left alone."""

from __future__ import annotations

from typing import TYPE_CHECKING

import noopener
import pytest
from bs4 import BeautifulSoup
from final_html import FinalPage

from tests.pages import soup
from tests.sitebuild import build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

OWN = "nato-russia-tensions.example.org"


@pytest.mark.parametrize(
    ("href", "external"),
    [
        ("https://example.com/", True),
        ("http://example.com/a?b#c", True),
        ("//example.com/x", True),
        (f"https://{OWN}/ukraine/", False),
        ("../ukraine/", False),
        ("#p3", False),
        ("mailto:someone@example.com", False),
        ("", False),
    ],
)
def test_which_links_are_external(href: str, external: bool) -> None:
    assert noopener.is_external(href, own_host=OWN) is external


@pytest.mark.parametrize(
    ("link", "rel"),
    [
        ('<a href="https://example.com/">x</a>', ["noopener"]),
        ('<a href="https://example.com/" rel="nofollow">x</a>', ["nofollow", "noopener"]),
        ('<a href="https://example.com/" rel="noopener">x</a>', ["noopener"]),
        ('<a href="https://example.com/" rel="NoOpener">x</a>', ["NoOpener"]),
        ('<a href="../ukraine/">x</a>', None),
    ],
)
def test_external_links_gain_noopener_once(link: str, rel: list[str] | None) -> None:
    html = f"<html><body><p>{link}</p></body></html>"
    page = FinalPage(html, own_host=OWN)
    assert BeautifulSoup(page.html, "html.parser").a.get("rel") == rel
    assert (page.html != html) == ("noopener" in (rel or []) and "noopener" not in link)


def test_every_external_link_in_the_built_site_has_noopener(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "conclusion.md"
    # Markdown and raw HTML links, the way an editor could add them to a page.
    page.write_text(
        page.read_text("utf-8")
        + "\n\n[An outside page](https://example.com/a) and "
        + '<a href="https://example.org/" rel="nofollow">another</a>.\n',
        "utf-8",
    )
    result = build(tmp_path / "site", project=project)
    assert result.returncode == 0, result.stderr
    checked = 0
    for path in sorted((tmp_path / "site").rglob("*.html")):
        for link in BeautifulSoup(path.read_text("utf-8"), "lxml").find_all("a", href=True):
            if noopener.is_external(link["href"], own_host=OWN):
                assert "noopener" in link.get("rel", []), f"{path.name}: {link}"
                checked += 1
    added = soup(tmp_path / "site", "conclusion.md").find_all(
        "a", href=["https://example.com/a", "https://example.org/"]
    )
    assert [link["rel"] for link in added] == [["noopener"], ["nofollow", "noopener"]]
    assert checked >= 2


@pytest.mark.parametrize(
    ("body", "changed"),
    [
        ('<a href="https://example.com/">x</a>', True),
        ('<a href="https://example.com/" rel="nofollow noopener">x</a>', False),
        (f'<a href="https://{OWN}/ukraine/">x</a>', False),
        ('<a href="../ukraine/">x</a><a name="top">y</a>', False),
    ],
)
def test_pages_that_need_no_change_are_left_as_written(body: str, changed: bool) -> None:
    html = f"<!doctype html><html><head></head><body><p>{body}</p></body></html>"
    assert (FinalPage(html, own_host=OWN).html != html) is changed
