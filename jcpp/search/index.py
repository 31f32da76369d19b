"""The search index, kept current on write.

Scaffolding: the index itself is being built for issue 5; until then nothing is refreshed.
"""

from __future__ import annotations

from sqlmodel import Session

from jcpp.derived import Changes


def refresh(session: Session, changes: Changes) -> None:
    """Bring the index entries of what `changes` names up to date (not built yet)."""
