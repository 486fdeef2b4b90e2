"""Property-based fuzzing of the whole OpenAPI description (schemathesis): every operation
of /api/v1/openapi.json gets generated requests (valid and invalid: types, ranges, missing
fields, strange strings) as a signed-in superuser of the security tests' world (two
agencies, cases in two quarters, tasks, notices). No answer may be a server error or differ
from the description (status code, content type, body schema). At least 1,000 cases a run.
Runs on the database the suite runs on (CI: SQLite and PostgreSQL)."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.security.conftest import world  # noqa: F401 - the shared world fixture

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 130
MINIMUM_CASES = 1000
sent: list[str] = []


@pytest.fixture(scope="module")
def api_schema(world):  # noqa: F811
    """The description, called in-process through the project's WSGI application (the whole
    middleware stack). As Django's test client does, the connection is not closed at the end
    of each request (the world lives in the test's transaction)."""
    from django.core import signals
    from django.db import close_old_connections

    from kinerja.config.wsgi import application

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.fixture(scope="module")
def fuzz_token(world, django_db_blocker):  # noqa: F811
    from kinerja.api.services import token_create

    with django_db_blocker.unblock():
        token, secret = token_create(actor=world.users["admin"], name="schemathesis")
    return token, secret


def _fuzz(operation, mode, secret: str, token_id: int, examples: int) -> list[str]:
    """Run ``examples`` generated cases of one operation (``mode``: valid or invalid
    requests); the failures, described."""
    from kinerja.api.models import ApiToken

    failures: list[str] = []

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
        phases=[Phase.explicit, Phase.generate],
    )
    def run(case):
        # a generated call may revoke the fuzzing token itself: keep it usable
        ApiToken.objects.filter(pk=token_id).update(revoked_at=None)
        response = case.call(headers={"Authorization": f"Bearer {secret}"})
        sent.append(f"{case.method} {case.path}")
        try:
            case.validate_response(response, checks=CHECKS)
        except Exception as exc:  # noqa: BLE001 - collected, reported together below
            failures.append(f"{case.method} {case.formatted_path} {case.query or ''}: {exc}")

    run()
    return failures


@pytest.mark.django_db
def test_every_operation_answers_as_described(api_schema, fuzz_token):
    token, secret = fuzz_token
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    failures: list[str] = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            failures += _fuzz(operation, mode, secret, token.pk, EXAMPLES_PER_OPERATION // 2)
    print(f"schemathesis: {len(sent)} cases over {len(operations)} operations")
    assert len(sent) >= MINIMUM_CASES, len(sent)
    assert failures == [], "\n".join(failures[:20])
