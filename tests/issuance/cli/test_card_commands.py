"""``issuance card revoke|spoil`` and ``issuance permits recheck`` run in this process against
a database the services filled, with FER's and the civil registry's stand-ins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from issuance.services import batches, cards
from tests.issuance.services.cards.conftest import folder_printer, pki, world
from tests.issuance.services.cards.test_lifecycle import (
    _capture_and_submit,
    _card,
    _deliver,
    _issue,
    _person,
    _start,
    sandbox,
)
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process

__all__ = ["folder_printer", "pki", "sandbox", "world"]


@pytest.fixture
def issuance(monkeypatch, capsys, ctx, sandbox):
    env = context_environment(
        ctx, ISSUANCE_FER_URL=sandbox.url("fer"), ISSUANCE_SERVICE_TIMEOUT="5"
    )
    return lambda *args: run_in_process(monkeypatch, capsys, env, *args)


def test_recheck_flags_the_card_of_a_revoked_permit_and_revoke_tells_the_registers(
    ctx, world, registers, sandbox, folder_printer, pki, issuance, clock
):
    _person(sandbox, "LQ9000001", "PR0000201")
    application_id = _start(ctx, world, registers, "PSH10000011", "STANDARD", "LQ9000001")
    _capture_and_submit(ctx, world, application_id)
    nid, number = _issue(ctx, world, registers, folder_printer, pki, application_id)

    clean = issuance("permits", "recheck")
    assert clean.returncode == 0 and "0 valid card(s)" in clean.stdout

    sandbox.fer.revoke("LQ9000001")
    flagged = issuance("permits", "recheck")
    assert flagged.returncode == 1
    assert f"{number}\t{nid}\tHoxha, Arbër\tpermit LQ9000001 revoked" in flagged.stdout

    assert_refused(issuance("card", "revoke", "TR0000000", "--reason", "fraud"), "not found")
    done = issuance("card", "revoke", number, "--reason", "permit_revoked", "--note", "FER")
    assert done.returncode == 0, done.stderr
    assert f"card {number} revoked (permit_revoked)" in done.stdout
    assert (_card(ctx, number).status, _card(ctx, number).ended_reason) == (
        "revoked", "permit_revoked",
    )  # fmt: skip
    # Revoking it again says why and changes nothing.
    assert_refused(issuance("card", "revoke", number, "--reason", "fraud"), "already revoked")
    assert _card(ctx, number).ended_reason == "permit_revoked"

    clock.now = datetime.now(UTC)  # the command wrote its messages at the wall clock's time
    _deliver(ctx, registers)
    assert (nid, number) in sandbox.civil_registry.revocations()
    assert ("LQ9000001", number) in sandbox.fer.card_revocations()
    assert issuance("permits", "recheck").returncode == 0  # revoked: no longer a valid card


def test_spoil_records_a_blank_left_in_production(ctx, world, registers, sandbox, issuance):
    _person(sandbox, "LQ9100001", "PR0000211")
    application_id = _start(ctx, world, registers, "PSH10000012", "STANDARD", "LQ9100001")
    _capture_and_submit(ctx, world, application_id)
    batches.approve(ctx, world.supervisor, application_id)
    blank = cards._reserve(ctx, world.card_operator, application_id)  # the desk died here

    missing = issuance("card", "spoil", blank.document_number)
    assert missing.returncode == 2 and "--reason" in missing.stderr  # argparse: required
    done = issuance("card", "spoil", blank.document_number, "--reason", "printer jammed")
    assert done.returncode == 0, done.stderr
    assert f"card {blank.document_number} recorded as spoiled: printer jammed" in done.stdout
    card = _card(ctx, blank.document_number)
    assert (card.status, card.spoiled_reason, card.spoiled_reason_sq) == (
        "spoiled", "printer jammed", "printer jammed",
    )  # fmt: skip
    assert_refused(issuance("card", "spoil", blank.document_number, "--reason", "again"),
             "cannot be recorded as spoiled")  # fmt: skip
