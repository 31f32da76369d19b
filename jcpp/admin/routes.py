"""Admin pages: cities, committees with rosters and terms, users with roles and scopes.

Every route is for administrators only (others get 403; anonymous visitors go to sign in).
Plain form posts redirect (303) on success and re-render the page with 422 on invalid input;
htmx posts from the city list, the roster and the user's account card swap that part alone.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import RedirectResponse, Response
from sqlmodel import Session

from jcpp.admin import roster as roster_service
from jcpp.admin import service
from jcpp.admin.forms import (
    CityForm,
    CommitteeForm,
    EndTermForm,
    MemberForm,
    PasswordForm,
    RenameCityForm,
    RulePreviewForm,
    TermForm,
    UserForm,
    optional_date,
    parse_date,
    parse_int,
)
from jcpp.admin.rules import WEEK_CHOICES, WEEKDAYS, describe_rule, resolve_rule
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput
from jcpp.models import COMMITTEE_KINDS, MEMBERSHIP_ROLES, USER_ROLES, Person
from jcpp.models.base import utcnow
from jcpp.web import htmx
from jcpp.web.templating import render, render_page_or_block

router = APIRouter(prefix="/admin")

FLASH_KEY = "admin_flash"


def _flash(request: Request, message: str) -> None:
    request.session[FLASH_KEY] = message


def _take_flash(request: Request) -> str | None:
    message = request.session.pop(FLASH_KEY, None)
    return message if isinstance(message, str) else None


def _see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def _base(request: Request, **context: Any) -> dict[str, Any]:
    return {"nav": "admin", "notice": _take_flash(request), **context}


# ---------------------------------------------------------------- overview


@router.get("")
def admin_home(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    require_admin(viewer)
    counts = service.overview(session, by=viewer)
    return render(request, "admin/index.html", _base(request, counts=counts))


# ---------------------------------------------------------------- cities


def _cities_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    form: CityForm | None = None,
    errors: dict[str, str] | None = None,
    rename: dict[str, Any] | None = None,
    toast: str | None = None,
    status_code: int = 200,
) -> Response:
    context = _base(
        request,
        rows=service.cities_with_counts(session, by=viewer),
        values=form or CityForm(),
        errors=errors or {},
        rename=rename or {},
        toast=toast,
    )
    return render_page_or_block(
        request, "admin/cities.html", context, block="city_list", status_code=status_code
    )


@router.get("/cities")
def cities(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    require_admin(viewer)
    return _cities_page(request, session, viewer)


@router.post("/cities")
def create_city(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    form: Annotated[CityForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        city = service.create_city(session, name=form.name, slug=form.slug, by=viewer)
    except InvalidInput as invalid:
        return render(
            request,
            "admin/cities.html",
            _base(
                request,
                rows=service.cities_with_counts(session, by=viewer),
                values=form,
                errors=invalid.errors,
                rename={},
            ),
            status_code=422,
        )
    _flash(request, f"Added {city.name}. Add its committees next.")
    return _see_other("/admin/cities")


@router.post("/cities/{city_id}")
def rename_city(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    city_id: int,
    form: Annotated[RenameCityForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        city = service.rename_city(session, city_id, name=form.name, by=viewer)
    except InvalidInput as invalid:
        rename = {"id": city_id, "value": form.name, "error": invalid.errors.get("name", "")}
        return _cities_page(request, session, viewer, rename=rename, status_code=422)
    message = f"The city is now called {city.name}."
    if not htmx.wants_fragment(request):
        _flash(request, message)
        return _see_other("/admin/cities")
    return _cities_page(request, session, viewer, toast=message)


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
    context = _base(
        request,
        groups=service.committees_by_city(session, by=viewer),
        cities=service.list_cities(session),
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
    _flash(request, f"Added {committee.name}. Add the people on its roster below.")
    return _see_other(f"/admin/committees/{committee.id}")


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
    return _base(
        request,
        committee=committee,
        city=service.get_city(session, committee.city_id),
        values=values,
        errors=errors or {},
        roster=roster_service.roster(session, committee_id),
        people=roster_service.people(session),
        roles=MEMBERSHIP_ROLES,
        role_names=roster_service.ROLE_NAMES,
        titles=roster_service.PERSON_TITLES,
        today=service.county_today(),
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
    _flash(request, f"Saved the details of {saved.name}.")
    return _see_other(f"/admin/committees/{committee_id}")


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
        _flash(request, message)
    return _see_other(f"/admin/committees/{committee_id}#roster")


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
        end = optional_date(form.end_date, field="end_date") or service.county_today()
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


# ---------------------------------------------------------------- users


def _active_filter(value: str) -> bool | None:
    return {"active": True, "inactive": False}.get(value)


@router.get("/users")
def users(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    role: Annotated[str, Query(max_length=20)] = "",
    active: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    require_admin(viewer)
    return _users_page(request, session, viewer, role=role, active=active)


def _users_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    *,
    role: str = "",
    active: str = "",
    form: UserForm | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    role = role if role in USER_ROLES else ""
    active = active if active in ("active", "inactive") else ""
    rows = service.list_users(session, role=role or None, active=_active_filter(active), by=viewer)
    context = _base(
        request,
        rows=rows,
        filters={"role": role, "active": active},
        values=form or UserForm(role="liaison"),
        errors=errors or {},
        **_scope_choices(session, viewer),
    )
    return render_page_or_block(
        request, "admin/users.html", context, block="user_list", status_code=status_code
    )


def _scope_choices(session: Session, viewer: Viewer) -> dict[str, Any]:
    return {
        "roles": USER_ROLES,
        "cities": service.list_cities(session),
        "groups": service.committees_by_city(session, by=viewer),
    }


@router.post("/users")
def create_user(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    form: Annotated[UserForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        user = service.add_user(
            session,
            email=form.email,
            name=form.name,
            role=form.role,
            password=form.password,
            city_ids=form.city_ids,
            committee_ids=form.committee_ids,
            by=viewer,
        )
    except InvalidInput as invalid:
        return _users_page(
            request,
            session,
            viewer,
            form=form.without_password(),
            errors=invalid.errors,
            status_code=422,
        )
    _flash(request, f"Created the account {user.email}. Give them their password in person.")
    return _see_other(f"/admin/users/{user.id}")


def _user_context(
    request: Request,
    session: Session,
    viewer: Viewer,
    user_id: int,
    *,
    form: UserForm | None = None,
    errors: dict[str, str] | None = None,
    account_errors: dict[str, str] | None = None,
    toast: str | None = None,
) -> dict[str, Any]:
    user = service.get_user(session, user_id)
    if form is None:
        city_ids, committee_ids = service.user_scope(session, user)
        form = UserForm(
            email=user.email,
            name=user.name,
            role=user.role,
            cities=[str(i) for i in city_ids],
            committees=[str(i) for i in committee_ids],
        )
    return _base(
        request,
        user=user,
        values=form.without_password(),
        errors=errors or {},
        account_errors=account_errors or {},
        toast=toast,
        now=utcnow(),
        **_scope_choices(session, viewer),
    )


def _user_page(
    request: Request,
    session: Session,
    viewer: Viewer,
    user_id: int,
    *,
    account_errors: dict[str, str] | None = None,
    toast: str | None = None,
    status_code: int = 200,
) -> Response:
    """The user's page, or its account card alone for htmx."""
    context = _user_context(
        request, session, viewer, user_id, account_errors=account_errors, toast=toast
    )
    return render_page_or_block(
        request, "admin/user.html", context, block="user_account", status_code=status_code
    )


@router.get("/users/{user_id}")
def user(request: Request, session: SessionDep, viewer: CurrentViewer, user_id: int) -> Response:
    require_admin(viewer)
    return _user_page(request, session, viewer, user_id)


@router.post("/users/{user_id}")
def update_user(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    user_id: int,
    form: Annotated[UserForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        saved = service.update_user(
            session,
            user_id,
            email=form.email,
            name=form.name,
            role=form.role,
            city_ids=form.city_ids,
            committee_ids=form.committee_ids,
            by=viewer,
        )
    except InvalidInput as invalid:
        # A full page even for htmx: the details form is a plain form.
        return render(
            request,
            "admin/user.html",
            _user_context(request, session, viewer, user_id, form=form, errors=invalid.errors),
            status_code=422,
        )
    _flash(request, f"Saved {saved.name}'s details and access.")
    return _see_other(f"/admin/users/{user_id}")


def _account_answer(
    request: Request,
    session: Session,
    viewer: Viewer,
    user_id: int,
    *,
    message: str | None = None,
    errors: dict[str, str] | None = None,
) -> Response:
    """After an account change: the account card alone for htmx, else the page (or 422 page)."""
    if errors:
        return _user_page(request, session, viewer, user_id, account_errors=errors, status_code=422)
    if htmx.wants_fragment(request):
        return _user_page(request, session, viewer, user_id, toast=message)
    if message:
        _flash(request, message)
    return _see_other(f"/admin/users/{user_id}")


@router.post("/users/{user_id}/deactivate")
def deactivate_user(
    request: Request, session: SessionDep, viewer: CurrentViewer, user_id: int
) -> Response:
    require_admin(viewer)
    try:
        user = service.set_user_active(session, user_id, active=False, by=viewer)
    except InvalidInput as invalid:
        return _account_answer(request, session, viewer, user_id, errors=invalid.errors)
    message = f"Deactivated {user.email}: they can no longer sign in, and their sessions ended."
    return _account_answer(request, session, viewer, user_id, message=message)


@router.post("/users/{user_id}/activate")
def activate_user(
    request: Request, session: SessionDep, viewer: CurrentViewer, user_id: int
) -> Response:
    require_admin(viewer)
    user = service.set_user_active(session, user_id, active=True, by=viewer)
    message = f"Reactivated {user.email}: they can sign in again."
    return _account_answer(request, session, viewer, user_id, message=message)


@router.post("/users/{user_id}/password")
def set_password(
    request: Request,
    session: SessionDep,
    viewer: CurrentViewer,
    user_id: int,
    form: Annotated[PasswordForm, Form()],
) -> Response:
    require_admin(viewer)
    try:
        user = service.set_user_password(session, user_id, password=form.password, by=viewer)
    except InvalidInput as invalid:
        return _account_answer(request, session, viewer, user_id, errors=invalid.errors)
    if user.id == viewer.id:
        request.session["sv"] = user.session_version  # keep this session signed in
    message = f"Set a new password for {user.email}; the account is unlocked."
    return _account_answer(request, session, viewer, user_id, message=message)
