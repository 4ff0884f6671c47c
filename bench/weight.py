"""Page weight as Chromium loads each page: bytes of HTML, CSS, JS and other, hosted and offline."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

from bench.server import static_server
from tests.browser import CHROMIUM, CHROMIUM_ARGS, is_local
from tests.drawings import DRAWING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Request, Route

KINDS = ("HTML", "CSS", "JS", "other")


@dataclass
class Weight:
    mode: str
    page: str
    has_diagram: bool
    bytes: dict[str, int] = field(default_factory=lambda: dict.fromkeys(KINDS, 0))
    urls: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.bytes.values())

    @property
    def loads_mermaid(self) -> bool:
        return any("mermaid" in Path(urlsplit(url).path).name for url in self.urls)


def kind(url: str, resource_type: str) -> str:
    suffix = Path(urlsplit(url).path).suffix.lower()
    if resource_type == "document" or suffix in {".html", ".htm"} or urlsplit(url).path.endswith("/"):
        return "HTML"
    if resource_type == "stylesheet" or suffix == ".css":
        return "CSS"
    if resource_type == "script" or suffix in {".js", ".mjs"}:
        return "JS"
    return "other"


def pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name != "404.html")


def measure_site(browser: Browser, site: Path, mode: str, *, base_url: str | None) -> list[Weight]:
    """Load every page of `site` (over `base_url`, or from disk) and count what each one loads."""
    results = []
    for path in pages(site):
        rel = path.relative_to(site).as_posix()
        doc = BeautifulSoup(path.read_text("utf-8"), "lxml")
        weight = Weight(mode, rel, has_diagram=bool(doc.select(f"{DRAWING} > svg")))
        context = browser.new_context()
        sizes: dict[str, int] = {}

        def route(route: Route, weight: Weight = weight) -> None:
            if is_local(route.request.url):
                route.continue_()
            else:
                weight.blocked.append(route.request.url)
                route.abort()

        def finished(request: Request, weight: Weight = weight, sizes: dict[str, int] = sizes) -> None:
            url = request.url
            if url.startswith("data:") or url in sizes:
                return
            sizes[url] = _size(request)
            weight.urls.append(url)
            weight.bytes[kind(url, request.resource_type)] += sizes[url]

        context.route("**/*", route)
        page = context.new_page()
        page.on("requestfinished", finished)
        page.goto(base_url + rel.removesuffix("index.html") if base_url else path.as_uri())
        page.wait_for_load_state("networkidle")
        context.close()
        results.append(weight)
    return results


def _size(request: Request) -> int:
    """Bytes delivered for a request: the response body over HTTP, the file's size from disk."""
    parts = urlsplit(request.url)
    if parts.scheme == "file":
        file = Path(unquote(parts.path))
        return file.stat().st_size if file.is_file() else 0
    response = request.response()
    if response is None:
        return 0
    try:
        return len(response.body())
    except Exception:  # a body Chromium did not keep (a redirect, a worker's request)
        return int(response.headers.get("content-length", 0))


def measure(hosted: Path, offline: Path) -> list[Weight]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            server = static_server(hosted)
            base_url = next(server)
            try:
                weights = measure_site(browser, hosted, "hosted", base_url=base_url)
            finally:
                server.close()
            weights += measure_site(browser, offline, "offline", base_url=None)
        finally:
            browser.close()
    return weights
