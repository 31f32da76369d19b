"""Admin pages for committees: details with the meeting rule, and the roster with terms.

Administrators only. The roster is one htmx component (block `roster`, id="roster"): adding a
person, ending or correcting a term swaps it in place; without JavaScript the same forms post
and redirect back.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from jcpp import clock
from jcpp.admin import committees as service
from jcpp.admin import roster as roster_service
from jcpp.admin.forms import (
    CommitteeForm,
    EndTermForm,
    MemberForm,
    RulePreviewForm,
    TermForm,
    optional_date,
)
from jcpp.admin.pages import flash, page_context, see_other
from jcpp.admin.rules import WEEK_CHOICES, WEEKDAYS, describe_rule, resolve_rule
from jcpp.admin.service import get_city, list_cities
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput
from jcpp.models import COMMITTEE_KINDS, MEMBERSHIP_ROLES, Person
from jcpp.web import htmx
from jcpp.web.forms import parse_date, parse_int
from jcpp.web.templating import render, render_page_or_block

router = APIRouter()


# ---------------------------------------------------------------- committees


def _committees_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    form: CommitteeForm | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    values = form or CommitteeForm()
    context = page_context(
        request,
        groups=service.committees_by_city(session, by=viewer),
        cities=list_cities(session),
        values=values,
        errors=errors or {},
        **_rule_choices(values),
    )
    return render_page_or_block(
        request, "admin/committees.html", context, block="committee_list", status_code=status_code
    )


def _rule_choices(values: CommitteeForm) -> dict[str, Any]:
    return {
        "preview": resolve_rule(values.rule),
        "week_choices": WEEK_CHOICES,
        "weekdays": WEEKDAYS,
        "kinds": COMMITTEE_KINDS,
        "describe_rule": describe_rule,
    }


@router.get("/committees")
def committees(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    require_admin(viewer)
    return _committees_page(request, session, viewer)


@router.post("/committees")
def create_committee(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    form: Annotated[CommitteeForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        committee = service.create_committee(session, data=form.to_input(creating=True), by=viewer)
    except InvalidInput as invalid:
        return _committees_page(
            request, session, viewer, form=form, errors=invalid.errors, status_code=422
        )
    flash(request, f"Added {committee.name}. Add the people on its roster below.")
    return see_other(f"/admin/committees/{committee.id}")


@router.get("/rule-preview")
def rule_preview(
    request: Request,
    viewer: CurrentViewer,
    form: Annotated[RulePreviewForm, Query()],
) -> Response:
    """The meeting rule the form would save, in words (updated as the admin picks)."""
    require_admin(viewer)
    context = {"preview": resolve_rule(form.rule), "describe_rule": describe_rule}
    return render(request, "admin/_rule_preview.html", context)


def _committee_context(
    request: Request,
    session: Session,
    viewer: Viewer,
    committee_id: int,
    *,
    form: CommitteeForm | None = None,
    errors: dict[str, str] | None = None,
    roster_problem: dict[str, Any] | None = None,
    toast: str | None = None,
) -> dict[str, Any]:
    committee = service.get_committee(session, committee_id)
    values = form or CommitteeForm.of(committee)
    return page_context(
        request,
        committee=committee,
        city=get_city(session, committee.city_id),
        values=values,
        errors=errors or {},
        roster=roster_service.roster(session, committee_id),
        people=roster_service.people(session),
        roles=MEMBERSHIP_ROLES,
        role_names=roster_service.ROLE_NAMES,
        titles=roster_service.PERSON_TITLES,
        today=clock.today(),
        problem=roster_problem or {},
        toast=toast,
        **_rule_choices(values),
    )


def _committee_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    committee_id: int,
    *,
    roster_problem: dict[str, Any] | None = None,
    toast: str | None = None,
    status_code: int = 200,
) -> Response:
    """The committee page, or its roster alone for htmx."""
    context = _committee_context(
        request, session, viewer, committee_id, roster_problem=roster_problem, toast=toast
    )
    return render_page_or_block(
        request, "admin/committee.html", context, block="roster", status_code=status_code
    )


@router.get("/committees/{committee_id}")
def committee(
    request: Request, session: SessionDep, viewer: CurrentViewer, committee_id: int
) -> Response:
    require_admin(viewer)
    return _committee_page(request, session, viewer, committee_id)


@router.post("/committees/{committee_id}")
def update_committee(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    form: Annotated[CommitteeForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        saved = service.update_committee(
            session, committee_id, data=form.to_input(creating=False), by=viewer
        )
    except InvalidInput as invalid:
        return render(
            request,
            "admin/committee.html",
            _committee_context(
                request, session, viewer, committee_id, form=form, errors=invalid.errors
            ),
            status_code=422,
        )
    flash(request, f"Saved the details of {saved.name}.")
    return see_other(f"/admin/committees/{committee_id}")


# ---------------------------------------------------------------- roster


def _roster_answer(
    request: Request,
    session: Session,
    viewer: Viewer,
    committee_id: int,
    *,
    message: str | None = None,
    problem: dict[str, Any] | None = None,
) -> Response:
    """After a roster change: the roster alone for htmx, else back to the page (or 422 page)."""
    if problem is not None:
        return _committee_page(
            request, session, viewer, committee_id, roster_problem=problem, status_code=422
        )
    if htmx.wants_fragment(request):
        return _committee_page(request, session, viewer, committee_id, toast=message)
    if message:
        flash(request, message)
    return see_other(f"/admin/committees/{committee_id}#roster")


@router.post("/committees/{committee_id}/members")
def add_member(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    committee_id: int,
    form: Annotated[MemberForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        membership = roster_service.add_member(
            session,
            committee_id,
            person_id=parse_int(form.person_id) if form.person_id else None,
            new_person=form.new_person,
            role=form.role,
            start_date=parse_date(form.start_date),
            by=viewer,
        )
    except InvalidInput as invalid:
        problem = {"form": "add", "errors": invalid.errors, "values": form}
        return _roster_answer(request, session, viewer, committee_id, problem=problem)
    person = session.get(Person, membership.person_id)
    name = person.name if person else "The person"
    return _roster_answer(
        request, session, viewer, committee_id, message=f"{name} is on the roster."
    )


@router.post("/memberships/{membership_id}/end")
def end_membership(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    membership_id: int,
    form: Annotated[EndTermForm, Form()],
) -> Response:
    require_admin(viewer)
    membership = roster_service.get_membership(session, membership_id)
    committee_id = membership.committee_id
    try:
        end = optional_date(form.end_date, field="end_date") or clock.today()
        roster_service.end_membership(session, membership_id, end_date=end, by=viewer)
    except InvalidInput as invalid:
        problem = {"form": f"end-{membership_id}", "errors": invalid.errors, "values": form}
        return _roster_answer(request, session, viewer, committee_id, problem=problem)
    return _roster_answer(
        request, session, viewer, committee_id, message="The term ends on that date."
    )


@router.post("/memberships/{membership_id}")
def update_membership(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    membership_id: int,
    form: Annotated[TermForm, Form()],
) -> Response:
    require_admin(viewer)
    membership = roster_service.get_membership(session, membership_id)
    committee_id = membership.committee_id
    try:
        roster_service.update_membership(
            session,
            membership_id,
            role=form.role,
            start_date=parse_date(form.start_date),
            end_date=optional_date(form.end_date, field="end_date"),
            by=viewer,
        )
    except InvalidInput as invalid:
        problem = {"form": f"term-{membership_id}", "errors": invalid.errors, "values": form}
        return _roster_answer(request, session, viewer, committee_id, problem=problem)
    return _roster_answer(request, session, viewer, committee_id, message="Saved the term.")
