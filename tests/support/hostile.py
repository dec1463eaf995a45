"""Hypothesis strategies of bad raw messages, each with the dead-letter type it must get."""

from __future__ import annotations

import orjson
from hypothesis import strategies as st

#: The size limit the fuzz tests run the core with (small, so oversize payloads stay cheap).
FUZZ_MAX_BYTES = 20_000

json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63), max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
)
json_values = st.recursive(
    json_scalars | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4)
    ),
    max_leaves=12,
)
not_a_string = (
    json_scalars
    | st.lists(json_values, max_size=3)
    | st.dictionaries(st.text(max_size=5), json_values, max_size=3)
)
blank_chars = st.sampled_from(
    list(" \t\r\n\x00\x01\x07\x0b\x0c\x1b\x7f\u200b\u200c\u200d\ufeff\u00a0")
)
no_words = st.text(
    alphabet=st.sampled_from(list("0123456789 .,;:!?-–—()[]{}<>/\\|@#$%^&*+=~`'\"\n\t")),
    min_size=1,
    max_size=300,
)


@st.composite
def invalid_utf8(draw: st.DrawFn) -> bytes:
    """Bytes that are not UTF-8: a lone continuation, an overlong form or a bad lead byte."""
    head = draw(st.text(max_size=200)).encode("utf-8")
    tail = draw(st.binary(max_size=200))
    bad = draw(st.sampled_from([b"\x80", b"\xc0\xaf", b"\xff", b"\xfe", b"\xed\xa0\x80", b"\xc3("]))
    return head + bad + tail


@st.composite
def wrong_types(draw: st.DrawFn) -> bytes:
    """A JSON object whose known fields have the wrong types."""
    field = draw(st.sampled_from(["body", "html", "title", "id", "url", "published_at", "tz"]))
    value = draw(not_a_string.filter(lambda v: v is not None))
    if field == "id" and isinstance(value, int) and not isinstance(value, bool):
        value = [value]
    message = {"body": "Troops crossed the border at dawn.", field: value}
    return orjson.dumps(message)


@st.composite
def missing_text(draw: st.DrawFn) -> bytes:
    """A JSON object with neither body nor html (other fields anything)."""
    extra = draw(st.dictionaries(st.text(max_size=10), json_values, max_size=5))
    extra = {k: v for k, v in extra.items() if k not in ("body", "html")}
    extra.update(draw(st.fixed_dictionaries({}, optional={"body": st.none(), "html": st.none()})))
    return orjson.dumps(extra)


@st.composite
def not_object_or_string(draw: st.DrawFn) -> bytes:
    """Valid JSON that is neither an object nor a string."""
    return orjson.dumps(draw(json_scalars | st.lists(json_values, max_size=4)))


@st.composite
def empty_text(draw: st.DrawFn) -> bytes:
    """Text of blanks, control characters and zero-width marks, bare or in JSON."""
    text = "".join(draw(st.lists(blank_chars, max_size=60)))
    shape = draw(st.sampled_from(["raw", "string", "body", "html"]))
    if shape == "raw":
        return text.encode("utf-8")
    if shape == "string":
        return orjson.dumps(text)
    return orjson.dumps({shape: text})


@st.composite
def wordless_text(draw: st.DrawFn) -> bytes:
    """Text with no letters at all: digits, symbols and punctuation (a JSON string)."""
    return orjson.dumps(draw(no_words))


@st.composite
def oversize(draw: st.DrawFn) -> bytes:
    """A payload just or far over the limit, in any shape."""
    extra = draw(st.integers(min_value=1, max_value=3 * FUZZ_MAX_BYTES))
    unit = draw(st.sampled_from(["word ", "ж", "<p>x</p>", "\x00", "\ud7ff"]))
    body = unit * (FUZZ_MAX_BYTES // len(unit.encode("utf-8")) + extra)
    return orjson.dumps({"body": body}) if draw(st.booleans()) else body.encode("utf-8")


@st.composite
def html_bomb(draw: st.DrawFn) -> bytes:
    """Tags nested past the HTML parser's depth, with the only text at the bottom."""
    tag = draw(st.sampled_from(["div", "span", "b", "table", "li"]))
    deepest = (FUZZ_MAX_BYTES - 200) // (2 * len(tag) + 5)  # stays under the size limit
    depth = draw(st.integers(min_value=300, max_value=deepest))
    words = draw(st.sampled_from(["", "deep text", "Missiles were fired at the port."]))
    page = "<html><body>" + f"<{tag}>" * depth + words + f"</{tag}>" * depth + "</body></html>"
    return orjson.dumps({"html": page}) if draw(st.booleans()) else page.encode("utf-8")


#: (strategy, expected error type) pairs: every payload drawn must be dead-lettered so.
BAD_PAYLOADS = [
    (invalid_utf8(), "decode_error"),
    (wrong_types(), "invalid_schema"),
    (missing_text(), "invalid_schema"),
    (not_object_or_string(), "invalid_schema"),
    (empty_text(), "empty_article"),
    (wordless_text(), "empty_article"),
    (oversize(), "too_large"),
    (html_bomb(), "empty_article"),
]


#: Units that, repeated, make text built to trigger backtracking or quadratic scans.
HOSTILE_UNITS = [
    "A", "a", "1", " ", ".", "Aa ", "A. ", "27 January, ", "Mr ", "\u201c", "-", "said ",
    "of the ", "US$", "(", "troops ", "not ", "\n", "Ab-Cd ", "O'", "The Bank of ", "Aa Inc ",
    "\u201cAa ", "NATO ", "\"We will\" ",
]  # fmt: skip


@st.composite
def hostile_text(draw: st.DrawFn) -> bytes:
    """Valid but hostile text: long runs built to trigger regex backtracking."""
    unit = draw(st.sampled_from(HOSTILE_UNITS))
    count = draw(st.integers(min_value=100, max_value=FUZZ_MAX_BYTES // max(1, len(unit)) - 10))
    prefix = draw(st.sampled_from(["", "Troops were deployed. ", "MOSCOW, Jan 27 (Wire) - "]))
    return orjson.dumps(prefix + unit * count + draw(st.sampled_from(["", "!", " x", "\u201d"])))
