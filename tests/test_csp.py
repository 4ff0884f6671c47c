"""Every page declares a Content-Security-Policy that allows only the site's own code, and keeps to it."""

from __future__ import annotations

import base64
import hashlib
import shutil
from typing import TYPE_CHECKING

import csp
import pytest
from bs4 import BeautifulSoup
from final_html import FinalPage

from tests.browser import new_guarded_context
from tests.cspwatch import violations, watch_csp
from tests.drawings import DRAWING, diagram_count
from tests.sitebuild import ROOT, build, copy_project

if TYPE_CHECKING:
    from pathlib import Path

    from playwright.sync_api import Browser, BrowserContext

    from tests.browser import Guard

INLINE = "<script>{}</script>"


def _code(body: str) -> csp.InlineCode:
    """What the build's one parse of a page finds in it (hooks/final_html.py)."""
    html = f"<!doctype html><html><head><meta charset=utf-8></head><body>{body}</body></html>"
    return FinalPage(html, own_host=None).inline_code()


def _bs4_hashes(doc: BeautifulSoup) -> set[str]:
    """The hashes the browser will ask for, computed apart from the hook (another parser, another loop)."""
    found = set()
    for script in doc.find_all("script"):
        if not script.has_attr("src") and script.get("type", "") in {"", "module", "text/javascript"}:
            digest = hashlib.sha256((script.string or "").encode("utf-8")).digest()
            found.add("sha256-" + base64.b64encode(digest).decode("ascii"))
    return found


@pytest.mark.parametrize(
    ("scripts", "hashed"),
    [
        ([], 0),
        ([INLINE.format("var a=1")], 1),
        ([INLINE.format("var a=1"), INLINE.format("var a=1")], 1),  # the same text needs one hash
        ([INLINE.format("var a=1"), '<script type="module">import "./x.js"</script>'], 2),
        (['<script src="x.js"></script>'], 0),  # loaded from 'self', no hash
        (['<script type="application/json">{"a": 1}</script>'], 0),  # data, never executed
    ],
)
def test_inline_scripts_are_hashed(scripts: list[str], hashed: int) -> None:
    assert len(csp.inline_script_hashes(_code("".join(scripts)).scripts)) == hashed


def test_hash_is_the_sha256_of_the_exact_script_text() -> None:
    # The value from the CSP specification's own example: alert('Hello, world.');
    assert csp.inline_script_hashes(_code("<script>alert('Hello, world.');</script>").scripts) == [
        "sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng="
    ]


STYLE_CASES = [
    pytest.param("<p>x</p>", [], id="no inline style"),
    pytest.param("<svg><style>.a{fill:red}</style></svg>", [".a{fill:red}"], id="style element"),
    pytest.param(
        '<svg><g style="stroke: none"></g><g style="stroke: none"></g></svg>',
        ["'unsafe-hashes'", "stroke: none"],
        id="style attributes, each value once",
    ),
]


def _source(text: str) -> str:
    """A CSP hash source, computed here with hashlib, or a keyword as it is."""
    if text.startswith("'"):
        return text
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@pytest.mark.parametrize(("body", "added"), STYLE_CASES)
def test_inline_styles_are_allowed_by_hash_only(body: str, added: list[str]) -> None:
    directives = csp.parse_policy(csp.policy(_code(body)))
    assert directives["style-src"] == ["'self'", *map(_source, added)]
    assert not any("'unsafe-inline'" in sources for sources in directives.values())


def test_the_iframe_worker_script_is_the_vendored_shims_own() -> None:
    """The hook hashes the shim's iframe script; re-vendoring a changed shim must fail here, not in a browser."""
    shim = (ROOT / "docs/assets/vendor/iframe-worker/shim.js").read_text("utf-8")
    head, tail = csp.IFRAME_WORKER_SCRIPT.split("WORKER_URL")
    # In the shim the script is a template: `postMessage=${c};importScripts=${d};...filename:"${e}"...`.
    for function in ('function c(s,n){parent.postMessage(s,n||"*")}', "function d(...s){"):
        assert function in shim
        assert function in head
    assert "postMessage=${c};importScripts=${d};" in shim
    assert 'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:"${e}"' in shim
    assert tail + "<\\/script>" in shim
    page = (
        '<script src="assets/vendor/iframe-worker/shim.js"></script>'
        '<script id="__config" type="application/json">{"search": "w.js"}</script>'
    )
    assert len(csp.iframe_worker_hashes(_code(page).scripts)) == 1
    assert csp.iframe_worker_hashes(_code('<script id="__config" type="application/json">{}</script>').scripts) == []


def test_a_template_without_the_policy_token_fails_the_build(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    main = project / "overrides" / "main.html"
    text = main.read_text("utf-8")
    main.write_text(text[: text.index("{% block site_meta %}")], "utf-8")
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    lines = [line for line in result.stderr.splitlines() if "policy tokens" in line]
    assert "WARNING -  docs/ukraine.md:1: csp: 0 policy tokens, not 1 — keep the site_meta block" in "\n".join(lines)
    assert any(line.startswith("WARNING -  404.html:1: csp: 0 policy tokens") for line in lines), lines


def _policies(site: Path) -> dict[str, tuple[dict[str, list[str]], BeautifulSoup]]:
    found = {}
    for path in sorted(site.rglob("*.html")):
        doc = BeautifulSoup(path.read_text("utf-8"), "html.parser")
        metas = doc.head.find_all("meta", attrs={"http-equiv": "Content-Security-Policy"})
        assert len(metas) == 1, f"{path.relative_to(site)}: {len(metas)} CSP <meta> elements"
        # A policy governs only what comes after it: nothing may load or run before it.
        before = [
            tag
            for tag in metas[0].find_all_previous(["script", "link", "style"])
            if tag.name != "link" or {"stylesheet", "preload", "modulepreload"} & set(tag.get("rel", []))
        ]
        assert not before, f"{path.relative_to(site)}: {before[0]} comes before the CSP <meta>"
        found[str(path.relative_to(site))] = (csp.parse_policy(metas[0]["content"]), doc)
    return found


def test_every_page_allows_only_its_own_scripts(site_dir: Path) -> None:
    pages = _policies(site_dir)
    assert len(pages) >= 9
    for name, (policy, doc) in pages.items():
        for directive in ("default-src", "script-src", "style-src", "img-src", "connect-src", "font-src"):
            hosts = [s for s in policy[directive] if not s.startswith(("'", "data:", "blob:"))]
            assert not hosts, f"{name}: {directive} allows {hosts}"
        assert "'unsafe-inline'" not in policy["script-src"], name
        assert "'unsafe-eval'" not in policy["script-src"], name
        assert policy["object-src"] == ["'none'"], name
        # Re-parsed by another parser than the hook's: every inline script the browser will run is allowed.
        missing = _bs4_hashes(doc) - {s.strip("'") for s in policy["script-src"]}
        assert not missing, f"{name}: inline scripts without a hash: {missing}"


def test_every_page_has_a_meta_description(site_dir: Path) -> None:
    for path in sorted(site_dir.rglob("*.html")):
        meta = BeautifulSoup(path.read_text("utf-8"), "lxml").find("meta", attrs={"name": "description"})
        assert meta is not None, path.relative_to(site_dir)
        assert meta.get("content", "").strip(), path.relative_to(site_dir)


def _open_every_page(context: BrowserContext, urls: list[str]) -> dict[str, list[str]]:
    watch_csp(context)
    page = context.new_page()
    found = {}
    for url in urls:
        page.goto(url)
        page.wait_for_load_state("load")
        # Material starts its search worker on load; a query makes it answer, under the policy.
        # From disk, search works only where the offline build installs the iframe-worker shim.
        if page.evaluate("location.protocol !== 'file:' || 'IFrameWorker' in window"):
            page.keyboard.press("/")
            page.keyboard.type("NATO")
            page.wait_for_selector(".md-search-result__item", timeout=10_000)
            page.keyboard.press("Escape")
        # A diagram's SVG comes with the page: its <style> and style attributes are held to their hashes.
        if diagram_count(page):
            shown = page.evaluate(f"getComputedStyle(document.querySelector('{DRAWING} .node rect')).fill")
            assert shown != "rgb(0, 0, 0)", f"{url}: the diagram's own style did not apply ({shown})"
        if found_here := violations(page):
            found[url] = found_here
    page.close()
    return found


@pytest.mark.browser
def test_hosted_pages_load_without_csp_violations(
    browser: Browser, guard: Guard, site_url: str, site_dir: Path
) -> None:
    urls = [site_url + str(p.relative_to(site_dir)) for p in sorted(site_dir.rglob("*.html"))]
    context = new_guarded_context(browser, guard, bypass_csp=False)
    try:
        assert _open_every_page(context, urls) == {}
    finally:
        context.close()
    guard.assert_clean()


@pytest.mark.browser
def test_offline_pages_from_disk_load_without_csp_violations(browser: Browser, guard: Guard, tmp_path: Path) -> None:
    site = tmp_path / "offline"
    result = build(site, env={"OFFLINE": "true"})
    assert result.returncode == 0, result.stderr
    assert (site / "expansion.html").is_file(), "OFFLINE=true builds flat .html pages that open from disk"
    context = new_guarded_context(browser, guard, bypass_csp=False)
    try:
        urls = [p.as_uri() for p in sorted(site.rglob("*.html")) if p.name != "404.html"]
        assert _open_every_page(context, urls) == {}
    finally:
        context.close()
    guard.assert_clean()


INJECTED = [
    pytest.param(
        "<script>window.__injected = true</script>", "window.__injected === undefined", "script-src", id="script"
    ),
    pytest.param(
        '<p id="injected" style="color: rgb(255, 0, 0)">x</p>',
        "getComputedStyle(document.getElementById('injected')).color !== 'rgb(255, 0, 0)'",
        "style-src",
        id="style attribute",
    ),
]


@pytest.mark.browser
@pytest.mark.parametrize(("markup", "refused", "directive"), INJECTED)
def test_inline_code_without_a_hash_is_refused(
    browser: Browser, site_dir: Path, tmp_path: Path, markup: str, refused: str, directive: str
) -> None:
    """The checks above can fail: inline code added after the build is not applied, and is reported."""
    copy = tmp_path / "site"
    shutil.copytree(site_dir, copy)
    index = copy / "index.html"
    doc = BeautifulSoup(index.read_text("utf-8"), "html.parser")
    doc.body.append(BeautifulSoup(markup, "html.parser"))
    index.write_text(str(doc), "utf-8")
    # Not the guarded context: the refusal is also a console error, expected here; file:// needs no network.
    context = browser.new_context()
    try:
        watch_csp(context)
        page = context.new_page()
        page.goto(index.as_uri())
        page.wait_for_load_state("load")
        assert page.evaluate(refused)
        assert any(directive in v for v in violations(page))
    finally:
        context.close()
