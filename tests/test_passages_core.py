"""Cite this passage, its pure parts: the text-fragment builder of docs/assets/cite-passage.js (run in node,
which `make test` has for tests/tools) and the pinpointed citations rendered at build time.

Fragments follow URL Fragment Text Directives (WICG): `#id:~:text=[prefix-,]textStart[,textEnd][,-suffix]`,
each term percent-encoded, with "-", "&" and "," always encoded (they are the directive's syntax), and the
terms made of whole words; the quote alone when the page has it once, with words around it when not.
"""

from __future__ import annotations

import json
import shutil
import subprocess

import citation_passages as passages
import citation_styles as styles
import pytest

from tests.sitebuild import ROOT

SCRIPT = ROOT / "docs" / "assets" / "cite-passage.js"
# Runs each case (a function name and its arguments) through the script's exports, in one node process.
RUNNER = """
const core = require(process.argv[1]);
const cases = JSON.parse(require("fs").readFileSync(0, "utf-8"));
process.stdout.write(JSON.stringify(cases.map(([name, args]) => core[name](...args))));
"""


def run(cases: list[tuple[str, list[object]]]) -> list[object]:
    if shutil.which("node") is None:
        pytest.fail("node is missing: run `make test` (tests/tools needs it too)")
    result = subprocess.run(
        ["node", "-e", RUNNER, str(SCRIPT)], input=json.dumps(cases), capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def fragment(text: str, quote: str, page: str | None = None, *, nth: int = 0) -> dict[str, object]:
    """The builder's answer for the `nth` occurrence of `quote` in the paragraph `text`."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(quote, start + 1)
    (answer,) = run([("textFragment", ["p1", text, start, start + len(quote), text if page is None else page])])
    return answer  # type: ignore[return-value]


TWICE = "The alliance grew. The alliance grew again."
LONG = " ".join(f"word{n}" for n in range(1, 81))  # 80 distinct words, over 300 characters

FRAGMENTS = [
    pytest.param(
        "Russia’s anxiety intensified with NATO’s outreach.",
        "anxiety intensified",
        None,
        0,
        "p1:~:text=anxiety%20intensified",
        id="a unique quote alone",
    ),
    pytest.param(
        "Russia’s anxiety intensified with NATO’s outreach.",
        "xiety intensi",
        None,
        0,
        "p1:~:text=anxiety%20intensified",
        id="a selection inside words widens to whole words",
    ),
    pytest.param(
        "Russia’s anxiety intensified.",
        "Russia",
        None,
        0,
        "p1:~:text=Russia%E2%80%99s",
        id="an apostrophe belongs to its word",
    ),
    pytest.param(
        "Forces: NATO-aligned, drills & exercises (2014)!",
        "NATO-aligned, drills & exercises (2014)!",
        None,
        0,
        "p1:~:text=NATO%2Daligned%2C%20drills%20%26%20exercises%20%282014%29%21",
        id="-, &, comma and the other reserved characters encoded",
    ),
    pytest.param(
        TWICE,
        "The alliance grew",
        None,
        1,
        "p1:~:text=grew.-,The%20alliance%20grew",
        id="a repeated quote gets the fewest words that tell it apart",
    ),
    pytest.param(
        TWICE,
        "The alliance grew",
        None,
        0,
        "p1:~:text=The%20alliance%20grew,-.",
        id="at the paragraph's start only what follows can tell it apart",
    ),
    pytest.param(
        "x a b y. z a b y. x a b w. k a b y. z",
        "a b",
        None,
        0,
        "p1:~:text=x-,a%20b,-y.",
        id="a word on each side when neither side alone tells it apart",
    ),
    pytest.param(
        "Aid came.",
        "Aid came",
        "Menu: aid came late. Aid came.",
        0,
        "p1:~:text=Aid%20came,-.",
        id="the same words elsewhere on the page count too",
    ),
    pytest.param(
        LONG,
        LONG,
        None,
        0,
        "p1:~:text=word1%20word2%20word3%20word4,word77%20word78%20word79%20word80",
        id="a long quote linked by its first and last words",
    ),
    pytest.param("Some words.", " ", None, 0, "p1", id="nothing selected: the paragraph"),
]


@pytest.mark.parametrize(("text", "quote", "page", "nth", "expected"), FRAGMENTS)
def test_text_fragment(text: str, quote: str, page: str | None, nth: int, expected: str) -> None:
    answer = fragment(text, quote, page, nth=nth)
    assert answer["fragment"] == expected
    assert answer["unique"] is (expected != "p1")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("NATO-aligned", "NATO%2Daligned"),
        ("a, b & c", "a%2C%20b%20%26%20c"),
        ("(it's)!*", "%28it%27s%29%21%2A"),
        ("#p1:~:x=y", "%23p1%3A~%3Ax%3Dy"),
        ("Russia’s", "Russia%E2%80%99s"),
    ],
)
def test_encode_term(text: str, expected: str) -> None:
    assert run([("encodeTerm", [text])]) == [expected]


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("one two three", 5, 6, [4, 7]),
        ("one two three", 3, 8, [4, 7]),
        ("one two three", 0, 13, [0, 13]),
        ("NATO’s outreach", 2, 3, [0, 6]),
        ("NATO-aligned", 0, 2, [0, 4]),
    ],
)
def test_snap_to_whole_words(text: str, start: int, end: int, expected: list[int]) -> None:
    assert run([("snap", [text, start, end])]) == [expected]


@pytest.mark.parametrize(
    ("hay", "needle", "expected"),
    [
        ("Aid came. AID   came!", "aid came", 2),
        ("said came", "aid came", 0),
        ("Russia’s aid", "Russia", 0),
        ("", "x", 0),
    ],
)
def test_count_matches_whole_words_any_case(hay: str, needle: str, expected: int) -> None:
    assert run([("countMatches", [hay, needle])]) == [expected]


# The pinpointed in-text citations, from each style's rules for a web page with no author (the title, or for
# Chicago the website, stands in the author's place) and for an author: APA 7 (8.28) "para. 3"; MLA 9 "par.
# 3", after a comma that US typesetting moves inside the closing quotation mark; Chicago 18 "para. 3".
ITEM = {
    "id": "fixture",
    "type": "webpage",
    "title": "The Example Section",
    "container-title": "An Example Essay",
    "URL": "https://example.org/essay/section/",
    "issued": {"date-parts": [[2024, 3, 5]]},
    "version": "2.1",
    "language": "en",
}
SIGNED = {**ITEM, "author": [{"family": "Doe", "given": "Jane Q."}]}

IN_TEXT = [
    pytest.param(ITEM, 3, "apa", "(The Example Section, 2024, para. 3)", id="APA, unsigned"),
    pytest.param(ITEM, 3, "mla", "(“The Example Section,” par. 3)", id="MLA, unsigned"),
    pytest.param(ITEM, 3, "chicago", "(An Example Essay 2024, para. 3)", id="Chicago, unsigned"),
    pytest.param(SIGNED, 12, "apa", "(Doe, 2024, para. 12)", id="APA, an author"),
    pytest.param(SIGNED, 12, "chicago", "(Doe 2024, para. 12)", id="Chicago, an author"),
    pytest.param(ITEM, None, "apa", "(The Example Section, 2024)", id="APA, the whole page"),
    pytest.param(ITEM, None, "chicago", "(An Example Essay 2024)", id="Chicago, the whole page"),
]


@pytest.fixture(autouse=True)
def _citeproc_fixed() -> None:
    styles.apply_fixes()


@pytest.mark.parametrize(("item", "paragraph", "slug", "expected"), IN_TEXT)
def test_in_text_citation(item: dict[str, object], paragraph: int | None, slug: str, expected: str) -> None:
    (style,) = [s for s in styles.STYLES if s.slug == slug]
    assert styles.cite(item, style, paragraph).text == expected


def test_in_text_citations_are_cached_by_paragraph() -> None:
    cache: dict[str, str] = {}
    first = styles.cite_all(ITEM, 1, cache)
    assert len(cache) == len(styles.STYLES)
    styles.cite_all(ITEM, 2, cache)
    assert len(cache) == 2 * len(styles.STYLES)
    assert styles.cite_all(ITEM, 1, cache) == first
    assert len(cache) == 2 * len(styles.STYLES)


def test_passage_data_pinpoints_each_paragraph() -> None:
    url = ITEM["URL"]
    data = passages.passage_data(ITEM, str(url), ["p1", "p12"])
    assert data["url"] == url
    assert [s["slug"] for s in data["styles"]] == [s.slug for s in styles.STYLES]
    assert [s["reference"]["text"] for s in data["styles"]] == [r.text for r in styles.render_all(ITEM)]
    assert list(data["paragraphs"]) == ["p1", "p12"]
    p12 = data["paragraphs"]["p12"]
    assert p12["number"] == 12
    assert p12["url"] == f"{url}#p12"
    assert p12["cite"]["apa"]["text"] == "(The Example Section, 2024, para. 12)"
    assert p12["cite"]["apa"]["html"] == "(<i>The Example Section</i>, 2024, para. 12)"


@pytest.mark.parametrize("anchor", ["intro", "p", "p1a", "P1"])
def test_only_paragraph_pinpoints_have_a_number(anchor: str) -> None:
    with pytest.raises(ValueError, match="not a paragraph pinpoint"):
        passages.paragraph_number(anchor)


def test_script_text_cannot_end_its_script_early() -> None:
    text = passages.script_text({"title": "a </script><script>alert(1)</script>"})
    assert "</" not in text
    assert json.loads(text) == {"title": "a </script><script>alert(1)</script>"}


def test_pinpoints_tell_which_paragraphs_they_link() -> None:
    """The paragraphs that get a ¶ link are the ones the page's citations are pinpointed to, in page order."""
    import markdown
    from citation_pinpoints import Pinpoints

    source = "One.\n{ #p1 }\n\nNot one.\n{ #intro }\n\nTwelve.\n{ #p12 }\n\nThree.\n{ #p3 }\n"
    found: list[str] = []
    markdown.markdown(source, extensions=["attr_list", Pinpoints(lambda: "https://example.org/s/", found.append)])
    assert found == ["p1", "p12", "p3"]
    found.clear()
    markdown.markdown(source, extensions=["attr_list", Pinpoints(lambda: None, found.append)])
    assert found == []  # a page that is not cited
