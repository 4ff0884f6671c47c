"""The citation record's pure core: outputs, pinpoints and the change-log rule (reading CITATION.cff: test_cff.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

import cff
import citation_record as record
import markdown
import pytest
from bs4 import BeautifulSoup
from changelog import changelog_problems
from citation_pinpoints import Pinpoints
from disk_cache import DiskCache
from front_matter import body_start

from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

DATA = ROOT / "tests" / "data"
SITE = "https://nato-russia-tensions.example.org/"
WORK = record.Work(
    title="T", version="1", released=dt.date(2024, 3, 5), url=SITE, language="en", rights=record.NO_LICENCE
)


def test_author_forms() -> None:
    person = record.Author(family="Beethoven", given="Ludwig", particle="van")
    assert person.inverted == "van Beethoven, Ludwig"
    assert person.display == "Ludwig van Beethoven"
    assert record.Author(entity="Example Institute").inverted == "Example Institute"


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("NATO–Russia Tensions", "nato-russia-tensions"),
        ("NATO—Russia:  Tensions!", "nato-russia-tensions"),
        ("  Relations Franco-Allemandes, été 2026 ", "relations-franco-allemandes-ete-2026"),
        ("Türkiye and the Straits", "turkiye-and-the-straits"),
        ("A </script> B", "a-script-b"),
        ("already-a-slug", "already-a-slug"),
        ("–––", ""),
    ],
)
def test_slug(title: str, expected: str) -> None:
    assert dataclasses.replace(WORK, title=title).slug == expected


def test_citation_keys_are_the_slug() -> None:
    work = dataclasses.replace(WORK, title="NATO–Russia Tensions")
    assert record.essay(work).key == "nato-russia-tensions"
    page = record.page(work, name="ukraine", title="Ukraine", url=SITE + "ukraine/")
    assert page.key == "nato-russia-tensions-ukraine"


def test_highwire_tags_only_on_request() -> None:
    work, _ = cff.load_file(DATA / "citation-unsigned.cff", site_url=SITE)
    assert work is not None
    item = record.page(work, name="s", title="S", url=SITE + "s/")
    names = [tag.get("name", "") for tag in record.head(item)]
    assert not [n for n in names if n.startswith("citation_")]
    with_highwire = [tag.get("name", "") for tag in record.head(item, highwire=True)]
    assert "citation_title" in with_highwire


def test_json_ld_cannot_close_its_script() -> None:
    work = dataclasses.replace(WORK, title="A </script> B")
    assert "</script>" not in record.json_ld(record.essay(work))


def test_pinpoints_leave_the_paragraph_text_alone() -> None:
    source = "One *two*.\n{ #p1 }\n\nNot a pinpoint.\n{ #intro }\n\nThree.\n{ #p12 }\n\n*Lead* text.\n{ #p3 }\n"
    before = BeautifulSoup(markdown.markdown(source, extensions=["attr_list", Pinpoints(lambda: None)]), "html.parser")
    pinpoints = Pinpoints(lambda: SITE + "s/")
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
        ("# Log\n", ["docs/changelog.md:1: changelog: no '## <version> (<date>)' entry — add '## 1 (2024-03-05)'"]),
    ],
)
def test_changelog_table(source: str, expected: list[str]) -> None:
    start = body_start(source)
    assert [str(p) for p in changelog_problems("docs/changelog.md", source, start, WORK)] == expected


def test_disk_cache_keeps_only_what_a_build_used(tmp_path: Path) -> None:
    path = tmp_path / ".cache" / "citations.json"
    cache = DiskCache(path)
    assert cache.get("a") is None
    cache["a"], cache["b"] = "<i>A</i>", "B"  # both made by this build
    cache.save()
    again = DiskCache(path)
    assert again == {"a": "<i>A</i>", "b": "B"}
    assert again.get("a") == "<i>A</i>"  # the next build uses only "a"
    again.save()
    assert DiskCache(path) == {"a": "<i>A</i>"}
    mtime = path.stat().st_mtime_ns
    unchanged = DiskCache(path)
    unchanged.get("a")
    unchanged.save()
    assert path.stat().st_mtime_ns == mtime, "an unchanged cache is not rewritten"
    DiskCache(path).save()
    assert DiskCache(path) == {}
