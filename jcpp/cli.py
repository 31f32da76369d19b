"""The `jcpp` command."""

from __future__ import annotations

import typer

from jcpp.cli_db import db_app
from jcpp.cli_import import import_app
from jcpp.cli_nlp import nlp_app
from jcpp.cli_search import search_app
from jcpp.cli_topics import topics_app
from jcpp.cli_trends import trends_app
from jcpp.cli_users import users_app

app = typer.Typer(help="JCPP meeting tracker.", no_args_is_help=True, add_completion=False)
app.add_typer(db_app, name="db")
app.add_typer(users_app, name="users")
app.add_typer(nlp_app, name="nlp")
app.add_typer(topics_app, name="topics")
app.add_typer(trends_app, name="trends")
app.add_typer(search_app, name="search")
app.add_typer(import_app, name="import")


@app.command()
def serve(
    host: str | None = typer.Option(None, help="Address to listen on (default JCPP_HOST)."),
    port: int | None = typer.Option(None, help="Port (default JCPP_PORT)."),
    workers: int = typer.Option(1, help="Web worker processes (use PostgreSQL for more than 1)."),
    reload: bool = typer.Option(False, help="Restart on code changes (development)."),
) -> None:
    """Serve the web application."""
    import uvicorn

    from jcpp.config import get_settings

    settings = get_settings()
    host = host or settings.host
    port = port or settings.port
    from jcpp.config import DEMO_CREDENTIALS

    typer.echo(f"JCPP is running: open http://{host}:{port}/ and sign in.")
    # Only where to find the demo accounts, never the passwords: this output ends up in service
    # logs. (The file is deleted when a demo user's password is changed.)
    if settings.environment == "development" and DEMO_CREDENTIALS.exists():
        typer.echo(f"Demo accounts and their passwords: {DEMO_CREDENTIALS.resolve()}")
    uvicorn.run(
        "jcpp.main:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        proxy_headers=True,
    )


# Commands that live in modules of their own.
from jcpp import cli_backup, cli_demo, cli_scheduler  # noqa: E402

app.command(name="demo")(cli_demo.demo)
app.command(name="scheduler")(cli_scheduler.scheduler)
app.command(name="backup")(cli_backup.backup)
app.command(name="restore")(cli_backup.restore)
