"""External links carry rel="noopener": a page opened from the site gets no handle on it (window.opener).

A pure core on the parsed final page; hooks/final_page.py applies it during its one parse of each page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from lxml.html import HtmlElement


def add_noopener(doc: HtmlElement, *, own_host: str | None) -> int:
    """Add "noopener" to the rel of every external link in `doc`; return how many links changed."""
    changed = 0
    for link in doc.iter("a", "area"):
        href = link.get("href")
        rel = (link.get("rel") or "").split()
        if href is not None and is_external(href, own_host=own_host) and "noopener" not in map(str.lower, rel):
            link.set("rel", " ".join([*rel, "noopener"]))
            changed += 1
    return changed


def is_external(href: str, *, own_host: str | None) -> bool:
    parts = urlsplit(href.strip())
    if parts.scheme not in {"http", "https", ""} or not parts.netloc:
        return False
    return parts.hostname != own_host
