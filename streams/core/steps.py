"""The named enrichment steps, in pipeline order: each fills fields of a Document.

Adding a step means writing a function ``(doc: Document) -> None`` here (or in a module of its
own) and adding one line to ``STEPS``; the agents and the CLI never change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple

from streams.core.entities.extract import extract_entities
from streams.core.entities.quotes import extract_quotes
from streams.core.escalation.assess import assess_escalation
from streams.core.temporal.published import PublishedTime, resolve_published
from streams.core.temporal.timexes import extract_timexes
from streams.core.text.clean import clean_text
from streams.core.text.fingerprint import simhash
from streams.core.text.html import HtmlExtract, extract_html, looks_like_html
from streams.core.text.language import detect_language
from streams.core.text.sentences import Sentences
from streams.errors import EmptyArticleError
from streams.models import Entity, Escalation, Quote, RawArticle, Timex

__all__ = ["Document", "Step", "STEPS"]


@dataclass
class Document:
    """An article on its way through the steps: the raw input and what each step added."""

    raw: RawArticle
    reference_time: datetime
    message_time: datetime | None
    source_tz: str | None
    ner_model: str | None = None  # optional statistical NER layer (name or path), else None
    html: HtmlExtract | None = None
    title: str | None = None
    text: str = ""
    header: list[str] = field(default_factory=list)
    sentences: Sentences = field(default_factory=lambda: Sentences([]))
    lang: str | None = None
    published: PublishedTime = PublishedTime(None, None)
    entities: list[Entity] = field(default_factory=list)
    timexes: list[Timex] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    escalation: Escalation = field(default_factory=Escalation)
    fingerprint: str = ""


class Step(NamedTuple):
    name: str
    run: Callable[[Document], None]


def parse_html(doc: Document) -> None:
    """Extract the main text from an HTML payload (a `html` field or HTML-looking text)."""
    raw = doc.raw
    page = raw.html if raw.html and raw.html.strip() else None
    if page is None and raw.body and looks_like_html(raw.body):
        page = raw.body
    if page is not None:
        doc.html = extract_html(page)
        doc.text = doc.html.text
        doc.title = raw.title or doc.html.title
    else:
        doc.text = raw.body or ""
        doc.title = raw.title


def clean(doc: Document) -> None:
    """Remove clutter, recover the title and split the sentences; no text left is a bad message."""
    cleaned = clean_text(doc.text, doc.title)
    if not cleaned.text.strip():
        raise EmptyArticleError("no article text is left once markup and clutter are removed")
    if not any(char.isalpha() for char in cleaned.text):
        raise EmptyArticleError("the text holds no words, only digits, symbols or punctuation")
    doc.title, doc.text, doc.header = cleaned.title, cleaned.text, list(cleaned.header)
    doc.sentences = Sentences.of(doc.text)


def language(doc: Document) -> None:
    """Take the language given by the producer or the page, else detect it."""
    doc.lang = doc.raw.lang or (doc.html.lang if doc.html else None) or detect_language(doc.text)


def published(doc: Document) -> None:
    """Find the publication time: field, HTML metadata, dateline, then message timestamp."""
    doc.published = resolve_published(
        field=doc.raw.published_at,
        html_value=doc.html.published if doc.html else None,
        header=doc.header,
        text=doc.text,
        reference=doc.reference_time,
        source_tz=doc.raw.tz or doc.source_tz,
        message_time=doc.message_time,
    )


def entities(doc: Document) -> None:
    """Named entities with canonical names; the optional model layer adds what rules missed."""
    found = extract_entities(doc.text, doc.lang)
    if doc.ner_model:
        from streams.core.entities.model import load_model, refine_entities

        found = refine_entities(doc.text, found, load_model(doc.ner_model))
    doc.entities = found


def timexes(doc: Document) -> None:
    """Time expressions resolved against the publication time (else the reference time)."""
    doc.timexes = extract_timexes(doc.text, doc.published.value or doc.reference_time)


def quotes(doc: Document) -> None:
    """Quotations with their speakers."""
    doc.quotes = extract_quotes(doc.text, doc.entities, doc.sentences)


def escalation(doc: Document) -> None:
    """Escalation level, categories, actions and matches."""
    doc.escalation = assess_escalation(doc.text, doc.title, doc.sentences)


def fingerprint(doc: Document) -> None:
    """Near-duplicate fingerprint of the cleaned text."""
    doc.fingerprint = simhash(doc.text)


#: The pipeline, in order.
STEPS: tuple[Step, ...] = (
    Step("html", parse_html),
    Step("clean", clean),
    Step("language", language),
    Step("published", published),
    Step("entities", entities),
    Step("timexes", timexes),
    Step("quotes", quotes),
    Step("escalation", escalation),
    Step("fingerprint", fingerprint),
)
