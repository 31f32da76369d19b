from __future__ import annotations

import pytest
from sqlmodel import Session, col, select

from jcpp.auth.permissions import Viewer
from jcpp.errors import Conflict, InvalidInput, NotFound, NotPermitted
from jcpp.minutes import service
from jcpp.minutes.diff import count_words, diff_texts, word_changes
from jcpp.models import MAX_MINUTES_BYTES, AuditEvent, Minutes, MinutesRevision
from tests.minutes.conftest import Scene, viewer_for
from tests.minutes.helpers import pasted_from_pdf


def save(session: Session, scene: Scene, by: Viewer, text: str, base: int, note: str = ""):  # type: ignore[no-untyped-def]
    return service.save_minutes(
        session, scene.meeting_id, text=text, base_revision=base, note=note, by=by
    )


def revisions(session: Session, scene: Scene) -> list[MinutesRevision]:
    return list(
        session.exec(
            select(MinutesRevision)
            .where(MinutesRevision.meeting_id == scene.meeting_id)
            .order_by(col(MinutesRevision.number))
        ).all()
    )


def audit_events(session: Session, scene: Scene, action: str) -> list[AuditEvent]:
    return list(
        session.exec(
            select(AuditEvent)
            .where(AuditEvent.action == action, AuditEvent.city_id == scene.city.id)
            .order_by(col(AuditEvent.id))
        ).all()
    )


# Saving


def test_first_save_creates_draft_minutes_with_revision_one(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    outcome = save(session, scene, liaison, "1. Call to order at 6:32 pm", 0, note="first draft")

    assert outcome.created and outcome.revision.number == 1
    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == scene.meeting_id)).one()
    assert (minutes.status, minutes.current_revision) == ("draft", 1)
    assert outcome.revision.author_id == liaison.id
    assert outcome.revision.note == "first draft"
    [event] = audit_events(session, scene, "minutes_saved")
    assert event.user_id == liaison.id and event.city_id == scene.city.id
    assert event.after is not None and event.after["revision"] == 1


def test_revisions_are_numbered_in_order_and_old_rows_never_change(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    for n in range(1, 4):
        save(session, scene, liaison, f"Version {n}", n - 1)
    before = [
        (r.id, r.number, r.text, r.author_id, r.created_at) for r in revisions(session, scene)
    ]
    for n in range(4, 8):
        save(session, scene, liaison, f"Version {n}", n - 1)
    session.expire_all()

    rows = revisions(session, scene)
    assert [r.number for r in rows] == [1, 2, 3, 4, 5, 6, 7]
    assert [r.text for r in rows] == [f"Version {n}" for n in range(1, 8)]
    after = [(r.id, r.number, r.text, r.author_id, r.created_at) for r in rows[:3]]
    assert after == before
    assert len(audit_events(session, scene, "minutes_saved")) == 7


def test_stale_base_is_refused_with_the_newest_revision_attached(
    session: Session, scene: Scene, liaison: Viewer, admin: Viewer
) -> None:
    save(session, scene, liaison, "Draft by the liaison", 0)
    save(session, scene, admin, "Admin fixed a typo", 1, note="typo")

    with pytest.raises(service.MinutesConflict) as refused:
        save(session, scene, liaison, "The liaison's longer edit", 1)

    stored = refused.value.stored
    assert stored.revision.number == 2
    assert stored.revision.text == "Admin fixed a typo"
    assert stored.author_name == admin.user.name
    assert refused.value.status_code == 409
    assert [r.number for r in revisions(session, scene)] == [1, 2]


def test_saving_again_on_the_newest_base_deliberately_overwrites(
    session: Session, scene: Scene, liaison: Viewer, admin: Viewer
) -> None:
    save(session, scene, liaison, "one", 0)
    save(session, scene, admin, "two", 1)
    with pytest.raises(service.MinutesConflict) as refused:
        save(session, scene, liaison, "mine", 1)

    outcome = save(session, scene, liaison, "mine", refused.value.stored.revision.number)

    assert outcome.revision.number == 3
    assert [r.text for r in revisions(session, scene)] == ["one", "two", "mine"]


def test_identical_text_creates_no_revision(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "Line one\nLine two", 0)

    # A browser sends the textarea with CRLF line ends: still the same text.
    outcome = save(session, scene, liaison, "Line one\r\nLine two", 1)

    assert not outcome.created and outcome.revision.number == 1
    assert len(revisions(session, scene)) == 1
    assert len(audit_events(session, scene, "minutes_saved")) == 1


def test_identical_text_on_a_stale_base_is_not_a_conflict(
    session: Session, scene: Scene, liaison: Viewer, admin: Viewer
) -> None:
    save(session, scene, liaison, "one", 0)
    save(session, scene, admin, "same words", 1)

    outcome = save(session, scene, liaison, "same words", 1)

    assert not outcome.created and outcome.revision.number == 2


def test_minutes_of_exactly_the_limit_are_kept_and_one_byte_more_refused(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    at_limit = "é" * (MAX_MINUTES_BYTES // 2)  # two UTF-8 bytes each
    assert len(at_limit.encode()) == MAX_MINUTES_BYTES
    save(session, scene, liaison, at_limit, 0)

    with pytest.raises(InvalidInput) as refused:
        save(session, scene, liaison, at_limit + "a", 1)

    assert "1 MB" in refused.value.errors["text"]
    assert refused.value.status_code == 422
    assert len(revisions(session, scene)) == 1


@pytest.mark.parametrize("text", ["", "   ", "\r\n\n\t"])
def test_empty_minutes_are_refused(
    session: Session, scene: Scene, liaison: Viewer, text: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        save(session, scene, liaison, text, 0)
    assert "empty" in refused.value.errors["text"]
    assert revisions(session, scene) == []
    assert session.exec(select(Minutes).where(Minutes.meeting_id == scene.meeting_id)).all() == []


def test_overlong_note_is_refused(session: Session, scene: Scene, liaison: Viewer) -> None:
    with pytest.raises(InvalidInput) as refused:
        save(session, scene, liaison, "text", 0, note="x" * 301)
    assert "note" in refused.value.errors
    assert revisions(session, scene) == []


def test_editing_approved_minutes_returns_them_to_draft(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "Approved text", 0)
    service.approve(session, scene.meeting_id, revision=1, by=liaison)

    outcome = save(session, scene, liaison, "Changed after approval", 1)

    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == scene.meeting_id)).one()
    assert outcome.status_before == "approved"
    assert minutes.status == "draft"
    assert minutes.approved_revision == 1  # the record of what was approved stays
    event = audit_events(session, scene, "minutes_saved")[-1]
    assert event.before is not None and event.before["status"] == "approved"
    assert event.after is not None and event.after["status"] == "draft"
    assert "draft again" in event.summary


def test_editing_published_minutes_takes_them_off_publication(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "Text", 0)
    service.approve(session, scene.meeting_id, revision=1, by=liaison)
    service.publish(session, scene.meeting_id, revision=1, by=liaison)

    save(session, scene, liaison, "Text, corrected", 1)

    minutes = session.exec(select(Minutes).where(Minutes.meeting_id == scene.meeting_id)).one()
    assert minutes.status == "draft"
    assert minutes.published_at is None and minutes.published_by_id is None


# Permissions


@pytest.mark.parametrize("role", ["county_staff", "member"])
def test_readers_may_not_save(session: Session, scene: Scene, role: str) -> None:
    reader = viewer_for(session, scene.users[role])
    with pytest.raises(NotPermitted):
        save(session, scene, reader, "text", 0)
    assert revisions(session, scene) == []


@pytest.mark.parametrize("role", ["other_liaison", "other_member"])
def test_out_of_scope_users_do_not_see_the_minutes(
    session: Session, scene: Scene, role: str
) -> None:
    outsider = viewer_for(session, scene.users[role])
    with pytest.raises(NotFound):
        service.get_minutes_view(session, scene.meeting_id, viewer=outsider)
    with pytest.raises(NotFound):
        save(session, scene, outsider, "text", 0)


def test_member_reads_draft_minutes_but_cannot_edit(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "A draft", 0)
    member = viewer_for(session, scene.users["member"])

    view = service.get_minutes_view(session, scene.meeting_id, viewer=member)

    assert view.text == "A draft" and view.status == "draft"
    assert not view.can_edit


def test_unknown_meeting_is_not_found(session: Session, scene: Scene, admin: Viewer) -> None:
    with pytest.raises(NotFound):
        service.get_minutes_view(session, 10_000_000, viewer=admin)


# Approve, publish, unpublish


def test_approve_records_revision_who_and_when(
    session: Session, scene: Scene, liaison: Viewer, admin: Viewer
) -> None:
    save(session, scene, liaison, "one", 0)
    save(session, scene, liaison, "two", 1)

    minutes = service.approve(session, scene.meeting_id, revision=2, by=admin)

    assert minutes.status == "approved"
    assert minutes.approved_revision == 2
    assert minutes.approved_by_id == admin.id and minutes.approved_at is not None
    [event] = audit_events(session, scene, "minutes_approved")
    assert event.before is not None and event.before["status"] == "draft"
    assert event.after is not None and event.after["status"] == "approved"


def test_approving_a_revision_the_user_did_not_see_is_refused(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "one", 0)
    save(session, scene, liaison, "two", 1)
    with pytest.raises(Conflict, match="revision 2 is now the newest"):
        service.approve(session, scene.meeting_id, revision=1, by=liaison)


def test_nothing_to_approve_without_minutes(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    with pytest.raises(Conflict, match="no minutes yet"):
        service.approve(session, scene.meeting_id, revision=0, by=liaison)


def test_publishing_a_draft_is_refused(session: Session, scene: Scene, liaison: Viewer) -> None:
    save(session, scene, liaison, "one", 0)
    with pytest.raises(Conflict, match="Approve them first"):
        service.publish(session, scene.meeting_id, revision=1, by=liaison)
    assert audit_events(session, scene, "minutes_published") == []


def test_publish_then_unpublish(session: Session, scene: Scene, liaison: Viewer) -> None:
    save(session, scene, liaison, "one", 0)
    service.approve(session, scene.meeting_id, revision=1, by=liaison)

    published = service.publish(session, scene.meeting_id, revision=1, by=liaison)
    assert published.status == "published" and published.published_by_id == liaison.id
    with pytest.raises(Conflict, match="already published"):
        service.publish(session, scene.meeting_id, revision=1, by=liaison)

    unpublished = service.unpublish(session, scene.meeting_id, revision=1, by=liaison)
    assert unpublished.status == "approved" and unpublished.published_at is None
    assert unpublished.approved_revision == 1
    [event] = audit_events(session, scene, "minutes_unpublished")
    assert event.before is not None and event.before["status"] == "published"
    with pytest.raises(Conflict, match="not published"):
        service.unpublish(session, scene.meeting_id, revision=1, by=liaison)


def test_approving_twice_is_refused(session: Session, scene: Scene, liaison: Viewer) -> None:
    save(session, scene, liaison, "one", 0)
    service.approve(session, scene.meeting_id, revision=1, by=liaison)
    with pytest.raises(Conflict, match="already approved"):
        service.approve(session, scene.meeting_id, revision=1, by=liaison)


def test_county_staff_cannot_approve(session: Session, scene: Scene, liaison: Viewer) -> None:
    save(session, scene, liaison, "one", 0)
    staff = viewer_for(session, scene.users["county_staff"])
    with pytest.raises(NotPermitted):
        service.approve(session, scene.meeting_id, revision=1, by=staff)


# History and comparison


def test_history_lists_newest_first_with_words_and_changes(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    save(session, scene, liaison, "Call to order at six", 0)
    save(session, scene, liaison, "Call to order at seven\nRoll call taken", 1, note="time")

    rows = service.list_revisions(session, scene.meeting_id, viewer=liaison)

    assert [r.revision.number for r in rows] == [2, 1]
    assert rows[0].words == 8 and rows[0].author_name == liaison.user.name
    assert (rows[0].words_added, rows[0].words_removed) == (4, 1)
    assert (rows[1].words_added, rows[1].words_removed) == (5, 0)


def test_missing_revision_is_not_found(session: Session, scene: Scene, liaison: Viewer) -> None:
    save(session, scene, liaison, "one", 0)
    with pytest.raises(NotFound):
        service.get_revision(session, scene.meeting_id, 2, viewer=liaison)
    with pytest.raises(NotFound):
        service.compare_revisions(session, scene.meeting_id, viewer=liaison, old=0, new=1)


def test_diff_marks_changed_words_inside_changed_lines() -> None:
    result = diff_texts(
        "Chief Alvarez spoke about speeding\nSame", "Chief Alvarez spoke about parking\nSame"
    )

    [hunk] = result.hunks
    changed = [line for line in hunk.lines if line.kind == "changed"]
    assert len(changed) == 1
    kinds = {(s.kind, s.text) for s in changed[0].segments}
    assert ("del", "speeding") in kinds and ("ins", "parking") in kinds
    assert (result.words_added, result.words_removed) == (1, 1)


def test_diff_of_equal_texts_is_empty() -> None:
    result = diff_texts("same\ntext", "same\ntext")
    assert result.equal and result.hunks == ()


def test_diff_keeps_only_context_around_changes() -> None:
    old = "\n".join(f"line {n}" for n in range(1, 41))
    new = old.replace("line 20", "line twenty")

    result = diff_texts(old, new)

    [hunk] = result.hunks
    assert hunk.skipped == 16 and result.skipped_after == 17  # lines 17-23 shown
    assert [line.kind for line in hunk.lines].count("same") == 6


def test_diff_shows_added_and_removed_lines() -> None:
    result = diff_texts("a\nb\nc", "a\nc\nd")
    kinds = [(line.kind, line.segments[0].text) for line in result.hunks[0].lines]
    assert ("removed", "b") in kinds and ("added", "d") in kinds


# Long texts: the comparison stays bounded (review M1). Without the bounds, comparing these
# took from seconds to hours; the tests check that the bounded way is the one taken.


def test_a_long_single_line_is_compared_sentence_by_sentence() -> None:
    old = pasted_from_pdf()
    new = old.replace("item 1300.", "item thirteen hundred.")
    assert len(old) > 200_000 and "\n" not in old

    result = diff_texts(old, new)

    assert result.by_sentence
    [hunk] = result.hunks
    assert all(line.sentence for line in hunk.lines)
    assert [line.kind for line in hunk.lines] == ["same"] * 3 + ["changed"] + ["same"] * 3
    changed = hunk.lines[3]
    assert ("del", "1300.") in {(s.kind, s.text) for s in changed.segments}
    assert ("ins", "thirteen hundred.") in {(s.kind, s.text) for s in changed.segments}
    assert (changed.old_number, changed.new_number) == (1, 1)  # the line, not the sentence
    assert hunk.skipped == 1297 and result.skipped_after == 2600 - 1304
    assert (result.words_added, result.words_removed) == (2, 1)


def test_one_long_line_without_sentences_still_shows_the_changed_word() -> None:
    old = pasted_from_pdf().replace(".", "")  # one "sentence" of 200 kB
    new = old.replace("item 1300 ", "item 1301 ")

    [hunk] = diff_texts(old, new).hunks

    [line] = hunk.lines
    assert line.kind == "changed" and line.sentence
    changes = [(s.kind, s.text) for s in line.segments if s.kind != "same"]
    assert changes == [("del", "1300"), ("ins", "1301")]


def test_rows_too_long_to_compare_word_by_word_are_shown_removed_and_added() -> None:
    old = pasted_from_pdf().replace(".", "")
    new = " ".join(reversed(old.split()))  # every word moved: no cheap common start or end

    [hunk] = diff_texts(old, new).hunks

    assert [(line.kind, line.segments[0].text) for line in hunk.lines] == [
        ("removed", old),
        ("added", new),
    ]


def test_word_changes_count_words_as_bags() -> None:
    assert word_changes("a b c", "a c d d") == (2, 1)
    assert word_changes("moved here", "here moved") == (0, 0)
    assert word_changes("", "one two") == (2, 0)


def test_history_counts_words_changed_in_long_single_line_minutes(
    session: Session, scene: Scene, liaison: Viewer
) -> None:
    first = pasted_from_pdf()
    save(session, scene, liaison, first, 0)
    save(session, scene, liaison, first.replace("item 1300.", "item thirteen hundred."), 1)

    rows = service.list_revisions(session, scene.meeting_id, viewer=liaison)

    assert [(r.words_added, r.words_removed) for r in rows] == [(2, 1), (count_words(first), 0)]
