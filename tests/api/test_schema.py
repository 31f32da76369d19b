"""The API against its own OpenAPI description: schemathesis generates requests for every
operation, valid and invalid ones, and checks each answer — no server error, a documented status
and content type, a body that matches the documented schema, invalid input refused, no answer
without the token (each case is also sent without it).

(schemathesis' own pytest loader, `from_fixture`, fails on pytest 9 — it reads a node attribute
pytest no longer has — so the test runs each operation's Hypothesis strategy itself, with the
schema loaded once.)"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from sqlmodel import Session

from tests.api.helpers import bearer, seed

EXAMPLES = 10  # per operation and mode (13 operations × 2 modes, and 5 with a known id)


@pytest.fixture(scope="module")
def api_schema(shared_app: Any) -> Any:
    return schemathesis.openapi.from_asgi("/api/v1/openapi.json", shared_app)


def _check(
    operation: Any,
    mode: GenerationMode,
    headers: dict[str, str],
    path_parameters: dict[str, int] | None = None,
) -> None:
    strategy = operation.as_strategy(
        generation_mode=mode, headers=headers, path_parameters=path_parameters
    )

    @given(case=strategy)
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    def answers_as_described(case: Any) -> None:
        case.call_and_validate()

    answers_as_described()


def test_every_operation_answers_as_the_openapi_description_says(
    app: Any, session: Session, api_schema: Any
) -> None:
    world = seed(session)
    headers = bearer(session, world.world.users["liaison"])
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 13
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            _check(operation, mode, headers)
    # Generated ids are mostly no one's (404): each single-thing operation also answers for a
    # thing the token's owner sees, so that its 200 body is checked against the schema too.
    own = world.own
    known = {
        "committee_id": own.committee.id,
        "meeting_id": own.meetings[0].id,
        "concern_id": own.concerns[0].id,
        "follow_up_id": own.follow_ups[0].id,
    }
    checked = 0
    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        if names:
            ids = {name: known[name] or 0 for name in names}
            _check(operation, GenerationMode.POSITIVE, headers, ids)
            checked += 1
    assert checked == 5
