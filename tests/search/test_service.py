"""Search: lemma matching, every kind of document, filters, orders, pages, the viewer's scope,
and an index kept on write that equals a rebuild."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlmodel import Session

from jcpp.derived import refresh_now
from jcpp.followups.lifecycle import change_status
from jcpp.minutes.service import save_minutes
from jcpp.models import Concern, ConcernTopic, Meeting
from jcpp.search import index
from jcpp.search.service import COUNT_CAP, PER_PAGE, SearchFilters
from tests.search.helpers import SearchWorld, index_rows, meeting_with_minutes, topic


def test_a_plural_finds_the_singular_and_the_other_way_round(
    session: Session, search_world: SearchWorld
) -> None:
    here, there = search_world.meetings["here"], search_world.meetings["there"]
    # The minutes say "stops"; the query says "stop".
    assert {hit.meeting_id for hit in search_world.find(session, "stop").hits} == {
        here.id,
        there.id,
    }
    meeting = meeting_with_minutes(
        session, search_world.world, f"The meeting was short. {search_world.marker}", day=9, hour=21
    )
    refresh_now(session)
    assert [hit.meeting_id for hit in search_world.find(session, "meetings").hits] == [meeting.id]


def test_every_kind_of_document_is_found_by_its_own_words(
    session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    assert w.agenda_item and w.concern and w.follow_up
    assert w.kinds(w.find(session, "inspection")) == [("agenda_item", w.agenda_item.id)]
    assert w.kinds(w.find(session, "licensing")) == [("agenda_item", w.agenda_item.id)]
    assert w.kinds(w.find(session, "tenant worried")) == [("concern", w.concern.id)]
    assert w.kinds(w.find(session, "eviction filing")) == [("follow_up", w.follow_up.id)]


def test_every_word_must_be_found(session: Session, search_world: SearchWorld) -> None:
    assert search_world.find(session, "traffic downtown").total == 1
    assert search_world.find(session, "traffic eviction").total == 0


def test_a_rejected_concern_is_not_a_concern_and_is_not_found(
    session: Session, search_world: SearchWorld
) -> None:
    assert search_world.concern is not None
    search_world.concern.state = "rejected"
    session.add(search_world.concern)
    refresh_now(session)
    assert search_world.find(session, "tenant").total == 0


def test_a_person_s_wording_of_a_concern_is_what_is_searched(
    session: Session, search_world: SearchWorld
) -> None:
    assert search_world.concern is not None
    search_world.concern.edited_text = f"Renters fear being evicted {search_world.marker}"
    session.add(search_world.concern)
    refresh_now(session)
    assert search_world.find(session, "tenant").total == 0
    assert search_world.find(session, "renter").total == 1


@pytest.mark.parametrize(
    ("role", "cities"),
    [
        ("admin", {"here", "there"}),
        ("county_staff", {"here", "there"}),
        ("liaison", {"here"}),
        ("member", {"here"}),
        ("liaison_other", {"there"}),
        ("member_other", {"there"}),
    ],
)
def test_a_viewer_finds_only_what_she_may_see(
    session: Session, search_world: SearchWorld, role: str, cities: set[str]
) -> None:
    expected = {search_world.meetings[name].id for name in cities}
    page = search_world.find(session, "traffic", role=role)
    assert {hit.meeting_id for hit in page.hits} == expected
    assert page.total == len(expected)


def test_searches_of_one_shape_one_after_another_each_keep_their_own_values(
    session: Session, search_world: SearchWorld
) -> None:
    """A search's statements are built once for each shape (viewer's kind of scope, filters
    set) and serve every search of that shape: no viewer's scope, no filter's value and no
    word of one search may stay in them for the next."""
    w = search_world
    here, there = w.meetings["here"].id, w.meetings["there"].id
    city, other_city = w.world.city.id, w.world.other_city.id
    for _ in range(2):
        for sort in ("relevance", "newest", "oldest"):
            for role, expected in (("liaison", {here}), ("liaison_other", {there})):
                page = w.find(session, "traffic", role=role, sort=sort)
                assert {hit.meeting_id for hit in page.hits} == expected, (role, sort)
            for city_id, expected in ((city, {here}), (other_city, {there})):
                page = w.find(session, "traffic", filters=SearchFilters(city_id=city_id))
                assert {hit.meeting_id for hit in page.hits} == expected, (city_id, sort)
            for day, expected in ((3, {here, there}), (4, {there})):
                filters = SearchFilters(date_from=dt.date(2026, 3, day))
                page = w.find(session, "traffic", filters=filters, sort=sort)
                assert {hit.meeting_id for hit in page.hits} == expected, (day, sort)
            for status, expected in (("draft", {here}), ("published", {there})):
                filters = SearchFilters(kind="minutes", status=status)
                page = w.find(session, "traffic", filters=filters, sort=sort)
                assert {hit.meeting_id for hit in page.hits} == expected, (status, sort)
            for day, expected in ((3, {here}), (4, {here, there})):
                filters = SearchFilters(date_to=dt.date(2026, 3, day))
                page = w.find(session, "traffic", filters=filters, sort=sort)
                assert {hit.meeting_id for hit in page.hits} == expected, (day, sort)
            evictions = w.find(session, "eviction", role="member", sort=sort)
            assert set(w.kinds(evictions)) == {
                ("concern", w.concern.id if w.concern else 0),
                ("follow_up", w.follow_up.id if w.follow_up else 0),
            }
            assert w.find(session, "eviction", role="member_other", sort=sort).total == 0


@pytest.mark.postgres_only
def test_postgresql_finds_the_same_page_whichever_way_the_planner_s_estimate_sends_it(
    session: Session, search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The EXPLAIN that reads the planner's estimate runs with the search's own values, and
    both ways of finding the newest matches (from the text index, or walking the ids) give the
    same pages and counts."""
    from jcpp.search import service

    w = search_world
    for day in range(1, 6):
        meeting_with_minutes(session, w.world, f"Hydrant {day}. {w.marker}", day=day, hour=20)
    refresh_now(session)
    found = {}
    for dense_from in (0, 10**9):  # no estimate is below 0; every one is below 10**9
        monkeypatch.setattr(service, "DENSE_MATCHES", dense_from)
        monkeypatch.setattr(service, "PER_PAGE", 2)
        found[dense_from] = [
            ([h.meeting_id for h in page.hits], page.total)
            for sort in ("relevance", "newest", "oldest")
            for page in (w.find(session, "hydrant", sort=sort, page=n) for n in (1, 2, 3))
        ]
    assert found[0] == found[10**9]
    assert [total for _ids, total in found[0]] == [5] * 9


def test_a_liaison_without_cities_and_a_member_without_committees_find_nothing(
    session: Session, search_world: SearchWorld
) -> None:
    from tests.factories import create_user

    for role in ("liaison", "member"):
        user = create_user(session, role=role)
        search_world.world.users[f"lonely_{role}"] = user
        assert search_world.find(session, "traffic", role=f"lonely_{role}").total == 0


def test_filters(session: Session, search_world: SearchWorld) -> None:
    w = search_world
    here, there = w.meetings["here"], w.meetings["there"]
    traffic, housing = topic(session, "traffic-safety"), topic(session, "housing")

    def found(words: str, **filters: object) -> set[tuple[str, int]]:
        return set(w.kinds(w.find(session, words, filters=SearchFilters(**filters))))  # type: ignore[arg-type]

    assert found("traffic", city_id=w.world.other_city.id) == {("minutes", there.id)}
    assert found("traffic", committee_id=w.world.committee.id) == {("minutes", here.id)}
    assert found("traffic", topic_id=traffic.id) == {("minutes", here.id), ("minutes", there.id)}
    assert found("", topic_id=housing.id) == {
        ("concern", w.concern.id if w.concern else 0),
        ("follow_up", w.follow_up.id if w.follow_up else 0),
    }
    assert found("", kind="follow_up") == {("follow_up", w.follow_up.id if w.follow_up else 0)}
    assert found("traffic", kind="minutes", status="published") == {("minutes", there.id)}
    assert found("traffic", date_from=dt.date(2026, 3, 4)) == {("minutes", there.id)}
    assert found("traffic", date_to=dt.date(2026, 3, 3)) == {("minutes", here.id)}
    assert found("traffic", date_from=dt.date(2026, 4, 1)) == set()


def test_orders_relevance_newest_oldest(session: Session, search_world: SearchWorld) -> None:
    w = search_world
    marker = w.marker
    once = meeting_with_minutes(
        session, w.world, f"Parking was mentioned. {marker}", day=20, hour=21
    )
    often = meeting_with_minutes(
        session, w.world, f"Parking, parking, parking: parking again. {marker}", day=10, hour=21
    )
    refresh_now(session)
    assert [h.meeting_id for h in w.find(session, "parking").hits] == [often.id, once.id]
    assert [h.meeting_id for h in w.find(session, "parking", sort="newest").hits] == [
        once.id,
        often.id,
    ]
    assert [h.meeting_id for h in w.find(session, "parking", sort="oldest").hits] == [
        often.id,
        once.id,
    ]


def test_pages_do_not_overlap_and_the_count_is_exact_below_the_cap(
    session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    for day in range(1, PER_PAGE + 6):
        meeting_with_minutes(
            session, w.world, f"Snow removal, day {day}. {w.marker}", day=day, hour=20
        )
    refresh_now(session)
    first = w.find(session, "snow", sort="newest")
    second = w.find(session, "snow", sort="newest", page=2)
    assert first.total == second.total == PER_PAGE + 5 < COUNT_CAP
    assert len(first.hits) == PER_PAGE and len(second.hits) == 5
    assert not {h.id for h in first.hits} & {h.id for h in second.hits}
    dates = [h.meeting_date for h in first.hits + second.hits]
    assert dates == sorted(dates, reverse=True)
    assert w.find(session, "snow", page=3).hits == []


def test_a_query_of_function_words_only_searches_nothing(
    session: Session, search_world: SearchWorld
) -> None:
    page = index_search(session, search_world, "the and of")
    assert page.terms == [] and page.hits == []


def index_search(session: Session, w: SearchWorld, words: str):  # type: ignore[no-untyped-def]
    from jcpp.search import service

    return service.search(
        session, words, viewer=w.viewer(session, "admin"), filters=SearchFilters()
    )


def test_new_minutes_replace_the_old_words(session: Session, search_world: SearchWorld) -> None:
    w = search_world
    here = w.meetings["here"]
    save_minutes(
        session, here.id or 0, text=f"Only the budget was discussed. {w.marker}",
        base_revision=1, note=None, by=w.viewer(session, "liaison"),
    )  # fmt: skip
    session.commit()  # the index is refreshed just before the commit
    assert [h.meeting_id for h in w.find(session, "stop").hits] == [w.meetings["there"].id]
    assert [h.meeting_id for h in w.find(session, "budget").hits] == [here.id]


def test_the_index_kept_on_write_equals_a_rebuild(
    session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    here, there = w.meetings["here"], w.meetings["there"]
    assert w.agenda_item and w.concern and w.follow_up
    liaison = w.viewer(session, "liaison")
    save_minutes(
        session, here.id or 0, text=f"Residents asked about speeding and stops. {w.marker}",
        base_revision=1, note=None, by=liaison,
    )  # fmt: skip
    session.commit()
    change_status(
        session, w.follow_up.id or 0, to="acknowledged", by=liaison, version=w.follow_up.version
    )
    session.delete(w.agenda_item)
    concern = session.get(Concern, w.concern.id)
    assert concern is not None
    concern.edited_text = f"Renters fear evictions {w.marker}"
    there.start_at = there.start_at + dt.timedelta(days=40)  # moved to another month
    session.add_all([concern, there])
    session.commit()
    meetings = [here.id or 0, there.id or 0]
    kept = index_rows(session, meetings)
    found = {words: w.kinds(w.find(session, words)) for words in ("stop", "renter", "eviction")}

    index.rebuild(session)

    assert index_rows(session, meetings) == kept
    assert {words: w.kinds(w.find(session, words)) for words in found} == found
    assert found["renter"] == [("concern", concern.id)]
    statuses = {row[1]: row[7] for row in kept[0]}
    assert statuses["follow_up"] == "acknowledged"
    assert "agenda_item" not in statuses


@pytest.mark.postgres_only
def test_postgres_text_index_has_no_pending_list_to_read(
    session: Session, search_world: SearchWorld
) -> None:
    """New documents go into PostgreSQL's GIN index at once (`fastupdate` off), so no search
    reads through a list of pending ones: as the migrations leave it and after a rebuild,
    which drops the index and builds it again."""

    def options() -> object:
        found = "SELECT reloptions FROM pg_class WHERE relname = 'ix_search_document_terms_tsv'"
        return session.connection().execute(text(found)).scalar_one()

    assert options() == ["fastupdate=off"]
    found = [h.id for h in search_world.find(session, "stop").hits]
    index.rebuild(session)
    assert options() == ["fastupdate=off"]
    assert found and [h.id for h in search_world.find(session, "stop").hits] == found


def test_a_topic_merge_moves_the_topic_filter(session: Session, search_world: SearchWorld) -> None:
    from jcpp.topics.merge import merge_topic

    w = search_world
    assert w.concern is not None
    source, target = topic(session, f"renting-{w.marker}"), topic(session, f"tenancy-{w.marker}")
    session.add(ConcernTopic(concern_id=w.concern.id or 0, topic_id=source.id or 0))
    refresh_now(session)
    assert w.find(session, "", filters=SearchFilters(topic_id=target.id)).total == 0

    merge_topic(session, source.slug, into=target.slug, by=w.viewer(session, "county_staff"))
    refresh_now(session)

    assert w.kinds(w.find(session, "", filters=SearchFilters(topic_id=target.id))) == [
        ("concern", w.concern.id)
    ]
    assert w.find(session, "", filters=SearchFilters(topic_id=source.id)).total == 0


def test_best_match_ranks_the_newest_matches_of_a_common_word(
    session: Session, search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jcpp.search import service

    w = search_world
    oldest = meeting_with_minutes(
        session, w.world, f"Potholes, potholes, potholes. {w.marker}", day=1, hour=21
    )
    older = meeting_with_minutes(session, w.world, f"Potholes again. {w.marker}", day=2, hour=21)
    newest = meeting_with_minutes(
        session, w.world, f"Potholes; more potholes. {w.marker}", day=5, hour=21
    )
    refresh_now(session)
    assert [h.meeting_id for h in w.find(session, "pothole").hits] == [
        oldest.id,
        newest.id,
        older.id,
    ]
    # Only the two newest ranked (the oldest repeats it most), then the older ones newest first.
    monkeypatch.setattr(service, "RANK_WINDOW", 2)
    assert [h.meeting_id for h in w.find(session, "pothole").hits] == [
        newest.id,
        older.id,
        oldest.id,
    ]
    monkeypatch.setattr(service, "PER_PAGE", 1)
    pages = [w.find(session, "pothole", page=n).hits for n in (1, 2, 3, 4)]
    assert [[h.meeting_id for h in hits] for hits in pages] == [
        [newest.id],
        [older.id],
        [oldest.id],
        [],
    ]


@pytest.mark.postgres_only
def test_postgresql_keeps_the_terms_out_of_the_documents_rows(session: Session) -> None:
    from sqlalchemy import text

    options = session.execute(
        text("SELECT reloptions FROM pg_class WHERE relname = 'search_document'")
    ).scalar_one()
    assert "toast_tuple_target=128" in (options or [])


def test_a_committee_moved_to_another_city_leaves_the_old_city_s_liaison_at_once(
    session: Session, search_world: SearchWorld
) -> None:
    w = search_world
    committee = w.world.committee
    committee.city_id = w.world.other_city.id or 0
    session.add(committee)
    session.flush()  # no refresh: the index still names the old city
    assert w.find(session, "traffic", role="liaison").total == 0


def _graffiti_over_the_years(session: Session, w: SearchWorld) -> list[Meeting]:
    """Meetings mentioning graffiti, newest first: two this year, one last year, one four years
    before; the newest documents of the (rolled back) test database, so these years are the
    last two."""
    meetings = [
        meeting_with_minutes(session, w.world, f"Graffiti {k}. {w.marker}", year=year, day=day)
        for k, (year, day) in enumerate(((2091, 9), (2091, 2), (2090, 5), (2087, 5)))
    ]
    refresh_now(session)
    return meetings


def test_the_newest_matches_are_the_newest_whether_the_last_two_years_hold_enough_or_not(
    session: Session, search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jcpp.search import service

    w = search_world
    expected = [m.id for m in _graffiti_over_the_years(session, w)]
    for per_page in (2, 3, 4):  # page 1 of 2 and of 3 lies in the last two years; of 4, not
        monkeypatch.setattr(service, "PER_PAGE", per_page)
        pages = [w.find(session, "graffiti", sort="newest", page=n) for n in (1, 2)]
        assert [h.meeting_id for page in pages for h in page.hits] == expected
        assert {page.total for page in pages} == {4}
    for window in (2, 3, 4, 200):  # best match ranks the newest `window`, then older ones
        monkeypatch.setattr(service, "RANK_WINDOW", window)
        monkeypatch.setattr(service, "PER_PAGE", 20)
        page = w.find(session, "graffiti")
        assert sorted(h.meeting_id for h in page.hits[:window]) == sorted(expected[:window])
        assert [h.meeting_id for h in page.hits[window:]] == expected[window:]
        assert page.total == 4
        # One a page: the same order, pages inside the window and past it, and past the end.
        monkeypatch.setattr(service, "PER_PAGE", 1)
        pages = [w.find(session, "graffiti", page=n) for n in (1, 2, 3, 4, 5)]
        assert [h.meeting_id for one in pages for h in one.hits] == [
            h.meeting_id for h in page.hits
        ]
        assert {one.total for one in pages} == {4}


@pytest.mark.postgres_only
def test_postgresql_finds_a_page_the_last_two_years_fill_without_sorting_every_match(
    session: Session, search_world: SearchWorld, monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import event
    from sqlalchemy import select as select_columns

    from jcpp.search import service

    w = search_world
    meetings = _graffiti_over_the_years(session, w)
    sorted_matches: list[str] = []

    def seen(_conn, _cursor, statement: str, parameters, *_args) -> None:  # type: ignore[no-untyped-def]
        if "@@" in statement and "ORDER BY" in statement and "EXPLAIN" not in statement:
            sorted_matches.append(str(parameters))  # the words are parameters

    monkeypatch.setattr(service, "PER_PAGE", 3)
    monkeypatch.setattr(service, "RANK_WINDOW", 3)
    assert session.execute(select_columns(service._NEWEST_YEAR)).scalar() == 2091
    event.listen(session.connection(), "before_cursor_execute", seen)
    try:
        for sort in ("newest", "relevance"):
            sorted_matches.clear()
            page = w.find(session, "graffiti", sort=sort)
            # The last two years (2091, 2090) hold the page: no second look among all.
            assert len(sorted_matches) == 1 and "zzyear" in sorted_matches[0], sort
            assert {h.meeting_id for h in page.hits} == {m.id for m in meetings[:3]}
            assert page.total == 4
    finally:
        event.remove(session.connection(), "before_cursor_execute", seen)
