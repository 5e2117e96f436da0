"""A REPLACEMENT application is not submitted before the clerk recorded why the card is
replaced: the refusal says so in both languages and changes nothing."""

from __future__ import annotations

import pytest

from devtools.standins import Sandbox, SandboxConfig
from issuance.db.models import Coupon
from issuance.domain.workflow import State
from issuance.services import card_lifecycle, enrolment
from tests.issuance.services.cards.test_lifecycle import (
    _capture_and_submit,
    _issue,
    _person,
    _start,
    _state,
)
from tests.support.registers import registers_for


@pytest.fixture
def sandbox(clock):
    sb = Sandbox(SandboxConfig()).start()
    sb.fer._today = lambda: clock().date()
    yield sb
    sb.stop()


@pytest.fixture
def registers(sandbox):
    regs = registers_for(sandbox.urls())
    yield regs
    regs.close()


def test_a_replacement_without_a_recorded_reason_is_refused_at_submission(
    ctx, world, registers, sandbox, folder_printer, pki
):
    _person(sandbox, "LQ6300001", "PR0000131")
    first = _start(ctx, world, registers, "PSH10000015", "STANDARD", "LQ6300001")
    _capture_and_submit(ctx, world, first)
    _, held = _issue(ctx, world, registers, folder_printer, pki, first)

    replacement = _start(ctx, world, registers, "PSH30000004", "REPLACEMENT", "LQ6300001")
    with pytest.raises(enrolment.ReplacementReasonMissing) as caught:
        _capture_and_submit(ctx, world, replacement)
    assert "record the reason" in caught.value.message("en")
    assert "arsyen" in caught.value.message("sq")
    assert _state(ctx, replacement) == State.BIOMETRICS_CAPTURED  # nothing changed
    with ctx.read() as uow:
        coupon = uow.session.query(Coupon).filter_by(application_id=replacement).one()
        assert coupon.status != "consumed"

    recorded = card_lifecycle.record_replacement(ctx, world.clerk, replacement, "lost")
    assert recorded.replaced_document_number == held
    enrolment.submit(ctx, world.clerk, replacement)
    assert _state(ctx, replacement) == State.SUBMITTED
