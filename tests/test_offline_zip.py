"""scripts/offline_zip.py without a build (naming, version, timestamps, determinism), and tests/offline.py."""

from __future__ import annotations

import os
import zipfile
from typing import TYPE_CHECKING

import cff
import pytest

from scripts import offline_zip
from tests.offline import distinct_words, link_problem
from tests.sitebuild import ROOT
from tests.textpos import line_of

if TYPE_CHECKING:
    from pathlib import Path

# A valid record but for what each test puts in place of {title} and {version}.
CFF = """\
cff-version: 1.2.0
message: "Cite it."
title: "{title}"
authors: []
{version}
date-released: "2026-11-27"
url: "https://example.org/"
"""


@pytest.mark.parametrize(
    ("title", "version_line", "expected"),
    [
        ("NATO–Russia Tensions", 'version: "1.0.0"', "nato-russia-tensions-1.0.0-offline.zip"),
        ("An Essay", "version: 2.1.0-rc.1", "an-essay-2.1.0-rc.1-offline.zip"),  # YAML reads it as text
        ("Relations franco-allemandes, été", 'version: "3"', "relations-franco-allemandes-ete-3-offline.zip"),
    ],
)
def test_the_zip_is_named_after_title_and_version(tmp_path: Path, title: str, version_line: str, expected: str) -> None:
    (tmp_path / "CITATION.cff").write_text(CFF.format(title=title, version=version_line), "utf-8")
    assert offline_zip.zip_name(offline_zip.read_work(tmp_path / "CITATION.cff")) == expected


@pytest.mark.parametrize(
    ("title", "version_line", "needle", "expected"),
    [
        # A missing key is reported where the record's mapping starts.
        ("An Essay", "", "cff-version:", "version is missing"),
        ("An Essay", "version: 1.0", "\nversion:", 'version must be a quoted string ("1.0")'),  # YAML: a float
        ("An Essay", 'version: ""', "\nversion:", "version is empty"),
        ("An Essay", 'version: " 3.0 "', "\nversion:", "version ' 3.0 ' cannot be part of a file name"),
        ("An Essay", 'version: "1.0/beta"', "\nversion:", "version '1.0/beta' cannot be part of a file name"),
        ("–", 'version: "1.0.0"', "title:", "title '–' has no letter or digit to name files after"),
    ],
)
def test_an_invalid_citation_file_stops_the_script_with_its_lines(
    tmp_path: Path, title: str, version_line: str, needle: str, expected: str
) -> None:
    text = CFF.format(title=title, version=version_line)
    (tmp_path / "CITATION.cff").write_text(text, encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        offline_zip.read_work(tmp_path / "CITATION.cff")
    assert str(stop.value.code).startswith(f"CITATION.cff:{line_of(text, needle)}")
    assert f"citation: {expected}" in str(stop.value.code)


def test_the_project_zip_is_named_from_citation_cff() -> None:
    work, problems = cff.load_file(ROOT / "CITATION.cff", site_url=None)
    assert work is not None, problems
    assert offline_zip.zip_name(work) == f"{work.slug}-{work.version}-offline.zip"
    assert offline_zip.read_work(ROOT / "CITATION.cff") == work


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, (1980, 1, 1, 0, 0, 0)),
        ({"SOURCE_DATE_EPOCH": ""}, (1980, 1, 1, 0, 0, 0)),
        ({"SOURCE_DATE_EPOCH": "1795046400"}, (2026, 11, 19, 0, 0, 0)),
        ({"SOURCE_DATE_EPOCH": "1795046401"}, (2026, 11, 19, 0, 0, 1)),
        ({"SOURCE_DATE_EPOCH": "0"}, (1980, 1, 1, 0, 0, 0)),  # a zip cannot hold 1970
    ],
)
def test_zip_timestamp(environ: dict[str, str], expected: tuple[int, ...]) -> None:
    assert offline_zip.zip_timestamp(environ) == expected


def _tree(root: Path, mtime: int) -> Path:
    for rel, text in {
        "index.html": "home",
        "b/page.html": "b",
        "a.css": "css",
        "404.html": "gone",
        "z/y/x.js": "x",
    }.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
        os.utime(path, (mtime, mtime))
    return root


def test_pack_is_deterministic_sorted_and_under_one_folder(tmp_path: Path) -> None:
    stamp = (2026, 11, 27, 12, 0, 0)
    one = offline_zip.pack(_tree(tmp_path / "one", 1_000_000_000), tmp_path / "1.zip", "essay-1.0", stamp)
    two = offline_zip.pack(_tree(tmp_path / "two", 1_700_000_000), tmp_path / "2.zip", "essay-1.0", stamp)
    assert (tmp_path / "1.zip").read_bytes() == (tmp_path / "2.zip").read_bytes()
    assert one == two == sorted(one)
    assert one == ["essay-1.0/a.css", "essay-1.0/b/page.html", "essay-1.0/index.html", "essay-1.0/z/y/x.js"]
    with zipfile.ZipFile(tmp_path / "1.zip") as archive:
        assert {info.date_time for info in archive.infolist()} == {stamp}
        assert {info.external_attr >> 16 for info in archive.infolist()} == {0o100644}
        assert archive.read("essay-1.0/b/page.html") == b"b"


def test_pack_leaves_out_the_servers_404_page(tmp_path: Path) -> None:
    names = offline_zip.pack(_tree(tmp_path / "site", 0), tmp_path / "x.zip", "x", (1980, 1, 1, 0, 0, 0))
    assert "x/404.html" not in names
    assert "x/index.html" in names


def test_link_problem(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "sub").mkdir(parents=True)
    (root / "page.html").write_text('<h1 id="top">T</h1><p id="p%201">x</p><a name="old"></a>', "utf-8")
    (root / "file.bib").write_text("@misc{}", "utf-8")
    (tmp_path / "outside.html").write_text("", "utf-8")
    cases = {
        "page.html": None,
        "page.html#top": None,
        "page.html#old": None,
        "page.html?h=word#top": None,
        "file.bib": None,
        "page.html#gone": "no id 'gone' in page.html",
        "missing.html": "no such file",
        "sub/": "a folder, not a file",
        "../outside.html": "leaves the unpacked folder",
    }
    for rel, expected in cases.items():
        problem = link_problem(f"{root.as_uri()}/{rel}", root)
        assert (problem is None) if expected is None else (expected in (problem or "")), (rel, problem)
    assert "not a file:// link" in (link_problem("https://example.org/", root) or "")


def test_distinct_words() -> None:
    texts = {
        "a.html": "Encirclement, deployments and Russia’s concerns.",
        "b.html": "Deployments and exercises, significantly more.",
        "c.html": "Short words only: and or the.",
    }
    # `russia’s` is not a whole plain word; `deployments` is on two pages; c has no word of 7 letters of its own.
    assert distinct_words(texts) == {"a.html": "encirclement", "b.html": "significantly"}
