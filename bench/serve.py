"""Live editing: from saving an edit under `mkdocs serve` until the served page shows it."""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import time
import urllib.error
import urllib.request
import uuid
from typing import TYPE_CHECKING

from tests.sitebuild import MKDOCS

if TYPE_CHECKING:
    from pathlib import Path

POLL_SECONDS = 0.02


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return None


def wait_for(url: str, marker: str | None, *, timeout: float) -> float:
    """Poll `url` until it answers (and contains `marker`); return the time that took."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        body = fetch(url)
        if body is not None and (marker is None or marker in body):
            return time.perf_counter() - start
        time.sleep(POLL_SECONDS)
    raise TimeoutError(f"{url} did not show {marker!r} within {timeout} s")


def measure(project: Path, *, page: str = "ukraine.md", edits: int = 5) -> list[float]:
    """Seconds from each edit's save to the rebuilt page being served; the first edit only warms up."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/{page.removesuffix('.md')}/"
    server = subprocess.Popen(
        [*MKDOCS, "serve", "--livereload", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    source = project / "docs" / page
    original = source.read_text("utf-8")
    times = []
    try:
        wait_for(url, None, timeout=300)
        for i in range(edits + 1):
            marker = f"bench-edit-{uuid.uuid4().hex}"
            # An HTML comment: Markdown passes it through to the page, and no reader sees it.
            source.write_text(f"{original}\n<!-- {marker} -->\n", "utf-8")
            elapsed = wait_for(url, marker, timeout=120)
            if i:
                times.append(elapsed)
    finally:
        source.write_text(original, "utf-8")
        server.terminate()
        server.wait(timeout=20)
    return times


def median(times: list[float]) -> float:
    return statistics.median(times)
