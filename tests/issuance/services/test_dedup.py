"""1:N de-duplication by face on SQLite and PostgreSQL: one person enrolling twice under two
passports is caught at submission, shown to the supervisor with a score and the other
application, and cannot be approved before the supervisor decides."""

from __future__ import annotations

import numpy as np
import pytest
from sqlalchemy import select

from issuance.bootstrap import Context
from issuance.db.models import Application, AuditEvent, DuplicateDecision, FaceTemplate
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.security.permissions import NotPermitted
from issuance.security.sealing import UnsealError
from issuance.services import batches, dedup
from tests.support import people
from tests.support.world import build_world

_enrol = people.enrol_with_face


def _state(ctx: Context, application_id: int) -> str:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).state


def _events(ctx: Context, action: str) -> list[AuditEvent]:
    with ctx.uow() as uow:
        return list(
            uow.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_one_face_under_two_passports_is_caught_and_blocks_approval(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    other = _enrol(ctx, world.clerk, 2, people.grace_hopper_jpeg())
    second = _enrol(ctx, world.clerk, 3, people.astronaut_jpeg(3))  # recoloured: same face

    review = dedup.review(ctx, world.supervisor, second)
    assert review.compared
    [duplicate] = review.duplicates
    assert duplicate.other_application_id == first
    assert duplicate.modality == "face" and duplicate.decision is None
    assert 0 < duplicate.score <= 1 and duplicate.distance < 0.6
    with ctx.uow() as uow:
        assert duplicate.other_number == uow.session.get(Application, first).number
    assert duplicate.other_name.endswith("Surname1")
    # Both ways: the earlier application now shows the later one.
    assert [
        d.other_application_id for d in dedup.review(ctx, world.supervisor, first).duplicates
    ] == [second]
    assert dedup.review(ctx, world.supervisor, other).duplicates == ()
    # Found at submission already, and audited there with the other application's number.
    [found] = _events(ctx, "application.possible_duplicates")
    assert found.entity_id == str(second) and found.details == {"face": [duplicate.other_number]}

    with pytest.raises(dedup.UndecidedDuplicates) as refused:
        batches.approve(ctx, world.supervisor, second)
    assert "duplicate" in refused.value.message("en") and "dublikatë" in refused.value.message("sq")
    assert _state(ctx, second) == State.SUBMITTED

    batch_id = _batch(ctx, second)
    summary = batches.approve_remaining(ctx, world.supervisor, batch_id)
    assert [a.application_id for a in summary.approved] == [other]
    assert sorted(s.application_id for s in summary.skipped) == sorted([first, second])
    assert all(isinstance(s.reason, dedup.UndecidedDuplicates) for s in summary.skipped)


def _batch(ctx: Context, application_id: int) -> int:
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id).batch_id


def test_another_person_decision_is_recorded_audited_and_lets_approval_through(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    second = _enrol(ctx, world.clerk, 2, people.astronaut_jpeg(5))

    dedup.decide(
        ctx, world.supervisor, second, first, same_person=False,
        reason="Twins: birth certificates seen",
    )  # fmt: skip

    [decided] = dedup.review(ctx, world.supervisor, second).duplicates
    assert decided.decision == dedup.DIFFERENT_PERSON
    assert decided.decision_reason == "Twins: birth certificates seen"
    [event] = _events(ctx, "application.duplicate_decided")
    assert event.entity_id == str(second) and event.actor == "supervisor"
    assert event.details["decision"] == "different_person"
    nid = batches.approve(ctx, world.supervisor, second)
    assert nid and _state(ctx, second) == State.APPROVED
    # The decision is per pair: the first application still waits for its own.
    with pytest.raises(dedup.UndecidedDuplicates):
        batches.approve(ctx, world.supervisor, first)


def test_same_person_decision_rejects_the_application(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    second = _enrol(ctx, world.clerk, 2, people.astronaut_jpeg(2))

    dedup.decide(
        ctx, world.supervisor, second, first, same_person=True,
        reason="Same person as the other application",
    )  # fmt: skip

    assert _state(ctx, second) == State.REJECTED
    with ctx.uow() as uow:
        application = uow.session.get(Application, second)
        assert application.decision_reason == "Same person as the other application"
        [row] = uow.session.execute(select(DuplicateDecision)).scalars()
        assert (row.decision, row.other_application_id) == ("same_person", first)
    # A decided application cannot be decided again.
    with pytest.raises(workflow.ForbiddenTransition):
        dedup.decide(ctx, world.supervisor, second, first, same_person=False, reason="x")
    assert _state(ctx, second) == State.REJECTED


def test_refused_decisions_change_nothing(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    other = _enrol(ctx, world.clerk, 2, people.grace_hopper_jpeg())
    second = _enrol(ctx, world.clerk, 3, people.astronaut_jpeg(1))

    with pytest.raises(dedup.NotAPossibleDuplicate):
        dedup.decide(ctx, world.supervisor, second, other, same_person=False, reason="not one")
    with pytest.raises(dedup.DecisionReasonRequired):
        dedup.decide(ctx, world.supervisor, second, first, same_person=False, reason="  ")
    with pytest.raises(NotPermitted):
        dedup.decide(ctx, world.clerk2, second, first, same_person=False, reason="a clerk")
    with pytest.raises(NotPermitted):
        dedup.review(ctx, world.clerk2, second)
    with pytest.raises(batches.FourEyesViolation):
        dedup.decide(
            ctx, _as_supervisor(world.clerk), second, first, same_person=True, reason="own"
        )
    with ctx.uow() as uow:
        assert uow.session.execute(select(DuplicateDecision)).scalars().all() == []
    assert _events(ctx, "application.duplicate_decided") == []
    assert _state(ctx, second) == State.SUBMITTED


def _as_supervisor(clerk):
    from issuance.security.permissions import Actor, Role

    return Actor(clerk.label, Role.SUPERVISOR, clerk.operator_id, clerk.office_id)


def test_face_vectors_are_sealed_at_rest_and_bound_to_their_application(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    second = _enrol(ctx, world.clerk, 2, people.grace_hopper_jpeg())
    with ctx.uow() as uow:
        rows = {t.application_id: t for t in uow.session.execute(select(FaceTemplate)).scalars()}
    assert set(rows) == {first, second} and rows[first].model == "dlib_resnet_v1"
    plain = ctx.sealer.open(rows[first].vector_sealed, dedup.template_context(first))
    vector = np.frombuffer(plain, "<f4")
    assert vector.shape == (128,) and 0.5 < float(np.linalg.norm(vector)) < 1.5
    assert plain not in rows[first].vector_sealed
    with pytest.raises(UnsealError):  # copied to another application's row, it does not open
        ctx.sealer.open(rows[first].vector_sealed, dedup.template_context(second))


def test_portrait_without_a_face_is_not_compared_and_says_so(ctx, console):
    world = build_world(ctx, console)
    blank = people.jpeg(np.full((540, 420, 3), 220, np.uint8))
    application_id = _enrol(ctx, world.clerk, 1, blank)
    review = dedup.review(ctx, world.supervisor, application_id)
    assert not review.compared and review.duplicates == ()
    [event] = _events(ctx, "application.face_not_compared")
    assert event.entity_id == str(application_id)


def test_another_desk_process_sees_faces_enrolled_after_its_index_was_loaded(ctx, console):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    other_desk = Context(
        settings=ctx.settings, engine=_engine(ctx), sealer=ctx.sealer, clock=ctx.clock
    )
    try:
        assert dedup.review(other_desk, world.supervisor, first).duplicates == ()  # loaded now
        second = _enrol(ctx, world.clerk, 2, people.astronaut_jpeg(4))
        [found] = dedup.review(other_desk, world.supervisor, first).duplicates
        assert found.other_application_id == second
    finally:
        other_desk.close()


def _engine(ctx: Context):
    from issuance.db.engine import make_engine

    return make_engine(ctx.settings.database_url)


def test_a_submission_rolled_back_leaves_no_face_behind_in_the_index(ctx, console, monkeypatch):
    world = build_world(ctx, console)
    first = _enrol(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    from issuance.delivery import notifications

    def fail(*_args, **_kwargs):
        raise RuntimeError("the notification could not be queued")

    # The second submission fails after its face vector was searched (inside its transaction).
    monkeypatch.setattr(notifications, "enqueue_submitted", fail)
    with pytest.raises(RuntimeError):
        _enrol(ctx, world.clerk, 2, people.astronaut_jpeg(2))
    monkeypatch.undo()
    with ctx.uow() as uow:
        assert uow.session.execute(select(FaceTemplate.application_id)).scalars().all() == [first]
    # Another person next (SQLite may give the rolled-back row's id again): no match.
    third = _enrol(ctx, world.clerk, 3, people.grace_hopper_jpeg())
    assert dedup.review(ctx, world.supervisor, first).duplicates == ()
    assert dedup.review(ctx, world.supervisor, third).duplicates == ()
