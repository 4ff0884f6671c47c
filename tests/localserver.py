"""A directory served over HTTP on 127.0.0.1, for browser tests and benchmarks."""

from __future__ import annotations

import functools
import http.server
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The stdlib's static handler, without a log line per request."""

    def log_message(self, format: str, *args: object) -> None:
        pass


def serve_directory(root: Path, handler: type[QuietHandler] = QuietHandler) -> Iterator[str]:
    """Serve `root` on a free port until the generator is closed; yields the base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
