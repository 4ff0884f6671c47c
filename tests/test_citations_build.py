"""Built sites: the cite box, the exports and the <head> metadata agree, from one CITATION.cff.

Three sites: the real one, a copy with an unsigned fixture and a copy with authors built the offline way
(OFFLINE=true: flat .html pages), where every citable address must still be the hosted directory URL.
"""

from __future__ import annotations

import json
import re
import shutil
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from urllib.request import urlopen

import bibtexparser
import cff
import citation_record as record
import citation_styles as styles
import jsonschema
import pytest
import rispy
from bs4 import BeautifulSoup

from tests.pages import built_path
from tests.sitebuild import ROOT, build, copy_project
from tests.textpos import line_of

if TYPE_CHECKING:
    from pathlib import Path

DATA = ROOT / "tests" / "data"
SCHEMA = json.loads((DATA / "csl-data.schema.json").read_text("utf-8"))
ABOUT_PAGES = ["how-to-cite.md", "changelog.md"]


@pytest.fixture(autouse=True)
def _citeproc_fixed() -> None:
    """The expected citations are rendered here as hooks/citations.py renders them: with the fixes applied."""
    styles.apply_fixes()


@dataclass(frozen=True)
class Site:
    root: Path
    work: record.Work
    directory_urls: bool


def _fixture_project(tmp: Path, cff_name: str) -> Path:
    project = copy_project(tmp / "project")
    shutil.copy2(DATA / cff_name, project / "CITATION.cff")
    work = _work(DATA / cff_name)
    log = project / "docs" / "changelog.md"
    text = log.read_text("utf-8")
    entry = f"## {work.version} ({work.released.isoformat()})\n\nFixture release.\n\n"
    log.write_text(text.replace("## ", entry + "## ", 1), encoding="utf-8")
    return project


def _work(path: Path) -> record.Work:
    work, problems = cff.load_file(path, site_url=None)
    assert work is not None, problems
    return work


@pytest.fixture(scope="module", params=["real", "unsigned", "authors-offline"])
def site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Site:
    if request.param == "real":
        return Site(request.getfixturevalue("site_dir"), _work(ROOT / "CITATION.cff"), True)
    tmp = tmp_path_factory.mktemp(request.param)
    offline = request.param.endswith("offline")
    cff = "citation-authors.cff" if request.param.startswith("authors") else "citation-unsigned.cff"
    project = _fixture_project(tmp, cff)
    result = build(tmp / "site", project=project, env={"OFFLINE": "true"} if offline else None)
    assert result.returncode == 0, result.stderr
    return Site(tmp / "site", _work(project / "CITATION.cff"), not offline)


def _page(site: Site, src: str) -> tuple[Path, BeautifulSoup]:
    path = site.root / built_path(src, directory_urls=site.directory_urls)
    return path, BeautifulSoup(path.read_text("utf-8"), "lxml")


def _hosted(site: Site, src: str) -> str:
    return site.work.url + built_path(src).removesuffix("index.html")


def _edition(site: Site, src: str = "index.md") -> str:
    """The page in this release's frozen edition: the address every citation gives."""
    return f"{site.work.url}v/{site.work.version}/" + built_path(src).removesuffix("index.html")


def _meta(doc: BeautifulSoup, key: str) -> list[str]:
    tags = doc.head.find_all("meta", attrs={"name": key}) + doc.head.find_all("meta", attrs={"property": key})
    return [tag["content"] for tag in tags]


def _title(doc: BeautifulSoup) -> str:
    return doc.select_one("article h1").get_text().removesuffix("¶").strip()


def _exports(page_path: Path, doc: BeautifulSoup, scope: str) -> dict[str, str]:
    """The downloads the box offers for `scope`, read through the links as a reader would follow them (a file
    beside the page, or a `data:` URL that carries the file itself)."""
    found = {}
    for link in doc.select(".cite-box__downloads a"):
        if link.get_text().endswith(scope):
            with urlopen(urljoin(page_path.as_uri(), link["href"])) as response:
                found[link.get_text().split(" for ")[0]] = response.read().decode("utf-8")
    assert sorted(found) == ["BibTeX", "CSL-JSON", "RIS"], found
    return found


def _check_exports(files: dict[str, str], *, title: str, url: str, work: record.Work, website: str) -> None:
    date = work.released

    bib = bibtexparser.parse_string(files["BibTeX"])
    assert not bib.failed_blocks
    (entry,) = bib.entries
    assert entry.entry_type == "online"
    assert entry["title"].replace("{", "").replace("}", "") == title
    assert (entry["url"], entry["date"], entry["version"]) == (url, date.isoformat(), work.version)
    assert entry.fields_dict.get("organization", None) is None or entry["organization"] == website
    expected_authors = " and ".join(("{" + a.entity + "}") if a.entity else a.inverted for a in work.authors)
    assert (entry["author"] if "author" in entry.fields_dict else "") == expected_authors

    (ris,) = rispy.loads(files["RIS"])
    assert (ris["type_of_reference"], ris["title"], ris["urls"]) == ("ELEC", title, [url])
    assert (ris["date"], ris["edition"]) == (f"{date:%Y/%m/%d}/", work.version)
    assert ris.get("authors", []) == [a.inverted for a in work.authors]

    csl = json.loads(files["CSL-JSON"])
    jsonschema.validate(csl, SCHEMA)
    (item,) = csl
    assert (item["title"], item["URL"], item["version"]) == (title, url, work.version)
    assert item["issued"] == {"date-parts": [[date.year, date.month, date.day]]}
    assert len(item.get("author", [])) == len(work.authors)


@pytest.mark.parametrize("src", ["index.md", "expansion.md", "ukraine.md", "conclusion.md"])
def test_box_exports_and_head_agree(site: Site, src: str) -> None:
    path, doc = _page(site, src)
    work, url, title = site.work, _hosted(site, src), _title(doc)
    website, date, cited = work.title, work.released.isoformat(), _edition(site, src)

    # <head>: canonical address, Dublin Core, Open Graph, JSON-LD, language.
    assert doc.head.find("link", rel="canonical")["href"] == url
    assert _meta(doc, "DC.title") == _meta(doc, "og:title") == [title]
    assert _meta(doc, "DC.date") == _meta(doc, "article:published_time") == [date]
    assert _meta(doc, "DC.source") == _meta(doc, "og:site_name") == [website]
    assert _meta(doc, "og:url") == [url]
    assert _meta(doc, "og:type") == ["article"]
    assert _meta(doc, "DC.creator") == [a.inverted for a in work.authors]
    assert _meta(doc, "DC.language") == [doc.html["lang"]] == [work.language]
    assert _meta(doc, "DC.rights") == [work.rights]
    assert not doc.head.find_all("meta", attrs={"name": re.compile("^citation_")})
    ld = json.loads(doc.head.find("script", type="application/ld+json").string)
    assert (ld["headline"], ld["url"], ld["datePublished"], ld["version"]) == (title, url, date, work.version)
    assert ld["archivedAt"] == _meta(doc, "DC.identifier")[0] == cited
    assert ld["isPartOf"]["url"] == work.url
    assert len(ld.get("author", [])) == len(work.authors)

    # The visible box.
    box = doc.select_one("details.cite-box")
    assert box.select_one("#cite-url").get_text() == cited
    assert box.select_one("#cite-current-url").get_text() == url
    assert "Cite the URL of this edition" in box.select_one("#cite-which-url").get_text()
    assert box.select_one("#cite-version").get_text() == work.version
    assert box.select_one("#cite-released")["datetime"] == date
    assert box.select_one("label[for=cite-accessed]")
    assert box.select_one("input#cite-accessed")
    copies = {b["aria-label"]: b.get("data-clipboard-text", "") for b in box.select("button")}
    for style in styles.STYLES:
        text = copies[f"Copy the {style.label} citation"]
        assert title in text
        assert cited in text
        assert str(work.released.year) in text
        assert box.select_one(f"#cite-{style.slug}").get_text() == text
    if work.authors:
        assert copies["Copy the APA 7 citation"].startswith("Doe, J. Q., & Example Institute.")
        assert copies["Copy the MLA 9 citation"].startswith("Doe, Jane Q., and Example Institute.")
    else:
        assert copies["Copy the APA 7 citation"].startswith(f"{title}. ({work.released.year}")
        assert copies["Copy the Chicago (author-date) citation"].startswith(f"{website}. {work.released.year}.")

    _check_exports(_exports(path, doc, "this page"), title=title, url=cited, work=work, website=website)
    whole = _exports(path, doc, "the whole essay")
    _check_exports(whole, title=website, url=_edition(site), work=work, website=website)
    assert "file://" not in path.read_text("utf-8")


def test_every_paragraph_has_a_pinpoint(site: Site, nav_pages: list[str]) -> None:
    count = 0
    for src in nav_pages:
        _, doc = _page(site, src)
        for paragraph in doc.select("article p[id]"):
            if not re.fullmatch(r"p\d+", paragraph["id"]):
                continue
            link = paragraph.select_one("a.pinpoint")
            assert link is not None, f"{src}#{paragraph['id']}"
            assert link["href"] == f"#{paragraph['id']}"
            assert link["data-clipboard-text"] == f"{_edition(site, src)}#{paragraph['id']}"
            assert link["aria-label"] == f"Link to paragraph {paragraph['id'][1:]}"
            assert link.get_text() == ""
            count += 1
    assert count >= len(nav_pages)


# Each style's pinpoint, as its CSL style prints a locator with the label "paragraph".
PINPOINTS = {"apa": ", para. {n})", "mla": " par. {n})", "chicago": ", para. {n})"}


def test_each_paragraph_is_citable_with_its_pinpoint(site: Site, nav_pages: list[str]) -> None:
    """The data of Cite this passage (and of the cite box's pinpoint): every ¶ paragraph, its citable URL (in
    this release's frozen edition) and its in-text citations with "para. N", beside the page-level in-text
    citation the cite box shows."""
    count = 0
    for src in nav_pages:
        _, doc = _page(site, src)
        holder = doc.select_one("script#cite-passages")
        assert holder is not None, src
        assert holder["type"] == "application/json"
        data = json.loads(holder.string)
        url = _edition(site, src)
        assert data["url"] == url
        assert [s["slug"] for s in data["styles"]] == [s.slug for s in styles.STYLES]
        for style in data["styles"]:
            assert style["reference"]["text"] == doc.select_one(f"#cite-{style['slug']}").get_text(), src
            page_level = doc.select_one(f"#cite-{style['slug']}-in-text").get_text()
            assert page_level.startswith("("), (src, page_level)
            assert "par" not in page_level, (src, page_level)
        assert list(data["paragraphs"]) == [a.parent["id"] for a in doc.select("article p[id] > a.pinpoint")]
        for anchor, paragraph in data["paragraphs"].items():
            number = int(anchor.removeprefix("p"))
            assert paragraph["number"] == number
            assert paragraph["url"] == f"{url}#{anchor}"
            for slug, pinpoint in PINPOINTS.items():
                text = paragraph["cite"][slug]["text"]
                assert text.endswith(pinpoint.format(n=number)), (src, slug, text)
                if site.work.authors:
                    assert text.startswith(f"({site.work.authors[0].family}"), (src, slug, text)
            count += 1
        # The script writes these into the page, whose CSP allows no style attribute.
        assert "style=" not in holder.string
    assert count >= len(nav_pages)


def test_about_pages_are_built_without_a_cite_box(site: Site) -> None:
    for src in ABOUT_PAGES:
        _path, doc = _page(site, src)
        assert doc.select_one(".cite-box") is None, src
        assert not _meta(doc, "DC.title"), src
        assert doc.head.find("link", rel="canonical")["href"] == _hosted(site, src)
    _, nav = _page(site, "index.md")
    assert [a.get_text(strip=True) for a in nav.select("nav.md-nav--primary a.md-nav__link")][-2:] == [
        "How to cite",
        "Change log",
    ]


def test_how_to_cite_examples_come_from_the_record(site: Site) -> None:
    _, doc = _page(site, "how-to-cite.md")
    examples = [li.get_text() for li in doc.select("li.cite-example")]
    essay = styles.render_all(record.csl(record.essay(site.work, url=_edition(site))))
    assert examples[: len(essay)] == [f"{r.style.label}: {BeautifulSoup(r.html, 'lxml').get_text()}" for r in essay]
    _, expansion = _page(site, "expansion.md")
    assert examples[len(essay) :] == [f"{r.style.label}: {r.text}" for r in _box_citations(expansion)]
    assert "citation-examples" not in str(doc)


def _box_citations(doc: BeautifulSoup) -> list[styles.Rendered]:
    return [styles.Rendered(style, "", doc.select_one(f"#cite-{style.slug}").get_text()) for style in styles.STYLES]


def test_site_url_must_equal_the_citation_url(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    cff = project / "CITATION.cff"
    cff.write_text(cff.read_text("utf-8").replace("example.org", "example.net"), encoding="utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert "differs from site_url 'https://nato-russia-tensions.example.org/' in mkdocs.yml" in result.stderr


@pytest.mark.parametrize(
    ("old", "new", "needle", "message"),
    [
        # Read, with a warning that --strict turns into a failed build.
        ('version: "1.0.0"', "version: 1.10", "\nversion:", 'citation: version must be a quoted string ("1.10")'),
        # Not readable at all: the build stops at once, with the same line.
        ("  - NATO", "\t- NATO", "\t- NATO", "citation: a tab, which YAML does not accept here — indent with spaces"),
    ],
)
def test_a_citation_problem_fails_the_build_at_its_line(
    tmp_path: Path, old: str, new: str, needle: str, message: str
) -> None:
    project = copy_project(tmp_path / "project")
    path = project / "CITATION.cff"
    text = path.read_text("utf-8").replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert f"CITATION.cff:{line_of(text, needle)}" in result.stderr
    assert message in result.stderr


def test_a_release_without_a_changelog_entry_fails(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    shutil.copy2(DATA / "citation-unsigned.cff", project / "CITATION.cff")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    assert "docs/changelog.md:12: changelog: newest entry '## 1.0.0 (2026-11-27)' is not this release" in (
        result.stderr
    )


def test_highwire_switch_adds_citation_tags(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text("utf-8").replace("highwire: false", "highwire: true"), encoding="utf-8")
    assert build(tmp_path / "site", project=project).returncode == 0
    doc = BeautifulSoup((tmp_path / "site" / "ukraine" / "index.html").read_text("utf-8"), "lxml")
    assert _meta(doc, "citation_title") == [_title(doc)]
    assert _meta(doc, "citation_public_url") == ["https://nato-russia-tensions.example.org/ukraine/"]


def _box_keys(project: Path) -> set[str]:
    kept = json.loads((project / ".cache" / "citations.json").read_text("utf-8"))
    return {key for key in kept if key.startswith("box ")}


def test_a_kept_cite_box_prints_as_a_new_one_and_new_code_makes_it_anew(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    (project / ".cache" / "citations.json").unlink(missing_ok=True)
    env = {"SOURCE_DATE_EPOCH": "1700000000"}
    outputs = []
    for name in ("cold", "warm"):
        result = build(tmp_path / name, project=project, env=env)
        assert result.returncode == 0, result.stderr
        outputs.append(tmp_path / name)
    boxes = _box_keys(project)
    cited = [p for p in (project / "docs").glob("*.md") if p.name not in ABOUT_PAGES]
    assert len(boxes) == len(cited)  # one box kept per cited page: the warm build read them all
    cold, warm = ({p.relative_to(out): p.read_bytes() for p in out.rglob("*.html")} for out in outputs)
    assert cold.keys() == warm.keys()
    assert [name for name in cold if cold[name] != warm[name]] == []
    # The record's code changes: no box made by the old code is read back.
    code = project / "hooks" / "citation_record.py"
    code.write_text(code.read_text("utf-8") + "\n# changed\n", "utf-8")
    assert build(tmp_path / "changed", project=project, env=env).returncode == 0
    assert _box_keys(project).isdisjoint(boxes)
