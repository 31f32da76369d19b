"""The notice jobs with a controlled clock (now: Tuesday Nov 24, 2026, 10:00 in the county):
meeting reminders, minutes still missing, follow-ups due and overdue, cities without a
meeting. Each is run twice: the second run tells nobody anything again."""

from __future__ import annotations

import datetime as dt

from bs4 import BeautifulSoup
from sqlmodel import Session, col, select

from jcpp import clock
from jcpp.config import get_settings
from jcpp.mail.preferences import MEETING_REMINDER, turn_off
from jcpp.models import City, FollowUp, Meeting, Notification, OutboxMessage, User
from scheduler.tasks.cadence import alert_lapsed_cities
from scheduler.tasks.followups import remind_follow_ups, remind_missing_minutes
from scheduler.tasks.reminders import send_meeting_reminders
from tests.factories import (
    create_city,
    create_committee,
    create_meeting,
    create_membership,
    create_minutes,
    create_person,
    create_user,
)

PERIOD = "2026-11-24"


def local(year: int, month: int, day: int, hour: int = 18, minute: int = 30) -> dt.datetime:
    """A county wall-clock time, in UTC."""
    return dt.datetime(year, month, day, hour, minute, tzinfo=clock.zone()).astimezone(dt.UTC)


def mail(session: Session, key: str) -> OutboxMessage | None:
    return session.exec(select(OutboxMessage).where(OutboxMessage.dedupe_key == key)).first()


def keys(session: Session, prefix: str) -> set[str]:
    rows = session.exec(
        select(OutboxMessage.dedupe_key).where(col(OutboxMessage.dedupe_key).startswith(prefix))
    )
    return set(rows)


def notices(session: Session, user: User) -> list[str]:
    rows = session.exec(
        select(Notification.message)
        .where(Notification.user_id == user.id)
        .order_by(col(Notification.id))
    )
    return list(rows)


def base() -> str:
    return get_settings().base_url.rstrip("/")


# ---------------------------------------------------------------- meeting reminders


def test_the_roster_with_accounts_is_reminded_two_days_before_once(
    session: Session, at: list[dt.datetime]
) -> None:
    committee = create_committee(session, name="Edina <Youth> & Police MAC")
    city = session.get(City, committee.city_id)
    meeting = create_meeting(
        session, committee=committee, start_at=local(2026, 11, 26), place="Room 2 <east>"
    )
    later = create_meeting(session, committee=committee, start_at=local(2026, 11, 27))
    linked = create_person(session, email="not-the-account@example.org")
    linked_user = create_user(session, role="member", committees=[committee], person_id=linked.id)
    by_address = create_person(session, email="  Chair@Example.org ")
    address_user = create_user(session, role="liaison", email="chair@example.org")
    no_account = create_person(session, email="resident@example.org")
    former = create_person(session)
    former_user = create_user(session, role="member", person_id=former.id)
    for person in (linked, by_address, no_account):
        create_membership(session, committee=committee, person=person)
    create_membership(session, committee=committee, person=former, end_date=dt.date(2026, 6, 1))

    outcome = send_meeting_reminders(session, now=at[0], period=PERIOD)

    assert keys(session, f"reminder:{meeting.id}:") == {
        f"reminder:{meeting.id}:{linked_user.id}",
        f"reminder:{meeting.id}:{address_user.id}",
    }
    assert keys(session, f"reminder:{later.id}:") == set()  # three days ahead: not yet
    assert outcome == "1 meeting in the next 2 days: 2 e-mails queued, 2 in-app notices"
    row = mail(session, f"reminder:{meeting.id}:{linked_user.id}")
    assert row is not None and row.to_address == linked_user.email and row.html_body
    assert row.subject == f"Reminder: {committee.name} meets Thu Nov 26, 2026, 6:30 pm"
    assert "When:  Thu Nov 26, 2026, 6:30 pm" in row.text_body
    assert "Where: Room 2 <east>" in row.text_body  # plain text is not HTML: nothing escaped
    assert f"{base()}/meetings/{meeting.id}" in row.text_body
    html = BeautifulSoup(row.html_body, "html.parser")
    assert html.select_one("h1").get_text() == f"{committee.name} meets Thu Nov 26, 2026, 6:30 pm"
    assert html.find("youth") is None and html.find("east") is None  # escaped, not markup
    cells = [td.get_text() for td in html.select("table td")]
    assert cells == ["Thu Nov 26, 2026, 6:30 pm", "Room 2 <east>"]
    assert html.select_one(f'a[href="{base()}/meetings/{meeting.id}"]') is not None
    assert city is not None and city.name in html.get_text()
    expected = f"Reminder: {committee.name} meets Thu Nov 26, 2026, 6:30 pm at Room 2 <east>."
    assert notices(session, linked_user) == [expected]
    assert notices(session, address_user) == [expected]
    assert notices(session, former_user) == []

    again = send_meeting_reminders(session, now=at[0] + dt.timedelta(hours=1), period=PERIOD)

    assert again == "1 meeting in the next 2 days: 0 e-mails queued, 0 in-app notices"
    assert len(notices(session, linked_user)) == 1


def test_a_member_who_turned_reminders_off_gets_the_in_app_notice_only(
    session: Session, at: list[dt.datetime]
) -> None:
    committee = create_committee(session)
    meeting = create_meeting(session, committee=committee, start_at=local(2026, 11, 25))
    person = create_person(session)
    user = create_user(session, role="member", committees=[committee], person_id=person.id)
    create_membership(session, committee=committee, person=person)
    turn_off(session, user_id=user.id or 0, kind=MEETING_REMINDER)

    send_meeting_reminders(session, now=at[0], period=PERIOD)

    assert mail(session, f"reminder:{meeting.id}:{user.id}") is None
    assert len(notices(session, user)) == 1


# ---------------------------------------------------------------- minutes still missing


def test_missing_minutes_are_told_to_the_citys_liaisons_3_and_7_days_after(
    session: Session, at: list[dt.datetime]
) -> None:
    committee = create_committee(session)
    city = session.get(City, committee.city_id)
    liaison = create_user(session, role="liaison", cities=[city])
    other_liaison = create_user(session, role="liaison", cities=[create_city(session)])
    three = create_meeting(
        session, committee=committee, start_at=local(2026, 11, 21), status="held"
    )
    seven = create_meeting(session, committee=committee, start_at=local(2026, 11, 17))
    written = create_meeting(session, committee=committee, start_at=local(2026, 11, 20))
    create_minutes(session, meeting=written, texts=["1. Call to order"])
    cancelled = create_meeting(
        session, committee=committee, start_at=local(2026, 11, 21, 9), status="cancelled"
    )
    old = create_meeting(session, committee=committee, start_at=local(2025, 3, 1))

    outcome = remind_missing_minutes(session, now=at[0], period=PERIOD)

    sent = keys(session, "minutes-missing:")
    assert f"minutes-missing:3:{three.id}:{liaison.id}" in sent
    assert f"minutes-missing:7:{seven.id}:{liaison.id}" in sent
    ours = {written.id, cancelled.id, old.id}
    assert not [key for key in sent if int(key.split(":")[2]) in ours]
    assert not [key for key in sent if key.endswith(f":{other_liaison.id}")]
    assert "2 meetings still without minutes: 2 e-mails queued, 2 in-app notices" in outcome
    row = mail(session, f"minutes-missing:3:{three.id}:{liaison.id}")
    assert row is not None and row.html_body
    assert row.subject == f"Minutes still missing: {committee.name}, Nov 21, 2026"
    assert "was 3 days ago, and its minutes are not written yet" in row.text_body
    link = BeautifulSoup(row.html_body, "html.parser").select_one("a")
    assert link is not None and link["href"] == f"{base()}/meetings/{three.id}"

    again = remind_missing_minutes(session, now=at[0], period=PERIOD)

    assert "0 e-mails queued, 0 in-app notices" in again
    assert len(notices(session, liaison)) == 2


# ---------------------------------------------------------------- follow-ups


def follow_up(session: Session, meeting: Meeting, **kw: object) -> FollowUp:
    row = FollowUp(meeting_id=meeting.id or 0, title="Speed signs near the school", **kw)
    session.add(row)
    session.flush()
    return row


def test_follow_ups_due_in_3_days_and_newly_overdue_are_told_to_owner_and_liaison(
    session: Session, at: list[dt.datetime]
) -> None:
    committee = create_committee(session)
    city = session.get(City, committee.city_id)
    liaison = create_user(session, role="liaison", cities=[city])
    owner = create_user(session, role="member", committees=[committee])
    meeting = create_meeting(session, committee=committee, start_at=local(2026, 10, 21))
    soon = follow_up(session, meeting, owner_user_id=owner.id, due_date=dt.date(2026, 11, 27))
    later = follow_up(session, meeting, owner_user_id=owner.id, due_date=dt.date(2026, 11, 28))
    late = follow_up(session, meeting, owner_text="Public Works", due_date=dt.date(2026, 11, 20))
    done = follow_up(
        session, meeting, owner_user_id=owner.id, due_date=dt.date(2026, 11, 20),
        status="verified_done",
    )  # fmt: skip
    long_ago = follow_up(session, meeting, owner_user_id=owner.id, due_date=dt.date(2026, 9, 1))

    remind_follow_ups(session, now=at[0], period=PERIOD)

    assert keys(session, f"follow-up-due:{soon.id}:") == {
        f"follow-up-due:{soon.id}:2026-11-27:{owner.id}",
        f"follow-up-due:{soon.id}:2026-11-27:{liaison.id}",
    }
    assert keys(session, f"follow-up-overdue:{late.id}:") == {
        f"follow-up-overdue:{late.id}:2026-11-20:{liaison.id}"  # no account owns it
    }
    for quiet in (later, done, long_ago):
        assert not keys(session, f"follow-up-due:{quiet.id}:")
        assert not keys(session, f"follow-up-overdue:{quiet.id}:")
    row = mail(session, f"follow-up-due:{soon.id}:2026-11-27:{owner.id}")
    assert row is not None and row.html_body
    assert row.subject == "Follow-up due soon: Speed signs near the school"
    assert "A follow-up you own is due on Nov 27, 2026." in row.text_body
    assert f"{base()}/follow-ups/{soon.id}" in row.text_body
    overdue = mail(session, f"follow-up-overdue:{late.id}:2026-11-20:{liaison.id}")
    assert overdue is not None and overdue.html_body
    html = BeautifulSoup(overdue.html_body, "html.parser")
    assert "was due on Nov 20, 2026 and is not done yet" in " ".join(html.get_text().split())
    assert [td.get_text() for td in html.select("table td")][-1] == "Public Works"
    owner_notices = session.exec(select(Notification).where(Notification.user_id == owner.id)).all()
    assert [(n.kind, n.follow_up_id) for n in owner_notices] == [("follow_up_due", soon.id)]
    assert owner_notices[0].message == (
        "The follow-up “Speed signs near the school” is due Nov 27, 2026."
    )

    remind_follow_ups(session, now=at[0] + dt.timedelta(hours=2), period=PERIOD)
    assert len(notices(session, owner)) == 1
    assert len(keys(session, f"follow-up-due:{soon.id}:")) == 2

    soon.due_date = dt.date(2026, 11, 26)  # a new due date: a new reminder
    session.add(soon)
    session.flush()
    remind_follow_ups(session, now=at[0], period=PERIOD)
    assert f"follow-up-due:{soon.id}:2026-11-26:{owner.id}" in keys(session, "follow-up-due:")


# ---------------------------------------------------------------- cadence


def test_a_city_without_a_meeting_held_in_35_days_is_reported_once_per_lapse(
    session: Session, at: list[dt.datetime]
) -> None:
    staff = create_user(session, role="county_staff")
    admin = create_user(session, role="admin")
    create_user(session, role="county_staff", active=False)
    quiet = create_committee(session, city=create_city(session, name="Quietville"))
    quiet_city = session.get(City, quiet.city_id)
    liaison = create_user(session, role="liaison", cities=[quiet_city])
    last = create_meeting(session, committee=quiet, start_at=local(2026, 10, 14), status="held")
    create_meeting(session, committee=quiet, start_at=local(2026, 11, 18), status="cancelled")
    busy = create_committee(session)
    create_meeting(session, committee=busy, start_at=local(2026, 11, 18), status="held")
    newcomer = create_committee(session)  # joined today: no meeting yet, no lapse yet
    assert quiet_city is not None

    alert_lapsed_cities(session, now=at[0], period=PERIOD)

    sent = keys(session, "cadence:")
    assert f"cadence:{quiet.city_id}:{last.id}:{staff.id}" in sent
    assert f"cadence:{quiet.city_id}:{last.id}:{admin.id}" in sent
    assert not [
        k
        for k in sent
        if k.startswith((f"cadence:{busy.city_id}:", f"cadence:{newcomer.city_id}:"))
    ]
    assert not [k for k in sent if k.endswith(f":{liaison.id}")]
    row = mail(session, f"cadence:{quiet.city_id}:{last.id}:{staff.id}")
    assert row is not None and row.html_body
    assert row.subject == "Quietville: no meeting held in 41 days"
    assert "The last meeting held was on Oct 14, 2026." in row.text_body
    html = BeautifulSoup(row.html_body, "html.parser")
    assert html.select_one(f'a[href="{base()}/committees"]') is not None

    later = at[0] + dt.timedelta(days=7)
    alert_lapsed_cities(session, now=later, period="2026-12-01")
    assert keys(session, f"cadence:{quiet.city_id}:") == {
        f"cadence:{quiet.city_id}:{last.id}:{staff.id}",
        f"cadence:{quiet.city_id}:{last.id}:{admin.id}",
    }

    held = create_meeting(session, committee=quiet, start_at=local(2026, 12, 2), status="held")
    alert_lapsed_cities(session, now=at[0] + dt.timedelta(days=20), period="2026-12-14")
    assert len(keys(session, f"cadence:{quiet.city_id}:")) == 2  # a meeting ended the lapse
    alert_lapsed_cities(session, now=at[0] + dt.timedelta(days=50), period="2027-01-13")
    assert f"cadence:{quiet.city_id}:{held.id}:{staff.id}" in keys(session, "cadence:")
