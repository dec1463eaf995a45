"""Title, publication-time string and language read from a parsed HTML page's markup."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["PageMeta", "page_metadata", "strip_site_name"]

# <meta> keys (property, name or itemprop, lower case) holding the publication time, best
# first. Modification times (article:modified_time, dateModified) are never read.
_PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "datepublished",
    "article.published",
    "og:published_time",
    "published_time",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "parsely-pub-date",
    "sailthru.date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.created",
    "date",
)
# Meta keys tried first; the rest of _PUBLISHED_META comes after JSON-LD and <time>.
_STRONG_META = 3
_TITLE_META = ("og:title", "twitter:title")
_SITE_META = ("og:site_name", "application-name", "twitter:site")
# " | ", " - ", " – ", " — ", " · ", " :: ", " » " between a headline and the site's name.
_TITLE_SEPARATOR = re.compile(r"\s+(?:[|·•»]|::|-|–|—)\s+")
# A trailing part no longer than this (in words) may be a site name, e.g. "The Daily Ledger".
_SITE_MAX_WORDS = 4
_LANG_CODE = re.compile(r"[a-zA-Z]{2,3}(?=$|[-_])")
_JSON_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{4,60})"')
_ARTICLE_TYPES = ("article", "posting", "report", "webpage", "liveblog")


@dataclass(frozen=True)
class PageMeta:
    """Metadata read from a page's markup (each None when absent)."""

    title: str | None
    published: str | None
    lang: str | None


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = " ".join(value.split())
    return value or None


def _meta_map(tree: Any) -> dict[str, str]:
    """Map each <meta> property/name/itemprop (lower case) to its first non-empty content."""
    found: dict[str, str] = {}
    for meta in tree.iter("meta"):
        content = _clean(meta.get("content"))
        if content is None:
            continue
        for attr in ("property", "name", "itemprop", "http-equiv"):
            key = meta.get(attr)
            if key:
                found.setdefault(key.strip().lower(), content)
    return found


def _json_ld_nodes(data: object) -> Iterator[dict[str, object]]:
    """Walk JSON-LD objects, @graph lists and nested arrays (depth-first, document order)."""
    stack: list[object] = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            yield item
            stack.extend(reversed([v for v in item.values() if isinstance(v, (dict, list))]))
        elif isinstance(item, list):
            stack.extend(reversed(item))


def _json_ld_published(tree: Any) -> str | None:
    """datePublished of the page's article object in its JSON-LD blocks."""
    fallback: str | None = None
    for script in tree.iter("script"):
        if "ld+json" not in (script.get("type") or "").lower():
            continue
        raw = script.text or ""
        try:
            data = json.loads(raw, strict=False)
        except ValueError:
            match = _JSON_DATE.search(raw)
            fallback = fallback or (match.group(1) if match else None)
            continue
        for node in _json_ld_nodes(data):
            value = node.get("datePublished")
            if not isinstance(value, str) or not value.strip():
                continue
            kind = node.get("@type")
            kinds = " ".join(kind) if isinstance(kind, list) else str(kind or "")
            if any(t in kinds.lower() for t in _ARTICLE_TYPES):
                return value.strip()
            fallback = fallback or value.strip()
    return fallback


def _time_published(tree: Any) -> str | None:
    """datetime of a <time> that marks publication, preferably inside the <article>."""
    articles = list(tree.iter("article"))
    scopes = articles[:1] or [tree]
    for scope in scopes:
        first: str | None = None
        for time in scope.iter("time"):
            value = _clean(time.get("datetime"))
            if value is None:
                continue
            marks = " ".join(
                [time.get("itemprop") or "", time.get("class") or "", time.get("pubdate") or ""]
            ).lower()
            if "pubdate" in time.attrib or "publish" in marks:
                return value
            if "modif" in marks or "update" in marks:
                continue
            if first is None and not any(a.tag in ("aside", "li") for a in time.iterancestors()):
                first = value
        if first is not None and articles:
            return first
    return None


def strip_site_name(title: str, site: str | None = None, h1: str | None = None) -> str:
    """Remove a " | Site name" suffix (or "Site | " prefix) from a page title."""
    parts = [p.strip() for p in _TITLE_SEPARATOR.split(title) if p.strip()]
    if len(parts) < 2:
        return title
    key = _key
    if h1 and key(h1) in {key(p) for p in parts}:
        return h1
    if site:
        kept = [p for p in parts if key(p) != key(site) and key(p) not in key(site)]
        if kept and len(kept) < len(parts):
            return " - ".join(kept) if len(kept) > 1 else kept[0]
    last, first = parts[-1], parts[0]
    domain = "." in last and " " not in last
    if (
        len(last.split()) <= _SITE_MAX_WORDS
        and (domain or len(last) < len(first))
        and _site_like(last)
    ):
        return title[: title.rfind(last)].rstrip(" |·•»:-–—")
    sep = _TITLE_SEPARATOR.search(title)
    if sep and "|" in sep.group(0) and len(first.split()) <= _SITE_MAX_WORDS < len(last.split()):
        return title[sep.end() :]
    return title


def _key(text: str) -> str:
    return re.sub(r"[\W_]+", "", text.casefold())


def _site_like(part: str) -> bool:
    """A site name is Title Case, all capitals, or a domain ("BBC News", "example.com")."""
    if "." in part and " " not in part:
        return True
    words = [w for w in part.split() if w[:1].isalpha()]
    return bool(words) and all(w[0].isupper() for w in words)


def _lang(tree: Any, meta: dict[str, str]) -> str | None:
    root = tree.getroottree().getroot()
    for value in (
        root.get("lang"),
        root.get("{http://www.w3.org/XML/1998/namespace}lang"),
        root.get("xml:lang"),
        meta.get("content-language"),
        meta.get("og:locale"),
    ):
        match = _LANG_CODE.match((value or "").strip())
        if match:
            return match.group(0).lower()
    return None


def _title(tree: Any, meta: dict[str, str]) -> str | None:
    h1_el = next(tree.iter("h1"), None)
    h1 = _clean(h1_el.text_content()) if h1_el is not None else None
    title_el = next(tree.iter("title"), None)
    site = next((meta[k] for k in _SITE_META if k in meta), None)
    candidates = [meta.get(k) for k in _TITLE_META]
    candidates.append(_clean(title_el.text_content()) if title_el is not None else None)
    for candidate in candidates:
        if candidate:
            return strip_site_name(candidate, site, h1)
    return h1


def page_metadata(tree: Any) -> PageMeta:
    """Read title, raw publication-time string and language from a parsed page."""
    meta = _meta_map(tree)
    published = next((meta[k] for k in _PUBLISHED_META[:_STRONG_META] if k in meta), None)
    published = published or _json_ld_published(tree) or _time_published(tree)
    published = published or next((meta[k] for k in _PUBLISHED_META if k in meta), None)
    return PageMeta(title=_title(tree, meta), published=published, lang=_lang(tree, meta))
