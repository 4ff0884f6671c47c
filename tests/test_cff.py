"""hooks/cff.py, the one reader of CITATION.cff: every problem at its line (and column), in plain words.

Each expected line is computed from where the mistake stands in the text (tests/textpos.py), so moving a
line of GOOD moves the expectation with it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import TYPE_CHECKING

import cff
import citation_record as record
import jsonschema
import pytest
import yaml

from tests.sitebuild import ROOT
from tests.textpos import line_of, position

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

SITE = "https://nato-russia-tensions.example.org/"
DATA = ROOT / "tests" / "data"
SCHEMAS = ROOT / "hooks" / "schemas"
# The line of the version key; "version:" alone would find cff-version first.
VERSION = "\nversion:"
VERSION_LINE = 'version: "1.0.0"'
TAB = "\t"
GUIDE = "https://github.com/citation-file-format/citation-file-format/blob/1.2.0/schema-guide.md"
# A comment first, so that no problem lands on line 1 by accident.
GOOD = """\
# A citation record like the project's.
cff-version: 1.2.0
message: "If you cite this essay, please cite it as below."
type: dataset
title: "NATO–Russia Tensions"
authors: []
version: "1.0.0"
date-released: "2026-11-27"
url: "https://nato-russia-tensions.example.org/"
keywords:
  - NATO
  - Russia
"""


def at(text: str, needle: str, *, after: str = "") -> str:
    """`CITATION.cff:<line>:<column>` of `needle`: where schema and syntax problems point."""
    line, column = position(text, needle, after=after)
    return f"CITATION.cff:{line}:{column}"


def on(text: str, needle: str) -> str:
    """`CITATION.cff:<line>` of `needle`: where the project's own rules point."""
    return f"CITATION.cff:{line_of(text, needle)}"


def end(text: str) -> str:
    """Where PyYAML reports the end of the file: column 1 of the line after the last newline."""
    last_line = text.count("\n") + 1
    return f"CITATION.cff:{last_line}:1"


def edit(old: str, new: str) -> str:
    assert GOOD.count(old) == 1, old
    return GOOD.replace(old, new)


CASES: list[tuple[str, str, bool, Callable[[str], list[str]]]] = [
    ("good", GOOD, True, lambda t: []),
    ("url without the trailing slash", edit(SITE, SITE.rstrip("/")), True, lambda t: []),
    # YAML syntax: one line, at PyYAML's mark; the record cannot be read at all.
    (
        "unclosed quote, to the end of the file",
        edit(f'url: "{SITE}"', f'url: "{SITE}'),
        False,
        lambda t: [
            f"{end(t)}: citation: the file ends inside a quoted value"
            f" — the quote opened on line {line_of(t, 'url:')} is never closed; close it"
        ],
    ),
    (
        "unclosed quote, closed by the next one",
        edit('title: "NATO–Russia Tensions"', 'title: "NATO–Russia Tensions'),
        False,
        lambda t: [
            f"{at(t, '1.0.0')}: citation: text where a new key or the end of the block belongs"
            f" — the quote opened on line {line_of(t, 'title:')} runs on to this line;"
            f" close it on line {line_of(t, 'title:')}"
        ],
    ),
    (
        "tab indent",
        edit("  - NATO", "\t- NATO"),
        False,
        lambda t: [f"{at(t, TAB)}: citation: a tab, which YAML does not accept here — indent with spaces"],
    ),
    (
        "colon in an unquoted value",
        edit('title: "NATO–Russia Tensions"', "title: NATO: Russia"),
        False,
        lambda t: [
            f"{at(t, ': Russia')}: citation: a ': ' inside a value"
            " — put the value in quotes: it holds ': ', which starts a key"
        ],
    ),
    (
        "unclosed flow list",
        edit("authors: []", "authors: [{name: X}"),
        False,
        lambda t: [
            f"{at(t, VERSION)}: citation: the '[' opened on line {line_of(t, 'authors:')} is not closed"
            " — close it, with ',' between the items"
        ],
    ),
    (
        "a key out of line",
        edit(VERSION_LINE, "  " + VERSION_LINE),
        False,
        lambda t: [
            f"{at(t, VERSION_LINE)}: citation: a key out of line with the keys above"
            f" — check the indentation against line {line_of(t, 'cff-version:')}"
        ],
    ),
    (
        "a tag that constructs Python",
        GOOD + "x: !!python/name:os.system\n",
        False,
        lambda t: [
            f"{at(t, '!!python')}: citation: a tag that cannot be read: '!!python/name:os.system'"
            " — remove the tag: the file holds plain values only"
        ],
    ),
    # The project's rules: line only.
    (
        "version as an unquoted number",
        edit('version: "1.0.0"', "version: 1.10"),
        True,
        lambda t: [
            f'{on(t, VERSION)}: citation: version must be a quoted string ("1.10")'
            ' — write version: "1.10" (unquoted, YAML reads it as the number 1.1)'
        ],
    ),
    (
        "version with a space",
        edit('version: "1.0.0"', 'version: "1.0 beta"'),
        True,
        lambda t: [
            f"{on(t, VERSION)}: citation: version '1.0 beta' cannot be part of a file name"
            " — use letters, digits and . + _ - only (the offline zip is named after the version)"
        ],
    ),
    (
        "missing version",
        edit('version: "1.0.0"\n', ""),
        False,
        lambda t: [f"{on(t, 'cff-version:')}: citation: version is missing — every citation needs it"],
    ),
    (
        "blank title",
        edit('title: "NATO–Russia Tensions"', 'title: "  "'),
        False,
        lambda t: [f"{on(t, 'title:')}: citation: title is empty — every citation needs it"],
    ),
    (
        "title with nothing to name files after",
        edit('title: "NATO–Russia Tensions"', 'title: "–"'),
        True,
        lambda t: [
            f"{on(t, 'title:')}: citation: title '–' has no letter or digit to name files after"
            " — the offline zip and the BibTeX keys are named after the title"
        ],
    ),
    (
        "date that does not exist",
        edit('date-released: "2026-11-27"', 'date-released: "2026-02-30"'),
        False,
        lambda t: [
            f"{on(t, 'date-released:')}: citation: date-released '2026-02-30' is not a real date"
            " — write an existing date as YYYY-MM-DD"
        ],
    ),
    (
        "url differing from site_url",
        edit(f'url: "{SITE}"', 'url: "https://elsewhere.example.org/"'),
        True,
        lambda t: [
            f"{on(t, 'url:')}: citation: url 'https://elsewhere.example.org/' differs from site_url '{SITE}'"
            " in mkdocs.yml — the canonical address must be one value; make them equal"
        ],
    ),
    (
        "author without a name",
        edit("authors: []", "authors: [{given-names: X}]"),
        True,
        lambda t: [
            f"{on(t, 'authors:')}: citation: authors[0] has neither family-names nor name"
            " — a person needs family-names, an entity needs name"
        ],
    ),
    # The CFF 1.2.0 schema: line and column of the value (of its key, for a mapping's value).
    (
        "missing title",
        edit('title: "NATO–Russia Tensions"\n', ""),
        False,
        lambda t: [f"{at(t, 'cff-version:')}: citation: title is missing — add title: (CFF 1.2.0 requires it)"],
    ),
    (
        "date that is not a date",
        edit('date-released: "2026-11-27"', "date-released: 2026-13-40"),
        False,
        lambda t: [
            f"{at(t, 'date-released:')}: citation: date-released '2026-13-40' is not a date"
            " — write it as YYYY-MM-DD, e.g. 2026-11-27"
        ],
    ),
    (
        "unknown top-level keys",
        GOOD + "licence: CC-BY-4.0\nlanguages: [en]\n",
        True,
        lambda t: [
            f"{at(t, 'licence:')}: citation: unknown key licence — did you mean license?",
            f"{at(t, 'languages:')}: citation: unknown key languages — CFF 1.2.0 has no such key; see {GUIDE}",
        ],
    ),
    (
        "keywords that are not a list",
        edit("keywords:\n  - NATO\n  - Russia\n", "keywords: 5\n"),
        True,
        lambda t: [
            f"{at(t, 'keywords:')}: citation: keywords must be a list, not a number (5)"
            " — write one '- item' line per entry below the key"
        ],
    ),
    (
        "a number where text belongs",
        edit("  - Russia", "  - 5"),
        True,
        lambda t: [f"{at(t, '5')}: citation: keywords[1] must be text, not a number (5) — put the value in quotes"],
    ),
    (
        "title that is a number",
        edit('title: "NATO–Russia Tensions"', "title: 2026"),
        False,
        lambda t: [f"{at(t, 'title:')}: citation: title must be text, not a number (2026) — put the value in quotes"],
    ),
    (
        "licence that is not an SPDX identifier",
        GOOD + "license: NOT-A-LICENSE\n",
        True,
        lambda t: [
            f"{at(t, 'license:')}: citation: license 'NOT-A-LICENSE' is not an SPDX licence identifier"
            " — use one such as CC-BY-4.0 (the list: https://spdx.org/licenses/)"
        ],
    ),
    (
        "type outside its enum",
        edit("type: dataset", "type: essay"),
        True,
        lambda t: [f"{at(t, 'type:')}: citation: type 'essay' is not one of: dataset, software — use one of them"],
    ),
    (
        "keywords: [] (the minItems rule holds everywhere but authors)",
        edit("keywords:\n  - NATO\n  - Russia\n", "keywords: []\n"),
        True,
        lambda t: [
            f"{at(t, 'keywords:')}: citation: keywords is an empty list — list at least one item, or remove the key"
        ],
    ),
    (
        "an unknown key and an ORCID in a person",
        edit("authors: []", "authors:\n  - family-names: Doe\n    given-name: Jane\n    orcid: 0000-0002"),
        True,
        lambda t: [
            f"{at(t, 'given-name:')}: citation: unknown key authors[0].given-name — did you mean given-names?",
            f"{at(t, 'orcid:')}: citation: authors[0].orcid '0000-0002' is not an ORCID"
            " — write the whole address, e.g. https://orcid.org/0000-0002-1825-0097",
        ],
    ),
    (
        "an author that is text",
        edit("authors: []", "authors:\n  - Jane Doe"),
        True,
        lambda t: [
            f"{at(t, 'Jane Doe')}: citation: authors[0] must be a mapping, not text ('Jane Doe')"
            " — write it as key: value lines"
        ],
    ),
    (
        "every problem of the file in one call, in the file's order",
        edit('version: "1.0.0"', "version: 2.0").replace("type: dataset", "type: essay") + "foo: 1\n",
        True,
        lambda t: [
            f"{at(t, 'type:')}: citation: type 'essay' is not one of: dataset, software — use one of them",
            f'{on(t, VERSION)}: citation: version must be a quoted string ("2.0")'
            ' — write version: "2.0" (unquoted, YAML reads it as the number 2.0)',
            f"{at(t, 'foo:')}: citation: unknown key foo — CFF 1.2.0 has no such key; see {GUIDE}",
        ],
    ),
]


@pytest.mark.parametrize(("text", "builds", "expected"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_problems_table(text: str, builds: bool, expected: Callable[[str], list[str]]) -> None:
    work, problems = cff.read(text, site_url=SITE)
    assert [str(p) for p in problems] == expected(text)
    assert (work is not None) == builds


def test_authors_may_be_empty_and_are_never_invented() -> None:
    work, problems = cff.read(GOOD, site_url=SITE)
    assert problems == []
    assert work is not None
    assert work.authors == ()


def test_url_is_not_compared_when_serving() -> None:
    text = edit(f'url: "{SITE}"', 'url: "https://elsewhere.example.org/"')
    work, problems = cff.read(text, site_url=None)
    assert problems == []
    assert work is not None
    assert work.url == "https://elsewhere.example.org/"


def test_version_keeps_the_text_as_written() -> None:
    work, _ = cff.read(edit('version: "1.0.0"', "version: 1.10"), site_url=SITE)
    assert work is not None
    assert work.version == "1.10"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "CITATION.cff:1: citation: the file is empty"),
        ("- title\n- version\n", "CITATION.cff:1: citation: the file is not a mapping of keys to values"),
    ],
)
def test_a_file_that_is_no_record(text: str, expected: str) -> None:
    work, problems = cff.read(text, site_url=SITE)
    assert work is None
    assert [str(p).split(" — ")[0] for p in problems] == [expected]


def test_every_problem_starts_with_its_kind_and_is_one_line() -> None:
    for _name, text, _builds, _expected in CASES:
        for problem in cff.read(text, site_url=SITE)[1]:
            assert problem.message.startswith("citation: ")
            assert "\n" not in str(problem)
            assert "<unicode string>" not in str(problem)


def test_the_file_name_is_the_callers() -> None:
    _, problems = cff.read("title: 5\n", site_url=None, file="other/CITATION.cff")
    assert {p.file for p in problems} == {"other/CITATION.cff"}


def test_load_file_reports_a_missing_file(tmp_path: Path) -> None:
    work, problems = cff.load_file(tmp_path / "CITATION.cff", site_url=SITE)
    assert work is None
    assert [(p.file, p.line) for p in problems] == [("CITATION.cff", 1)]
    assert "cannot read" in problems[0].message


def test_the_real_citation_file_is_clean_and_unsigned() -> None:
    data = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    work, problems = cff.load_file(ROOT / "CITATION.cff", site_url=SITE)
    assert problems == []
    assert work == record.Work(
        title=data["title"],
        version=data["version"],
        released=dt.date.fromisoformat(data["date-released"]),
        url=SITE,
        language="en",
        rights=record.NO_LICENCE,
        authors=(),
        abstract=data["abstract"],
        keywords=tuple(data["keywords"]),
    )
    assert work.slug == "nato-russia-tensions"


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
def test_fixtures(fixture: str, authors: tuple[record.Author, ...], rights: str) -> None:
    work, problems = cff.load_file(DATA / fixture, site_url=SITE)
    assert problems == []
    assert work is not None
    assert (work.authors, work.rights) == (authors, rights)
    assert work.released == dt.date(2024, 3, 5)  # written unquoted in one fixture, quoted in the other
    assert work.url == SITE


def test_the_vendored_schema_is_the_recorded_file() -> None:
    source = json.loads((SCHEMAS / "cff-1.2.0.source.json").read_text("utf-8"))
    schema_bytes = (SCHEMAS / source["file"]).read_bytes()
    assert SCHEMAS / source["file"] == cff.SCHEMA_FILE
    assert hashlib.sha256(schema_bytes).hexdigest() == source["sha256"]
    assert (source["tag"], source["path"]) == ("1.2.0", "schema.json")
    schema = json.loads(schema_bytes)
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    jsonschema.validators.validator_for(schema).check_schema(schema)
