"""Topic counts per city and month (`TopicMonthCount`), kept current on write.

Scaffolding: the counting itself is being built for issue 5; until then nothing is refreshed.
"""

from __future__ import annotations

from sqlmodel import Session

from jcpp.derived import Changes


def refresh(session: Session, changes: Changes) -> None:
    """Bring the counts of what `changes` names up to date (not built yet)."""
