"""Cue patterns of the concern and action-item components, as registered, versioned functions.

A behaviour change of a cue set is a new `nlp.PIPELINE_VERSION`. Phrases use the compact form of
`docfacts.expand_phrase`: words are token positions matched on the lower-case form, `a|b` are
alternatives at one position (no spaces inside an alternative), `x?` is optional. Fixed phrases
are matched by a PhraseMatcher on the tokens' norms (`docfacts.CueMatcher`), also where a hard
wrap broke them.
"""

from __future__ import annotations

from typing import Any

from spacy.util import registry

from nlp.components.docfacts import words

MONTH_NAMES = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
)

CONCERN_CUES = "jcpp.concern_cues.v1"
ACTION_CUES = "jcpp.action_cues.v1"


def _words(text: str) -> list[str]:
    """One-token phrases from a string of words (alternatives of a family)."""
    return sorted(words(text))


def concern_cues_v1() -> dict[str, dict[str, Any]]:
    """Cue families: weight (negative ones lower the score) and phrases (see the module)."""
    return {
        "emotion": {
            "weight": 0.5,
            "phrases": _words(
                """worried worry worries worrying concerned afraid fear fears feared fearful
                scared frightened terrified nervous anxious anxiety uneasy upset shaken frustrated
                frustrating frustration angry anger unsafe dread dreads uncomfortable distrust
                mistrust embarrassed ashamed shame confused confusing alarmed stigma panic trauma
                traumatized intimidated disappointed troubling hesitant reluctant desperate
                hopeless helpless terrifying scary unsure dissatisfied dissatisfaction unhappy
                disappointment"""
            )
            + [
                "tired of",
                "fed up",
                "adverse|negative|bad|traumatic experience|experiences|encounter|encounters",
                "less|not safe",
                "concern about|over|that|with|for|is|regarding|around|surrounding",
                "concerns about|over|regarding|around|surrounding|with",
                "expressed|voiced|shared|discussed|raised|about his|her|their|our|my"
                " concerns|worries",
                "do|does|did|would n't|n’t|not trust|believe",
                "trust nobody|no",
                "assume|assumes the worst",
                "feel|feels|felt targeted|watched|unwelcome|ignored|singled|unheard",
            ],
        },
        "complaint": {
            "weight": 0.45,
            "phrases": _words(
                """complain complains complained complaining problem problems unfair unfairly
                targeted profiled profiling harassed harassment mistreated mistreatment
                discriminated discrimination racist rude disrespectful disrespected hiding
                problematic unacceptable alarming"""
            )
            + [
                "issue|issues with",
                "raised the|a|an? issue|concern|case|question|matter|problem",
                "raised concerns|questions",
                "expressed|voiced|shared|discussed|raised concern|concerns|frustration|worries",
                "relayed|shared|brought|passed a|the|an|their? concern|concerns|complaint",
                "relayed|shared|brought|passed a|the|an|their? complaints",
                "nobody|no one listens|comes|came|responds|responded|did|does|knows",
                "spoke|speaks|spoken|testified|was|were|is|are in opposition to|of",
                "spoke|speaks|spoken|testified against",
                "is|are|was|were opposed to",
                "item|items|area|areas|matter|matters|source|point|points of concern",
                "continuing|ongoing|persistent|recurring issue|issues|problem|problems",
                "continue|continues|continued to be an? issue|problem|concern",
                "the need for more|additional|increased|better|extra",
            ],
        },
        "question": {
            "weight": 0.35,
            "phrases": [
                "asked|asks|asking whether|why|if|how|what|who|when|where|about",
                "inquired|inquires|inquiring|enquired about|whether|if|why|how|what|when",
                "wondered|wonders|wondering|questioned",
                "want|wants|wanted to know",
            ],
        },
        "why": {"weight": 0.15, "phrases": ["why"]},
        "request": {
            "weight": 0.4,
            "phrases": [
                "asked|asks that",
                "asked|asks for",
                "asked|asks|urged the? department|police|city|chief|officers|mac|committee|council"
                "|commission to",
                "requested|requests|request that",
                "requested|requests|requesting more|a|an|the|better|additional|extra|increased",
                "would like the|to department|police|city|see|have",
                "asked|asks|urged the department|police|city|chief|council|commission",
                "expect|expects|expected the|police|city|department to",
                "hope|hoped|hopes the committee|city|police|department would|will",
                "be needed",
                "'d|’d like to see",
                "urged|urges|pleaded",
                "called|calls for",
                "suggested|recommended that",
            ],
        },
        "should": {
            "weight": 0.35,
            "phrases": [
                "should|must",
                "need|needs|needed more|to|someone|a|an|information|better",
                "want|wants|wanted more|the|police|officers|an|a|to",
                "instead of",
                "not just|only",
            ],
        },
        "problem": {
            "weight": 0.35,
            "phrases": _words(
                """nobody nothing never nowhere cannot unable shortage vacancies short-staffed
                understaffed rumors rumours missing gap barrier barriers failed fails wait waits
                waited waiting bad worse harder rarely alone complaint complaints"""
            )
            + [
                "no one|longer",
                "too long|short|slow|fast|many|few|late|far|little",
                "keep|keeps|kept rising|happening|coming|getting|growing",
                "do|does|did|wo|ca n't|n’t|not know|understand|report|call|stop|yield|speak|see",
                "do|does|did|wo|ca n't|n’t|not trust|believe|come|look|feel|get|have",
                "hard|difficult|impossible to",
                "only in english",
                "at all",
                "does|do|did nothing",
                "stopped coming|calling|going|reporting",
                "keeping|keep|keeps|kept their|her|his|the? children|kids home|inside",
                "stay|stays|stayed|staying home|inside",
                "is|are|was short",
                "left early",
                "turned|turning|turn away",
                "falling|fallen|fell behind",
                "not always|exist",
                "do|does|did n't|n’t|not think",
                "as young as",
                "none of|has|have|had|were|was",
            ],
        },
        "relayed": {
            "weight": 0.6,
            "phrases": [
                "relayed|forwarded|conveyed|passed a|the|their|an? concern|concerns|complaint",
                "concern|concerns|issue|issues|complaint|complaints was|were raised|voiced",
                "concern|concerns|issue|issues|complaint|complaints was|were expressed",
                "concern|concerns|issue|issues|complaint|complaints raised|voiced|expressed by",
                "concern|concerns|issue|issues|complaint|complaints :",
                "concern|concerns|complaint|complaints raised|voiced|expressed .|;|,",
                "relayed|forwarded|conveyed|passed a|the|their|an? complaints|question|worry",
                "passed on|along a|the|their? concern|concerns|complaint|complaints",
                "on behalf of residents|a|the|tenants|parents|neighbors|neighbours",
                "heard from residents|tenants|parents|neighbors|neighbours|families|several",
            ],
        },
        "relay_hint": {
            "weight": 0.15,
            "phrases": [
                "residents|parents|neighbors|neighbours|tenants|families|people say|report",
                "residents|parents|neighbors|neighbours|tenants|families|people complain",
                "residents|parents|neighbors|neighbours|tenants|families|people have reported",
                "shared|relayed|reported|noted|said|says|say|told that? residents|tenants|parents",
                "shared|relayed|reported|noted|said|says|say|told that? neighbors|neighbours",
                "shared|relayed|reported|noted|said|says|say|told that? families|businesses",
                "shared|relayed|reported|noted|said|says|say|told that? community|owners",
            ],
        },
        "lack": {
            "weight": 0.5,
            "phrases": [
                "there is|are|was|were|'s no|not|nothing|nowhere|never",
                "has|have|had no",
                "lack of",
                "lacks|lacking",
                ": no|nobody|never|nothing",
                "not enough",
                "no longer",
            ],
        },
        "incident": {
            "weight": 0.35,
            "phrases": _words(
                """lost stolen theft thefts break-ins break-in burglaries burglary shot shots
                shooting shootings gunfire gunshots guns gun rifle weapons yelled slurs threat
                threats threatened threatening followed attacked assault assaulted abuse abused
                speeding speeders racing reckless crash crashes struck overdose overdoses
                overdosed evicted eviction scam scams scammed vandalism vandalized graffiti
                swastika swastikas damaged broken arrested ticketed handcuffs cuffed tased killed
                died fights fighting trafficking exploited robbed robbery robberies violations
                shoplifting threatens needles hate hateful damage fatal claiming pretending speed
                speeds sped race races raced drinking drunk intoxicated dealing loitering
                trespassing fireworks noise loud littering carjacking carjacked stabbing stabbed
                bullied bullying burglarized burglarised burgled mugged mugging beaten injured
                wounded crashed vandals overdosing"""
            )
            + [
                "broken|broke|break into",
                "shot at",
                "beat|beaten up",
                "ran|run over",
                "pulled over",
                "been stopped",
                "was|were|almost|nearly|got|been|being hit",
                "run|ran|runs|running|blow|blew|roll|rolled|rolling the|a red|light|signal",
                "run|ran|runs|running|blow|blew|roll|rolled|rolling through the|a? stop sign|light",
                "run|ran|runs|running|blow|blew|roll|rolled|rolling the|a stop sign|signs",
                "do|does|did n't|n’t|not yield|stop",
            ],
        },
        "trend": {
            "weight": 0.3,
            "phrases": _words(
                """rose risen rising increase increased increasing spike surge doubled tripled
                highest record worst lowest"""
            )
            + [
                "%|percent higher|more|increase|jump|rise",
                "up sharply",
                "are|is|were|calls|thefts|crashes|burglaries|shootings|overdoses|complaints up",
                "compared with|to",
                "so far this year",
                "went from",
                "every weekend|night|day|week|evening|morning|afternoon",
            ],
        },
        # A rise of something ("went up", "spiked"): a concern only with a problem or an
        # incident in the same part ("thefts went up", not "attendance went up").
        "rise": {
            "weight": 0.3,
            "phrases": _words("spiked spikes surged climbed climbing jumped soared uptick")
            + ["went|gone|going|goes up"],
        },
        "procedure": {
            "weight": -0.8,
            "phrases": _words("motion seconded adjourned adjourn quorum approved abstained")
            + _words("unanimously")
            + [
                # the agenda's own approval, not items on it someone says were left undone
                "approve|approved|approval|approving|adopt|adopted|amend|amended of? the? agenda",
                "agenda was|is|be|as approved|adopted|amended|presented",
                "the|this|tonight's|meeting|amended|revised agenda",
                "the|draft|previous|meeting|month's|regular minutes",
                "minutes were|was|approved|of|as|from",
                "approve|approval|approving|correction|corrections to|of? minutes",
                f"approve|approval|approving of? the? {MONTH_NAMES}|last|previous minutes",
                "roll call",
                "called to order",
                "called the meeting|session to order",
                "carried|passed unanimously",
                "motion carried|passed|failed",
                "moved to approve|adopt|table|accept|amend|adjourn",
            ],
        },
        "positive": {
            "weight": -0.5,
            "phrases": _words(
                """thanked thanks thank appreciated appreciation praised congratulated commended
                welcomed introduced celebrated polite helpful respectful"""
            )
            + ["went well", "great job", "good job"],
        },
        "empathy": {
            "weight": -0.4,
            "phrases": [
                "understand|understands|understood why|the|that|how",
                "heard|hear|hears the concerns",
                "wanted|want to hear",
            ],
        },
        "event": {
            "weight": -0.45,
            "phrases": [
                "will be held|hosted",
                "is|are scheduled",
                "reminded members|everyone|the",
                "encouraged to attend|join",
                "invited members|everyone|all",
                "save the date",
                "sign up",
            ],
        },
        "own_business": {
            "weight": -0.4,
            "phrases": _words("bylaws bylaw workplan elections election nominations nominated")
            + _words("retreat spelled")
            + [
                "work plan",
                "the committee|mac|commission should",
                "vice chair",
                "meeting schedule|time|location",
                "annual|the report",
                "application|applications are",
            ],
        },
        "neutral_report": {
            "weight": -0.25,
            "phrases": _words(
                """reviewed presented overview demonstrated summarized recapped recap decreased
                declined fewer lower explained described outlined"""
            )
            + [
                "gave|provided an update|overview|presentation|report",
                "went down",
                "complaint|complaints form|forms|process|procedure|policy|system|line|data",
            ],
        },
        "no_harm": {
            # "No one was hurt": the harm a report names did not happen (it takes back about
            # what its own harm word added; a worry beside it still counts).
            "weight": -0.35,
            "phrases": [
                "no one was seriously|badly? hurt|injured|killed|wounded",
                "nobody was seriously|badly? hurt|injured|killed|wounded",
                "no one hurt|injured",
                "nobody hurt|injured",
            ],
        },
        "nothing_new": {
            "weight": -0.8,
            "phrases": [
                "nothing to report|new|further|add|share",
                "nothing further .",
                "nothing further|more|else to? add|report|share",
                "nothing new to report",
                "no items|update|updates|report this|for",
                "no|any questions|update|updates|cost|charge|change|changes|objection|comments",
                "no other business|questions|reports|concerns",
                "no additional|unfinished business|questions|items|comments",
                "none reported|noted",
            ],
        },
        # Said of a whole agenda item ("Public Comment: There was no public input."); a worry
        # beside it is still a concern (see `jcpp_concerns`).
        "no_comment": {
            "weight": -0.8,
            "phrases": [
                "no public comment|comments|input|testimony|speakers",
                "no chair|co-chair|staff|committee|subcommittee|commissioner update|updates|report",
                "nothing currently|presently|yet to report|share",
                "no hands raised",
            ],
        },
    }


registry.misc.register(CONCERN_CUES, func=concern_cues_v1)


def action_cues_v1() -> dict[str, dict[str, Any]]:
    """Trigger kinds: base score and phrases (see `docfacts.expand_phrase`)."""
    return {
        "future": {"score": 0.8, "phrases": ["will|'ll|’ll|shall"]},
        "would": {"score": 0.7, "phrases": ["would"]},
        "progressive": {
            "score": 0.75,
            "phrases": [
                f"is|are|am also|still|now|currently|constantly|actively? {rest}"
                for rest in (
                    "working|reviewing|exploring|drafting|developing|preparing|organizing",
                    "organising|arranging|coordinating|finalizing|finalising|pursuing",
                    "planning|trying|seeking|going to|on",
                    "looking into|at|for",
                    "setting|putting|following up|together",
                    "talking|meeting with|to",
                    "negotiating|researching|recruiting",
                    "making an|every|active? effort|efforts to",
                )
            ],
        },
        "agree": {
            "score": 0.75,
            "phrases": [
                "designated to",
                "was|were going to",
                "agreed|agrees|offered|offers|volunteered|volunteers|promised|promises to",
                "committed|commits|pledged|pledges|plans|planned|intends|intend|decided to",
                "volunteered .|;",
                "proposed that",
            ],
        },
        "asked_to": {
            "score": 0.7,
            "phrases": ["is|are|was|were asked|requested|reminded|directed|assigned|tasked to"],
        },
        "asks_x_to": {
            "score": 0.65,
            "phrases": [
                "asked|asks|asking",
                "requested|requests|directed|directs|directing|instructed|instructs|tasked|reminded",
                "request",
                "asked|asks members|everyone|volunteers for",
            ],
        },
        "to_be": {
            "score": 0.6,
            "phrases": [
                "to be sent|posted|circulated|shared|set|scheduled|announced|determined|confirmed",
                "to be distributed|provided|emailed|e-mailed|mailed|drafted|translated|decided",
                "to be discussed|revisited|reviewed|brought|presented|updated|finalized|arranged",
            ],
        },
        "tabled": {
            "score": 0.65,
            "phrases": [
                "tabled|postponed|deferred|referred|pushed until|to|till",
                "moved to",
                "deferred|postponed further? discussion|action|consideration|it|voting",
                "carried over to",
                "( tabled )",
                "moved|motion to table",
            ],
        },
        "should": {
            "score": 0.55,
            "phrases": [
                "members|everyone|volunteers|anyone|member should|must",
                "members|everyone|volunteers|anyone|member need|are to",
                "we are to",
                "please bring|send|share|submit|return|let|contact|email|e-mail|sign|complete",
            ],
        },
        "follow_up": {"score": 0.7, "phrases": ["to follow up|up", "will follow up"]},
    }


registry.misc.register(ACTION_CUES, func=action_cues_v1)
