from __future__ import annotations

from urllib.parse import quote_plus

import pytest
from sqlmodel import Session, col, select

from jcpp.models import MAX_MINUTES_BYTES, Minutes, MinutesRevision
from tests.factories import create_minutes
from tests.minutes.conftest import Scene
from tests.minutes.helpers import (
    assert_inert,
    is_fragment,
    pasted_from_pdf,
    textarea_value,
    visible_text,
)
from tests.web import WebClient, soup

HOSTILE = (
    "# Notes\n\n<script>alert('x')</script>\n\n"
    '[click me](javascript:alert(1)) and <a href="javascript:alert(2)">raw link</a>\n\n'
    '<img src=x onerror="alert(3)"> <b onclick="alert(4)">bold</b>\n\n'
    '<iframe src="https://example.org"></iframe>'
)


def browser_csrf(client: WebClient) -> dict[str, str]:
    """htmx in a browser sends the token as a header (app.js), not as a form field."""
    return {"X-CSRF-Token": client.csrf()}


def sign_in(client: WebClient, scene: Scene, role: str) -> WebClient:
    return client.sign_in(scene.users[role])


def stored_numbers(session: Session, scene: Scene) -> list[int]:
    return list(
        session.exec(
            select(MinutesRevision.number)
            .where(MinutesRevision.meeting_id == scene.meeting_id)
            .order_by(col(MinutesRevision.number))
        ).all()
    )


def minutes_row(session: Session, scene: Scene) -> Minutes:
    session.expire_all()
    return session.exec(select(Minutes).where(Minutes.meeting_id == scene.meeting_id)).one()


# The page


def test_page_shows_breadcrumbs_status_text_and_editor_to_the_liaison(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(
        session,
        meeting=scene.meeting,
        texts=["old", "## Roll call\n\n- Chief Alvarez"],
        author=scene.users["liaison"],
    )
    sign_in(client, scene, "liaison")

    response = client.get(scene.url)

    assert response.status_code == 200
    page = soup(response)
    crumbs = [li.get_text(strip=True) for li in page.select(".breadcrumbs li")]
    assert crumbs[0] == scene.city.name and crumbs[-1] == "Minutes"
    assert page.select_one(f'.breadcrumbs a[href="/meetings/{scene.meeting_id}"]')
    assert len(page.find_all("h1")) == 1
    assert page.select_one("#minutes-summary .badge").get_text(strip=True) == "Minutes draft"
    assert (
        scene.users["liaison"].name in page.select_one("#minutes-summary .minutes-facts").get_text()
    )
    body = page.select_one("#minutes-current .minutes-body")
    assert body.find("h4").get_text() == "Roll call"  # headings shift below the page's h2
    assert body.find("li").get_text() == "Chief Alvarez"
    textarea = page.select_one("#minutes-editor textarea.minutes-text")
    assert page.select_one(f'label[for="{textarea["id"]}"]')
    assert textarea_value(textarea) == "## Roll call\n\n- Chief Alvarez"
    assert page.select_one('#minutes-editor input[name="base_revision"]')["value"] == "2"
    assert page.select_one('label[for="minutes-note"]')
    preview = page.select_one("#minutes-preview-button")
    assert preview["hx-post"] == f"{scene.url}/preview"
    assert page.select_one("#minutes-preview")["aria-live"] == "polite"
    assert page.select_one(f'form[action="{scene.url}/approve"]')


def test_page_without_minutes_invites_the_liaison_to_write_them(
    client: WebClient, scene: Scene
) -> None:
    sign_in(client, scene, "liaison")
    page = soup(client.get(scene.url))
    assert page.select_one("#minutes-summary .badge").get_text(strip=True) == "No minutes"
    assert page.select_one("#minutes-editor-h").get_text() == "Write the minutes"
    assert page.select_one('input[name="base_revision"]')["value"] == "0"
    assert textarea_value(page.select_one("#minutes-text")) == ""


@pytest.mark.parametrize("role", ["member", "county_staff"])
def test_readers_see_the_minutes_but_no_editor_or_status_buttons(
    client: WebClient, session: Session, scene: Scene, role: str
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Draft text"])
    sign_in(client, scene, role)

    page = soup(client.get(scene.url))

    assert page.select_one("#minutes-current .minutes-body").get_text(strip=True) == "Draft text"
    assert page.select_one("#minutes-editor") is None
    assert page.find("textarea") is None
    assert page.select("#minutes-summary form") == []


def test_page_as_htmx_answers_with_the_targeted_block(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Text"])
    sign_in(client, scene, "liaison")

    summary = client.htmx_get(scene.url)
    editor = client.htmx_get(scene.url, headers={"HX-Target": "minutes-editor"})

    assert is_fragment(summary) and soup(summary).select_one("#minutes-summary")
    assert "HX-Request" in summary.headers["vary"]
    assert is_fragment(editor)
    assert textarea_value(soup(editor).select_one("#minutes-editor #minutes-text")) == "Text"


def test_member_asking_for_the_editor_block_gets_none(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Text"])
    sign_in(client, scene, "member")
    response = client.htmx_get(scene.url, headers={"HX-Target": "minutes-editor"})
    assert response.status_code == 200
    assert soup(response).find("textarea") is None


def test_approved_minutes_warn_that_editing_returns_them_to_draft(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Text"], status="approved")
    sign_in(client, scene, "liaison")
    page = soup(client.get(scene.url))
    warning = page.select_one("#minutes-edit-warning .alert--warn").get_text()
    assert "draft again" in warning
    assert page.select_one("#minutes-save").get_text(strip=True) == "Save as a new draft"


# Saving


def test_save_appends_a_revision_and_redirects_to_the_page(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["First"])
    sign_in(client, scene, "liaison")

    response = client.post(scene.url, data={"text": "Second", "base_revision": "1", "note": "fix"})

    assert response.status_code == 303
    assert response.headers["location"] == f"{scene.url}?done=saved&revision=2"
    assert stored_numbers(session, scene) == [1, 2]
    page = soup(client.get(response.headers["location"]))
    assert "Saved as revision 2" in page.select_one("#minutes-editor .alert--success").get_text()
    assert page.select_one("#minutes-current .minutes-body").get_text(strip=True) == "Second"


def test_htmx_save_swaps_the_editor_and_updates_status_and_text_out_of_band(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["First"])
    sign_in(client, scene, "liaison")

    response = client.post(scene.url, data={"text": "**Second**", "base_revision": "1"}, htmx=True)

    assert response.status_code == 200
    assert is_fragment(response)
    page = soup(response)
    roots = [tag["id"] for tag in page.find_all(recursive=False) if tag.name]
    assert roots == ["minutes-editor", "minutes-summary", "minutes-current", "minutes-review"]
    assert page.select_one("#minutes-summary")["hx-swap-oob"] == "true"
    assert page.select_one("#minutes-current")["hx-swap-oob"] == "true"
    assert page.select_one("#minutes-review")["hx-swap-oob"] == "true"  # the new proposals
    assert not page.select_one("#minutes-editor").has_attr("hx-swap-oob")
    assert page.select_one('input[name="base_revision"]')["value"] == "2"
    assert "Saved as revision 2" in page.select_one("#minutes-editor [role=status]").get_text()
    assert page.select_one("#minutes-current .minutes-body strong").get_text() == "Second"
    assert "Revision 2" in page.select_one("#minutes-summary .minutes-facts").get_text()
    links = [a["href"] for a in page.select("#minutes-summary .minutes-links a")]
    assert links == [f"{scene.url}/history", f"{scene.url}/diff"]


@pytest.mark.parametrize("htmx", [False, True])
def test_stale_save_is_refused_with_both_texts_and_keeps_the_users_text(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    create_minutes(
        session, meeting=scene.meeting, texts=["Base text"], author=scene.users["liaison"]
    )
    admin = scene.users["admin"]
    session.add(
        MinutesRevision(
            meeting_id=scene.meeting_id,
            number=2,
            text="Admin's text",
            author_id=admin.id,
            note="typo",
        )
    )
    minutes_row(session, scene).current_revision = 2
    session.flush()
    sign_in(client, scene, "liaison")

    mine = "Base text\n\nMy long paragraph about the town hall."
    response = client.post(scene.url, data={"text": mine, "base_revision": "1"}, htmx=htmx)

    assert response.status_code == 409
    assert is_fragment(response) == htmx
    page = soup(response)
    conflict = page.select_one("#minutes-editor .minutes-conflict")
    assert scene.users["admin"].name in conflict.get_text()
    assert conflict.select_one(".minutes-conflict__stored").get_text() == "Admin's text"
    # Named regions (aria-labelledby is not allowed on plain div and pre elements).
    assert conflict["role"] == "region" and conflict["aria-labelledby"] == "minutes-conflict-h"
    assert conflict.select_one(".minutes-conflict__stored")["role"] == "region"
    assert textarea_value(page.select_one("#minutes-text")) == mine
    assert page.select_one('input[name="base_revision"]')["value"] == "2"
    assert conflict.select(".minutes-diff ins, .minutes-diff .diff-line--added")
    assert stored_numbers(session, scene) == [1, 2]

    again = client.post(scene.url, data={"text": mine, "base_revision": "2"}, htmx=htmx)
    assert again.status_code == (200 if htmx else 303)
    assert stored_numbers(session, scene) == [1, 2, 3]


@pytest.mark.parametrize("htmx", [False, True])
def test_identical_text_saves_nothing(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Line one\nLine two"])
    sign_in(client, scene, "liaison")

    response = client.post(
        scene.url, data={"text": "Line one\r\nLine two", "base_revision": "1"}, htmx=htmx
    )

    if not htmx:
        assert response.status_code == 303
        response = client.get(response.headers["location"])
    assert (
        "No changes to save"
        in soup(response).select_one("#minutes-editor .alert--success").get_text()
    )
    assert stored_numbers(session, scene) == [1]


@pytest.mark.parametrize("htmx", [False, True])
def test_minutes_over_one_megabyte_are_refused_and_kept_in_the_form(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    sign_in(client, scene, "liaison")
    huge = "minutes " * (MAX_MINUTES_BYTES // 8) + "more"

    response = client.post(scene.url, data={"text": huge, "base_revision": "0"}, htmx=htmx)

    assert response.status_code == 422
    assert is_fragment(response) == htmx
    page = soup(response)
    assert "too long" in page.select_one("#text-error").get_text()
    assert page.select_one("#minutes-text")["aria-invalid"] == "true"
    assert textarea_value(page.select_one("#minutes-text")) == huge
    assert stored_numbers(session, scene) == []


def test_valid_minutes_whose_form_encoding_passes_one_mebibyte_are_saved(
    client: WebClient, session: Session, scene: Scene
) -> None:
    sign_in(client, scene, "liaison")
    # 990 kB of text, but URL-encoded (each "é", comma and line end is 3+ bytes) about 2.4 MB.
    text = "Café, école.\n" * (990_000 // 16)
    assert len(text.encode()) < MAX_MINUTES_BYTES < len(quote_plus(text))

    response = client.post(
        scene.url,
        data={"text": text, "base_revision": "0"},
        htmx=True,
        headers=browser_csrf(client),
    )

    assert response.status_code == 200
    assert stored_numbers(session, scene) == [1]


def test_far_oversized_minutes_still_get_the_clear_message(
    client: WebClient, session: Session, scene: Scene
) -> None:
    sign_in(client, scene, "liaison")
    text = "Ça va.\n" * 200_000  # 1.8 MB

    response = client.post(
        scene.url,
        data={"text": text, "base_revision": "0"},
        htmx=True,
        headers=browser_csrf(client),
    )

    assert response.status_code == 422
    assert "too long" in soup(response).select_one("#text-error").get_text()
    assert textarea_value(soup(response).select_one("#minutes-text")) == text
    assert stored_numbers(session, scene) == []


@pytest.mark.parametrize("htmx", [False, True])
def test_empty_minutes_are_refused(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Text"])
    sign_in(client, scene, "liaison")

    response = client.post(
        scene.url, data={"text": "  \r\n ", "base_revision": "1", "note": "oops"}, htmx=htmx
    )

    assert response.status_code == 422
    page = soup(response)
    assert "empty" in page.select_one("#text-error").get_text()
    assert page.select_one("#minutes-note")["value"] == "oops"
    assert stored_numbers(session, scene) == [1]


def test_saving_approved_minutes_says_they_are_a_draft_again(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["Text"], status="approved")
    sign_in(client, scene, "liaison")

    response = client.post(
        scene.url, data={"text": "Text, amended", "base_revision": "1"}, htmx=True
    )

    page = soup(response)
    assert "draft again" in page.select_one("#minutes-editor .alert--success").get_text()
    assert page.select_one("#minutes-summary .badge").get_text(strip=True) == "Minutes draft"
    assert page.select_one("#minutes-edit-warning").get_text(strip=True) == ""
    assert minutes_row(session, scene).status == "draft"


# Markdown is rendered inert everywhere


def test_hostile_markdown_is_inert_on_the_page_in_preview_and_in_the_diff(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["# Notes", HOSTILE])
    sign_in(client, scene, "liaison")

    page = soup(client.get(scene.url))
    assert_inert(page, ".minutes-body")
    assert "bold" in page.select_one("#minutes-current .minutes-body").get_text()
    assert textarea_value(page.select_one("#minutes-text")) == HOSTILE  # escaped, not parsed

    for htmx in (True, False):
        preview = soup(client.post(f"{scene.url}/preview", data={"text": HOSTILE}, htmx=htmx))
        assert_inert(preview, ".minutes-body")

    for url in (f"{scene.url}/diff", f"{scene.url}/revisions/2"):
        for response in (client.get(url), client.htmx_get(url)):
            assert_inert(soup(response), "main" if not is_fragment(response) else "section")
    diff = soup(client.get(f"{scene.url}/diff"))
    assert "<script>" in visible_text(diff.select_one(".minutes-diff"))


# Preview


def test_htmx_preview_renders_the_text_and_saves_nothing(
    client: WebClient, session: Session, scene: Scene
) -> None:
    sign_in(client, scene, "liaison")

    response = client.post(
        f"{scene.url}/preview", data={"text": "1. Call to order\n2. Roll call"}, htmx=True
    )

    assert response.status_code == 200 and is_fragment(response)
    items = [li.get_text() for li in soup(response).select(".minutes-body ol li")]
    assert items == ["Call to order", "Roll call"]
    assert stored_numbers(session, scene) == []


def test_preview_without_javascript_keeps_the_form(client: WebClient, scene: Scene) -> None:
    sign_in(client, scene, "liaison")
    response = client.post(
        f"{scene.url}/preview", data={"text": "*draft*", "base_revision": "0", "note": "n"}
    )
    page = soup(response)
    assert page.select_one("#minutes-preview .minutes-body em").get_text() == "draft"
    assert textarea_value(page.select_one("#minutes-text")) == "*draft*"
    assert page.select_one("#minutes-note")["value"] == "n"


def test_preview_of_oversized_text_says_so(client: WebClient, scene: Scene) -> None:
    sign_in(client, scene, "liaison")
    response = client.post(
        f"{scene.url}/preview", data={"text": "x" * (MAX_MINUTES_BYTES + 1)}, htmx=True
    )
    assert response.status_code == 422
    assert "too long" in soup(response).select_one(".alert--error").get_text()


# Approve, publish, unpublish


def test_approve_then_publish_then_unpublish(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"])
    sign_in(client, scene, "liaison")

    approved = client.post(f"{scene.url}/approve", data={"revision": "2"})
    assert approved.status_code == 303
    row = minutes_row(session, scene)
    assert (row.status, row.approved_revision) == ("approved", 2)
    assert row.approved_by_id == scene.users["liaison"].id
    page = soup(client.get(approved.headers["location"]))
    assert page.select_one("#minutes-summary .badge").get_text(strip=True) == "Minutes approved"
    assert "Marked approved" in page.select_one("#minutes-summary [role=status]").get_text()

    assert client.post(f"{scene.url}/publish", data={"revision": "2"}).status_code == 303
    assert minutes_row(session, scene).status == "published"
    assert client.post(f"{scene.url}/unpublish", data={"revision": "2"}).status_code == 303
    assert minutes_row(session, scene).status == "approved"


@pytest.mark.parametrize("public_pages", [False, True])
def test_publish_says_whether_residents_will_see_the_minutes(
    client: WebClient, session: Session, scene: Scene, public_pages: bool
) -> None:
    scene.committee.public_pages = public_pages
    session.add(scene.committee)
    create_minutes(session, meeting=scene.meeting, texts=["one"])
    sign_in(client, scene, "liaison")
    client.post(f"{scene.url}/approve", data={"revision": "1"})

    page = soup(client.get(scene.url))
    publish = page.select_one(f"form[action='{scene.url}/publish']")
    hint = publish.find_next_sibling("p").get_text()

    if public_pages:
        assert "Residents will see them on the committee’s public page" in publish["hx-confirm"]
        assert "on the committee’s public page, once the names in them are reviewed" in hint
    else:
        assert "This committee has no public page" in publish["hx-confirm"]
        assert "residents do not see them" in hint


def test_htmx_approve_swaps_the_summary_and_updates_the_editor_warning(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one"])
    sign_in(client, scene, "admin")

    response = client.post(f"{scene.url}/approve", data={"revision": "1"}, htmx=True)

    assert response.status_code == 200 and is_fragment(response)
    page = soup(response)
    assert page.select_one("#minutes-summary .badge").get_text(strip=True) == "Minutes approved"
    warning = page.select_one("#minutes-edit-warning")
    assert warning["hx-swap-oob"] == "true"
    assert "draft again" in warning.get_text()
    assert page.find("textarea") is None  # the user's unsaved text is not replaced


@pytest.mark.parametrize("htmx", [False, True])
def test_publishing_a_draft_is_refused_with_a_clear_message(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one"])
    sign_in(client, scene, "liaison")

    response = client.post(f"{scene.url}/publish", data={"revision": "1"}, htmx=htmx)

    assert response.status_code == 409
    assert is_fragment(response) == htmx
    error = soup(response).select_one("#minutes-summary [role=alert]").get_text()
    assert "Approve them first" in error
    assert minutes_row(session, scene).status == "draft"


def test_approving_after_someone_saved_is_refused(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"])
    sign_in(client, scene, "liaison")
    response = client.post(f"{scene.url}/approve", data={"revision": "1"}, htmx=True)
    assert response.status_code == 409
    assert "revision 2 is now the newest" in soup(response).select_one("[role=alert]").get_text()
    assert minutes_row(session, scene).status == "draft"


# History, revisions, diff


def test_history_lists_every_revision_with_links(
    client: WebClient, session: Session, scene: Scene
) -> None:
    sign_in(client, scene, "liaison")
    client.post(scene.url, data={"text": "Call to order", "base_revision": "0", "note": "first"})
    client.post(
        scene.url,
        data={"text": "Call to order at 6:30\nRoll call", "base_revision": "1", "note": "times"},
    )

    for response in (client.get(f"{scene.url}/history"), client.htmx_get(f"{scene.url}/history")):
        assert response.status_code == 200
        table = soup(response).select_one("#revision-list table")
        assert table.find("caption")
        rows = table.select("tbody tr")
        cells = [[c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])] for row in rows]
        assert [c[0] for c in cells] == ["2", "1"]
        assert cells[0][2] == scene.users["liaison"].name and cells[0][3] == "times"
        assert cells[0][4] == "7"  # words in revision 2
        assert visible_text(rows[0].find_all("td")[4]).split() == ["+4", "−0"]
        links = [a["href"] for a in rows[0].select("a")]
        assert links == [f"{scene.url}/revisions/2", f"{scene.url}/diff?from=1&to=2"]
    assert is_fragment(client.htmx_get(f"{scene.url}/history"))
    page = soup(client.get(f"{scene.url}/history"))
    form = page.select_one(f'form[action="{scene.url}/diff"]')
    assert form.select_one("#compare-from option[selected]")["value"] == "1"
    assert form.select_one("#compare-to option[selected]")["value"] == "2"


def test_revision_page_shows_rendered_and_raw_text(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["**one**", "two"])
    sign_in(client, scene, "member")

    page = soup(client.get(f"{scene.url}/revisions/1"))
    assert page.select_one(".minutes-body strong").get_text() == "one"
    raw_text = page.select_one("pre.minutes-raw")
    assert raw_text.get_text() == "**one**"
    assert (raw_text["role"], raw_text["aria-labelledby"]) == ("region", "raw-h")

    raw = client.get(f"{scene.url}/revisions/1/raw")
    assert raw.status_code == 200 and raw.headers["content-type"].startswith("text/plain")
    assert raw.text == "**one**"


@pytest.mark.parametrize(
    "path",
    [
        "/revisions/3",
        "/revisions/0",
        "/revisions/3/raw",
        "/diff?from=1&to=3",
        "/diff?from=x&to=1",
        "/revisions/abc",
    ],
)
def test_revisions_that_do_not_exist_are_not_found(
    client: WebClient, session: Session, scene: Scene, path: str
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"])
    sign_in(client, scene, "liaison")
    assert client.get(scene.url + path).status_code == 404


def test_diff_defaults_to_previous_against_newest_and_marks_words(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(
        session,
        meeting=scene.meeting,
        texts=[
            "a",
            "Officers discussed speeding near the school",
            "Officers discussed parking near the school",
        ],
    )
    sign_in(client, scene, "liaison")

    full = client.get(f"{scene.url}/diff")
    fragment = client.htmx_get(f"{scene.url}/diff")

    assert not is_fragment(full) and is_fragment(fragment)
    for response in (full, fragment):
        diff = soup(response).select_one("#diff")
        assert diff.find("h2").get_text() == "Revision 2 → revision 3"
        line = diff.select_one(".diff-line--changed")
        assert [visible_text(d) for d in line.find_all("del")] == ["speeding"]
        assert [visible_text(i) for i in line.find_all("ins")] == ["parking"]
    assert soup(full).select_one("#diff-from option[selected]")["value"] == "2"


def test_diff_of_equal_revisions_says_no_differences(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"])
    sign_in(client, scene, "liaison")
    page = soup(client.get(f"{scene.url}/diff?from=2&to=2"))
    assert page.select_one("#diff .diff-equal").get_text().startswith("No differences")


def test_diff_without_minutes_is_not_found(client: WebClient, scene: Scene) -> None:
    sign_in(client, scene, "liaison")
    assert client.get(f"{scene.url}/diff").status_code == 404


# Every route for every role


READS = ["", "/history", "/revisions/1", "/revisions/1/raw", "/diff"]
READ_EXPECTED = {
    "admin": 200,
    "county_staff": 200,
    "liaison": 200,
    "other_liaison": 404,
    "member": 200,
    "other_member": 404,
    None: 303,
}


@pytest.mark.parametrize("role", list(READ_EXPECTED))
@pytest.mark.parametrize("path", READS)
def test_reading_routes_per_role(
    client: WebClient, session: Session, scene: Scene, path: str, role: str | None
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"])
    if role:
        sign_in(client, scene, role)
    response = client.get(scene.url + path)
    assert response.status_code == READ_EXPECTED[role]
    if role is None:
        assert response.headers["location"].startswith("/login")


WRITES = {
    # path: (minutes status beforehand, form data, status when allowed)
    "": ("draft", {"text": "three", "base_revision": "2"}, 303),
    "/preview": ("draft", {"text": "three"}, 200),
    "/approve": ("draft", {"revision": "2"}, 303),
    "/publish": ("approved", {"revision": "2"}, 303),
    "/unpublish": ("published", {"revision": "2"}, 303),
}
WRITE_EXPECTED = {
    "admin": None,  # allowed
    "county_staff": 403,
    "liaison": None,
    "other_liaison": 404,
    "member": 403,
    "other_member": 404,
    "anonymous": 303,
}


@pytest.mark.parametrize("role", list(WRITE_EXPECTED))
@pytest.mark.parametrize("path", list(WRITES))
def test_changing_routes_per_role(
    client: WebClient, session: Session, scene: Scene, path: str, role: str
) -> None:
    status, data, allowed = WRITES[path]
    create_minutes(session, meeting=scene.meeting, texts=["one", "two"], status=status)
    if role != "anonymous":
        sign_in(client, scene, role)

    response = client.post(scene.url + path, data=data)

    assert response.status_code == (WRITE_EXPECTED[role] or allowed)
    if WRITE_EXPECTED[role] is not None:
        row = minutes_row(session, scene)
        assert (row.status, row.current_revision) == (status, 2), (
            "a refused change changed something"
        )


def test_refused_htmx_write_leaves_the_page_alone_with_a_message(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=["one"])
    sign_in(client, scene, "county_staff")
    response = client.post(scene.url, data={"text": "x", "base_revision": "1"}, htmx=True)
    assert response.status_code == 403
    assert response.headers["hx-reswap"] == "none"
    assert "liaison" in soup(response).select_one("#toasts").get_text()


@pytest.mark.parametrize("path", ["", "/history", "/diff", "/revisions/1"])
def test_minutes_of_a_meeting_that_does_not_exist_are_not_found(
    client: WebClient, scene: Scene, path: str
) -> None:
    sign_in(client, scene, "admin")
    assert client.get(f"/meetings/999999999/minutes{path}").status_code == 404
    assert client.get(f"/meetings/abc/minutes{path}").status_code == 404
    refused = client.post("/meetings/999999999/minutes", data={"text": "x", "base_revision": "0"})
    assert refused.status_code == 404


# Long single-line minutes (review M1): history, comparison and the conflict view answer, and
# compare sentence by sentence.

LONG = pasted_from_pdf()
LONG_THEIRS = LONG.replace("item 1300.", "item thirteen hundred.")
LONG_MINE = LONG.replace("item 2000.", "item two thousand.")


def test_history_and_diff_of_long_single_line_minutes(
    client: WebClient, session: Session, scene: Scene
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=[LONG, LONG_THEIRS])
    sign_in(client, scene, "member")

    history = soup(client.get(f"{scene.url}/history"))
    newest = history.select("#revision-list tbody tr")[0]
    assert visible_text(newest.find_all("td")[4]).split() == ["+2", "−1"]

    for response in (client.get(f"{scene.url}/diff"), client.htmx_get(f"{scene.url}/diff")):
        assert response.status_code == 200
        diff = soup(response).select_one("#diff")
        rows = diff.select(".diff-line")
        assert len(rows) == 7 and all("diff-line--sentence" in row["class"] for row in rows)
        [changed] = diff.select(".diff-line--changed")
        assert visible_text(changed.select_one("del")) == "1300."
        assert visible_text(changed.select_one("ins")) == "thirteen hundred."
        skips = [s.get_text() for s in diff.select(".diff-skip")]
        assert skips == ["⋯ 1297 unchanged sentences", "⋯ 1296 unchanged sentences"]


@pytest.mark.parametrize("htmx", [False, True])
def test_conflict_over_long_single_line_minutes_shows_the_sentences_that_differ(
    client: WebClient, session: Session, scene: Scene, htmx: bool
) -> None:
    create_minutes(session, meeting=scene.meeting, texts=[LONG, LONG_THEIRS])
    sign_in(client, scene, "liaison")

    response = client.post(scene.url, data={"text": LONG_MINE, "base_revision": "1"}, htmx=htmx)

    assert response.status_code == 409
    page = soup(response)
    conflict = page.select_one("#minutes-editor .minutes-conflict")
    changed = conflict.select(".minutes-diff .diff-line--changed.diff-line--sentence")
    assert [
        (visible_text(c.select_one("del")), visible_text(c.select_one("ins"))) for c in changed
    ] == [
        ("thirteen hundred.", "1300."),
        ("2000.", "two thousand."),
    ]
    assert textarea_value(page.select_one("#minutes-text")) == LONG_MINE
    assert stored_numbers(session, scene) == [1, 2]
