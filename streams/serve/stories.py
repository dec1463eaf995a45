"""Stories for the live page: which enriched articles repeat which, from news.enriched.

A story is keyed by the `article_id` of its first article: an enriched article's
`duplicate_of`, else its own id (the same key as an alert's `story_id`). The index keeps a
few fields of each member, never the text, and forgets the stories least recently added to
once it holds `max_stories`.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any, TypedDict

import orjson

__all__ = ["StoryMember", "StoryIndex", "member_of", "MAX_STORIES", "MAX_MEMBERS"]

#: Stories the index remembers. At a few hundred stories an hour on a busy feed, this covers
#: about a day, the length of the default near-duplicate window (48 h) at quieter rates.
MAX_STORIES = 5000
#: Articles kept per story: a story retold more often than this shows its first and latest.
MAX_MEMBERS = 50


class StoryMember(TypedDict):
    """What the story view shows of one article."""

    article_id: str
    title: str | None
    source: str | None
    url: str | None
    published_at: str | None
    level: str


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def member_of(value: bytes | None) -> tuple[str, StoryMember] | None:
    """The story id and member of an enriched article's JSON; None when it is not one."""
    try:
        article = orjson.loads(value or b"")
    except orjson.JSONDecodeError:
        return None
    if not isinstance(article, dict) or not isinstance(article.get("article_id"), str):
        return None
    escalation = article.get("escalation")
    level = escalation.get("level") if isinstance(escalation, dict) else None
    member: StoryMember = {
        "article_id": article["article_id"],
        "title": _text(article.get("title")),
        "source": _text(article.get("source")),
        "url": _text(article.get("url")),
        "published_at": _text(article.get("published_at")),
        "level": level if isinstance(level, str) else "none",
    }
    return _text(article.get("duplicate_of")) or member["article_id"], member


class StoryIndex:
    """A bounded index story_id -> member articles."""

    def __init__(self, max_stories: int = MAX_STORIES, max_members: int = MAX_MEMBERS) -> None:
        self.max_stories = max_stories
        self.max_members = max_members
        self._stories: OrderedDict[str, list[StoryMember]] = OrderedDict()

    def add(self, story_id: str, member: StoryMember) -> None:
        """Add (or replace, when read again) an article of a story."""
        members = self._stories.pop(story_id, [])
        members = [m for m in members if m["article_id"] != member["article_id"]]
        members.append(member)
        if len(members) > self.max_members:  # keep the first article and the latest ones
            members = [members[0], *members[-(self.max_members - 1) :]]
        self._stories[story_id] = members
        while len(self._stories) > self.max_stories:
            self._stories.popitem(last=False)

    def add_record(self, value: bytes | None) -> str | None:
        """Add an enriched article's record; its story id, or None when it is not one."""
        found = member_of(value)
        if found is None:
            return None
        self.add(*found)
        return found[0]

    def members(self, story_id: str) -> list[StoryMember]:
        """The story's articles: its first article, then the others by publication time
        (partitions are read interleaved); empty when it is not (or no longer) known."""
        members = self._stories.get(story_id, [])
        return sorted(
            members,
            key=lambda m: (
                m["article_id"] != story_id,
                m["published_at"] is None,
                m["published_at"] or "",
            ),
        )

    def __len__(self) -> int:
        return len(self._stories)
