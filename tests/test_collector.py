"""hooks/collector.py: the build's objects are out of the collector's way while pages render, and given back after."""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING

import collector
import pytest
from mkdocs.config.defaults import MkDocsConfig

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture(autouse=True)
def _unfrozen() -> Iterator[None]:
    gc.unfreeze()
    yield
    gc.unfreeze()


def test_frozen_while_pages_render_and_given_back_after_the_build() -> None:
    config = MkDocsConfig()
    collector.on_config(config)
    assert gc.get_freeze_count() == 0
    collector.on_env(None, config=config, files=None)  # type: ignore[arg-type]
    assert gc.get_freeze_count() > 0
    collector.on_post_build(config=config)
    assert gc.get_freeze_count() == 0


def test_a_build_that_stopped_half_way_is_given_back_by_the_next() -> None:
    config = MkDocsConfig()
    collector.on_env(None, config=config, files=None)  # type: ignore[arg-type]
    assert gc.get_freeze_count() > 0  # no on_post_build: the build failed
    collector.on_config(config)
    assert gc.get_freeze_count() == 0
