"""The event model's vocabulary: lemmas inflected and expanded into every word order."""

from __future__ import annotations

from typing import Any

import pytest

from streams.core.escalation.assess import _pattern_matches
from streams.core.escalation.frames import frame_entries, load_events, noun_forms, verb_forms
from streams.core.escalation.lexicon import _build, lexicon
from streams.core.escalation.text import lowercase, tokenize
from streams.models import ACTIONS, CATEGORIES

_DOC: dict[str, Any] = {
    "groups": {
        "person": {"nouns": ["man", "villager"]},
        "armed": {"category": "terrorism", "nouns": ["gunman", "armed group"]},
    },
    "classes": {
        "ASSAULT": {
            "shooting": {
                "category": "military",
                "weight": 0.5,
                "verbs": ["shoot", "open fire on"],
                "objects": ["person"],
                "agents": ["armed"],
                "nouns": ["drive by shooting"],
            }
        }
    },
}


def _words(slots: tuple[frozenset[str], ...]) -> list[set[str]]:
    return [set(slot) for slot in slots]


def test_verbs_are_inflected_on_their_first_word() -> None:
    slots = verb_forms("open fire on")
    assert {"open", "opens", "opened", "opening"} <= slots[0]
    assert _words(slots[1:]) == [{"fire"}, {"on"}]
    assert {"shot"} == set(verb_forms("shoot", participle_only=True)[0])
    assert {"struck", "stricken"} <= verb_forms("strike", participle_only=True)[0]


def test_nouns_are_inflected_on_their_last_word() -> None:
    slots = noun_forms("fighter jet")
    assert _words(slots) == [{"fighter"}, {"jet", "jets"}]
    assert {"mortars", "mortar"} <= noun_forms("mortar")[0]


def test_a_mode_yields_every_word_order() -> None:
    entries = {e.id: e for e in frame_entries(_DOC)}
    plain, agent = entries["assault.shooting"], entries["assault.shooting.armed"]
    assert agent.category == "terrorism" and plain.category == "military"
    shapes = [tuple(sorted(slot)[0] for slot in slots) for slots, _, _ in plain.patterns]
    assert ("shoot", "man") in shapes  # verb-object: "shot a man"
    assert ("man", "shot") in shapes  # passive: "a man was shot"
    assert ("open", "fire", "on", "man") in shapes
    assert ("drive", "by", "shooting") in shapes
    agent_shapes = [tuple(sorted(slot)[0] for slot in slots) for slots, _, _ in agent.patterns]
    assert ("gunman", "open", "fire", "on") in agent_shapes  # subject-verb: "gunmen opened fire on"
    assert ("armed", "group", "shoot") in agent_shapes


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Gunmen shot a villager.", "Gunmen shot"),
        ("A villager was shot overnight.", "villager was shot"),
        ("An armed group opened fire on the man.", "armed group opened fire on"),
    ],
)
def test_generated_patterns_match_in_text(sentence: str, expected: str) -> None:
    lex = _build(yaml_doc(), _DOC)
    tokens = tokenize(sentence, lowercase(sentence))
    found = [
        sentence[tokens.starts[first] : tokens.ends[last]]
        for first, last, _ in _pattern_matches(tokens, lex)
    ]
    assert expected in found


def yaml_doc() -> dict[str, Any]:
    """escalation.yaml without its entries: contexts and modality for _build."""
    from importlib import resources

    import yaml

    source = resources.files("streams.core.escalation").joinpath("data/escalation.yaml")
    raw: dict[str, Any] = yaml.safe_load(source.read_text(encoding="utf-8"))
    raw["entries"] = []
    return raw


def test_the_shipped_vocabulary_compiles_to_known_classes_and_categories() -> None:
    entries = frame_entries(load_events())
    assert entries
    for entry in entries:
        assert entry.event_class in ACTIONS, entry.id
        assert entry.category in CATEGORIES, entry.id
        assert entry.patterns or entry.sources, entry.id
        assert entry.cooperative == (entry.weight == 0.0), entry.id
    classes = {e.event_class for e in entries}
    assert {"ASSAULT", "FIGHT", "MASS_VIOLENCE", "PROTEST", "COERCE", "MOBILIZE"} <= classes
    assert {"AGREE", "RETREAT", "RELEASE"} <= classes
    assert len(lexicon().patterns) > 500
