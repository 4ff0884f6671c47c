"""Compiled templates kept between builds (hooks/template_cache.py) never change what a build writes."""

from __future__ import annotations

import shutil
from typing import TYPE_CHECKING

import template_cache
from jinja2 import DictLoader, Environment

from tests.sitebuild import build, copy_project
from tests.test_reproducible import differing_files

if TYPE_CHECKING:
    from pathlib import Path

MARKER = "template-cache-marker-4f1c"


def _cache_files(project: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in (project / template_cache.CACHE_DIR).rglob("*.cache")}


def _fresh_copy(tmp_path: Path) -> Path:
    project = copy_project(tmp_path / "project")
    shutil.rmtree(project / template_cache.CACHE_DIR, ignore_errors=True)
    return project


def test_a_warm_build_reads_the_cache_and_writes_the_same_site(tmp_path: Path) -> None:
    project = _fresh_copy(tmp_path)
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    assert build(cold, project=project).returncode == 0
    written = _cache_files(project)
    assert any(name.startswith("__jinja2_") for name in written), "the cold build cached no template"
    assert build(warm, project=project).returncode == 0
    assert _cache_files(project) == written, "the warm build compiled templates again instead of reading them"
    assert differing_files(cold, warm) == []


def test_a_changed_template_is_compiled_afresh(tmp_path: Path) -> None:
    project = _fresh_copy(tmp_path)
    assert build(tmp_path / "before", project=project).returncode == 0
    main = project / "overrides" / "main.html"
    block = f"\n{{% block footer %}}{{{{ super() }}}}{MARKER}{{% endblock %}}\n"
    main.write_text(main.read_text("utf-8") + block, "utf-8")
    result = build(tmp_path / "after", project=project)
    assert result.returncode == 0, result.stderr
    assert MARKER in (tmp_path / "after" / "index.html").read_text("utf-8")
    assert MARKER not in (tmp_path / "before" / "index.html").read_text("utf-8")


def test_the_cache_directory_is_named_after_what_configures_jinja(tmp_path: Path) -> None:
    class Config:
        config_file_path = str(tmp_path / "mkdocs.yml")

    env = template_cache.on_env(Environment(loader=DictLoader({"t": "{{ 1 + 1 }}"})), config=Config(), files=None)
    assert env is not None
    assert env.get_template("t").render() == "2"
    directory = tmp_path / template_cache.CACHE_DIR
    (versions,) = [p.name for p in directory.iterdir()]
    for name in template_cache.CONFIGURED_BY:
        assert name in versions
    assert list((directory / versions).glob("__jinja2_*.cache"))
