"""The citation record: the Work that CITATION.cff describes, out as CSL-JSON, BibTeX, RIS and <head> metadata.

A pure core: no MkDocs here, so tests call it directly. hooks/cff.py reads CITATION.cff into a Work;
hooks/citations.py is the only caller in a build.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import datetime as dt

# Said when CITATION.cff names no licence: nothing may be read as a grant the publisher never made.
NO_LICENCE = "No licence is granted: all rights are reserved by the copyright holder."


@dataclass(frozen=True)
class Author:
    """A person (family/given) or an entity (name), as CFF distinguishes them."""

    family: str = ""
    given: str = ""
    particle: str = ""
    entity: str = ""

    @property
    def inverted(self) -> str:
        """'Family, Given' for a person, the name for an entity: how DC, BibTeX and RIS list creators."""
        if self.entity:
            return self.entity
        family = f"{self.particle} {self.family}".strip()
        return f"{family}, {self.given}" if self.given else family

    @property
    def display(self) -> str:
        return self.entity or " ".join(p for p in (self.given, self.particle, self.family) if p)


@dataclass(frozen=True)
class Work:
    """What every output says about the essay; one per build, read from CITATION.cff."""

    title: str
    version: str
    released: dt.date
    url: str
    language: str
    rights: str
    authors: tuple[Author, ...] = ()
    abstract: str = ""
    keywords: tuple[str, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        """The title in ASCII letters and digits joined by hyphens: `NATO–Russia Tensions` → `nato-russia-tensions`.

        The project's only slug rule: the offline zip and the BibTeX keys are named with it.
        """
        # Accents go (é → e); every other run of non-ASCII-alphanumerics, dashes included, becomes one hyphen.
        bare = "".join(c for c in unicodedata.normalize("NFKD", self.title) if not unicodedata.combining(c))
        return re.sub(r"[^a-z0-9]+", "-", bare.lower()).strip("-")


@dataclass(frozen=True)
class Cited:
    """One citable item: a page of the essay, or the whole essay (container is then empty)."""

    key: str
    title: str
    url: str  # the address citations give: the frozen edition's, whose words never change
    container: str
    work: Work
    current: str = ""  # the same page in the current edition (the site's root), which later releases change
    canonical: str = ""  # the address of the copy being read, for <head>; "" when it is `url`

    @property
    def here(self) -> str:
        return self.canonical or self.url


def essay(work: Work, *, url: str = "", current: str = "", canonical: str = "") -> Cited:
    """The whole essay; `url` defaults to CITATION.cff's, the current edition's home page."""
    return Cited(work.slug, work.title, url or work.url, "", work, current=current, canonical=canonical)


def page(work: Work, *, name: str, title: str, url: str, current: str = "", canonical: str = "") -> Cited:
    return Cited(f"{work.slug}-{name}", title, url, work.title, work, current=current, canonical=canonical)


def csl(item: Cited) -> dict[str, Any]:
    """The CSL-JSON item; citeproc-py renders from exactly this."""
    data: dict[str, Any] = {
        "id": item.key,
        "type": "webpage",
        "title": item.title,
        "URL": item.url,
        "issued": {"date-parts": [[item.work.released.year, item.work.released.month, item.work.released.day]]},
        "version": item.work.version,
        "language": item.work.language,
    }
    if item.container:
        data["container-title"] = item.container
    if item.work.authors:
        data["author"] = [_csl_name(a) for a in item.work.authors]
    return data


def exports(item: Cited) -> dict[str, str]:
    """The item as a file in each export format: BibTeX, RIS and CSL-JSON, by file extension."""
    return {"bib": bibtex(item), "ris": ris(item), "json": csl_json(item)}


def csl_json(item: Cited) -> str:
    return json.dumps([csl(item)], ensure_ascii=False, indent=2) + "\n"


def bibtex(item: Cited) -> str:
    """A biblatex @online entry; `date` for biblatex, `year` for classic BibTeX styles.

    The title is braced once more so that BibTeX styles keep its capitals (NATO).
    """
    released = item.work.released
    fields = [("title", "{" + item.title + "}")]
    if item.work.authors:
        fields.append(("author", " and ".join(_bib_name(a) for a in item.work.authors)))
    if item.container:
        fields.append(("organization", item.container))
    fields += [
        ("date", released.isoformat()),
        ("year", str(released.year)),
        ("version", item.work.version),
        ("url", item.url),
        ("langid", item.work.language),
    ]
    import bibtexparser  # only when the exports are not already kept from an earlier build
    from bibtexparser.model import Entry, Field

    library = bibtexparser.Library([Entry("online", item.key, [Field(k, v) for k, v in fields])])
    return bibtexparser.write_string(library)


def ris(item: Cited) -> str:
    """An RIS record of type ELEC (web page): T2 is the website's title, ET the version."""
    released = item.work.released
    record: dict[str, Any] = {
        "type_of_reference": "ELEC",
        "title": item.title,
        "year": str(released.year),
        "date": f"{released.year:04d}/{released.month:02d}/{released.day:02d}/",
        "edition": item.work.version,
        "urls": [item.url],
        "language": item.work.language,
        "id": item.key,
    }
    if item.container:
        record["secondary_title"] = item.container
    if item.work.authors:
        record["authors"] = [a.inverted for a in item.work.authors]
    import rispy  # only when the exports are not already kept from an earlier build

    class _RisWithoutNumbers(rispy.RisWriter):
        # rispy numbers each record ("1."); that line is not RIS, and some importers choke on it.
        def set_header(self, count: int) -> str:
            return ""

    return rispy.dumps([record], implementation=_RisWithoutNumbers)


def head(item: Cited, *, highwire: bool = False) -> list[dict[str, str]]:
    """<meta> tags for reference managers: Dublin Core and Open Graph; Highwire only on request.

    Highwire's citation_title makes Zotero file a journal article, which this is not, hence the switch.
    """
    work = item.work
    website = item.container or work.title
    tags = [{"name": "DC.title", "content": item.title}]
    tags += [{"name": "DC.creator", "content": a.inverted} for a in work.authors]
    tags += [
        {"name": "DC.identifier", "content": item.url},
        {"name": "DC.date", "content": work.released.isoformat()},
        {"name": "DC.source", "content": website},
        {"name": "DC.type", "content": "Text"},
        {"name": "DC.language", "content": work.language},
        {"name": "DC.rights", "content": work.rights},
        {"property": "og:type", "content": "article"},
        {"property": "og:site_name", "content": website},
        {"property": "og:title", "content": item.title},
        {"property": "og:url", "content": item.here},
        {"property": "article:published_time", "content": work.released.isoformat()},
    ]
    if highwire:
        tags.append({"name": "citation_title", "content": item.title})
        tags += [{"name": "citation_author", "content": a.inverted} for a in work.authors]
        tags += [
            {"name": "citation_publication_date", "content": work.released.strftime("%Y/%m/%d")},
            {"name": "citation_public_url", "content": item.here},
            {"name": "citation_language", "content": work.language},
        ]
    return tags


def json_ld(item: Cited) -> str:
    """schema.org JSON-LD for search engines (Zotero ignores it); safe to place inside <script>."""
    work = item.work
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Article" if item.container else "WebPage",
        "headline": item.title,
        "name": item.title,
        "url": item.here,
        "datePublished": work.released.isoformat(),
        "version": work.version,
        "inLanguage": work.language,
        "copyrightNotice": work.rights,
    }
    if item.url != item.here:
        data["archivedAt"] = item.url  # the frozen edition: schema.org's link to a work's archived copy
    if item.container:
        data["isPartOf"] = {"@type": "WebSite", "name": work.title, "url": work.url}
    if work.authors:
        data["author"] = [_schema_name(a) for a in work.authors]
    # "</" inside a <script> would end it early; the escaped form is the same JSON.
    return json.dumps(data, ensure_ascii=False, indent=2).replace("</", "<\\/")


def _csl_name(author: Author) -> dict[str, str]:
    if author.entity:
        return {"literal": author.entity}
    name = {"family": author.family, "given": author.given}
    if author.particle:
        name["non-dropping-particle"] = author.particle
    return {k: v for k, v in name.items() if v}


def _bib_name(author: Author) -> str:
    # Braces keep an entity's name whole: BibTeX would otherwise split it into given and family names.
    return "{" + author.entity + "}" if author.entity else author.inverted


def _schema_name(author: Author) -> dict[str, str]:
    if author.entity:
        return {"@type": "Organization", "name": author.entity}
    return {"@type": "Person", "name": author.display, "familyName": author.family, "givenName": author.given}


def with_slash(url: str) -> str:
    """The URL with one trailing slash: how site_url and CITATION.cff's url are compared and joined."""
    return url if url.endswith("/") else url + "/"
