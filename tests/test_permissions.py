"""Every use case × every role, through the real service functions."""

from __future__ import annotations

import base64

import pytest
from sqlalchemy import text

from issuance import audit, batches, enrolment, offices, operators, search, workflow
from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.errors import IssuanceError
from issuance.permissions import ALLOWED, Actor, NotPermitted, Role, UseCase
from issuance.sealing import Sealer
from issuance.workflow import State
from tests.conftest import BACKENDS, TEST_KEY, Clock, _fresh_url
from tests.support.world import build_world, enrol_complete

C, S, O, A, Y = (  # noqa: E741 - one letter per role keeps the table readable
    Role.CLERK,
    Role.SUPERVISOR,
    Role.CARD_OPERATOR,
    Role.ADMINISTRATOR,
    Role.SYSTEM,
)

# Written out by hand on purpose: a change to the rules must be a change to this table too.
EXPECTED = {
    UseCase.ENROL: {C},
    UseCase.VIEW_APPLICATION: {C, S, O},
    UseCase.CANCEL_APPLICATION: {C, S},
    UseCase.REVIEW_BATCH: {S},
    UseCase.DECIDE_APPLICATION: {S},
    UseCase.OVERRIDE_QUALITY: {S},
    UseCase.PRODUCE_CARD: {O},
    UseCase.HAND_OVER_CARD: {O},
    UseCase.RECORD_REGISTRATION: {Y},
    UseCase.SEARCH: {C, S, O, A},
    UseCase.VIEW_HISTORY: {S, A},
    UseCase.LIST_OPERATORS: {S, A},
    UseCase.MANAGE_OPERATORS: {A},
    UseCase.UNLOCK_OPERATOR: {S, A},
    UseCase.MANAGE_OFFICES: {A},
    UseCase.VERIFY_AUDIT: {S, A},
}

CALLS = {
    UseCase.ENROL: lambda c, a, app: enrolment.start_draft(c, a),
    UseCase.VIEW_APPLICATION: lambda c, a, app: enrolment.read_capture(c, a, app, "face", "face"),
    UseCase.CANCEL_APPLICATION: lambda c, a, app: workflow.transition(
        c, a, app, State.CANCELLED, reason="test"
    ),
    UseCase.REVIEW_BATCH: lambda c, a, app: batches.open_batches(c, a, 1),
    UseCase.DECIDE_APPLICATION: lambda c, a, app: batches.reject(c, a, app, "test"),
    UseCase.OVERRIDE_QUALITY: lambda c, a, app: enrolment.override_quality(
        c, a, app, kind="finger", position="left_index", reason="scar"
    ),
    UseCase.PRODUCE_CARD: lambda c, a, app: workflow.transition(c, a, app, State.CARD_PRODUCED),
    UseCase.HAND_OVER_CARD: lambda c, a, app: workflow.transition(c, a, app, State.HANDED_OVER),
    UseCase.RECORD_REGISTRATION: lambda c, a, app: workflow.transition(c, a, app, State.REGISTERED),
    UseCase.SEARCH: lambda c, a, app: search.search(c, a, "Cela"),
    UseCase.VIEW_HISTORY: lambda c, a, app: audit.history(c, a, "application", app),
    UseCase.LIST_OPERATORS: lambda c, a, app: operators.list_operators(c, a),
    UseCase.MANAGE_OPERATORS: lambda c, a, app: operators.reset_password(
        c, a, "nobody", "Valid-pass-1"
    ),
    UseCase.UNLOCK_OPERATOR: lambda c, a, app: operators.unlock(c, a, "nobody"),
    UseCase.MANAGE_OFFICES: lambda c, a, app: offices.add_office(
        c, a, code="Q1", name="Test", city="Test"
    ),
    UseCase.VERIFY_AUDIT: lambda c, a, app: audit.verify(c, a),
}


def test_the_rules_are_the_table():
    assert {uc: set(roles) for uc, roles in ALLOWED.items()} == EXPECTED
    assert set(CALLS) == set(UseCase)


@pytest.fixture(scope="module", params=BACKENDS)
def office(request, tmp_path_factory):
    """One office per backend for the whole table: built once, shared by its 80 cases."""
    folder = tmp_path_factory.mktemp(f"perm-{request.param}")
    url = _fresh_url(request, folder, migrated=True)
    settings = Settings(folder, url, biometric_key=TEST_KEY)
    context = Context(settings, make_engine(settings.database_url),
                      Sealer(base64.b64decode(TEST_KEY)), Clock())  # fmt: skip
    console = Actor.console("tester")
    world = build_world(context, console)
    application_id = enrol_complete(context, world.clerk)
    yield context, world, application_id
    context.close()


def _audit_rows(context):
    with context.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_events")).scalar_one()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("use_case", list(UseCase))
def test_service_enforces_role(office, use_case, role):
    context, world, application_id = office
    actor = world.by_role(role)
    before = _audit_rows(context)
    if role in EXPECTED[use_case]:
        try:
            CALLS[use_case](context, actor, application_id)
        except NotPermitted:  # pragma: no cover - the failure this test exists to catch
            pytest.fail(f"{role} was refused {use_case}")
        except IssuanceError:
            pass  # allowed, but refused for a domain reason (e.g. wrong state): fine here
    else:
        with pytest.raises(NotPermitted):
            CALLS[use_case](context, actor, application_id)
        assert _audit_rows(context) == before
