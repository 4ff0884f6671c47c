"""Python's cyclic garbage collector leaves alone what the build holds before it renders its pages.

By the time MkDocs renders pages (on_env), the build holds every imported module (MkDocs', Material's, citeproc-py,
lxml, the hooks' own), the site model, the caches and every page's Markdown, and all of it lives until the build
ends. Each full collection would walk it again; and on a large site, whose final pages are parsed in a forked
worker (hooks/final_page.py), each walk writes to objects the worker shares, so the kernel copies those memory
pages for the build as it goes. `gc.freeze()` takes them out of every collection (Python's advice before a fork);
reference counting still frees what dies. They are given back to the collector once the build is over (and by
the next on_config after a build that stopped half-way), so a build leaves the interpreter as it found it: a
test or a tool that builds in its own process keeps collecting normally. Measured against bare Material on the
same docs (README, Measuring quality).
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

from mkdocs.plugins import event_priority

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files


def on_config(config: MkDocsConfig) -> MkDocsConfig | None:
    gc.unfreeze()  # a build before this one that stopped half-way (mkdocs serve, a test)
    return None


@event_priority(-100)  # after every other hook's on_env: the drawings and the model are complete
def on_env(env: Environment, *, config: MkDocsConfig, files: Files) -> Environment | None:
    gc.freeze()
    return None


@event_priority(-100)  # after every other hook's on_post_build
def on_post_build(*, config: MkDocsConfig) -> None:
    gc.unfreeze()
