"""The pinned checkers of tests/tools/ (npm: vnu-jar, pa11y), run on a built site; `make test` installs them."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

from tests.browser import CHROMIUM
from tests.sitebuild import ROOT

TOOLS = ROOT / "tests" / "tools"
VNU_JAR = TOOLS / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y_RUN = TOOLS / "pa11y-run.js"
INSTALL_HINT = "run `make test` (it installs Java from apt and the tools with npm ci in tests/tools/)"


@dataclass(frozen=True)
class Finding:
    """One message of the Nu Html Checker, at its place."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


def missing_tools(*needs: str) -> str | None:
    """Why the checkers cannot run here (a sentence with the fix), or None."""
    if "java" in needs and shutil.which("java") is None:
        return f"java is missing: {INSTALL_HINT}"
    if "vnu" in needs and not VNU_JAR.is_file():
        return f"{VNU_JAR.relative_to(ROOT)} is missing: {INSTALL_HINT}"
    if "node" in needs and shutil.which("node") is None:
        return f"node is missing: {INSTALL_HINT}"
    if "pa11y" in needs and not (TOOLS / "node_modules" / "pa11y").is_dir():
        return f"pa11y is missing from tests/tools/node_modules: {INSTALL_HINT}"
    return None


def vnu(files: list[Path], *, root: Path, svg: bool = False) -> list[Finding]:
    """Every error the Nu Html Checker finds in `files` (as HTML, or as SVG), named relative to `root`."""
    cmd = ["java", "-jar", str(VNU_JAR), "--errors-only", "--exit-zero-always", "--format", "json", "--stdout"]
    if svg:
        cmd.append("--svg")
    result = subprocess.run([*cmd, *map(str, files)], capture_output=True, text=True, check=False, timeout=240)
    if result.returncode != 0 or not result.stdout.strip():
        raise RuntimeError(f"vnu failed ({result.returncode}): {result.stderr.strip()}")
    findings = []
    for message in json.loads(result.stdout)["messages"]:
        path = Path(unquote(urlsplit(message.get("url", "")).path))
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
        line = message.get("lastLine", message.get("firstLine", 0))
        column = message.get("firstColumn", message.get("lastColumn", 0))
        findings.append(Finding(name, line, column, f"{message.get('type')}: {message.get('message', '')}"))
    return findings


def pa11y(urls: list[str], scheme: str) -> dict[str, object]:
    """HTML_CodeSniffer's WCAG2AA errors for each of `urls` in the palette `scheme`, and any blocked request."""
    arg = json.dumps({"urls": urls, "scheme": scheme, "chromium": CHROMIUM})
    env = {**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"}
    result = subprocess.run(
        ["node", str(PA11Y_RUN), arg], cwd=TOOLS, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if result.returncode != 0:
        raise RuntimeError(f"pa11y-run.js failed ({result.returncode}): {result.stderr.strip()}")
    return json.loads(result.stdout)
