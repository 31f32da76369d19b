"""Admin services for committees: the rule from the form, slugs, validation, audit."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from jcpp.admin import committees as service
from jcpp.admin.committees import CommitteeInput
from jcpp.admin.rules import RuleChoice
from jcpp.errors import InvalidInput, NotPermitted
from jcpp.models import City
from tests.admin.helpers import admin_viewer, last_event, tag, viewer_of
from tests.factories import create_city, create_committee, create_user

THIRD_WEDNESDAY = RuleChoice(week="3", weekday="WE", time="18:30")


def committee_input(**kw: object) -> CommitteeInput:
    values: dict[str, object] = {
        "name": "Multicultural Advisory Committee",
        "kind": "mac",
        "rule": THIRD_WEDNESDAY,
        "meeting_minutes": 90,
        "default_place": "City Hall",
    }
    values.update(kw)
    return CommitteeInput(**values)  # type: ignore[arg-type]


def test_create_committee_builds_the_rule_and_slug_and_audits(session: Session) -> None:
    admin = admin_viewer(session)
    t = tag()
    city = create_city(session, name=f"Richfield {t}", slug=f"richfield-{t}")
    committee = service.create_committee(
        session, data=committee_input(city_id=city.id, meeting_minutes=120), by=admin
    )
    assert committee.slug == f"richfield-{t}-multicultural-advisory-committee"
    assert committee.meeting_rule == "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30"
    assert committee.meeting_minutes == 120
    event = last_event(session, "create_committee")
    assert (event.entity_id, event.city_id) == (committee.id, city.id)
    assert event.after is not None and event.after["meeting_rule"] == committee.meeting_rule


def test_committee_slug_has_the_city_once_and_is_numbered_when_taken(session: Session) -> None:
    admin = admin_viewer(session)
    t = tag()
    hopkins = create_city(session, name=f"Hopkins {t}", slug=f"hopkins-{t}")
    eden = create_city(session, name=f"Eden Prairie {t}", slug=f"eden-prairie-{t}")

    def create(city: City, name: str, slug: str = "") -> str:
        data = committee_input(city_id=city.id, name=name, slug=slug)
        return service.create_committee(session, data=data, by=admin).slug

    assert create(hopkins, f"Hopkins {t} MAC") == f"hopkins-{t}-mac"
    assert create(eden, "Human Rights Commission") == f"eden-prairie-{t}-human-rights-commission"
    assert create(hopkins, "Other", slug=f"hopkins-{t}-pac") == f"hopkins-{t}-pac"
    assert create(hopkins, f"Hopkins {t} PAC") == f"hopkins-{t}-pac-2"
    with pytest.raises(InvalidInput) as taken:
        create(eden, "Youth Council", slug=f"hopkins-{t}-mac")
    assert "already used" in taken.value.errors["slug"]


def test_create_committee_reports_every_problem_at_once(session: Session) -> None:
    data = committee_input(
        city_id=None,
        name=" ",
        kind="club",
        rule=RuleChoice(advanced="FREQ=HOURLY;BYHOUR=1"),
        meeting_minutes=5,
        default_place="x" * 301,
    )
    with pytest.raises(InvalidInput) as invalid:
        service.create_committee(session, data=data, by=admin_viewer(session))
    assert set(invalid.value.errors) >= {
        "city_id",
        "name",
        "kind",
        "meeting_rule",
        "meeting_minutes",
        "default_place",
    }


def test_a_city_cannot_have_two_committees_of_the_same_name(session: Session) -> None:
    city = create_city(session)
    create_committee(session, city=city, name="Human Rights Commission")
    with pytest.raises(InvalidInput) as invalid:
        service.create_committee(
            session,
            data=committee_input(city_id=city.id, name="human rights commission"),
            by=admin_viewer(session),
        )
    assert "already has a committee" in invalid.value.errors["name"]


def test_update_committee_records_only_what_changed(session: Session) -> None:
    admin = admin_viewer(session)
    committee = create_committee(session, meeting_minutes=90)
    service.update_committee(
        session,
        committee.id or 0,
        data=committee_input(
            name=committee.name,
            rule=RuleChoice(advanced="FREQ=MONTHLY;BYDAY=-1TH;BYHOUR=19"),
            default_place=committee.default_place,
            meeting_minutes=90,
        ),
        by=admin,
    )
    assert committee.meeting_rule == "FREQ=MONTHLY;BYDAY=-1TH;BYHOUR=19"
    event = last_event(session, "update_committee")
    assert event.city_id == committee.city_id
    assert event.before == {
        "meeting_rule": "FREQ=MONTHLY;BYDAY=WE;BYSETPOS=3;BYHOUR=18;BYMINUTE=30"
    }
    assert event.after == {"meeting_rule": "FREQ=MONTHLY;BYDAY=-1TH;BYHOUR=19"}


def test_deactivating_a_committee_archives_it(session: Session) -> None:
    committee = create_committee(session)
    service.update_committee(
        session,
        committee.id or 0,
        data=committee_input(
            name=committee.name, default_place=committee.default_place, active=False
        ),
        by=admin_viewer(session),
    )
    assert committee.active is False
    assert committee.archived_at is not None
    assert last_event(session, "update_committee").after == {"active": False}


def test_committee_with_no_regular_meeting_has_no_rule(session: Session) -> None:
    city = create_city(session)
    committee = service.create_committee(
        session, data=committee_input(city_id=city.id, rule=RuleChoice()), by=admin_viewer(session)
    )
    assert committee.meeting_rule is None


@pytest.mark.parametrize("role", ["county_staff", "liaison", "member"])
def test_only_admins_may_change_committees(session: Session, role: str) -> None:
    committee = create_committee(session)
    viewer = viewer_of(session, create_user(session, role=role))
    with pytest.raises(NotPermitted):
        service.create_committee(
            session, data=committee_input(city_id=committee.city_id, name="New"), by=viewer
        )
    with pytest.raises(NotPermitted):
        service.update_committee(session, committee.id or 0, data=committee_input(), by=viewer)
