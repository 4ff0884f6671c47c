"""External links carry rel="noopener": a page opened from the site gets no handle on it (window.opener).

A pure core: hooks/final_page.py applies it to each link during its one parse of each page.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def with_noopener(href: str, rel: str | None, *, own_host: str | None) -> str | None:
    """The rel a link needs, or None when it needs no change (it stays on the site, or already has noopener)."""
    if not is_external(href, own_host=own_host):
        return None
    values = (rel or "").split()
    if "noopener" in (value.lower() for value in values):
        return None
    return " ".join([*values, "noopener"])


def is_external(href: str, *, own_host: str | None) -> bool:
    href = href.strip()
    if not href[:6].lower().startswith(("http:", "https:", "//")):  # most links are relative: nothing to split
        return False
    parts = urlsplit(href)
    if parts.scheme not in {"http", "https", ""} or not parts.netloc:
        return False
    return parts.hostname != own_host
