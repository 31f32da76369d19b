"""Finding and hiding names: forms of roster names, titles, who stays, which wins."""

from __future__ import annotations

from dataclasses import dataclass

from jcpp.public.redaction import (
    REPLACEMENT,
    Name,
    RosterPerson,
    added_name,
    find_names,
    merge,
    name_forms,
    redact,
    split_title,
)


@dataclass(frozen=True)
class Span:
    text: str


def person(pid: int, name: str, *roles: str, title: str | None = None) -> RosterPerson:
    return RosterPerson(pid, name, title, frozenset(roles))


def names_in(text: str, spans: tuple[str, ...], *roster: RosterPerson) -> list[Name]:
    return find_names([text], [Span(s) for s in spans], list(roster))


def test_a_roster_name_has_its_full_first_and_last_forms_without_a_title() -> None:
    assert name_forms("Amina Farah") == ("Amina Farah", "Amina", "Farah")
    assert name_forms("Sgt. Lena Moua") == ("Lena Moua", "Lena", "Moua")
    assert name_forms("J. Q. Public") == ("J. Q. Public", "Public")
    assert split_title("Deputy Chief Ann Lee") == ("Deputy Chief", "Ann Lee")
    assert split_title("Vice-Chair Bo Tran") == ("Vice-Chair", "Bo Tran")
    assert split_title("Chief") == ("", "Chief")


def test_residents_are_hidden_in_every_form_police_and_officers_stay() -> None:
    text = (
        "Chair Farah opened. AMINA FARAH thanked Yasmin Haddad; Haddad and yasmin haddad "
        "spoke. Lt. Okafor replied, and Marcus answered Yasmin."
    )
    names = names_in(
        text,
        ("Chair Farah", "Lt. Okafor"),
        person(1, "Amina Farah", "chair"),
        person(2, "Yasmin Haddad", "member"),
        person(3, "Marcus Okafor", "police", title="Lt."),
    )
    by_key = {name.key: name for name in names}
    assert not by_key["person:1"].hide and by_key["person:1"].reason.startswith("committee officer")
    assert by_key["person:2"].hide and by_key["person:2"].count == 4
    assert not by_key["person:3"].hide and by_key["person:3"].reason == "police staff"
    assert redact(text, names) == (
        f"Chair Farah opened. AMINA FARAH thanked {REPLACEMENT}; {REPLACEMENT} and "
        f"{REPLACEMENT} spoke. Lt. Okafor replied, and Marcus answered {REPLACEMENT}."
    )


def test_a_name_alone_hides_only_with_a_capital_letter() -> None:
    text = "Will Park said we will meet in the park. Will said so; Park agreed."
    names = names_in(text, (), person(1, "Will Park", "member"))
    assert redact(text, names) == (
        f"{REPLACEMENT} said we will meet in the park. {REPLACEMENT} said so; {REPLACEMENT} agreed."
    )


def test_titled_names_not_on_the_roster_are_judged_by_their_title() -> None:
    text = "Sgt. Moua and Officer Lee met Ms. Gonzalez and Pastor Dennis Oyelaran; Vice Chair Ali."
    spans = ("Sgt. Moua", "Officer Lee", "Ms. Gonzalez", "Pastor Dennis Oyelaran", "Vice Chair Ali")
    names = {name.name: name for name in names_in(text, spans)}
    assert {n for n, name in names.items() if name.hide} == {
        "Ms. Gonzalez",
        "Pastor Dennis Oyelaran",
    }
    assert redact(text, list(names.values())) == (
        f"Sgt. Moua and Officer Lee met {REPLACEMENT} and {REPLACEMENT}; Vice Chair Ali."
    )


def test_a_word_shared_by_a_hidden_and_a_kept_name_is_hidden() -> None:
    text = "Lt. Okafor spoke. Okafor's neighbour Linh Okafor asked. Sgt. Tran and Ms. Tran."
    names = names_in(
        text,
        ("Lt. Okafor", "Sgt. Tran", "Ms. Tran"),
        person(1, "Marcus Okafor", "police", title="Lt."),
        person(2, "Linh Okafor", "member"),
        person(3, "Bo Tran", "member"),
    )
    assert redact(text, names) == (
        f"Lt. Okafor spoke. {REPLACEMENT}'s neighbour {REPLACEMENT} asked. "
        f"Sgt. Tran and {REPLACEMENT}."
    )


def test_the_reviewers_choices_win_and_names_found_later_get_their_defaults() -> None:
    text = "Amina Farah and Ms. Gonzalez met Dwayne."
    found = names_in(text, ("Ms. Gonzalez",), person(1, "Amina Farah", "member"))
    decided = [Name(**{**found[0].as_json(), "forms": tuple(found[0].forms), "hide": False})]
    decided.append(added_name("Dwayne"))
    names = merge(found, decided)
    assert redact(text, names) == f"Amina Farah and {REPLACEMENT} met {REPLACEMENT}."
    assert Name.from_json(decided[1].as_json()) == decided[1]


def test_markup_in_a_name_is_text_like_any_other() -> None:
    text = "<b>Yasmin</b> Haddad wrote <script>alert(1)</script>"
    names = names_in(text, (), person(1, "Yasmin Haddad", "member"))
    assert (
        redact(text, names) == f"<b>{REPLACEMENT}</b> {REPLACEMENT} wrote <script>alert(1)</script>"
    )


def test_e_mail_addresses_and_phone_numbers_go_whoever_they_belong_to() -> None:
    text = "Write to a.b+c@city.example.org or call 612-555-0142, (763) 555 0199, +1 952.555.0100."
    assert redact(text, []) == "Write to [e-mail] or call [phone], [phone], [phone]."
    kept = "Case 2026-000123 on 3/18/2026 at 6:30 pm, 42nd Street, 1,500 words."
    assert redact(kept, []) == kept
