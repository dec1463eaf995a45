"""Main-text extraction from raw HTML pages (menus, ads, cookie notices and related links gone)."""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["HtmlExtract", "looks_like_html", "extract_html"]


@dataclass(frozen=True)
class HtmlExtract:
    text: str
    title: str | None = None
    published: str | None = None  # raw string of the publication time found in the page
    lang: str | None = None


def looks_like_html(text: str) -> bool:
    """Tell whether a plain-text payload is really an HTML page or fragment."""
    raise NotImplementedError


def extract_html(html: str) -> HtmlExtract:
    """Return the article's main text, title, published-time string and language from a page."""
    raise NotImplementedError
