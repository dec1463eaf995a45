"""A cheap scan that bounds a page before the HTML parser and trafilatura see it.

Two costs of a page do not follow its size in bytes. libxml2 checks every attribute of a tag
against all earlier ones, so one tag's cost grows with the square of its attributes (10,000
attributes took 0.3 s, 80,000 about 20 s). And trafilatura spends 15-100 microseconds on each
element, so 1 MB of ``<br>`` or ``<div><span>`` (160,000 elements) took 3-20 s and 0.5 GB.
The scan walks the start tags with one regular expression: attributes past
MAX_TAG_ATTRIBUTES are dropped from their tag, and the page is cut before the start tag
that would exceed MAX_HTML_ELEMENTS. Real pages stay far below both and pass unchanged.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import islice

__all__ = ["MAX_HTML_ELEMENTS", "MAX_TAG_ATTRIBUTES", "BoundedPage", "bound_html"]

# Start tags read from a page. Lighthouse flags pages of more than 1,400 elements as an
# excessive DOM; news article pages with their menus, related links and inline icons carry
# a few thousand, and the article sits in the first part (the cut keeps the <head> and the
# start of the body). trafilatura's costliest elements, distinct paragraphs, take 50-100
# microseconds each: 5,000 of them about 0.4 s, leaving room for the text steps.
MAX_HTML_ELEMENTS = 5_000
# Attributes read from one tag. Real tags carry a handful (about 30 with framework data-*
# attributes); 1 MB of tags with 100 attributes each (1,600 tags) parses in 0.06 s.
MAX_TAG_ATTRIBUTES = 100

# A start tag: its name, then its attributes up to the closing ">" (quoted values may hold
# ">"); the body's runs without quotes are taken whole so the scan stays fast and linear.
_START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)((?:[^>\"']+|\"[^\"]*\"|'[^']*')*)")
_ATTRIBUTE = re.compile(r"[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]*))?")
# Elements whose content is not markup: the scan skips to their end tag.
_RAW_TEXT_END = {
    "script": re.compile(r"</script", re.IGNORECASE),
    "style": re.compile(r"</style", re.IGNORECASE),
}


@dataclass(frozen=True)
class BoundedPage:
    """The page as the parser gets it, and where it was cut (None when it was not)."""

    html: str
    cut_at: int | None = None  # offset in the original page where the kept part ends
    trimmed_tags: int = 0  # tags whose attributes past MAX_TAG_ATTRIBUTES were dropped


def _attributes_end(html: str, start: int, end: int) -> int | None:
    """Where the attributes of html[start:end] past MAX_TAG_ATTRIBUTES begin, else None."""
    if end - start < 2 * MAX_TAG_ATTRIBUTES:  # an attribute and its separator take 2+ chars
        return None
    extra = next(islice(_ATTRIBUTE.finditer(html, start, end), MAX_TAG_ATTRIBUTES, None), None)
    return extra.start() if extra is not None else None


def _next_tag_from(html: str, tag: re.Match[str]) -> int:
    """Where to look for the next start tag: past a script's or a style's content."""
    raw_end = _RAW_TEXT_END.get(tag.group(1).lower())
    if raw_end is None:
        return tag.end()
    close = raw_end.search(html, tag.end())
    return close.start() if close is not None else len(html)


def bound_html(html: str) -> BoundedPage:
    """Drop attributes past the per-tag bound and cut the page past the element bound."""
    kept: list[str] = []
    copied = 0  # html[:copied] is in `kept` (or deliberately left out)
    at = 0
    trimmed = 0
    for _ in range(MAX_HTML_ELEMENTS):
        tag = _START_TAG.search(html, at)
        if tag is None:
            break
        extra = _attributes_end(html, tag.start(2), tag.end(2))
        if extra is not None:
            kept.append(html[copied:extra])
            copied = tag.end(2)
            trimmed += 1
        at = _next_tag_from(html, tag)
    else:
        over = _START_TAG.search(html, at)
        if over is not None:
            kept.append(html[copied : over.start()])
            return BoundedPage("".join(kept), cut_at=over.start(), trimmed_tags=trimmed)
    if not kept:
        return BoundedPage(html)
    kept.append(html[copied:])
    return BoundedPage("".join(kept), trimmed_tags=trimmed)
