"""Strings a regular expression cannot match without: a cheap test before its search.

The context regexes of the lexicon are searched in every sentence that holds a match, and most
sentences hold none of the words they need ("... collaps", "sanctions", "anniversary"): a few
substring tests rule such sentences out several times faster than the search. The strings are
read from the parsed pattern, so they follow the YAML as it changes.
"""

from __future__ import annotations

import re
from importlib import import_module
from typing import Any

__all__ = ["may_match", "required_strings"]

# The standard library's own regex parser and its opcodes (untyped, hence imported by name).
_parser: Any = import_module("re._parser")
sre: Any = import_module("re._constants")

#: What every match of a parsed part holds: a string, all of a tuple's, or one of a list's.
_Tree = str | tuple["_Tree", ...] | list["_Tree"]

_REPEATS = (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT)
_DIGIT_WEIGHT = 4  # a string with a digit weighs as rare as one four letters longer


def required_strings(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Strings one of which every match of the pattern holds (the rarest such choice); None
    when there is none to look for (or flags change what a literal character matches)."""
    if pattern.flags & ~re.UNICODE:
        return None
    tree = _sequence(list(_parser.parse(pattern.pattern, pattern.flags)))
    return None if tree is None else _options(tree)


def may_match(needs: tuple[str, ...] | None, text: str) -> bool:
    """False when the pattern of `needs` cannot match in text; True when it may."""
    return needs is None or any(map(text.__contains__, needs))


def _options(tree: _Tree) -> tuple[str, ...]:
    """Strings one of which a text holding `tree` holds: for "all of", the rarest choice of
    its parts; for "one of", a choice of each."""
    if isinstance(tree, str):
        return (tree,)
    if isinstance(tree, tuple):
        return min((_options(part) for part in tree), key=_rarity)
    return tuple(dict.fromkeys(word for part in tree for word in _options(part)))


def _rarity(options: tuple[str, ...]) -> tuple[int, int]:
    """Sorts choices rarest first, by their commonest string, then the fewer strings."""
    return -min(map(_weight, options)), len(options)


def _weight(word: str) -> int:
    """How rare a string is in news text, roughly: the longer, the rarer (spaces are found
    anywhere), and digits are rarer than letters ("1" before "in", "19" before "the ")."""
    return len(word.strip()) + (_DIGIT_WEIGHT if any(c.isdigit() for c in word) else 0)


def _sequence(items: list[tuple[Any, Any]]) -> _Tree | None:
    """What every match of a sequence of parsed items holds (None: nothing known)."""
    found: list[_Tree] = []
    run: list[str] = []  # consecutive literal characters: a string every match holds
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            found.append("".join(run))
            run = []
        need = _item(op, value)
        if need is not None:
            found.append(need)
    if run:
        found.append("".join(run))
    if not found:
        return None
    return found[0] if len(found) == 1 else tuple(found)


def _item(op: Any, value: Any) -> _Tree | None:
    """What every match of one parsed item (a group, an alternation, a repeat) holds."""
    if op is sre.SUBPATTERN and not value[1] and not value[2]:  # a group, no inline flags
        return _sequence(list(value[3]))
    if op is sre.BRANCH:
        options = [_sequence(list(alternative)) for alternative in value[1]]
        if any(option is None for option in options):
            return None  # an alternative that needs nothing: the alternation neither
        return [option for option in options if option is not None]
    if op in _REPEATS and value[0] >= 1:  # repeated at least once
        return _sequence(list(value[2]))
    return None
