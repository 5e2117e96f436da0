"""``issuance outbox alerts | retry ID | resolve ID --note TEXT`` run in this process against a
database the services filled, with the outbox delivering to the stand-ins."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from issuance.db.models import Application, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.domain.workflow import State
from issuance.services import alerts
from tests.issuance.services.test_alerts import (
    _deliver,
    _mismatching,
    _produced,
    right,
    sandbox,
    wrong,
)
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process
from tests.support.world import build_world

__all__ = ["right", "sandbox", "wrong"]


@pytest.fixture
def issuance(monkeypatch, capsys, ctx):
    env = context_environment(ctx)
    return lambda *args: run_in_process(monkeypatch, capsys, env, *args)


def _refused(result, fragment):
    assert_refused(result, fragment)
    assert len(result.stderr.strip().splitlines()) == 1


def _status(ctx, alert_id):
    with ctx.uow() as uow:
        return uow.session.get(OutboxMessage, alert_id).status


def test_alerts_lists_a_mismatch_side_by_side_and_resolve_needs_a_note(
    ctx, console, sandbox, right, issuance
):
    world, application_id = _mismatching(ctx, console, sandbox, right)
    [alert] = [a for a in alerts.list_alerts(ctx, console) if a.topic == civil_registry.TOPIC]
    listed = issuance("outbox", "alerts")
    assert listed.returncode == 0, listed.stderr
    assert f"{alert.id}\t" in listed.stdout and alert.application_number in listed.stdout
    assert "Person registered at the civil registry" in listed.stdout
    assert "Given names: sent «Ëndrit Besnik» | registry «Endrit Besnik»" in listed.stdout
    assert "1 alert(s)" in listed.stdout

    _refused(issuance("outbox", "resolve", str(alert.id), "--note", "   "), "Write a note")
    assert _status(ctx, alert.id) == outbox.ALERT
    _refused(issuance("outbox", "retry", "999999"), "Alert 999999 was not found.")

    note = "Confirmed with the civil registry office by phone"
    done = issuance("outbox", "resolve", str(alert.id), "--note", note)
    assert done.returncode == 0, done.stderr
    assert f"alert {alert.id} resolved; application {alert.application_number}" in done.stdout
    assert _status(ctx, alert.id) == outbox.RESOLVED
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.REGISTERED
    _refused(issuance("outbox", "resolve", str(alert.id), "--note", note), "no longer an alert")
    assert "0 alert(s)" in issuance("outbox", "alerts").stdout


def test_retry_after_the_key_is_fixed_delivers(
    ctx, console, sandbox, right, wrong, issuance, clock
):
    world = build_world(ctx, console)
    application_id = _produced(ctx, world, right, "PSH10000011")
    assert _deliver(ctx, wrong).alerted == 2
    listed = issuance("outbox", "alerts")
    assert "2 alert(s)" in listed.stdout and "401" in listed.stdout
    for alert in alerts.list_alerts(ctx, console):
        retried = issuance("outbox", "retry", str(alert.id))
        assert retried.returncode == 0 and "due again" in retried.stdout
    clock.now = datetime.now(UTC)  # the command rearmed the messages at the wall clock's time
    assert _deliver(ctx, right).alerted == 0
    with ctx.uow() as uow:
        assert uow.session.get(Application, application_id).state == State.REGISTERED
    assert "0 alert(s)" in issuance("outbox", "alerts").stdout
