"""A REPLACEMENT application is not submitted before the clerk recorded why the card is
replaced: the refusal says so in both languages and changes nothing."""

from __future__ import annotations

import dataclasses

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


@pytest.fixture
def sandbox(clock):
    sb = Sandbox(SandboxConfig()).start()
    sb.fer._today = lambda: clock().date()
    yield sb
    sb.stop()


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
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, replacement)
    enrolment.submit(ctx, world.clerk, replacement)
    assert _state(ctx, replacement) == State.SUBMITTED


def test_a_card_issued_before_our_records_is_replaced_with_its_reason_recorded(
    ctx, world, registers, sandbox
):
    """FER says the person holds a valid card this database never made (issued before these
    records): the replacement is allowed, its reason recorded without a card to revoke here."""
    _person(sandbox, "LQ6300002", "PR0000132")
    sandbox.fer._permits["LQ6300002"] = dataclasses.replace(
        sandbox.fer._permits["LQ6300002"], holds_valid_card=True
    )
    replacement = _start(ctx, world, registers, "PSH30000005", "REPLACEMENT", "LQ6300002")
    recorded = card_lifecycle.record_replacement(ctx, world.clerk, replacement, "lost")
    assert (recorded.reason, recorded.replaced_document_number) == ("lost", None)
    _capture_and_submit(ctx, world, replacement)
    assert _state(ctx, replacement) == State.SUBMITTED
