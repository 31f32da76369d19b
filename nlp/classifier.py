"""The trained topic classifier: spaCy's `textcat_multilabel` (bag of words) over sentences.

The rules of `jcpp_topics` find a topic where one of its terms is written; the classifier reads
whole sentences and proposes topics that people describe in their own words ("residents say they
do not feel comfortable calling the police"). It is trained on lemmatised sentences:

- the project's labelled passages (`nlp/data/train/*.jsonl`, `{"text", "topics"}`);
- the sentences of the dev part of the labelled minutes (`nlp/data/eval`): a sentence holding a
  gold topic's evidence or a gold concern is an example of those topics; every other sentence is
  an example against the topics its document does not have (the others stay unknown, since gold
  quotes one piece of evidence per topic);
- in a deployment, what people reviewed: a confirmed mention's sentence for its topic, a rejected
  one's against it (`jcpp nlp train`).

`jcpp_topic_model` runs after `jcpp_topics`: each sentence the classifier scores at or above the
threshold for a topic becomes a mention with `kb_id` "model" and the matched word "model", weighed
by its probability; and the document's topic scores are computed again over all mentions. The
classifier only adds: it once also weakened a rule's weak mention in a sentence it scored below
0.05 for the topic, which helped on the dev minutes it was trained with (cross-validated topic
F1 0.908 → 0.917) but cost recall on real minutes it had never seen. With no classifier the
component does nothing.

A model is stored as one msgpack blob (format, version, labels, spaCy's bytes), in the database
(`nlp_model.artifact`) or a folder (`model.bin`). The shipped model is trained from the project's
data on first use and kept in a cache folder, keyed by a fingerprint of that data and the code.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import random
import secrets
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import numpy
import spacy
import srsly
from spacy.about import __version__ as spacy_version
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.training import Example
from thinc.api import fix_random_seed

from nlp import taxonomy
from nlp.components import topic_rules
from nlp.components.topics import ARRAYS_KEY, SPAN_KEY

FORMAT = "jcpp.topic_classifier.v1"
DATA_DIR = Path(__file__).parent / "data"
TRAIN_DIR = DATA_DIR / "train"
MODEL_FILE = "model.bin"
SOURCE = "model"
NGRAM_SIZE = 2
EPOCHS = 12
BATCH_SIZE = 64
MIN_WORDS = 3
BATCH_DOCS = 32  # documents whose sentences are classified in one prediction
TEXTCAT_CONFIG = {
    "model": {
        "@architectures": "spacy.TextCatBOW.v3",
        "exclusive_classes": False,
        "ngram_size": NGRAM_SIZE,
        "no_output_layer": False,
        "length": 2**16,
    },
    "threshold": 0.5,
}


@dataclass(frozen=True)
class TrainingExample:
    """Lemmas of a sentence or passage and what it is known to be about: 1.0 for a topic it
    touches, 0.0 for one it does not; a topic left out is unknown."""

    words: tuple[str, ...]
    cats: dict[str, float]


def bow_features(
    ops: Any, words: numpy.ndarray, sizes: numpy.ndarray, ngram_size: int
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """What spaCy's `extract_ngrams` layer gives for docs of these words, computed for the whole
    batch at once instead of one `unique` per sentence. `words` holds the string hashes of the
    sentences' words one after another, `sizes` how many each has. Per sentence: its distinct
    1..n-gram keys in ascending order, their counts, and how many there are."""
    words = numpy.ascontiguousarray(words, dtype=numpy.uint64)
    owner = numpy.repeat(numpy.arange(len(sizes)), sizes)
    keys, owners = [words], [owner]
    for n in range(2, ngram_size + 1):
        if len(words) < n:
            break
        grams = ops.ngrams(n, words)  # every window of the batch, hashed as thinc does
        inside = owner[: len(grams)] == owner[n - 1 :]  # the windows within one sentence
        keys.append(grams[inside])
        owners.append(owner[: len(grams)][inside])
    all_keys, all_owners = numpy.concatenate(keys), numpy.concatenate(owners)
    order = numpy.lexsort((all_keys, all_owners))
    all_keys, all_owners = all_keys[order], all_owners[order]
    new = numpy.ones(len(all_keys), dtype=bool)
    new[1:] = (all_keys[1:] != all_keys[:-1]) | (all_owners[1:] != all_owners[:-1])
    firsts = numpy.flatnonzero(new)
    counts = numpy.diff(numpy.append(firsts, len(all_keys))).astype("f")
    lengths = numpy.bincount(all_owners[firsts], minlength=len(sizes)).astype(numpy.int32)
    return all_keys[firsts], counts, lengths


class _Words:
    """Stands for a Doc where the bag-of-words model reads one: its n-gram layer only asks for
    `doc.to_array([ORTH])`, the hashes of the words, and a Doc made of these lemmas would
    give exactly these (a string's hash does not depend on the store)."""

    __slots__ = ("keys",)

    def __init__(self, keys: numpy.ndarray) -> None:
        self.keys = numpy.ascontiguousarray(keys, dtype="uint64")

    def to_array(self, attrs: object) -> numpy.ndarray:
        return self.keys


@dataclass
class TopicClassifier:
    """A trained `textcat_multilabel` and what describes it."""

    language: Language
    version: str
    labels: tuple[str, ...]
    trained_on: int = 0
    metrics: dict[str, Any] = field(default_factory=dict)

    def predict(self, sentences: Sequence[Sequence[str]]) -> numpy.ndarray:
        """Per sentence (a sequence of lemmas), the probability of each label, in `labels` order."""
        strings = self.language.vocab.strings
        return self.predict_keys(
            [numpy.array([strings.as_int(w) for w in words], dtype="uint64") for words in sentences]
        )

    def predict_keys(self, sentences: Sequence[numpy.ndarray]) -> numpy.ndarray:
        """As `predict`, for sentences given as the string hashes of their lemmas (what the
        pipeline's `LEMMA` arrays hold): no Doc is built and no string looked up."""
        sizes = numpy.array([len(keys) for keys in sentences], dtype=numpy.int64)
        if not len(sentences):
            return self.predict_words(numpy.zeros(0, dtype=numpy.uint64), sizes)
        return self.predict_words(numpy.concatenate(sentences), sizes)

    def predict_words(self, words: numpy.ndarray, sizes: numpy.ndarray) -> numpy.ndarray:
        """As `predict_keys`, for the sentences' hashes one after another in `words`, `sizes`
        words each."""
        if not len(sizes):
            return numpy.zeros((0, len(self.labels)), dtype="f")
        model = cast(Any, self.language.get_pipe("textcat_multilabel")).model
        layers = {node.name: node for node in model.walk()}
        if model.name.endswith(">>with_cpu(logistic)") and "extract_ngrams" in layers:
            # The bag-of-words model is n-gram keys >> sparse linear >> logistic: the keys
            # of the whole batch at once, then its own two layers.
            size = int(layers["extract_ngrams"].attrs["ngram_size"])
            features = bow_features(model.ops, words, sizes, size)
            scores = model.ops.sigmoid(model.get_ref("output_layer").predict(features))
        else:
            cuts = numpy.cumsum(sizes)[:-1]
            scores = model.predict([_Words(keys) for keys in numpy.split(words, cuts)])
        return numpy.asarray(model.ops.to_numpy(scores))

    def to_bytes(self) -> bytes:
        content = {
            "format": FORMAT,
            "version": self.version,
            "labels": list(self.labels),
            "trained_on": self.trained_on,
            "metrics": self.metrics,
            "spacy": self.language.to_bytes(),
        }
        return cast(bytes, srsly.msgpack_dumps(content))

    @classmethod
    def from_bytes(cls, data: bytes) -> TopicClassifier:
        try:
            content = srsly.msgpack_loads(data)
        except Exception as error:  # msgpack raises several kinds on junk
            raise ValueError("not a topic classifier: the data cannot be read") from error
        if not isinstance(content, dict) or content.get("format") != FORMAT:
            raise ValueError(f"not a topic classifier of format {FORMAT}")
        labels = tuple(str(label) for label in content["labels"])
        language = _blank_classifier(labels)
        language.from_bytes(content["spacy"])
        return cls(
            language=language,
            version=str(content["version"]),
            labels=labels,
            trained_on=int(content.get("trained_on", 0)),
            metrics=dict(content.get("metrics") or {}),
        )

    def to_disk(self, folder: str | Path) -> Path:
        """Write `model.bin` into the folder (made if missing); returns its path."""
        path = Path(folder) / MODEL_FILE
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_atomically(path, self.to_bytes())
        return path

    @classmethod
    def from_disk(cls, folder: str | Path) -> TopicClassifier:
        path = Path(folder) / MODEL_FILE
        if not path.is_file():
            raise FileNotFoundError(f"no trained topic classifier at {path}")
        return cls.from_bytes(path.read_bytes())


def _blank_classifier(labels: Sequence[str]) -> Language:
    language = spacy.blank("en")
    textcat = language.add_pipe("textcat_multilabel", config=TEXTCAT_CONFIG)
    for label in labels:
        textcat.add_label(label)  # type: ignore[attr-defined]
    return language


def train(
    examples: Sequence[TrainingExample],
    labels: Sequence[str],
    *,
    version: str,
    epochs: int = EPOCHS,
    seed: int = 0,
    progress: Callable[[int, float], None] | None = None,
) -> TopicClassifier:
    """Train a classifier of `labels` on the examples (the same data and seed give the same
    model). `progress(epoch, loss)` is called after each pass."""
    labels = sorted(set(labels))
    kept = [e for e in examples if e.words and any(slug in labels for slug in e.cats)]
    if not kept:
        raise ValueError("no training examples for these topics")
    fix_random_seed(seed)
    language = _blank_classifier(labels)
    vocab = language.vocab
    samples = [
        Example.from_dict(
            Doc(vocab, words=list(e.words)),
            {"cats": {slug: value for slug, value in e.cats.items() if slug in labels}},
        )
        for e in kept
    ]
    optimizer = language.initialize(lambda: samples)
    textcat = cast(Any, language.get_pipe("textcat_multilabel"))
    shuffler = random.Random(seed)  # noqa: S311  (the order of examples, not a secret)
    for epoch in range(epochs):
        shuffler.shuffle(samples)
        losses: dict[str, float] = {}
        for first in range(0, len(samples), BATCH_SIZE):
            batch = samples[first : first + BATCH_SIZE]
            # The pipe's own update: `Language.update` would copy every example first.
            textcat.update(batch, sgd=optimizer, drop=0.1, losses=losses)
        if progress is not None:
            progress(epoch + 1, losses.get("textcat_multilabel", 0.0))
    return TopicClassifier(
        language=language, version=version, labels=tuple(labels), trained_on=len(kept)
    )


# ---------------------------------------------------------------- sentences as the model reads them


def sentence_ranges(doc: Doc, arrays: topic_rules.DocArrays) -> list[tuple[int, int]]:
    """Token ranges of the doc's sentences."""
    starts = [int(s) for s in arrays.sent_starts]
    return [(s, e) for s, e in zip(starts, [*starts[1:], len(doc)], strict=True) if e > s]


def sentence_words(doc: Doc, arrays: topic_rules.DocArrays, start: int, end: int) -> list[str]:
    """The lemmas of a sentence's words (punctuation, spaces and numbers left out)."""
    strings = doc.vocab.strings
    lemmas = arrays.lemmas[start:end][arrays.alphas[start:end]]
    return [strings[int(h)] for h in lemmas.tolist()]


def passage_words(language: Language, text: str) -> list[str]:
    """The lemmas of a passage, through the tokenizer and lemmatizer of a jcpp pipeline."""
    doc = language.make_doc(text)
    for name, proc in language.pipeline:
        doc = proc(doc)
        if "lemma" in name:
            break
    return [token.lemma_ for token in doc if token.is_alpha]


# ---------------------------------------------------------------- the component


@dataclass
class _Sentences:
    """The sentences of one document the classifier reads: their token ranges, the hashes of
    their lemmas one after another (`sizes` words each), the document's arrays, the scores."""

    arrays: topic_rules.DocArrays
    ranges: list[tuple[int, int]]
    words: numpy.ndarray
    sizes: numpy.ndarray
    scores: numpy.ndarray | None = None


class TopicModelProposer:
    """`jcpp_topic_model`: topic mentions from the classifier (see the module's docstring).

    Every sentence of at least MIN_WORDS words is classified (sentences are scored one by one,
    so which others are in the batch changes nothing); only those with a topic at the threshold
    are then checked for procedure or attendance, which get no mention."""

    def __init__(self, nlp: Language, name: str, threshold: float, weight: float) -> None:
        self.nlp = nlp
        self.name = name
        self.threshold = threshold
        self.weight = weight
        self.classifier: TopicClassifier | None = None

    def __call__(self, doc: Doc) -> Doc:
        self._apply(doc, self._prepare(doc))
        return doc

    def pipe(self, docs: Iterable[Doc], *, batch_size: int = BATCH_DOCS) -> Iterator[Doc]:
        """As __call__, with one prediction for the sentences of a batch of documents."""
        batch: list[Doc] = []
        for doc in docs:
            batch.append(doc)
            if len(batch) == batch_size:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, docs: list[Doc]) -> list[Doc]:
        prepared = [self._prepare(doc) for doc in docs]
        found = [item for item in prepared if item is not None]
        if self.classifier is None or not found:
            return docs
        scores = self.classifier.predict_words(
            numpy.concatenate([item.words for item in found]),
            numpy.concatenate([item.sizes for item in found]),
        )
        first = 0
        for doc, item in zip(docs, prepared, strict=True):
            if item is not None:
                item.scores = scores[first : first + len(item.sizes)]
                first += len(item.sizes)
                self._apply(doc, item)
        return docs

    def _prepare(self, doc: Doc) -> _Sentences | None:
        """The sentences of a document the classifier reads (None: nothing to do)."""
        cached = doc.user_data.pop(ARRAYS_KEY, None)
        if self.classifier is None or not len(doc) or SPAN_KEY not in doc.spans:
            return None
        arrays = cached if cached is not None else topic_rules.DocArrays.of(doc)
        starts = arrays.sent_starts
        lengths = numpy.diff(numpy.append(starts, len(doc)))
        counts = numpy.add.reduceat(arrays.alphas.astype(numpy.int64), starts)
        kept = counts >= MIN_WORDS
        if not kept.any():
            return None
        chosen = arrays.alphas & numpy.repeat(kept, lengths)
        ranges = zip(starts[kept].tolist(), (starts + lengths)[kept].tolist(), strict=True)
        return _Sentences(arrays, list(ranges), arrays.lemmas[chosen], counts[kept])

    def _apply(self, doc: Doc, found: _Sentences | None) -> None:
        """Add the mentions of the sentences scored at or above the threshold; score again."""
        classifier = self.classifier
        if found is None or classifier is None:
            return
        matcher = cast(Any, self.nlp.get_pipe("jcpp_topics"))
        wanted = [j for j, label in enumerate(classifier.labels) if label in matcher.slugs]
        if not wanted:
            return
        scores = found.scores
        if scores is None:
            scores = classifier.predict_words(found.words, found.sizes)
        group = doc.spans[SPAN_KEY]
        mentions = list(group)
        weights = list(group.attrs.get("weights") or [1.0] * len(mentions))
        matched = list(group.attrs.get("matched") or [""] * len(mentions))
        # Sentence by sentence, labels in order: the (sentence, label) pairs at the threshold.
        for k, column in numpy.argwhere(scores[:, wanted] >= self.threshold).tolist():
            start, end = found.ranges[k]
            info = matcher.context.sentence(doc, (start, end), found.arrays)
            if info.kind in ("procedure", "attendance"):
                continue
            start, end = _trimmed(doc, found.arrays, start, end)
            j = wanted[column]
            mentions.append(Span(doc, start, end, label=classifier.labels[j], kb_id=SOURCE))
            weights.append(round(self.weight * float(scores[k, j]), 4))
            matched.append(SOURCE)
        doc.spans[SPAN_KEY] = mentions
        group = doc.spans[SPAN_KEY]
        group.attrs["weights"] = weights
        group.attrs["matched"] = matched
        group.attrs["scores"] = topic_rules.score_topics(mentions, weights, matcher.rules)
        group.attrs["threshold"] = matcher.threshold

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        folder = Path(path)
        folder.mkdir(parents=True, exist_ok=True)
        if self.classifier is not None:
            self.classifier.to_disk(folder)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> TopicModelProposer:
        folder = Path(path)
        self.classifier = (
            TopicClassifier.from_disk(folder) if (folder / MODEL_FILE).is_file() else None
        )
        return self


def _trimmed(doc: Doc, arrays: topic_rules.DocArrays, start: int, end: int) -> tuple[int, int]:
    """The sentence without leading and trailing white-space tokens."""
    while start < end and arrays.spaces[start]:
        start += 1
    while end > start and arrays.spaces[end - 1]:
        end -= 1
    return start, end


@Language.factory(
    "jcpp_topic_model",
    assigns=["doc.spans"],
    requires=["doc.spans"],
    default_config={"threshold": 0.5, "weight": 0.6},
)
def make_topic_model(
    nlp: Language, name: str, threshold: float, weight: float
) -> TopicModelProposer:
    return TopicModelProposer(nlp, name, threshold, weight)


# ---------------------------------------------------------------- training data


def read_passages(folder: Path = TRAIN_DIR) -> list[dict[str, Any]]:
    """The labelled passages of every `*.jsonl` file of a folder."""
    rows: list[dict[str, Any]] = []
    for path in sorted(folder.glob("*.jsonl")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if not line.strip():
                continue
            row = json.loads(line)
            if not isinstance(row.get("text"), str) or not isinstance(row.get("topics"), list):
                raise ValueError(f"{path.name}:{number}: a passage needs text and topics")
            rows.append(row)
    return rows


def passage_examples(
    language: Language, passages: Iterable[dict[str, Any]], labels: Sequence[str]
) -> list[TrainingExample]:
    """A passage is an example of its topics and against every other label."""
    examples = []
    for row in passages:
        topics = set(row["topics"])
        cats = {slug: float(slug in topics) for slug in labels}
        examples.append(TrainingExample(tuple(passage_words(language, row["text"])), cats))
    return examples


def document_examples(
    doc: Doc, gold: dict[str, Any], text: str, labels: Sequence[str]
) -> list[TrainingExample]:
    """Examples from one labelled minutes document (see the module's docstring)."""
    evidence: list[tuple[int, int, set[str]]] = []
    for topic in gold.get("topics", ()):
        evidence.extend(_quoted(text, topic.get("evidence", ""), {topic["slug"]}))
    for concern in gold.get("concerns", ()):
        evidence.extend(_quoted(text, concern.get("text", ""), set(concern.get("topics", ()))))
    present = {topic["slug"] for topic in gold.get("topics", ())}
    absent = {slug: 0.0 for slug in labels if slug not in present}
    arrays = topic_rules.DocArrays.of(doc)
    examples = []
    for start, end in sentence_ranges(doc, arrays):
        words = sentence_words(doc, arrays, start, end)
        if len(words) < MIN_WORDS:
            continue
        first, last = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
        slugs: set[str] = set()
        for s, e, topics in evidence:
            if s < last and first < e:
                slugs |= topics
        cats = dict(absent)
        cats.update({slug: 1.0 for slug in slugs if slug in labels})
        examples.append(TrainingExample(tuple(words), cats))
    return examples


def _quoted(text: str, quote: str, slugs: set[str]) -> list[tuple[int, int, set[str]]]:
    start = text.find(quote) if quote else -1
    return [(start, start + len(quote), slugs)] if start >= 0 else []


def project_examples(
    pipeline: Any, labels: Sequence[str], *, minutes: bool = True
) -> list[TrainingExample]:
    """The project's own examples: the labelled passages and (with `minutes`) the dev part of
    the labelled minutes, never the test part."""
    from nlp import evaluate as ev

    language = pipeline.language
    examples = passage_examples(language, read_passages(), labels)
    if not minutes:
        return examples
    gold_dir = DATA_DIR / "eval" / "gold"
    pairs = ev.read_gold(gold_dir, None, ev.split_names("dev"))
    docs = pipeline.docs([text for _, text in pairs])
    for (gold, text), (doc, _) in zip(pairs, docs, strict=True):
        examples.extend(document_examples(doc, gold, text, labels))
    return examples


# ---------------------------------------------------------------- the shipped model


@functools.cache
def project_fingerprint() -> str:
    """What the shipped model depends on: its training data, this module and the pipeline."""
    from nlp.pipeline import PIPELINE_VERSION

    digest = hashlib.sha256()
    digest.update(f"{FORMAT}\n{PIPELINE_VERSION}\n{spacy_version}\n".encode())
    digest.update(Path(__file__).read_bytes())
    files = [*sorted(TRAIN_DIR.glob("*.jsonl")), DATA_DIR / "eval" / "split.json"]
    files += sorted((DATA_DIR / "eval" / "gold").glob("*.json"))
    files += sorted((DATA_DIR / "eval" / "docs").glob("*.txt"))
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_dir() -> Path:
    """Where the shipped model is kept: `JCPP_NLP_CACHE`, else the user's cache folder."""
    configured = os.environ.get("JCPP_NLP_CACHE")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "jcpp" / "nlp"


_shipped: dict[str, TopicClassifier] = {}


def shipped_version() -> str:
    """The version of the shipped model: a fingerprint of what it is trained from."""
    return f"shipped-{project_fingerprint()}"


def shipped_classifier(pipeline: Any) -> TopicClassifier:
    """The model trained from the project's own examples for the default topic list (trained
    once, then read from the cache). `pipeline` is a rules-only pipeline to read them with."""
    version = shipped_version()
    if version in _shipped:
        return _shipped[version]
    folder = cache_dir() / version
    try:
        classifier = TopicClassifier.from_disk(folder)
    except (FileNotFoundError, ValueError):
        print("jcpp: training the shipped topic classifier (once) …", file=sys.stderr)
        labels = [topic.slug for topic in taxonomy.default_topics()]
        classifier = train(project_examples(pipeline, labels), labels, version=version)
        try:
            classifier.to_disk(folder)
        except OSError as error:
            print(
                f"jcpp: could not keep the topic classifier in {folder}: {error}", file=sys.stderr
            )
    _shipped[version] = classifier
    return classifier


def _write_atomically(path: Path, data: bytes) -> None:
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=".model-")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(name, path)
    except BaseException:
        Path(name).unlink(missing_ok=True)
        raise


def new_version(now: dt.datetime | None = None) -> str:
    """A version for a newly trained model: when it was trained, and a random suffix."""
    moment = now or dt.datetime.now(dt.UTC)
    return f"{moment:m%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"
