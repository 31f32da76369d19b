"""Personal names (`jcpp_people`), for redacting residents' names from published minutes.

Three sources:
- the roster: names the caller passes (`nlp.load(roster=[...])`, or per document in
  `doc.user_data["roster"]`), matched case-insensitively as whole names, and their surnames
  alone once the full name was seen ("Amina Farah … Farah asked"), label "roster";
- titles followed by capitalised words: `Chief Alvarez`, `Lt. Okafor`, `Council Member Diaz`,
  `Ms. Tran`, `Pastor Dennis Oyelaran`, label "titled". The title is part of the span (it is how
  the person is named in the text); redaction may keep it;
- the names listed on an attendance line that names people by their part in the meeting,
  not their office ("Guests: Keisha Jackson, Saw Lah Soe", "e. Members absent: Tamba Kollie
  (excused)", "Also present: Keisha Jackson of Oak Grove"), label "listed": a guest who speaks
  at public comment is named there first, and the redaction hides every form of the name
  wherever it is written. Lines of staff or police, and people whose part in parentheses is
  official ("(police)", "(city staff)"), are left to the roster and the titles, which keep
  officials' names.
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
    r"[ \t]*(?:\([^)\n]*\)[ \t]*)?[:–—-][ \t]*(?P<names>[^\n]+)$",
    re.IGNORECASE | re.MULTILINE,
)
LIST_SEPARATOR = re.compile(r"[,;\t]|\s(?:and|&)\s", re.IGNORECASE)
# One listed person: one to four words, maybe where they come from ("of Oak Grove") and a part
# in parentheses; `_listed_name` checks the capitals. A longer piece is not a name.
LISTED_NAME = re.compile(
    r"(?P<name>[^\W\d_][\w'’.-]*(?:[ ][^\W\d_][\w'’.-]*){0,3})"
    r"(?:[ ]+(?:of|from)[ ][^()]*)?(?:[ ]*\((?P<part>[^()]*)\))?"
)
LONGEST_PIECE = 120
PARTICLES = frozenset(words("de del da das dos van von der den bin ibn al el la le du"))
# A single word on an attendance line that names nobody.
NOBODY = frozenset(
    words(
        """none nobody all n/a na tbd quorum yes no several many various everyone others
        public residents guests members visitors staff police see same"""
    )
)
# A part in parentheses that says the person is there for the police or the city: left to the
# roster and the titles, which keep officials' names.
OFFICIAL_PARTS = frozenset(
    words(
        """police officer sergeant sgt lieutenant lt captain capt chief detective deputy cso
        staff liaison city county department sheriff"""
    )
)


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
        q a i we they he she it this that these next new all staff team unit involved body
        camera cameras wellness shooting shootings recruitment hiring appreciation conduct
        misconduct survey"""
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
        spans = []
        for line in LISTED_LINE.finditer(text):
            for start, end in _pieces(text, line.start("names"), line.end("names")):
                if end - start > LONGEST_PIECE:
                    continue
                found = LISTED_NAME.fullmatch(text, start, end)
                if found is None or not self._listed_name(found):
                    continue
                stop = found.end("name")
                if text[stop - 1] == "." and len(found.group("name").split()[-1]) > 2:
                    stop -= 1  # the sentence's full stop, not an initial's
                span = doc.char_span(start, stop, label="listed", alignment_mode="contract")
                if span is not None:
                    spans.append(span)
        return spans

    def _listed_name(self, found: re.Match[str]) -> bool:
        """Whether a piece of an attendance line is a person's name (see LISTED_NAME)."""
        names = found.group("name").rstrip(".").split()
        if not (names[0][0].isupper() and names[-1][0].isupper()):
            return False
        if any(not w[0].isupper() and w not in PARTICLES for w in names):
            return False
        if any(w.lower() in self.not_names for w in names):
            return False
        if len(names) == 1 and (names[0].lower() in NOBODY or names[0].isupper()):
            return False
        part = (found.group("part") or "").lower().replace(".", " ").split()
        return not OFFICIAL_PARTS.intersection(part)

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


def _pieces(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """(start, end) of each piece of `text[start:end]` between list separators, stripped of
    white space; empty pieces left out."""
    for separator in [*LIST_SEPARATOR.finditer(text, start, end), None]:
        stop = separator.start() if separator is not None else end
        first, last = start, stop
        while first < last and text[first].isspace():
            first += 1
        while last > first and text[last - 1].isspace():
            last -= 1
        if first < last:
            yield first, last
        if separator is not None:
            start = separator.end()


def _dumps(content: dict[str, Any]) -> bytes:
    return json.dumps(content, ensure_ascii=False).encode("utf-8")


def _loads(data: bytes) -> dict[str, Any]:
    content: dict[str, Any] = json.loads(data.decode("utf-8"))
    return content
