"""Small helpers for reading the minutes pages in tests."""

from __future__ import annotations

from typing import Any

from bs4 import BeautifulSoup, Tag


def textarea_value(textarea: Tag | None) -> str:
    """What a browser shows in a textarea: one newline right after the tag is dropped."""
    assert textarea is not None, "no textarea"
    text = textarea.get_text()
    return text[1:] if text.startswith("\n") else text


def is_fragment(response: Any) -> bool:
    page = BeautifulSoup(response.text, "html.parser")
    return page.find("html") is None and page.find("main") is None


def visible_text(tag: Tag) -> str:
    """Text without the parts only screen readers hear."""
    copy = BeautifulSoup(str(tag), "html.parser")
    for hidden in copy.select(".visually-hidden"):
        hidden.decompose()
    return copy.get_text()


def assert_inert(page: BeautifulSoup, where: str) -> None:
    """No script, handler or javascript: link came from user text."""
    region = page.select(where)
    assert region, f"nothing matches {where}"
    for tag in region:
        assert tag.find("script") is None
        assert tag.find("iframe") is None and tag.find("img") is None
        for element in tag.find_all(True):
            for name, value in element.attrs.items():
                assert not name.lower().startswith("on"), f"{name} on <{element.name}>"
                if isinstance(value, str):
                    assert not value.strip().lower().startswith("javascript:")
    for script in page.find_all("script"):
        assert str(script.get("src", "")).startswith("/static/"), "an inline script"


def pasted_from_pdf(sentences: int = 2_600, *, changed: dict[int, str] | None = None) -> str:
    """About 200 kB of minutes on one single line, as pasted from a PDF: numbered sentences
    ("... item 17."), with the sentences in `changed` replaced."""
    words = ("the", "council", "heard", "residents", "about", "speeding", "near", "schools")
    out = []
    for n in range(sentences):
        text = " ".join(words[(n + k) % len(words)] for k in range(12)) + f" item {n}."
        out.append((changed or {}).get(n, text))
    return " ".join(out)
