"""A static server on 127.0.0.1 that compresses text the way static hosts do (GitHub Pages, Netlify, S3+CDN).

Lighthouse scores the page as a reader gets it from a host; Python's http.server sends every file
uncompressed, which would charge the site for something the host does."""

from __future__ import annotations

import gzip
import io
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from tests.localserver import QuietHandler, serve_directory

if TYPE_CHECKING:
    from collections.abc import Iterator

COMPRESSIBLE = ("text/", "application/javascript", "application/json", "image/svg+xml", "application/xml")


class _Handler(QuietHandler):
    def send_head(self) -> io.BytesIO | BinaryIO | None:
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        ctype = self.guess_type(str(path))
        if not (
            path.is_file() and "gzip" in self.headers.get("Accept-Encoding", "") and ctype.startswith(COMPRESSIBLE)
        ):
            return super().send_head()  # redirects, 404s, binary files: as the stdlib does them
        body = gzip.compress(path.read_bytes(), mtime=0)
        self.send_response(200)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        return io.BytesIO(body)


def static_server(root: Path) -> Iterator[str]:
    return serve_directory(root, _Handler)
