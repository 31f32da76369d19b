"""`jcpp users`: accounts from the command line."""

from __future__ import annotations

import typer
from sqlmodel import Session, select

users_app = typer.Typer(help="User accounts.", no_args_is_help=True)


@users_app.command("add")
def add(
    email: str,
    name: str = typer.Option(..., help="Full name"),
    role: str = typer.Option(..., help="admin | county_staff | liaison | member"),
    password: str = typer.Option(
        ..., prompt=True, hide_input=True, confirmation_prompt=True, help="At least 10 characters"
    ),
    city: list[str] = typer.Option([], help="City slug (liaisons; repeatable)"),
    committee: list[str] = typer.Option([], help="Committee slug (members; repeatable)"),
) -> None:
    """Create a user."""
    from jcpp.admin import service
    from jcpp.db import get_engine
    from jcpp.errors import InvalidInput

    with Session(get_engine()) as session:
        try:
            user = service.create_user_by_slugs(
                session,
                email=email,
                name=name,
                role=role,
                password=password,
                city_slugs=city,
                committee_slugs=committee,
                by_user_id=None,
            )
        except InvalidInput as invalid:
            for field, message in invalid.errors.items():
                typer.echo(f"{field}: {message}", err=True)
            raise typer.Exit(2) from None
        session.commit()
        typer.echo(f"Created {user.email} ({user.role}).")


@users_app.command("set-password")
def set_password_cmd(
    email: str,
    password: str = typer.Option(..., prompt=True, hide_input=True, confirmation_prompt=True),
) -> None:
    """Set a user's password (also unlocks a locked account)."""
    from jcpp.auth import service
    from jcpp.db import get_engine
    from jcpp.errors import InvalidInput

    with Session(get_engine()) as session:
        user = service.find_user_by_email(session, email)
        if user is None:
            typer.echo(f"No user with e-mail {email}.", err=True)
            raise typer.Exit(1)
        try:
            service.set_password(session, user=user, password=password, by_user_id=None)
        except InvalidInput as invalid:
            typer.echo(invalid.message, err=True)
            raise typer.Exit(2) from None
        session.commit()
        typer.echo(f"Password set for {user.email}.")


@users_app.command("list")
def list_users() -> None:
    """List every user with role and state."""
    from rich.console import Console
    from rich.table import Table

    from jcpp.db import get_engine
    from jcpp.models import User

    table = Table("E-mail", "Name", "Role", "Active")
    with Session(get_engine()) as session:
        for user in session.exec(select(User).order_by(User.email)).all():
            table.add_row(user.email, user.name, user.role, "yes" if user.active else "no")
    Console().print(table)
