"""Property-based testing of the API with schemathesis against /api/schema/: a bounded number of
generated requests per operation (valid and invalid), for an anonymous client and for a team
member's token; no answer may be a 500, and every answer must match what the schema says."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.specs.openapi.checks import ignored_auth, negative_data_rejection, positive_data_acceptance

from tests.registry.factories import community, municipality, team_member

pytestmark = pytest.mark.django_db

EXAMPLES_PER_OPERATION = 15
BOUNDED = settings(
    max_examples=EXAMPLES_PER_OPERATION,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
# Not checked, on purpose: an empty query parameter counts as absent (HTML forms send them), and
# rules across parameters ("lon with lat, or q"; "near needs dist") cannot be written in OpenAPI 3.0,
# so "valid by the schema, refused by the API" and the reverse are expected there. Every other check
# runs: no 500, status codes, content types, headers and bodies as documented, authentication.
EXCLUDED = [negative_data_rejection, positive_data_acceptance]
# With a valid token in the headers, "invalid authentication" cannot be simulated: the anonymous
# run checks that unauthenticated requests are refused.
EXCLUDED_WITH_TOKEN = [*EXCLUDED, ignored_auth]


def _schema() -> Any:
    """The schema /api/schema/ serves, generated in-process (no database needed), calling the WSGI app."""
    document = json.loads(
        OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))
    )
    loaded = schemathesis.openapi.from_dict(document)
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection() -> Iterator[None]:
    """As Django's test client does: requests must not close the test's connection (and its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def member_token() -> str:
    token, _ = Token.objects.get_or_create(user=team_member("80628000", username="property-member"))
    return str(token.key)


@pytest.fixture
def registry_rows() -> None:
    community(name="ТОС «Свойство»")
    community(name="Клуб «Свойство»", municipality=municipality("80628000"))


# The WSGI client schemathesis drives does not undo gzip (tests/registry/test_public_caching.py
# covers compression): ask for the body as it is.
PLAIN = {"Accept-Encoding": "identity"}


@schema.parametrize()
@BOUNDED
def test_anonymous_requests_never_fail_the_schema(case: Any, registry_rows: None) -> None:
    case.call_and_validate(headers=PLAIN, excluded_checks=EXCLUDED)


@schema.parametrize()
@BOUNDED
def test_a_team_members_requests_never_fail_the_schema(
    case: Any, registry_rows: None, member_token: str
) -> None:
    case.call_and_validate(
        headers={**PLAIN, "Authorization": f"Token {member_token}"}, excluded_checks=EXCLUDED_WITH_TOKEN
    )
