"""Minutes are user text: Markdown with raw HTML off, then sanitised again with nh3."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "breaks": True}).enable("table")

_ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "blockquote",
    "code",
    "pre",
    "hr",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
}


def render_markdown(text: str) -> Markup:
    """Safe HTML for minutes text; headings are shifted down so the page keeps its outline."""
    html = _md.render(text or "")
    for level in range(6, 0, -1):
        shifted = min(level + 2, 6)
        html = html.replace(f"<h{level}>", f"<h{shifted}>").replace(
            f"</h{level}>", f"</h{shifted}>"
        )
    cleaned = nh3.clean(
        html,
        tags=_ALLOWED_TAGS,
        attributes={"a": {"href"}, "ol": {"start"}},
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return Markup(cleaned)  # noqa: S704 - sanitised by nh3 just above


_EMPHASIS = re.compile(r"(\*\*|__|\*|`)")
# A heading's marks where a line starts ("## Chief's report"); "Unit # 5" keeps its sign.
_HEADING = re.compile(r"(?:\A|(?<=\n))#{1,6}[ \t]+")
_SPACE = re.compile(r"\s+")


def plain_words(text: str) -> str:
    """A span of Markdown minutes as plain words for a title: emphasis marks and runs of white
    space go ("**Lt. Okafor** will bring" → "Lt. Okafor will bring")."""
    return " ".join(_EMPHASIS.sub("", text).split())


def plain_piece(text: str) -> str:
    """A piece of Markdown minutes shown as words (a concern, an action item, part of an
    evidence sentence): emphasis and heading marks gone, white space runs one space; unlike
    `plain_words`, the ends keep their space, so that pieces still join into words."""
    return _SPACE.sub(" ", _EMPHASIS.sub("", _HEADING.sub("", text)))
