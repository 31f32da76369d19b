"""`jcpp nlp`: tag minutes files and measure the pipeline on labelled minutes.

The output of `tag` is a contract other tools rely on (issue 3): one JSON object per file per line,
offsets are character offsets into the file's text as read (UTF-8, undecodable bytes replaced,
line endings as Python's text mode reads them), and every `text` equals that slice.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import typer

nlp_app = typer.Typer(help="Topics, concerns and action items in minutes.", no_args_is_help=True)

DATABASE_HELP = "Use this database's topic list (and trained model) instead of the shipped ones."


def _read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def tag_record(file: str, analysis: Any) -> dict[str, Any]:
    """The JSON object `jcpp nlp tag` prints for one file."""

    def span(item: Any) -> dict[str, Any]:
        return {"start": item.start, "end": item.end, "text": item.text}

    topics = []
    for topic in analysis.topics:
        sentences: dict[tuple[int, int], dict[str, Any]] = {}
        for mention in topic.evidence:
            sentence = mention.sentence
            sentences.setdefault((sentence.start, sentence.end), span(sentence))
        topics.append(
            {"slug": topic.slug, "score": topic.score, "evidence": list(sentences.values())}
        )
    return {
        "file": file,
        "topics": topics,
        "concerns": [{**span(c), "topics": list(c.topics)} for c in analysis.concerns],
        "actions": [{**span(a), "owner": a.owner} for a in analysis.actions],
        "keywords": [{"term": k.term, "score": k.score} for k in analysis.keywords],
        "people": [span(p) for p in analysis.people],
    }


MODEL_DIR_HELP = "Use the topic classifier `jcpp nlp train --output` wrote into this folder."


def _pipeline(database_url: str | None, model_dir: Path | None = None) -> Any:
    import nlp

    if database_url is None:
        return nlp.load(model_dir=model_dir)
    topics, artifact = read_deployment(database_url)
    if model_dir is not None:
        return nlp.load(topics, model_dir=model_dir)
    return nlp.load(topics, model=artifact)


def read_deployment(database_url: str) -> tuple[list[Any], bytes | None]:
    """The topics of a deployment's database as the pipeline needs them (retired ones left out,
    merged ones' terms moved to their target) and its active trained classifier, if any."""
    import sqlalchemy as sa
    from sqlmodel import Session, col, select

    from jcpp.db import make_engine
    from jcpp.models import NlpModel
    from jcpp.topics.pipeline import topics_for_pipeline

    engine = make_engine(database_url)
    try:
        if not sa.inspect(engine).has_table("topic"):
            raise typer.BadParameter(
                "this database has no topic table yet (run `jcpp db upgrade`)",
                param_hint="--database-url",
            )
        with Session(engine) as session:
            topics = topics_for_pipeline(session)
            artifact = None
            if sa.inspect(engine).has_table("nlp_model"):
                artifact = session.exec(
                    select(NlpModel.artifact)
                    .where(col(NlpModel.active).is_(True))
                    .order_by(col(NlpModel.created_at).desc())
                ).first()
    finally:
        engine.dispose()
    if not topics:
        raise typer.BadParameter("this database has no active topics", param_hint="--database-url")
    return topics, artifact


@nlp_app.command()
def tag(
    files: list[Path] = typer.Argument(
        ..., help="Minutes as UTF-8 text files.", exists=True, dir_okay=False, readable=True
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_HELP),
    model_dir: Path | None = typer.Option(None, "--model-dir", help=MODEL_DIR_HELP),
) -> None:
    """Print one JSON object per file per line: topics, concerns, actions, keywords, people."""
    import nlp

    pipeline = _pipeline(database_url, model_dir)
    texts = [_read_text(path) for path in files]
    for path, analysis in zip(files, nlp.analyse(texts, pipeline=pipeline), strict=True):
        record = tag_record(str(path), analysis)
        sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")


@nlp_app.command()
def evaluate(
    gold_dir: Path = typer.Argument(
        ..., help="Folder of gold JSON files.", exists=True, file_okay=False
    ),
    minutes_dir: Path | None = typer.Option(
        None, "--minutes-dir", help="Folder of the minutes (default: beside the gold, or ../docs)."
    ),
    split: str | None = typer.Option(
        None, "--split", help="Only the `dev` or `test` part listed in nlp/data/eval/split.json."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_HELP),
    model_dir: Path | None = typer.Option(None, "--model-dir", help=MODEL_DIR_HELP),
) -> None:
    """Print precision, recall and F1 for topics (micro and per topic), concerns and actions."""
    import nlp
    from nlp import evaluate as ev

    only = ev.split_names(split) if split else None
    pairs = ev.read_gold(gold_dir, minutes_dir, only)
    if not pairs:
        raise typer.BadParameter(f"no gold files in {gold_dir}", param_hint="GOLD_DIR")
    analyses = nlp.analyse([text for _, text in pairs], pipeline=_pipeline(database_url, model_dir))
    report = ev.evaluate(pairs, analyses)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=1))
    else:
        typer.echo(ev.format_report(report))


@nlp_app.command()
def train(
    output: Path | None = typer.Option(
        None, "--output", help="Write the model into this folder instead of the database."
    ),
    epochs: int = typer.Option(12, "--epochs", min=1, max=100, help="Passes over the examples."),
    activate: bool = typer.Option(
        True, "--activate/--no-activate", help="Use the new model from now on."
    ),
    database_url: str | None = typer.Option(
        None, "--database-url", help="The deployment's database (default: the configured one)."
    ),
) -> None:
    """Train the topic classifier on the project's examples and the deployment's reviews."""
    from sqlmodel import Session

    from jcpp.analysis import training
    from jcpp.db import get_engine, make_engine

    engine = make_engine(database_url) if database_url else get_engine()

    def progress(epoch: int, loss: float) -> None:
        typer.echo(f"epoch {epoch:>3}/{epochs}  loss {loss:.3f}", err=True)

    try:
        with Session(engine, expire_on_commit=False) as session:
            result = training.train_classifier(session, epochs=epochs, progress=progress)
            if output is None:
                row = training.store_classifier(session, result, activate=activate)
                session.commit()
                where = f"stored in the database{' and active' if row.active else ''}"
            else:
                where = f"written to {result.classifier.to_disk(output)}"
    finally:
        if database_url:
            engine.dispose()
    figures = result.metrics["project_test"]["topics"]
    typer.echo(
        f"Topic classifier {result.classifier.version} {where}: trained on "
        f"{result.project_examples} project and {result.reviewed_examples} reviewed examples; "
        f"topics on the project's test minutes: precision {figures['precision']:.3f}, "
        f"recall {figures['recall']:.3f}, F1 {figures['f1']:.3f}."
    )
    if output is None and activate:
        typer.echo("Run `jcpp nlp retag --stale` to re-analyse minutes with it.")


@nlp_app.command()
def prepare() -> None:
    """Train the shipped topic classifier now (otherwise it is trained on first use)."""
    import nlp
    from nlp import classifier

    pipeline = nlp.load()
    typer.echo(f"Shipped topic classifier {pipeline.model_version} in {classifier.cache_dir()}.")


# Re-analysing stored minutes needs the database: its command lives with the analysis service.
from jcpp import cli_retag  # noqa: E402

nlp_app.command(name="retag")(cli_retag.retag)
