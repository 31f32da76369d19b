"""Building the spaCy pipeline and running it over minutes.

The pipeline is `spacy.blank("en")` plus, in order: `jcpp_lemmatizer` (lookup lemmas on the
lower-case form, broken words rejoined), `jcpp_segmenter` (sentences of minutes),
`jcpp_structure` (sections), `jcpp_people` (names), `jcpp_topics` (topic mentions and scores),
`jcpp_concerns` and `jcpp_actions`. Keywords are scored over all the documents of one call,
after the pipeline.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_prefix_regex

from nlp import keywords as kw
from nlp.classifier import TopicClassifier, TopicModelProposer, shipped_classifier
from nlp.components import (  # noqa: F401  (importing the modules registers the factories)
    TEXT_KEY,
    actions,
    concerns,
    lemmas,
    people,
    segment,
    structure,
    topics,
)
from nlp.components.lemmas import LowerLookupLemmatizer
from nlp.components.people import PersonFinder
from nlp.components.topics import TopicMatcher
from nlp.convert import doc_to_analysis
from nlp.types import Analysis, TopicDefinition

PIPELINE_VERSION = "2026.12.17"
# Texts longer than this are analysed up to it, with a warning (1 MB of minutes is far past real).
MAX_CHARS = 2_000_000
LONG_RUN = 64
LONG_RUN_PATTERN = re.compile(rf"\S{{{LONG_RUN + 1},}}")
SURROGATE = re.compile("[\ud800-\udfff]")
# A list number glued to the item's first word in PDF text ("4.Chief Ortiz will …") is a token
# of its own, as spaCy makes "d." of "d.Commissioner"; "3.5", "No.5", "J.Smith" stay one token.
GLUED_NUMBER = r"[0-9]{1,2}\.(?=[A-Z][a-z])"
# So is a dash or bullet glued to a capitalised word ("-Will set agenda …", "•Chief Ortiz …").
GLUED_BULLET = r"[-•](?=[A-Z])"
# And the end of a line break kept as markup ("<br />Tony", "<BR/>send").
GLUED_BREAK = r"(?:[bB][rR])?/>"


def build_language(
    topic_list: Sequence[TopicDefinition] | None = None, roster: Sequence[str] = ()
) -> Language:
    """A fresh, initialised spaCy pipeline for the topic list (the default one when None)."""
    nlp = spacy.blank("en")
    nlp.max_length = MAX_CHARS + 1
    prefixes = [GLUED_NUMBER, GLUED_BULLET, GLUED_BREAK, *(nlp.Defaults.prefixes or ())]
    cast(Any, nlp.tokenizer).prefix_search = compile_prefix_regex(prefixes).search
    nlp.add_pipe("jcpp_lemmatizer")
    nlp.add_pipe("jcpp_segmenter")
    nlp.add_pipe("jcpp_structure")
    nlp.add_pipe("jcpp_people")
    nlp.add_pipe("jcpp_topics")
    nlp.add_pipe("jcpp_topic_model")
    nlp.add_pipe("jcpp_concerns")
    nlp.add_pipe("jcpp_actions")
    nlp.initialize()
    if topic_list is not None:
        cast(TopicMatcher, nlp.get_pipe("jcpp_topics")).set_topics(topic_list)
    cast(PersonFinder, nlp.get_pipe("jcpp_people")).set_roster(roster)
    return nlp


def make_doc(language: Language, text: str) -> Doc:
    """The tokenised text. spaCy's tokenizer takes time quadratic in the length of a run without
    white space full of prefixes or suffixes ("<<<<…", binary junk); such runs are cut into
    pieces of LONG_RUN characters first, so any text is tokenised in linear time."""
    # (Splitting at white space, which is `\s`'s, finds out faster than the pattern whether
    # there is such a run.)
    if max(map(len, text.split()), default=0) <= LONG_RUN:
        return language.make_doc(text)
    words: list[str] = []
    spaces: list[bool] = []
    position = 0
    for match in LONG_RUN_PATTERN.finditer(text):
        _add_tokens(language.make_doc(text[position : match.start()]), words, spaces)
        run = match.group()
        for k in range(0, len(run), LONG_RUN):
            words.append(run[k : k + LONG_RUN])
            spaces.append(False)
        position = match.end()
    _add_tokens(language.make_doc(text[position:]), words, spaces)
    return _with_trailing_spaces(language, words, spaces)


def _add_tokens(doc: Doc, words: list[str], spaces: list[bool]) -> None:
    for token in doc:
        words.append(token.text)
        spaces.append(bool(token.whitespace_))


def _with_trailing_spaces(language: Language, words: list[str], spaces: list[bool]) -> Doc:
    """A Doc from words; a run followed by one space takes it as its trailing white space."""
    merged_words: list[str] = []
    merged_spaces: list[bool] = []
    for word, space in zip(words, spaces, strict=True):
        if word == " " and merged_words and not merged_spaces[-1]:
            merged_spaces[-1] = True
            continue
        merged_words.append(word)
        merged_spaces.append(space)
    return Doc(language.vocab, words=merged_words, spaces=merged_spaces)


@dataclass
class Pipeline:
    """A loaded pipeline: the spaCy `Language` stays inside `nlp/`."""

    language: Language
    topics: tuple[TopicDefinition, ...]
    version: str = PIPELINE_VERSION
    model_version: str | None = None
    stop_lemmas: frozenset[int] = field(default_factory=frozenset)
    known_words: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        self.stop_lemmas = kw.stop_lemma_hashes(self.language.vocab)
        lemmatizer = cast(LowerLookupLemmatizer, self.language.get_pipe("jcpp_lemmatizer"))
        self.known_words = lemmatizer.words
        proposer = cast(TopicModelProposer, self.language.get_pipe("jcpp_topic_model"))
        if proposer.classifier is not None and self.model_version is None:
            self.model_version = proposer.classifier.version

    def use_classifier(self, classifier: TopicClassifier | None) -> None:
        """Let the topic classifier propose mentions (None: the rules alone)."""
        proposer = cast(TopicModelProposer, self.language.get_pipe("jcpp_topic_model"))
        proposer.classifier = classifier
        self.model_version = classifier.version if classifier is not None else None

    def docs(
        self,
        texts: Sequence[str],
        *,
        dates: Sequence[dt.date | None] | None = None,
        roster: Sequence[str] = (),
    ) -> list[tuple[Doc, list[str]]]:
        """The processed docs with the warnings of each."""
        prepared = []
        for k, text in enumerate(texts):
            warnings: list[str] = []
            if len(text) > MAX_CHARS:
                warnings.append(f"text longer than {MAX_CHARS} characters: analysed up to there")
                text = text[:MAX_CHARS]
            if SURROGATE.search(text):
                # Lone surrogates cannot be stored by spaCy; one replacement character each
                # keeps every offset.
                warnings.append("unpaired surrogate characters replaced by U+FFFD")
                text = SURROGATE.sub("\ufffd", text)
            doc = make_doc(self.language, text)
            doc.user_data[TEXT_KEY] = text
            if dates and dates[k] is not None:
                doc.user_data["meeting_date"] = dates[k]
            if roster:
                doc.user_data["roster"] = list(roster)
            prepared.append((doc, warnings))
        processed = self.language.pipe(doc for doc, _ in prepared)
        return [(doc, warnings) for doc, (_, warnings) in zip(processed, prepared, strict=True)]

    def analyse(
        self,
        texts: Sequence[str],
        *,
        dates: Sequence[dt.date | None] | None = None,
        now: dt.date | None = None,
        roster: Sequence[str] = (),
    ) -> list[Analysis]:
        processed = self.docs(texts, dates=dates, roster=roster)
        counts = [kw.term_counts(doc, self.stop_lemmas, self.known_words) for doc, _ in processed]
        keywords = kw.score_documents(counts, dates=dates, now=now)
        return [
            doc_to_analysis(
                doc,
                keywords=keywords[k],
                pipeline_version=self.version,
                model_version=self.model_version,
                warnings=warnings,
            )
            for k, (doc, warnings) in enumerate(processed)
        ]


def load_pipeline(
    topic_list: Sequence[TopicDefinition] | None = None,
    *,
    model: bytes | TopicClassifier | None = None,
    model_dir: str | Path | None = None,
    shipped_model: bool = True,
    roster: Sequence[str] = (),
) -> Pipeline:
    """A pipeline for a topic list (the default list when None) and a roster of names.

    The topic classifier is `model` (a trained one, or its stored bytes), else the one
    `jcpp nlp train --output` wrote into `model_dir`, else the shipped one (unless
    `shipped_model` is False: rules alone).
    """
    language = build_language(topic_list, roster)
    chosen = cast(TopicMatcher, language.get_pipe("jcpp_topics")).topics
    pipeline = Pipeline(language=language, topics=chosen)
    if isinstance(model, bytes):
        classifier: TopicClassifier | None = TopicClassifier.from_bytes(model)
    elif model is not None:
        classifier = model
    elif model_dir is not None:
        classifier = TopicClassifier.from_disk(model_dir)
    elif shipped_model:
        classifier = shipped_classifier(pipeline)
    else:
        classifier = None
    pipeline.use_classifier(classifier)
    return pipeline
