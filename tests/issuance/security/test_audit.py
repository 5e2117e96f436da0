"""The audit chain: intact after real work; an edited, deleted or cut-off event is named."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from issuance.domain import workflow
from issuance.security import audit
from issuance.security.permissions import NotPermitted
from issuance.services import applications
from tests.conftest import raw_rows
from tests.support.world import build_world


def _events(ctx, world):
    from issuance.services import enrolment

    app = enrolment.start_draft(ctx, world.clerk)
    applications.transition(ctx, world.clerk, app.id, workflow.State.CANCELLED, reason="left")
    return raw_rows(ctx, "SELECT seq FROM audit_events ORDER BY seq")


def test_chain_intact_after_work(ctx, console):
    world = build_world(ctx, console)
    seqs = _events(ctx, world)
    assert [s for (s,) in seqs] == list(range(1, len(seqs) + 1))
    report = audit.verify(ctx, world.administrator)
    assert report.intact and report.events == len(seqs)


def _tamper(ctx, sql):
    with ctx.engine.begin() as conn:
        conn.execute(text(sql))


def test_edited_event_is_found(ctx, console):
    world = build_world(ctx, console)
    _events(ctx, world)
    _tamper(ctx, "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 4")
    report = audit.verify(ctx, world.supervisor)
    assert report.broken_at == 4 and "edited" in report.problem


def test_edited_details_are_found(ctx, console):
    world = build_world(ctx, console)
    _events(ctx, world)
    last = raw_rows(ctx, "SELECT max(seq) FROM audit_events")[0][0]
    _tamper(ctx, f"UPDATE audit_events SET details = '{{\"reason\": \"x\"}}' WHERE seq = {last}")
    assert audit.verify(ctx, world.supervisor).broken_at == last


def test_deleted_event_is_found(ctx, console):
    world = build_world(ctx, console)
    _events(ctx, world)
    _tamper(ctx, "DELETE FROM audit_events WHERE seq = 3")
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == 3 and "deleted" in report.problem


def test_deleted_tail_is_found(ctx, console):
    world = build_world(ctx, console)
    _events(ctx, world)
    last = raw_rows(ctx, "SELECT max(seq) FROM audit_events")[0][0]
    _tamper(ctx, f"DELETE FROM audit_events WHERE seq = {last}")
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == last and "tail" in report.problem


def test_clerk_cannot_verify_or_read_history(ctx, console):
    world = build_world(ctx, console)
    with pytest.raises(NotPermitted):
        audit.verify(ctx, world.clerk)
    with pytest.raises(NotPermitted):
        audit.history(ctx, world.clerk, "application", 1)
