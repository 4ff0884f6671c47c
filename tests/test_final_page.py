"""The one parse of each final page, on a site large enough for it to run in a worker process beside the build."""

from __future__ import annotations

from typing import TYPE_CHECKING

import csp
from bs4 import BeautifulSoup
from final_page import POOL_FROM_PAGES

from bench.generated_site import generate, page_name
from tests.sitebuild import build

if TYPE_CHECKING:
    from pathlib import Path

PAGES = POOL_FROM_PAGES + 5


def _sha256_sources(doc: BeautifulSoup) -> set[str]:
    """The hashes of the page's executable inline scripts, computed apart from the hook."""
    return {
        csp_hash
        for script in doc.find_all("script")
        if not script.has_attr("src") and script.get("type", "") in {"", "module", "text/javascript"}
        for csp_hash in csp.inline_script_hashes((csp.Script(script.string or ""),))
    }


def test_a_large_site_gets_every_pages_policy_rel_and_references_checked(tmp_path: Path) -> None:
    project = generate(tmp_path / "project", PAGES)
    name = page_name(PAGES)
    last = project / "docs" / name
    text = last.read_text("utf-8")
    last.write_text(text + "\n[Outside](https://example.com/x) and [broken](p0002.md#p99).\n", "utf-8")
    line = len(text.splitlines()) + 2
    result = build(tmp_path / "site", project=project)
    assert result.returncode != 0
    # The reference on the last page (parsed in the worker, as every page here is) is checked at its line.
    assert f"docs/{name}:{line}: missing anchor: 'p0002.md#p99'" in result.stderr, result.stderr
    # MkDocs, handed each page empty while the worker writes it, says nothing of it.
    assert "Page skipped" not in result.stderr
    pages = sorted((tmp_path / "site").glob("p*/index.html"))
    assert len(pages) == PAGES - 1
    for path in pages:
        html = path.read_text("utf-8")
        assert csp.TOKEN not in html, path
        doc = BeautifulSoup(html, "html.parser")
        meta = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
        allowed = {source.strip("'") for source in csp.parse_policy(meta["content"])["script-src"]}
        assert _sha256_sources(doc) <= allowed, path
    outside = BeautifulSoup((tmp_path / "site" / name.removesuffix(".md") / "index.html").read_text("utf-8"), "lxml")
    assert outside.find("a", href="https://example.com/x")["rel"] == ["noopener"]
