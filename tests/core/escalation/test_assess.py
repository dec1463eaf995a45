"""Unit tests for streams.core.escalation.assess: lexicon matches, modality, traps and levels."""

from __future__ import annotations

import pytest

from streams.core.escalation.assess import assess_escalation, find_matches
from streams.models import Escalation

# one story per level, written for these tests
LEVEL_STORIES = {
    "none": (
        "The central bank kept interest rates unchanged on Wednesday and said inflation was "
        "easing faster than expected. Analysts expect a first cut in the autumn."
    ),
    "low": (
        "Hundreds of students staged a protest outside the education ministry on Friday, "
        "demanding lower tuition fees. The foreign minister condemned what he called "
        "provocative remarks by his neighbour's government."
    ),
    "medium": (
        "The government expelled four diplomats on Tuesday and announced new sanctions "
        "against two state banks. The defence ministry deployed additional troops to the "
        "northern border region."
    ),
    "high": (
        "Airstrikes hit the outskirts of the port city overnight, killing at least four "
        "civilians. The president ordered a partial mobilisation of reservists and the "
        "embassy began evacuating its staff."
    ),
    "critical": (
        "The president placed the country's nuclear forces on high alert on Sunday. Hours "
        "later parliament voted to declare war on its neighbour."
    ),
}

# trap words: sport, business, labour strikes, disasters, history, peace deals
NEGATIVES = {
    "sport_missile": (
        "The striker's missile of a shot flew into the top corner in the 89th minute, "
        "sending the home fans into raptures."
    ),
    "sport_doping": (
        "The cyclist faces doping sanctions after the anti-doping agency found a banned "
        "substance in his sample, the governing body's disciplinary panel said."
    ),
    "sport_fans": "The team mobilised its fans for the cup final with free coaches to the stadium.",
    "sport_invasion": "A pitch invasion delayed the second half after the equaliser.",
    "business_price_war": (
        "Supermarkets are locked in a price war that has pushed milk below cost, "
        "shareholders were told at the quarterly results."
    ),
    "business_takeover": (
        "The software group launched a hostile takeover bid for its smaller rival, valuing "
        "it at 3 billion dollars."
    ),
    "labour_strike": (
        "Thousands of rail workers went on strike on Monday over a pay dispute, and the "
        "union said picket lines would stay in place all week."
    ),
    "disaster_troops": (
        "Troops were deployed to help evacuate residents after the floods swept through "
        "three villages in the valley."
    ),
    "disaster_quake": (
        "Soldiers and rescue workers searched the rubble after the earthquake, and "
        "refugees from the flattened town were moved to tents."
    ),
    "history": "In 1945 Soviet troops entered the city after weeks of shelling and bombing.",
    "history_century": "During the 17th century the fortress withstood a blockade for a year.",
    "peace_withdrawal": (
        "Under the peace deal signed on Saturday, both sides agreed to withdraw their "
        "troops from the disputed valley."
    ),
    "peace_lift_sanctions": "The council voted to lift sanctions on the country's airline.",
    "privacy": "Campaigners called the new data law an invasion of privacy.",
    "figurative_war": "The company's culture war with its own staff is a war of words.",
}

DENIALS = [
    ("The defence ministry denied any plans to deploy troops to the border.", "deploy troops"),
    ("No missiles were moved to the island, the ministry said.", "missiles were moved"),
    ("The government ruled out sending troops to the region.", "sending troops"),
    ("Officials said the missiles were not moved from their bases.", "missiles"),
    ("The general never ordered a mobilisation.", "mobilisation"),
    ("The army has not launched an offensive.", "launched an offensive"),
]

HEDGES = [
    ("Russia could deploy strike weapons near the border.", "hypothetical"),
    ("If talks fail, the bloc might impose sanctions on the regime.", "hypothetical"),
    ("The minister did not rule out military action against the rebels.", "hypothetical"),
    ("The government will impose sanctions on the exporters next week.", "future"),
    ("The alliance plans to deploy two battalions to the region.", "future"),
    ("The army is set to begin military exercises along the border.", "future"),
]

REPORTED = [
    "According to local media, troops were deployed to the border overnight.",
    "The ministry said that two warships were sent to the strait.",
    "Tanks have reportedly been massed near the frontier.",
    "It was reported that the embassy had been evacuated.",
    "The call was short. “Tanks are at the gates. The blockade has begun.” Then it ended.",
]


@pytest.mark.parametrize(("level", "text"), list(LEVEL_STORIES.items()))
def test_escalation_level_follows_rubric(level: str, text: str) -> None:
    result = assess_escalation(text)
    assert result.level == level
    assert result.flag is (level != "none")


def test_escalation_levels_order_scores() -> None:
    scores = [assess_escalation(text).score for text in LEVEL_STORIES.values()]
    assert scores == sorted(scores)
    assert scores[0] == 0.0
    assert all(0.0 <= s <= 1.0 for s in scores)


@pytest.mark.parametrize(
    ("level", "categories", "actions"),
    [
        ("low", {"civil_unrest", "diplomatic"}, {"PROTEST", "THREATEN"}),
        ("medium", {"diplomatic", "economic", "military"}, {"SANCTION", "MOBILIZE"}),
        ("high", {"military", "diplomatic"}, {"ASSAULT", "MOBILIZE"}),
        ("critical", {"nuclear", "military"}, {"MOBILIZE", "FIGHT"}),
    ],
)
def test_escalation_categories_and_actions(
    level: str, categories: set[str], actions: set[str]
) -> None:
    result = assess_escalation(LEVEL_STORIES[level])
    assert categories <= set(result.categories)
    assert actions <= set(result.actions)


@pytest.mark.parametrize("name", sorted(NEGATIVES))
def test_escalation_trap_words_do_not_fire(name: str) -> None:
    result = assess_escalation(NEGATIVES[name])
    assert result.level == "none", result.matches
    assert result.flag is False
    assert result.score == 0.0


def test_escalation_trade_war_is_economic() -> None:
    result = assess_escalation("The trade war between the two largest economies deepened.")
    assert result.categories == ["economic"]
    assert result.level == "medium"


@pytest.mark.parametrize(("text", "covered"), DENIALS)
def test_escalation_denial_is_negated(text: str, covered: str) -> None:
    result = assess_escalation(text)
    assert result.level == "none"
    assert result.matches, "the denied act is still reported as a match"
    assert {m.modality for m in result.matches} == {"negated"}
    assert any(covered.split()[0] in m.term.lower() for m in result.matches)


def test_escalation_denial_removes_only_the_act_it_covers() -> None:
    text = (
        "The ministry denied moving missiles to the island, but airstrikes hit the "
        "harbour on Friday."
    )
    result = assess_escalation(text)
    modalities = {m.term: m.modality for m in result.matches}
    assert modalities["moving missiles"] == "negated"
    assert modalities["airstrikes"] == "asserted"
    assert result.level == "high"


@pytest.mark.parametrize(("text", "modality"), HEDGES)
def test_escalation_hedges_and_intentions(text: str, modality: str) -> None:
    result = assess_escalation(text)
    assert result.matches
    assert result.matches[0].modality == modality
    assert result.flag is True


def test_escalation_hypothetical_counts_one_level_lower() -> None:
    asserted = assess_escalation("The army launched airstrikes on the city.")
    hedged = assess_escalation("The army could launch airstrikes on the city.")
    assert asserted.level == "high"
    assert hedged.level == "medium"
    assert hedged.score < asserted.score


@pytest.mark.parametrize("text", REPORTED)
def test_escalation_reported_speech(text: str) -> None:
    result = assess_escalation(text)
    assert result.flag is True
    assert "reported" in {m.modality for m in result.matches}


def test_escalation_reported_is_slightly_discounted() -> None:
    asserted = assess_escalation("Troops were deployed to the border overnight.")
    reported = assess_escalation("Troops were deployed to the border overnight, officials said.")
    assert asserted.level == reported.level == "medium"
    assert 0.0 < reported.score < asserted.score


@pytest.mark.parametrize(
    ("text", "term", "category", "action"),
    [
        ("The deployment of strike weapons alarmed the capital.", "deployment of strike weapons",
         "military", "MOBILIZE"),
        ("Officials confirmed the transfer of NATO troops to the east.", "transfer of NATO troops",
         "military", "MOBILIZE"),
        ("The country mobilized 200,000 reservists.", "mobilized", "military", "MOBILIZE"),
        ("Ten diplomats were expelled on Monday.", "diplomats were expelled", "diplomatic",
         "REDUCE"),
        ("Shelling continued through the night.", "Shelling", "military", "ASSAULT"),
        ("The invaders began the invasion at dawn.", "invasion", "military", "FIGHT"),
        ("Moscow annexed the peninsula.", "annexed", "military", "COERCE"),
        ("A naval blockade closed the port.", "blockade", "military", "COERCE"),
        ("A cyber-attack disabled the grid operator.", "cyber-attack", "cyber", "ASSAULT"),
        ("The junta declared martial law.", "martial law", "military", "COERCE"),
        ("Gunmen took twenty hostages at the hotel.", "hostages", "terrorism", "COERCE"),
        ("Riots spread to the capital.", "Riots", "civil_unrest", "PROTEST"),
        ("Aid agencies called for a humanitarian corridor.", "humanitarian corridor",
         "humanitarian", "MOBILIZE"),
        ("The envoy delivered an ultimatum.", "ultimatum", "diplomatic", "COERCE"),
    ],
)  # fmt: skip
def test_escalation_lexicon_terms(text: str, term: str, category: str, action: str) -> None:
    matches = find_matches(text)
    found = {(text[m.start : m.end], m.category, m.action) for m in matches}
    assert (term, category, action) in found


def test_escalation_offsets_index_text_and_title_is_scored_only() -> None:
    title = "Parliament votes to declare war"
    text = "The session ended late. Riot police cleared the square outside."
    result = assess_escalation(text, title=title)
    assert result.level == "critical"
    assert result.matches
    for match in result.matches:
        assert text[match.start : match.end] == match.term
    assert all(m.category != "military" or m.action != "FIGHT" for m in result.matches)
    assert assess_escalation(text).level == "medium"


def test_escalation_peace_context_is_cancelled_by_violation() -> None:
    text = "Shelling resumed on Sunday despite the peace deal signed last month."
    assert assess_escalation(text).level == "high"


@pytest.mark.parametrize("text", ["", "   ", "Hello.", "\n\n", "'''", "Zürich İstanbul ǅ"])
def test_escalation_empty_and_odd_text(text: str) -> None:
    result = assess_escalation(text)
    assert isinstance(result, Escalation)
    assert result.level == "none"
    assert result.matches == []


def test_escalation_unicode_offsets_survive_lowercasing() -> None:
    text = "İstanbul: troops were deployed near the border."
    (match,) = [m for m in find_matches(text) if m.action == "MOBILIZE"]
    assert text[match.start : match.end] == "troops were deployed"


# story-level domains: the title and lead set the domain for the whole story
STORY_DOMAIN = [
    (
        "Harbour Town edge Millbrook in cup semi-final",
        "Harbour Town reached the cup final on Sunday with a 2-1 win in the 89th minute. "
        "Afterwards their manager said the side had been under siege all afternoon.",
    ),
    (
        "Ferry crews strike for 24 hours over pay",
        "Ferry crews began a 24-hour strike on Monday. The operator accused the union of "
        "holding island residents hostage during the holiday season.",
    ),
    (
        "Town marks 75 years since the liberation",
        "Residents marked 75 years since the liberation with a parade. The old fort was "
        "taken after two days of artillery fire that flattened the harbour.",
    ),
    (
        "Floods force thousands from homes in river valley",
        "Heavy rain flooded the river valley overnight. The government declared a state of "
        "emergency and soldiers were sent to build barriers.",
    ),
]

DE_ESCALATIONS = [
    "The rebels released the hostages on Tuesday after talks mediated by the church.",
    "The council voted to lift economic sanctions on the country's state airline.",
    "Under the peace accord, both armies withdrew their troops from the valley.",
]


@pytest.mark.parametrize(("title", "text"), STORY_DOMAIN)
def test_escalation_story_domain_discounts_whole_story(title: str, text: str) -> None:
    result = assess_escalation(text, title=title)
    assert result.level == "none", result.matches


def test_escalation_story_domain_yields_to_live_conflict_in_lead() -> None:
    title = "Rocket strikes kill six on anniversary of the border war"
    text = "Rockets hit the market on the anniversary of the war, killing six people."
    assert assess_escalation(text, title=title).level == "high"


@pytest.mark.parametrize("text", DE_ESCALATIONS)
def test_escalation_de_escalation_does_not_fire(text: str) -> None:
    assert assess_escalation(text).level == "none"


def test_escalation_lethal_sentence_raises_weapon_to_high() -> None:
    plain = assess_escalation("A grenade exploded outside the bar on Friday night.")
    lethal = assess_escalation("A grenade exploded outside the bar, killing two men.")
    assert plain.level == "medium"
    assert lethal.level == "high"


def test_escalation_bombardment_is_high_without_deaths() -> None:
    assert assess_escalation("A missile struck the tanker in the strait.").level == "high"


def test_escalation_bombing_defers_to_terrorism() -> None:
    text = "A bomb exploded at the bus station, killing nine people. Militants claimed the attack."
    result = assess_escalation(text)
    assert result.categories == ["terrorism"]
    assert result.level == "high"


def test_escalation_support_terms_do_not_add_categories() -> None:
    text = "The minister rejected the demand for talks. Moscow keeps troops in the region."
    result = assess_escalation(text)
    assert "military" not in result.categories


def test_escalation_hedged_nuclear_threat_stays_critical() -> None:
    text = "The general said the country could use nuclear weapons if its capital were attacked."
    assert assess_escalation(text).level == "critical"


def test_escalation_background_clause_is_not_news() -> None:
    text = "Ties have been tense since the invasion in 2014. The two ministers met for lunch."
    assert assess_escalation(text).level == "none"


# A quotation: an opening mark, 1 to 4000 characters without its closing mark (nor a newline,
# for straight quotes), then the closing mark; taken left to right, without overlaps.
@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("He said \u201cwe will respond\u201d and left.", [(8, 25)]),
        ("\u201c\u201c\u201cno close", []),
        ('"a" "" "b\nc" "d"', [(0, 3), (5, 8), (11, 14)]),  # '" "' twice; no newline inside
        ("\u00abune\u00bb \u00ab\u00bb \u00abdeux", [(0, 5)]),
        ("\u201cone\u201d \u201c two \u201d\u201c\u201d", [(0, 5), (6, 13)]),
        ('"' * 7 + "x" + '"' * 3, [(6, 9)]),
        ("\u201c" + "a" * 4001 + "\u201d \u201cshort\u201d", [(4004, 4011)]),  # too long
        ("\u201c" + "a" * 4000 + "\u201d", [(0, 4002)]),  # just long enough
        ("", []),
    ],
)
def test_escalation_quote_spans(text: str, spans: list[tuple[int, int]]) -> None:
    from streams.core.escalation.text import quote_spans

    assert quote_spans(text) == spans


def test_escalation_repeated_terms_each_match_once() -> None:
    text = "Troops were deployed to the border. " * 300
    matches = find_matches(text)
    assert len(matches) == len({(m.start, m.end) for m in matches})
    assert len(matches) >= 300


def test_escalation_title_term_does_not_relabel_a_text_match_at_the_same_offsets() -> None:
    text = (
        "Riots broke out in the capital overnight after militants attacked a police post. "
        "Officials called it a terrorist attack."
    )
    plain = assess_escalation(text)
    titled = assess_escalation(text, "Bombs hit city")  # "Bombs" also spans 0-5, in the title
    categories = [(m.term, m.category) for m in titled.matches]
    assert categories == [(m.term, m.category) for m in plain.matches]
    assert categories[0] == ("Riots", "civil_unrest")
