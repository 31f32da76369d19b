"""The permission matrix of the README, checked for every route of the app and every role.

Each route is listed once in ACCESS with the rule it follows. A route added to the app without a
row here fails `test_every_route_is_in_the_matrix`.

Roles: admin, county staff, a liaison of the city, a member of the committee, and an anonymous
visitor; committee routes are also requested for a committee of another city ("other"), which the
liaison and the member may not see (404, existence not revealed).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from sqlmodel import Session

from jcpp.models import (
    AgendaItem,
    Committee,
    Concern,
    FollowUp,
    Meeting,
    Membership,
    Person,
    RecurringConcern,
    RecurringConcernMember,
    User,
)
from scheduler.jobs import jobs_by_id
from tests.factories import create_meeting, create_membership, create_minutes, create_person
from tests.meetings.helpers import World, build_world
from tests.web import WebClient

ROLES = ("admin", "county_staff", "liaison", "member", "anonymous")
OK = "ok"  # 200, 204 or a 303 that is not a redirect to the sign-in page


def committee_read(role: str, own: bool) -> int | str:
    if role == "anonymous":
        return 303
    if role in ("admin", "county_staff") or own:
        return 200
    return 404


def committee_write(role: str, own: bool) -> int | str:
    if role == "anonymous":
        return 303
    if role == "admin" or (role == "liaison" and own):
        return OK
    if role in ("liaison", "member") and not own:
        return 404
    return 403


def admin_only(role: str, own: bool) -> int | str:
    return {"admin": OK, "anonymous": 303}.get(role, 403)


def audit_readers(role: str, own: bool) -> int | str:
    return {"admin": 200, "county_staff": 200, "anonymous": 303}.get(role, 403)


def signed_in(role: str, own: bool) -> int | str:
    return 303 if role == "anonymous" else OK


def sign_in_page(role: str, own: bool) -> int | str:
    return 200 if role == "anonymous" else 303  # signed-in users go on to their page


def anyone(status: int) -> Callable[[str, bool], int | str]:
    return lambda role, own: status


@dataclass
class Scene:
    committee: Committee
    meeting: Meeting
    item: AgendaItem
    person: Person
    membership: Membership
    target_user: User
    world: World
    follow_up: FollowUp | None = None  # an open follow-up of `meeting`, assigned to no user
    # A recurring concern of the committee (jcpp/recurring), made only for the rows that name
    # one ({recurring}, {concern}): the other rows' meeting must have no concern ({rev}).
    make_recurring: Callable[[], tuple[int, int]] | None = None
    recurring: tuple[int, int] | None = None

    @property
    def city_slug(self) -> str:
        world = self.world
        return (world.city if self.committee.city_id == world.city.id else world.other_city).slug

    def fill(self, template: str) -> str:
        if self.make_recurring and self.recurring is None and "{recurring}" in template:
            self.recurring = self.make_recurring()
        recurring, concern = self.recurring or (0, 0)
        return template.format(
            recurring=recurring,
            concern=concern,
            committee=self.committee.id,
            committee_slug=self.committee.slug,
            city_slug=self.city_slug,
            follow_up=self.follow_up.id if self.follow_up else 0,
            meeting=self.meeting.id,
            item=self.item.id,
            person=self.person.id,
            membership=self.membership.id,
            city=self.committee.city_id,
            user=self.target_user.id,
            rev=1,
            topic="youth",  # topics are addressed by slug; the shipped list has this one
            job=FIRST_JOB,
        )


@dataclass(frozen=True)
class Access:
    method: str
    path: str
    rule: Callable[[str, bool], int | str]
    data: dict[str, Any] = field(default_factory=dict)
    minutes_status: str = "draft"
    per_committee: bool = True


def not_proposed(role: str, own: bool) -> int | str:
    """A review of a finding the meeting does not have: refused as for any write, else 404."""
    expected = committee_write(role, own)
    return 404 if expected == OK else expected


def read(path: str, **kw: Any) -> Access:
    return Access("GET", path, committee_read, **kw)


def write(path: str, data: dict[str, Any] | None = None, **kw: Any) -> Access:
    return Access("POST", path, committee_write, data or {}, **kw)


def admin(method: str, path: str, data: dict[str, Any] | None = None) -> Access:
    return Access(method, path, admin_only, data or {}, per_committee=False)


M = "/meetings/{meeting}"


def export_of_committee(role: str, own: bool) -> int | str:
    """An export asked for one committee: one out of scope is refused like a wrong choice on
    the form (422: "not among the committees you can export"), revealing nothing."""
    expected = committee_read(role, own)
    return 422 if expected == 404 else expected


ACCESS: list[Access] = [
    Access("GET", "/login", sign_in_page, per_committee=False),
    Access(
        "POST",
        "/login",
        anyone(422),
        {"email": "x@example.org", "password": "wrong"},
        per_committee=False,
    ),
    Access("POST", "/logout", anyone(303), per_committee=False),
    Access("GET", "/healthz", anyone(200), per_committee=False),
    Access("GET", "/", signed_in, per_committee=False),
    Access("GET", "/account/password", signed_in, per_committee=False),
    Access("POST", "/account/password", anyone(303), per_committee=False),  # replaced below
    Access("GET", "/audit", audit_readers, per_committee=False),
    Access("GET", "/committees", signed_in, per_committee=False),
    read("/committees/{committee}"),
    write("/committees/{committee}/schedule", {"months": "2"}),
    write(
        "/committees/{committee}/meetings",
        {"date": "2027-05-05", "start": "18:30", "end": "20:00", "place": "Library"},
    ),
    read(M),
    write(
        M,
        {
            "date": "2026-03-18",
            "start": "19:00",
            "end": "20:30",
            "place": "Library",
            "version": "1",
        },
    ),
    # Meeting changes send the version of the meeting their page was loaded at.
    write(M + "/status", {"status": "held", "version": "1"}),
    write(M + "/attendance", {"person-{person}": "present", "guest_count": "2", "version": "1"}),
    read(M + "/agenda"),
    Access("GET", M + "/agenda/{item}/edit", committee_write),
    write(M + "/agenda", {"title": "Chief's report", "version": "1"}),
    write(M + "/agenda/{item}", {"title": "Welcome", "version": "1"}),
    write(M + "/agenda/{item}/move", {"direction": "down", "version": "1"}),
    write(M + "/agenda/{item}/delete", {"version": "1"}),
    # Old business carried onto the agenda (issue 4).
    write(M + "/old-business", {"version": "1"}),
    Access(
        "POST", M + "/old-business/{rev}/drop", not_proposed, {"reason": "Later", "version": "1"}
    ),
    read(M + "/minutes"),
    read(M + "/minutes/history"),
    read(M + "/minutes/revisions/{rev}"),
    read(M + "/minutes/revisions/{rev}/raw"),
    read(M + "/minutes/diff"),
    # Exports (issue 7, part 3: jcpp/exports): the minutes to print and as a PDF as the minutes
    # page; an export for everyone signed in, of what the viewer may see.
    read(M + "/minutes/print"),
    read(M + "/minutes.pdf"),
    Access("GET", "/exports", signed_in, per_committee=False),
    Access("GET", "/exports/download?what=meetings&format=csv", signed_in, per_committee=False),
    Access(
        "GET",
        "/exports/download?what=attendance&format=json&committee={committee_slug}",
        export_of_committee,
    ),  # fmt: skip
    write(M + "/minutes", {"text": "Revised minutes.", "base_revision": "2"}),
    write(M + "/minutes/preview", {"text": "**Preview**"}),
    write(M + "/minutes/approve", {"revision": "2"}),
    write(M + "/minutes/publish", {"revision": "2"}, minutes_status="approved"),
    write(M + "/minutes/unpublish", {"revision": "2"}, minutes_status="published"),
    write(M + "/minutes/review/topics/add", {"topic": "{topic}"}),
    # The scene's minutes were never analysed: editors get 404 (nothing proposed to review).
    Access("POST", M + "/minutes/review/topics/{topic}/confirm", not_proposed),
    Access("POST", M + "/minutes/review/topics/{topic}/reject", not_proposed),
    Access("POST", M + "/minutes/review/concerns/{rev}/confirm", not_proposed),
    Access("POST", M + "/minutes/review/concerns/{rev}/reject", not_proposed),
    Access("POST", M + "/minutes/review/concerns/{rev}/edit", not_proposed, {"text": "Speeding"}),
    Access("POST", M + "/minutes/review/actions/{rev}/confirm", not_proposed),
    Access("POST", M + "/minutes/review/actions/{rev}/reject", not_proposed),
    Access("POST", M + "/minutes/review/actions/{rev}/follow-up", not_proposed),
    admin("GET", "/admin"),
    admin("GET", "/admin/cities"),
    admin("POST", "/admin/cities", {"name": "Golden Valley"}),
    admin("POST", "/admin/cities/{city}", {"name": "Renamed City"}),
    admin("GET", "/admin/committees"),
    admin(
        "POST",
        "/admin/committees",
        {
            "city_id": "{city}",
            "name": "Police Advisory Commission",
            "kind": "pac",
            "rule_week": "2",
            "rule_weekday": "TH",
            "rule_time": "18:00",
            "meeting_minutes": "90",
        },
    ),
    admin("GET", "/admin/committees/{committee}"),
    admin(
        "POST",
        "/admin/committees/{committee}",
        {"name": "Renamed MAC", "kind": "mac", "meeting_minutes": "60", "active": "on"},
    ),
    admin("GET", "/admin/rule-preview?rule_week=3&rule_weekday=WE&rule_time=18:30"),
    admin(
        "POST",
        "/admin/committees/{committee}/members",
        {"name": "Sgt. Lena Moua", "role": "police", "start_date": "2025-01-01"},
    ),
    admin("POST", "/admin/memberships/{membership}/end", {"end_date": "2025-12-31"}),
    admin(
        "POST",
        "/admin/memberships/{membership}",
        {"role": "chair", "start_date": "2022-01-01", "end_date": ""},
    ),
    admin("GET", "/admin/users"),
    admin(
        "POST",
        "/admin/users",
        {
            "email": "new.user@example.org",
            "name": "New User",
            "role": "county_staff",
            "password": "long enough pass",
        },
    ),
    admin("GET", "/admin/users/{user}"),
    admin(
        "POST",
        "/admin/users/{user}",
        {"email": "target@example.org", "name": "Renamed", "role": "county_staff"},
    ),
    admin("POST", "/admin/users/{user}/deactivate"),
    admin("POST", "/admin/users/{user}/activate"),
    admin("POST", "/admin/users/{user}/password", {"password": "another long one"}),
]
# Changing one's own password needs one's own current password: allowed for every signed-in user.
ACCESS[6] = Access(
    "POST",
    "/account/password",
    signed_in,
    {
        "current": "correct horse battery",
        "new": "a new passphrase!",
        "confirm": "a new passphrase!",
    },
    per_committee=False,
)


# The topic list (issue 3): everyone signed in reads it; county staff and admins change it.
def topic_editors(role: str, own: bool) -> int | str:
    return {"admin": OK, "county_staff": OK, "anonymous": 303}.get(role, 403)


def topics(method: str, path: str, rule: Callable[[str, bool], int | str], **data: str) -> Access:
    return Access(method, path, rule, dict(data), per_committee=False)


ACCESS += [
    topics("GET", "/topics", signed_in),
    topics("GET", "/topics/{topic}", signed_in),
    topics("POST", "/topics", topic_editors, name="Animal control", terms="loose dog"),
    topics(
        "POST",
        "/topics/{topic}",
        topic_editors,
        name="Youth",
        description="Young people",
        terms="youth\nteen",
        version="1",
    ),
    topics("POST", "/topics/{topic}/retire", topic_editors),
    topics("POST", "/topics/{topic}/restore", topic_editors),
    topics("POST", "/topics/{topic}/merge", topic_editors, into="community-education"),
]


# --- Views of follow-ups (issue 4: jcpp/boards) -------------------------------------------------
# A committee's follow-ups: whoever sees the committee. A city's board: whoever sees one of the
# city's committees (a member sees his committees' cards only). The board's quick status change
# follows the lifecycle: admins and the city's liaison (the scene's follow-up has no owner user).
# Department accountability: county staff and admins. Each list also answers ?format=csv.
# /follow-ups (where the lists are, what is assigned to me): everyone signed in.
def county_readers(role: str, own: bool) -> int | str:
    return {"admin": 200, "county_staff": 200, "anonymous": 303}.get(role, 403)


ACCESS += [
    Access("GET", "/follow-ups", signed_in, per_committee=False),
    read("/committees/{committee_slug}/follow-ups"),
    read("/committees/{committee_slug}/follow-ups?status=open&format=csv"),
    read("/cities/{city_slug}/follow-ups"),
    read("/cities/{city_slug}/follow-ups?overdue=1&format=csv"),
    write(
        "/cities/{city_slug}/follow-ups/{follow_up}/status",
        {"to": "acknowledged", "version": "1"},
    ),
    Access("GET", "/accountability", county_readers, per_committee=False),
    Access(
        "GET",
        "/accountability?sort=overdue&dir=desc&format=csv",
        county_readers,
        per_committee=False,
    ),
]
# --- end of the views of follow-ups -------------------------------------------------------------


# --- A follow-up's page, its comments, notifications (issue 4: jcpp/followups, jcpp/notify) -----
# The page: whoever sees its committee. Status, details and links: admins and the city's liaison
# (the scene's follow-up has no owner user, so the member may not report it done). Comments:
# whoever sees it. A concern's follow-up from the minutes review: as any review (the scene's
# minutes have no concern, so editors get 404). Notifications: each signed-in user her own;
# another's (the scene has none of the user's) answers 404.
def follow_up_commenters(role: str, own: bool) -> int | str:
    expected = committee_read(role, own)
    return OK if expected == 200 else expected


def no_such_concern(role: str, own: bool) -> int | str:
    """Linking a concern the committee does not have: refused as any write, else 422."""
    expected = committee_write(role, own)
    return 422 if expected == OK else expected


def not_ones_own(role: str, own: bool) -> int | str:
    return 303 if role == "anonymous" else 404


F = "/follow-ups/{follow_up}"
ACCESS += [
    read(F),
    write(F + "/status", {"to": "acknowledged", "version": "1"}),
    write(F, {"title": "Bring stop data by precinct", "due_date": "2026-05-20", "version": "1"}),
    Access("POST", F + "/comments", follow_up_commenters, {"body": "Which precincts?"}),
    Access("POST", F + "/concerns", no_such_concern, {"concern_id": "{rev}", "version": "1"}),
    write(F + "/concerns/{rev}/unlink", {"version": "1"}),
    write(F + "/topics", {"topic": "{topic}", "version": "1"}),
    write(F + "/topics/{topic}/unlink", {"version": "1"}),
    Access("POST", M + "/minutes/review/concerns/{rev}/follow-up", not_proposed),
    Access("GET", "/notifications?show=unread", signed_in, per_committee=False),
    Access("POST", "/notifications/read-all", signed_in, per_committee=False),
    Access("POST", "/notifications/{rev}/read", not_ones_own, per_committee=False),
]
# --- end of a follow-up's page, its comments, notifications -------------------------------------


# --- Recurring concerns (issue 4: jcpp/recurring) ----------------------------------------------
# The list and its CSV: everyone signed in (each sees those touching their committees or cities).
# A recurring concern's page: whoever sees a committee where one of its concerns was raised (the
# scene's is raised twice at the scene's committee). Confirming or splitting one of its concerns:
# admins and the liaison of the concern's city; others who can see it 403.
def raised_twice(session: Session, committee: Committee) -> tuple[int, int]:
    """(recurring concern, its first concern): one concern raised at two later meetings of the
    committee, proposed as a recurring concern."""
    concerns = []
    for day in (
        dt.datetime(2026, 4, 15, 23, 30, tzinfo=dt.UTC),
        dt.datetime(2026, 5, 20, 23, 30, tzinfo=dt.UTC),
    ):
        meeting = create_meeting(session, committee=committee, start_at=day)
        concern = Concern(
            meeting_id=meeting.id or 0,
            revision_number=1,
            start=0,
            end=0,
            text="Speeding by the school",
        )
        session.add(concern)
        concerns.append(concern)
    recurring = RecurringConcern(title="Speeding by the school")
    session.add(recurring)
    session.flush()
    for concern in concerns:
        session.add(
            RecurringConcernMember(recurring_id=recurring.id or 0, concern_id=concern.id or 0)
        )
    session.flush()
    return recurring.id or 0, concerns[0].id or 0


RC = "/recurring/{recurring}"
ACCESS += [
    Access("GET", "/recurring", signed_in, per_committee=False),
    Access("GET", "/recurring?flag=open&format=csv", signed_in, per_committee=False),
    read(RC),
    write(RC + "/concerns/{concern}/confirm", {"seen": "proposed"}),
    write(RC + "/concerns/{concern}/split", {"seen": "proposed"}),
]
# --- end of recurring concerns ------------------------------------------------------------------


# --- Trends (issue 5: jcpp/trends) ---------------------------------------------------------------
# The dashboard, the matrix and a topic's page (and their CSV/JSON): everyone signed in (the county
# total is for all; city by city, each sees the cities of her scope). A drill-down into one city:
# whoever sees a committee of that city's (a liaison her cities, a member his committees' cities);
# another city's is 404.
ACCESS += [
    Access("GET", "/trends", signed_in, per_committee=False),
    Access("GET", "/trends?measure=mentions&format=csv", signed_in, per_committee=False),
    Access("GET", "/trends/matrix?format=json", signed_in, per_committee=False),
    Access("GET", "/trends/topics/{topic}", signed_in, per_committee=False),
    read("/trends/evidence?topic={topic}&city={city_slug}"),
]
# --- end of trends --------------------------------------------------------------------------------


# --- Search (issue 5: jcpp/search) ----------------------------------------------------------------
# Everyone signed in; what it finds is scoped by role in the query itself (tests/search).
ACCESS += [
    Access("GET", "/search", signed_in, per_committee=False),
    Access("GET", "/search?q=stop+data&kind=follow_up&sort=newest", signed_in, per_committee=False),
    Access("GET", "/search/cities?city=a", signed_in, per_committee=False),
    Access("GET", "/search/committees?committee=a", signed_in, per_committee=False),
]
# --- end of search --------------------------------------------------------------------------------


# --- E-mail (issue 6: jcpp/mail) ----------------------------------------------------------------
# Notice choices: every signed-in user her own. The unsubscribe link needs no sign-in (its signed
# token is the proof): a token this app did not sign ("1") is 404 for everyone. The Outbox: admins
# only; the scene has no message, so an admin gets 404 for one.
def outbox_message(role: str, own: bool) -> int | str:
    return {"admin": 404, "anonymous": 303}.get(role, 403)


ACCESS += [
    Access("GET", "/account/notifications", signed_in, per_committee=False),
    Access(
        "POST",
        "/account/notifications",
        signed_in,
        {"email-meeting_reminder": "on", "digest": "never"},
        per_committee=False,
    ),
    Access("GET", "/unsubscribe/{rev}", anyone(404), per_committee=False),
    Access("POST", "/unsubscribe/{rev}", anyone(404), per_committee=False),
    admin("GET", "/admin/outbox"),
    admin("GET", "/admin/outbox?status=failed&kind=digest"),
    Access("GET", "/admin/outbox/{rev}", outbox_message, per_committee=False),
    Access("POST", "/admin/outbox/{rev}/retry", outbox_message, per_committee=False),
]
# --- end of e-mail --------------------------------------------------------------------------------


# --- Scheduled jobs (issue 6: jcpp/admin/job_routes) ---------------------------------------------
# Administrators only. "Run now" asks for the list's first job (while the list is empty any name
# is no such job: 404 for the admin, the others refused first).
FIRST_JOB = next(iter(jobs_by_id()), "no-such-job")


def job_runners(role: str, own: bool) -> int | str:
    return {"admin": OK if FIRST_JOB != "no-such-job" else 404, "anonymous": 303}.get(role, 403)


ACCESS += [
    admin("GET", "/admin/jobs"),
    admin("GET", "/admin/jobs?job={job}&page=2"),
    Access("POST", "/admin/jobs/{job}/run", job_runners, per_committee=False),
]
# --- end of scheduled jobs ------------------------------------------------------------------------


# --- Calendars (issue 7: jcpp/calendars) ---------------------------------------------------------
# One meeting's .ics: as the meeting page. A committee's and a city's feed: as their pages (these
# rows are signed in; a calendar link's ?token= is tested in tests/calendars). The public feed:
# 404 for everyone while the committee's public pages are off (the scene's are). The Subscribe
# page: every signed-in user her own links; removing a link that is not one's own is 404.
ACCESS += [
    read(M + "/calendar.ics"),
    read("/committees/{committee_slug}/calendar.ics"),
    read("/cities/{city_slug}/calendar.ics"),
    Access("GET", "/public/{committee_slug}/calendar.ics", anyone(404), per_committee=False),
    Access("GET", "/account/calendars", signed_in, per_committee=False),
    Access(
        "POST",
        "/account/calendars",
        signed_in,
        {"feed": "committee/{committee_slug}", "name": "Work phone"},
        per_committee=False,
    ),
    Access("POST", "/account/calendars/{rev}/revoke", not_ones_own, per_committee=False),
]
# --- end of calendars -----------------------------------------------------------------------------


# --- Import minutes (issue 7: jcpp/imports) ------------------------------------------------------
# Who may change the committee's meetings. An upload without files is the form again (422); a
# confirmation names an upload that is not waiting ("1" is no upload's token): 404.
def import_upload(role: str, own: bool) -> int | str:
    expected = committee_write(role, own)
    return 422 if expected == OK else expected


def import_confirm(role: str, own: bool) -> int | str:
    expected = committee_write(role, own)
    return 404 if expected == OK else expected


ACCESS += [
    Access("GET", "/committees/{committee}/import", committee_write),
    Access("POST", "/committees/{committee}/import", import_upload),
    Access("POST", "/committees/{committee}/import/{rev}", import_confirm),
]
# --- end of import minutes ------------------------------------------------------------------------


# --- Public pages (issue 7: jcpp/public) ---------------------------------------------------------
# The list of public committees: anyone, signed in or not. A committee's calendar and meeting
# pages: anyone, but the scene's committee has public pages off (the default), so they are 404
# for everyone (every other state that is not public: tests/public). The review of the names in
# the minutes: whoever edits them; with public pages off, saving it is refused (409). The switch:
# administrators only.
def public_pages_off(role: str, own: bool) -> int | str:
    expected = committee_write(role, own)
    return 409 if expected == OK else expected


ACCESS += [
    Access("GET", "/public", anyone(200), per_committee=False),
    Access("GET", "/public/{committee_slug}", anyone(404)),
    Access("GET", "/public/{committee_slug}/meetings/{meeting}", anyone(404)),
    Access("GET", M + "/minutes/public", committee_write),
    Access(
        "POST",
        M + "/minutes/public",
        public_pages_off,
        {"revision": "2", "hide": "person:{person}"},
        minutes_status="published",
    ),
    admin("POST", "/admin/committees/{committee}/public-pages", {"public_pages": "on"}),
]
# --- end of public pages -------------------------------------------------------------------------


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    def walk(routes: list[Any], prefix: str) -> Iterator[tuple[str, str]]:
        for route in routes:
            if hasattr(route, "original_router"):
                yield from walk(route.original_router.routes, prefix + route.include_context.prefix)
            elif isinstance(route, APIRoute):
                path = (prefix + route.path).replace(":int}", "}")
                for method in route.methods:
                    yield method, path

    yield from walk(app.routes, "")


def _shape(path: str) -> str:
    """/meetings/{meeting}/agenda/{item} and /meetings/{meeting_id}/agenda/{item_id} alike."""
    import re

    return re.sub(r"\{[^}]+\}", "{}", path.split("?")[0])


def test_every_route_is_in_the_matrix(app: FastAPI) -> None:
    in_app = {(method, _shape(path)) for method, path in app_routes(app)}
    in_matrix = {(a.method, _shape(a.path)) for a in ACCESS}
    assert in_app - in_matrix == set(), "routes without a row in ACCESS"
    assert in_matrix - in_app == set(), "rows in ACCESS for routes that do not exist"


@pytest.fixture
def world(session: Session) -> World:
    return build_world(session)


def _scene(session: Session, world: World, committee: Committee) -> Scene:
    start = dt.datetime(2026, 3, 18, 23, 30, tzinfo=dt.UTC)
    meeting = create_meeting(session, committee=committee, start_at=start)
    person = create_person(session, name="Amina Hassan")
    membership = create_membership(session, committee=committee, person=person, role="chair")
    item = AgendaItem(meeting_id=meeting.id or 0, position=1, title="Call to order")
    session.add_all([item, AgendaItem(meeting_id=meeting.id or 0, position=2, title="Adjourn")])
    target = world.users["member_other"]
    target.email = "target@example.org"
    session.add(target)
    follow_up = FollowUp(meeting_id=meeting.id or 0, title="Bring stop data")
    session.add(follow_up)
    session.flush()
    scene = Scene(committee, meeting, item, person, membership, target, world, follow_up)
    scene.make_recurring = lambda: raised_twice(session, committee)
    return scene


CASES = [
    pytest.param(
        access, role, own, id=f"{access.method} {access.path} {role}{'' if own else ' other'}"
    )
    for access in ACCESS
    for role in ROLES
    for own in ((True, False) if access.per_committee else (True,))
]


@pytest.mark.parametrize(("access", "role", "own"), CASES)
def test_route_answers_each_role_as_the_matrix_says(
    client: WebClient, session: Session, world: World, access: Access, role: str, own: bool
) -> None:
    committee = world.committee if own else world.other_committee
    scene = _scene(session, world, committee)
    create_minutes(
        session,
        meeting=scene.meeting,
        texts=["First draft.", "Second draft."],
        status=access.minutes_status,
    )
    if role != "anonymous":
        client.sign_in(world.users[role])
    url = scene.fill(access.path)
    if access.method == "GET":
        response = client.get(url)
    else:
        data = {
            scene.fill(k): scene.fill(v) if isinstance(v, str) else v
            for k, v in access.data.items()
        }
        response = client.post(url, data=data)

    expected = access.rule(role, own)
    if expected == OK:
        assert response.status_code in (200, 204, 303), response.text[:500]
        if response.status_code == 303:
            assert not response.headers["location"].startswith("/login")
    else:
        assert response.status_code == expected, response.text[:500]
        if expected == 303 and role == "anonymous" and access.path not in ("/logout",):
            assert response.headers["location"].startswith("/login")


# --- The read-only API and its tokens (issue 7: jcpp/api) ---------------------------------------
# /account/tokens: every signed-in user her own tokens; another's token (the scene has none of the
# user's) answers 404. The API itself is a FastAPI app mounted at /api/v1 (not walked by
# `app_routes`): its routes are listed in API_ACCESS and requested with each role's own token
# (no token: 401). A committee's things answer as the committee's pages do (404 out of scope).
ACCESS += [
    Access("GET", "/account/tokens", signed_in, per_committee=False),
    Access("POST", "/account/tokens", signed_in, {"name": "Data warehouse"}, per_committee=False),
    Access("POST", "/account/tokens/{rev}/revoke", not_ones_own, per_committee=False),
]


def api_read(role: str, own: bool) -> int | str:
    expected = committee_read(role, own)
    return 401 if expected == 303 else expected


def api_list(role: str, own: bool) -> int | str:
    return 401 if role == "anonymous" else 200


API_ACCESS: list[tuple[str, Callable[[str, bool], int | str]]] = [
    ("/openapi.json", anyone(200)),
    ("/cities", api_list),
    ("/committees?city={city}", api_list),
    ("/committees/{committee}", api_read),
    ("/meetings?committee={committee}&from=2026-01-01&status=scheduled", api_list),
    ("/meetings/{meeting}", api_read),
    ("/meetings/{meeting}/minutes", api_read),
    ("/topics", api_list),
    ("/mentions?meeting={meeting}&state=confirmed", api_list),
    ("/concerns?committee={committee}", api_list),
    ("/concerns/{concern}", api_read),
    ("/follow-ups?status=open&due_to=2026-12-31", api_list),
    ("/follow-ups/{follow_up}", api_read),
    ("/trends/counts?from=2026-01&to=2026-12", api_list),
]


def test_every_api_route_is_in_the_matrix(app: FastAPI) -> None:
    from starlette.routing import Mount

    (api,) = [r.app for r in app.routes if isinstance(r, Mount) and r.path == "/api/v1"]
    in_api = {(method, _shape(path)) for method, path in app_routes(api)}
    in_api.add(("GET", "/openapi.json"))  # a plain route of the API app, not an APIRoute
    in_matrix = {("GET", _shape(path)) for path, _ in API_ACCESS}
    assert in_api == in_matrix


@pytest.mark.parametrize(
    ("path", "rule", "role", "own"),
    [
        pytest.param(path, rule, role, own, id=f"GET /api/v1{path} {role}{'' if own else ' other'}")
        for path, rule in API_ACCESS
        for role in ROLES
        for own in ((True, False) if rule is api_read else (True,))
    ],
)
def test_api_answers_each_role_as_the_matrix_says(
    client: WebClient,
    session: Session,
    world: World,
    path: str,
    rule: Callable[[str, bool], int | str],
    role: str,
    own: bool,
) -> None:
    from jcpp.tokens.service import create_token

    scene = _scene(session, world, world.committee if own else world.other_committee)
    create_minutes(session, meeting=scene.meeting, texts=["First draft."])
    _, concern = raised_twice(session, scene.committee)
    headers = {}
    if role != "anonymous":
        _, raw = create_token(session, user=world.users[role], name="matrix")
        headers["Authorization"] = f"Bearer {raw}"
    url = "/api/v1" + scene.fill(path.replace("{concern}", str(concern)))
    response = client.get(url, headers=headers)
    assert response.status_code == rule(role, own), response.text[:500]
    assert response.headers["content-type"] == "application/json"


# --- end of the read-only API and its tokens -----------------------------------------------------
