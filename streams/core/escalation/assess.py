"""Escalation language: lexicon matches with action, category, modality, and a level.

The lexicon (``data/escalation.yaml``) lists PLOVER-style actions as word-slot patterns with
their inflections, each with a category and a weight. Matching runs over the lowercased word
tokens of the cleaned text; a multi-word pattern may skip a few words inside one clause
("deployment of strike weapons", "transfer of NATO troops").

Every match gets a modality from the words before it in its clause (and, for attribution,
from its sentence or enclosing quotation marks):

- negated: "denied any plans to deploy troops", "no missiles were moved", "ruled out"
  ("did not rule out military action" is a live threat: hypothetical, not negated);
- hypothetical: could, might, would, if, threatened to ...;
- future: will, plans to, is set to ...;
- reported: said, according to, reportedly, or inside a quotation;
- asserted: none of these.

Domain and trap cues from the YAML (sport, business, labour strikes, natural disasters,
history lessons, peace deals and troop withdrawals, lifted sanctions, hostage releases,
background clauses) in the sentence of a match drop it or discount it for the categories
they cover; entries also carry `exclude` collocations ("price war", "invasion of privacy").
A domain found in the title and lead (a football report, a flood, a strike, a peace deal,
an anniversary) discounts its categories throughout the story, unless the title or the
dateline sentence asserts a high-level act of those categories.

Categories come from counting matches only: asserted and reported ones name them (hedged
ones only when nothing is asserted); `support` terms ("troops", "war", "militants")
corroborate a category but never introduce it; `defer_to` terms ("bombing", "threat") are
counted under the story's terrorism or nuclear category when it has one. A weapon in a
sentence that reports deaths is raised to the high band (a lethal strike).

Level rubric (the weight bands are in the YAML):

- low: rhetoric, warnings, demands, protests;
- medium: expulsions, sanctions, deployments, drills, airspace violations, riots;
- high: lethal strikes, shelling, invasion, mobilisation, ultimatums, embassy evacuations;
- critical: nuclear threats or alert changes, declared war.

The strongest counting match sets the level: asserted and reported matches at their own
level, hypothetical and future ones one level lower (never below low), negated ones never.
The score is a damped noisy-OR over distinct entries (the strongest occurrence of each):
``1 - (1 - s_top) * prod(1 - d * s_other)`` with ``s = weight * modality_factor`` and the
damping ``d`` of the YAML, so corroboration raises the score without letting a pile of
rhetoric outrank one strong act. Title matches count towards
level and score; only text matches are returned, so every offset indexes ``text``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import cast

from streams.core.escalation.casualties import CasualtyMention, find_casualties
from streams.core.escalation.events import EventHit, build_events
from streams.core.escalation.lexicon import Context, Entry, Lexicon, Pattern, lexicon
from streams.core.escalation.text import (
    Tokens,
    lowercase,
    modality_of,
    quote_spans,
    tokenize,
)
from streams.core.text.sentences import Sentences, sentence_spans
from streams.models import (
    ACTIONS,
    CATEGORIES,
    LEVELS,
    Casualties,
    CasualtyCount,
    Category,
    Entity,
    Escalation,
    EscalationMatch,
    Modality,
)

__all__ = ["assess_escalation", "find_matches", "story_contexts"]

_LIVE_LEVEL = 3  # a lead asserting an act of this level (high) keeps its story live
_MIN_SENTENCE = 60  # ... when it stands in the title or the dateline sentence: the first
_LEAD_SCAN = 600  # sentence ending past 60 characters within the first 600 (skips "Sign in")
_EXCLUDE_REACH = 3  # words either side of a match searched for an entry's `exclude` phrases
#: Killed in the story's violent events from which the level is critical (mass casualties:
#: the threshold of ten is the one of "mass-casualty attack" in incident coding practice).
MASS_CASUALTIES = 10
_MASS_LEVEL = 4  # critical
#: Month names that are also verbs: capitalised ("2 March"), they do not make a sentence
#: worth reading (a sentence with another anchor word still is: "Thousands March ..." is not).
_MONTH_VERBS = frozenset({"march", "may"})
_TOLL_SENTENCES = 5  # sentences after a violent event's that may state its toll
#: Classes of violence: their deaths set the level (with `boost` entries: riots, weapons).
VIOLENT_CLASSES = frozenset({"ASSAULT", "FIGHT", "MASS_VIOLENCE"})


@dataclass(frozen=True, slots=True)
class _Hit:
    entry: Entry
    start: int  # character offsets
    end: int
    weight: float  # entry weight times the context factor
    modality: Modality
    category: str  # the entry's category, or the one it defers to in this story


def _match_at(tokens: Tokens, index: int, pattern: Pattern) -> int | None:
    """Index of the last word when `pattern` matches from word `index`, else None."""
    words = tokens.words
    later = pattern.slots[1:]
    wordset = tokens.wordset
    for slot in later:  # a slot no word of the sentence fills: no match (the common case)
        if slot.isdisjoint(wordset):
            return None
    position = index
    for gap, slot in zip(pattern.gaps, later, strict=True):
        limit = min(position + gap + 2, len(words))
        found = None
        for candidate in range(position + 1, limit):
            if tokens.clause_break(candidate):
                break
            if words[candidate] in slot:
                found = candidate
                break
        if found is None:
            return None
        position = found
    return position


def _excluded(tokens: Tokens, first: int, last: int, entry: Entry) -> bool:
    """True when one of the entry's exclude phrases stands next to the match."""
    if not entry.exclude or entry.exclude_firsts.isdisjoint(tokens.wordset):
        return False
    low = max(0, first - _EXCLUDE_REACH - 2)
    near = tuple(tokens.words[low : last + _EXCLUDE_REACH + 3])
    for phrase in entry.exclude:
        size = len(phrase)
        for i in range(len(near) - size + 1):
            if near[i : i + size] == phrase:
                return True
    return False


def _factors(tokens: Tokens, lex: Lexicon, story: tuple[Context, ...]) -> dict[str, float]:
    """Context factor per category for one sentence (categories left out keep 1.0).

    A sentence context applies when its cues are in the sentence; a story context (found in
    the lead) applies to every sentence that holds none of its `unless` cues.
    """
    factors: dict[str, float] = {}
    words, wordset = tokens.words, tokens.wordset
    joined = " ".join(words)
    in_story = {id(s) for s in story}
    for context in lex.contexts:
        if id(context) in in_story:
            if context.unless.found_in(words, wordset):
                continue
        elif context.reach:
            continue  # weighed per match (_near_factor)
        elif not context.may_apply(wordset) or not context.active(words, wordset, joined):
            continue
        factor = context.factor
        for category in context.categories or CATEGORIES:
            factors[category] = factors.get(category, 1.0) * factor
    return factors


def _contexts_of(
    tokens: Tokens, lex: Lexicon, story: tuple[Context, ...]
) -> tuple[dict[str, float], tuple[Context, ...]]:
    """The sentence's context factors and near contexts, worked out once per sentence."""
    if tokens.factors is None or tokens.near is None:
        tokens.factors = _factors(tokens, lex, story)
        tokens.near = _near_contexts(tokens, lex, story)
    return tokens.factors, cast(tuple[Context, ...], tokens.near)


def _near_contexts(tokens: Tokens, lex: Lexicon, story: tuple[Context, ...]) -> tuple[Context, ...]:
    """The contexts with a reach whose cues the sentence holds (none of their `unless`);
    those the story set are already weighed for the whole sentence."""
    if not lex.near_contexts:
        return ()
    words, wordset = tokens.words, tokens.wordset
    joined = " ".join(words)
    return tuple(
        c
        for c in lex.near_contexts
        if c not in story and c.may_apply(wordset) and c.active(words, wordset, joined)
    )


def _near_factor(
    tokens: Tokens, near: tuple[Context, ...], span: tuple[int, int], category: str
) -> float:
    """Factor of the contexts `near` whose cues stand near the match ("the 1994 genocide")."""
    factor = 1.0
    first, last = span
    for context in near:
        if context.categories is not None and category not in context.categories:
            continue
        window = tokens.words[max(0, first - context.reach) : last + context.reach + 1]
        if context.active(window, frozenset(window)):
            factor *= context.factor
    return factor


def _lethal(tokens: Tokens, lex: Lexicon) -> bool:
    """True when the sentence reports deaths ("killing four", "were killed")."""
    return lex.lethal.found_in(tokens.words, tokens.wordset) and not lex.lethal_unless.found_in(
        tokens.words, tokens.wordset
    )


def _candidate_sentences(
    text: str, lowered: str, lex: Lexicon, sentences: Sentences | None
) -> list[tuple[int, int]]:
    """Sentences holding at least one anchor word of a pattern (lexicon._anchor_words)."""
    size = len(lowered)
    positions = [
        start
        for _, start, end in lex.automaton.find_matches_as_indexes(lowered)
        if (start == 0 or not lowered[start - 1].isalnum())
        and (end == size or not lowered[end].isalnum())
        and not (text[start].isupper() and lowered[start:end] in _MONTH_VERBS)
    ]
    if not positions:
        return []
    spans = sentences.spans if sentences is not None else sentence_spans(text)
    chosen: list[tuple[int, int]] = []
    for position in positions:
        span = spans[bisect_right(spans, (position, size + 1)) - 1]
        if not chosen or chosen[-1] != span:
            chosen.append(span)
    return chosen


def _raw_hits(
    text: str,
    lex: Lexicon,
    story: tuple[Context, ...] = (),
    sentences: Sentences | None = None,
    memo: dict[int, Tokens] | None = None,
) -> list[_Hit]:
    """Every pattern match that survives exclusions and domain contexts; `memo` keeps the
    tokens of each sentence read (by its start) for the casualty figures."""
    hits: list[_Hit] = []
    lowered = lowercase(text)
    candidates = _candidate_sentences(text, lowered, lex, sentences)
    quotes = quote_spans(text) if candidates else []
    for low, high in candidates:
        tokens = tokenize(text, lowered, low, high)
        if memo is not None:
            memo[low] = tokens
        hits.extend(_sentence_hits(tokens, lex, story, quotes))
    return _drop_contained(hits)


def _sentence_hits(
    tokens: Tokens, lex: Lexicon, story: tuple[Context, ...], quotes: list[tuple[int, int]]
) -> list[_Hit]:
    """The weighed matches of one sentence, less those its contexts rule out (factor 0).

    The sentence's context factors and whether it reports deaths are worked out once, and
    only when a match needs them.
    """
    hits: list[_Hit] = []
    factors: dict[str, float] | None = None
    near: tuple[Context, ...] = ()
    lethal: bool | None = None
    for index, last, entry in _pattern_matches(tokens, lex):
        if factors is None:
            factors, near = _contexts_of(tokens, lex, story)
        # a cooperative event (a release, a peace deal) never counts: the contexts that
        # discount violence near it must not hide it from the events
        factor = 1.0 if entry.cooperative else factors.get(entry.category, 1.0)
        if factor > 0.0 and near and not entry.cooperative:
            factor *= _near_factor(tokens, near, (index, last), entry.category)
        if factor <= 0.0:
            continue
        weight = entry.weight
        if entry.boost and weight < lex.lethal_floor:
            if lethal is None:
                lethal = _lethal(tokens, lex)
            if lethal:
                weight = lex.lethal_floor  # a weapon in a sentence that reports deaths
        modality = modality_of(tokens, index, last, quotes, lex)
        start, end = tokens.starts[index], tokens.ends[last]
        hits.append(_Hit(entry, start, end, weight * factor, modality, entry.category))
    return hits


def _viable(tokens: Tokens, lex: Lexicon) -> dict[str, list[Pattern]]:
    """Per first word of the sentence: the patterns whose every slot some word fills.

    Found with bit sets once per sentence (patterns by a word of their first slot, and by a
    word of their last), not pattern by pattern at each occurrence of a word.
    """
    wordset = tokens.wordset
    patterns = lex.patterns
    viable: dict[str, list[Pattern]] = {}
    firsts = wordset & lex.first_words
    if not firsts:
        return viable
    ending = 0
    for word in wordset & lex.last_words:
        ending |= lex.last_bits[word]
    for word in firsts:
        candidates = lex.first_bits[word] & ending
        kept: list[Pattern] = []
        while candidates:
            lowest = candidates & -candidates
            candidates ^= lowest
            pattern = patterns[lowest.bit_length() - 1]
            if len(pattern.slots) < 3 or not any(
                s.isdisjoint(wordset) for s in pattern.slots[1:-1]
            ):
                kept.append(pattern)
        if kept:
            viable[word] = kept
    return viable


def _pattern_matches(tokens: Tokens, lex: Lexicon) -> list[tuple[int, int, Entry]]:
    """(first word, last word, entry) of every pattern match no `exclude` phrase vetoes."""
    found: list[tuple[int, int, Entry]] = []
    viable = _viable(tokens, lex)
    if not viable:
        return found
    for index, word in enumerate(tokens.words):
        for pattern in viable.get(word, ()):
            last = _match_at(tokens, index, pattern) if pattern.gaps else index
            if last is None:
                continue
            entry = lex.entries[pattern.entry]
            if not _excluded(tokens, index, last, entry):
                found.append((index, last, entry))
    return found


def _drop_contained(hits: list[_Hit]) -> list[_Hit]:
    """Keep the longest reading: drop a match inside another one that weighs as much or more."""
    hits.sort(key=lambda h: (h.start, -h.end, -h.weight, not h.entry.agent))
    kept: list[_Hit] = []
    # Kept matches that may still contain a later one: those ending after its start (hits
    # come by start, so a kept match ending at or before it can contain no later match).
    open_: list[_Hit] = []
    for hit in hits:
        open_ = [k for k in open_ if k.end > hit.start]
        if not any(hit.end <= k.end and k.weight >= hit.weight for k in open_):
            kept.append(hit)
            open_.append(hit)
    return kept


def _to_match(text: str, hit: _Hit) -> EscalationMatch:
    return EscalationMatch(
        term=text[hit.start : hit.end],
        action=hit.entry.action,
        category=cast(Category, hit.category),
        weight=round(hit.weight, 3),
        start=hit.start,
        end=hit.end,
        modality=hit.modality,
    )


def find_matches(text: str, title: str | None = None) -> list[EscalationMatch]:
    """All escalation matches in text, negated ones included, with offsets into text."""
    lex = lexicon()
    return [_to_match(text, hit) for hit in _raw_hits(text, lex, story_contexts(text, title))]


def _lead(text: str, title: str | None, size: int) -> str:
    """The title and the first sentences of the text (about `size` characters)."""
    head = text[:size]
    spans = sentence_spans(head)
    if len(spans) > 1 and len(text) > size:
        head = head[: spans[-1][0]]  # drop the cut-off last sentence
    return f"{title}\n{head}" if title else head


def _first_sentence(text: str) -> str:
    """The dateline sentence (short clutter lines before it are skipped); not the title,
    whose words play on metaphors ("quicks bombard Australia") that its story explains."""
    end = next((e for _, e in sentence_spans(text[:_LEAD_SCAN]) if e >= _MIN_SENTENCE), 0)
    return text[:end]


def story_contexts(text: str, title: str | None = None) -> tuple[Context, ...]:
    """Domains (sport, disaster, peace deal, anniversary ...) that the title and lead set.

    A domain found in the lead discounts its categories in every sentence of the story,
    unless the dateline sentence asserts a high-level or violent act of those categories
    (live conflict: "Rocket strikes kill six on the anniversary of the war").
    """
    lex = lexicon()
    lead = _lead(text, title, lex.lead_chars)
    tokens = tokenize(lead, lowercase(lead))
    found = tuple(c for c in lex.contexts if c.story_active(tokens.words, tokens.wordset))
    if not found:
        return ()
    live = {
        h.entry.category
        for h in _raw_hits(_first_sentence(text), lex)
        if h.modality in ("asserted", "reported")
        and (lex.level_of(h.weight) >= _LIVE_LEVEL or _violent(h))
        and not h.entry.support
    }
    return tuple(c for c in found if live.isdisjoint(c.categories or CATEGORIES))


def _level_of(hit: _Hit, lex: Lexicon) -> int:
    """Level index a counting match supports: one lower when hypothetical or future."""
    level = lex.level_of(hit.weight)
    if hit.modality in ("hypothetical", "future") and not hit.entry.hedge_keeps_level:
        level = max(level - 1, 1)
    return level


def _story_categories(hits: list[_Hit]) -> set[str]:
    """The categories the story has of its own: those of its terms that defer to none."""
    return {h.entry.category for h in hits if not h.entry.defer_to}


def _settled(hit: _Hit, present: set[str]) -> _Hit:
    """A deferring term moved to the first of its story categories present, if any."""
    if not hit.entry.defer_to:
        return hit
    return replace(
        hit, category=next((c for c in hit.entry.defer_to if c in present), hit.category)
    )


def _resolve(hits: list[_Hit], present: set[str]) -> list[_Hit]:
    """Drop uncorroborated support terms and violence-bound terms of a story without
    violence; move deferring terms to their story category."""
    moved = [_settled(h, present) for h in hits]
    own = {h.category for h in moved if not h.entry.support}
    violent = any(_violent(h) and not h.entry.support for h in moved)
    return [
        h
        for h in moved
        if (not h.entry.support or h.category in own) and (violent or not h.entry.with_violence)
    ]


def _by_actor(hits: list[_Hit], spans: list[tuple[int, int]], size: int) -> list[_Hit]:
    """Violent matches that name no actor take the category of one that does, in the same
    sentence: "Russian drones struck a block, killing three" is military throughout."""
    actors: dict[int, str] = {}
    for hit in hits:
        if hit.entry.agent and _violent(hit):
            actors.setdefault(bisect_right(spans, (hit.start, size + 1)) - 1, hit.category)
    if not actors:
        return hits
    out: list[_Hit] = []
    for hit in hits:
        category = actors.get(bisect_right(spans, (hit.start, size + 1)) - 1)
        if category and not hit.entry.agent and _violent(hit) and hit.category != category:
            hit = replace(hit, category=category)
        out.append(hit)
    return out


def _event_hits(hits: list[_Hit], lex: Lexicon, present: set[str]) -> list[EventHit]:
    """The text's matches as the event builder needs them, with the level each supports."""
    out: list[EventHit] = []
    for hit in hits:
        counts = hit.modality != "negated" and not hit.entry.cooperative
        settled = _settled(hit, present) if counts else hit
        out.append(
            EventHit(
                event_class=hit.entry.action,
                mode=hit.entry.mode,
                category=cast(Category, settled.category),
                level=_level_of(hit, lex) if counts else 0,
                weight=hit.weight,
                modality=hit.modality,
                start=hit.start,
                end=hit.end,
            )
        )
    return out


def _violent(hit: _Hit) -> bool:
    return hit.entry.action in VIOLENT_CLASSES or hit.entry.boost


def _firm_violence(hit: _Hit) -> bool:
    """A violent match that counts on its own, stated as fact or by a source."""
    return _violent(hit) and not hit.entry.support and hit.modality in ("asserted", "reported")


def _stated(
    text: str,
    lowered: str,
    lex: Lexicon,
    story: tuple[Context, ...],
    span: tuple[int, int],
    quotes: list[tuple[int, int]],
    memo: dict[int, Tokens],
) -> list[CasualtyMention]:
    """The casualty figures of one sentence that count: none when the sentence is off-domain
    for violence (an accident, a trial), nor those in background ("has killed thousands since
    2019") or in hedged or denied clauses ("could kill thousands")."""
    low, high = span
    mentions = find_casualties(text, low, high)
    if not mentions:
        return []
    tokens = memo.get(low) or tokenize(text, lowered, low, high)
    if not tokens.words:
        return []
    factors, near = _contexts_of(tokens, lex, story)
    kept: list[CasualtyMention] = []
    for mention in mentions:
        index = max(0, bisect_right(tokens.starts, mention.start) - 1)
        last = max(index, bisect_right(tokens.starts, mention.end - 1) - 1)
        if all(
            factors.get(c, 1.0) * _near_factor(tokens, near, (index, last), c) <= 0.0
            for c in ("military", "terrorism")
        ):
            continue
        if mention.count > 0 and modality_of(tokens, index, last, quotes, lex) in (
            "negated",
            "hypothetical",
            "future",
        ):
            continue
        kept.append(mention)
    return kept


_JOINED_RE = re.compile(r"\s+(?:[^\W\d_]+\s+){0,3}and\s+(?:(?:the|another|other)\s+)?$")


def _joined_total(text: str, found: list[CasualtyMention]) -> int:
    """The largest figure of a sentence, figures joined by "and" added up: "four soldiers and
    nine militants were killed" is 13, "killing 12 and injuring dozens, the local ..." is 12."""
    best = running = found[0].count
    for before, after in zip(found, found[1:], strict=False):
        gap = text[before.end : after.start]
        running = running + after.count if _JOINED_RE.match(gap) else after.count
        best = max(best, running)
    return best


def _casualties(
    text: str,
    lex: Lexicon,
    story: tuple[Context, ...],
    spans: list[tuple[int, int]],
    violent: list[int],
    memo: dict[int, Tokens],
) -> Casualties:
    """The killed, injured and missing the story states for its violence.

    Figures are read in the sentences of the violent events (offsets `violent`; 0 stands for
    the title), the one before and the five after each ("Six people were killed in the
    attack."), not in background paragraphs ("the conflict has killed 6,000 people").

    Within a sentence the figures of one kind add up ("four soldiers and nine militants were
    killed"); across sentences the largest wins (a toll restated or updated). A zero ("no one
    was hurt") counts only when no figure does, and "no one was hurt" also means no deaths.
    """
    best: dict[str, CasualtyCount] = {}
    lowered = lowercase(text)
    quotes = quote_spans(text)
    size = len(text)
    near: set[int] = set()
    for position in violent:
        index = bisect_right(spans, (position, size + 1)) - 1
        near.update(range(index - 1, index + _TOLL_SENTENCES + 1))
    for index, span in enumerate(spans):
        if index not in near:
            continue
        by_kind: dict[str, list[CasualtyMention]] = {}
        for mention in _stated(text, lowered, lex, story, span, quotes, memo):
            by_kind.setdefault(mention.kind, []).append(mention)
        for kind, found in by_kind.items():
            total = _joined_total(text, found)
            held = best.get(kind)
            if held is None or total > held.count:
                first, last = found[0], found[-1]
                best[kind] = CasualtyCount(
                    count=total,
                    text=text[first.start : last.end] if len(found) > 1 else first.text,
                    start=first.start,
                    end=last.end,
                    approximate=any(m.approximate for m in found),
                )
    hurt = best.get("injured")
    if "killed" not in best and hurt is not None and hurt.count == 0:
        best["killed"] = hurt  # "no one was hurt": nobody killed either
    return Casualties(**best)


def assess_escalation(
    text: str,
    title: str | None = None,
    sentences: Sentences | None = None,
    entities: Sequence[Entity] = (),
) -> Escalation:
    """Score how far the story escalates: its events, their casualties, level and score."""
    lex = lexicon()
    story = story_contexts(text, title)
    spans = sentences.spans if sentences is not None else sentence_spans(text)
    memo: dict[int, Tokens] = {}
    text_hits = _by_actor(_raw_hits(text, lex, story, sentences, memo), spans, len(text))
    counting = [h for h in text_hits if h.modality != "negated" and not h.entry.cooperative]
    title_hits = [
        h
        for h in (_raw_hits(title, lex, story) if title else [])
        if h.modality != "negated" and not h.entry.cooperative
    ]
    # where the story's violence stands (0 for the title): its casualty figures are near it
    violent_at = sorted(
        [h.start for h in counting if _firm_violence(h)]
        + [0 for h in title_hits if _firm_violence(h)]
    )
    counting += title_hits
    present = _story_categories(counting)
    counting = _resolve(counting, present)
    level = 0
    strongest: dict[str, float] = {}
    firm: set[str] = set()
    hedged: set[str] = set()
    actions: set[str] = set()
    for hit in counting:
        level = max(level, _level_of(hit, lex))
        value = hit.weight * lex.factors[hit.modality]
        strongest[hit.entry.id] = max(strongest.get(hit.entry.id, 0.0), value)
        (hedged if hit.modality in ("hypothetical", "future") else firm).add(hit.category)
        actions.add(hit.entry.action)
    categories = firm or hedged  # asserted signals name the categories; hedges only alone
    casualties = Casualties()
    if violent_at:
        casualties = _casualties(text, lex, story, spans, violent_at, memo)
        killed = casualties.killed.count if casualties.killed else 0
        if killed >= MASS_CASUALTIES:
            level = max(level, _MASS_LEVEL)
        elif killed > 0:
            level = max(level, lex.level_of(lex.lethal_floor))
    values = sorted(strongest.values(), reverse=True)
    remaining = 1.0 - values[0] if values else 1.0
    for value in values[1:]:
        remaining *= 1.0 - lex.secondary_damping * value
    return Escalation(
        flag=level > 0,
        level=LEVELS[level],
        score=round(1.0 - remaining, 4),
        categories=[c for c in CATEGORIES if c in categories],
        actions=[a for a in ACTIONS if a in actions],
        matches=[
            _to_match(text, hit if hit.modality == "negated" else _settled(hit, present))
            for hit in text_hits
        ],
        events=build_events(text, _event_hits(text_hits, lex, present), spans, entities),
        casualties=casualties,
    )
