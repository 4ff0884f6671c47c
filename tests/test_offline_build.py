"""The offline build and its zip, read as files: same pages and essay text as the hosted build, nothing remote."""

from __future__ import annotations

import difflib
import zipfile
from pathlib import PurePosixPath
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.drawings import DRAWING
from tests.fidelity import page_text
from tests.pages import built_path, loads_nothing
from tests.sitebuild import ROOT

if TYPE_CHECKING:
    from pathlib import Path

SHIM = "assets/vendor/iframe-worker/shim.js"
# Elements whose URL the browser loads by itself (as opposed to <a>, which loads only when followed).
LOADING = (
    "script[src], img[src], iframe[src], source[src], video[src], audio[src], embed[src], object[data], link[href]"
)


def _html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if "assets" not in p.relative_to(site).parts)


def _offline_name(hosted: str) -> str:
    """`ukraine/index.html` (directory URLs, hosted) is `ukraine.html` offline."""
    return hosted.removesuffix("/index.html") + ".html" if hosted.endswith("/index.html") else hosted


def test_same_pages_as_the_hosted_build(site_dir: Path, offline_dir: Path) -> None:
    hosted = {_offline_name(p.relative_to(site_dir).as_posix()) for p in _html_pages(site_dir)}
    offline = {p.relative_to(offline_dir).as_posix() for p in _html_pages(offline_dir)}
    # The host's 404 page is left out of the zip on purpose (scripts/offline_zip.py says why).
    assert offline == hosted - {"404.html"}
    assert len(offline) >= 8


def test_same_essay_text_on_every_page(site_dir: Path, offline_dir: Path, site_pages: list[str]) -> None:
    differ = []
    for src in site_pages:
        hosted_html = (site_dir / built_path(src)).read_text("utf-8")
        offline_html = (offline_dir / built_path(src, directory_urls=False)).read_text("utf-8")
        # A diagram's links differ by design (directory URLs or .html files); its labels are text, compared here.
        hosted = page_text(hosted_html)
        offline = page_text(offline_html)
        if hosted != offline:
            differ.append(f"{src}: {_first_difference(hosted, offline)}")
        drawings = hosted_html.count(f'class="{DRAWING[1:]}"'), offline_html.count(f'class="{DRAWING[1:]}"')
        assert drawings[0] == drawings[1], f"{src}: diagrams differ"
        assert len(hosted.split()) > 50, f"{src}: too little text to compare; is the article selector right?"
    assert not differ, "\n".join(differ)


def _first_difference(hosted: str, offline: str) -> str:
    words = hosted.split(), offline.split()
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, *words, autojunk=False).get_opcodes():
        if tag != "equal":
            return f"hosted {' '.join(words[0][i1:i2])!r} != offline {' '.join(words[1][j1:j2])!r}"
    return "same words, different spacing"


def test_pages_use_file_names_not_directory_urls(offline_dir: Path) -> None:
    for page in _html_pages(offline_dir):
        doc = BeautifulSoup(page.read_text("utf-8"), "lxml")
        for link in doc.select("a[href]"):
            parts = urlsplit(link["href"])
            if not parts.scheme and parts.path:
                # A folder link (`ukraine/`, `.`) shows a directory listing from disk, not the page.
                assert PurePosixPath(parts.path).suffix, (page.name, link["href"])


def test_nothing_loads_from_unpkg_or_any_host(offline_dir: Path) -> None:
    offenders = []
    for page in _html_pages(offline_dir):
        html = page.read_text("utf-8")
        if "unpkg" in html:
            offenders.append(f"{page.name}: mentions unpkg")
        doc = BeautifulSoup(html, "lxml")
        for tag in doc.select(LOADING):
            if loads_nothing(tag):
                continue
            url = tag.get("src") or tag.get("href") or tag.get("data")
            # From disk only a relative URL stays on disk: `/x` and `//host/x` leave the folder.
            if urlsplit(url).scheme not in {"", "data"} or url.startswith("/"):
                offenders.append(f"{page.name}: <{tag.name}> {url}")
    assert not offenders, "\n".join(offenders)


def test_every_page_loads_the_vendored_shim_and_the_inlined_index(offline_dir: Path) -> None:
    for page in _html_pages(offline_dir):
        doc = BeautifulSoup(page.read_text("utf-8"), "lxml")
        depth = len(page.relative_to(offline_dir).parts) - 1
        assert doc.select(f"script[src='{'../' * depth}{SHIM}']"), f"{page.name}: no local iframe-worker shim"
    assert (offline_dir / SHIM).read_bytes() == (ROOT / "docs" / SHIM).read_bytes()
    # The offline plugin inlines the search index into a script, which file:// can load where fetch cannot.
    assert (offline_dir / "search" / "search_index.js").read_text("utf-8").startswith("var __index = {")


def test_hosted_build_is_unchanged(site_dir: Path) -> None:
    assert (site_dir / "ukraine" / "index.html").is_file()
    assert not (site_dir / "search" / "search_index.js").exists()


def test_zip_is_named_from_citation_cff_and_holds_one_folder(offline_zip: Path, offline_dir: Path) -> None:
    import yaml

    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text("utf-8"))
    assert offline_zip.name.endswith(f"-{cff['version']}-offline.zip")
    folder = offline_zip.name.removesuffix("-offline.zip")
    with zipfile.ZipFile(offline_zip) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {name.split("/", 1)[0] for name in names} == {folder}
        assert len({info.date_time for info in archive.infolist()}) == 1
    assert offline_dir.name == folder
    assert (offline_dir / "index.html").is_file()


@pytest.mark.parametrize(("offline", "directory_urls"), [("true", False), ("false", True), (None, True)])
def test_offline_switch(monkeypatch: pytest.MonkeyPatch, offline: str | None, directory_urls: bool) -> None:
    """OFFLINE=true alone turns the plugin on, and the plugin, not a second setting, drops directory URLs.
    Plugins run on_config before hooks, so every hook already sees the final use_directory_urls."""
    from mkdocs.config import load_config

    if offline is None:
        monkeypatch.delenv("OFFLINE", raising=False)
    else:
        monkeypatch.setenv("OFFLINE", offline)
    config = load_config(str(ROOT / "mkdocs.yml"))
    config = config.plugins.on_config(config)
    assert config.use_directory_urls is directory_urls
    assert config.extra["polyfills"] == [SHIM]
    assert list(config.plugins).index("material/offline") < min(
        (i for i, name in enumerate(config.plugins) if name.startswith("hooks/")), default=len(config.plugins)
    )
