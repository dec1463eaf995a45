"""TIMEX3 `mod` of a time expression, read from the words that open or close it.

The value of "the end of the year" is the year; TIMEX3 keeps "the end of" as mod END, and
"about two weeks" as P2W with mod APPROX. The modifier words are the ones the rules take
into an expression's span, so the span alone tells the mod.
"""

from __future__ import annotations

import re

__all__ = ["MODS", "timex_mod"]

#: The TIMEX3 mod values this module gives.
MODS = ("START", "MID", "END", "APPROX", "LESS_THAN", "MORE_THAN", "EQUAL_OR_LESS",
        "EQUAL_OR_MORE")  # fmt: skip

_OPENING: tuple[tuple[str, str], ...] = (
    ("START", r"(?:the\s+)?(?:early|(?:start|beginning|dawn)\s+of)"),
    ("MID", r"(?:the\s+)?(?:mid-?|middle\s+of)"),
    ("END", r"(?:the\s+)?(?:late|(?:end|close)\s+of)"),
    ("EQUAL_OR_MORE", r"at\s+least|no\s+less\s+than"),
    ("EQUAL_OR_LESS", r"at\s+most|up\s+to|no\s+more\s+than"),
    ("MORE_THAN", r"more\s+than|(?:just\s+)?over(?!\s+(?:the|this|that|its)\b)"),
    ("LESS_THAN", r"less\s+than|fewer\s+than|under|almost|nearly|just\s+under"),
    ("APPROX", r"about|around|roughly|approximately|some"),
)
_PATTERNS = [(mod, re.compile(rf"(?:{words})\b\s*", re.IGNORECASE)) for mod, words in _OPENING]
_YEAR_END = re.compile(r"\byear[-\s]end\b|\byear['’]s\s+end\b", re.IGNORECASE)
_OR_SO = re.compile(r"\bor\s+so\b", re.IGNORECASE)


def timex_mod(text: str) -> str | None:
    """The TIMEX3 mod of an expression's text ("late 2009" -> END), None when it has none."""
    for mod, pattern in _PATTERNS:
        if pattern.match(text):
            return mod
    if _YEAR_END.search(text):
        return "END"
    if _OR_SO.search(text):
        return "APPROX"
    return None
