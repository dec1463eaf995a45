"""Compiled clutter, credit and byline rules for the cleaner, read once from the data files."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml

from streams.core.temporal.lexicon import alternation

__all__ = ["ClutterRules", "MetaRules", "clutter_rules", "meta_rules", "clutter_kind"]

_DATA_PACKAGE = "streams.core.text.data"
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")
_END_PUNCT = ".!;,:)]»\"'”’"


@dataclass(frozen=True)
class ClutterRules:
    """Whole-line patterns, one alternation per line-length tier, plus phrase tests."""

    # (longest line, alternation of the categories whose max_len allows it), ascending: a
    # line is tried only against the kinds of clutter that can be that long.
    tiers: tuple[tuple[int, re.Pattern[str]], ...]
    # (probe word, phrase without spaces, category, max_len, phrase must end the line)
    contains: tuple[tuple[str, str, str, int, bool], ...]
    longest: int


@dataclass(frozen=True)
class MetaRules:
    """Regexes for the metadata lines near the top of an article (datelines: temporal.dateline)."""

    credit_start: re.Pattern[str]  # where a credit begins inside a glued line
    credit_piece: re.Pattern[str]  # a whole piece that is a credit
    byline: re.Pattern[str]  # a whole line that is a byline
    sections: frozenset[str]  # casefolded section labels


def _load_yaml(name: str) -> dict[str, Any]:
    text = resources.files(_DATA_PACKAGE).joinpath(name).read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping at the top level")
    return data


@cache
def clutter_rules() -> ClutterRules:
    """Compile clutter_lines.yaml into one case-insensitive whole-line pattern."""
    data = _load_yaml("clutter_lines.yaml")
    vocab = {
        name: "|".join(p.strip() for p in str(value).split("|") if p.strip())
        for name, value in data.get("vocab", {}).items()
    }
    branches: list[tuple[int, str]] = []
    contains: list[tuple[str, str, str, int, bool]] = []
    for category, spec in data["categories"].items():
        alts = []
        for raw in spec["patterns"]:
            alts.append(_PLACEHOLDER.sub(lambda m: f"(?:{vocab[m.group(1)]})", raw))
        limit = int(spec["max_len"])
        branches.append((limit, f"(?P<{category}>" + "|".join(f"(?:{a})" for a in alts) + ")"))
        for key, at_end in (("contains", False), ("ends_with", True)):
            for phrase in spec.get(key, []):
                words = str(phrase).casefold().split()
                contains.append((words[0], "".join(words), category, limit, at_end))
    tiers = tuple(
        (limit, re.compile("|".join(b for lim, b in branches if lim >= limit), re.IGNORECASE))
        for limit in sorted({lim for lim, _ in branches})
    )
    return ClutterRules(tiers, tuple(contains), tiers[-1][0])


def clutter_kind(line: str) -> str | None:
    """Return the clutter category of a stripped line, or None when it is real text."""
    rules = clutter_rules()
    size = len(line)
    if not line or size > rules.longest:
        return None
    pattern = next(p for limit, p in rules.tiers if size <= limit)
    match = pattern.fullmatch(line)
    if match is not None and match.lastgroup is not None:
        return match.lastgroup
    lowered = line.casefold()
    for probe, phrase, category, limit, at_end in rules.contains:
        if size <= limit and probe in lowered:
            squeezed = "".join(lowered.split()).rstrip(_END_PUNCT)
            if squeezed.endswith(phrase) if at_end else phrase in squeezed:
                return category
    return None


@cache
def meta_rules() -> MetaRules:
    """Compile clutter_meta.yaml into the credit, byline and section rules."""
    data = _load_yaml("clutter_meta.yaml")
    markers = alternation(data["credit_markers"])
    credit_start = re.compile(rf"(?:{markers})\s*:", re.IGNORECASE)
    credit_piece = re.compile(rf"(?:{markers})\s*:.*", re.IGNORECASE)
    bylines = alternation(data["byline_prefixes"])
    # Names and the optional affiliation must be capitalised (case-sensitive), so that
    # "By Tuesday, the troops had withdrawn" is never taken for a byline.
    name = r"(?-i:[A-ZА-ЯЁІЇЄ][\w.'’-]+)"
    byline = re.compile(
        rf"(?:{bylines})\s*:?\s+{name}(?:\s+{name}){{0,3}}"
        rf"(?:\s*(?:,|and|и|&)\s*{name}(?:\s+{name}){{0,3}}){{0,3}}"
        rf"(?:\s*[,|/]\s*{name}(?:\s+{name}){{0,4}})?",
        re.IGNORECASE,
    )
    sections = frozenset(s.strip().casefold() for s in data["sections"])
    return MetaRules(credit_start, credit_piece, byline, sections)
