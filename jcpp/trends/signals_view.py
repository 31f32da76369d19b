"""The signals panel of the dashboard (waiting for `jcpp.trends.signals`)."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from jcpp.auth.permissions import Viewer
from jcpp.trends.service import TrendFilters, TrendScope


def dashboard_signals(
    session: Session, *, viewer: Viewer, scope: TrendScope, filters: TrendFilters
) -> list[Any] | None:
    """None until signals are built."""
    return None
