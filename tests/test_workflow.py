"""The publishing workflow (.github/workflows/publish.yml): what it runs, in which order, and actionlint's verdict."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from tests.sitebuild import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "publish.yml"


def _steps() -> list[dict[str, object]]:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    (job,) = data["jobs"].values()
    return job["steps"]


def test_a_version_tag_tests_then_publishes_then_deploys() -> None:
    data = yaml.safe_load(WORKFLOW.read_text("utf-8"))
    # PyYAML reads the key `on` as the boolean true (YAML 1.1).
    assert data[True] == {"push": {"tags": ["v*"]}}
    runs = [str(step.get("run", "")) for step in _steps()]
    uses = [str(step.get("uses", "")) for step in _steps()]
    order = [
        next(i for i, run in enumerate(runs) if "make test" in run),
        next(i for i, run in enumerate(runs) if 'make publish TAG="$GITHUB_REF_NAME"' in run),
        next(i for i, run in enumerate(runs) if "git push origin gh-pages" in run),
        next(i for i, use in enumerate(uses) if use.startswith("actions/deploy-pages@")),
    ]
    assert order == sorted(order)


def test_every_action_is_pinned_by_commit() -> None:
    uses = [str(step["uses"]) for step in _steps() if "uses" in step]
    assert uses
    for use in uses:
        assert re.fullmatch(r"[\w.-]+/[\w.-]+@[0-9a-f]{40}", use), use


def test_actionlint_finds_nothing() -> None:
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint is not None, "actionlint is missing: install requirements.txt (make test does)"
    result = subprocess.run([actionlint, str(WORKFLOW)], cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stdout + result.stderr


def test_actionlint_catches_a_broken_workflow(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yml"
    text = WORKFLOW.read_text("utf-8").replace("runs-on: ubuntu-24.04", "runs-on: ubuntu-24.04\n    needs: nothing")
    broken.write_text(text, encoding="utf-8")
    actionlint = shutil.which("actionlint", path=str(Path(sys.executable).parent))
    assert actionlint is not None
    result = subprocess.run([actionlint, str(broken)], capture_output=True, text=True, check=False)
    assert result.returncode == 1
    assert "nothing" in result.stdout
