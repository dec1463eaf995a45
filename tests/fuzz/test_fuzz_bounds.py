"""Fuzzed pages and texts against the bounds the core puts on what it reads.

Whatever the markup, the page the parser gets holds at most MAX_HTML_ELEMENTS start tags and
no tag with more than MAX_TAG_ATTRIBUTES attributes, and is never longer than the input;
whatever the text, the cut falls within the bound, at a sentence end or white space when
there is one near it.
"""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.core.text.bounds import BOUNDARY_WINDOW, article_cut
from streams.core.text.html_bounds import (
    _ATTRIBUTE,
    _START_TAG,
    MAX_HTML_ELEMENTS,
    MAX_TAG_ATTRIBUTES,
    bound_html,
)

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=True,
)

fragments = st.sampled_from(
    [
        "<p>", "</p>", "<div class='a>b'>", "<br>", "Aa ", "<b x=1 y=2>", '<i t="q', "'",
        "<script>if (a<b) {}</script>", "<style>p<b{}</style>", "<!-- <p> -->", "<a href=/x>",
        " z=1", "<", ">", "\n", "<SCRIPT>", "</Script>",
    ]
)  # fmt: skip
pages = st.builds(
    lambda parts, times, attrs: "".join(parts) * times + f"<p {attrs}>x</p>",
    st.lists(fragments, min_size=1, max_size=12),
    st.integers(min_value=1, max_value=2 * MAX_HTML_ELEMENTS),
    st.sampled_from(["", "a=1 " * (3 * MAX_TAG_ATTRIBUTES), 'a=">" ' * (2 * MAX_TAG_ATTRIBUTES)]),
)
_SCRIPT = re.compile(r"<(script|style)\b.*?(?:</\1|$)", re.IGNORECASE | re.DOTALL)


@FUZZ
@given(pages)
def test_fuzz_bounds_page_stays_within_its_bounds(page: str) -> None:
    bounded = bound_html(page)
    assert len(bounded.html) <= len(page)
    tags = list(_START_TAG.finditer(_SCRIPT.sub("<script>", bounded.html)))
    assert len(tags) <= MAX_HTML_ELEMENTS + page.lower().count("<script") + page.count("<style")
    for tag in tags:
        assert len(_ATTRIBUTE.findall(tag.group(2))) <= MAX_TAG_ATTRIBUTES
    if bounded.trimmed_tags == 0:
        assert page.startswith(bounded.html)
        assert bounded.cut_at in (None, len(bounded.html))


@FUZZ
@given(
    st.text(alphabet=st.sampled_from(list("Aa. \n,:”1")), min_size=1, max_size=40),
    st.integers(min_value=10, max_value=5_000),
)
def test_fuzz_bounds_cut_is_within_the_limit_at_a_boundary(unit: str, limit: int) -> None:
    text = unit * (2 * limit // len(unit) + 1)
    cut = article_cut(text, limit)
    if len(text) <= limit:
        assert cut is None
        return
    assert cut is not None and 0 < cut <= limit
    window = text[max(0, limit - BOUNDARY_WINDOW) : limit]
    if cut < limit:
        assert text[cut - 1].isspace()
    else:
        assert not any(c.isspace() for c in window[1:]) or text[limit - 1].isspace()
