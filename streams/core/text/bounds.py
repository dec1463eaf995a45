"""How much of one article the core reads, so that no message can stall its partition.

Every step after HTML extraction does work that grows with the length of the text, and some
tokens cost far more than prose: at the 1 MB message limit a repeated short line ("Aa"), a
run of capitalised names ("Aa, "), a weekday, a clock time or an escalation phrase cost the
steps 3-8 microseconds a character (3-8 s a message, up to 20 s on slower machines). The
text the steps read is therefore cut at MAX_ARTICLE_CHARS, before cleaning, at the last
sentence end (a line break counts) before the limit, else at the last white space, else at
the limit itself. Everything after the cut (the cleaned text, its offsets, the fingerprint)
describes the same cut text, so offsets stay valid and the work per message is bounded.
"""

from __future__ import annotations

from streams.core.text.sentences import last_sentence_end

__all__ = ["MAX_ARTICLE_CHARS", "MAX_TITLE_CHARS", "article_cut", "bounded_title"]

# 50,000 characters, about 8,000 words. The longest of the 1,311 labelled and sample inputs
# (CoNLL, MEANTIME, TempEval-3, WCEP, the escalation set, the sample feed) is 11,090
# characters and the 99th percentile 5,500; wire stories run to 2,000-6,000 characters and
# long-form features to 20,000-40,000. At the costliest tokens (8 microseconds a character)
# the steps then take at most about 0.4 s a message.
MAX_ARTICLE_CHARS = 50_000
# A boundary is looked for only this far back from the limit: past it, a plain cut at the
# limit loses less than searching further would cost (sentences are far shorter).
BOUNDARY_WINDOW = 2_000
# Titles longer than this are read only this far (headlines run to about 150 characters;
# clean.HEADLINE_MAX_CHARS already treats anything over 250 as no headline).
MAX_TITLE_CHARS = 1_000


def article_cut(text: str, limit: int = MAX_ARTICLE_CHARS) -> int | None:
    """Where the text the steps read ends: None when the text is within `limit`."""
    if len(text) <= limit:
        return None
    low = max(0, limit - BOUNDARY_WINDOW)
    end = last_sentence_end(text, low, limit)
    if end is not None and end > 0:
        return end
    space = max(text.rfind(" ", low, limit), text.rfind("\t", low, limit))
    return space + 1 if space > 0 else limit


def bounded_title(title: str | None) -> str | None:
    """The part of a title the steps read (all of it unless it is far too long for one)."""
    if title is None or len(title) <= MAX_TITLE_CHARS:
        return title
    space = title.rfind(" ", MAX_TITLE_CHARS // 2, MAX_TITLE_CHARS)
    return title[: space if space > 0 else MAX_TITLE_CHARS]
