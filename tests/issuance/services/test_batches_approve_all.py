"""Approve all remaining: one transaction for the whole batch, on SQLite and PostgreSQL.

Every submitted application gets its NID, its civil-registry message and its audit event;
what the supervisor may not decide (four eyes, decided meanwhile, not in the batch) is skipped
and reported; any other error leaves the batch exactly as it was.
"""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from issuance.db.models import Applicant, Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry
from issuance.domain import numbering, workflow
from issuance.domain.workflow import State
from issuance.security.permissions import Actor, NotPermitted, OtherOfficesApplication, Role
from issuance.services import batches, receipts
from tests.support.world import build_world, enrol_complete


def _enrol(ctx, clerk, n: int) -> int:
    return enrol_complete(
        ctx, clerk, coupon=f"PS-{n:04d}", permit_number=f"LQ{n:07d}",
        passport_number=f"P{n:07d}",
    )  # fmt: skip


def _batch_of(ctx, application_id: int) -> int:
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, application_id).batch_id
    assert batch_id is not None
    return batch_id


def _states(ctx, ids: list[int]) -> list[str]:
    with ctx.uow() as uow:
        return [uow.session.get(Application, i).state for i in ids]


def _registry_messages(ctx) -> list[OutboxMessage]:
    with ctx.uow() as uow:
        return list(
            uow.session.execute(
                select(OutboxMessage).where(OutboxMessage.topic == civil_registry.TOPIC)
            ).scalars()
        )


def _approvals_audited(ctx) -> list[tuple[str, str]]:
    with ctx.uow() as uow:
        events = uow.session.execute(
            select(AuditEvent)
            .where(AuditEvent.action == "application.transition")
            .order_by(AuditEvent.seq)
        ).scalars()
        return [(e.entity_id, e.actor) for e in events if e.details.get("to") == "approved"]


def _audit_count(ctx) -> int:
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count(AuditEvent.id))).scalar_one()


def _unchanged(ctx, ids: list[int], audit_before: int) -> None:
    assert _states(ctx, ids) == [State.SUBMITTED] * len(ids)
    assert _registry_messages(ctx) == []
    assert _audit_count(ctx) == audit_before
    with ctx.uow() as uow:
        nids = uow.session.execute(
            select(Applicant.nid)
            .join(Application, Application.applicant_id == Applicant.id)
            .where(Application.id.in_(ids))
        ).scalars()
        assert set(nids) == {None}


def test_approves_every_submitted_application_in_one_transaction(ctx, console, monkeypatch):
    world = build_world(ctx, console)
    ids = [_enrol(ctx, world.clerk, n) for n in (1, 2, 3)]
    batch_id = _batch_of(ctx, ids[0])
    units = []
    opened = ctx.uow
    monkeypatch.setattr(ctx, "uow", lambda: units.append(1) or opened())

    summary = batches.approve_remaining(ctx, world.supervisor, batch_id)

    assert len(units) == 1  # one unit of work, one commit, for the whole batch
    monkeypatch.undo()
    assert summary.batch_id == batch_id and summary.skipped == ()
    assert [a.application_id for a in summary.approved] == ids
    assert _states(ctx, ids) == [State.APPROVED] * 3
    with ctx.uow() as uow:
        rows = {
            a.id: (a.number, p.nid, a.decided_by_id)
            for a, p in uow.session.execute(
                select(Application, Applicant).join(
                    Applicant, Applicant.id == Application.applicant_id
                )
            )
        }
    for approved in summary.approved:
        number, nid, decided_by = rows[approved.application_id]
        assert (approved.number, approved.nid, decided_by) == (
            number, nid, world.supervisor.operator_id,
        )  # fmt: skip
        assert nid is not None and len(nid) == 10
    assert len({a.nid for a in summary.approved}) == 3
    # One civil-registry message per approved application, keyed as the single approval does.
    messages = _registry_messages(ctx)
    keys = sorted(f"{a.nid}/{a.number}" for a in summary.approved)
    assert sorted(m.key for m in messages) == keys
    assert {m.payload["application_id"] for m in messages} == set(ids)
    assert _approvals_audited(ctx) == [(str(i), "supervisor") for i in ids]

    # Nothing is left: a second run approves nothing and skips nothing.
    again = batches.approve_remaining(ctx, world.supervisor, batch_id)
    assert (again.approved, again.skipped) == ((), ())
    assert len(_registry_messages(ctx)) == 3


def test_own_enrolments_are_skipped_and_reported(ctx, console):
    world = build_world(ctx, console)
    ids = [_enrol(ctx, world.clerk2, 1), _enrol(ctx, world.clerk, 2), _enrol(ctx, world.clerk2, 3)]
    # A supervisor who enrolled cannot exist by role, so prove the rule with the clerk's id.
    reviewer = Actor("clerk", Role.SUPERVISOR, world.clerk.operator_id, world.clerk.office_id)

    summary = batches.approve_remaining(ctx, reviewer, _batch_of(ctx, ids[0]))

    assert [a.application_id for a in summary.approved] == [ids[0], ids[2]]
    [skipped] = summary.skipped
    assert skipped.application_id == ids[1]
    assert isinstance(skipped.reason, batches.FourEyesViolation)
    assert "four-eyes" in skipped.reason.message("en")
    assert "katër syve" in skipped.reason.message("sq")
    with ctx.uow() as uow:
        assert skipped.number == uow.session.get(Application, ids[1]).number
    assert _states(ctx, ids) == [State.APPROVED, State.SUBMITTED, State.APPROVED]
    assert len(_registry_messages(ctx)) == 2


def test_only_what_the_supervisor_saw_is_approved(ctx, console):
    world = build_world(ctx, console)
    ids = [_enrol(ctx, world.clerk, n) for n in (1, 2)]
    batch_id = _batch_of(ctx, ids[0])
    batches.reject(ctx, world.supervisor, ids[1], "permit revoked")  # by someone else, meanwhile
    unseen = _enrol(ctx, world.clerk, 3)  # submitted after the screen was loaded

    summary = batches.approve_remaining(
        ctx, world.supervisor, batch_id, application_ids=[ids[0], ids[1], 999_999]
    )

    assert [a.application_id for a in summary.approved] == [ids[0]]
    assert [s.application_id for s in summary.skipped] == [ids[1], 999_999]
    decided, stranger = summary.skipped
    assert isinstance(decided.reason, workflow.ForbiddenTransition)
    assert "rejected" in decided.reason.message("en")
    assert isinstance(stranger.reason, batches.NotInBatch)
    assert _states(ctx, [*ids, unseen]) == [State.APPROVED, State.REJECTED, State.SUBMITTED]


def test_an_error_midway_rolls_back_the_whole_batch(ctx, console, monkeypatch):
    world = build_world(ctx, console)
    ids = [_enrol(ctx, world.clerk, n) for n in (1, 2, 3, 4)]
    batch_id = _batch_of(ctx, ids[0])
    audit_before = _audit_count(ctx)
    real, calls = numbering.allocate_nid, []

    def allocate_nid(session, birth_date, sex, block=None):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("counter table on fire")
        return real(session, birth_date, sex, block=block)

    monkeypatch.setattr(numbering, "allocate_nid", allocate_nid)
    with pytest.raises(RuntimeError, match="on fire"):
        batches.approve_remaining(ctx, world.supervisor, batch_id)
    assert len(calls) == 3  # two were approved in the transaction before the error

    _unchanged(ctx, ids, audit_before)
    # And the batch can still be approved whole once the fault is gone.
    monkeypatch.undo()
    summary = batches.approve_remaining(ctx, world.supervisor, batch_id)
    assert len(summary.approved) == 4
    assert _states(ctx, ids) == [State.APPROVED] * 4


def test_a_clerk_is_refused(ctx, console):
    world = build_world(ctx, console)
    ids = [_enrol(ctx, world.clerk, n) for n in (1, 2)]
    audit_before = _audit_count(ctx)
    with pytest.raises(NotPermitted):
        batches.approve_remaining(ctx, world.clerk2, _batch_of(ctx, ids[0]))
    _unchanged(ctx, ids, audit_before)


def test_another_offices_batch_is_refused(ctx, console):
    world = build_world(ctx, console)
    durres = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                         prefix="dr_")  # fmt: skip
    ids = [_enrol(ctx, world.clerk, n) for n in (1, 2)]
    audit_before = _audit_count(ctx)
    with pytest.raises(OtherOfficesApplication) as refused:
        batches.approve_remaining(ctx, durres.supervisor, _batch_of(ctx, ids[0]))
    assert refused.value.what == "batch"
    _unchanged(ctx, ids, audit_before)


def test_an_unknown_batch_is_refused(ctx, console):
    world = build_world(ctx, console)
    with pytest.raises(receipts.BatchNotFound):
        batches.approve_remaining(ctx, world.supervisor, 424242)
