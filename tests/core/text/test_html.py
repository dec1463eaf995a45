"""Unit tests for streams.core.text.html: main text, title, publication time and language."""

from __future__ import annotations

import pytest

from streams.core.text.html import HtmlExtract, extract_html, looks_like_html
from streams.core.text.html_meta import strip_site_name

P1 = (
    "Negotiators from the two neighbouring states left the lakeside venue on Tuesday without "
    "agreeing on a timetable for the withdrawal of troops from the disputed valley, officials "
    "on both sides said."
)
P2 = (
    "The foreign minister of the northern delegation, Tomas Rautio, told reporters that his "
    "government would not accept \u201cany arrangement that leaves armoured units within "
    "striking distance of our towns\u201d."
)
P3 = (
    "His counterpart, Elena Varga, said the proposal had been shared with allies in advance "
    "and called the northern position a refusal to negotiate in good faith."
)
P4 = (
    "Diplomats said a further round could take place in April, but no date has been set. The "
    "United Nations envoy for the region urged both sides to avoid steps that could raise "
    "tensions along the line of contact."
)
NAV = "".join(
    f'<li><a href="/{s.lower()}">{s}</a></li>'
    for s in ("Home", "World", "Politics", "Business", "Culture", "Sport")
)

PAGE = f"""<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>Border talks stall as envoys trade warnings | The Daily Ledger</title>
<meta property="og:site_name" content="The Daily Ledger">
<meta property="article:modified_time" content="2023-03-15T18:02:00+02:00">
<meta property="article:published_time" content="2023-03-14T09:30:00+02:00">
<script type="application/ld+json">
{{"@context": "https://schema.org", "@type": "NewsArticle",
  "dateModified": "2023-03-15T18:02:00+02:00", "datePublished": "2023-03-14T09:30:00+02:00"}}
</script>
<script>window.track = function () {{ return "Advertisement"; }};</script>
<style>.nav {{ display: flex }}</style>
</head>
<body>
<div id="cookie-banner" class="cookie-consent"><p>We use cookies to improve your experience on
our website. By browsing you agree to our cookie policy.</p><button>Accept all cookies</button>
</div>
<header class="site-header"><nav class="main-nav"><ul>{NAV}</ul></nav></header>
<div class="ad ad-top">Advertisement</div>
<main>
<article>
<h1>Border talks stall as envoys trade warnings</h1>
<div class="byline">By Maria Keller</div>
<time datetime="2023-03-14T09:30:00+02:00">14 March 2023</time>
<div class="share-bar"><a href="#">Share on Facebook</a> <a href="#">Share on X</a></div>
<p>{P1}</p>
<p>{P2}</p>
<div class="ad-slot" id="ad-mid"><span>Advertisement</span></div>
<p>{P3}</p>
<p>{P4}</p>
<aside class="related"><h3>Related stories</h3><ul>
<li><a href="/a">Valley villagers fear new clashes after talks collapse</a></li>
<li><a href="/b">Five things to know about the long border dispute</a></li></ul></aside>
<div class="newsletter">Sign up for our daily briefing newsletter</div>
</article>
</main>
<footer class="site-footer"><p>&copy; 2023 The Daily Ledger. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy policy</a></li><li><a href="/terms">Terms of use</a></li></ul>
</footer>
</body>
</html>"""


def _page(head: str = "", article: str = "", lang: str = "en") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">{head}</head><body>'
        f"<nav><ul>{NAV}</ul></nav><article>{article}<p>{P1}</p><p>{P2}</p><p>{P3}</p>"
        f"</article><footer>Contact us</footer></body></html>"
    )


@pytest.fixture(scope="module")
def extracted() -> HtmlExtract:
    return extract_html(PAGE)


@pytest.mark.parametrize("paragraph", [P1, P2, P3, P4])
def test_html_article_paragraphs_extracted(extracted: HtmlExtract, paragraph: str) -> None:
    assert paragraph in extracted.text


@pytest.mark.parametrize(
    "clutter",
    [
        "cookies",
        "Accept all",
        "Home",
        "Culture",
        "Advertisement",
        "Share on",
        "Related stories",
        "Valley villagers",
        "Five things",
        "newsletter",
        "Privacy policy",
        "All rights reserved",
        "window.track",
        "display: flex",
    ],
)
def test_html_boilerplate_removed(extracted: HtmlExtract, clutter: str) -> None:
    assert clutter not in extracted.text


def test_html_paragraphs_separated_by_blank_lines(extracted: HtmlExtract) -> None:
    paragraphs = extracted.text.split("\n\n")
    assert paragraphs.index(P2) == paragraphs.index(P1) + 1
    assert "\n" not in P1 and P1 in paragraphs


def test_html_title_without_site_suffix(extracted: HtmlExtract) -> None:
    assert extracted.title == "Border talks stall as envoys trade warnings"


def test_html_published_is_publication_not_modification(extracted: HtmlExtract) -> None:
    assert extracted.published == "2023-03-14T09:30:00+02:00"


def test_html_lang_from_html_element(extracted: HtmlExtract) -> None:
    assert extracted.lang == "en"


@pytest.mark.parametrize(
    ("head", "article", "expected"),
    [
        # JSON-LD only, with dateModified listed first.
        (
            '<script type="application/ld+json">{"@context": "https://schema.org", "@graph": ['
            '{"@type": "WebSite", "name": "Ledger"}, {"@type": "NewsArticle", '
            '"dateModified": "2022-05-02T10:00:00Z", "datePublished": "2022-05-01T08:15:00Z"}'
            "]}</script>",
            "",
            "2022-05-01T08:15:00Z",
        ),
        # <time> in the article; a related teaser's time in an <aside> is ignored.
        (
            "",
            '<aside><time datetime="2020-01-01">old</time></aside>'
            '<time datetime="2021-07-09T14:00:00+03:00">9 July</time>',
            "2021-07-09T14:00:00+03:00",
        ),
        # itemprop on a <meta> inside the page.
        ('<meta itemprop="datePublished" content="2019-11-30">', "", "2019-11-30"),
        # Only a modification time: no publication time.
        ('<meta property="article:modified_time" content="2023-01-02T00:00:00Z">', "", None),
        # Broken JSON-LD still yields its datePublished.
        (
            '<script type="application/ld+json">{"datePublished": "2018-02-03T04:05:06Z",}'
            "</script>",
            "",
            "2018-02-03T04:05:06Z",
        ),
        ("", "", None),
    ],
)
def test_html_published_sources(head: str, article: str, expected: str | None) -> None:
    assert extract_html(_page(head, article)).published == expected


@pytest.mark.parametrize(
    ("head", "lang", "expected"),
    [
        ("", "ru-RU", "ru"),
        ("", "DE", "de"),
        ('<meta property="og:locale" content="uk_UA">', "", "uk"),
        ("", "", None),
    ],
)
def test_html_lang_variants(head: str, lang: str, expected: str | None) -> None:
    assert extract_html(_page(head, lang=lang)).lang == expected


@pytest.mark.parametrize(
    ("head", "article", "expected"),
    [
        ('<meta property="og:title" content="Valley deal signed">'
         "<title>Valley deal signed - Ledger</title>", "", "Valley deal signed"),
        ("<title>Ledger | Ministers agree to resume border talks next month</title>", "",
         "Ministers agree to resume border talks next month"),
        ("<title>Quiet night after the storm – Coast Herald</title>", "",
         "Quiet night after the storm"),
        ("", "<h1>Only a heading here</h1>", "Only a heading here"),
        ("<title>Talks stall \u2013 envoys trade warnings</title>", "",
         "Talks stall \u2013 envoys trade warnings"),
    ],
)  # fmt: skip
def test_html_title_sources(head: str, article: str, expected: str) -> None:
    assert extract_html(_page(head, article)).title == expected


@pytest.mark.parametrize(
    ("title", "site", "expected"),
    [
        ("Talks stall | The Daily Ledger", "The Daily Ledger", "Talks stall"),
        ("Talks stall - BBC News", None, "Talks stall"),
        ("Talks stall :: ledger.example", None, "Talks stall"),
        ("Lavrov: talks stall", None, "Lavrov: talks stall"),
        ("Floods - what we know so far", None, "Floods - what we know so far"),
    ],
)
def test_html_strip_site_name(title: str, site: str | None, expected: str) -> None:
    assert strip_site_name(title, site) == expected


def test_html_fragment_extracted() -> None:
    fragment = f"<p>{P1}</p><p>{P2}</p>"
    result = extract_html(fragment)
    assert P1 in result.text and P2 in result.text


def test_html_russian_page() -> None:
    body = (
        "Жители трёх сёл были вывезены в безопасные районы после подъёма воды в реке, "
        "сообщили в администрации района в понедельник."
    )
    page = (
        '<html lang="ru"><head><title>Паводок: эвакуированы три села | Вестник</title></head>'
        f"<body><nav><a href='/'>Главная</a> <a href='/p'>Политика</a></nav>"
        f"<article><p>{body}</p><p>{body}</p></article></body></html>"
    )
    result = extract_html(page)
    assert result.lang == "ru"
    assert result.title == "Паводок: эвакуированы три села"
    assert body in result.text and "Главная" not in result.text


@pytest.mark.parametrize(
    "garbage",
    [
        "",
        "   ",
        "<",
        "<<<>>>",
        "</p></div></html>",
        "\x00\x01\x02<html>\x03",
        "<html><head><meta property='article:published_time'></head></html>",
        '<script type="application/ld+json">{{{{</script>',
        "<div>" * 100_000,
        "<p>" + "x" * 500_000,
        "<html><body>" + "<div><span>" * 3_000 + "text" + "</span></div>" * 3_000,
        "\ud800 broken surrogate <p>text</p>".encode("utf-8", "surrogatepass").decode(
            "utf-8", "replace"
        ),
        "<?xml version='1.0' encoding='utf-8'?><html><body><p>x</p></body></html>",
    ],
)
def test_html_never_raises_on_garbage(garbage: str) -> None:
    result = extract_html(garbage)
    assert isinstance(result, HtmlExtract)
    assert isinstance(result.text, str)


def test_html_huge_page_of_one_repeated_paragraph_keeps_it_once_or_twice() -> None:
    page = "<html><body><article>" + f"<p>{P1}</p>\n" * 20_000 + "</article></body></html>"
    assert 1 <= extract_html(page).text.count(P1.strip()) <= 2


@pytest.mark.parametrize(
    ("payload", "expected"),
    [
        (PAGE, True),
        ("<!doctype html><title>x</title>", True),
        ("\ufeff  <html><body>x</body></html>", True),
        ("<p>First paragraph.</p><p>Second paragraph.</p>", True),
        ("<div class='a'><span>x</span><br/>y</div>", True),
        ("Profits rose <5% while the <b> tag was mentioned in the report.", False),
        ("Plain news text without any markup at all.", False),
        ("", False),
        ("a < b and c > d", False),
    ],
)
def test_html_looks_like_html(payload: str, expected: bool) -> None:
    assert looks_like_html(payload) is expected
