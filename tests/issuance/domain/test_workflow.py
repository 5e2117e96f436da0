"""The state machine: allowed paths, refusals naming both states, one transaction each."""

from __future__ import annotations

import itertools

import pytest
from sqlalchemy import func, select

from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.domain import workflow
from issuance.domain.workflow import ForbiddenTransition, State
from issuance.security.permissions import Actor, NotPermitted
from issuance.services import applications, batches, enrolment
from tests.support.world import build_world, enrol_complete

HAPPY_PATH = [
    State.DRAFT,
    State.COUPON_VERIFIED,
    State.PERMIT_LINKED,
    State.BIOMETRICS_CAPTURED,
    State.SUBMITTED,
    State.APPROVED,
    State.CARD_PRODUCED,
    State.REGISTERED,
    State.HANDED_OVER,
]

EXPECTED = {(a, b) for a, b in itertools.pairwise(HAPPY_PATH)} | {
    (State.SUBMITTED, State.REJECTED)
} | {(s, State.CANCELLED) for s in HAPPY_PATH[:6]} | {
    # A produced card found misprinted before its handover is spoiled: back to the queue.
    (State.CARD_PRODUCED, State.APPROVED), (State.REGISTERED, State.APPROVED),
}  # fmt: skip


@pytest.mark.parametrize("current,target", list(itertools.product(State, State)))
def test_transition_table(current, target):
    assert workflow.can_transition(current, target) == ((current, target) in EXPECTED)


def test_forbidden_transition_names_both_states():
    error = ForbiddenTransition(State.DRAFT, State.APPROVED)
    assert "draft" in error.message("en") and "approved" in error.message("en")
    assert "e miratuar" in error.message("sq")


def _state(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _audit_count(ctx):
    with ctx.uow() as uow:
        return uow.session.execute(select(func.count(AuditEvent.id))).scalar_one()


def test_whole_path_through_the_services(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    assert _state(ctx, application_id) == State.SUBMITTED
    nid = batches.approve(ctx, world.supervisor, application_id)
    with ctx.uow() as uow:
        application_number = uow.session.get(Application, application_id).number
    assert nid[2:4] == "31"  # male foreigner born in January: month code 01 + 30
    with ctx.uow() as uow:
        messages = uow.session.execute(select(OutboxMessage)).scalars().all()
    # Submission told the post office; approval tells the civil registry.
    assert {(m.topic, m.key) for m in messages} == {
        ("voucher.consume", "PS-0001"),
        ("civil_registry.create_person", f"{nid}/{application_number}"),
    }
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    applications.transition(ctx, Actor.system("outbox"), application_id, State.REGISTERED)
    applications.transition(ctx, world.card_operator, application_id, State.HANDED_OVER)
    assert _state(ctx, application_id) == State.HANDED_OVER
    with ctx.uow() as uow:
        moves = uow.session.execute(
            select(AuditEvent.details)
            .where(AuditEvent.action == "application.transition")
            .order_by(AuditEvent.seq)
        ).scalars().all()
    assert [m["to"] for m in moves] == [s.value for s in HAPPY_PATH[1:]]


def test_forbidden_transition_changes_nothing(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    before = _audit_count(ctx)
    with pytest.raises(ForbiddenTransition):
        applications.transition(ctx, world.card_operator, application.id, State.CARD_PRODUCED)
    assert _state(ctx, application.id) == State.DRAFT
    assert _audit_count(ctx) == before


def test_cancel_requires_a_reason_and_is_audited(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(workflow.ReasonRequired):
        applications.transition(ctx, world.clerk, application.id, State.CANCELLED, reason="  ")
    assert _state(ctx, application.id) == State.DRAFT
    applications.transition(
        ctx, world.clerk, application.id, State.CANCELLED, reason="applicant left"
    )
    with ctx.uow() as uow:
        last = uow.session.execute(
            select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(1)
        ).scalar_one()
    assert last.details == {"from": "draft", "to": "cancelled", "reason": "applicant left"}
    assert last.actor == "clerk"


def test_no_cancel_after_production(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    with pytest.raises(ForbiddenTransition):
        applications.transition(ctx, world.supervisor, application_id, State.CANCELLED, reason="x")


def test_four_eyes(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    # A supervisor who enrolled cannot exist by role, so prove the rule with the clerk's id.
    self_reviewer = Actor("clerk", world.supervisor.role, world.clerk.operator_id, 1)
    with pytest.raises(batches.FourEyesViolation):
        batches.approve(ctx, self_reviewer, application_id)
    assert _state(ctx, application_id) == State.SUBMITTED


def test_clerk_cannot_approve(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    with pytest.raises(NotPermitted):
        batches.approve(ctx, world.clerk2, application_id)


def test_reject_records_the_reason(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    with pytest.raises(workflow.ReasonRequired):
        batches.reject(ctx, world.supervisor, application_id, "")
    batches.reject(ctx, world.supervisor, application_id, "Fotografia nuk përputhet")
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
    assert application.state == State.REJECTED
    assert application.decision_reason == "Fotografia nuk përputhet"


def test_submit_refuses_incomplete_application(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(enrolment.IncompleteApplication) as refused:
        enrolment.mark_biometrics_captured(ctx, world.clerk, application.id)
    assert "photo" in refused.value.message("en") and "10 finger" in refused.value.message("en")
