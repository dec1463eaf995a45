"""Unit tests for streams.core.text.fingerprint: SimHash format, stability and near-duplicates."""

from __future__ import annotations

import re
import subprocess
import sys
import unicodedata
from hashlib import blake2b
from itertools import combinations

import pytest

from streams.core.text.fingerprint import (
    DUPLICATE_MAX_DISTANCE,
    hamming,
    simhash,
)

PORT_STORY = (
    "ROTTERDAM - Dock workers at Europe's largest port returned to work on Tuesday after a "
    "two-day stoppage that left more than 40 container ships waiting at anchor in the North "
    "Sea. The port authority said the backlog would take at least a week to clear, and "
    "shipping lines warned customers that deliveries of electronics and clothing could slip "
    "into the following month.\n\n"
    "The dispute centred on a new automated crane system that the terminal operator wants to "
    "introduce at two of its largest quays. Union representatives argued that the machines "
    "would cut several hundred jobs over five years, while the company said no permanent "
    "employee would be dismissed and that retraining would be offered to anyone whose role "
    "changed.\n\n"
    "Talks brokered by a regional mediator ran late into Monday night. Under the compromise, "
    "the operator will slow the roll-out to one quay in the first year and fund a training "
    "centre near the harbour. A spokesperson for the operator described the agreement as "
    "balanced and said the company remained committed to modernising its equipment.\n\n"
    "Economists at a Dutch bank estimated that each day of disruption costs the regional "
    "economy around 25 million euros, mostly through delayed deliveries to factories in "
    "Germany and Belgium. Freight rates on routes from Asia rose slightly last week as "
    "carriers diverted some vessels to Antwerp and Hamburg.\n\n"
    "The port handled about 14 million containers last year, a figure its managers hope to "
    "raise by a fifth by the end of the decade. City officials also plan to extend the rail "
    "link to the newest terminals, which they say will take thousands of trucks off the "
    "motorways each week."
)

VACCINE_STORY = (
    "Health officials in three West African countries began a coordinated vaccination drive "
    "on Monday, aiming to reach two million children under five before the rainy season "
    "makes remote villages hard to reach. Mobile teams travelled by motorbike and boat to "
    "settlements along the river basin, carrying vaccines in solar-powered cool boxes.\n\n"
    "The campaign targets measles and yellow fever, both of which have returned in several "
    "districts after routine immunisation fell during the last two years. A regional health "
    "coordinator said coverage in some areas had dropped below sixty per cent, well short of "
    "the level needed to stop outbreaks.\n\n"
    "Community leaders were recruited to explain the campaign in local languages and to "
    "answer questions from parents. Organisers said the involvement of religious leaders "
    "had helped in previous drives, when turnout in some villages doubled after imams and "
    "priests endorsed the vaccines during weekly services.\n\n"
    "Funding for the operation comes from a partnership between the three ministries of "
    "health and an international vaccine alliance. Donors have pledged a further 30 million "
    "dollars to strengthen cold storage at district clinics, which often lose power for "
    "several hours a day.\n\n"
    "Results from the first week will be published at the end of the month, and teams will "
    "return in the dry season to reach children who were missed."
)

ELECTION_STORY = (
    "Voters in the coastal province go to the polls on Sunday in a regional election seen as "
    "a test for the governing coalition ahead of next year's national vote. Opinion surveys "
    "published this week put the opposition alliance narrowly ahead, with almost a fifth of "
    "voters still undecided.\n\n"
    "The campaign has been dominated by housing costs and the future of the province's "
    "shipyards, which employ about twelve thousand people. The incumbent governor promised "
    "new tax breaks for builders of affordable flats, while her main rival pledged to "
    "convert part of the old naval base into a technology park.\n\n"
    "Turnout in the last regional election was just over 52 per cent. Election officials "
    "said they had printed extra ballots for postal voting, which has grown sharply since "
    "the rules were relaxed three years ago, and that counting should be complete by early "
    "Monday morning.\n\n"
    "Smaller parties could hold the balance of power in the regional assembly. A green list "
    "and a farmers' party are both polling near the five per cent threshold needed to win "
    "seats, and both have said they are open to talks with either of the main blocs."
)

LIBRARY_STORY = (
    "The city council approved plans on Thursday to rebuild the central library, which has "
    "been closed since a roof collapse two winters ago. The new building will keep the "
    "historic facade but add a glass reading hall, a children's wing and a rooftop garden, "
    "according to designs presented by the architects.\n\n"
    "Construction is expected to cost 48 million and to take about three years. Around a "
    "third of the money will come from a national heritage fund, with the rest from the "
    "city budget and private donations collected by a friends' association.\n\n"
    "During the closure the library has operated from a former department store near the "
    "station, where lending has recovered to about eighty per cent of its previous level. "
    "Librarians said demand for study places, computer courses and language classes had "
    "grown faster than demand for books.\n\n"
    "Opposition councillors supported the project but asked for a cap on the budget after "
    "the cost of a new swimming pool doubled during construction. The mayor said the "
    "contract would include penalties for delays and that monthly progress reports would be "
    "published online."
)


def _light_edit(text: str, replacements: list[tuple[str, str]]) -> str:
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


REWRITES = {
    "port_numbers": (
        PORT_STORY,
        _light_edit(
            PORT_STORY,
            [("two-day", "48-hour"), ("more than 40", "over 40"), ("25 million", "30 million")],
        ),
    ),
    "port_dateline_and_words": (
        PORT_STORY,
        _light_edit(
            PORT_STORY,
            [
                ("ROTTERDAM - ", "ROTTERDAM, Netherlands (Reuters) - "),
                ("on Tuesday", "on Tuesday morning"),
                ("described the agreement as", "called the agreement"),
                ("rose slightly", "edged higher"),
            ],
        ),
    ),
    "vaccine_dropped_sentence": (
        VACCINE_STORY,
        _light_edit(
            VACCINE_STORY,
            [
                (
                    " Donors have pledged a further 30 million dollars to strengthen cold "
                    "storage at district clinics, which often lose power for several hours a "
                    "day.",
                    "",
                ),
                ("on Monday", "this week"),
            ],
        ),
    ),
    "election_typos_and_casing": (
        ELECTION_STORY,
        _light_edit(
            ELECTION_STORY,
            [
                ("Opinion surveys", "OPINION SURVEYS"),
                ("twelve thousand", "12,000"),
                ("open to talks", "ready for talks"),
            ],
        ),
    ),
    "library_appended_line": (
        LIBRARY_STORY,
        LIBRARY_STORY + "\n\nThis article has been updated with comments from the mayor.",
    ),
}

ORIGINALS = {
    "port": PORT_STORY,
    "vaccine": VACCINE_STORY,
    "election": ELECTION_STORY,
    "library": LIBRARY_STORY,
}


@pytest.mark.parametrize("text", [PORT_STORY, "short", "", "Ünïcödé text, über alles", "a b c d"])
def test_fingerprint_simhash_is_sixteen_hex_digits(text: str) -> None:
    value = simhash(text)
    assert len(value) == 16
    int(value, 16)
    assert value == value.lower()


def test_fingerprint_simhash_is_stable_across_processes() -> None:
    code = f"from streams.core.text.fingerprint import simhash; print(simhash({PORT_STORY!r}))"
    other = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert other == simhash(PORT_STORY)


def test_fingerprint_simhash_known_value() -> None:
    # pins the algorithm: a change here breaks dedup against fingerprints already stored
    assert simhash("troops crossed the border at dawn") == "1a7d21e210627021"
    assert simhash("Troops crossed the border, at dawn!") == "1a7d21e210627021"
    assert simhash("") == "0" * 16


@pytest.mark.parametrize(
    ("text", "variant"),
    [
        (PORT_STORY, PORT_STORY.upper()),
        (PORT_STORY, PORT_STORY.replace(". ", ".  ").replace("\n\n", "\n")),
        (PORT_STORY, PORT_STORY.replace(",", "")),
    ],
)
def test_fingerprint_ignores_case_spacing_and_punctuation(text: str, variant: str) -> None:
    assert simhash(text) == simhash(variant)


@pytest.mark.parametrize("name", sorted(REWRITES))
def test_fingerprint_light_rewrite_is_near_duplicate(name: str) -> None:
    original, rewrite = REWRITES[name]
    assert original != rewrite
    distance = hamming(simhash(original), simhash(rewrite))
    assert distance <= DUPLICATE_MAX_DISTANCE


@pytest.mark.parametrize(("a", "b"), list(combinations(sorted(ORIGINALS), 2)))
def test_fingerprint_unrelated_stories_are_far_apart(a: str, b: str) -> None:
    distance = hamming(simhash(ORIGINALS[a]), simhash(ORIGINALS[b]))
    assert distance > DUPLICATE_MAX_DISTANCE + 6


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        ("0000000000000000", "0000000000000000", 0),
        ("0000000000000000", "ffffffffffffffff", 64),
        ("00000000000000ff", "0000000000000000", 8),
        ("8000000000000001", "0000000000000000", 2),
        ("ABCDEF0123456789", "abcdef0123456789", 0),
    ],
)
def test_fingerprint_hamming_counts_differing_bits(a: str, b: str, expected: int) -> None:
    assert hamming(a, b) == expected
    assert hamming(b, a) == expected


def test_fingerprint_hamming_rejects_non_hex() -> None:
    with pytest.raises(ValueError):
        hamming("not-hex", "0000000000000000")


def _simhash_by_definition(text: str) -> str:
    """SimHash as the module docstring defines it, bit by bit in plain Python."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    words = re.findall(r"\w+", folded)
    size = min(len(words), 3)
    shingles = (
        {" ".join(words[i : i + size]) for i in range(len(words) - size + 1)} if words else set()
    )
    if not shingles:
        return "0" * 16
    counts = [0] * 64
    for shingle in shingles:
        value = int.from_bytes(blake2b(shingle.encode("utf-8"), digest_size=8).digest(), "big")
        for bit in range(64):
            counts[bit] += (value >> bit) & 1
    return f"{sum(1 << bit for bit in range(64) if counts[bit] > len(shingles) / 2):016x}"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "word",
        "two words",
        "a b c",
        "a b c a b c a b c",  # repeated shingles count once
        "snake_case and_underscores stay whole",
        "Straße İstanbul ﬁnal ＦＵＬＬ width, Ünïcödé über alles",
        "日本語のテキスト と English mixed 123 4.5",
        PORT_STORY,
        PORT_STORY.upper(),
        *ORIGINALS.values(),
    ],
)
def test_fingerprint_simhash_matches_its_definition(text: str) -> None:
    # the vectorised count and the ASCII fast path give the value of the plain definition
    assert simhash(text) == _simhash_by_definition(text)
