"""Admin pages: the overview, cities, and users with roles and scopes (committees and rosters
are in `committee_routes`, included here).

Every route is for administrators only (others get 403; anonymous visitors go to sign in).
Plain form posts redirect (303) on success and re-render the page with 422 on invalid input;
htmx posts from the city list, the roster and the user's account card swap that part alone.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response
from sqlmodel import Session

from jcpp.admin import committees, service
from jcpp.admin.committee_routes import router as committee_router
from jcpp.admin.forms import (
    CityForm,
    PasswordForm,
    RenameCityForm,
    UserForm,
)
from jcpp.admin.job_routes import router as job_router
from jcpp.admin.pages import flash, page_context, see_other
from jcpp.auth.permissions import Viewer, require_admin
from jcpp.deps import CurrentViewer, SessionDep
from jcpp.errors import InvalidInput
from jcpp.models import USER_ROLES
from jcpp.models.base import utcnow
from jcpp.web import htmx
from jcpp.web.templating import render, render_page_or_block

router = APIRouter(prefix="/admin")
router.include_router(committee_router)
router.include_router(job_router)

# ---------------------------------------------------------------- overview


@router.get("")
def admin_home(request: Request, session: SessionDep, viewer: CurrentViewer) -> Response:
    require_admin(viewer)
    counts = service.overview(session, by=viewer)
    return render(request, "admin/index.html", page_context(request, counts=counts))


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
    context = page_context(
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
            page_context(
                request,
                rows=service.cities_with_counts(session, by=viewer),
                values=form,
                errors=invalid.errors,
                rename={},
            ),
            status_code=422,
        )
    flash(request, f"Added {city.name}. Add its committees next.")
    return see_other("/admin/cities")


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
        flash(request, message)
        return see_other("/admin/cities")
    return _cities_page(request, session, viewer, toast=message)


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
    context = page_context(
        request,
        rows=rows,
        filters={"role": role, "active": active},
        fragment=htmx.wants_fragment(request),
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
        "groups": committees.committees_by_city(session, by=viewer),
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
    flash(request, f"Created the account {user.email}. Give them their password in person.")
    return see_other(f"/admin/users/{user.id}")


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
    return page_context(
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
    flash(request, f"Saved {saved.name}'s details and access.")
    return see_other(f"/admin/users/{user_id}")


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
        flash(request, message)
    return see_other(f"/admin/users/{user_id}")


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
