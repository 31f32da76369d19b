"""Personal names (`jcpp_people`), for redacting residents' names from published minutes.

Three sources:
- the roster: names the caller passes (`nlp.load(roster=[...])`, or per document in
  `doc.user_data["roster"]`), matched case-insensitively as whole names, and their surnames
  alone once the full name was seen ("Amina Farah … Farah asked"), label "roster";
- titles followed by capitalised words: `Chief Alvarez`, `Lt. Okafor`, `Council Member Diaz`,
  `Ms. Tran`, `Pastor Dennis Oyelaran`, label "titled". The title is part of the span (it is how
  the person is named in the text); redaction may keep it;
- the names listed on an attendance line that names people by their part in the meeting,
  not their office ("Guests: Keisha Jackson, Saw Lah Soe", "Members present: …",
  "Absent: …", "Also present: …"), and wherever else the text names them in full, label
  "listed": a guest who speaks at public comment is named there first. Lines of staff or
  police are left to the roster and the titles (officials are kept).
Names go to `doc.spans["people"]`, without overlaps (roster wins, longer wins).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span, Token
from spacy.util import filter_spans, registry

from nlp.components import doc_text, words

SPAN_KEY = "people"
TITLES_VERSION = "jcpp.person_titles.v1"
# An attendance line listing people by their part in the meeting, and what follows its label.
LISTED_LINE = re.compile(
    r"^[ \t•*·▪‣◦○●\-–]*(?:(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)][ \t]+)?"
    r"(?:(?:committee |commission )?members? (?:present|absent|excused)|present|absent|excused"
    r"|guests?(?: present)?|visitors?|also present|others? present|in attendance|attendees"
    r"|residents?(?: present)?|public(?: present| attendees)?|community members?(?: present)?)"
    r"[ \t]*(?:\([^)\n]*\))?[ \t]*[:–—-][ \t]*(?P<names>[^\n]+)$",
    re.IGNORECASE | re.MULTILINE,
)
# One listed person: two to four capitalised words (initials, particles and hyphenated or
# apostrophised words allowed), nothing else in the piece but a part in parentheses.
_CAPITALISED = r"[A-ZÀ-ÖØ-Þ][\w'’.-]*"
_PARTICLE = r"de|del|da|van|von|der|bin|al|la|le"
LISTED_NAME = re.compile(
    rf"(?P<name>{_CAPITALISED}(?:[ ](?:{_CAPITALISED}|{_PARTICLE})){{1,3}})[ ]*(?:\([^)]*\))?[ ]*"
)
LIST_SEPARATORS = re.compile(r"[,;]| and | & ")


def person_titles_v1() -> dict[str, list[str]]:
    """Titles before a name, as token sequences (lower case; a trailing period is optional)."""
    return {
        "titles": words(
            """chief lt lieutenant sgt sergeant officer ofc deputy commissioner capt captain
        cmdr commander det detective cso mr ms mrs mx dr rev reverend imam rabbi pastor father
        sister bishop sheriff inspector insp mayor councilmember councilwoman councilman chair
        chairperson vice-chair member senator sen representative rep judge attorney
        professor prof trooper cpl corporal supt superintendent liaison"""
        ),
        "multiword": [
            "council member",
            "city council member",
            "deputy chief",
            "assistant chief",
            "police chief",
            "vice chair",
            "co-chair",
            "community liaison",
            "county commissioner",
            "school resource officer",
            "community service officer",
        ],
        # Capitalised words after a title that are not names ("Chief's Report", "Officer Safety").
        "not_names": words(
            """report update updates safety training program department police the of
        and for in on at county city state minnesota hennepin committee commission council
        q a i we they he she it this that these next new all staff team unit"""
        ),
    }


registry.misc.register(TITLES_VERSION, func=person_titles_v1)


class PersonFinder:
    """Finds personal names by roster and by title (see the module's docstring)."""

    def __init__(self, nlp: Language, name: str, titles: dict[str, list[str]]) -> None:
        self.name = name
        self.nlp = nlp
        self.not_names = frozenset(titles["not_names"])
        # Titles are found with a PhraseMatcher (fast); the capitalised words after each are
        # looked at in Python, which runs once per title, not once per token.
        self.title_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        single = titles["titles"]
        # "Ms." and "Dr." are one token each; "Lt" + "." are two: both forms are titles.
        dotted = [f"{t}." for t in single] + [f"{t.capitalize()}." for t in single]
        phrases = [*single, *dotted, *titles["multiword"]]
        self.title_matcher.add("title", [nlp.make_doc(p) for p in phrases])
        self.roster: tuple[str, ...] = ()
        self.roster_matcher = PhraseMatcher(nlp.vocab, attr="LOWER")

    def _titled(self, doc: Doc) -> list[Span]:
        spans = []
        for _, start, end in self.title_matcher(doc):
            k = end + 1 if end < len(doc) and doc[end].text == "." else end
            name_end = k
            while name_end < len(doc) and name_end - k < 3 and self._is_name_word(doc[name_end]):
                name_end += 1
            if name_end > k:
                spans.append(Span(doc, start, name_end, label="titled"))
        return spans

    def _is_name_word(self, token: Token) -> bool:
        text = token.text
        if len(text) == 2 and text[1] == "." and text[0].isupper():
            return True  # an initial
        return token.is_title and token.is_alpha and token.lower_ not in self.not_names

    def set_roster(self, names: Sequence[str]) -> None:
        self.roster = tuple(n.strip() for n in names if n and n.strip())
        self.roster_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._add_roster(self.roster_matcher, self.roster)

    def _add_roster(self, matcher: PhraseMatcher, names: Iterable[str]) -> None:
        docs = [self.nlp.make_doc(n) for n in names]
        if docs:
            matcher.add("roster", docs)

    def __call__(self, doc: Doc) -> Doc:
        roster = self._roster_spans(doc)
        titled = self._titled(doc)
        listed = self._listed(doc)
        found = filter_spans([*roster, *titled, *listed])
        doc.spans[SPAN_KEY] = sorted(found, key=lambda s: s.start)
        return doc

    def _listed(self, doc: Doc) -> list[Span]:
        """The names on attendance lines of people (see the module's docstring)."""
        text = doc_text(doc)
        names: dict[str, tuple[int, int]] = {}  # lower-case name -> where it is listed
        for line in LISTED_LINE.finditer(text):
            start = line.start("names")
            for piece in LIST_SEPARATORS.split(line.group("names")):
                offset = text.index(piece, start) if piece else start
                start = offset + len(piece)
                stripped = piece.strip()
                found = LISTED_NAME.fullmatch(stripped)
                if found is None:
                    continue
                name = found.group("name")
                if any(word.lower() in self.not_names for word in name.split()):
                    continue
                begin = offset + (len(piece) - len(piece.lstrip())) + found.start("name")
                names.setdefault(name.lower(), (begin, begin + len(name)))
        if not names:
            return []
        # And wherever else the minutes name them in full (where lower case keeps the offsets).
        lower, places = text.lower(), set(names.values())
        for name in names if len(lower) == len(text) else ():
            at = lower.find(name)
            while at != -1:
                end = at + len(name)
                if not _word_at(lower, at - 1) and not _word_at(lower, end):
                    places.add((at, end))
                at = lower.find(name, end)
        spans = (doc.char_span(a, b, label="listed", alignment_mode="contract") for a, b in places)
        return [span for span in spans if span is not None]

    def _roster_spans(self, doc: Doc) -> list[Span]:
        extra: list[str] = list(doc.user_data.get("roster", ()))
        matcher = self.roster_matcher
        if extra:
            matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            self._add_roster(matcher, [*self.roster, *extra])
        if len(matcher) == 0:
            return []
        full = [Span(doc, s, e, label="roster") for _, s, e in matcher(doc)]
        surnames = {span[-1].lower_ for span in full if len(span) > 1}
        if surnames:
            surname_matcher = PhraseMatcher(self.nlp.vocab, attr="LOWER")
            surname_matcher.add("surname", [self.nlp.make_doc(s) for s in sorted(surnames)])
            full += [
                Span(doc, s, e, label="roster")
                for _, s, e in surname_matcher(doc)
                if doc[s].is_title or doc[s].is_upper
            ]
        return full

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return _dumps({"roster": list(self.roster)})

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> PersonFinder:
        self.set_roster(_loads(data)["roster"])
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)
        Path(path, "roster.msgpack").write_bytes(self.to_bytes())

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> PersonFinder:
        return self.from_bytes(Path(path, "roster.msgpack").read_bytes())


@Language.factory(
    "jcpp_people",
    assigns=["doc.spans"],
    default_config={"titles": {"@misc": TITLES_VERSION}},
)
def make_person_finder(nlp: Language, name: str, titles: dict[str, Any]) -> PersonFinder:
    return PersonFinder(nlp, name, titles)


def _word_at(text: str, index: int) -> bool:
    """Whether a word character is at `index` of `text` (False outside it)."""
    return 0 <= index < len(text) and (text[index].isalnum() or text[index] == "_")


def _dumps(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def _loads(data: bytes) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(data.decode("utf-8"))
    return content
