"""A dict kept on disk as JSON between builds, holding only what the last build used.

The citation hook keeps rendered citations in one (so a warm build runs citeproc-py not at all), the model
keeps CITATION.cff's schema check in another (so a warm build neither imports nor runs jsonschema). Entries a
build did not ask for are dropped on save, so a file never grows past one site's needs.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


class DiskCache(dict[str, Any]):
    """A dict that remembers which keys were asked for or set since it was loaded."""

    def __init__(self, path: Path) -> None:
        super().__init__(_read(path))
        self.path = path
        self.loaded = dict(self)
        self.used: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.used.add(key)
        return super().get(key, default)

    def __setitem__(self, key: str, value: Any) -> None:
        self.used.add(key)
        super().__setitem__(key, value)

    def save(self) -> None:
        """Write the entries this build used, if they differ from what was loaded."""
        kept = {key: self[key] for key in sorted(self.used) if key in self}
        if kept == self.loaded:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(json.dumps(kept, indent=0), encoding="utf-8")


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}
