"""Benchmarks for the site (`make bench`): build time, live-edit round trip, page weight, Lighthouse."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from types import ModuleType

HOOKS = Path(__file__).resolve().parent.parent / "hooks"
# The bench reads the hooks' cores, and the tests' helpers it shares import them, by their bare names, as MkDocs
# (hooks/ on sys.path while it loads them) and pytest (pythonpath in pyproject.toml) do.
if str(HOOKS) not in sys.path:
    sys.path.insert(0, str(HOOKS))


def hook_module(name: str) -> ModuleType:
    """A module of hooks/ by its bare name: the hooks are MkDocs hook files, not a package, and import each
    other that way because MkDocs puts hooks/ on sys.path to load them; the bench does the same."""
    return importlib.import_module(name)
