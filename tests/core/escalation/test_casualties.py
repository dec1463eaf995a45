"""Unit tests for streams.core.escalation.casualties: counts, kinds, zeros, traps and offsets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from streams.core.escalation.casualties import CasualtyKind, CasualtyMention, find_casualties

Expected = list[tuple[str, int]]


def kinds_and_counts(text: str) -> Expected:
    return [(m.kind, m.count) for m in find_casualties(text)]


def assert_offsets(text: str, mentions: list[CasualtyMention]) -> None:
    for m in mentions:
        assert text[m.start : m.end] == m.text


# sentence -> (kind, count) in text order; all sentences written for these tests
CASES: list[tuple[str, Expected]] = [
    # killed: active
    ("Gunmen killed 12 people at the market.", [("killed", 12)]),
    ("The airstrike hit the camp, killing at least 12.", [("killed", 12)]),
    ("Roadside bomb kills three soldiers", [("killed", 3)]),
    ("The explosion killed two and injured five.", [("killed", 2), ("injured", 5)]),
    ("Police shot dead two men at the checkpoint.", [("killed", 2)]),
    ("Militants stormed the post, killing a policeman.", [("killed", 1)]),
    ("They opened fire on the commander, killing him.", [("killed", 1)]),
    ("The landslide claimed the lives of 9 villagers.", [("killed", 9)]),
    ("The storm claimed 9 lives.", [("killed", 9)]),
    ("The fighting has killed more than 14,000 people since 2014.", [("killed", 14000)]),
    ("The strike killed 1,200 people.", [("killed", 1200)]),
    ("The virus could kill thousands.", [("killed", 2000)]),
    (
        "The raid killed 12 civilians, three soldiers and a policeman.",
        [("killed", 12), ("killed", 3), ("killed", 1)],
    ),
    ("A suicide bomber killed himself and 11 others.", [("killed", 1), ("killed", 11)]),
    ("Two gunmen killed the mayor.", [("killed", 1)]),
    # killed: passive, intransitive, headline
    ("12 people were killed in the attack.", [("killed", 12)]),
    ("Three soldiers were killed on Monday.", [("killed", 3)]),
    ("Two police officers are gunned down in the capital.", [("killed", 2)]),
    ("Two police officers were shot dead.", [("killed", 2)]),
    ("Four prisoners were executed at dawn.", [("killed", 4)]),
    ("Five villagers were massacred.", [("killed", 5)]),
    ("Two hostages were beheaded.", [("killed", 2)]),
    ("A suspected thief was lynched.", [("killed", 1)]),
    ("Three monks were murdered.", [("killed", 3)]),
    ("Six guards were slain.", [("killed", 6)]),
    ("A man was killed when a shell hit his house.", [("killed", 1)]),
    ("A 25-year-old man was killed.", [("killed", 1)]),
    ("The victim, aged 34, was killed instantly.", [("killed", 1)]),
    ("Twelve people lost their lives in the fire.", [("killed", 12)]),
    ("An estimated 500 people died.", [("killed", 500)]),
    ("He died of his wounds in hospital.", [("killed", 1)]),
    ("A soldier later died of his wounds.", [("killed", 1)]),
    ("Three killed, 12 hurt in bus crash", [("killed", 3), ("injured", 12)]),
    ("5 dead after storm", [("killed", 5)]),
    ("The blast left 5 dead and 40 injured.", [("killed", 5), ("injured", 40)]),
    ("Twelve civilians and three soldiers were killed.", [("killed", 12), ("killed", 3)]),
    ("A woman and her two children were killed.", [("killed", 1), ("killed", 2)]),
    ("Three people, including a child, were killed.", [("killed", 3)]),
    ("All 157 people on board were killed.", [("killed", 157)]),
    ("Four people are feared dead.", [("killed", 4)]),
    ("Nine lives were lost.", [("killed", 9)]),
    # killed: tolls, counted nouns, bodies
    ("The death toll rose to 15 on Tuesday.", [("killed", 15)]),
    ("The death toll of 15 is expected to rise.", [("killed", 15)]),
    ("The toll climbed to 15.", [("killed", 15)]),
    ("The death toll rose by 3 to 15.", [("killed", 15)]),
    ("The number of dead rose to 40.", [("killed", 40)]),
    ("Officials reported 15 deaths and 3 fatalities.", [("killed", 15), ("killed", 3)]),
    ("The bodies of five men were found on a farm.", [("killed", 5)]),
    ("Five bodies were recovered from the river.", [("killed", 5)]),
    # injured
    ("The bomb exploded, killing 12 and wounding 28 others.", [("killed", 12), ("injured", 28)]),
    ("One soldier was killed and 28 others wounded.", [("killed", 1), ("injured", 28)]),
    ("The quake left 40 injured.", [("injured", 40)]),
    ("Five people sustained injuries.", [("injured", 5)]),
    ("Several were hospitalised with gunshot wounds.", [("injured", 3)]),
    ("Dozens of protesters were hurt.", [("injured", 24)]),
    # missing
    ("Twenty students are missing after the raid.", [("missing", 20)]),
    ("Gunmen abducted 20 students from a school.", [("missing", 20)]),
    ("Three aid workers were kidnapped.", [("missing", 3)]),
    ("Twelve tourists were taken hostage.", [("missing", 12)]),
    ("Gunmen took 20 people hostage.", [("missing", 20)]),
    ("Rebels seized 30 hostages.", [("missing", 30)]),
    ("Two activists disappeared last week.", [("missing", 2)]),
    ("Five fishermen remain unaccounted for.", [("missing", 5)]),
    ("Two people are dead and three are missing.", [("killed", 2), ("missing", 3)]),
    # vague amounts and bounds
    ("A dozen soldiers were killed.", [("killed", 12)]),
    ("Two dozen civilians were killed.", [("killed", 24)]),
    ("Scores of protesters were wounded.", [("injured", 40)]),
    ("Hundreds were killed and thousands injured.", [("killed", 200), ("injured", 2000)]),
    ("Tens of thousands were killed.", [("killed", 20000)]),
    ("A few people were hurt.", [("injured", 3)]),
    ("A couple of bystanders were injured.", [("injured", 2)]),
    ("A handful of miners are missing.", [("missing", 3)]),
    ("Two hundred people were killed.", [("killed", 200)]),
    ("Twenty-three miners were killed.", [("killed", 23)]),
    ("Three died, and two hundred and five were injured.", [("killed", 3), ("injured", 205)]),
    ("Up to 12 people may have been killed.", [("killed", 12)]),
    ("Nearly 100 were killed, almost 300 wounded.", [("killed", 100), ("injured", 300)]),
    # zeros
    ("There were no casualties.", [("killed", 0), ("injured", 0)]),
    ("No one was killed in the blast.", [("killed", 0)]),
    ("Nobody was killed.", [("killed", 0)]),
    ("No one was hurt.", [("injured", 0)]),
    ("There were no injuries.", [("injured", 0)]),
    ("The passengers escaped without injuries.", [("injured", 0)]),
    ("The fire caused no deaths.", [("killed", 0)]),
    ("There were no fatalities.", [("killed", 0)]),
    ("No one was killed or injured.", [("killed", 0), ("injured", 0)]),
    ("None of the 12 passengers was hurt.", [("injured", 0)]),
    ("There were no immediate reports of casualties.", [("killed", 0), ("injured", 0)]),
    # verb + "dead"/"to death"/"alive"/"down" around a singular or plural object
    ("Unknown assailants shot dead a tea seller near the bus station.", [("killed", 1)]),
    ("Masked men gunned down a shopkeeper in broad daylight.", [("killed", 1)]),
    ("Villagers beat a suspected cattle rustler to death.", [("killed", 1)]),
    ("A mob stabbed a 19-year-old student to death.", [("killed", 1)]),
    ("The militants hacked three villagers to death with machetes.", [("killed", 3)]),
    ("Guards beat two detainees and a teenager to death.", [("killed", 2), ("killed", 1)]),
    (
        "Gunmen shot dead a district chief and three of his bodyguards.",
        [("killed", 1), ("killed", 3)],
    ),
    ("They doused her with petrol and burned her alive.", [("killed", 1)]),
    ("The mob burned the alleged sorcerer alive.", [("killed", 1)]),
    ("Police shot the gunman dead after a standoff.", [("killed", 1)]),
    ("Two soldiers gunned him down outside the mosque.", [("killed", 1)]),
    # participle clauses with a numbered pronoun or "of the" object
    ("Rebels ambushed the patrol, critically wounding four of them.", [("injured", 4)]),
    ("The blast hit the checkpoint, injuring five of the officers on duty.", [("injured", 5)]),
    ("Gunmen fired on the bus, killing two of the passengers.", [("killed", 2)]),
    # reflexive and "others": "themselves" is not counted
    ("Two bombers detonated their vests, killing themselves and 14 others.", [("killed", 14)]),
    (
        "The gunman opened fire, killing four and wounding 17 others.",
        [("killed", 4), ("injured", 17)],
    ),
    # subject, prepositional phrase, verb
    ("Nobody aboard the ferry was injured.", [("injured", 0)]),
    ("None of the workers inside the factory were hurt.", [("injured", 0)]),
    ("Four passengers in the minibus died at the scene.", [("killed", 4)]),
    ("Twelve people in the village of Abu were killed.", [("killed", 12)]),
    ("Three members of the family were killed.", [("killed", 3)]),
    ("Scores more were injured in the stampede.", [("injured", 40)]),
    ("Three more people were killed overnight.", [("killed", 3)]),
    ("Five others were slightly injured.", [("injured", 5)]),
    # other injury verbs: poisoning, hospital
    ("Tainted food ended up poisoning 30 wedding guests.", [("injured", 30)]),
    ("Eleven pupils were hospitalised after the gas attack.", [("injured", 11)]),
    ("At least 20 people were hospitalized with smoke inhalation.", [("injured", 20)]),
    ("Six miners were treated in hospital for burns.", [("injured", 6)]),
    ("Two firefighters were treated for minor injuries.", [("injured", 2)]),
    ("Seven students were taken to a nearby hospital.", [("injured", 7)]),
    ("Ambulances took three women to hospital.", [("injured", 3)]),
    ("Paramedics rushed a teenager to hospital.", [("injured", 1)]),
    ("A dozen residents were treated for smoke inhalation.", [("injured", 12)]),
    ("12 hospitalised after chemical leak", [("injured", 12)]),
    # "the other", "another", "one of"
    (
        "Two brothers were shot; one died and the other was critically injured.",
        [("killed", 1), ("injured", 1)],
    ),
    ("The other was lightly wounded.", [("injured", 1)]),
    ("One guard died and another was hurt.", [("killed", 1), ("injured", 1)]),
    ("Gunmen killed the other two.", [("killed", 2)]),
    ("One of the hostages died in captivity.", [("killed", 1)]),
    # missing with a list: one mention per member
    ("Gunmen abducted two engineers and their interpreter.", [("missing", 2), ("missing", 1)]),
    ("Pirates kidnapped a captain and four crew members.", [("missing", 1), ("missing", 4)]),
    ("Militants seized a nurse.", [("missing", 1)]),
    # a casualty count next to a displacement number
    (
        "The fighting killed two soldiers and forced thousands of residents to flee.",
        [("killed", 2)],
    ),
]

# nothing to report: no casualty stated, or numbers that are not casualty counts
NEGATIVES = [
    "The central bank raised rates by 25 basis points on 12 May 2024.",
    "Many people were killed.",
    "Some were killed.",
    "There were casualties.",
    "The army killed 300 cattle to stop the outbreak.",
    "Storms killed 300 sheep overnight.",
    "The company destroyed 60 homes to build the road.",
    "He killed it on stage with 3 encores.",
    "The soldiers were killed 5 km from the base.",
    "The war killed 2000.",
    "Article 12 says those killed must be named.",
    "Flight 370 disappeared in 2014.",
    "Police seized 3 tons of cocaine and 12 vehicles.",
    "He paid $5 to kill time.",
    "Shares fell 12 per cent as the war killed demand.",
    "The bill was killed by 12 votes.",
    "He was shot 5 times but survived.",
    "The toll road costs $5 and opened in 1998.",
    "Twelve people were killed or injured.",  # which, not said
    "Prices rose 5% in 2023 and 300 people attended the fair.",
    # split verbs, loose objects and hospital words that are not casualties
    "Poachers shot dead a rhino in the park.",
    "Rangers shot dead a tiger that had strayed into the village.",
    "Hunters shot a lion dead.",
    "Bandits shot dead two cows and a donkey.",
    "The army shot down two drones.",
    "The champions beat the visitors to the title.",
    "The fire burned the warehouse to the ground.",
    "Protesters burned an effigy of the president.",
    "Lawmakers killed the bill.",
    "Gunmen shot dead a number of dogs.",
    "Three people were treated to a free concert.",
    "The minister was treated for cancer last year.",
    "The hospital took 12 days to reopen.",
    "Fans sent 12 letters to hospital staff.",
    "Shelling forced thousands of residents to flee, and the death toll was unclear.",
    "Thousands of residents were forced to flee to the hospital grounds.",
    "Poison gas forced thousands of villagers to flee.",
    "He spent 20 years in prison and died in 2019.",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0][:48] for c in CASES])
def test_casualties_kinds_and_counts(text: str, expected: Expected) -> None:
    mentions = find_casualties(text)
    assert [(m.kind, m.count) for m in mentions] == expected
    assert_offsets(text, mentions)


@pytest.mark.parametrize("text", NEGATIVES)
def test_casualties_negatives(text: str) -> None:
    assert find_casualties(text) == []


@pytest.mark.parametrize(
    ("text", "kind", "count", "phrase", "start", "approximate"),
    [
        ("Airstrikes killed at least 12 people.", "killed", 12, "at least 12", 18, True),
        ("More than a dozen people were wounded.", "injured", 12, "More than a dozen", 0, True),
        ("Three soldiers were killed.", "killed", 3, "Three", 0, False),
        ("The raid ended, killing a policeman.", "killed", 1, "a policeman", 24, False),
        ("A 25-year-old man was killed.", "killed", 1, "A 25-year-old man", 0, False),
        ("They fired, killing him.", "killed", 1, "him", 20, False),
        ("Nobody was hurt.", "injured", 0, "Nobody", 0, False),
        ("The drivers escaped without injuries.", "injured", 0, "without injuries", 20, False),
        ("Some 200 villagers died.", "killed", 200, "Some 200", 0, True),
        ("Dozens of people were hurt.", "injured", 24, "Dozens", 0, True),
        ("Two dozen were abducted.", "missing", 24, "Two dozen", 0, True),
        ("The death toll rose to 1,200.", "killed", 1200, "1,200", 23, False),
    ],
)
def test_casualties_text_and_offsets(
    text: str, kind: CasualtyKind, count: int, phrase: str, start: int, approximate: bool
) -> None:
    [mention] = find_casualties(text)
    end = start + len(phrase)
    assert mention == CasualtyMention(kind, count, phrase, start, end, approximate)


def test_casualties_no_casualties_is_two_mentions_with_one_span() -> None:
    text = "Officials said there were no casualties."
    killed, injured = find_casualties(text)
    assert (killed.kind, injured.kind) == ("killed", "injured")
    assert killed.text == injured.text == "no casualties"
    assert (killed.start, killed.end) == (injured.start, injured.end) == (26, 39)
    assert killed.count == injured.count == 0


def test_casualties_list_gives_one_mention_per_member() -> None:
    text = "Militants seized four aid workers and their driver."
    mentions = find_casualties(text)
    assert [(m.kind, m.count, m.text) for m in mentions] == [
        ("missing", 4, "four"),
        ("missing", 1, "their driver"),
    ]
    assert_offsets(text, mentions)


def test_casualties_themselves_is_not_counted() -> None:
    text = "The attackers died in the blast, killing themselves and six others."
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count, mention.text) == ("killed", 6, "six")


def test_casualties_loose_object_text_is_the_noun_phrase() -> None:
    text = "Gunmen shot dead a money changer at the border."
    [mention] = find_casualties(text)
    assert (mention.kind, mention.count, mention.text) == ("killed", 1, "a money changer")
    assert mention.start == text.index("a money")


def test_casualties_ages_are_not_counts() -> None:
    text = "A 25-year-old man and his 30-year-old brother were killed."
    assert kinds_and_counts(text) == [("killed", 1), ("killed", 1)]


def test_casualties_unrelated_clause_numbers_are_ignored() -> None:
    text = "20 people attended the rally; later two men were shot dead."
    [mention] = find_casualties(text)
    assert (mention.count, mention.text, mention.start) == (2, "two", 36)


def test_casualties_middle_span_offsets_index_the_whole_text() -> None:
    text = "Earlier, 20 people were hurt. Then three soldiers were killed. Later 5 were hurt."
    start = text.index("Then")
    end = text.index("Later")
    [mention] = find_casualties(text, start, end)
    assert (mention.kind, mention.count, mention.text) == ("killed", 3, "three")
    assert mention.start == text.index("three")
    assert text[mention.start : mention.end] == mention.text
    whole = find_casualties(text)
    assert [(m.kind, m.count) for m in whole] == [("injured", 20), ("killed", 3), ("injured", 5)]
    assert_offsets(text, whole)


def test_casualties_span_bounds_are_clamped() -> None:
    text = "Two people were killed."
    assert find_casualties(text, -5, 1000) == find_casualties(text)
    assert find_casualties(text, 10, 3) == []
    assert find_casualties(text, len(text)) == []


def test_casualties_span_without_cue_words_is_empty() -> None:
    text = "Twelve people were killed. The minister spoke for 20 minutes."
    assert find_casualties(text, text.index("The")) == []


def test_casualties_long_input_returns() -> None:
    words = "killed at least twelve people were wounded and no one a dozen of the "
    text = words * (50_000 // len(words) + 1)
    assert len(text) >= 50_000
    mentions = find_casualties(text)
    assert mentions
    assert_offsets(text, mentions)
    assert find_casualties("a " * 25_000 + "killed") == []
    numbers = "twenty " * 8_000 + "killed"
    assert_offsets(numbers, find_casualties(numbers))


VOCAB = [
    "killed", "killing", "were", "was", "wounded", "injured", "hurt", "dead", "died",
    "missing", "abducted", "seized", "toll", "rose", "to", "of", "at", "least", "more", "than",
    "no", "one", "nobody", "none", "casualties", "injuries", "deaths", "a", "an", "the",
    "dozen", "dozens", "hundreds", "several", "few", "couple", "twenty-three", "two", "hundred",
    "and", "1,200", "12", "2019", "people", "soldiers", "cattle", "km", "his", "her", "him",
    "wounds", "bodies", "lives", "lost", "claimed", "hostage", "taken", ",", ".", ";", "aged",
    "25-year-old", "man", "including", "others", "$", "%", "May", "İ", "ß", "٣", "’s", "_",
]  # fmt: skip

fragments = st.one_of(st.sampled_from(VOCAB), st.text(max_size=6))
sentences = st.lists(fragments, max_size=40).map(" ".join)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
@given(sentences, st.integers(min_value=-5, max_value=300), st.none() | st.integers(-5, 300))
def test_casualties_property_offsets_index_input(text: str, start: int, end: int | None) -> None:
    mentions = find_casualties(text, start, end)
    lo = min(max(start, 0), len(text))
    hi = len(text) if end is None else min(max(end, lo), len(text))
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert lo <= m.start < m.end <= hi
        assert m.count >= 0
        assert m.kind in ("killed", "injured", "missing")
    keys = [(m.start, m.end, m.kind) for m in mentions]
    assert keys == sorted(
        keys, key=lambda k: (k[0], k[1], ("killed", "injured", "missing").index(k[2]))
    )
    assert len(set(keys)) == len(keys)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.text())
def test_casualties_property_arbitrary_text(text: str) -> None:
    for m in find_casualties(text):
        assert text[m.start : m.end] == m.text
        assert m.count >= 0
