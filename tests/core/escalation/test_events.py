"""The event model: word orders, classes and levels, casualties, modality, roles, alerts.

Every sentence here is invented for these tests; place and country names are real so that the
entity step recognises them.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from streams.core.alerts.compose import escalation_alert, strongest_event, summarize
from streams.core.alerts.rules import default_rules, matching_rules
from streams.core.escalation.assess import MASS_CASUALTIES, assess_escalation
from streams.core.escalation.events import MAX_EVENT_SENTENCE
from streams.core.pipeline import MessageContext, enrich
from streams.models import EnrichedArticle, Escalation, EscalationEvent
from tests.support.articles import as_bytes

REFERENCE = datetime(2025, 3, 15, 12, 0, tzinfo=UTC)


def _enriched(body: str, title: str = "Test story") -> EnrichedArticle:
    """A JSON article through the whole pipeline, so the events get their entities."""
    message = {"id": "events-1", "title": title, "body": body}
    result = enrich(as_bytes(message), MessageContext(reference_time=REFERENCE))
    assert isinstance(result, EnrichedArticle), result
    return result


def _event(escalation: Escalation, event_class: str) -> EscalationEvent:
    """The one event of `event_class` (failing the test when there is none or several)."""
    found = [e for e in escalation.events if e.event_class == event_class]
    assert len(found) == 1, escalation.events
    return found[0]


def _indexes(text: str, event: EscalationEvent) -> None:
    assert text[event.start : event.end] == event.term


# --------------------------------------------------------------------- 1. word orders

WORD_ORDERS = [
    # verb-object
    (
        "On Tuesday night someone shot two farmers near the river.",
        "ASSAULT",
        "shooting",
        "shot",
        "farmers",
    ),
    # passive
    (
        "Late on Tuesday, two farmers were shot near the river.",
        "ASSAULT",
        "shooting",
        "farmers",
        "shot",
    ),
    # subject-verb
    (
        "Warplanes struck a market in the north on Monday.",
        "ASSAULT",
        "bombardment",
        "Warplanes",
        "struck",
    ),
    (
        "Militants stab three worshippers outside a church.",
        "ASSAULT",
        "stabbing",
        "Militants",
        "stab",
    ),
    # event noun
    (
        "An airstrike hit a fuel depot outside the city on Monday.",
        "ASSAULT",
        "bombardment",
        "airstrike",
        None,
    ),
    # instrument, used then named and named then used
    (
        "The rebels fired rockets at the town overnight.",
        "ASSAULT",
        "bombardment",
        "fired",
        "rockets",
    ),
    ("Rockets were fired at the town overnight.", "ASSAULT", "bombardment", "Rockets", "fired"),
    # headline style, present tense
    ("Militants seize two towns in the north.", "FIGHT", "capture", "seize", "towns"),
]


@pytest.mark.parametrize(("text", "event_class", "mode", "first", "last"), WORD_ORDERS)
def test_events_every_word_order_of_a_mode(
    text: str, event_class: str, mode: str, first: str, last: str | None
) -> None:
    escalation = assess_escalation(text)
    event = _event(escalation, event_class)
    assert event.mode == mode
    words = event.term.split()
    assert words[0] == first
    if last is not None:
        assert words[-1] == last
    assert event.modality == "asserted"
    assert event.level != "none"
    assert escalation.flag
    _indexes(text, event)


def test_events_one_per_class_and_sentence_in_text_order() -> None:
    text = "Warplanes struck a market on Monday. Rebels fired rockets at the town on Tuesday."
    events = assess_escalation(text).events
    assert [(e.event_class, e.mode) for e in events] == [("ASSAULT", "bombardment")] * 2
    assert events[0].start < text.index("Rebels") <= events[1].start
    for event in events:
        _indexes(text, event)


# --------------------------------------------------------------------- 2. rubric

RUBRIC = [
    (
        "Hundreds of teachers staged a peaceful protest outside parliament on Friday.",
        "low",
        "PROTEST",
        "demonstration",
    ),
    (
        "Police fired tear gas at rioters in the capital on Friday.",
        "medium",
        "PROTEST",
        "dispersal",
    ),
    (
        "Unknown attackers opened fire on a bus in the city centre on Monday, wounding two "
        "passengers.",
        "medium",
        "ASSAULT",
        "shooting",
    ),
    (
        "Unknown attackers opened fire on a bus in the city centre on Monday, killing one "
        "passenger.",
        "high",
        "ASSAULT",
        "shooting",
    ),
    (
        "Artillery shelled the village overnight, damaging several houses.",
        "high",
        "ASSAULT",
        "bombardment",
    ),
    (
        "Government troops clashed with rebels near the border on Wednesday.",
        "high",
        "FIGHT",
        "armed_clash",
    ),
    (
        "Militiamen massacred dozens of villagers in the valley on Sunday.",
        "critical",
        "MASS_VIOLENCE",
        "massacre",
    ),
    (
        "The president put the country's nuclear forces on high alert on Sunday.",
        "critical",
        "MOBILIZE",
        "nuclear_alert",
    ),
    (
        "The country tested a new ballistic missile on Thursday, state media said.",
        "medium",
        "MOBILIZE",
        "missile_launch",
    ),
    (
        "The government imposed sanctions on three state banks on Tuesday.",
        "medium",
        "SANCTION",
        "sanctions",
    ),
    ("The government expelled four diplomats on Tuesday.", "medium", "REDUCE", "expulsion"),
]


@pytest.mark.parametrize(("text", "level", "event_class", "mode"), RUBRIC)
def test_events_classes_and_levels_follow_the_rubric(
    text: str, level: str, event_class: str, mode: str
) -> None:
    escalation = assess_escalation(text)
    event = _event(escalation, event_class)
    assert (event.mode, event.level) == (mode, level)
    assert escalation.level == level
    assert escalation.flag
    assert event_class in escalation.actions


def test_events_mass_casualties_make_the_story_critical() -> None:
    template = "Attackers killed {} villagers in a raid on a hamlet in the north on Sunday."
    many = assess_escalation(template.format(14))
    assert many.casualties.killed is not None
    assert many.casualties.killed.count == 14 >= MASS_CASUALTIES
    assert many.level == "critical"
    few = assess_escalation(template.format("nine"))
    assert few.casualties.killed is not None
    assert few.casualties.killed.count == 9 < MASS_CASUALTIES
    assert few.level == "high"


# --------------------------------------------------------------------- 3. casualties


def test_events_casualty_counts_add_up_and_index_the_text() -> None:
    text = (
        "Militants attacked an army post in the hills on Monday. Four soldiers and nine "
        "militants were killed, and at least 20 people were wounded, the army said. Three "
        "soldiers are missing."
    )
    escalation = assess_escalation(text)
    toll = escalation.casualties
    assert toll.killed is not None and toll.injured is not None and toll.missing is not None
    assert (toll.killed.count, toll.injured.count, toll.missing.count) == (13, 20, 3)
    assert toll.injured.approximate and not toll.killed.approximate
    for count in (toll.killed, toll.injured, toll.missing):
        assert text[count.start : count.end] == count.text
    assert toll.killed.text.startswith("Four") and toll.killed.text.endswith("nine")
    assert escalation.level == "critical"  # 13 killed


def test_events_no_one_hurt_is_zero_killed_and_injured() -> None:
    text = (
        "Unknown attackers opened fire on a checkpoint on Monday, but no one was hurt, police said."
    )
    escalation = assess_escalation(text)
    toll = escalation.casualties
    assert toll.killed is not None and toll.injured is not None
    assert (toll.killed.count, toll.injured.count) == (0, 0)
    assert text[toll.injured.start : toll.injured.end] == toll.injured.text == "no one"
    assert escalation.level == "medium"  # a shooting without deaths


def test_events_hedged_toll_does_not_count() -> None:
    text = "Rebels shelled the town overnight. Officials warned the fighting could kill thousands."
    escalation = assess_escalation(text)
    assert escalation.casualties.killed is None
    assert _event(escalation, "ASSAULT").mode == "bombardment"
    assert escalation.level == "high"  # bombardment, not mass casualties


def test_events_background_toll_does_not_count() -> None:
    text = (
        "Rebels shelled the town overnight, wounding five people. The conflict has killed "
        "more than 6,000 people since 2017."
    )
    toll = assess_escalation(text).casualties
    assert toll.killed is None
    assert toll.injured is not None and toll.injured.count == 5


def test_events_accident_has_no_event_and_no_casualties() -> None:
    escalation = assess_escalation("A bus crash killed 12 people on a mountain road on Sunday.")
    assert escalation.casualties.killed is None
    assert escalation.casualties.injured is None
    assert not any(e.level != "none" for e in escalation.events)
    assert (escalation.level, escalation.flag) == ("none", False)


# --------------------------------------------------------------------- 4. modality


def test_events_denied_event_is_negated_and_does_not_flag() -> None:
    text = "The army denied shelling the village on Tuesday."
    escalation = assess_escalation(text)
    event = _event(escalation, "ASSAULT")
    assert (event.mode, event.modality, event.level) == ("bombardment", "negated", "none")
    assert (escalation.level, escalation.flag) == ("none", False)
    _indexes(text, event)


def test_events_threatened_act_is_hypothetical_one_level_lower() -> None:
    escalation = assess_escalation("Rebels threatened to shell the town.")
    event = _event(escalation, "ASSAULT")
    assert (event.mode, event.modality) == ("bombardment", "hypothetical")
    assert event.level == "medium"  # bombardment is high; hedged, one lower
    assert escalation.level == "medium"


def test_events_negated_after_the_subject() -> None:
    escalation = assess_escalation("Rebels did not attack the town, officials said.")
    event = _event(escalation, "ASSAULT")
    assert (event.modality, event.level) == ("negated", "none")
    assert not escalation.flag


# --------------------------------------------------------------------- 5. cooperative events

COOPERATIVE = [
    ("The two sides exchanged 200 prisoners on Sunday.", "RELEASE", "release"),
    ("The armistice was signed on Sunday.", "AGREE", "peace"),
    ("Troop withdrawal from the border region began on Monday.", "RETREAT", "withdrawal"),
    ("The first aid convoy reached the city on Sunday.", "AID", "aid"),
]


@pytest.mark.parametrize(("text", "event_class", "mode"), COOPERATIVE)
def test_events_cooperative_events_are_reported_at_level_none(
    text: str, event_class: str, mode: str
) -> None:
    escalation = assess_escalation(text)
    event = _event(escalation, event_class)
    assert (event.mode, event.level) == (mode, "none")
    assert (escalation.level, escalation.flag) == ("none", False)
    assert event_class not in escalation.actions
    _indexes(text, event)


# --------------------------------------------------------------------- 6. who, whom, where


def test_events_roles_actor_and_place_from_entities() -> None:
    article = _enriched(
        "Russian drones struck an apartment block in Kharkiv overnight, killing three."
    )
    event = _event(article.escalation, "ASSAULT")
    assert event.mode == "bombardment"
    assert (event.actor, event.place) == ("Russia", "Kharkiv")
    assert event.target is None
    assert event.level == "high"  # deaths in its sentence
    killed = article.escalation.casualties.killed
    assert killed is not None and killed.count == 3


def test_events_roles_passive_by_names_the_actor() -> None:
    article = _enriched("The town was shelled by Russian forces on Tuesday.")
    event = _event(article.escalation, "ASSAULT")
    assert event.actor == "Russia"
    assert event.target is None


def test_events_roles_actor_target_and_place() -> None:
    article = _enriched("Syrian troops clashed with Turkish forces near Idlib on Wednesday.")
    event = _event(article.escalation, "FIGHT")
    assert (event.actor, event.target, event.place) == ("Syria", "Turkey", "Idlib")


def test_events_roles_target_after_the_verb() -> None:
    article = _enriched("Ethiopian forces attacked Eritrean troops near the border on Monday.")
    event = _event(article.escalation, "ASSAULT")
    assert (event.actor, event.target) == ("Ethiopia", "Eritrea")


def test_events_roles_speaker_before_the_event_is_not_the_actor() -> None:
    article = _enriched(
        "Officials in Kyiv said Russian drones struck an apartment block in Kharkiv overnight."
    )
    event = _event(article.escalation, "ASSAULT")
    assert (event.actor, event.place) == ("Russia", "Kharkiv")
    assert event.modality == "reported"


# --------------------------------------------------------------------- 7. alerts

ALERT_STORY = (
    "Talks on a new trade agreement resumed in Geneva on Monday. Separately, police arrested "
    "a man for theft. Russian drones struck an apartment block in Kharkiv overnight, killing "
    "three civilians. The mayor said the city would rebuild."
)
STRIKE_SENTENCE = (
    "Russian drones struck an apartment block in Kharkiv overnight, killing three civilians."
)


def test_events_alert_summary_quotes_the_strongest_event() -> None:
    article = _enriched(ALERT_STORY, title="Drones hit Kharkiv")
    event = strongest_event(article)
    assert event is not None
    assert (event.event_class, event.mode) == ("ASSAULT", "bombardment")
    assert event.sentence == STRIKE_SENTENCE
    assert summarize(article).startswith(STRIKE_SENTENCE)
    assert "Geneva" not in summarize(article)


def test_events_alert_reason_names_the_event_and_the_toll() -> None:
    article = _enriched(ALERT_STORY, title="Drones hit Kharkiv")
    matched = matching_rules(article, default_rules("low"))
    assert matched
    alert = escalation_alert(article, matched, REFERENCE)
    assert alert.level == "high"
    assert "assault/bombardment" in alert.reason
    assert "killed 3" in alert.reason
    assert "in Kharkiv" in alert.reason and "by Russia" in alert.reason
    assert alert.summary.startswith(STRIKE_SENTENCE)


def test_events_denied_event_is_never_the_strongest() -> None:
    article = _enriched("The army denied shelling the village on Tuesday.")
    assert article.escalation.events
    assert strongest_event(article) is None


# --------------------------------------------------------------------- 8. the sentence


def test_events_sentence_is_the_event_sentence() -> None:
    text = (
        "The weather was mild on Monday. Warplanes struck   a market  in the north on "
        "Tuesday. Residents fled."
    )
    event = _event(assess_escalation(text), "ASSAULT")
    assert event.sentence == "Warplanes struck a market in the north on Tuesday."


def test_events_sentence_of_a_very_long_sentence_is_cut() -> None:
    filler = ", ".join(f"the committee of district number {i} met its members" for i in range(12))
    text = (
        f"Officials said that {filler}, and warplanes struck a market in the north, while {filler}."
    )
    assert len(text) > 2 * MAX_EVENT_SENTENCE
    event = _event(assess_escalation(text), "ASSAULT")
    assert event.term == "warplanes struck"
    assert len(event.sentence) <= MAX_EVENT_SENTENCE == 600
    assert event.term in event.sentence
    _indexes(text, event)
