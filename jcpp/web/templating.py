"""Jinja2 with named blocks rendered alone (jinja2-fragments), filters and page context."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import Request
from jinja2_fragments import render_block
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.responses import HTMLResponse, Response

from jcpp.config import get_settings
from jcpp.models import COMMITTEE_KINDS, USER_ROLES, City, Committee
from jcpp.paths import TEMPLATES_DIR
from jcpp.web import htmx
from jcpp.web.csrf import csrf_token
from jcpp.web.markdown import plain_piece, render_markdown
from jcpp.wording import plural

templates = Jinja2Blocks(directory=str(TEMPLATES_DIR))
templates.env.autoescape = True
templates.env.trim_blocks = True
templates.env.lstrip_blocks = True


def local(value: dt.datetime | None) -> dt.datetime | None:
    """A UTC datetime in the county's time zone."""
    if value is None:
        return None
    return value.astimezone(get_settings().zone)


def format_datetime(value: dt.datetime | None, style: str = "full") -> str:
    value = local(value)
    if value is None:
        return ""
    time = value.strftime("%I:%M %p").lstrip("0").replace(":00 ", " ").lower()
    if style == "date":
        return f"{value:%a} {value:%b} {value.day}, {value:%Y}"
    if style == "time":
        return time
    if style == "short":
        return f"{value:%b} {value.day}, {value:%Y}"
    return f"{value:%a} {value:%b} {value.day}, {value:%Y}, {time}"


def format_date(value: dt.date | None) -> str:
    return "" if value is None else f"{value:%b} {value.day}, {value:%Y}"


def committee_short(committee: Committee, city: City) -> str:
    """ "Multicultural Advisory Committee" for "Richfield Multicultural Advisory Committee" where
    the city is shown next to it."""
    prefix = city.name + " "
    return committee.name[len(prefix) :] if committee.name.startswith(prefix) else committee.name


templates.env.filters["markdown"] = render_markdown
templates.env.filters["plain"] = plain_piece
templates.env.filters["committee_short"] = committee_short
templates.env.filters["when"] = format_datetime
templates.env.filters["day"] = format_date
templates.env.filters["local"] = local
templates.env.globals["ROLE_NAMES"] = USER_ROLES
templates.env.globals["plural"] = plural
templates.env.globals["COMMITTEE_KINDS"] = COMMITTEE_KINDS


def _page_context(request: Request, context: dict[str, Any] | None) -> dict[str, Any]:
    ctx: dict[str, Any] = {
        "viewer": getattr(request.state, "viewer", None),
        "csrf_token": csrf_token(request),
        "demo": getattr(request.state, "demo", False),
        "TIME_ZONE_LABEL": get_settings().time_zone.replace("_", " "),
    }
    ctx.update(context or {})
    return ctx


def render_block_text(request: Request, template: str, block: str, context: dict[str, Any]) -> str:
    """`block` of `template` as text, with what every page gets (to keep, see
    `jcpp.trends.page_cache`)."""
    return render_block(templates.env, template, block, _page_context(request, context))


def render(
    request: Request,
    template: str,
    context: dict[str, Any] | None = None,
    *,
    block: str | None = None,
    status_code: int = 200,
) -> Response:
    """A full page, or only `block` of it (for htmx requests that ask for part of a page)."""
    ctx = _page_context(request, context)
    kwargs: dict[str, Any] = {"status_code": status_code}
    if block is not None:
        kwargs["block_name"] = block
    response = templates.TemplateResponse(request, template, ctx, **kwargs)
    htmx.vary(response)
    return response


def render_public(
    request: Request, template: str, context: dict[str, Any], *, status_code: int = 200
) -> Response:
    """A page in the public layout: nothing from the visitor's session (no CSRF token, no
    cookie, no signed-in header)."""
    ctx = {"TIME_ZONE_LABEL": get_settings().time_zone.replace("_", " "), **context}
    return templates.TemplateResponse(request, template, ctx, status_code=status_code)


def render_page_or_block(
    request: Request, template: str, context: dict[str, Any], *, block: str, status_code: int = 200
) -> Response:
    """The same URL answers with the whole page, or with `block` alone for an htmx request."""
    return render(
        request,
        template,
        context,
        block=block if htmx.wants_fragment(request) else None,
        status_code=status_code,
    )


Block = str | tuple[str, Mapping[str, Any]]


def render_fragments(
    request: Request,
    template: str,
    context: dict[str, Any],
    blocks: Sequence[Block],
    *,
    status_code: int = 200,
    toast: tuple[str, str] | None = None,
) -> Response:
    """Several blocks of one template in one htmx answer, optionally with a toast message.

    The first block is the swap target; the others must mark themselves hx-swap-oob. A block is
    a name, or a (name, extra context) pair, e.g. ("schedule_form", {"oob": True}). `toast` is
    (kind, message), shown in the toast region (kind: "success" or "error").
    """
    parts = []
    for block in blocks:
        name, extra = (block, {}) if isinstance(block, str) else block
        rendered = render(request, template, {**context, **extra}, block=name)
        parts.append(bytes(rendered.body))
    if toast is not None:
        kind, message = toast
        rendered = render(request, "errors/_toast.html", {"kind": kind, "message": message})
        parts.append(bytes(rendered.body))
    response = HTMLResponse(b"".join(parts), status_code=status_code)
    htmx.vary(response)
    return response
