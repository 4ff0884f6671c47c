"""A disk cache for rendered citations, so that a warm build runs citeproc-py not at all.

Keys are hashes of the renderer, the style and the CSL item (citation_styles.cache_key); values are HTML.
The file keeps only the entries the last build used, so it never grows past one site's citations.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path


class RenderCache(dict[str, str]):
    """A dict that remembers which keys were asked for since it was loaded."""

    def __init__(self, path: Path) -> None:
        super().__init__(_read(path))
        self.path = path
        self.loaded = set(self)
        self.used: set[str] = set()

    def get(self, key: str, default: str | None = None) -> str | None:  # type: ignore[override]
        self.used.add(key)
        return super().get(key, default)

    def save(self) -> None:
        """Write the entries this build used, if they differ from what was loaded."""
        if self.used == self.loaded:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        kept = {key: self[key] for key in sorted(self.used) if key in self}
        self.path.write_text(json.dumps(kept, indent=0), encoding="utf-8")


def _read(path: Path) -> dict[str, str]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
