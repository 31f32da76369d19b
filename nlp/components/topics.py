"""Topic matching (`jcpp_topics`): the topic list's terms on lower-case lemmas, disambiguated.

Each term of each topic becomes a PhraseMatcher pattern. A term in its base form matches on
`LEMMA` (the lemmatizer lower-cases, so "Body Cameras" matches "body camera"); a one-word term
written in an inflected form ("trafficked", "stops") matches that form only, on `LOWER`, since its
lemma may be another word ("traffic", "stop"). A term may carry a strength, `"parking|0.3"`: weak
words count only together with others. Besides the terms, a sentence naming two or more
languages with English or a word about speaking or materials is a language-access mention, and
a sentence holding a word of every list of a combination (a topic described without its terms,
see `topic_combinations`) is a mention of that combination's topic.

A term broken by a hard wrap ("stop\ndata") matches as written on one line, unless the break ends
a sentence or line item. A match is dropped when it is
- part of a proper name or title: a run of capitalised words that goes on past the term, such as
  "Safety Fair Golf Outing", "Traffic Safety Committee Chair Jones", "Training Room" (see
  `rules["name_heads"]`; a name may run on through "/" or "&" and hold "of" or "in"), a job title
  ("Crime Prevention Officer"), a body's name going on through "on" ("Advisory Committee on
  Police Community Relations"), or followed by "task force", "room", "center" …; a term that is
  itself a name ("National Night Out") still counts;
- the end of a place's name ("Fairhaven Youth Center");
- in a procedural sentence (roll call, approval of minutes or agenda, adjournment, a meeting
  called by the chair) or a line saying who attended, where the meeting was or who ran it;
- vetoed by one of its topic's exclusions ("ice cream" for ICE), inside a person's name, or inside
  a longer match of another topic ("traffic" in "traffic stop").
Weak terms of some topics need context words in their sentence or section heading (`training`
needs officers; training the committee's own members get is committee business). A heading
line counts more than a body line; a term right after "no" counts half. The document's score
per topic is a noisy-or of its mention weights, each further mention counting less
(`score_topics`); topics at or above the threshold are the document's topics. Mentions go to
`doc.spans["topics"]` (label = slug; per mention, in order, `attrs["matched"]` and
`attrs["weights"]`), document scores to `attrs["scores"]`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.training import Example
from spacy.util import registry

from nlp import taxonomy
from nlp.components import topic_rules
from nlp.components.docfacts import wrapped
from nlp.components.topic_combinations import CombinationFinder
from nlp.types import TopicDefinition

SPAN_KEY = "topics"
ARRAYS_KEY = "jcpp_topic_arrays"
RULES_VERSION = "jcpp.topic_patterns.v1"


def topic_patterns_v1() -> dict[str, Any]:
    """The disambiguation rules shared by every topic list (see `topic_rules`)."""
    return topic_rules.default_rules()


registry.misc.register(RULES_VERSION, func=topic_patterns_v1)


class TopicMatcher:
    """Finds topic mentions and scores topics per document (see the module's docstring)."""

    def __init__(self, nlp: Language, name: str, rules: dict[str, Any], threshold: float) -> None:
        self.name = name
        self.nlp = nlp
        self.rules = rules
        self.threshold = threshold
        self.topics: tuple[TopicDefinition, ...] = ()
        self.slugs: frozenset[str] = frozenset()
        self.matcher = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.exact = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.exclusions = PhraseMatcher(nlp.vocab, attr="LEMMA")
        self.terms: dict[int, tuple[str, str, float]] = {}  # match id → (slug, term, strength)
        self.context = topic_rules.ContextRules(rules)
        self.combinations = CombinationFinder((), self._lemma_hashes)
        spec = rules["language_list"]
        self.languages = PhraseMatcher(nlp.vocab, attr="LOWER")
        self.languages.add("language", [nlp.make_doc(w) for w in spec["languages"]])
        self.language_cues = frozenset(spec["cues"])

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]] | None = None,
        *,
        nlp: Language | None = None,
    ) -> None:
        if not self.topics:
            self.set_topics(taxonomy.default_topics())

    def set_topics(self, topics: Sequence[TopicDefinition]) -> None:
        """Replace the topic list (from the database, say) and rebuild the patterns."""
        self.topics = tuple(topics)
        self.slugs = frozenset(t.slug for t in self.topics)
        self.matcher = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.exact = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self.exclusions = PhraseMatcher(self.nlp.vocab, attr="LEMMA")
        self.terms = {}
        for topic in self.topics:
            for raw in topic.terms:
                term, strength = taxonomy.split_term(raw)
                if term:
                    self._add_term(topic.slug, term, strength)
            phrases = [
                self._lemma_doc(v) for e in topic.exclusions if e.strip() for v in wrapped(e)
            ]
            if phrases:
                self.exclusions.add(topic.slug, phrases)
        self.combinations = CombinationFinder(
            self.rules.get("combinations", ()), self._lemma_hashes
        )

    def _lemma_hashes(self, word: str) -> list[int]:
        """The hashes of a listed word's lower-case form and, for one token, of its lemma."""
        strings = self.nlp.vocab.strings
        doc = self._lemma_doc(word)
        lemma = [strings.add(doc[0].lemma_)] if len(doc) == 1 and doc[0].lemma_ else []
        return [strings.add(word.lower()), *lemma]

    def _lemma_doc(self, text: str) -> Doc:
        doc = self.nlp.make_doc(text)
        for name, proc in self.nlp.pipeline:
            if name == self.name:
                break
            if "lemma" in name:
                doc = proc(doc)
        return doc

    def _add_term(self, slug: str, term: str, strength: float) -> None:
        key = f"{slug}\t{term}"
        match_id = self.nlp.vocab.strings.add(key)
        self.terms[match_id] = (slug, term, strength)
        pattern = self._lemma_doc(term)
        # A one-word term written in an inflected form ("trafficked", "stops") means that form:
        # its lemma may be another word ("traffic", "stop").
        if len(pattern) == 1 and pattern[0].lemma_ != pattern[0].lower_:
            self.exact.add(key, [pattern])
        else:
            self.matcher.add(key, [pattern, *(self._lemma_doc(v) for v in wrapped(term)[1:])])

    def _candidates(self, doc: Doc, arrays: topic_rules.DocArrays) -> list[tuple[Span, str, float]]:
        vetoed: dict[str, list[tuple[int, int]]] = {}
        for match_id, start, end in self.exclusions(doc):
            vetoed.setdefault(doc.vocab.strings[match_id], []).append((start, end))
        people = {i for span in doc.spans.get("people", ()) for i in range(span.start, span.end)}
        found = []
        terms = self.terms
        for match_id, start, end in [*self.matcher(doc), *self.exact(doc)]:
            slug, term, strength = terms[match_id]
            if vetoed:
                places = vetoed.get(slug)
                if places and any(s < end and start < e for s, e in places):
                    continue
            if people and not people.isdisjoint(range(start, end)):
                continue
            if end - start > 2 and arrays.bounds(start)[1] < end:
                continue  # wrapped across the end of a sentence or line item
            found.append((Span(doc, start, end, label=slug), term, strength))
        found += self._language_lists(doc, arrays)
        # Combinations come after: a sentence-wide description stands beside the terms in it.
        described = self.combinations.find(doc, arrays.lemmas, arrays.sent_starts, self.slugs)
        return topic_rules.drop_nested(found) + described

    def _language_lists(
        self, doc: Doc, arrays: topic_rules.DocArrays
    ) -> list[tuple[Span, str, float]]:
        """A sentence naming two or more languages, with English or a cue word (see rules)."""
        spec = self.rules["language_list"]
        if spec["slug"] not in self.slugs:
            return []
        by_sentence: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for _, start, end in self.languages(doc):
            by_sentence.setdefault(arrays.bounds(start), []).append((start, end))
        strings = doc.vocab.strings
        found = []
        for (first, last), names in by_sentence.items():
            languages = {doc[start:end].text.lower() for start, end in names}
            if len(languages) < 2:
                continue
            lemmas = {strings[h] for h in arrays.lemmas[first:last].tolist()}
            if "english" in languages or lemmas & self.language_cues:
                span = Span(doc, names[0][0], names[-1][1], label=spec["slug"])
                found.append((span, "language list", float(spec["weight"])))
        return found

    def __call__(self, doc: Doc) -> Doc:
        sections = topic_rules.SectionIndex(doc.spans.get("sections", ()))
        arrays = topic_rules.DocArrays.of(doc, share=True)
        # The classifier after this component reads the same arrays (and takes them away).
        doc.user_data[ARRAYS_KEY] = arrays
        mentions: list[Span] = []
        weights: list[float] = []
        matched: list[str] = []
        context = self.context
        member_training = self._member_training
        training = member_training["from"]
        for span, term, strength in self._candidates(doc, arrays):
            info = context.sentence(doc, arrays.bounds(span.start), arrays)
            weight = context.weight(span, strength, info, sections, arrays)
            if weight <= 0:
                continue
            if span.label_ == training and context.is_member_training(info):
                span = Span(doc, span.start, span.end, label=member_training["to"])
                weight = float(member_training["weight"])
            mentions.append(span)
            weights.append(weight)
            matched.append(term)
        doc.spans[SPAN_KEY] = mentions
        group = doc.spans[SPAN_KEY]
        # Per mention, in the group's order: spaCy keeps `span._` values per character range,
        # so two topics matched on the same words would share one extension value.
        group.attrs["weights"] = weights
        group.attrs["matched"] = matched
        group.attrs["scores"] = topic_rules.score_topics(mentions, weights, self.rules)
        group.attrs["threshold"] = self.threshold
        return doc

    @property
    def _member_training(self) -> dict[str, Any]:
        spec: dict[str, Any] = self.rules["member_training"]
        return spec

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return _dumps({"topics": [asdict(t) for t in self.topics]})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> TopicMatcher:
        items = _loads(data)["topics"]
        self.set_topics(taxonomy.topics_from_data({"topics": items}))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        Path(path, "topics.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TopicMatcher:
        return self.from_bytes(Path(path, "topics.msgpack").read_bytes())


@Language.factory(
    "jcpp_topics",
    assigns=["doc.spans"],
    requires=["token.lemma", "token.is_sent_start", "doc.spans"],
    default_config={"rules": {"@misc": RULES_VERSION}, "threshold": 0.5},
)
def make_topic_matcher(
    nlp: Language, name: str, rules: dict[str, Any], threshold: float
) -> TopicMatcher:
    return TopicMatcher(nlp, name, rules, threshold)


def _dumps(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def _loads(data: bytes) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(data.decode("utf-8"))
    return content
