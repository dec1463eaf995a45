"""Alert rules: which enriched articles become alerts, and what an alert says."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import datetime

from streams.models import LEVELS, Alert, EnrichedArticle, EscalationMatch, Level

__all__ = ["AlertRules", "alert_for", "alert_id_of", "summarize"]

#: How many canonical entity names an alert lists (most mentioned first).
MAX_ALERT_ENTITIES = 8
#: Longest summary, in characters.
MAX_SUMMARY_CHARS = 400

#: A sentence ends at . ! or ? (optionally closed by a quote mark) before white space, or at a
#: line break; a comma inside a quotation does not end it.
_SENTENCE_END = re.compile(r"(?:(?<=[.!?])|(?<=[.!?][\"\u201d\u2019]))\s+|\n+")


@dataclass(frozen=True)
class AlertRules:
    """What makes an alert: for now, a minimum escalation level."""

    min_level: Level = "medium"


def alert_id_of(kind: str, article_id: str, level: Level) -> str:
    """Stable alert id: the same input and level give the same id on every replay."""
    digest = hashlib.blake2b(f"{kind}|{article_id}|{level}".encode(), digest_size=12)
    return digest.hexdigest()


def _sentence_around(text: str, match: EscalationMatch) -> str:
    start = 0
    for boundary in _SENTENCE_END.finditer(text, 0, match.start):
        start = boundary.end()
    end_match = _SENTENCE_END.search(text, match.end)
    end = end_match.start() if end_match else len(text)
    return " ".join(text[start:end].split())


def summarize(article: EnrichedArticle, max_sentences: int = 2) -> str:
    """One or two sentences that hold the strongest asserted escalation matches."""
    live = [m for m in article.escalation.matches if m.modality != "negated"]
    ranked = sorted(live, key=lambda m: (-m.weight, m.start))
    sentences: list[str] = []
    for match in ranked:
        sentence = _sentence_around(article.text, match)
        if sentence and sentence != article.title and sentence not in sentences:
            sentences.append(sentence)
        if len(sentences) == max_sentences:
            break
    summary = " ".join(sentences) or (article.title or article.text[:200])
    if len(summary) > MAX_SUMMARY_CHARS:
        summary = summary[: MAX_SUMMARY_CHARS - 1].rstrip() + "\u2026"
    return summary


def alert_for(article: EnrichedArticle, rules: AlertRules, now: datetime) -> Alert | None:
    """An escalation alert when the article reaches the rules' level, else None."""
    esc = article.escalation
    if not esc.flag or LEVELS.index(esc.level) < LEVELS.index(rules.min_level):
        return None
    named = [e for e in article.entities if e.type != "MISC"]
    entities = sorted(named, key=lambda e: (-e.count, e.start))
    strongest = max(esc.matches, key=lambda m: m.weight, default=None)
    reason = f"level {esc.level} >= {rules.min_level} (score {esc.score:.2f}"
    reason += f", strongest {strongest.term!r})" if strongest else ")"
    return Alert(
        alert_id=alert_id_of("escalation", article.article_id, esc.level),
        kind="escalation",
        level=esc.level,
        title=article.title,
        summary=summarize(article),
        article_id=article.article_id,
        entities=[e.canonical for e in entities[:MAX_ALERT_ENTITIES]],
        categories=list(esc.categories),
        actions=list(esc.actions),
        published_at=article.published_at,
        created_at=now.isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        reason=reason,
    )
