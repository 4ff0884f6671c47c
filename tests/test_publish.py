"""make publish, end to end, in a temporary git repository made from the project.

Edition 1.0.0 is published; one sentence of section 3 (docs/ukraine.md and source/essay.txt) is reworded, the
release raised to 1.1.0 in CITATION.cff and the change log, and published again. Everything below is read from
the gh-pages branch that those two runs wrote, as a host would serve it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urljoin
from urllib.request import urlopen

import bibtexparser
import pytest
import rispy
from bs4 import BeautifulSoup

from tests.fidelity import page_text
from tests.localserver import serve_directory
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

    from playwright.sync_api import BrowserContext, Locator, Page

SITE = "https://nato-russia-tensions.example.org/"
OLD = "For Russia, NATO’s involvement in Ukraine is a red line, as it could lead to"
NEW = "For Russia, NATO’s involvement in Ukraine is a bright red line, as it could lead to"
# "bright" is in no other sentence of the essay: searching for it finds the reworded one only.
NEW_WORD = "bright"
IDENTITY = {
    "GIT_AUTHOR_NAME": "Publisher",
    "GIT_AUTHOR_EMAIL": "publisher@example.org",
    "GIT_COMMITTER_NAME": "Publisher",
    "GIT_COMMITTER_EMAIL": "publisher@example.org",
}


@dataclass
class Published:
    repo: Path
    tree: Path  # the gh-pages branch, checked out as a host serves it
    first: dict[str, str]  # v/1.0.0/ as the first publish wrote it: path -> sha256
    first_tree: str  # its git tree id
    again: subprocess.CompletedProcess[str]  # publishing 1.1.0 a second time, unchanged
    refused: subprocess.CompletedProcess[str]  # publishing 1.0.0 again with different content
    tips: tuple[str, str]  # gh-pages before and after that refused run


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **IDENTITY}
    return subprocess.run(["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True).stdout.strip()


def publish(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **IDENTITY}
    env.pop("SOURCE_DATE_EPOCH", None)
    cmd = [sys.executable, str(repo / "scripts" / "publish.py"), *args]
    return subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True, check=False)


def make_repo(dest: Path) -> Path:
    """A git repository of the project, as a maintainer's clone holds it, with one commit."""
    repo = copy_project(dest)
    shutil.copytree(ROOT / "scripts", repo / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy2(ROOT / ".gitignore", repo / ".gitignore")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "The project")
    return repo


def release(repo: Path, version: str, date: str, replace: tuple[str, str], note: str) -> None:
    """Reword one sentence (page and source text), raise the release in CITATION.cff and the change log, commit."""
    for name in ("docs/ukraine.md", "source/essay.txt"):
        path = repo / name
        text = path.read_text("utf-8")
        assert replace[0] in text
        path.write_text(text.replace(*replace), encoding="utf-8")
    cff = repo / "CITATION.cff"
    text = cff.read_text("utf-8")
    for key in ("version", "date-released"):
        line = next(line for line in text.splitlines() if line.startswith(f"{key}:"))
        text = text.replace(line, f'{key}: "{version if key == "version" else date}"')
    cff.write_text(text, encoding="utf-8")
    log = repo / "docs" / "changelog.md"
    text = log.read_text("utf-8")
    first = text.index("\n## ")
    entry = f"\n## {version} ({date}) {{ #v{version.replace('.', '-')} }}\n\n{note}\n"
    log.write_text(text[:first] + entry + text[first:], encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", f"Release {version}")


def checkout(repo: Path, ref: str, dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(["git", "archive", ref], cwd=repo, capture_output=True, check=True).stdout
    subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
    return dest


def digests(folder: Path) -> dict[str, str]:
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Published:
    base = tmp_path_factory.mktemp("publish")
    repo = make_repo(base / "repo")
    first = publish(repo)
    assert first.returncode == 0, first.stderr
    first_files = digests(checkout(repo, "gh-pages:v/1.0.0", base / "first"))
    first_tree = git(repo, "rev-parse", "gh-pages:v/1.0.0")
    release(
        repo, "1.1.0", "2026-12-01", ("is a red line", "is a bright red line"), "One sentence of section 3 reworded."
    )
    second = publish(repo, "--tag", "v1.1.0")
    assert second.returncode == 0, second.stderr
    again = publish(repo)
    # 1.0.0 again, with other words than those published: the version, date and log of 1.0.0, one sentence changed.
    head = git(repo, "rev-parse", "HEAD")
    git(repo, "checkout", "-q", f"{head}~1", "--", ".")
    release(repo, "1.0.0", "2026-11-27", ("is a red line", "is a deep red line"), "")
    log = repo / "docs" / "changelog.md"
    text = log.read_text("utf-8")
    log.write_text(text.replace("\n## 1.0.0 (2026-11-27) { #v1-0-0 }\n\n\n", "\n", 1), encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "1.0.0 with other words")
    before = git(repo, "rev-parse", "gh-pages")
    refused = publish(repo)
    after = git(repo, "rev-parse", "gh-pages")
    git(repo, "checkout", "-q", head, "--", ".")
    git(repo, "commit", "-q", "-a", "-m", "Back to 1.1.0")
    return Published(
        repo, checkout(repo, "gh-pages", base / "tree"), first_files, first_tree, again, refused, (before, after)
    )


def _soup(tree: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((tree / path).read_text("utf-8"), "lxml")


def test_the_first_edition_keeps_its_bytes(published: Published) -> None:
    assert digests(published.tree / "v" / "1.0.0") == published.first
    assert git(published.repo, "rev-parse", "gh-pages:v/1.0.0") == published.first_tree
    assert (published.tree / "v" / "1.0.0" / "nato-russia-tensions-1.0.0-offline.zip").is_file()
    assert (published.tree / "v" / "1.1.0" / "nato-russia-tensions-1.1.0-offline.zip").is_file()


@pytest.mark.parametrize(
    ("path", "holds", "lacks"),
    [
        ("v/1.0.0/ukraine/index.html", OLD, NEW),
        ("v/1.1.0/ukraine/index.html", NEW, OLD),
        ("ukraine/index.html", NEW, OLD),
    ],
)
def test_each_edition_holds_its_own_words(published: Published, path: str, holds: str, lacks: str) -> None:
    # The essay's text as readers see it, without the list of what changed (which quotes the old words).
    text = page_text((published.tree / path).read_text("utf-8"), skip="#edition-changes")
    assert holds in text
    assert lacks not in text


def test_the_old_edition_links_to_the_current_page(published: Published) -> None:
    doc = _soup(published.tree, "v/1.0.0/ukraine/index.html")
    bar = doc.select_one(".edition-bar[data-frozen]")
    assert "edition 1.0.0" in bar.get_text()
    assert "27 November 2026" in bar.get_text()
    current = bar.select_one("a.edition-bar__current")["href"]
    assert urljoin("/v/1.0.0/ukraine/", current) == "/ukraine/"  # the anchor follows in the browser (below)
    assert doc.select_one("link[rel=canonical]")["href"] == f"{SITE}v/1.0.0/ukraine/"
    assert doc.select_one("link[rel=latest-version]")["href"] == f"{SITE}ukraine/"
    assert doc.select_one("link[rel=predecessor-version]") is None
    assert doc.select_one("#edition-changes") is None  # the first edition has nothing to compare with


@pytest.mark.parametrize("path", ["v/1.1.0/ukraine/index.html", "ukraine/index.html"])
def test_the_new_edition_lists_the_reworded_sentence(published: Published, path: str) -> None:
    doc = _soup(published.tree, path)
    changes = doc.select_one("details#edition-changes")
    (change,) = changes.select("li.edition-change")
    assert "edition-change--reworded" in change["class"]
    before = " ".join(change.select_one(".edition-change__before").get_text().split())
    after = " ".join(change.select_one(".edition-change__after").get_text().split())
    assert before.startswith("Edition 1.0.0: ")
    assert OLD in before
    assert after.startswith("Edition 1.1.0: ")
    assert NEW in after
    assert [ins.get_text().strip() for ins in change.select("ins")] == [NEW_WORD]
    assert change.select_one("a[href='#p1']")
    assert urljoin("/" + path, changes.select_one("p a")["href"]) == "/v/1.0.0/ukraine/"
    assert doc.select_one("link[rel=predecessor-version]")["href"] == f"{SITE}v/1.0.0/ukraine/"
    # Another page: same words as before, and it says so.
    other = _soup(published.tree, path.replace("ukraine", "military"))
    assert "is the same as in edition 1.0.0" in other.select_one("#edition-changes").get_text()


@pytest.mark.parametrize(
    ("path", "version", "canonical"),
    [
        ("v/1.0.0/ukraine/index.html", "1.0.0", f"{SITE}v/1.0.0/ukraine/"),
        ("v/1.1.0/ukraine/index.html", "1.1.0", f"{SITE}v/1.1.0/ukraine/"),
        ("ukraine/index.html", "1.1.0", f"{SITE}ukraine/"),
    ],
)
def test_cite_boxes_and_exports_name_the_edition(published: Published, path: str, version: str, canonical: str) -> None:
    doc = _soup(published.tree, path)
    edition = f"{SITE}v/{version}/ukraine/"
    box = doc.select_one("details.cite-box")
    assert box.select_one("#cite-url").get_text() == edition
    assert box.select_one("#cite-current-url").get_text() == f"{SITE}ukraine/"
    assert box.select_one("#cite-version").get_text() == version
    assert edition in box.select_one("#cite-apa").get_text()
    assert doc.select_one("a.pinpoint")["data-clipboard-text"] == f"{edition}#p1"
    assert doc.select_one("link[rel=canonical]")["href"] == canonical
    exports = {}
    for link in box.select(".cite-box__downloads a"):
        if link.get_text().endswith("this page"):  # the file is the link itself, a data: URL
            with urlopen(urljoin((published.tree / path).as_uri(), link["href"])) as response:
                exports[link.get_text().split(" for ")[0]] = response.read().decode("utf-8")
    (bib,) = bibtexparser.parse_string(exports["BibTeX"]).entries
    assert (bib["url"], bib["version"]) == (edition, version)
    (ris,) = rispy.loads(exports["RIS"])
    assert (ris["urls"], ris["edition"]) == ([edition], version)
    (csl,) = json.loads(exports["CSL-JSON"])
    assert (csl["URL"], csl["version"]) == (edition, version)


def test_versions_json_lists_both_editions(published: Published) -> None:
    data = json.loads((published.tree / "versions.json").read_text("utf-8"))
    assert data["latest"] == "1.1.0"
    assert [(e["version"], e["date"], e["path"]) for e in data["editions"]] == [
        ("1.1.0", "2026-12-01", "v/1.1.0/"),
        ("1.0.0", "2026-11-27", "v/1.0.0/"),
    ]
    for edition in data["editions"]:
        assert edition["pages"]["ukraine.md"] == "ukraine/"
        for download in edition["downloads"]:
            assert (published.tree / edition["path"] / download["file"]).is_file()


def test_the_change_log_links_each_edition_and_its_zip(published: Published) -> None:
    doc = _soup(published.tree, "changelog/index.html")
    for version in ("1.0.0", "1.1.0"):
        heading = doc.select_one(f"h2#v{version.replace('.', '-')}")
        links = [urljoin("/changelog/", a["href"]) for a in heading.find_next_sibling("p").select("a")]
        assert links == [f"/v/{version}/", f"/v/{version}/nato-russia-tensions-{version}-offline.zip"]
    bar = _soup(published.tree, "v/1.0.0/ukraine/index.html").select_one(".edition-menu__downloads a")
    assert urljoin("/v/1.0.0/ukraine/", bar["href"]) == "/v/1.0.0/nato-russia-tensions-1.0.0-offline.zip"


def test_publishing_the_same_release_again_changes_nothing(published: Published) -> None:
    assert published.again.returncode == 0, published.again.stderr
    assert "already published with these bytes: nothing to do" in published.again.stdout


def test_republishing_an_edition_with_other_words_is_refused(published: Published) -> None:
    assert published.refused.returncode == 1
    assert "edition 1.0.0 is already published, and this build differs from it" in published.refused.stderr
    assert "v/1.0.0/ukraine/index.html" not in published.refused.stderr  # paths are the edition's own
    assert "ukraine/index.html" in published.refused.stderr
    before, after = published.tips
    assert before == after
    assert digests(published.tree / "v" / "1.0.0") == published.first


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("dirty", "working tree: 1 uncommitted changes (docs/ukraine.md)"),
        ("version", "docs/changelog.md:12: changelog: newest entry '## 1.0.0 (2026-11-27)' is not this release"),
        ("tag", "CITATION.cff:1: publish: tag 'v9.9.9' is not version '1.0.0'"),
    ],
)
def test_publishing_refuses_before_building(tmp_path: Path, change: str, message: str) -> None:
    repo = make_repo(tmp_path / "repo")
    args: list[str] = []
    if change == "dirty":
        page = repo / "docs" / "ukraine.md"
        page.write_text(page.read_text("utf-8") + "\n", encoding="utf-8")
    elif change == "version":
        cff = repo / "CITATION.cff"
        cff.write_text(cff.read_text("utf-8").replace('version: "1.0.0"', 'version: "1.0.1"'), encoding="utf-8")
        git(repo, "commit", "-q", "-a", "-m", "Version without a log entry")
    else:
        args = ["--tag", "v9.9.9"]
    result = publish(repo, *args)
    assert result.returncode == 1
    assert message in result.stderr
    assert subprocess.run(["git", "rev-parse", "--verify", "-q", "gh-pages"], cwd=repo, check=False).returncode != 0


@pytest.fixture(scope="module")
def tree_url(published: Published) -> Iterator[str]:
    yield from serve_directory(published.tree)


@pytest.mark.browser
def test_the_edition_menu_moves_between_editions(context: BrowserContext, tree_url: str) -> None:
    page = context.new_page()
    page.goto(tree_url + "ukraine/")
    _open_menu(page).get_by_role("link", name="Edition 1.0.0").click()
    page.wait_for_url(tree_url + "v/1.0.0/ukraine/")
    # The frozen 1.0.0 learns from versions.json what came after it.
    status = page.locator(".edition-bar__status")
    status.wait_for(state="visible")
    assert status.inner_text() == "The current edition is 1.1.0 of 1 December 2026."
    successor = page.locator("link[rel=successor-version]")
    assert successor.get_attribute("href") == tree_url + "v/1.1.0/ukraine/"
    menu = _open_menu(page)
    assert menu.locator("li").all_inner_texts() == [
        "The current edition",
        "Edition 1.1.0, 1 December 2026 (current)",
        "Edition 1.0.0, 27 November 2026",
    ]
    menu.get_by_role("link", name="Edition 1.1.0").click()
    page.wait_for_url(tree_url + "v/1.1.0/ukraine/")
    _open_menu(page).get_by_role("link", name="The current edition").click()
    page.wait_for_url(tree_url + "ukraine/")


@pytest.mark.browser
def test_the_old_banner_keeps_the_anchor(context: BrowserContext, tree_url: str) -> None:
    page = context.new_page()
    page.goto(tree_url + "v/1.0.0/ukraine/#p1")
    page.locator(".edition-bar__status").wait_for(state="visible")
    current = page.locator("a.edition-bar__current")
    assert current.evaluate("a => a.href") == tree_url + "ukraine/#p1"
    current.click()
    page.wait_for_url(tree_url + "ukraine/#p1")
    assert NEW in page.locator("#p1").inner_text()


@pytest.mark.browser
@pytest.mark.parametrize(
    ("edition", "word", "found"),
    [
        ("v/1.0.0/", "Crimea", "v/1.0.0/ukraine/"),
        ("v/1.0.0/", NEW_WORD, None),
        ("v/1.1.0/", NEW_WORD, "v/1.1.0/ukraine/"),
        ("", NEW_WORD, "ukraine/"),
    ],
)
def test_each_edition_searches_its_own_pages(
    context: BrowserContext, tree_url: str, edition: str, word: str, found: str | None
) -> None:
    page = context.new_page()
    page.goto(tree_url + edition)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially(word, delay=20)
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function("document.querySelector('.md-search-result__meta').innerText.match(/\\d|No matching/)")
    links = page.locator("a.md-search-result__link").evaluate_all("links => links.map(a => a.href)")
    if found is None:
        assert links == [], meta.inner_text()
        return
    assert links, meta.inner_text()
    # Every result is a page of this edition: none of another edition, none of the root from a frozen one.
    for link in links:
        assert link.startswith(tree_url + found), links
        assert edition.startswith("v/") or "/v/" not in link, links


def _open_menu(page: Page) -> Locator:
    page.locator(".edition-menu summary").click()
    return page.locator(".edition-menu__list")


@pytest.mark.browser
@pytest.mark.parametrize(
    ("moved", "expected", "text"),
    [
        # Retired with a redirect to another page: the banner goes where the redirect does.
        ({"ukraine.md": "conclusion/#p1"}, "conclusion/#p1", "Read this page in the current edition"),
        # Gone without one: the change log says why.
        ({}, "changelog/", "This page is not in the current edition: read the change log"),
    ],
)
def test_the_old_banner_follows_a_retired_page(
    context: BrowserContext, published: Published, tmp_path: Path, moved: dict[str, str], expected: str, text: str
) -> None:
    """A later edition without the page: versions.json (what publishing writes) is all the frozen page has."""
    shutil.copytree(published.tree / "v" / "1.0.0", tmp_path / "v" / "1.0.0")
    data = json.loads((published.tree / "versions.json").read_text("utf-8"))
    later = {**data["editions"][0], "version": "2.0.0", "date": "2027-01-05", "path": "v/2.0.0/", "moved": moved}
    later["pages"] = {src: path for src, path in later["pages"].items() if src != "ukraine.md"}
    data = {"latest": "2.0.0", "editions": [later, data["editions"][-1]]}
    (tmp_path / "versions.json").write_text(json.dumps(data), encoding="utf-8")
    for base in serve_directory(tmp_path):
        page = context.new_page()
        page.goto(base + "v/1.0.0/ukraine/#p1")
        status = page.locator(".edition-bar__status")
        status.wait_for(state="visible")
        assert status.inner_text() == "The current edition is 2.0.0 of 5 January 2027."
        current = page.locator("a.edition-bar__current")
        assert current.evaluate("a => a.href") == base + expected
        assert current.inner_text() == text
        page.close()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            "edition",
            "CITATION.cff:1: editions: EDITION=9.9.9 but CITATION.cff gives version 1.0.0 — build the frozen edition "
            "of the release CITATION.cff describes: EDITION=1.0.0",
        ),
        ("reserved", "docs/v/notes.md:1: editions: v/notes/ is reserved"),
        ("published", "editions: PUBLISHED="),
    ],
)
def test_a_build_reports_edition_mistakes(tmp_path: Path, change: str, message: str) -> None:
    project = copy_project(tmp_path / "project")
    env = {}
    if change == "edition":
        env["EDITION"] = "9.9.9"
    elif change == "reserved":
        (project / "docs" / "v").mkdir()
        (project / "docs" / "v" / "notes.md").write_text("# Notes\n", encoding="utf-8")
    else:
        env["PUBLISHED"] = str(tmp_path / "nowhere")
    result = build(tmp_path / "site", project=project, env=env)
    assert result.returncode != 0
    assert message in result.stderr
