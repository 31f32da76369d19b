"""Removing residents' names from text shown to the public.

Pure functions, no database: the service gives them the texts, the names the NLP pipeline
found in them (`nlp.types.PersonName`-like spans) and the committee's roster.

A `Name` is one person or one way of naming someone, with every *form* the text may use (the
full name, the surname alone, the first name alone, "Lt. Okafor"), whether it is hidden and
why. Who stays by default:

- police staff: the roster's police role, or a police title (Chief, Lt., Sgt., Officer …) on
  the roster or before the name in the text;
- committee officers: the roster's chair and liaison roles, or the title Chair / Vice Chair /
  Co-Chair / Liaison before the name in the text.

Everyone else (committee members, guests, residents named in the text, other titles such as
Ms., Pastor or Council Member) is hidden and replaced by "[resident]". The liaison's review
may keep or hide each name and add names the software missed.

Forms are matched as whole words, case-insensitively; a first name or a surname alone only
when it starts with a capital letter (a resident called Will Park must not hide every "will").
Where one text span is a form of a hidden name and of a kept one ("Okafor" for a resident
Okafor and for Lt. Okafor), the span is hidden: a resident's privacy wins over an officer's.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Protocol

REPLACEMENT = "[resident]"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


POLICE_TITLES = _words(
    """chief deputy-chief assistant-chief police-chief capt captain lt lieutenant sgt sergeant
    det detective officer ofc cso cmdr commander deputy sheriff inspector insp trooper cpl
    corporal supt superintendent school-resource-officer community-service-officer
    police-officer"""
)
OFFICER_TITLES = _words(
    "chair chairperson chairwoman chairman vice-chair co-chair liaison community-liaison"
)
OTHER_TITLES = _words(
    """mr mrs ms mx miss dr rev reverend imam rabbi pastor father sister bishop mayor
    councilmember councilwoman councilman council-member city-council-member commissioner
    county-commissioner member senator sen representative rep judge attorney professor prof
    resident"""
)
ALL_TITLES = POLICE_TITLES | OFFICER_TITLES | OTHER_TITLES

KEEP_ROLES = {"police": "police staff", "chair": "committee chair", "liaison": "liaison"}

# "Deputy Chief", "Lt.", "Vice-Chair": a title is words joined by spaces or hyphens, maybe dotted.
_TITLE_WORDS = sorted((t.replace("-", r"[\s-]+") for t in ALL_TITLES), key=len, reverse=True)
_LEADING_TITLE = re.compile(r"^(?:(" + "|".join(_TITLE_WORDS) + r")\.?\s+)+", re.IGNORECASE)


class PersonSpan(Protocol):
    """A name found in a text (as `nlp.types.PersonName`)."""

    @property
    def text(self) -> str: ...


@dataclass(frozen=True)
class RosterPerson:
    """Someone on the committee's roster, with the roles they hold."""

    person_id: int
    name: str
    title: str | None = None
    roles: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Name:
    """One person or one way of naming someone, and whether the public sees it."""

    key: str
    name: str
    forms: tuple[str, ...]
    hide: bool
    reason: str
    added: bool = False
    count: int = field(default=0, compare=False)

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "name": self.name,
            "forms": list(self.forms),
            "hide": self.hide,
            "reason": self.reason,
            "added": self.added,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Name:
        return cls(
            key=str(data["key"]),
            name=str(data["name"]),
            forms=tuple(str(form) for form in data.get("forms", ())),
            hide=bool(data.get("hide", True)),
            reason=str(data.get("reason", "")),
            added=bool(data.get("added", False)),
        )


@dataclass(frozen=True)
class Segment:
    """A piece of text, and the name it is a form of (None between names)."""

    text: str
    name: Name | None = None


# ---------------------------------------------------------------- titles and forms


def _normalise(text: str) -> str:
    return " ".join(text.split())


def title_key(title: str | None) -> str:
    """ "Lt." → "lt", "Deputy Chief" → "deputy-chief"."""
    return "-".join((title or "").lower().replace(".", " ").replace("-", " ").split())


def split_title(text: str) -> tuple[str, str]:
    """("Lt.", "Okafor") for "Lt. Okafor"; ("", text) when no title leads."""
    text = _normalise(text)
    match = _LEADING_TITLE.match(text)
    if match is None or match.end() >= len(text):
        return "", text
    return text[: match.end()].strip(), text[match.end() :]


def is_police_title(title: str | None) -> bool:
    words = title_key(title)
    return any(words == t or words.endswith("-" + t) for t in POLICE_TITLES)


def is_officer_title(title: str | None) -> bool:
    return title_key(title) in OFFICER_TITLES


def _is_form(word: str) -> bool:
    """A word that names someone alone: not an initial ("J."), at least two letters."""
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and not word.endswith(".")


def name_forms(name: str) -> tuple[str, ...]:
    """The full name, then its first and last words (first name, surname) when it has two or
    more; without a leading title."""
    _, bare = split_title(name)
    words = bare.split()
    forms = [bare] if bare else []
    if len(words) >= 2:
        forms += [w for w in (words[0], words[-1]) if _is_form(w)]
    return _unique(forms)


def _unique(forms: Iterable[str]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for form in forms:
        form = _normalise(form)
        if form and form.casefold() not in seen:
            seen[form.casefold()] = form
    return tuple(seen.values())


# ---------------------------------------------------------------- finding names


def roster_name(person: RosterPerson) -> Name:
    """The roster person as a Name, hidden unless police staff or a committee officer."""
    forms = list(name_forms(person.name))
    if person.title and forms:
        # "Lt. Marcus Okafor", "Lt. Okafor": the title joins the name's full form and surname.
        forms = [f"{person.title} {forms[0]}", f"{person.title} {forms[-1]}", *forms]
    reason, keep = "committee member (a resident)", False
    if "police" in person.roles or is_police_title(person.title):
        reason, keep = "police staff", True
    elif person.roles & {"chair", "liaison"}:
        role = "chair" if "chair" in person.roles else "liaison"
        reason, keep = f"committee officer ({KEEP_ROLES[role]})", True
    return Name(
        key=f"person:{person.person_id}",
        name=person.name,
        forms=_unique(forms),
        hide=not keep,
        reason=reason,
    )


def titled_name(text: str) -> Name:
    """A name found in the text and on no roster, judged by the title before it."""
    text = _normalise(text)
    title, bare = split_title(text)
    forms = _unique([text, *name_forms(bare)])
    if is_police_title(title):
        reason, keep = f"police title ({title})", True
    elif is_officer_title(title):
        reason, keep = f"committee officer title ({title})", True
    elif title:
        reason, keep = f"named in the text as {title}", False
    else:
        reason, keep = "named in the text", False
    return Name(key=f"name:{text.casefold()}", name=text, forms=forms, hide=not keep, reason=reason)


def added_name(text: str) -> Name:
    """A name the reviewer adds: hidden, in all its forms."""
    text = _normalise(text)
    return Name(
        key=f"added:{text.casefold()}",
        name=text,
        forms=_unique([text, *name_forms(text)]),
        hide=True,
        reason="added by the reviewer",
        added=True,
    )


def find_names(
    texts: Sequence[str],
    spans: Iterable[PersonSpan],
    roster: Sequence[RosterPerson],
) -> list[Name]:
    """Every name that occurs in `texts`: roster people named in any of their forms, and the
    names the pipeline found (`spans`), a titled name joining the roster person it names.
    Each with its default (hidden or kept) and how often its forms occur."""
    people = [roster_name(person) for person in roster]
    by_form: dict[str, list[int]] = {}
    for index, person in enumerate(people):
        for form in person.forms:
            by_form.setdefault(form.casefold(), []).append(index)
    extra_forms: dict[int, list[str]] = {}
    others: dict[str, Name] = {}
    for span in spans:
        text = _normalise(span.text)
        if not text:
            continue
        titled = titled_name(text)
        owners = by_form.get(text.casefold()) or by_form.get(split_title(text)[1].casefold())
        if owners and text.casefold() not in by_form:
            # "Sgt. Okafor" where the roster knows only a resident Okafor: someone else.
            owners = [i for i in owners if titled.hide or not people[i].hide]
        if owners:
            hidden = [i for i in owners if people[i].hide]
            extra_forms.setdefault((hidden or owners)[0], []).append(text)
        else:
            others.setdefault(titled.key, titled)
    people = [
        replace(person, forms=_unique([*extra_forms.get(i, []), *person.forms]))
        for i, person in enumerate(people)
    ]
    counted = [_with_count(name, texts) for name in [*people, *others.values()]]
    return [name for name in counted if name.count > 0]


def _with_count(name: Name, texts: Sequence[str]) -> Name:
    count = sum(1 for text in texts for piece in segments(text, [name]) if piece.name is not None)
    return replace(name, count=count)


def merge(found: Sequence[Name], decided: Sequence[Name]) -> list[Name]:
    """The reviewer's decisions where there are some, the defaults for names found since (in a
    newer revision, in a follow-up written after the review)."""
    keys = {name.key for name in decided}
    return [*decided, *(name for name in found if name.key not in keys)]


# ---------------------------------------------------------------- applying them


@functools.lru_cache(maxsize=4096)
def _form_pattern(form: str, any_case: bool = False) -> re.Pattern[str]:
    """Whole words, any spacing, any case; but a single word (a first name or a surname alone)
    only with a capital first letter, so that a Will or a Park hides no "will" or "park" (unless
    `any_case`: in a field that holds nothing but a name, such as a follow-up's owner)."""
    words = form.split()
    if len(words) == 1 and words[0][:1].isalpha() and not any_case:
        word = words[0]
        body = f"[{re.escape(word[0].upper())}](?i:{re.escape(word[1:])})"
    else:
        body = "(?i:" + r"\s+".join(re.escape(word) for word in words) + ")"
    return re.compile(r"(?<!\w)" + body + r"(?!\w)")


def segments(text: str, names: Sequence[Name], *, any_case: bool = False) -> list[Segment]:
    """The text cut into pieces, each name's occurrences marked with the name: longer matches
    first; where a hidden and a kept name match the same span, the hidden one."""
    matches: list[tuple[int, int, int, Name]] = []
    for name in names:
        for form in name.forms:
            for match in _form_pattern(form, any_case).finditer(text):
                matches.append((match.start(), match.end(), 0 if name.hide else 1, name))
    matches.sort(key=lambda m: (m[0], -(m[1] - m[0]), m[2]))
    out: list[Segment] = []
    position = 0
    for start, end, _, name in matches:
        if start < position:
            continue
        if start > position:
            out.append(Segment(text[position:start]))
        out.append(Segment(text[start:end], name))
        position = end
    if position < len(text):
        out.append(Segment(text[position:]))
    return out


_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# North American numbers: 612-555-0142, (612) 555 0142, 612.555.0142, +1 612 555 0142.
_PHONE = re.compile(
    r"(?<![\w-])(?:\+?1[\s.-]?)?(?:\(\d{3}\)\s?|\d{3}[\s.-])\d{3}[\s.-]\d{4}(?![\w-])"
)


def remove_contacts(text: str) -> str:
    """Every e-mail address and phone number, whoever's: the public sees none."""
    return _PHONE.sub("[phone]", _EMAIL.sub("[e-mail]", text))


def redact(text: str, names: Sequence[Name], *, any_case: bool = False) -> str:
    """The text with every form of every hidden name replaced by "[resident]", and every
    e-mail address and phone number removed."""
    return "".join(
        REPLACEMENT if segment.name is not None and segment.name.hide else segment.text
        for segment in segments(remove_contacts(text), names, any_case=any_case)
    )
