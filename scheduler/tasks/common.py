"""What the jobs share: who is told (a city's liaisons, county staff), e-mails rendered from
templates/mail/, in-app notices made once, links made absolute."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.config import get_settings
from jcpp.mail.outbox import enqueue
from jcpp.models import Notification, OutboxMessage, User, UserCity
from jcpp.notify.service import MAX_MESSAGE_CHARS, notify, shorten
from jcpp.paths import TEMPLATES_DIR
from jcpp.wording import plural


def local_time(moment: dt.datetime) -> str:
    """ "Wed Dec 3, 2026, 6:30 pm" in county time."""
    value = moment.astimezone(clock.zone())
    time = value.strftime("%I:%M %p").lstrip("0").replace(":00 ", " ").lower()
    return f"{value:%a} {value:%b} {value.day}, {value:%Y}, {time}"


def local_day(day: dt.date | dt.datetime) -> str:
    """ "Dec 3, 2026" (a datetime is taken in county time)."""
    if isinstance(day, dt.datetime):
        day = clock.local_date(day)
    return f"{day:%b} {day.day}, {day:%Y}"


_env = Environment(
    loader=FileSystemLoader(str(TEMPLATES_DIR / "mail")),
    autoescape=select_autoescape(enabled_extensions=("html",), default=False),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)
_env.filters["when"] = local_time
_env.filters["day"] = local_day
_env.globals["plural"] = plural


def link(path: str) -> str:
    """An absolute link to a page of the app (e-mails are read outside it)."""
    return get_settings().base_url.rstrip("/") + "/" + path.lstrip("/")


def render_email(name: str, **context: Any) -> tuple[str, str]:
    """The plain text and the HTML of the e-mail `name` (templates/mail/<name>.txt and .html);
    the HTML is autoescaped, the text is not (it is not HTML)."""
    context.setdefault("base_url", get_settings().base_url.rstrip("/"))
    text = _env.get_template(f"{name}.txt").render(**context)
    html = _env.get_template(f"{name}.html").render(**context)
    return text, html


# ---------------------------------------------------------------- who is told


def liaisons_of(session: Session, city_ids: Iterable[int]) -> dict[int, list[User]]:
    """Per city, its active liaisons (by name)."""
    ids = sorted(set(city_ids))
    if not ids:
        return {}
    rows = session.exec(
        select(UserCity.city_id, User)
        .join(User, col(User.id) == UserCity.user_id)
        .where(col(UserCity.city_id).in_(ids), User.role == "liaison", col(User.active).is_(True))
        .order_by(col(User.name), col(User.id))
    ).all()
    found: dict[int, list[User]] = {}
    for city_id, user in rows:
        found.setdefault(city_id, []).append(user)
    return found


def county_staff(session: Session) -> list[User]:
    """Active county staff and administrators."""
    return list(
        session.exec(
            select(User)
            .where(col(User.role).in_(("county_staff", "admin")), col(User.active).is_(True))
            .order_by(col(User.id))
        )
    )


# ---------------------------------------------------------------- telling them, once


def email(
    session: Session, *, user: User, kind: str, key: str, subject: str, name: str, **context: Any
) -> bool:
    """Queue the e-mail `name` for `user` unless `key` was queued before (or the user does not
    want `kind`); True if it was queued now."""
    if session.exec(select(OutboxMessage.id).where(OutboxMessage.dedupe_key == key)).first():
        return False
    text, html = render_email(name, user=user, **context)
    queued = enqueue(
        session,
        user=user,
        to=user.email,
        kind=kind,
        subject=subject,
        text=text,
        html=html,
        dedupe_key=key,
    )
    return queued is not None


def notify_once(
    session: Session, *, user: User, kind: str, message: str, follow_up_id: int | None = None
) -> bool:
    """An in-app notice, unless the user already has this one (same kind, words and
    follow-up); True if it was made now."""
    assert user.id is not None
    message = shorten(message, MAX_MESSAGE_CHARS)
    query = select(Notification.id).where(
        Notification.user_id == user.id,
        Notification.kind == kind,
        Notification.message == message,
    )
    if follow_up_id is not None:
        query = query.where(Notification.follow_up_id == follow_up_id)
    if session.exec(query).first() is not None:
        return False
    notify(session, user_ids=[user.id], kind=kind, message=message, follow_up_id=follow_up_id)
    return True
