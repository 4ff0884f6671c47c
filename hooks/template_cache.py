"""Compiled theme templates, kept between builds.

Every build makes a new Jinja environment, so Material's templates and our overrides are compiled from
source each time, which is one of the larger costs of a warm build and of each `mkdocs serve` rebuild.
Jinja's bytecode cache stores the compiled code under `.cache/templates/`; an entry is used only while its
template's source is unchanged. Compiled code also depends on the environment Jinja was configured with, so
the cache directory is named after the versions that configure it.
"""

from __future__ import annotations

from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from jinja2 import FileSystemBytecodeCache

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

CACHE_DIR = Path(".cache") / "templates"
CONFIGURED_BY = ("jinja2", "mkdocs", "mkdocs-material")


def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    directory = Path(config.config_file_path).parent / CACHE_DIR / _versions()
    directory.mkdir(parents=True, exist_ok=True)
    env.bytecode_cache = FileSystemBytecodeCache(str(directory))
    return env


def _versions() -> str:
    return "-".join(f"{name}{version(name)}" for name in CONFIGURED_BY)
