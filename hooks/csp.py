"""Content-Security-Policy: every page declares, in a <meta http-equiv>, that it runs only its own code.

Scripts, styles, images, fonts and connections come only from the site itself ('self'); the few inline
scripts Material and the plugins write, and the inline styles of the diagrams' SVG, are allowed one by one,
by the sha256 of their exact text in the final HTML. A pure core: hooks/final_page.py computes the policy
from its one parse of each final page, after every other change to the page, and writes it in place of TOKEN.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass

# Script types a browser executes; any other type (Material's JSON config) is data and needs no hash.
EXECUTABLE_TYPES = {"", "text/javascript", "application/javascript", "module"}

# The fixed part of the policy; img-src allows data: because Material's icons are inline data: images.
# <meta> cannot carry frame-ancestors, report-uri or sandbox; a host's HTTP header would add those.
BASE_DIRECTIVES: dict[str, list[str]] = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
}
# Mermaid writes a <style> element and style attributes into every SVG it draws; the diagrams are inlined at
# build time (hooks/diagrams.py), so each is allowed by its hash. A hash matches a style attribute only
# alongside 'unsafe-hashes' (CSP level 3), which allows nothing else: never 'unsafe-inline'.
UNSAFE_HASHES = "'unsafe-hashes'"

# From disk (file://) Material runs its search worker through the iframe-worker shim (offline build), which
# writes this inline script into a same-origin iframe; the iframe inherits the page's policy, so the script
# needs a hash. It is the shim's own text (iframe-worker 1.0.4, docs/assets/vendor/iframe-worker/shim.js;
# tests/test_csp.py checks the vendored file still contains it) with the worker's URL filled in.
IFRAME_WORKER_SCRIPT = (
    'postMessage=function c(s,n){parent.postMessage(s,n||"*")};'
    "importScripts=function d(...s){return s.reduce((n,e)=>n.then(()=>new Promise(r=>{"
    'let t=document.createElement("script");t.src=e,t.onload=r,document.body.appendChild(t)})),Promise.resolve())};'
    'addEventListener("error",({error})=>{parent.dispatchEvent(new ErrorEvent("error",{filename:"WORKER_URL",error}))})'
)

# The template (overrides/main.html) writes this token as the policy's content; hooks/final_page.py replaces it.
TOKEN = "content-security-policy-from-hooks-csp"


@dataclass(frozen=True)
class Script:
    """A <script> element of the page, as the parser found it."""

    text: str
    src: str | None = None
    type: str = ""
    id: str = ""


@dataclass(frozen=True)
class InlineCode:
    """What a page runs or styles inline: what its policy must allow, and nothing else."""

    scripts: tuple[Script, ...] = ()
    styles: tuple[str, ...] = ()  # the text of each <style> element
    style_attributes: tuple[str, ...] = ()  # the value of each style attribute


def policy(page: InlineCode) -> str:
    """The page's policy: the fixed directives, plus a hash for each inline script it runs and style it has."""
    directives = {name: list(sources) for name, sources in BASE_DIRECTIVES.items()}
    elements, attributes = _unique(page.styles), _unique(page.style_attributes)
    if attributes:
        directives["style-src"].append(UNSAFE_HASHES)
    directives["style-src"] += [f"'{digest}'" for digest in dict.fromkeys(elements + attributes)]
    digests = inline_script_hashes(page.scripts) + iframe_worker_hashes(page.scripts)
    directives["script-src"] += [f"'{digest}'" for digest in digests]
    return "; ".join(f"{name} {' '.join(sources)}" for name, sources in directives.items())


def inline_script_hashes(scripts: tuple[Script, ...]) -> list[str]:
    """sha256 sources for every executable inline script, in document order, without repeats."""
    executable = [s for s in scripts if s.src is None and s.type.strip().lower() in EXECUTABLE_TYPES]
    return _unique(tuple(s.text for s in executable))


def iframe_worker_hashes(scripts: tuple[Script, ...]) -> list[str]:
    """The hash of the shim's iframe script, on pages that load the shim and run Material's search worker."""
    if not any("iframe-worker" in (s.src or "") for s in scripts):
        return []
    config = next((s for s in scripts if s.id == "__config"), None)
    worker = json.loads(config.text or "{}").get("search") if config is not None else None
    return [_sha256(IFRAME_WORKER_SCRIPT.replace("WORKER_URL", worker))] if worker else []


def parse_policy(content: str) -> dict[str, list[str]]:
    """A policy string as {directive: [sources]}, for tests and the bench."""
    directives: dict[str, list[str]] = {}
    for part in filter(str.strip, content.split(";")):
        name, *sources = part.split()
        directives[name.lower()] = sources
    return directives


def _unique(texts: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(_sha256(text) for text in texts))


def _sha256(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")
