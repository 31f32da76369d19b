"""The preferences form and the Outbox page's filters, as the browser sends them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from jcpp.mail.preferences import KINDS
from jcpp.mail.service import OutboxFilter
from jcpp.models import OUTBOX_STATUSES
from jcpp.web.forms import parse_int, text

MAX_PAGE = 100_000


def checkbox_name(kind: str) -> str:
    return f"email-{kind}"


@dataclass(frozen=True)
class PreferencesForm:
    """Ticked boxes (an unticked box is not sent: that kind is off) and the digest's choice."""

    by_email: dict[str, bool]
    digest: str | None

    @classmethod
    def from_form(cls, data: Mapping[str, Any]) -> PreferencesForm:
        by_email = {kind: text(data, checkbox_name(kind)) == "on" for kind in KINDS}
        return cls(by_email=by_email, digest=text(data, "digest") or None)


@dataclass(frozen=True)
class OutboxQuery:
    """The Outbox page's filters; a value that cannot be meant is no filter (the page opens)."""

    status: str = ""
    kind: str = ""
    page: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> OutboxQuery:
        return cls(
            status=text(params, "status")[:20],
            kind=text(params, "kind")[:40],
            page=text(params, "page")[:10],
        )

    def filters(self) -> OutboxFilter:
        return OutboxFilter(
            status=self.status if self.status in OUTBOX_STATUSES else None,
            kind=self.kind if self.kind in KINDS else None,
        )

    def page_number(self) -> int:
        number = parse_int(self.page)
        return number if number is not None and 0 < number <= MAX_PAGE else 1

    def params(self) -> dict[str, str]:
        filters = self.filters()
        values = {"status": filters.status, "kind": filters.kind}
        return {name: value for name, value in values.items() if value}
