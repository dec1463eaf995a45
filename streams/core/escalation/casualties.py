"""Casualty counts stated in news text: how many were killed, injured or went missing.

Pure and bounded: the caller runs it once per sentence, so a cheap cue search rejects most
spans, the rest is tokenised once and every look-around is capped at a few tokens (no
backtracking regex, linear in the span's length).

How it reads a sentence: number phrases ("at least 12 people", "dozens of civilians", "a
policeman", "no one") are found first, each with the short noun run that follows it; then
casualty verbs are matched and tied to an adjacent phrase: the object after an active verb
("killing 12"), the subject before a passive or intransitive one ("12 were killed", "three
died", headline "5 killed in blast"), the amount after a toll ("death toll rose to 15"), or
a counted noun ("15 deaths", "no casualties"). Lists joined by "and" or commas give one
mention per member ("12 civilians and three soldiers", "seized three workers and their
driver": 3 and 1, never one summed mention).

Also read: a split verb around its object ("beat a man to death", "burned him alive", "shot
him dead", "took two men to hospital"); "a"/"the" + an unknown noun after verbs said only of
people ("shot dead a tea seller"); a subject followed by up to two short prepositional
phrases ("no one on board was hurt", "three people in the car died"); "the other" and
"another" standing alone (one); "dozens more"; "themselves and seven others", which reports
the seven only (how many "themselves" is, the sentence does not say).

What `text` holds:
- a number: the optional bound and the amount, without the noun ("at least 12",
  "dozens", "two dozen", "three" in "three soldiers were killed");
- a count carried by a determiner or pronoun: the noun phrase ("a policeman",
  "a 25-year-old man", "the driver", "him", "he");
- a zero: "no one", "nobody", "none", or "no"/"without" through its noun ("no casualties",
  "no serious injuries", "no civilians").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal

from text_to_num import text2num

__all__ = ["CasualtyKind", "CasualtyMention", "find_casualties"]

CasualtyKind = Literal["killed", "injured", "missing"]


@dataclass(frozen=True, slots=True)
class CasualtyMention:
    """One stated casualty count; `text` is `input[start:end]` (see the module docstring)."""

    kind: CasualtyKind
    count: int
    text: str
    start: int
    end: int
    approximate: bool


_Need = Literal["strong", "weak", "person"]
_Role = Literal["any", "subject", "object", "noun"]

# --- cue and tokens -------------------------------------------------------------------------

# Every casualty word holds one of these stems: a span without any is skipped untokenised.
_CUE_RE = re.compile(
    r"kill|dead|death|die|dying|fatal|sla[iy]|slew|slaughter|massacr|behead|lynch|murder|"
    r"execut|assassin|shot|shoot|gun|stab|beat|burn|hack|crush|bludgeon|drown|perish|lives|"
    r"life|toll|bod(?:y|ies)|corpse|remains|victim|wound|injur|hurt|maim|hospital|casualt|"
    r"missing|abduct|kidnap|hostage|captive|seiz|disappear|vanish|unaccounted|poison|treated",
    re.IGNORECASE,
)
# The same stems, case-sensitive: over a lowercased span that holds no character a case-blind
# match could read as a letter of them other than its own (no non-ASCII letter: "ſ" and the
# Kelvin sign match "s" and "k"), they find what _CUE_RE finds, and sre skips ahead to their
# first letters instead of trying every stem case-blind at every position (~7x faster).
_CUE_LOWER_RE = re.compile(_CUE_RE.pattern)
# A character outside ASCII and the usual typographic punctuation: then _CUE_RE is searched.
_UNUSUAL_RE = re.compile(r"[^\x00-\x7f\u00a0\u2010-\u2015\u2018-\u201f\u2026«»]")
# "1,200" (thousands separators), words with inner hyphens, apostrophes or dots
# ("twenty-three", "25-year-old", "U.S"), or one punctuation mark.
_TOKEN_RE = re.compile(
    r"(?P<n>[0-9]{1,3}(?:,[0-9]{3})+(?![0-9]))|(?P<w>[^\W_]+(?:[-'’.][^\W_]+)*)|(?P<p>[^\w\s])"
)
_INT_RE = re.compile(r"[0-9]{1,9}|[0-9]{1,3}(?:,[0-9]{3}){1,3}")  # bounded: no huge ints


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    low: str
    start: int
    end: int
    num: int | None  # value of a plain integer ("12", "1,200")
    word: bool  # False for punctuation


def _tokenize(text: str, start: int, end: int) -> list[_Tok]:
    """Tokens of text[start:end] with offsets into `text`."""
    out: list[_Tok] = []
    for m in _TOKEN_RE.finditer(text, start, end):
        raw = m.group()
        num = int(raw.replace(",", "")) if _INT_RE.fullmatch(raw) else None
        low = raw.lower().replace("’", "'")
        out.append(_Tok(raw, low, m.start(), m.end(), num, m.lastgroup != "p"))
    return out


# --- vocabulary -----------------------------------------------------------------------------


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_UNITS = (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy "
    "eighty ninety"
)
_UNIT_WORDS = _words(_UNITS)
_SCALES = {"hundred": 100, "thousand": 1000, "million": 1_000_000, "billion": 1_000_000_000}
_NUMBER_WORDS = _UNIT_WORDS | frozenset(_SCALES)
# vague amounts standing alone ("dozens of people"): a typical value, always approximate
_VAGUE = {
    "several": 3,
    "dozens": 24,
    "scores": 40,
    "hundreds": 200,
    "thousands": 2000,
    "millions": 2_000_000,
    "tens": 20,  # only in "tens of thousands"
}
_VAGUE_SCALES = {"thousands": 1000, "millions": 1_000_000}
# after "a"/"an": value and whether it is vague
_A_AMOUNTS = {
    "dozen": (12, True),
    "few": (3, True),
    "couple": (2, True),
    "handful": (3, True),
    "hundred": (100, False),
    "thousand": (1000, False),
    "million": (1_000_000, False),
}
_NUMBERISH = _NUMBER_WORDS | frozenset(_VAGUE) | _words("dozen few couple handful half")

# bounds kept in `text` and marking the count approximate; longest first
_QUANTIFIERS: dict[str, list[tuple[str, ...]]] = {}
for _q in sorted(
    (
        "at least|more than|over|up to|nearly|almost|about|around|some|an estimated|"
        "as many as|at most|fewer than|less than|no fewer than|no less than|not less than|"
        "approximately|roughly|close to|upwards of|well over|just over|just under|under|"
        "in excess of|estimated"
    ).split("|"),
    key=lambda q: -len(q.split()),
):
    _QUANTIFIERS.setdefault(_q.split()[0], []).append(tuple(_q.split()))
# skipped before an object without entering `text` ("wounding another 28")
_OBJECT_LEADS = tuple(
    tuple(lead.split())
    for lead in (
        "a total of|a further|an additional|another|the other|the|his|her|their|its|all|"
        "at least another|a further estimated|themselves and|themselves ,"
    ).split("|")
)

_SINGULAR = _words(
    "man woman boy girl child baby infant toddler teenager teen youth person individual "
    "civilian soldier policeman policewoman officer cop guard militant fighter rebel "
    "insurgent jihadist gunman attacker assailant bomber student pupil schoolboy schoolgirl "
    "worker labourer laborer farmer villager resident protester protestor demonstrator "
    "activist journalist reporter photographer cameraman passenger driver pilot pedestrian "
    "cyclist motorist tourist visitor pilgrim worshipper worshiper migrant refugee prisoner "
    "detainee inmate hostage captive member commander leader official politician lawmaker "
    "mayor governor minister judge lawyer prosecutor doctor nurse medic paramedic "
    "firefighter fireman rescuer teacher priest pastor imam cleric monk nun trader merchant "
    "shopkeeper vendor shepherd herder herdsman fisherman miner employee contractor "
    "volunteer peacekeeper serviceman servicewoman marine sailor airman trooper sergeant "
    "captain colonel lieutenant corporal constable sheriff deputy agent bystander victim "
    "suspect patient pensioner neighbour neighbor relative father mother son daughter "
    "husband wife brother sister grandmother grandfather grandson granddaughter uncle aunt "
    "nephew niece cousin parent friend guest customer spectator fan player athlete crewman "
    "staffer diplomat envoy citizen foreigner settler recruit conscript veteran cadet "
    "guardsman gendarme ranger warden tribesman elder sheikh mercenary paramilitary "
    "militiaman smuggler gangster criminal robber thief hunter poacher climber hiker swimmer "
    "diver kid adult minor newborn mourner shopper commuter expatriate local national "
    "aide bodyguard councillor councilor councilman councilwoman senator legislator chief "
    "chieftain headman warlord bandit pirate kidnapper trafficker dealer courier informant "
    "informer spy collaborator defector supporter opponent critic dissident candidate "
    "delegate businessman businesswoman banker engineer technician mechanic clerk "
    "accountant manager director secretary spokesman spokeswoman chairman lecturer "
    "professor scholar researcher scientist surgeon dentist pharmacist watchman porter "
    "tailor butcher barber baker cook waiter janitor cleaner landlord tenant homeowner "
    "motorcyclist rider hawker peddler moneychanger changer broker sniper partner "
    "colleague boss owner survivor interpreter translator"
)
_IRREGULAR = {"child": "children", "person": "people", "wife": "wives", "thief": "thieves"}


def _plural(word: str) -> str:
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("man"):
        return word[:-3] + "men"
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "sh", "ch", "x")):
        return word + "es"
    return word + "s"


_PERSONS = (
    _SINGULAR
    | frozenset(_plural(w) for w in _SINGULAR)
    | _words(
        "people persons police troops personnel staff crew others them whom individuals "
        "militia militias kurds turks jews arabs muslims christians hindus sikhs yazidis "
        "rohingya uyghurs uighurs druze alawites shiites sunnis copts bedouins families "
        "hostages captives"
    )
) - {"minor", "local", "national"}  # adjectives far more often than nouns
# capitalised demonyms ("Palestinians", "an Israeli", "Sudanese")
_DEMONYM_ENDS = ("ans", "an", "is", "i", "ese")
_NONPERSON = _words(
    "cattle cows cow sheep goats goat camels camel horses horse dogs dog cats cat birds bird "
    "chickens chicken hens pigs pig livestock animals animal fish whales whale dolphins "
    "elephants elephant rhinos lions wolves bears deer donkeys mules poultry ducks geese "
    "turkeys bees rats head km kilometres kilometers kilometre kilometer miles mile metres "
    "meters metre meter m feet foot ft yards yard kg kilograms kilogram tons tonnes ton "
    "grams pounds lbs acres hectares litres liters gallons barrels degrees percent per cent "
    "mph hours hour minutes minute mins seconds days day weeks week months month years year "
    "decades decade centuries times dollars dollar euros euro yen yuan rupees cents "
    "homes houses buildings vehicles cars trucks tanks aircraft planes jets drones ships "
    "boats vessels trees crops goals points runs votes seats games matches rounds shots "
    "bullets rockets missiles shells bombs bills proposals jobs projects deals plants "
    "stores shops files computers phones documents pages articles episodes laps wickets "
    "villages towns cities schools bodies body corpses corpse lives life"
)
_MONTHS = _words(
    "january february march april may june july august september october november december "
    "jan feb mar apr jun jul aug sep sept oct nov dec"
)
_WEEKDAYS = _words("monday tuesday wednesday thursday friday saturday sunday")
# a number right after these is a reference, an age, a price or a date, not a count
_BAD_BEFORE = (
    _MONTHS
    | _WEEKDAYS
    | _words(
        "$ £ € ¥ # № : / aged age ages article articles page pages section chapter paragraph "
        "clause resolution route highway flight room line bus gate platform phase grade rule "
        "item version category ward zone sector block floor road unit size number no nos vol "
        "volume issue episode season level stage match game act law bill code decree order "
        "regulation amendment protocol lot exit junction precinct district"
    )
)
_BAD_AFTER = (_MONTHS - {"may"}) | _words(
    "% : / percent per pc am pm a.m p.m o'clock bc hrs gmt utc"
)

# passive auxiliaries and their stand-ins ("found dead", "remain missing")
_BE = _words(
    "was were is are be been being get gets got getting remain remains remained remaining "
    "reported confirmed feared believed presumed found left listed"
)
# words allowed between a subject and its verb
_SKIP = _BE | _words(
    "has have had having may might could would will should must can reportedly allegedly "
    "also later all both each subsequently eventually still now then already apparently "
    "tragically who that which to seriously critically badly slightly lightly severely "
    "gravely moderately forcibly brutally officially since"
)
# what may follow a participle without an auxiliary ("5 killed in blast", "12 dead,")
_FREE = _WEEKDAYS | _words(
    "in on at near after as during when while by following and or since amid across "
    "inside outside overnight yesterday today tonight last early earlier late later so "
    "according with from throughout including among within before but which who "
    "instantly immediately there here too also alone says said say this because until "
    "till into under over nearby around for were are was is have had has include "
    "included includes"
)
_FUNCTION = _words(
    "the a an this that these those his her their its our my your some any each every all "
    "both of in on at by for from to with without near after before during since over "
    "under into onto across through throughout amid among including following despite "
    "against between around about outside inside within and or but nor as when while "
    "where who whom which whose because if than so then there here not never no n't he she "
    "it they we i you him them us me also yesterday today tonight overnight last earlier "
    "early late later more than least up nearly almost"
)
_OF_DETS = _words("the those these their its our his her")
_SINGLE_DETS = _words("a an the his her their")
_NOUN_KINDS: dict[str, tuple[CasualtyKind, ...]] = {
    "deaths": ("killed",),
    "death": ("killed",),
    "fatalities": ("killed",),
    "fatality": ("killed",),
    "injuries": ("injured",),
    "injury": ("injured",),
    "casualties": ("killed", "injured"),  # only read when zero: a number is ambiguous
    "casualty": ("killed", "injured"),
}
# modifiers of a zero ("no immediate reports of casualties", "without any injuries")
_ZERO_MODS = _words(
    "reported immediate immediately confirmed serious major other further known "
    "significant more additional apparent official obvious any fatal"
)
_REPORT_WORDS = _words("reports report word sign signs indication indications")
_TOLL_LINK = _words(
    "to at of reached reaches hit hits passed topped tops exceeded surpassed is was stands "
    "stood now rose climbed jumped soared increased risen rises climbs"
)
_TOLL_NOT = _words(
    "road roads booth booths plaza free fees fee charges charge rates rate gate bridge lane "
    "lanes collection operator operators way"
)
_ASIDE = _words("including among mostly")
# a prepositional phrase between a subject and its verb ("no one on board", "in the car")
_PREPOSITIONS = _words("in on at inside aboard near from onboard outside of")
_PP_DETS = _words(
    "the a an this that these those his her their its"
)  # ", including three children," inside a subject
_MAX_LIST = 6  # members of one "a, b and c" list
_MAX_REGION = 4  # words in the noun run after an amount
_MAX_SKIP = 8  # words between a subject and its verb

# --- verbs ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Tail:
    """Words that must follow an active verb's object ("beat a man *to death*")."""

    lead: str  # the first word, or "" for none
    ends: frozenset[str]  # then one of these, after at most `gap` other words
    gap: int = 0


@dataclass(frozen=True, slots=True)
class _Verb:
    """How a casualty phrase takes its count.

    modes: a = object after it ("killing 12"), p = subject before it with an auxiliary or in
    headline form ("12 were killed", "5 killed in"), i = subject before it ("three died"),
    t = amount after a toll ("death toll rose to 15").
    need: strong = any count but of animals/things, weak = people or a bare number,
    person = people only ("seized" is also said of drugs and ships).
    loose: the object may be "a"/"the" + any noun that is not a thing or a group ("shot dead
    a money changer"), for verbs said of people only.
    tail: for an active verb, what must follow its object (or the last one of a list).
    """

    kind: CasualtyKind
    modes: str
    need: _Need = "strong"
    head: frozenset[str] = frozenset()  # the phrase must name one ("9 lives", "5 bodies")
    after: frozenset[str] = frozenset()  # one must follow closely ("sustained injuries")
    loose: bool = False
    tail: _Tail | None = None


_LIVES = _words("lives life")
_HOSTAGES = _words("hostage hostages captive captives")
_BODIES = _words("bodies body corpses corpse")
_WOUNDS = _words("injuries injury wounds wound burns")
_HOSPITAL = _words("hospital hospitals")
_TO_DEATH = _Tail("to", frozenset({"death"}))
_TO_HOSPITAL = _Tail("to", _HOSPITAL, 2)  # "to hospital", "to a nearby hospital"
# "treated for breathing difficulties", not "treated for cancer" or "treated to a concert"
_TREATED = (
    _WOUNDS
    | _HOSPITAL
    | _words(
        "scene shock smoke inhalation breathing difficulties cuts bruises fractures gunshot "
        "exposure hypothermia dehydration poisoning trauma"
    )
)
_ALIVE = _Tail("", frozenset({"alive"}))
_DEAD = _Tail("", frozenset({"dead"}))
_DOWN = _Tail("", frozenset({"down"}))

_ROWS: tuple[tuple[str, _Verb], ...] = (
    ("killed|massacred|slaughtered|fatally wounded|fatally injured", _Verb("killed", "ap")),
    (
        "beheaded|lynched|murdered|assassinated|shot dead|gunned down|stabbed to death|"
        "beaten to death|hacked to death|burned to death|burnt to death|crushed to death|"
        "bludgeoned to death|clubbed to death|stoned to death|kicked to death|"
        "tortured to death|burned alive|burnt alive|shot and killed|fatally shot|"
        "fatally stabbed|mortally wounded",
        _Verb("killed", "ap", loose=True),
    ),
    (
        "kill|kills|killing|slay|slays|slaying|slew|massacre|massacres|massacring|"
        "slaughter|slaughters|slaughtering|killing of|killings of|deaths of|"
        "death of|murder of|murders of|massacre of|execution of|executions of|beheading of|"
        "lynching of|bodies of|remains of|claimed the lives of|claiming the lives of|"
        "claims the lives of|claim the lives of|took the lives of|taking the lives of|"
        "cost the lives of|costing the lives of",
        _Verb("killed", "a"),
    ),
    (
        "behead|beheads|beheading|lynch|lynches|lynching|murder|murders|murdering|"
        "assassinate|assassinates|assassinating|shoot dead|shoots dead|shooting dead|"
        "gun down|guns down|gunning down",
        _Verb("killed", "a", loose=True),
    ),
    # split phrases: "beat a man to death", "burned him alive", "shot him dead"
    (
        "beat|beats|beating|beaten|stab|stabs|stabbing|stabbed|hack|hacks|hacking|hacked|"
        "club|clubs|clubbing|clubbed|stone|stones|stoning|stoned|kick|kicks|kicking|kicked|"
        "bludgeon|bludgeons|bludgeoning|bludgeoned|crush|crushes|crushing|crushed|torture|"
        "tortures|torturing|tortured|burn|burns|burning|burned|burnt|strangle|strangles|"
        "strangling|strangled|starve|starves|starving|starved",
        _Verb("killed", "a", loose=True, tail=_TO_DEATH),
    ),
    ("burn|burns|burning|burned|burnt", _Verb("killed", "a", loose=True, tail=_ALIVE)),
    ("shoot|shoots|shooting|shot", _Verb("killed", "a", loose=True, tail=_DEAD)),
    ("gun|guns|gunning|gunned", _Verb("killed", "a", loose=True, tail=_DOWN)),
    ("executed", _Verb("killed", "ap", "weak")),
    ("execute|executes|executing", _Verb("killed", "a", "weak")),
    ("slain|dead", _Verb("killed", "p")),
    (
        "died|die|dies|perished|perish|lost their lives|lost his life|lost her life|"
        "lose their lives|losing their lives",
        _Verb("killed", "i"),
    ),
    ("drowned", _Verb("killed", "i", "weak")),
    (
        "claimed|claiming|claims|claim|cost|costing|costs|took|taking|takes|take",
        _Verb("killed", "a", head=_LIVES),
    ),
    ("lost", _Verb("killed", "p", head=_LIVES)),
    (
        "found|recovered|discovered|retrieved|pulled|exhumed|unearthed|find|finds|finding|"
        "recover|recovering",
        _Verb("killed", "ap", head=_BODIES),
    ),
    ("washed up|washed ashore", _Verb("killed", "p", head=_BODIES)),
    (
        "toll|body count|number of dead|number of deaths|number of fatalities|"
        "number of killed|number of victims|number of people killed",
        _Verb("killed", "t"),
    ),
    ("injured|wounded|maimed|shot and wounded", _Verb("injured", "ap")),
    ("hurt", _Verb("injured", "ap", "weak")),
    (
        "injure|injures|injuring|wound|wounds|wounding|maim|maims|maiming|hurting|hurts",
        _Verb("injured", "a"),
    ),
    ("poisoned", _Verb("injured", "ap", "weak")),
    ("poison|poisons|poisoning", _Verb("injured", "a", "weak")),
    ("hospitalised|hospitalized", _Verb("injured", "p", "weak")),
    ("treated", _Verb("injured", "p", "weak", after=_TREATED)),
    (
        "admitted|taken|rushed|airlifted|evacuated|brought|transported|carried|sent",
        _Verb("injured", "p", "weak", after=_HOSPITAL),
    ),
    (
        "took|taking|takes|take|rushed|rushing|rush|rushes|brought|bringing|brings|bring|"
        "airlifted|evacuated|transported|carried|sent",
        _Verb("injured", "a", "weak", tail=_TO_HOSPITAL),
    ),
    (
        "sustained|suffered|received|sustaining|suffering|sustains|suffers|receiving",
        _Verb("injured", "i", after=_WOUNDS),
    ),
    ("treated|admitted", _Verb("injured", "p", after=_WOUNDS)),
    (
        "number of injured|number of wounded|number of injuries|number of people injured",
        _Verb("injured", "t"),
    ),
    ("abducted|kidnapped", _Verb("missing", "ap", loose=True)),
    ("abduct|abducts|abducting|kidnap|kidnaps|kidnapping", _Verb("missing", "a", loose=True)),
    (
        "abduction of|abductions of|kidnapping of|kidnappings of|disappearance of",
        _Verb("missing", "a"),
    ),
    ("seized", _Verb("missing", "ap", "person")),
    ("seize|seizes|seizing", _Verb("missing", "a", "person")),
    (
        "took|taking|takes|take|held|holding|holds|hold",
        _Verb("missing", "a", head=_HOSTAGES),
    ),
    ("taken hostage|taken captive|held hostage|held captive", _Verb("missing", "p")),
    ("missing|unaccounted for", _Verb("missing", "p", "weak")),
    ("disappeared|vanished", _Verb("missing", "i", "weak")),
    ("number of missing|number of people missing", _Verb("missing", "t")),
)

_Entry = tuple[tuple[str, ...], tuple[_Verb, ...]]


def _build_table() -> dict[str, tuple[_Entry, ...]]:
    """Phrases by their first word, longest first, each with every reading it has."""
    specs: dict[tuple[str, ...], list[_Verb]] = {}
    for phrases, verb in _ROWS:
        for phrase in phrases.split("|"):
            specs.setdefault(tuple(phrase.split()), []).append(verb)
    by_first: dict[str, list[_Entry]] = {}
    for words, verbs in specs.items():
        by_first.setdefault(words[0], []).append((words, tuple(verbs)))
    return {w: tuple(sorted(e, key=lambda x: -len(x[0]))) for w, e in by_first.items()}


_TABLE = _build_table()
# verbs end a noun run ("two men shot dead"); nouns heading "X of" phrases do not
_VERB_WORDS = frozenset(
    words[0]
    for entries in _TABLE.values()
    for words, verbs in entries
    if words[-1] != "of" and any(set(v.modes) & set("api") and v.tail is None for v in verbs)
)
_STOP = _FUNCTION | _SKIP | _FREE | _MONTHS | _VERB_WORDS | _words("alive down aboard onboard")
_KIND_ORDER: dict[CasualtyKind, int] = {"killed": 0, "injured": 1, "missing": 2}

# --- number phrases -------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _NP:
    """A counted noun phrase: token range, the `text` part of it, and its noun run."""

    first: int
    text_end: int  # tokens [first, text_end) make the mention's text
    end: int  # after the noun run
    count: int
    approximate: bool
    words: tuple[str, ...]  # the noun run, lowercased
    person: bool
    thing: bool
    numeric: bool
    role: _Role
    loose: bool = False  # "a"/"the" + an unknown noun: only a loose verb's object


@lru_cache(maxsize=1024)
def _words_value(phrase: str) -> int | None:
    try:
        return int(text2num(phrase, "en"))
    except ValueError:
        return None


def _is_number_word(low: str) -> bool:
    if low in _NUMBER_WORDS:
        return True
    return "-" in low and all(part in _UNIT_WORDS for part in low.split("-"))


def _number_words(toks: list[_Tok], i: int) -> tuple[int, int] | None:
    """A run of number words read by text2num ("two hundred and five"): (end, value)."""
    parts: list[str] = []
    j = i
    while j < len(toks) and len(parts) < 10:
        low = toks[j].low
        joins = low == "and" and bool(parts) and parts[-1] in _SCALES
        if not (_is_number_word(low) or (joins and _is_number_word(_low(toks, j + 1)))):
            break
        parts.append(low)
        j += 1
    if not parts or parts[0] in _SCALES:
        return None
    while parts:
        value = _words_value(" ".join(parts))
        if value is not None:
            return i + len(parts), value
        parts.pop()
    return None


def _low(toks: list[_Tok], i: int) -> str:
    return toks[i].low if 0 <= i < len(toks) else ""


def _scaled(toks: list[_Tok], j: int, value: int, vague: bool) -> tuple[int, int, bool]:
    """Apply a following "hundred"/"thousand"/"million" or "dozen" ("2 million", "two dozen")."""
    low = _low(toks, j)
    if low in _SCALES and not vague:
        return j + 1, value * _SCALES[low], vague
    if low == "dozen":
        return j + 1, value * 12, True
    return j, value, vague


def _amount(toks: list[_Tok], i: int) -> tuple[int, int, bool] | None:
    """An amount at token i: (end, value, vague)."""
    tok = toks[i]
    if tok.num is not None:
        return _scaled(toks, i + 1, tok.num, False)
    if tok.low in ("a", "an") and _low(toks, i + 1) in _A_AMOUNTS:
        value, vague = _A_AMOUNTS[_low(toks, i + 1)]
        return i + 2, value, vague
    if tok.low == "half" and _low(toks, i + 1) == "a" and _low(toks, i + 2) == "dozen":
        return i + 3, 6, True
    if tok.low in _VAGUE:
        return _vague(toks, i)
    words = _number_words(toks, i)
    if words is None:
        return None
    return _scaled(toks, words[0], words[1], False)


def _vague(toks: list[_Tok], i: int) -> tuple[int, int, bool] | None:
    low = toks[i].low
    base = _VAGUE[low]
    scale = _VAGUE_SCALES.get(_low(toks, i + 2), 0)
    if low in ("tens", "hundreds") and _low(toks, i + 1) == "of" and scale:
        return i + 3, base * scale, True
    if low == "tens":
        return None
    return i + 1, base, True


def _quantifier_end(toks: list[_Tok], i: int) -> int:
    for words in _QUANTIFIERS.get(toks[i].low, ()):
        if _starts(toks, i, words):
            return i + len(words)
    return i


def _starts(toks: list[_Tok], i: int, words: tuple[str, ...]) -> bool:
    if i + len(words) > len(toks):
        return False
    return all(toks[i + k].low == w for k, w in enumerate(words))


def _bad_context(toks: list[_Tok], a: int, b: int) -> bool:
    """True when the amount toks[a:b] reads as a date, time, price, age or reference."""
    before = _low(toks, a - 1)
    if before in _BAD_BEFORE:
        return True
    if before == "." and _low(toks, a - 2) in ("no", "nos"):
        return True
    return _low(toks, b) in _BAD_AFTER


def _nounish(tok: _Tok, extra: frozenset[str]) -> bool:
    if not tok.word or tok.num is not None:
        return False
    if tok.low in extra:
        return True
    return tok.low not in _STOP and tok.low not in _NUMBERISH


def _noun_run(toks: list[_Tok], j: int, extra: frozenset[str] = frozenset()) -> int:
    stop = min(len(toks), j + _MAX_REGION)
    while j < stop and _nounish(toks[j], extra):
        j += 1
    return j


def _region(toks: list[_Tok], i: int) -> int:
    """End of the noun run after an amount: "people", "of the (12) soldiers", "of them"."""
    if _low(toks, i) == "more" and _low(toks, i + 1) != "than":
        i += 1  # "dozens more (people)"
    if _low(toks, i) != "of":
        return _aboard(toks, i, _noun_run(toks, i))
    k = i + 1
    if _low(toks, k) in ("them", "whom"):
        return k + 1
    if _low(toks, k) in _OF_DETS:
        k += 1
    amount = _amount(toks, k) if k < len(toks) else None
    if amount is not None:  # "three of the 12 passengers": the whole is not the count
        k = amount[0]
    end = _noun_run(toks, k)
    return _aboard(toks, k, end) if end > k else i


def _aboard(toks: list[_Tok], start: int, end: int) -> int:
    """Extend "157 people" over "on board"/"aboard", which sits between it and the verb."""
    if end == start:
        return end
    if _low(toks, end) == "aboard":
        return end + 1
    return end + 2 if _starts(toks, end, ("on", "board")) else end


def _is_person(tok: _Tok) -> bool:
    low = tok.low
    if low in _PERSONS or low.endswith(("-year-old", "-year-olds")):
        return True
    return tok.text[:1].isupper() and len(low) > 3 and low.endswith(_DEMONYM_ENDS)


def _is_one_person(tok: _Tok) -> bool:
    low = tok.low
    if low in _SINGULAR or low.endswith("-year-old"):
        return True
    return tok.text[:1].isupper() and len(low) > 3 and low.endswith(("an", "i", "ese"))


def _make(
    toks: list[_Tok], first: int, text_end: int, end: int, count: int, run_start: int = -1
) -> _NP:
    """A phrase with its noun run classified (the run starts at text_end unless given)."""
    run = toks[text_end if run_start < 0 else run_start : end]
    return _NP(
        first=first,
        text_end=text_end,
        end=end,
        count=count,
        approximate=False,
        words=tuple(t.low for t in run if t.low not in ("of", "more") and t.low not in _OF_DETS),
        person=any(_is_person(t) for t in run),
        thing=any(t.low in _NONPERSON for t in run),
        numeric=False,
        role="any",
    )


def _numeric_np(toks: list[_Tok], i: int) -> _NP | None:
    q = _quantifier_end(toks, i)
    if q >= len(toks):
        return None
    amount = _amount(toks, q)
    if amount is None:
        return None
    end, value, vague = amount
    if _bad_context(toks, q, end):
        return None
    np = _make(toks, i, end, _region(toks, end), value)
    year = end == q + 1 and len(toks[q].text) == 4 and 1800 <= value <= 2100
    if year and q == i and not np.person:
        return None
    return replace(np, approximate=q > i or vague, numeric=True)


def _zero_np(toks: list[_Tok], i: int) -> _NP | None:
    """ "no one", "nobody", "none (of them)", "no civilians", "without injuries"."""
    low = toks[i].low
    if low in ("nobody", "no-one", "none") or (low == "no" and _low(toks, i + 1) == "one"):
        text_end = i + (2 if low == "no" else 1)
        np = _make(toks, i, text_end, _region(toks, text_end), 0)
        return _NP(i, text_end, np.end, 0, False, np.words, True, False, False, "any")
    if low not in ("no", "without"):
        return None
    end = _noun_run(toks, i + 1, _ZERO_MODS)
    if end == i + 1:
        return None
    if toks[end - 1].low in _REPORT_WORDS and _low(toks, end) == "of":
        skip = 2 if _low(toks, end + 1) == "any" else 1
        if _low(toks, end + skip) in _NOUN_KINDS:
            end += skip + 1
    np = _make(toks, i, end, end, 0, i + 1)
    role: _Role = "noun" if low == "without" else "any"
    return _NP(i, end, end, 0, False, np.words, np.person, np.thing, False, role)


def _det_np(toks: list[_Tok], i: int) -> _NP | None:
    """ "a policeman", "an Israeli", "a 25-year-old man", "the driver", "his wife": one."""
    if toks[i].low not in _SINGLE_DETS:
        return None
    end = _noun_run(toks, i + 1)
    while end > i + 1 and not _is_one_person(toks[end - 1]):
        end -= 1
    if end == i + 1:
        return None
    return _make(toks, i, end, end, 1, i + 1)


def _other_np(toks: list[_Tok], i: int) -> _NP | None:
    """ "the other" / "another" standing alone ("the other was wounded"): one."""
    low = toks[i].low
    if low == "the" and _low(toks, i + 1) == "other":
        text_end = i + 2
    elif low == "another":
        text_end = i + 1
    else:
        return None
    if _starts_phrase(toks, text_end):
        return None  # "the other two", "another 28", "the other side"
    return _NP(i, text_end, _region(toks, text_end), 1, False, (), True, False, False, "any")


# singular animals whose plural is not in _NONPERSON's regular form
_ANIMALS = _words(
    "wolf calf bull ox tiger leopard cheetah buffalo monkey gorilla chimpanzee snake "
    "crocodile hippo hyena jaguar puma cougar boar stag moose bison zebra antelope giraffe"
)
# heads of "a"/"the" + noun that name a group or an amount, not one person
_COLLECTIVE = _words(
    "group crowd number lot bunch band gang family team unit convoy squad series total "
    "majority minority host range variety kind sort type part set pair couple few dozen "
    "handful score"
)


def _loose_np(toks: list[_Tok], i: int) -> _NP | None:
    """ "a money changer": one unknown noun, only read as the object of a loose verb."""
    if _low(toks, i) not in _SINGLE_DETS:
        return None
    end = _noun_run(toks, i + 1)
    if end == i + 1:
        return None
    words = tuple(t.low for t in toks[i + 1 : end])
    last = words[-1]  # the head: "a cattle rustler" is a person, "a rhino" is not
    plural = last.endswith("s") and not last.endswith(("ss", "us"))
    if plural or last in _COLLECTIVE or last in _ANIMALS or _plural(last) in _NONPERSON:
        return None
    return _NP(i, end, end, 1, False, words, False, False, False, "object", loose=True)


def _pronoun_np(toks: list[_Tok], i: int) -> _NP | None:
    """ "he"/"she" as a subject, "him"/"her" as an object: one."""
    low = toks[i].low
    role: _Role
    if low in ("he", "she"):
        role = "subject"
    elif low in ("him", "himself", "herself") or (low == "her" and not _starts_phrase(toks, i + 1)):
        role = "object"
    else:
        return None
    return _one(i, role)


def _one(i: int, role: _Role) -> _NP:
    """One person named by the single token i ("him", "he", "his" in "died of his wounds")."""
    return _NP(i, i + 1, i + 1, 1, False, (), True, False, False, role)


def _starts_phrase(toks: list[_Tok], j: int) -> bool:
    if j >= len(toks):
        return False
    tok = toks[j]
    return tok.num is not None or tok.low in _NUMBERISH or _nounish(tok, frozenset())


def _phrases(toks: list[_Tok]) -> list[_NP]:
    """Counted phrases, left to right, not overlapping."""
    out: list[_NP] = []
    i = 0
    while i < len(toks):
        np = _numeric_np(toks, i) or _zero_np(toks, i) or _det_np(toks, i)
        np = np or _pronoun_np(toks, i) or _other_np(toks, i)
        if np is None:
            i += 1
            continue
        out.append(np)
        i = max(np.end, i + 1)
    return out


def _accepts(np: _NP, verb: _Verb, role: _Role) -> bool:
    """Whether the phrase can be this verb's victims in this role."""
    if np.role not in ("any", role):
        return False
    if np.loose:
        return verb.loose and role == "object"
    if verb.head:
        return bool(verb.head.intersection(np.words))
    if verb.need == "person":
        return np.person
    if verb.need == "weak":
        return np.person or not np.words
    return np.person or not np.thing


def _listable(np: _NP) -> bool:
    """A list member: people or a bare number, not a subset ("three of them")."""
    if np.role == "noun" or "them" in np.words or "whom" in np.words:
        return False
    return np.person or np.loose or not np.words


def _plain(verb: _Verb) -> bool:
    """A verb read without conditions: one of a "killed or injured" pair."""
    return not verb.head and not verb.after and verb.tail is None


# --- matching -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Match:
    start: int
    end: int
    verbs: tuple[_Verb, ...]


def _matches(toks: list[_Tok]) -> list[_Match]:
    out: list[_Match] = []
    i = 0
    while i < len(toks):
        found = None
        for words, verbs in _TABLE.get(toks[i].low, ()):
            if _starts(toks, i, words):
                found = _Match(i, i + len(words), verbs)
                break
        if found is None:
            i += 1
        else:
            out.append(found)
            i = found.end
    return out


class _Scan:
    """One span's tokens, phrases and verb matches, and the mentions found so far."""

    def __init__(self, text: str, toks: list[_Tok]) -> None:
        self.text = text
        self.toks = toks
        self.nps = _phrases(toks)
        self.by_start = {np.first: np for np in self.nps}
        self.by_end: dict[int, _NP] = {}
        for np in self.nps:
            self.by_end.setdefault(np.end, np)
        self.matches = _matches(toks)
        self.match_start = {m.start: m for m in self.matches}
        self.match_end = {m.end: m for m in self.matches}
        self.found: dict[tuple[CasualtyKind, int, int], CasualtyMention] = {}

    def run(self) -> list[CasualtyMention]:
        for np in self.nps:
            self._noun_kinds(np)
        for m in self.matches:
            for verb in m.verbs:
                self._apply(m, verb)
        return sorted(self.found.values(), key=lambda c: (c.start, c.end, _KIND_ORDER[c.kind]))

    def _emit(self, np: _NP, kind: CasualtyKind) -> None:
        start = self.toks[np.first].start
        end = self.toks[np.text_end - 1].end
        key = (kind, start, end)
        if key not in self.found:
            text = self.text[start:end]
            self.found[key] = CasualtyMention(kind, np.count, text, start, end, np.approximate)

    def _apply(self, m: _Match, verb: _Verb) -> None:
        if "t" in verb.modes:
            self._toll(m, verb)
        if "a" in verb.modes:
            self._active(m, verb)
        if "p" in verb.modes or "i" in verb.modes:
            self._subject(m, verb)

    def _noun_kinds(self, np: _NP) -> None:
        """ "15 deaths", "no fatalities", "no casualties", "without injuries"."""
        if not np.words or not (np.numeric or np.count == 0):
            return
        kinds = _NOUN_KINDS.get(np.words[-1], ())
        if len(kinds) > 1 and np.count != 0:
            return  # "12 casualties": dead or wounded, not said
        for kind in kinds:
            self._emit(np, kind)

    def _object_at(self, j: int, loose: bool = False) -> _NP | None:
        np = self.by_start.get(j)
        if np is not None:
            return np
        for lead in _OBJECT_LEADS:
            if _starts(self.toks, j, lead):
                np = self.by_start.get(j + len(lead))
                if np is not None:
                    return np
        return _loose_np(self.toks, j) if loose else None

    def _active(self, m: _Match, verb: _Verb) -> None:
        if self._paired_before(m, verb.kind):
            return
        np = self._object_at(m.end, verb.loose)
        if np is None or not _accepts(np, verb, "object"):
            return
        members = [np, *self._listed_after(np, verb.loose, verb.tail)]
        if verb.tail is not None:
            ends = [k for k, member in enumerate(members) if self._tail_at(member.end, verb.tail)]
            if not ends:
                return
            members = members[: ends[0] + 1]
        for member in members:
            if member is np or _accepts(member, verb, "object"):
                self._emit(member, verb.kind)

    def _tail_at(self, k: int, tail: _Tail) -> bool:
        """Whether `tail` starts at token k ("to death", "to a nearby hospital", "alive")."""
        if tail.lead:
            if _low(self.toks, k) != tail.lead:
                return False
            k += 1
        for tok in self.toks[k : k + tail.gap + 1]:
            if not tok.word:
                return False
            if tok.low in tail.ends:
                return True
        return False

    def _subject(self, m: _Match, verb: _Verb) -> None:
        if verb.after and not self._near_after(m.end, verb.after):
            return
        j, be = self._skip_back(m.start - 1)
        np = self.by_end.get(j + 1)
        if np is None:  # "no one on board was hurt", "three people in the car died"
            np = self._before_phrases(j)
        if np is None:
            self._died_of(m, verb)
            return
        if not _accepts(np, verb, "subject"):
            return
        headline = verb.after or self._free_after(m.end)
        if "p" in verb.modes and not (be or headline):
            return
        self._emit_subject(m, verb, np)

    def _emit_subject(self, m: _Match, verb: _Verb, np: _NP) -> None:
        kinds: list[CasualtyKind] = [verb.kind]
        paired = self._paired_after(m, verb.kind)
        if paired is not None:
            if np.count != 0:
                return  # "12 were killed or injured": which, not said
            kinds.append(paired)
        for member in [np, *self._listed_before(np)]:
            if member is np or _accepts(member, verb, "subject"):
                for kind in kinds:
                    self._emit(member, kind)

    def _died_of(self, m: _Match, verb: _Verb) -> None:
        """ "(and later) died of his wounds" without a subject: one."""
        toks = self.toks
        k = m.end
        if verb.kind != "killed" or toks[m.start].low not in ("died", "dies", "die"):
            return
        if _low(toks, k) in ("of", "from") and _low(toks, k + 1) in ("his", "her"):
            if _low(toks, k + 2) in _WOUNDS:
                self._emit(_one(k + 1, "any"), "killed")

    def _toll(self, m: _Match, verb: _Verb) -> None:
        toks = self.toks
        if _low(toks, m.end) in _TOLL_NOT:
            return
        for k in range(m.end, min(m.end + 10, len(toks))):
            tok = toks[k]
            if not tok.word and tok.text != ",":
                return
            np = self.by_start.get(k + 1) if tok.low in _TOLL_LINK else None
            if np is not None and np.numeric and _accepts(np, verb, "object"):
                self._emit(np, verb.kind)
                return

    def _skip_back(self, j: int) -> tuple[int, bool]:
        """Walk back from token j over auxiliaries, adverbs and a ", including ...," aside."""
        be = False
        for _ in range(_MAX_SKIP):
            if j < 0:
                break
            low = self.toks[j].low
            if low == ",":
                opening = self._aside_start(j) or self._age_aside(j)
                if opening is None:
                    break
                j = opening - 1
                continue
            if low not in _SKIP:
                break
            be = be or low in _BE
            j -= 1
        return j, be

    def _before_phrases(self, j: int) -> _NP | None:
        """The subject before one or two prepositional phrases ending at token j."""
        for _ in range(2):
            before = self._phrase_back(j)
            if before is None:
                return None
            np = self.by_end.get(before + 1)
            if np is not None:
                return np
            j = before
        return None

    def _phrase_back(self, j: int) -> int | None:
        """The token before a short prepositional phrase ending at token j ("in the car")."""
        for k in range(j, max(j - _MAX_REGION - 2, -1), -1):
            tok = self.toks[k]
            if tok.low in _PREPOSITIONS and (k < j or tok.low == "aboard"):
                return k - 1
            if not (tok.low in _PP_DETS or (tok.num is not None and k < j)):
                if not _nounish(tok, frozenset()):
                    return None
        return None

    def _aside_start(self, j: int) -> int | None:
        """The comma opening ", including three children," that ends at comma j."""
        for k in range(j - 1, max(j - 12, 1) - 1, -1):
            tok = self.toks[k]
            if tok.low in _ASIDE and self.toks[k - 1].text == ",":
                return k - 1
            if not tok.word and tok.text != ",":
                return None
        return None

    def _age_aside(self, j: int) -> int | None:
        """The comma opening ", 45," or ", aged 45," that ends at comma j."""
        k = j - 1
        if k < 0 or self.toks[k].num is None:
            return None
        k -= _low(self.toks, k - 1) == "aged"
        return k - 1 if k > 1 and _low(self.toks, k - 1) == "," else None

    def _free_after(self, k: int) -> bool:
        return k >= len(self.toks) or not self.toks[k].word or self.toks[k].low in _FREE

    def _near_after(self, k: int, words: frozenset[str]) -> bool:
        for tok in self.toks[k : k + 4]:
            if not tok.word:
                return False
            if tok.low in words:
                return True
        return False

    def _paired_after(self, m: _Match, kind: CasualtyKind) -> CasualtyKind | None:
        """The other kind in "killed or injured" / "killed and wounded", if any."""
        if _low(self.toks, m.end) not in ("or", "and", "nor"):
            return None
        other = self.match_start.get(m.end + 1)
        if other is None:
            return None
        kinds = [v.kind for v in other.verbs if v.kind != kind and _plain(v)]
        return kinds[0] if kinds else None

    def _paired_before(self, m: _Match, kind: CasualtyKind) -> bool:
        if _low(self.toks, m.start - 1) not in ("or", "and"):
            return False
        other = self.match_end.get(m.start - 1)
        return other is not None and any(v.kind != kind and _plain(v) for v in other.verbs)

    def _listed_after(self, np: _NP, loose: bool = False, tail: _Tail | None = None) -> list[_NP]:
        """Further objects: "killing 12 civilians, two police officers and a child"."""
        out: list[_NP] = []
        cur = np
        for _ in range(_MAX_LIST):
            k = cur.end
            if tail is not None and self._tail_at(k, tail):
                break
            k += _low(self.toks, k) == ","
            k += _low(self.toks, k) == "and"
            nxt = self._object_at(k, loose) if k > cur.end else None
            if nxt is None or not _listable(nxt):
                break
            ends = tail is not None and self._tail_at(nxt.end, tail)
            if self._verb_at(nxt.end) and not ends:
                break
            out.append(nxt)
            cur = nxt
        return out

    def _listed_before(self, np: _NP) -> list[_NP]:
        """Further subjects: "12 civilians and three soldiers were killed"."""
        out: list[_NP] = []
        cur = np
        for _ in range(_MAX_LIST):
            k = cur.first - 1
            if cur.numeric and _low(self.toks, k) in _OF_DETS:
                k -= 1  # "a woman and her two children"
            if _low(self.toks, k) not in ("and", ","):
                break
            if _low(self.toks, k) == "and" and _low(self.toks, k - 1) == ",":
                k -= 1
            prev = self.by_end.get(k)
            if prev is None or not _listable(prev):
                break
            out.append(prev)
            cur = prev
        return out

    def _verb_at(self, k: int) -> bool:
        return _low(self.toks, k) in _SKIP or k in self.match_start


def find_casualties(text: str, start: int = 0, end: int | None = None) -> list[CasualtyMention]:
    """Casualty counts stated in text[start:end] (offsets are into `text`), in text order.

    Out-of-range bounds are clamped. "no casualties" yields a killed and an injured mention
    with the same span; other mentions of one phrase are reported once per kind.
    """
    size = len(text)
    lo = min(max(start, 0), size)
    hi = size if end is None else min(max(end, lo), size)
    if not _has_cue(text, lo, hi):
        return []
    return _Scan(text, _tokenize(text, lo, hi)).run()


def _has_cue(text: str, lo: int, hi: int) -> bool:
    """Whether text[lo:hi] holds a casualty stem (_CUE_RE)."""
    span = text[lo:hi]
    if _UNUSUAL_RE.search(span) is None:
        return _CUE_LOWER_RE.search(span.lower()) is not None
    return _CUE_RE.search(text, lo, hi) is not None
