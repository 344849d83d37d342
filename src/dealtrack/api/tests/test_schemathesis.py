"""Fuzz the running API against its own OpenAPI schema (schemathesis): no 5xx, every answer as documented.

The app runs as pytest-django's live server on 127.0.0.1, with data made here (a pipeline, deals, a contact,
a task) so generated ids sometimes exist, and a read-write token of an administrator so every operation is
reachable. Size: EXAMPLES generated cases per operation (about 45 operations) keep it near a minute on 2 cores;
raise SCHEMATHESIS_EXAMPLES to dig deeper locally.
"""

from __future__ import annotations

import datetime as dt
import os

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis import checks as st_checks

from dealtrack.core.choices import Role
from dealtrack.core.tokens import create_api_token
from dealtrack.pipelines.models import Pipeline
from dealtrack.pipelines.services import create_pipeline
from dealtrack.testing.factories import CompanyFactory, ContactFactory, LostReasonFactory, UserFactory

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "12"))

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def token(live_server, settings):
    """A token of an admin with some data around; the rate limit is lifted so fuzzing is not throttled."""
    settings.API_RATE_LIMIT = 1_000_000
    from django.utils import timezone

    from dealtrack.deals.services import create_deal
    from dealtrack.tasks.services import create_task

    admin = UserFactory(username="fuzz_admin", role=Role.ADMIN)
    if not Pipeline.objects.filter(is_default=True).exists():
        create_pipeline(name="Fuzz pipeline", is_default=True)
    LostReasonFactory()
    company = CompanyFactory(owner=admin)
    contact = ContactFactory(company=company, owner=admin)
    for i in range(3):
        deal = create_deal(actor=admin, name=f"fuzz {i}", company=company, primary_contact=contact, value="1000")
    create_task(actor=admin, title="fuzz", due_at=timezone.now() + dt.timedelta(days=1), deal=deal)
    _row, raw = create_api_token(user=admin, name="schemathesis")
    return raw


CHECKS = [
    st_checks.not_a_server_error,
    st_checks.status_code_conformance,
    st_checks.content_type_conformance,
    st_checks.response_headers_conformance,
    st_checks.response_schema_conformance,
]


def fuzz(operation, mode, token, statuses):
    """Run EXAMPLES generated cases of one operation; raises on the first broken answer (after shrinking)."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate, Phase.shrink],
        suppress_health_check=list(HealthCheck),
        database=None,
    )
    def run(case):
        response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    run()


def test_api_answers_as_documented(live_server, token):
    schema = schemathesis.openapi.from_url(f"{live_server.url}/api/v1/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    failures = []
    statuses: dict[int, int] = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            try:
                fuzz(operation, mode, token, statuses)
            except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report all
                failures.append(f"{operation.label} [{mode.value}]: {exc}")

    assert len(operations) >= 40
    assert failures == []
    assert sum(n for status, n in statuses.items() if status < 300) >= len(operations)  # not all refused
