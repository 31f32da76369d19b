"""E-mail pages: each user's notice choices (/account/notifications), the unsubscribe link (no
sign-in: the signed token is the proof) and the admin's Outbox (/admin/outbox)."""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session
from starlette.datastructures import FormData

from jcpp.auth.permissions import require_admin
from jcpp.deps import CurrentViewer, SessionDep, SettingsDep
from jcpp.mail import preferences, service, smtp
from jcpp.mail.forms import OutboxQuery, PreferencesForm, checkbox_name
from jcpp.mail.preferences import DIGEST_FREQUENCIES, KINDS
from jcpp.mail.unsubscribe import resolve, unsubscribe
from jcpp.web import htmx
from jcpp.web.templating import render, render_fragments, render_page_or_block

router = APIRouter()
PREFERENCES = "mail/preferences.html"


async def read_form(request: Request) -> FormData:
    return await request.form()


FormDep = Annotated[FormData, Depends(read_form)]


def _preferences_context(choices: list[preferences.Choice], **extra: Any) -> dict[str, Any]:
    return {
        "choices": choices,
        "frequencies": DIGEST_FREQUENCIES,
        "checkbox_name": checkbox_name,
        **extra,
    }


@router.get("/account/notifications")
def preferences_page(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    choices = preferences.choices(session, user=viewer.user)
    saved = request.query_params.get("saved") == "1"
    context = _preferences_context(choices, saved=saved)
    return render_page_or_block(request, PREFERENCES, context, block="notice_preferences")


@router.post("/account/notifications")
def save_preferences(
    request: Request, session: SessionDep, viewer: CurrentViewer, data: FormDep
) -> Response:
    form = PreferencesForm.from_form(data)
    choices = preferences.save_choices(
        session, user=viewer.user, by_email=form.by_email, digest=form.digest
    )
    if not htmx.wants_fragment(request):
        return RedirectResponse("/account/notifications?saved=1", status_code=303)
    context = _preferences_context(choices)
    toast = ("success", "Your e-mail choices are saved.")
    return render_fragments(request, PREFERENCES, context, ["notice_preferences"], toast=toast)


def _masked(address: str) -> str:
    """am…@example.org: enough for the reader to know it is hers, not more."""
    name, _, domain = address.partition("@")
    return f"{name[:2]}…@{domain}"


@router.get("/unsubscribe/{token}")
def unsubscribe_page(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    user, kind = resolve(session, settings, token)
    context = {"kind": kind, "address": _masked(user.email), "token": token, "done": False}
    return render(request, "mail/unsubscribe.html", context)


@router.post("/unsubscribe/{token}")
def unsubscribe_confirmed(
    request: Request, session: SessionDep, settings: SettingsDep, token: str
) -> Response:
    user, kind = unsubscribe(session, settings, token)
    context = {"kind": kind, "address": _masked(user.email), "token": token, "done": True}
    return render(request, "mail/unsubscribe.html", context)


@router.get("/admin/outbox")
def outbox_page(
    request: Request, session: SessionDep, settings: SettingsDep, viewer: CurrentViewer
) -> Response:
    require_admin(viewer)
    query = OutboxQuery.from_params(request.query_params)
    filters, page, params = query.filters(), query.page_number(), query.params()
    rows, total = service.list_messages(session, filters=filters, page=page)

    def url_for_page(n: int) -> str:
        return "/admin/outbox?" + urlencode({**params, "page": n})

    context = {
        "nav": "admin",
        "rows": rows,
        "total": total,
        "page": page,
        "per_page": service.PER_PAGE,
        "url_for_page": url_for_page,
        "filters": filters,
        "kinds": KINDS,
        "counts": service.status_counts(session),
        "configured": smtp.configured(settings),
        "fragment": htmx.wants_fragment(request),
    }
    return render_page_or_block(request, "mail/outbox.html", context, block="outbox_results")


def _message_context(session: Session, message_id: int) -> dict[str, Any]:
    message = service.get_message(session, message_id)
    return {
        "nav": "admin",
        "message": message,
        "recipient": service.recipient_name(session, message),
        "kind": KINDS.get(message.kind),
    }


@router.get("/admin/outbox/{message_id:int}")
def message_page(
    request: Request, session: SessionDep, viewer: CurrentViewer, message_id: int
) -> Response:
    require_admin(viewer)
    return render(request, "mail/message.html", _message_context(session, message_id))


@router.post("/admin/outbox/{message_id:int}/retry")
def retry_message(
    request: Request, session: SessionDep, viewer: CurrentViewer, message_id: int
) -> Response:
    require_admin(viewer)
    service.retry(session, message_id, by=viewer.user)
    if not htmx.wants_fragment(request):
        return RedirectResponse(f"/admin/outbox/{message_id}", status_code=303)
    context = _message_context(session, message_id)
    toast = ("success", "Queued again: it goes with the next send.")
    return render_fragments(request, "mail/message.html", context, ["message_status"], toast=toast)
