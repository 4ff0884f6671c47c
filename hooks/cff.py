"""The one reader of CITATION.cff: its text in, the Work it describes and every problem, each at its line.

A pure core: no MkDocs here. hooks/citations.py reads the file through `load_file` once per build, and
scripts/offline_zip.py names the zip from the same Work. The checks, all reported in one call:

1. YAML syntax: one problem at PyYAML's mark; nothing else can be checked then.
2. The official CFF 1.2.0 JSON schema (hooks/schemas/, vendored), one problem per failing value at its line.
3. This project's rules: what every citation needs (title, version, date-released, url), a version that can
   be part of a file name and is written as text, a real release date, url equal to site_url, a name for
   each author.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import TYPE_CHECKING, Any

import citation_record as record
import yaml
from citation_record import Author, Work
from problems import Problem
from yaml_lines import YamlLines, explain_syntax_error

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, MutableMapping

    import jsonschema
    from jsonschema.exceptions import ValidationError

    FieldPath = tuple[str | int, ...]

FILE = "CITATION.cff"
SCHEMA_FILE = Path(__file__).with_name("schemas") / "cff-1.2.0.schema.json"
REQUIRED = ("title", "version", "date-released", "url")
# Part of the key of a kept schema check: bump it when what _schema_problems reports changes.
CHECK_VERSION = 1
# The zip and its folder are named <title slug>-<version>.
VERSION_PATTERN = re.compile(r"[0-9A-Za-z][0-9A-Za-z.+_-]*")
# CFF 1.2.0 has no top-level key for the work's language (only references carry `languages`); the essay is
# English, and hooks/citations.py warns when mkdocs.yml's theme.language says otherwise.
LANGUAGE = "en"


def read(
    text: str, *, site_url: str | None, file: str = FILE, checked: MutableMapping[str, Any] | None = None
) -> tuple[Work | None, list[Problem]]:
    """The Work that CITATION.cff's `text` describes, and every problem in it, in the order of the file.

    `site_url` None skips the comparison with url (under `mkdocs serve`, which puts its own address there).
    The Work is None only when the file gives none (a syntax error, no mapping, a missing title, version,
    date or url); otherwise the problems come with it, and whoever reads them decides what they stop.
    `checked` keeps the schema's findings by the text's hash, so that a build whose CITATION.cff did not
    change neither imports jsonschema nor runs it (a tenth of a second, the most of a small site's warm build).
    """
    try:
        lines = YamlLines(text)
        data = yaml.load(text, Loader=_Loader)  # a SafeLoader that keeps dates as text
    except yaml.YAMLError as error:
        return None, [_syntax_problem(error, text, file)]
    if not isinstance(data, dict):
        what = "is empty" if data is None else "is not a mapping of keys to values"
        hint = "start from the template at https://citation-file-format.github.io (cff-version: 1.2.0, title: …)"
        return None, [Problem(file, lines.line(()) or 1, f"citation: the file {what}", hint)]
    found = _checked(text, file, checked, lambda: _schema_problems(data, lines, file))
    work = _work(data, lines)
    problems = [problem for problems in found.values() for problem in problems]
    problems += _project_problems(data, work, lines, file, site_url, covered=set(found))
    return work, sorted(problems, key=lambda p: (p.line, p.column))


def load_file(
    path: Path, *, site_url: str | None, checked: MutableMapping[str, Any] | None = None
) -> tuple[Work | None, list[Problem]]:
    """`read` for a file on disk; a file that cannot be read is one problem."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = error.strerror if isinstance(error, OSError) else "it is not UTF-8 text"
        hint = "CITATION.cff holds the citation record: title, version, date-released, url, authors"
        return None, [Problem(path.name, 1, f"citation: cannot read {path}: {reason}", hint)]
    return read(text, site_url=site_url, file=path.name, checked=checked)


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader with dates kept as written.

    The CFF schema checks dates as text (its own note asks tools to cast YAML dates to strings), and a
    date such as 2026-13-40 must become a problem at its line, not a ValueError from datetime.
    """


_Loader.add_constructor("tag:yaml.org,2002:timestamp", yaml.SafeLoader.construct_yaml_str)


def _checked(
    text: str,
    file: str,
    checked: MutableMapping[str, Any] | None,
    check: Callable[[], dict[FieldPath, list[Problem]]],
) -> dict[FieldPath, list[Problem]]:
    """The schema's findings for `text`: from `checked` when this very text was checked before."""
    if checked is None:
        return check()
    material = json.dumps([CHECK_VERSION, file, hashlib.sha256(SCHEMA_FILE.read_bytes()).hexdigest(), text])
    key = hashlib.sha256(material.encode("utf-8")).hexdigest()
    kept = checked.get(key)
    if kept is not None:
        return {tuple(path): [Problem(**fields) for fields in problems] for path, problems in kept}
    found = check()
    checked[key] = [[list(path), [dataclasses.asdict(p) for p in problems]] for path, problems in found.items()]
    return found


@functools.cache
def _validator() -> jsonschema.protocols.Validator:
    import jsonschema

    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    # The one rule of CFF 1.2.0 not applied: it asks for at least one author, but the essay names none and
    # citation metadata must never invent one. `authors: []` is an unsigned work, which every citation
    # style handles (the title moves to the author position). Every other rule of the schema applies.
    del schema["properties"]["authors"]["minItems"]
    # tests/test_cff.py checks the schema itself (check_schema), which would cost every build 10 ms.
    return jsonschema.validators.validator_for(schema)(schema)


@functools.cache
def _definitions() -> dict[int, str]:
    """The name of each schema definition, to say in plain words what a value of that form looks like."""
    return {id(schema): name for name, schema in _validator().schema["definitions"].items()}


# (what the value must be, what to write) for the forms the schema checks with a pattern or a long enum.
_FORMS = {
    "date": ("a date", "write it as YYYY-MM-DD, e.g. 2026-11-27"),
    "url": ("a web address", "start it with https:// (or http://, ftp://, sftp://)"),
    "orcid": ("an ORCID", "write the whole address, e.g. https://orcid.org/0000-0002-1825-0097"),
    "doi": ("a DOI", "write it without https://doi.org/, e.g. 10.5281/zenodo.1003150"),
    "email": ("an email address", "write it as name@example.org"),
    "swh-identifier": ("a Software Heritage identifier", "e.g. swh:1:dir:bc286860f423ea7ced246ba7458eef4b4541cf2d"),
    "license-enum": ("an SPDX licence identifier", "use one such as CC-BY-4.0 (the list: https://spdx.org/licenses/)"),
    "country": ("an ISO 3166-1 country code", "use two capital letters, e.g. DE"),
    "cff-version": ("1.2.0", "this file follows CFF 1.2.0: write cff-version: 1.2.0"),
}
_KINDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "array": "a list",
    "object": "a mapping",
    "boolean": "true or false",
    "null": "empty",
}
_SCHEMA_GUIDE = "https://github.com/citation-file-format/citation-file-format/blob/1.2.0/schema-guide.md"


def _schema_problems(data: dict[str, Any], lines: YamlLines, file: str) -> dict[FieldPath, list[Problem]]:
    """The problems the CFF schema finds, by the path of the field each is about."""
    found: dict[FieldPath, list[Problem]] = defaultdict(list)
    for error in _validator().iter_errors(data):
        for path, message, hint in _explain_all(_leaves(error)):
            line = lines.line(path) or lines.line(path[:-1]) or 1
            column = lines.column(path) or lines.column(path[:-1]) or 0
            problem = Problem(file, line, f"citation: {message}", hint, column=column)
            if problem not in found[path]:
                found[path].append(problem)
    return found


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that say what is wrong: for anyOf/oneOf, those of the alternative the value comes closest to.

    An alternative that rejects the value's kind (a mapping where text belongs) is not close; when every
    alternative does, the anyOf error itself stays, and says which kinds are taken.
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = defaultdict(list)
    for sub in error.context:
        branches[sub.relative_schema_path[0]].append(sub)
    close = [errors for errors in branches.values() if not _wrong_kind(errors, error)]
    if not close:
        return [error]
    return [leaf for sub in min(close, key=len) for leaf in _leaves(sub)]


def _wrong_kind(errors: list[ValidationError], parent: ValidationError) -> bool:
    return any(e.validator == "type" and e.absolute_path == parent.absolute_path for e in errors)


def _explain_all(errors: list[ValidationError]) -> Iterator[tuple[FieldPath, str, str]]:
    # A value of the wrong kind fails its other rules too (an enum, a pattern); the kind is the one to fix.
    wrong_kind = {tuple(e.absolute_path) for e in errors if e.validator in ("type", "anyOf", "oneOf")}
    for error in errors:
        path = tuple(error.absolute_path)
        if path in wrong_kind and error.validator not in ("type", "anyOf", "oneOf"):
            continue
        yield from _explain(error, path)


def _explain(error: ValidationError, path: FieldPath) -> Iterator[tuple[FieldPath, str, str]]:
    """(field path, message, hint) in plain words, one line each; jsonschema's own text can run to pages."""
    name, value, rule = _field(path), error.instance, error.validator
    if rule == "required":
        for key in error.validator_value:
            if key not in value:
                where = f"{key} is missing" if not path else f"{name} has no {key}"
                yield (*path, key), where, f"add {key}: (CFF 1.2.0 requires it)"
    elif rule == "additionalProperties":
        import difflib  # only a file with an unknown key needs it; every build would pay for importing it

        known = list(error.schema.get("properties", {}))
        for key in value:
            if key not in known:
                close = difflib.get_close_matches(str(key), known, n=1)
                hint = f"did you mean {close[0]}?" if close else f"CFF 1.2.0 has no such key; see {_SCHEMA_GUIDE}"
                yield (*path, key), f"unknown key {_field((*path, key))}", hint
    elif value is None:
        yield path, f"{name} has no value", "write one, or remove the key"
    elif rule in ("type", "anyOf", "oneOf") and _kinds_taken(error):
        expected = " or ".join(dict.fromkeys(_KINDS.get(kind, kind) for kind in _kinds_taken(error)))
        yield path, f"{name} must be {expected}, not {_kind_of(value)}", _kind_hint(expected, value)
    elif rule in ("pattern", "enum"):
        form, hint = _FORMS.get(_definition(error, path), (None, ""))
        if form is None and rule == "enum" and len(error.validator_value) <= 6:
            form, hint = f"one of: {', '.join(map(str, error.validator_value))}", "use one of them"
        yield path, f"{name} {_shown(value)} is not {form or 'in the form CFF 1.2.0 expects'}", hint or _SCHEMA_GUIDE
    elif rule == "minLength":
        yield path, f"{name} is empty", "write a value"
    elif rule == "minItems":
        yield path, f"{name} is an empty list", "list at least one item, or remove the key"
    elif rule == "uniqueItems":
        yield path, f"{name} lists the same item twice", "remove the repeat"
    else:
        yield path, f"{name} does not meet the CFF 1.2.0 rule '{rule}'", _SCHEMA_GUIDE


def _kinds_taken(error: ValidationError) -> list[str]:
    if error.validator == "type":
        kinds = error.validator_value
        return [kinds] if isinstance(kinds, str) else list(kinds)
    same_value = [sub for sub in error.context or () if sub.absolute_path == error.absolute_path]
    return [kind for sub in same_value if sub.validator == "type" for kind in _kinds_taken(sub)]


def _kind_of(value: object) -> str:
    if isinstance(value, bool):
        return f"true or false ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ({value!r})"
    return "a list" if isinstance(value, list) else "a mapping" if isinstance(value, dict) else type(value).__name__


def _kind_hint(expected: str, value: object) -> str:
    if expected.startswith("text") and not isinstance(value, list | dict):
        return "put the value in quotes"
    if expected == "a list":
        return "write one '- item' line per entry below the key"
    if expected == "a mapping":
        return "write it as key: value lines"
    return ""


def _definition(error: ValidationError, path: FieldPath) -> str:
    """The schema definition a value failed (date, url, orcid …), else the field's own name."""
    return _definitions().get(id(error.schema)) or next((str(s) for s in reversed(path) if isinstance(s, str)), "")


def _field(path: FieldPath) -> str:
    """`authors[0].orcid`: the path as a reader writes it."""
    text = "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path).lstrip(".")
    return text or "the file"


def _shown(value: object) -> str:
    return repr(value) if isinstance(value, str) else str(value)


def _project_problems(
    data: dict[str, Any],
    work: Work | None,
    lines: YamlLines,
    file: str,
    site_url: str | None,
    *,
    covered: set[FieldPath],
) -> list[Problem]:
    """This project's rules, for the fields the schema found nothing wrong with (`covered` holds those it did)."""
    problems: list[Problem] = []

    def add(path: FieldPath, message: str, hint: str) -> None:
        if not any(reported[: len(path)] == path for reported in covered):
            problems.append(Problem(file, lines.line(path) or lines.line(()) or 1, f"citation: {message}", hint))

    for key in REQUIRED:
        if key not in data:
            add((key,), f"{key} is missing", "every citation needs it")
        elif isinstance(data[key], str) and not data[key].strip():
            add((key,), f"{key} is empty", "every citation needs it")
    title, version, released, url = (data.get(key) for key in REQUIRED)
    if work is not None and not work.slug:
        hint = "the offline zip and the BibTeX keys are named after the title"
        add(("title",), f"title {title!r} has no letter or digit to name files after", hint)
    if isinstance(version, int | float) and not isinstance(version, bool):
        raw = _raw(lines, ("version",))
        hint = f'write version: "{raw}" (unquoted, YAML reads it as the number {version})'
        add(("version",), f'version must be a quoted string ("{raw}")', hint)
    elif isinstance(version, str) and version.strip() and not VERSION_PATTERN.fullmatch(version):
        hint = "use letters, digits and . + _ - only (the offline zip is named after the version)"
        add(("version",), f"version {version!r} cannot be part of a file name", hint)
    if isinstance(released, str) and released.strip() and _date(released) is None:
        hint = "write an existing date as YYYY-MM-DD"
        add(("date-released",), f"date-released {released!r} is not a real date", hint)
    if _text(url) and site_url is not None and record.with_slash(url) != record.with_slash(site_url):
        hint = "the canonical address must be one value; make them equal"
        add(("url",), f"url {url!r} differs from site_url {site_url!r} in mkdocs.yml", hint)
    authors = data.get("authors")
    for i, author in enumerate(authors if isinstance(authors, list) else []):
        if isinstance(author, dict) and not (_text(author.get("family-names")) or _text(author.get("name"))):
            hint = "a person needs family-names, an entity needs name"
            add(("authors", i), f"authors[{i}] has neither family-names nor name", hint)
    return problems


def _work(data: dict[str, Any], lines: YamlLines) -> Work | None:
    """The Work, from whatever of the file can be used; None when a field every citation needs is unusable."""
    title, url, released = data.get("title"), data.get("url"), _date(data.get("date-released"))
    version = data.get("version")
    if isinstance(version, int | float) and not isinstance(version, bool):
        version = _raw(lines, ("version",))  # as written: 1.10, not the float 1.1
    if not (_text(title) and _text(version) and released and _text(url)):
        return None
    licence = data.get("license")
    if isinstance(licence, list):
        licence = " OR ".join(str(item) for item in licence)
    authors = data.get("authors")
    keywords = data.get("keywords")
    return Work(
        title=title,
        version=version,
        released=released,
        url=record.with_slash(url),
        language=LANGUAGE,
        rights=f"Licensed under {licence} (SPDX)." if _text(licence) else record.NO_LICENCE,
        authors=tuple(a for a in map(_author, authors if isinstance(authors, list) else []) if a),
        abstract=data["abstract"] if _text(data.get("abstract")) else "",
        keywords=tuple(k for k in (keywords if isinstance(keywords, list) else []) if _text(k)),
    )


def _author(data: object) -> Author | None:
    if not isinstance(data, dict):
        return None
    if _text(data.get("family-names")):
        return Author(
            family=data["family-names"],
            given=str(data.get("given-names") or ""),
            particle=str(data.get("name-particle") or ""),
        )
    return Author(entity=data["name"]) if _text(data.get("name")) else None


def _raw(lines: YamlLines, path: FieldPath) -> str:
    """A scalar as written in the file (`1.10`), where PyYAML's value would be the float 1.1."""
    node = lines.node(path)
    return node.value if isinstance(node, yaml.ScalarNode) else ""


def _text(value: object) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _date(value: object) -> dt.date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _syntax_problem(error: yaml.YAMLError, text: str, file: str) -> Problem:
    """One line for a YAML syntax error, at PyYAML's mark, in plain words."""
    found = explain_syntax_error(error, text)
    return Problem(file, found.line, f"citation: {found.message}", found.hint, column=found.column)
