"""Admin services: cities, committees and users — validation, duplicates, scopes, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlmodel import Session, select

from jcpp.admin import service
from jcpp.auth.passwords import verify_password
from jcpp.errors import InvalidInput, NotPermitted
from jcpp.models import UserCity, UserCommittee
from jcpp.models.base import utcnow
from tests.admin.helpers import actions_by, admin_viewer, last_event, tag, viewer_of
from tests.factories import create_city, create_committee, create_user

# ---------------------------------------------------------------- permission


@pytest.mark.parametrize("role", ["county_staff", "liaison", "member"])
def test_only_admins_may_use_the_admin_services(session: Session, role: str) -> None:
    city = create_city(session)
    viewer = viewer_of(session, create_user(session, role=role, cities=[city]))
    with pytest.raises(NotPermitted):
        service.create_city(session, name=f"Hopkins {tag()}", slug="", by=viewer)
    with pytest.raises(NotPermitted):
        service.rename_city(session, city.id or 0, name="Elsewhere", by=viewer)
    with pytest.raises(NotPermitted):
        service.set_user_active(session, viewer.id, active=False, by=viewer)
    with pytest.raises(NotPermitted):
        service.list_users(session, role=None, active=None, by=viewer)


# ---------------------------------------------------------------- cities


def test_create_city_makes_the_slug_from_the_name_and_audits(session: Session) -> None:
    admin = admin_viewer(session)
    t = tag()
    city = service.create_city(session, name=f"  St. Louis   Park {t} ", slug="", by=admin)
    assert (city.name, city.slug) == (f"St. Louis Park {t}", f"st-louis-park-{t}")
    event = last_event(session, "create_city")
    assert (event.user_id, event.entity_id, event.city_id) == (admin.id, city.id, city.id)
    assert event.after == {"name": city.name, "slug": city.slug}


def test_city_names_and_slugs_are_unique(session: Session) -> None:
    admin = admin_viewer(session)
    city = service.create_city(session, name=f"Edina {tag()}", slug="", by=admin)
    with pytest.raises(InvalidInput) as same_name:
        service.create_city(session, name=city.name.upper(), slug=f"{city.slug}-2", by=admin)
    assert f"already a city called {city.name}" in same_name.value.errors["name"]
    with pytest.raises(InvalidInput) as same_slug:
        service.create_city(session, name=f"{city.name} West", slug=city.slug, by=admin)
    assert "already used" in same_slug.value.errors["slug"]


@pytest.mark.parametrize(
    ("name", "slug", "field"),
    [
        ("", "", "name"),
        ("Wayzata", "Not A Slug!", "slug"),
        ("x" * 121, "", "name"),
        ("???", "", "slug"),
    ],
)
def test_create_city_refuses_bad_input(session: Session, name: str, slug: str, field: str) -> None:
    admin = admin_viewer(session)
    with pytest.raises(InvalidInput) as invalid:
        service.create_city(session, name=name, slug=slug, by=admin)
    assert field in invalid.value.errors
    assert actions_by(session, "create_city", admin.id) == []


def test_rename_city_keeps_the_slug_and_records_before_and_after(session: Session) -> None:
    admin = admin_viewer(session)
    t = tag()
    city = create_city(session, name=f"Brooklyn Centre {t}", slug=f"brooklyn-center-{t}")
    service.rename_city(session, city.id or 0, name=f"Brooklyn Center {t}", by=admin)
    assert (city.name, city.slug) == (f"Brooklyn Center {t}", f"brooklyn-center-{t}")
    event = last_event(session, "rename_city")
    assert event.city_id == city.id
    assert event.before == {"name": f"Brooklyn Centre {t}"}
    assert event.after == {"name": f"Brooklyn Center {t}"}


def test_rename_city_to_another_citys_name_is_refused(session: Session) -> None:
    admin = admin_viewer(session)
    crystal = create_city(session, name=f"Crystal {tag()}")
    city = create_city(session)
    name = city.name
    with pytest.raises(InvalidInput) as invalid:
        service.rename_city(session, city.id or 0, name=crystal.name.lower(), by=admin)
    assert crystal.name in invalid.value.errors["name"]
    assert city.name == name


def test_cities_are_listed_with_their_committee_counts(session: Session) -> None:
    admin = admin_viewer(session)
    busy = create_city(session)
    create_committee(session, city=busy)
    create_committee(session, city=busy, name="Police Advisory Commission")
    quiet = create_city(session)
    rows = {row.city.id: row.committees for row in service.cities_with_counts(session, by=admin)}
    assert rows[busy.id] == 2
    assert rows[quiet.id] == 0


# ---------------------------------------------------------------- users


def test_create_user_validates_everything_at_once(session: Session) -> None:
    taken = create_user(session)
    with pytest.raises(InvalidInput) as invalid:
        service.create_user(
            session,
            email=taken.email.upper(),
            name="",
            role="boss",
            password="short",
            city_ids=[],
            committee_ids=[],
            by_user_id=None,
        )
    assert set(invalid.value.errors) == {"email", "name", "role", "password"}
    assert "already exists" in invalid.value.errors["email"]


def test_liaison_needs_a_city_and_member_a_committee(session: Session) -> None:
    admin = admin_viewer(session)
    common = {"name": "Pat", "password": "a good long password", "by": admin}
    with pytest.raises(InvalidInput) as liaison:
        service.add_user(
            session,
            email=f"l-{tag()}@example.org",
            role="liaison",
            city_ids=[],
            committee_ids=[],
            **common,
        )
    assert "at least one city" in liaison.value.errors["cities"]
    with pytest.raises(InvalidInput) as member:
        service.add_user(
            session,
            email=f"m-{tag()}@example.org",
            role="member",
            city_ids=[],
            committee_ids=[999_999],
            **common,
        )
    assert "no longer exists" in member.value.errors["committees"]


def test_add_user_keeps_only_the_scope_of_the_role_and_audits_it(session: Session) -> None:
    admin = admin_viewer(session)
    city = create_city(session)
    committee = create_committee(session)
    t = tag()
    user = service.add_user(
        session,
        email=f"Lee-{t}@Example.org",
        name="Lee Vang",
        role="liaison",
        password="a good long password",
        city_ids=[city.id or 0],
        committee_ids=[committee.id or 0],  # ignored: a liaison is scoped by city
        by=admin,
    )
    assert user.email == f"lee-{t}@example.org"
    assert verify_password("a good long password", user.password_hash)
    assert service.user_scope(session, user) == ([city.id], [])
    event = last_event(session, "create_user")
    assert event.user_id == admin.id
    assert event.after is not None
    assert (event.after["cities"], event.after["committees"]) == ([city.name], [])


def test_update_user_replaces_the_scope_rather_than_adding_to_it(session: Session) -> None:
    admin = admin_viewer(session)
    old, new, newer = create_city(session), create_city(session), create_city(session)
    user = create_user(session, role="liaison", cities=[old, new])
    service.update_user(
        session,
        user.id or 0,
        email=user.email,
        name=user.name,
        role="liaison",
        city_ids=[new.id or 0, newer.id or 0],
        committee_ids=[],
        by=admin,
    )
    rows = session.exec(select(UserCity.city_id).where(UserCity.user_id == user.id)).all()
    assert sorted(rows) == sorted([new.id, newer.id])
    event = last_event(session, "update_user")
    assert event.before == {"cities": sorted([old.name, new.name])}
    assert event.after == {"cities": sorted([new.name, newer.name])}


def test_changing_role_drops_the_old_scope(session: Session) -> None:
    admin = admin_viewer(session)
    committee = create_committee(session)
    user = create_user(session, role="member", committees=[committee])
    service.update_user(
        session,
        user.id or 0,
        email=user.email,
        name=user.name,
        role="county_staff",
        city_ids=[],
        committee_ids=[committee.id or 0],
        by=admin,
    )
    assert user.role == "county_staff"
    assert session.exec(select(UserCommittee).where(UserCommittee.user_id == user.id)).all() == []


def test_update_user_refuses_anothers_email(session: Session) -> None:
    admin = admin_viewer(session)
    first = create_user(session)
    second = create_user(session, role="county_staff")
    with pytest.raises(InvalidInput) as invalid:
        service.update_user(
            session,
            second.id or 0,
            email=first.email.title(),
            name=second.name,
            role="county_staff",
            city_ids=[],
            committee_ids=[],
            by=admin,
        )
    assert "already exists" in invalid.value.errors["email"]


def test_admin_cannot_take_away_their_own_admin_role(session: Session) -> None:
    admin = admin_viewer(session)
    with pytest.raises(InvalidInput) as invalid:
        service.update_user(
            session,
            admin.id,
            email=admin.user.email,
            name=admin.user.name,
            role="county_staff",
            city_ids=[],
            committee_ids=[],
            by=admin,
        )
    assert "your own administrator role" in invalid.value.errors["role"]
    assert admin.user.role == "admin"


def test_admin_cannot_deactivate_themself(session: Session) -> None:
    admin = admin_viewer(session)
    with pytest.raises(InvalidInput) as invalid:
        service.set_user_active(session, admin.id, active=False, by=admin)
    assert "your own account" in invalid.value.errors["active"]
    assert admin.user.active is True
    assert actions_by(session, "deactivate_user", admin.id) == []


def test_deactivate_ends_sessions_and_reactivate_is_audited(session: Session) -> None:
    admin = admin_viewer(session)
    user = create_user(session)
    version = user.session_version
    service.set_user_active(session, user.id or 0, active=False, by=admin)
    assert user.active is False
    assert user.session_version == version + 1
    event = last_event(session, "deactivate_user")
    assert (event.before, event.after) == ({"active": True}, {"active": False})
    service.set_user_active(session, user.id or 0, active=True, by=admin)
    assert user.active is True
    assert last_event(session, "activate_user").after == {"active": True}


def test_admin_sets_a_password_which_unlocks_the_account(session: Session) -> None:
    admin = admin_viewer(session)
    user = create_user(session, failed_logins=3, locked_until=utcnow() + dt.timedelta(minutes=10))
    service.set_user_password(session, user.id or 0, password="a fresh passphrase", by=admin)
    assert verify_password("a fresh passphrase", user.password_hash)
    assert (user.locked_until, user.failed_logins) == (None, 0)
    assert last_event(session, "set_password").user_id == admin.id
    with pytest.raises(InvalidInput):
        service.set_user_password(session, user.id or 0, password="short", by=admin)


def test_list_users_filters_by_role_and_state(session: Session) -> None:
    admin = admin_viewer(session, name="Aaron Admin")
    city = create_city(session)
    liaison = create_user(session, role="liaison", cities=[city], name="Lia")
    gone = create_user(session, role="liaison", cities=[city], name="Gone", active=False)

    def listed(role: str | None, active: bool | None) -> dict[int | None, service.UserRow]:
        rows = service.list_users(session, role=role, active=active, by=admin)
        return {row.user.id: row for row in rows}

    assert set(listed("liaison", None)) == {liaison.id, gone.id}
    assert [c.name for c in listed("liaison", None)[liaison.id].cities] == [city.name]
    assert set(listed("liaison", True)) == {liaison.id}
    assert set(listed(None, False)) == {gone.id}
    assert set(listed(None, None)) == {admin.id, liaison.id, gone.id}


def test_create_user_by_slugs_still_serves_the_command_line(session: Session) -> None:
    city = create_city(session)
    user = service.create_user_by_slugs(
        session,
        email=f"cli-{tag()}@example.org",
        name="From the CLI",
        role="liaison",
        password="a good long password",
        city_slugs=[city.slug],
        committee_slugs=[],
        by_user_id=None,
    )
    assert service.user_scope(session, user) == ([city.id], [])
    with pytest.raises(InvalidInput):
        service.create_user_by_slugs(
            session,
            email=f"cli-{tag()}@example.org",
            name="X",
            role="liaison",
            password="a good long password",
            city_slugs=[f"atlantis-{tag()}"],
            committee_slugs=[],
            by_user_id=None,
        )


def test_overview_counts(session: Session) -> None:
    admin = admin_viewer(session)
    before = service.overview(session, by=admin)
    create_committee(session, active=False)
    create_user(session, active=False)
    after = service.overview(session, by=admin)
    assert after.cities == before.cities + 1
    assert (after.committees, after.active_committees) == (
        before.committees + 1,
        before.active_committees,
    )
    assert (after.users, after.active_users) == (before.users + 1, before.active_users)
