"""The diagrams in the built site: present, accessible, traceable to the essay, and a broken one fails the build."""

from __future__ import annotations

import re
import subprocess
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

import diagram_svg
import pytest
from bs4 import BeautifulSoup
from lxml import etree

from tests.drawings import DRAWING, diagram_sources
from tests.pages import built_path, soup
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

SECTION_PAGES = ["expansion.md", "military.md", "ukraine.md", "confrontation.md", "cyber.md", "eurasia.md"]
NODE = re.compile(r'^\s*\w+\["(?P<label>[^"]+)"\]\s*$')
EDGE_LABEL = re.compile(r'\|"(?P<label>[^"]+)"\|')
# Words a caption may use that name the site's own parts, not claims: the introduction page's title, "overview".
SITE_WORDS = {"introduction", "overview", "essay", "argument"}
CLICK = re.compile(r'^\s*click\s+(?P<node>\w+)\s+"(?P<target>[^"]+)"\s+"(?P<tooltip>[^"]+)"\s*$')


def _stem(word: str) -> str:
    """Crude, but enough to tell a word of the essay from a word it never uses."""
    word = word.lower().removesuffix("’s")
    return word.removesuffix("s") if len(word) > 3 else word


def _words(text: str) -> set[str]:
    return {_stem(w) for w in re.findall(r"[\w’-]+", text) if not w.isdigit()}


def _diagram_sources(page: str) -> list[str]:
    return diagram_sources(ROOT / "docs" / page)


def test_every_page_that_describes_a_path_has_a_diagram() -> None:
    pages = ["index.md", *SECTION_PAGES, "conclusion.md"]
    counts = {page: len(_diagram_sources(page)) for page in pages}
    assert all(counts.values()), counts
    assert sum(counts.values()) >= 7


@pytest.mark.parametrize("page", ["index.md", *SECTION_PAGES, "conclusion.md"])
def test_labels_and_tooltips_use_only_the_essays_words(page: str) -> None:
    essay = _words((ROOT / "source" / "essay.txt").read_text("utf-8")) | SITE_WORDS
    for source in _diagram_sources(page):
        lines = source.split("\n")
        labels = [m["label"] for line in lines if (m := NODE.match(line))]
        labels += [m["label"] for line in lines for m in EDGE_LABEL.finditer(line)]
        labels += [m["tooltip"] for line in lines if (m := CLICK.match(line))]
        labels += [line.split(":", 1)[1] for line in lines if line.strip().startswith("accTitle:")]
        assert len(labels) >= 4
        invented = {label: sorted(_words(label) - essay) for label in labels if _words(label) - essay}
        assert not invented, f"{page}: words that are not the essay's: {invented}"


@pytest.mark.parametrize("page", ["index.md", *SECTION_PAGES, "conclusion.md"])
def test_every_claim_node_links_to_the_section_that_makes_it(page: str) -> None:
    for source in _diagram_sources(page):
        lines = source.split("\n")
        nodes = {m[0].strip().split("[", 1)[0] for line in lines if (m := NODE.match(line))}
        clicks = {m["node"]: m["target"] for line in lines if (m := CLICK.match(line))}
        assert nodes <= set(clicks), f"{page}: nodes without a link: {nodes - set(clicks)}"
        if page != "index.md":
            assert set(clicks.values()) == {f"{page}#p1"}, page


def test_each_diagram_is_accessible_and_has_a_text_version(site_dir: Path, nav_pages: list[str]) -> None:
    seen = 0
    for page in nav_pages:
        doc = soup(site_dir, page)
        for svg in doc.select(f"article {DRAWING} > svg"):
            seen += 1
            assert svg.find("title").get_text().strip(), f"{page}: no accTitle"
            assert svg.find("desc").get_text().strip(), f"{page}: no accDescr"
            assert svg["aria-labelledby"] == svg.find("title")["id"], page
            box = svg.find_parent(class_="admonition")
            assert box is not None, f"{page}: the diagram is not set apart from the essay"
            assert "added by the site" in box.select_one(".admonition-title").get_text()
            text_version = box.select_one("details")
            assert text_version is not None, f"{page}: no text version next to the diagram"
            assert "Text version" in text_version.summary.get_text()
            assert len(text_version.select("ol > li")) >= 3, page
            # The essay's paragraph comes first; the figure follows it.
            assert doc.select_one("article p#p1") in box.find_all_previous("p"), page
    assert seen >= 7


def test_diagrams_are_inline_svg_and_no_page_loads_mermaid(site_dir: Path, nav_pages: list[str]) -> None:
    for path in sorted(site_dir.rglob("*.html")):
        doc = BeautifulSoup(path.read_text("utf-8"), "lxml")
        scripts = [tag["src"] for tag in doc.select("script[src]") if "mermaid" in tag["src"].lower()]
        assert scripts == [], f"{path.relative_to(site_dir)} loads {scripts}"
        assert not doc.select(".mermaid, [data-diagram]"), f"{path.relative_to(site_dir)}: a diagram left undrawn"
    for page in nav_pages:
        sources = diagram_sources(ROOT / "docs" / page)
        assert len(soup(site_dir, page).select(f"article {DRAWING} > svg")) == len(sources), page


def test_ids_in_drawings_are_unique_and_their_references_resolve(site_dir: Path, nav_pages: list[str]) -> None:
    for page in nav_pages:
        doc = soup(site_dir, page)
        ids = [el["id"] for el in doc.select("[id]")]
        assert len(ids) == len(set(ids)), f"{page}: repeated ids {sorted({i for i in ids if ids.count(i) > 1})}"
        for svg in doc.select(f"article {DRAWING} > svg"):
            assert diagram_svg.RENDER_ID not in str(svg), page
            named = [ref for attr in ("aria-labelledby", "aria-describedby") for ref in svg[attr].split()]
            markers = re.findall(r"url\(#([^)]+)\)", " ".join(str(p.get("marker-end", "")) for p in svg.select("path")))
            assert markers, f"{page}: no arrowheads"
            for ref in named + markers:
                assert doc.find(id=ref) is not None, f"{page}: #{ref} is named but missing"


def test_click_targets_are_built_urls_that_exist(site_dir: Path, nav_pages: list[str]) -> None:
    checked = 0
    for page in nav_pages:
        here = built_path(page)
        for link in soup(site_dir, page).select(f"article {DRAWING} svg a"):
            target = link.get("href")  # plain href (SVG 2): what crawlers and Lighthouse follow
            assert target, f"{page}: a link in the drawing has no href: {link.attrs}"
            assert ".md" not in target, f"{page}: unresolved click target {target}"
            parts = urlsplit(urljoin("http://site/" + here, target))
            path = parts.path.lstrip("/")
            path = path + "index.html" if path.endswith("/") or not path else path
            html = BeautifulSoup((site_dir / path).read_text("utf-8"), "lxml")
            assert html.find(id=parts.fragment), f"{page}: {target} has no #{parts.fragment}"
            checked += 1
    assert checked >= 40


def test_each_diagram_has_a_downloadable_svg_named_after_its_page(site_dir: Path, nav_pages: list[str]) -> None:
    for page in nav_pages:
        doc = soup(site_dir, page)
        links = doc.select("article a.diagram-download")
        assert len(links) == len(doc.select(f"article {DRAWING} > svg")), page
        for link, name in zip(links, diagram_svg.svg_names(page, len(links)), strict=True):
            assert urljoin(built_path(page), link["href"]) == name
            assert link["download"] == name.rsplit("/", 1)[1]
            svg = etree.fromstring((site_dir / name).read_bytes())
            assert svg.tag == "{http://www.w3.org/2000/svg}svg"
            assert svg.findtext("{http://www.w3.org/2000/svg}title"), name
            hrefs = [a.get("{http://www.w3.org/1999/xlink}href") for a in svg.iter("{http://www.w3.org/2000/svg}a")]
            assert hrefs, name
            assert all(h.startswith("https://") and ".md" not in h for h in hrefs), hrefs


@pytest.mark.parametrize("variant", ["hosted", "offline"])
def test_downloaded_diagrams_link_to_the_hosted_pages(
    request: pytest.FixtureRequest, nav_pages: list[str], variant: str
) -> None:
    """A downloaded SVG's links are the canonical URLs of the hosted site, whichever build wrote it."""
    site = request.getfixturevalue("site_dir" if variant == "hosted" else "offline_dir")
    hosted = request.getfixturevalue("site_dir")
    canonical = {src: soup(hosted, src).select_one("link[rel=canonical]")["href"] for src in nav_pages}
    checked = 0
    for name in sorted((site / diagram_svg.SVG_DIR).glob("*.svg")):
        svg = etree.fromstring(name.read_bytes())
        for a in svg.iter(f"{{{diagram_svg.SVG_NS}}}a"):
            url, _, anchor = a.get(diagram_svg.XLINK_HREF).partition("#")
            assert url in canonical.values(), f"{variant} {name.name}: {url} is not a hosted page's address"
            src = next(s for s, u in canonical.items() if u == url)
            assert soup(hosted, src).find(id=anchor), f"{name.name}: {url} has no #{anchor}"
            checked += 1
    assert checked >= 40


def _break(page: Path, bad_line: str, *, front_matter: str = "") -> int:
    """Add a diagram whose last line is `bad_line` to `page`; return that line's number in the file."""
    text = front_matter + page.read_text("utf-8")
    text += f'\n```mermaid\nflowchart TD\n  %% a comment Mermaid drops\n  a["x"] --> b\n{bad_line}\n```\n'
    page.write_text(text, "utf-8")
    return text.split("\n").index(bad_line) + 1


def test_broken_diagrams_fail_the_build_with_file_and_line(tmp_path: Path, site_dir: Path) -> None:
    project = copy_project(tmp_path / "project")
    ukraine = _break(project / "docs" / "ukraine.md", "  b -->> c", front_matter="---\ntitle: x\n---\n")
    cyber = _break(project / "docs" / "cyber.md", "  c --> d((")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    expected = [
        f"WARNING -  docs/ukraine.md:{ukraine}: diagram error: Parse error: Expecting 'AMP', 'COLON', 'PIPE', "
        "'TESTSTR', 'DOWN', …, got 'TAGEND' — line reads `b -->> c`: see Mermaid's syntax for this diagram type",
        f"WARNING -  docs/cyber.md:{cyber}: diagram error: Parse error: Expecting ",
    ]
    warnings = [line for line in result.stderr.splitlines() if "diagram error" in line]
    assert len(warnings) == 2, result.stderr
    assert expected[0] in warnings, warnings
    assert any(line.startswith(expected[1]) and "`c --> d((`: a bracket" in line for line in warnings), warnings


# Mistakes an author can make with a diagram, each in its own copy: what the build must say, at which line.
# `{line}` is the line of the marker `<<` in the page as written.
AUTHOR_MISTAKES = [
    pytest.param(
        "\n```mermaid\n```\n  <<",
        "docs/cyber.md:{line}: empty diagram — add one or remove the fence",
        id="empty-fence",
    ),
    pytest.param(
        "\n``` { .mermaid }\nflowchart TD\n  accTitle: T\n  accDescr: D\n  a --> b((  <<\n```\n",
        "docs/cyber.md:{line}: diagram error: Parse error:",
        id="attribute-syntax-fence-is-checked-too",
    ),
    pytest.param(
        '\n```mermaid\nflowchart TD\n  accTitle: T\n  accDescr: D\n  a["<script>x</script> y"] --> b  <<\n```\n',
        "docs/cyber.md:{line}: diagram label lost markup: '<script>' — labels are plain text",
        id="markup-in-a-label",
    ),
]


@pytest.mark.parametrize(("appended", "expected"), AUTHOR_MISTAKES)
def test_each_diagram_mistake_is_one_line_at_its_place(
    tmp_path: Path, site_dir: Path, appended: str, expected: str
) -> None:
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "cyber.md"
    text = page.read_text("utf-8") + appended
    line = next(i for i, t in enumerate(text.split("\n"), 1) if t.endswith("<<"))
    if appended.startswith("\n```mermaid\n```"):
        line -= 2  # the empty fence is reported at its opening line
    page.write_text(text.replace("  <<", ""), "utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    wanted = expected.format(line=line)
    assert any(entry.removeprefix("WARNING -  ").startswith(wanted) for entry in result.stderr.splitlines()), (
        result.stderr
    )


def test_a_fence_in_attribute_syntax_is_drawn(tmp_path: Path, site_dir: Path) -> None:
    """pymdownx.superfences renders ``` { .mermaid } as Mermaid; so must the build, not leave it empty."""
    project = copy_project(tmp_path / "project")
    page = project / "docs" / "cyber.md"
    diagram = 'flowchart TD\n  accTitle: Two\n  accDescr: Two steps\n  a["Increased hostilities"] --> b'
    page.write_text(page.read_text("utf-8") + f"\n``` {{ .mermaid }}\n{diagram}\n```\n", "utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode == 0, result.stderr
    doc = soup(tmp_path / "site", "cyber.md")
    assert len(doc.select(f"article {DRAWING} > svg")) == 2
    assert not doc.select("[data-diagram]")


def test_warm_build_renders_nothing_and_a_changed_diagram_renders_alone(tmp_path: Path, site_dir: Path) -> None:
    project = copy_project(tmp_path / "project")
    assert (project / ".cache" / "diagrams").is_dir()  # site_dir's build filled the real cache
    warm = build(tmp_path / "site", project=project)
    assert warm.returncode == 0, warm.stderr
    assert re.search(r"diagrams: (\d+) checked, 0 rendered, \1 from cache", warm.stderr), warm.stderr
    page = project / "docs" / "cyber.md"
    page.write_text(page.read_text("utf-8").replace('["Increased hostilities"]', '["Increased  hostilities"]'))
    changed = build(tmp_path / "site", project=project)
    assert changed.returncode == 0, changed.stderr
    assert re.search(r"diagrams: \d+ checked, 1 rendered,", changed.stderr), changed.stderr


def test_the_cache_is_ignored_by_git(site_dir: Path) -> None:
    entries = sorted((ROOT / ".cache" / "diagrams").glob("*.json"))
    assert entries, "the build keeps its drawings under .cache/diagrams"
    ignored = subprocess.run(
        ["git", "check-ignore", "--quiet", str(entries[0])], cwd=ROOT, capture_output=True, check=False
    )
    assert ignored.returncode == 0, f"{entries[0]} is not git-ignored"
