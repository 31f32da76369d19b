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


def _pipeline(database_url: str | None) -> Any:
    import nlp

    if database_url is None:
        return nlp.load()
    return nlp.load(read_topic_list(database_url))


def read_topic_list(database_url: str) -> list[Any]:
    """The topics of a deployment's database as the pipeline needs them (retired ones left out,
    merged ones' terms moved to their target)."""
    import sqlalchemy as sa
    from sqlmodel import Session

    from jcpp.db import make_engine
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
    finally:
        engine.dispose()
    if not topics:
        raise typer.BadParameter("this database has no active topics", param_hint="--database-url")
    return topics


@nlp_app.command()
def tag(
    files: list[Path] = typer.Argument(
        ..., help="Minutes as UTF-8 text files.", exists=True, dir_okay=False, readable=True
    ),
    database_url: str | None = typer.Option(None, "--database-url", help=DATABASE_HELP),
) -> None:
    """Print one JSON object per file per line: topics, concerns, actions, keywords, people."""
    import nlp

    pipeline = _pipeline(database_url)
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
) -> None:
    """Print precision, recall and F1 for topics (micro and per topic), concerns and actions."""
    import nlp
    from nlp import evaluate as ev

    only = ev.split_names(split) if split else None
    pairs = ev.read_gold(gold_dir, minutes_dir, only)
    if not pairs:
        raise typer.BadParameter(f"no gold files in {gold_dir}", param_hint="GOLD_DIR")
    analyses = nlp.analyse([text for _, text in pairs], pipeline=_pipeline(database_url))
    report = ev.evaluate(pairs, analyses)
    if as_json:
        typer.echo(json.dumps(report.as_dict(), indent=1))
    else:
        typer.echo(ev.format_report(report))


# Re-analysing stored minutes needs the database: its command lives with the analysis service.
from jcpp import cli_retag  # noqa: E402

nlp_app.command(name="retag")(cli_retag.retag)
