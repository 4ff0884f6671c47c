"""Playwright on Debian's chromium, with every request outside the site blocked and recorded."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Route, WebSocket

CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags chromium itself tries to reach Google's hosts at start.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--allow-file-access-from-files",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
# Chromium's own PDF viewer (and the browser's resources it uses), which shows the essay's PDF when a reader opens
# it: part of the browser, no network.
PDF_VIEWER = ("chrome-extension://mhjfbmdgcfjbbpaeojofohoefgiehjai/", "chrome://resources/")


def is_local(url: str) -> bool:
    parts = urlsplit(url)
    if parts.scheme in {"file", "data", "blob", "about"} or url.startswith(PDF_VIEWER):
        return True
    return parts.scheme in {"http", "https", "ws"} and parts.hostname in LOCAL_HOSTS


@dataclass
class Guard:
    """What a page tried that it must not: network requests, console errors, page errors."""

    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def route(self, route: Route) -> None:
        url = route.request.url
        if is_local(url):
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(f"{message.text} ({message.location.get('url', '')})")

    def on_page_error(self, error: Exception) -> None:
        self.console_errors.append(f"uncaught: {error}")

    def watch(self, page: Page) -> Page:
        page.on("console", self.on_console)
        page.on("pageerror", self.on_page_error)
        return page

    def assert_clean(self) -> None:
        assert not self.blocked, f"requests to the network were attempted: {self.blocked}"
        assert not self.console_errors, f"console errors: {self.console_errors}"


def new_guarded_context(browser: Browser, guard: Guard, **options: object) -> BrowserContext:
    # Pages carry a Content-Security-Policy without 'unsafe-eval', and Playwright's wait_for_function evaluates
    # its predicate with eval() in the page; tests/test_csp.py turns the policy back on (bypass_csp=False).
    options.setdefault("bypass_csp", True)
    context = browser.new_context(**options)
    context.route("**/*", guard.route)
    context.on("page", guard.watch)
    return context


# A reader's browser opening the unpacked zip has none of the file-access relaxations the flag above grants;
# without it, search only works when the iframe-worker shim does its job.
DISK_CHROMIUM_ARGS = [arg for arg in CHROMIUM_ARGS if arg != "--allow-file-access-from-files"]


@dataclass
class DiskGuard(Guard):
    """For pages opened from disk, where there is no server: anything but file:// is a network request.

    Guard lets 127.0.0.1 through, which is right for a served site and wrong here. data: and blob: URLs
    load from memory, not the network; Chromium neither routes them nor reports them as requests.
    """

    def route(self, route: Route) -> None:
        if route.request.url.startswith(("file://", *PDF_VIEWER)):
            route.continue_()
        else:
            self._record(route.request.url)
            route.abort()

    def on_request(self, request: Request) -> None:
        # Also catches what the context's route never sees (a service worker's requests, for one).
        if not request.url.startswith(("file://", "data:", "blob:", *PDF_VIEWER)):
            self._record(request.url)

    def _record(self, url: str) -> None:
        if url not in self.blocked:
            self.blocked.append(url)

    def on_websocket(self, websocket: WebSocket) -> None:
        self.blocked.append(websocket.url)

    def watch(self, page: Page) -> Page:
        super().watch(page)
        page.on("request", self.on_request)
        page.on("websocket", self.on_websocket)
        return page
