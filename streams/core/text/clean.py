"""Cleaning of scraped article text: repeated titles, datelines, credits and trailers."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from streams.core.text.clutter import clutter_kind
from streams.core.text.meta_lines import split_meta_line, stamp_at_start

__all__ = ["Cleaned", "clean_text", "normalize_text", "line_key", "one_line"]

# Metadata (dateline, section, credit, byline) is looked for only in this many non-empty
# lines under the headline; news pages never carry more stamp lines than that.
MAX_TOP_LINES = 6
# A line longer than this is a body paragraph: the metadata region ends there.
BODY_LINE_MIN_CHARS = 160
# A first line longer than this, or with more words, is not a headline (the longest
# headlines of wire services run to about 150 characters and 25 words).
HEADLINE_MAX_CHARS = 250
HEADLINE_MAX_WORDS = 40

_ODD_CHAR = re.compile(
    "[\x00-\x09\x0b\x0c\x0e-\x1f\x7f-\xa0\xad\u1680\u180e\u2000-\u200f\u2028-\u202f"
    "\u205f-\u2069\u3000\ufeff\ufff9-\ufffb]"
)
_SPACE_RUN = re.compile(r"[ ]{2,}")
# Line breaks and other control characters in what must stay on one line (a title).
_LINE_BREAKS = re.compile(r"\s*[\x00-\x1f\x7f\x85\u2028\u2029]+\s*")
_BLANK_RUN = re.compile(r"\n{3,}")
_NON_WORD = re.compile(r"[\W_]+")
_SENTENCE_END = re.compile(r"[.!;]\s*$")
# A credit glued to the end of a caption sentence: "... near Kyiv. Photo: AP".
_TRAILING_CREDIT = re.compile(
    r"(?<=[.!?…\"”»)])\s+(?:photo|image|credit|фото|источник фото)\s*:\s*[^.!?]{1,60}$",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Cleaned:
    """Cleaned article: title, body text, and the metadata lines taken off its top."""

    title: str | None
    text: str
    header: list[str] = field(default_factory=list)  # metadata lines removed near the top


@cache
def _translation() -> dict[int, str | None]:
    """Map control, zero-width and exotic space characters to what the text should hold."""
    table: dict[int, str | None] = {}
    # A control character stands between two words more often than inside one
    # ("Sergey\0Lavrov"): it becomes a space, and space runs are folded afterwards.
    for code in [*range(0x00, 0x0A), *range(0x0E, 0x20), *range(0x7F, 0xA0)]:
        table[code] = " "
    for code in (0x0B, 0x0C, 0x85, 0x2028, 0x2029):
        table[code] = "\n"
    # Zero-width and direction marks and isolates, soft hyphen, byte-order mark,
    # interlinear marks.
    for code in (0x00AD, 0x180E, *range(0x200B, 0x2010), *range(0x202A, 0x202F),
                 *range(0x2066, 0x206A)):  # fmt: skip
        table[code] = None
    for code in (0x2060, 0x2061, 0x2062, 0x2063, 0x2064, 0xFEFF, 0xFFF9, 0xFFFA, 0xFFFB):
        table[code] = None
    for code in (0x00A0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[code] = " "
    return table


def normalize_text(text: str) -> str:
    """Unify line endings and spaces and drop control and zero-width characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _ODD_CHAR.search(text):  # str.translate is slow on non-ASCII text: only when needed
        text = text.translate(_translation())
    if "  " in text:  # substring tests first: regex scans are slow on non-ASCII text
        text = _SPACE_RUN.sub(" ", text)
    return _BLANK_RUN.sub("\n\n", text) if "\n\n\n" in text else text


def line_key(line: str) -> str:
    """Comparison key of a line: case, spacing and punctuation ignored."""
    return _NON_WORD.sub("", line.casefold())


def _strip_line(line: str) -> str:
    """Trim a line and cut a photo credit glued after its last sentence."""
    line = line.strip()
    if ":" not in line[-80:]:
        return line
    credit = _TRAILING_CREDIT.search(line, max(0, len(line) - 80))
    return line[: credit.start()] if credit else line


def _headline_like(line: str) -> bool:
    """Tell whether a single line reads like a headline rather than a sentence or a stamp."""
    if not line or len(line) > HEADLINE_MAX_CHARS or len(line.split()) > HEADLINE_MAX_WORDS:
        return False
    if _SENTENCE_END.search(line) or line[0].islower() or stamp_at_start(line):
        return False
    return split_meta_line(line) is None and clutter_kind(line) is None


@dataclass
class _TitleCopies:
    """Keys of the title lines to delete, with the line-length window worth keying."""

    keys: set[str] = field(default_factory=set)
    shortest: int = 0
    longest: int = -1

    def add(self, key: str, length: int) -> None:
        # Copies differ from the headline only in spacing and punctuation, so their length
        # stays within this window; other lines are not keyed at all (keeps the cost low).
        low, high = int(length * 0.7) - 3, int(length * 1.4) + 3
        self.shortest = low if not self.keys else min(self.shortest, low)
        self.longest = max(self.longest, high)
        self.keys.add(key)

    def __contains__(self, line: object) -> bool:
        if not isinstance(line, str) or not self.shortest <= len(line) <= self.longest:
            return False
        return line_key(line) in self.keys


def _count_copies(lines: list[str], line: str) -> int:
    copies = _TitleCopies()
    copies.add(line_key(line), len(line))
    return sum(1 for ln in lines if ln in copies)


def _find_title(lines: list[str], title: str | None) -> tuple[str | None, _TitleCopies, int | None]:
    """Return the title, the title lines to delete and the index of a kept headline."""
    drop = _TitleCopies()
    if title and line_key(title) and _count_copies(lines, title) >= 2:
        drop.add(line_key(title), len(title))
    first = next((i for i, ln in enumerate(lines) if ln and clutter_kind(ln) is None), None)
    if first is None:
        return title, drop, None
    head = lines[first]
    if head in drop:
        return title, drop, None
    repeatable = len(head) <= HEADLINE_MAX_CHARS and not _SENTENCE_END.search(head)
    if repeatable and line_key(head) and _count_copies(lines, head) >= 2:
        drop.add(line_key(head), len(head))
        return title or head, drop, None
    if title is None and _headline_like(head):
        return head, drop, first
    return title, drop, None


@dataclass
class _Body:
    """The cleaned text as it is assembled: paragraphs of kept lines, and the header."""

    blocks: list[list[str]] = field(default_factory=lambda: [[]])
    header: list[str] = field(default_factory=list)
    seen: int = 0  # non-empty lines met so far under the headline
    in_top: bool = True  # still in the metadata region under the headline

    def paragraph(self, *lines: str) -> None:
        """Start a new paragraph (with the given lines, if any)."""
        self.blocks.extend([list(lines), []] if lines else [[]])

    def top_line(self, line: str) -> bool:
        """Take a line of the metadata region apart; True when it was metadata."""
        self.seen += 1
        if self.seen > MAX_TOP_LINES or len(line) > BODY_LINE_MIN_CHARS:
            self.in_top = False
            return False
        meta = split_meta_line(line)
        if meta is None:
            return False
        self.header.extend(meta.header)
        if meta.keep:
            self.blocks.extend([[meta.keep[0]], meta.keep[1:]])
        return True

    def body_line(self, line: str) -> None:
        """Keep a line of text, or drop it as clutter (a credit near the top is kept aside)."""
        kind = clutter_kind(line)
        if kind is None:
            self.blocks[-1].append(line)
        elif self.in_top and kind == "credit":
            self.header.append(line)

    def text(self) -> str:
        return "\n\n".join("\n".join(b) for b in self.blocks if b)


def clean_text(text: str, title: str | None = None) -> Cleaned:
    """Remove clutter from scraped text and recover the title."""
    if title is not None:
        title = " ".join(normalize_text(title).split()) or None
    if not text:
        return Cleaned(title=title, text="", header=[])
    lines = [_strip_line(ln) for ln in normalize_text(text).split("\n")]
    title, drop, kept_headline = _find_title(lines, title)
    body = _Body()
    for i, line in enumerate(lines):
        if not line:
            body.paragraph()
        elif line in drop:
            continue
        elif i == kept_headline:
            body.paragraph(line)
        elif not (body.in_top and body.top_line(line)):
            body.body_line(line)
    return Cleaned(title=title, text=body.text(), header=body.header)


def one_line(text: str | None) -> str | None:
    """`text` with its line breaks and control characters made single spaces: a title goes
    into Kafka records, logs and alert lines, where a line break would split a record."""
    if text is None:
        return None
    return _LINE_BREAKS.sub(" ", text).strip()
