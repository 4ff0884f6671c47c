"""The citation record's pure core: CITATION.cff checks, outputs, pinpoints and the change-log rule."""

from __future__ import annotations

import datetime as dt
import sys
from typing import TYPE_CHECKING

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup

from tests.sitebuild import ROOT

sys.path.insert(0, str(ROOT / "hooks"))

import citation_record as record
import citations
from citation_cache import RenderCache
from citation_pinpoints import Pinpoints

if TYPE_CHECKING:
    from pathlib import Path

DATA = ROOT / "tests" / "data"
SITE = "https://nato-russia-tensions.example.org/"
GOOD = {"title": "T", "version": "1", "date-released": "2024-03-05", "url": SITE, "authors": []}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, ["CITATION.cff:1: citation error: missing 'title' — every citation needs it"]),
        ({"version": None}, ["CITATION.cff:1: citation error: missing 'version' — every citation needs it"]),
        (
            {"date-released": "5 March 2024"},
            ["CITATION.cff:1: citation error: date-released '5 March 2024' is not a date — write YYYY-MM-DD"],
        ),
        (
            {"url": "https://elsewhere.example.org/"},
            [
                "CITATION.cff:1: citation error: url 'https://elsewhere.example.org/' differs from site_url "
                f"'{SITE}' in mkdocs.yml — the canonical address must be one value; make them equal"
            ],
        ),
        (
            {"authors": [{"given-names": "Jane"}]},
            [
                "CITATION.cff:1: citation error: authors[0] has neither family-names nor name"
                " — a person needs family-names, an entity needs name"
            ],
        ),
        ({"url": SITE.rstrip("/")}, []),
        ({}, []),
    ],
)
def test_check_table(change: dict[str, object], expected: list[str]) -> None:
    assert record.check({**GOOD, **change}, SITE) == expected


def test_check_skips_the_url_comparison_when_serving() -> None:
    assert record.check({**GOOD, "url": "https://elsewhere.example.org/"}, None) == []


def test_check_rejects_a_file_that_is_not_a_mapping() -> None:
    assert record.check(["title"], SITE)[0].startswith("CITATION.cff:1: citation error: not a YAML mapping")


def test_the_real_citation_file_is_clean_and_unsigned() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert record.check(cff, SITE) == []
    work = record.load(cff)
    assert work.authors == ()
    assert work.rights == record.NO_LICENCE


@pytest.mark.parametrize(
    ("fixture", "authors", "rights"),
    [
        ("citation-unsigned.cff", (), record.NO_LICENCE),
        (
            "citation-authors.cff",
            (record.Author(family="Doe", given="Jane Q."), record.Author(entity="Example Institute")),
            "Licensed under CC-BY-4.0 (SPDX).",
        ),
    ],
)
def test_load_fixtures(fixture: str, authors: tuple[record.Author, ...], rights: str) -> None:
    work = record.load(yaml.safe_load((DATA / fixture).read_text("utf-8")))
    assert work.authors == authors
    assert work.rights == rights
    assert work.released == dt.date(2024, 3, 5)
    assert work.url == SITE


def test_author_forms() -> None:
    person = record.Author(family="Beethoven", given="Ludwig", particle="van")
    assert person.inverted == "van Beethoven, Ludwig"
    assert person.display == "Ludwig van Beethoven"
    assert record.Author(entity="Example Institute").inverted == "Example Institute"


def test_highwire_tags_only_on_request() -> None:
    work = record.load(yaml.safe_load((DATA / "citation-unsigned.cff").read_text("utf-8")))
    item = record.page(work, name="s", title="S", url=SITE + "s/")
    names = [tag.get("name", "") for tag in record.head(item)]
    assert not [n for n in names if n.startswith("citation_")]
    with_highwire = [tag.get("name", "") for tag in record.head(item, highwire=True)]
    assert "citation_title" in with_highwire


def test_json_ld_cannot_close_its_script() -> None:
    work = record.load({**GOOD, "title": "A </script> B"})
    assert "</script>" not in record.json_ld(record.essay(work))


@pytest.mark.parametrize(
    ("directory_url", "expected"),
    [("", SITE), ("./", SITE), ("ukraine/", SITE + "ukraine/"), ("/a/b/", SITE + "a/b/")],
)
def test_hosted_url(directory_url: str, expected: str) -> None:
    assert record.hosted_url(SITE.rstrip("/"), directory_url) == expected


def test_pinpoints_leave_the_paragraph_text_alone() -> None:
    source = "One *two*.\n{ #p1 }\n\nNot a pinpoint.\n{ #intro }\n\nThree.\n{ #p12 }\n\n*Lead* text.\n{ #p3 }\n"
    pinpoints = Pinpoints()
    before = BeautifulSoup(markdown.markdown(source, extensions=["attr_list", pinpoints]), "html.parser")
    pinpoints.page_url = SITE + "s/"
    out = BeautifulSoup(markdown.markdown(source, extensions=["attr_list", pinpoints]), "html.parser")
    assert not before.select("a.pinpoint")  # no page URL: a page that is not cited
    assert [p.get_text() for p in out.find_all("p")] == [p.get_text() for p in before.find_all("p")]
    links = out.select("a.pinpoint")
    assert [(a["href"], a["aria-label"], a["data-clipboard-text"]) for a in links] == [
        ("#p1", "Link to paragraph 1", SITE + "s/#p1"),
        ("#p12", "Link to paragraph 12", SITE + "s/#p12"),
        ("#p3", "Link to paragraph 3", SITE + "s/#p3"),
    ]
    assert all(p.contents[0].name == "a" for p in out.select("p[id^=p]") if p["id"] != "intro")


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("# Log\n\n## 1 (2024-03-05) { #v1 }\n", []),
        ("# Log\n\n## 1 (2024-03-05)\n\n## 0.9 (2023-01-01)\n", []),
        (
            "---\n## not a heading: YAML\ncitation: false\n---\n\n# Log\n\n## 0.9 (2023-01-01)\n",
            [
                "docs/changelog.md:8: changelog: newest entry '## 0.9 (2023-01-01)' is not this release"
                " — add '## 1 (2024-03-05)' above it (CITATION.cff gives version and date-released)"
            ],
        ),
        ("# Log\n", ["docs/changelog.md:1: changelog: no '## <version> (<date>)' entry — add one for 1"]),
    ],
)
def test_changelog_table(source: str, expected: list[str]) -> None:
    assert citations.changelog_problems(source, record.load(GOOD)) == expected


def test_render_cache_keeps_only_what_a_build_used(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "citations.json"
    cache = RenderCache(path)
    assert cache.get("a") is None
    cache["a"], cache["b"] = "<i>A</i>", "B"
    cache.save()
    again = RenderCache(path)
    assert again == {"a": "<i>A</i>"}
    assert again.get("a") == "<i>A</i>"
    mtime = path.stat().st_mtime_ns
    again.save()
    assert path.stat().st_mtime_ns == mtime, "an unchanged cache is not rewritten"
    RenderCache(path).save()
    assert RenderCache(path) == {}
