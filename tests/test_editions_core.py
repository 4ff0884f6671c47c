"""Editions' pure cores: what changed between two editions, the publish tree's records, the model's addresses."""

from __future__ import annotations

import json
from pathlib import Path

import edition_diff
import edition_record
import pytest
from edition_diff import ADDED, REMOVED, REWORDED
from site_model import HOSTED, OFFLINE, Download, Edition, Site, place

SITE = "https://essay.example.org/"
RED = "For Russia, NATO’s involvement in Ukraine is a red line, as it could lead to military infrastructure."
CLEAR = "For Russia, NATO’s involvement in Ukraine is a clear red line, as it could lead to military infrastructure."
ANXIETY = "Russia’s anxiety intensified with NATO’s outreach to Ukraine."
CRIMEA = "The alliance has been providing military aid, especially following Russia’s annexation of Crimea in 2014."
NEW = "Sanctions followed in the same year."


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ([("p1", f"{ANXIETY} {RED}")], [("p1", f"{ANXIETY} {RED}")], []),
        # Whitespace is not a change: paragraphs are compared as readers see them.
        ([("p1", f"{ANXIETY}\n  {RED}")], [("p1", f"{ANXIETY} {RED}")], []),
        ([("p1", f"{ANXIETY} {RED}")], [("p1", f"{ANXIETY} {CLEAR}")], [(REWORDED, RED, CLEAR, "p1")]),
        ([("p1", ANXIETY)], [("p1", f"{ANXIETY} {NEW}")], [(ADDED, "", NEW, "p1")]),
        ([("p1", f"{ANXIETY} {CRIMEA}")], [("p1", CRIMEA)], [(REMOVED, ANXIETY, "", "p1")]),
        # A removed sentence is placed at the paragraph that now holds what followed it.
        ([("p1", ANXIETY), ("p2", CRIMEA)], [("p2", CRIMEA)], [(REMOVED, ANXIETY, "", "p2")]),
        # One run replaced by two: the reworded one pairs, the unrelated one is added before it.
        (
            [("p1", f"{ANXIETY} {RED}")],
            [("p1", f"{ANXIETY} {NEW} {CLEAR}")],
            [(ADDED, "", NEW, "p1"), (REWORDED, RED, CLEAR, "p1")],
        ),
        # Unrelated sentences in the same place: removed and added, not "reworded".
        (
            [("p1", f"{ANXIETY} {CRIMEA}")],
            [("p1", f"{ANXIETY} {NEW}")],
            [(REMOVED, CRIMEA, "", "p1"), (ADDED, "", NEW, "p1")],
        ),
        (
            [("title", "3. The Ukraine Factor")],
            [("title", "3. The Ukraine Question")],
            [(REWORDED, "3. The Ukraine Factor", "3. The Ukraine Question", "title")],
        ),
        ([], [("p1", ANXIETY)], [(ADDED, "", ANXIETY, "p1")]),
    ],
)
def test_changes(before: list[tuple[str, str]], after: list[tuple[str, str]], expected: list[tuple]) -> None:
    found = edition_diff.changes(before, after)
    assert [(c.kind, c.before, c.after, c.paragraph) for c in found] == expected


def test_reworded_words_rebuild_both_sentences() -> None:
    (change,) = edition_diff.changes([("p1", RED)], [("p1", CLEAR)])
    runs = change.words()
    assert "".join(text for kind, text in runs if kind != ADDED) == RED
    assert "".join(text for kind, text in runs if kind != REMOVED) == CLEAR
    assert [text.strip() for kind, text in runs if kind == ADDED] == ["clear"]
    assert not [text for kind, text in runs if kind == REMOVED]


def test_sentences_come_from_pysbd() -> None:
    found = edition_diff.sentences([("p1", f"{ANXIETY} {RED}"), ("p2", CRIMEA)])
    assert [(s.paragraph, s.text) for s in found] == [("p1", ANXIETY), ("p1", RED), ("p2", CRIMEA)]


def _edition(version: str, released: str, **pages: str) -> Edition:
    return Edition(
        version,
        released,
        pages={f"{name}.md": path for name, path in pages.items()},
        changelog="changelog/",
        downloads=(Download("Offline copy (zip)", f"essay-{version}-offline.zip", "application/zip"),),
    )


FIRST = _edition("1.0.0", "2026-11-27", index="", ukraine="ukraine/")
SECOND = _edition("1.1.0", "2026-12-01", index="", ukraine="ukraine/", new="new/")


def test_versions_json_round_trip_newest_first() -> None:
    text = edition_record.versions_json([FIRST, SECOND])
    data = json.loads(text)
    assert data["latest"] == "1.1.0"
    assert [(e["version"], e["date"], e["path"]) for e in data["editions"]] == [
        ("1.1.0", "2026-12-01", "v/1.1.0/"),
        ("1.0.0", "2026-11-27", "v/1.0.0/"),
    ]
    assert edition_record.read_versions(text) == ([FIRST, SECOND], [])


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{", "editions: not JSON"),
        ("[]", "editions: no 'editions' list"),
        ('{"editions": [{"version": "1.0.0"}]}', "editions: an edition lacks 'date'"),
        ('{"editions": [{"version": 1, "date": "2026-11-27"}]}', "editions: version is 1, not text"),
        ('{"editions": [{"version": "1", "date": "d", "path": "x/"}]}', "has path 'x/', not 'v/1/'"),
    ],
)
def test_a_damaged_versions_json_is_reported(text: str, message: str) -> None:
    editions, problems = edition_record.read_versions(text)
    assert editions == []
    (problem,) = problems
    assert message in str(problem)
    assert str(problem).startswith("versions.json:")


@pytest.mark.parametrize(
    ("version", "expected"),
    [("1.2.0", ["1.0.0", "1.1.0"]), ("1.1.0", ["1.0.0"]), ("1.0.0", [])],
)
def test_published_before(version: str, expected: list[str]) -> None:
    assert [e.version for e in edition_record.published_before([FIRST, SECOND], version)] == expected


def test_with_edition_replaces_or_appends() -> None:
    again = _edition("1.0.0", "2026-11-28")
    assert edition_record.with_edition([FIRST, SECOND], again) == [again, SECOND]
    third = _edition("2.0.0", "2027-01-01")
    assert edition_record.with_edition([FIRST, SECOND], third) == [FIRST, SECOND, third]


def test_edition_text_round_trip(tmp_path: Path) -> None:
    text = {"ukraine.md": [("title", "3. The Ukraine Factor"), ("p1", RED)]}
    folder = tmp_path / "v" / FIRST.version
    folder.mkdir(parents=True)
    (folder / edition_record.RECORD).write_text(edition_record.record_json(FIRST, text), encoding="utf-8")
    assert edition_record.read_text(tmp_path, FIRST) == (text, [])
    assert edition_record.from_json(json.loads((folder / edition_record.RECORD).read_text("utf-8"))) == FIRST
    missing, problems = edition_record.read_text(tmp_path, SECOND)
    assert missing == {}
    assert "edition 1.1.0 has no edition.json" in str(problems[0])


@pytest.mark.parametrize(
    ("src", "url", "edition", "previous"),
    [
        ("ukraine.md", "ukraine/", f"{SITE}v/1.1.0/ukraine/", f"{SITE}v/1.0.0/ukraine/"),
        ("index.md", "./", f"{SITE}v/1.1.0/", f"{SITE}v/1.0.0/"),
        # New in 1.1.0: no address in the edition before.
        ("new.md", "new/", f"{SITE}v/1.1.0/new/", ""),
        # The offline build writes flat pages; the frozen address keeps the hosted style.
        ("ukraine.md", "ukraine.html", f"{SITE}v/1.1.0/ukraine/", f"{SITE}v/1.0.0/ukraine/"),
    ],
)
def test_place_in_editions(src: str, url: str, edition: str, previous: str) -> None:
    where = place(src, url, "", site_url=SITE, hosted_directory_urls=True, edition=SECOND, previous=FIRST)
    assert (where.edition, where.previous) == (edition, previous)


@pytest.mark.parametrize(
    ("variant", "frozen", "base", "path", "expected"),
    [
        (HOSTED, False, "ukraine/", "v/1.0.0/ukraine/", "../v/1.0.0/ukraine/"),
        (HOSTED, False, "", "v/1.0.0/", "./v/1.0.0/"),
        (HOSTED, False, "ukraine/", "versions.json", "../versions.json"),
        # From a frozen copy, up to the tree's root (where the current edition lives) and down again.
        (HOSTED, True, "ukraine/", "ukraine/#p1", "../../../ukraine/#p1"),
        (HOSTED, True, "", "v/1.0.0/", "../../v/1.0.0/"),
        (HOSTED, True, "ukraine/", "", "../../../"),
        # Offline there is no tree beside the pages: the hosted address.
        (OFFLINE, True, "ukraine/", "v/1.0.0/ukraine/", f"{SITE}v/1.0.0/ukraine/"),
    ],
)
def test_publish_link(variant: str, frozen: bool, base: str, path: str, expected: str) -> None:
    site = Site(Path("."), "docs", variant, SITE, True, edition=SECOND, frozen=frozen, published=[FIRST])
    origin = place("o.md", base or "./", "", site_url=SITE, hosted_directory_urls=True)
    origin = type(origin)(origin.src, origin.url, origin.dest, origin.hosted, path=base)
    assert site.publish_link(path, origin) == expected
    assert site.previous == FIRST
    assert site.editions() == [FIRST, SECOND]
    assert site.edition_url == f"{SITE}v/1.1.0/"
