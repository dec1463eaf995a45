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
from streams.core.temporal.published import PLAUSIBLE_YEARS, PublishedTime, resolve_published
from streams.core.temporal.timexes import extract_timexes
from streams.core.text.bounds import article_cut, bounded_title
from streams.core.text.clean import clean_text, one_line
from streams.core.text.fingerprint import simhash
from streams.core.text.html import HtmlExtract, extract_html, looks_like_html
from streams.core.text.language import detect_language, language_tag
from streams.core.text.sentences import Sentences
from streams.errors import EmptyArticleError
from streams.models import Entity, Escalation, Quote, RawArticle, Timex, TruncatedField

__all__ = ["Document", "Step", "STEPS"]


@dataclass
class Document:
    """An article on its way through the steps: the raw input and what each step added."""

    raw: RawArticle
    reference_time: datetime
    message_time: datetime | None
    source_tz: str | None
    ner_model: str | None = None  # optional statistical NER layer (name or path), else None
    ner_tagger: bool = True  # the trained tagger finds names (else the rules alone)
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
    # Where the page was cut before parsing (offset in the page; html_bounds), else None.
    html_cut_at: int | None = None
    # Where the text the steps read was cut (offset in the page's main text or the body,
    # before cleaning; text.bounds), else None: `text` and every offset cover only that part.
    extraction_cut_at: int | None = None
    # What the bounds left unread, in characters: of the page ("html") and of the text
    # ("text"); the article's `truncated` marker reports it.
    unread: dict[TruncatedField, int] = field(default_factory=dict)
    # What the steps could not use in the input and went on without, one line each.
    warnings: list[str] = field(default_factory=list)


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
        doc.html_cut_at = doc.html.cut_at
        if doc.html_cut_at is not None:
            doc.unread["html"] = len(page) - doc.html_cut_at
        doc.text = doc.html.text
        doc.title = raw.title or doc.html.title
    else:
        doc.text = raw.body or ""
        doc.title = raw.title


def clean(doc: Document) -> None:
    """Bound the text, remove clutter, recover the title and split the sentences.

    No text left is a bad message. The bound (text.bounds) comes first because cleaning and
    every later step cost time in proportion to the text they read.
    """
    doc.extraction_cut_at = article_cut(doc.text)
    if doc.extraction_cut_at is not None:
        doc.unread["text"] = len(doc.text) - doc.extraction_cut_at
        doc.text = doc.text[: doc.extraction_cut_at]
    cleaned = clean_text(doc.text, doc.title)
    if not cleaned.text.strip():
        raise EmptyArticleError("no article text is left once markup and clutter are removed")
    if not any(char.isalpha() for char in cleaned.text):
        raise EmptyArticleError("the text holds no words, only digits, symbols or punctuation")
    doc.title, doc.text, doc.header = one_line(cleaned.title), cleaned.text, list(cleaned.header)
    doc.sentences = Sentences.of(doc.text)


def language(doc: Document) -> None:
    """Take the language given by the producer or the page when it is a language tag, else
    detect it; a producer's `lang` that is not one is reported in the article's warnings."""
    given = language_tag(doc.raw.lang) if doc.raw.lang else None
    if doc.raw.lang and given is None:
        doc.warnings.append(
            f"lang: {doc.raw.lang[:32]!r} is not a BCP 47 language tag; the language was "
            "detected instead"
        )
    declared = language_tag(doc.html.lang) if doc.html and doc.html.lang else None
    doc.lang = given or declared or detect_language(doc.text)


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
    given = doc.raw.published_at
    if given and given.strip() and doc.published.source != "field":
        years = f"{PLAUSIBLE_YEARS.start}-{PLAUSIBLE_YEARS.stop - 1}"
        found = f"taken from the {doc.published.source}" if doc.published.source else "unknown"
        doc.warnings.append(
            f"published_at: {given[:64]!r} is not an ISO 8601 time in the years {years}; "
            f"the publication time is {found}"
        )


def entities(doc: Document) -> None:
    """Named entities with canonical names; the optional model layer adds what rules missed."""
    found = extract_entities(doc.text, doc.lang, tagger=doc.ner_tagger, sentences=doc.sentences)
    if doc.ner_model:
        from streams.core.entities.model import load_model, refine_entities

        found = refine_entities(doc.text, found, load_model(doc.ner_model))
    doc.entities = found


def timexes(doc: Document) -> None:
    """Time expressions resolved against the publication time (else the reference time)."""
    doc.timexes = extract_timexes(
        doc.text, doc.published.value or doc.reference_time, doc.sentences
    )


def quotes(doc: Document) -> None:
    """Quotations with their speakers."""
    doc.quotes = extract_quotes(doc.text, doc.entities, doc.sentences)


def escalation(doc: Document) -> None:
    """Escalation events, casualties, level, categories, actions and matches."""
    doc.escalation = assess_escalation(
        doc.text, bounded_title(doc.title), doc.sentences, doc.entities
    )


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
