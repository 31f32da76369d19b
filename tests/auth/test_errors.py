"""What a browser gets when the session has ended, and when a request cannot be read."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from sqlmodel import Session

from jcpp.models import User
from tests.factories import PASSWORD, create_user
from tests.web import WebClient, soup

SIGNED_OUT = (
    "You were signed out. Sign in again in another tab, then press Save: your text is still here."
)


def _signed_out_elsewhere(session: Session, user: User) -> None:
    """As when the password is changed on another device: this browser's session ends."""
    user.session_version += 1
    session.add(user)
    session.flush()


def test_htmx_save_after_sign_out_keeps_the_page_and_says_so(
    client: WebClient, session: Session
) -> None:
    user = create_user(session, role="admin")
    client.sign_in(user)
    client.csrf()
    _signed_out_elsewhere(session, user)

    response = client.post("/admin/cities", data={"name": "Golden Valley"}, htmx=True)

    assert response.status_code == 401
    assert response.headers["hx-reswap"] == "none"  # the page, and the text typed, stay
    assert "hx-redirect" not in response.headers
    toast = soup(response).select_one("#toasts[hx-swap-oob='innerHTML'] .toast--error")
    assert toast.get_text() == SIGNED_OUT


def test_htmx_navigation_after_sign_out_goes_to_sign_in_and_back(
    client: WebClient, session: Session
) -> None:
    user = create_user(session, role="county_staff")
    client.sign_in(user)
    _signed_out_elsewhere(session, user)

    response = client.htmx_get("/audit?city=3&since=2026-01-01")

    assert response.status_code == 204
    target = response.headers["hx-redirect"]
    assert target == "/login?next=%2Faudit%3Fcity%3D3%26since%3D2026-01-01"
    assert parse_qs(urlsplit(target).query)["next"] == ["/audit?city=3&since=2026-01-01"]


def test_sign_in_returns_to_the_page_with_its_query(client: WebClient, session: Session) -> None:
    user = create_user(session, role="county_staff")
    session.commit()  # the refused request below rolls back what was not committed

    sent = client.get("/audit?city=3&since=2026-01-01")
    assert sent.status_code == 303
    login = soup(client.get(sent.headers["location"]))
    next_field = login.select_one("input[name=next]")["value"]
    signed_in = client.post(
        "/login", data={"email": user.email, "password": PASSWORD, "next": next_field}
    )

    assert next_field == "/audit?city=3&since=2026-01-01"
    assert signed_in.status_code == 303
    assert signed_in.headers["location"] == "/audit?city=3&since=2026-01-01"


def test_path_with_spaces_is_quoted_in_next(client: WebClient) -> None:
    response = client.get("/committees/st louis park")
    assert response.headers["location"] == "/login?next=%2Fcommittees%2Fst%2520louis%2520park"


def test_a_path_id_that_is_not_a_number_is_not_found(client: WebClient, session: Session) -> None:
    client.sign_in(create_user(session, role="admin"))

    page = client.get("/meetings/abc")
    fragment = client.htmx_get("/admin/users/abc")

    assert page.status_code == 404
    assert page.headers["content-type"].startswith("text/html")
    assert soup(page).select_one("h1").get_text() == "Not found"
    assert fragment.status_code == 404
    assert fragment.headers["hx-reswap"] == "none"
    assert soup(fragment).select_one("#toasts .toast--error").get_text() == "There is no such page."


def test_input_that_cannot_be_read_gets_a_page_not_json(
    client: WebClient, session: Session
) -> None:
    too_long = client.post("/login", data={"email": "a" * 300 + "@example.org", "password": "x"})

    assert too_long.status_code == 422
    assert too_long.headers["content-type"].startswith("text/html")
    page = soup(too_long)
    assert page.select_one("h1").get_text() == "Please check the form"
    assert page.select_one("main p").get_text().startswith("Part of what was sent could not")

    client.sign_in(create_user(session, role="admin"))
    query = client.get("/admin/users", params={"role": "r" * 40})
    form = client.post("/admin/cities", data={"name": "n" * 2000}, htmx=True)
    assert query.status_code == 422 and soup(query).select_one("h1").get_text() == (
        "Please check the form"
    )
    assert form.status_code == 422 and form.headers["hx-reswap"] == "none"
    assert soup(form).select_one("#toasts .toast--error") is not None
