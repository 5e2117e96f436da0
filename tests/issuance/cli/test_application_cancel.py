"""``issuance application cancel NUMBER --reason …`` in this process, against a database the
services filled and the voucher stand-in: the coupon goes back to the post office."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from devtools.standins.vouchers import Coupon as PostOfficeCoupon
from issuance.db.models import Application
from issuance.delivery import outbox
from issuance.delivery.registers import outbox_handlers
from issuance.domain.workflow import State
from issuance.services import applications
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process
from tests.support.world import build_world, enrol_complete


@pytest.fixture
def issuance(monkeypatch, capsys, ctx, sandbox):
    env = context_environment(
        ctx, ISSUANCE_VOUCHER_URL=sandbox.url("voucher"), ISSUANCE_SERVICE_TIMEOUT="5"
    )
    return lambda *args: run_in_process(monkeypatch, capsys, env, *args)


def _application(ctx, application_id):
    with ctx.read() as uow:
        return uow.session.get(Application, application_id)


def test_the_console_cancels_a_submitted_application_with_a_reason(
    ctx, console, sandbox, registers, issuance, clock
):
    world = build_world(ctx, console)
    sandbox.vouchers.add(PostOfficeCoupon("TSTL00000001", 6000, True, "2026-11-20T09:30:00Z"))
    application_id = enrol_complete(
        ctx, world.clerk, coupon="TSTL00000001", vouchers=registers.vouchers
    )
    number = _application(ctx, application_id).number

    missing = issuance("application", "cancel", number)
    assert missing.returncode == 2 and "--reason" in missing.stderr
    assert_refused(issuance("application", "cancel", number, "--reason", "  "), "give a reason")
    assert_refused(issuance("application", "cancel", "TR-1999-000009", "--reason", "x"),
             "no application numbered")  # fmt: skip
    assert _application(ctx, application_id).state == State.SUBMITTED

    done = issuance("application", "cancel", number.lower(), "--reason", "applicant withdrew")
    assert done.returncode == 0, done.stderr
    assert f"application {number} cancelled (was submitted): applicant withdrew" in done.stdout
    assert "coupon TSTL00000001 is given back" in done.stdout
    application = _application(ctx, application_id)
    assert (application.state, application.decision_reason) == ("cancelled", "applicant withdrew")
    assert_refused(issuance("application", "cancel", number, "--reason", "again"), "already closed")

    clock.now = datetime.now(UTC)  # the command wrote its messages at the wall clock's time
    assert outbox.OutboxWorker(ctx, outbox_handlers(registers)).run_until_idle().alerted == 0
    assert sandbox.vouchers.get("TSTL00000001").state == "AVAILABLE"


def test_the_console_does_not_cancel_once_the_card_is_produced(ctx, console, issuance):
    from issuance.services import batches

    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    number = _application(ctx, application_id).number
    assert_refused(issuance("application", "cancel", number, "--reason", "late"), "Revoke the card")
    assert _application(ctx, application_id).state == State.CARD_PRODUCED
