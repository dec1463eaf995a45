"""Splitting of the metadata lines under a headline: dateline, section, credit, byline."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from streams.core.temporal.dateline import Dateline, is_updated_stamp, match_dateline
from streams.core.text.clutter import clutter_kind, meta_rules

__all__ = ["MetaSplit", "split_meta_line", "stamp_at_start"]

# Characters that separate the parts of a metadata line ("27 Jan | Politics · Photo: AP").
_SEPARATORS = re.compile(r"\s*[|•·]\s*")
# A glue point: lower-case letter directly followed by an upper-case one ("PoliticsPhoto").
_JUNCTION = re.compile(r"(?<=[a-zа-яёіїєґ])(?=[A-ZА-ЯЁІЇЄҐ])")
_TRIM = " ,|/·•-–—:"
# A generic section label: at most this many capitalised words and characters (the
# longest labels in the sections list, "Breaking news", "Middle East", fit comfortably).
_LABEL_MAX_WORDS = 3
_LABEL_MAX_CHARS = 30
_LABEL = re.compile(r"(?:[A-ZА-ЯЁІЇЄҐ][\w'’&-]*)(?:\s+[A-ZА-ЯЁІЇЄҐ&][\w'’&-]*)*")
# Kinds of piece that are metadata whatever surrounds them.
_META_KINDS = frozenset({"credit", "byline", "section", "updated", "dateline"})


@dataclass(frozen=True)
class MetaSplit:
    """How one metadata line is rewritten: lines kept in the text and pieces moved out."""

    keep: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _pieces(rest: str) -> list[tuple[int, int]]:
    """Cut a metadata remainder at separators, credit markers and lower→Upper glue points."""
    spans: list[tuple[int, int]] = []
    pos = 0
    segments: list[tuple[int, int]] = []
    for sep in _SEPARATORS.finditer(rest):
        segments.append((pos, sep.start()))
        pos = sep.end()
    segments.append((pos, len(rest)))
    credit_start = meta_rules().credit_start
    for start, end in segments:
        credit = credit_start.search(rest, start, end)
        head_end = credit.start() if credit else end
        cut = start
        for glue in _JUNCTION.finditer(rest, start, head_end):
            spans.append((cut, glue.start()))
            cut = glue.start()
        spans.append((cut, head_end))
        if credit:
            spans.append((credit.start(), end))
    return [(s, e) for s, e in spans if rest[s:e].strip(_TRIM)]


def stamp_at_start(line: str) -> Dateline | None:
    """The date or time stamp that opens a line ("27 January, 16:40", "Updated: ..."), if any.

    A wire dateline with a place ("KYIV, March 5 -") is not a stamp line: it opens the body.
    """
    found = match_dateline(line)
    return found if found is not None and found.place is None and found.agency is None else None


def _kind(piece: str) -> str:
    """Classify one piece of a metadata line."""
    rules = meta_rules()
    if rules.credit_piece.fullmatch(piece) or clutter_kind(piece) == "credit":
        return "credit"
    if piece.casefold() in rules.sections:
        return "section"
    if rules.byline.fullmatch(piece):
        return "byline"
    stamp = stamp_at_start(piece)
    if stamp and not piece[stamp.end :].strip(_TRIM):
        return "updated" if is_updated_stamp(stamp) else "dateline"
    if (
        len(piece) <= _LABEL_MAX_CHARS
        and len(piece.split()) <= _LABEL_MAX_WORDS
        and _LABEL.fullmatch(piece)
    ):
        return "label"
    return "text"


def split_meta_line(line: str) -> MetaSplit | None:
    """Rewrite a metadata line from the top of an article, or None to leave it as it is.

    "27 January, 16:40PoliticsPhoto: Соцсети" keeps the dateline "27 January, 16:40" as a
    line of the text and moves "Politics" and "Photo: Соцсети" to the header. A dateline
    glued to a real sentence is split onto two lines; a plain dateline is left alone.
    """
    stamp = stamp_at_start(line)
    if stamp is None:
        spans = _pieces(line)
        texts = [line[s:e].strip(_TRIM) for s, e in spans]
        kinds = [_kind(t) for t in texts]
        explicit = len(texts) >= 2 or (kinds and kinds[0] in _META_KINDS)
        if texts and explicit and all(k != "text" for k in kinds):
            return MetaSplit(keep=[], header=texts)
        return None
    if is_updated_stamp(stamp):
        return MetaSplit(keep=[], header=[line])
    dateline = line[: stamp.end].rstrip(_TRIM)
    rest = line[stamp.end :]
    if not rest.strip(_TRIM):
        return None
    glued = rest[0].isalpha()
    spans = _pieces(rest)
    texts = [rest[s:e].strip(_TRIM) for s, e in spans]
    kinds = [_kind(t) for t in texts]
    separated = glued or bool(_SEPARATORS.search(rest)) or len(texts) >= 2
    meta = [k in _META_KINDS or (k == "label" and separated) for k in kinds]
    if all(meta):
        return MetaSplit(keep=[dateline], header=texts)
    if not glued:
        return None
    first_text = meta.index(False)
    body = rest[spans[first_text][0] :].strip()
    return MetaSplit(keep=[dateline, body], header=texts[:first_text])
