"""The trained topic classifier: training, storing, proposing mentions the rules miss."""

from __future__ import annotations

from pathlib import Path

import pytest

import nlp
from nlp import classifier as model

TRUST = [
    "residents say they do not feel comfortable calling the police",
    "people in the neighborhood are afraid to call the police",
    "families do not feel comfortable talking to officers",
    "neighbors say calling the police makes things worse for them",
]
ROOM = [
    "members discussed moving the meeting to the library",
    "the group will meet in the library from now on",
    "members asked to meet in the library community room",
    "the meeting place moves to the library next month",
]
NEITHER = [
    "the meeting was called to order at six",
    "minutes of the last meeting were approved as written",
    "motion carried and the meeting was adjourned",
]
LABELS = ["community-trust", "committee-business"]


def examples() -> list[model.TrainingExample]:
    rows = [(text, {"community-trust"}) for text in TRUST]
    rows += [(text, {"committee-business"}) for text in ROOM]
    rows += [(text, set()) for text in NEITHER]
    return [
        model.TrainingExample(tuple(text.split()), {s: float(s in slugs) for s in LABELS})
        for text, slugs in rows
    ] * 4


@pytest.fixture(scope="module")
def trained() -> model.TopicClassifier:
    return model.train(examples(), LABELS, version="test-1", epochs=20)


def probabilities(classifier: model.TopicClassifier, text: str) -> dict[str, float]:
    (row,) = classifier.predict([text.split()])
    return {label: float(p) for label, p in zip(classifier.labels, row, strict=True)}


def test_training_learns_which_words_mean_which_topic(trained: model.TopicClassifier) -> None:
    trust = probabilities(trained, "residents are afraid to call the police")
    room = probabilities(trained, "members want to meet at the library")

    assert trust["community-trust"] > 0.5 > trust["committee-business"]
    assert room["committee-business"] > 0.5 > room["community-trust"]


def test_a_stored_classifier_predicts_the_same(
    trained: model.TopicClassifier, tmp_path: Path
) -> None:
    again = model.TopicClassifier.from_bytes(trained.to_bytes())
    from_folder = model.TopicClassifier.from_disk(trained.to_disk(tmp_path).parent)
    text = "residents are afraid to call the police"

    assert again.version == from_folder.version == "test-1"
    assert again.labels == tuple(sorted(LABELS))
    assert probabilities(again, text) == pytest.approx(probabilities(trained, text))
    assert probabilities(from_folder, text) == pytest.approx(probabilities(trained, text))


def test_batched_prediction_equals_spacys_own_model_on_docs(
    trained: model.TopicClassifier,
) -> None:
    from spacy.tokens import Doc

    sentences = [
        text.split() for text in [*TRUST, *ROOM, *NEITHER, "police", "x y", "the the the the"]
    ]
    textcat = trained.language.get_pipe("textcat_multilabel")
    docs = [Doc(trained.language.vocab, words=words) for words in sentences]
    expected = textcat.model.predict(docs)  # type: ignore[attr-defined]

    assert trained.predict(sentences) == pytest.approx(expected, abs=1e-6)
    # An empty sentence (spaCy's own n-gram layer fails on one) scores the same in any batch.
    empty, _ = trained.predict([[], ["police"]])
    assert empty == pytest.approx(trained.predict([[]])[0])
    assert trained.predict([]).shape == (0, len(LABELS))


def test_junk_is_not_taken_for_a_classifier(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="not a topic classifier"):
        model.TopicClassifier.from_bytes(b"\x00\x01 not msgpack at all")
    with pytest.raises(FileNotFoundError):
        model.TopicClassifier.from_disk(tmp_path)


def test_the_pipeline_proposes_what_the_classifier_reads_and_the_rules_miss(
    trained: model.TopicClassifier,
) -> None:
    # (No word of the body itself: "members … meet in the library" is a rule of its own.)
    text = "The group will meet in the library from now on. We will meet in the library."
    rules_only = nlp.load(shipped_model=False)
    with_model = nlp.load(model=trained.to_bytes())

    (before,) = nlp.analyse([text], pipeline=rules_only)
    (after,) = nlp.analyse([text], pipeline=with_model)

    assert "committee-business" not in {t.slug for t in before.topics}
    assert before.model_version is None
    assert after.model_version == "test-1"
    (topic,) = [t for t in after.topics if t.slug == "committee-business"]
    assert {(e.source, e.matched) for e in topic.evidence} == {("model", "model")}
    assert [e.sentence.text for e in topic.evidence] == [
        "The group will meet in the library from now on.",
        "We will meet in the library.",
    ]


def test_procedure_sentences_get_no_model_topics(trained: model.TopicClassifier) -> None:
    text = "Roll call: residents are afraid to call the police, said nobody."
    (analysis,) = nlp.analyse([text], pipeline=nlp.load(model=trained))

    assert analysis.topics == ()


def test_a_saved_pipeline_keeps_its_classifier(
    trained: model.TopicClassifier, tmp_path: Path
) -> None:
    import spacy

    pipeline = nlp.load(model=trained)
    pipeline.language.to_disk(tmp_path / "pipeline")
    loaded = nlp.Pipeline(language=spacy.load(tmp_path / "pipeline"), topics=pipeline.topics)
    text = "Neighbors are afraid to call the police."

    assert loaded.model_version == "test-1"
    assert nlp.analyse([text], pipeline=loaded) == nlp.analyse([text], pipeline=pipeline)


def test_the_shipped_classifier_is_trained_once_and_kept() -> None:
    pipeline = nlp.load()

    assert pipeline.model_version == model.shipped_version()
    assert (model.cache_dir() / model.shipped_version() / model.MODEL_FILE).is_file()
    assert nlp.load().model_version == pipeline.model_version


def test_passages_need_text_and_topics(tmp_path: Path) -> None:
    (tmp_path / "x.jsonl").write_text('{"text": "a"}\n', encoding="utf-8")

    with pytest.raises(ValueError, match="x.jsonl:1"):
        model.read_passages(tmp_path)


def test_the_project_passages_use_only_known_slugs() -> None:
    slugs = {t.slug for t in nlp.load(shipped_model=False).topics}
    passages = model.read_passages()

    assert len(passages) > 1000
    assert {slug for row in passages for slug in row["topics"]} <= slugs
