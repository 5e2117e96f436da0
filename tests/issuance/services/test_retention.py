"""Retention on SQLite and PostgreSQL: the photo, fingerprints, signature and scans of
rejected, cancelled (and discarded) and handed-over applications are purged once their period
has run out and not a second before; a card still valid keeps them; the audit trail keeps that
it happened (without personal data); a dry run changes nothing; a second run purges nothing."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from issuance.db.models import (
    Application,
    AuditEvent,
    BiometricCapture,
    Card,
    CardReplacement,
    Signature,
    UploadedDocument,
)
from issuance.domain.workflow import State
from issuance.security import audit
from issuance.security.permissions import Actor, NotPermitted
from issuance.services import applications, batches, enrolment, retention
from tests.support.world import build_world, enrol_complete, fake_jpeg, permit

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PERIODS = dict(retention_rejected_days=10, retention_cancelled_days=5,
               retention_handed_over_days=20)  # fmt: skip


def _enrol(ctx, world, n: int) -> int:
    application_id = enrol_complete(
        ctx, world.clerk, coupon=f"PS-{n:04d}", permit_number=f"LQ{n:07d}",
        passport_number=f"P{n:07d}",
    )  # fmt: skip
    return application_id


def _handed_over(ctx, world, n: int, expires_on: date) -> int:
    """Approved, card produced, registered and handed over through the workflow; the card row
    (what the card station writes) with the given end of validity."""
    application_id = _enrol(ctx, world, n)
    batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        uow.session.add(Card(
            application_id=application_id, applicant_id=application.applicant_id,
            document_number=f"TR{n:07d}", status="handed_over", issued_on=ctx.clock().date(),
            expires_on=expires_on, operator_id=world.card_operator.operator_id,
            handed_over_at=ctx.clock(),
        ))  # fmt: skip
        uow.commit()
    applications.transition(ctx, Actor.system("test"), application_id, State.REGISTERED)
    applications.transition(ctx, world.card_operator, application_id, State.HANDED_OVER)
    return application_id


def _held(ctx, application_id: int) -> tuple[int, int, int]:
    """How many captures, signatures and scans the application still has."""
    with ctx.read() as uow:
        return tuple(  # type: ignore[return-value]
            uow.session.scalar(select(func.count()).where(model.application_id == application_id))
            for model in (BiometricCapture, Signature, UploadedDocument)
        )


def _purged_at(ctx, application_id: int):
    with ctx.read() as uow:
        return uow.session.get(Application, application_id).biometrics_purged_at


def _purge_events(ctx) -> list[AuditEvent]:
    with ctx.read() as uow:
        return list(uow.session.execute(
            select(AuditEvent).where(AuditEvent.action == "application.biometrics_purged")
            .order_by(AuditEvent.seq)
        ).scalars())  # fmt: skip


@pytest.fixture
def office(ctx, console, clock):
    """An office on 2026-11-23 with: a rejected application (with a scan that is also a
    replacement's police report), a cancelled one, a discarded draft, two handed over (one
    card expiring on 2026-12-01, one valid until 2040) and one still open."""
    ctx.settings = dataclasses.replace(ctx.settings, **PERIODS)
    world = build_world(ctx, console)
    rejected = _enrol(ctx, world, 1)
    document = enrolment.attach_document(ctx, world.clerk, rejected, "police.pdf", PDF)
    with ctx.uow() as uow:
        uow.session.add(CardReplacement(application_id=rejected, reason="stolen",
                                        police_report_id=document))  # fmt: skip
        uow.commit()
    batches.reject(ctx, world.supervisor, rejected, "forged permit")
    cancelled = _enrol(ctx, world, 2)
    applications.cancel(ctx, world.supervisor, cancelled, "applicant withdrew")
    draft = enrolment.start_draft(ctx, world.clerk)
    enrolment.record_coupon(ctx, world.clerk, draft.id, code="PS-0003", amount_lek=6000,
                            card_type="STANDARD")  # fmt: skip
    enrolment.link_permit(
        ctx, world.clerk, draft.id, permit(permit_number="LQ0000003", passport_number="P0000003")
    )
    enrolment.store_capture(ctx, world.clerk, draft.id, kind="face", position="face",
                            image=fake_jpeg(), image_format="jpeg", quality=90)  # fmt: skip
    enrolment.discard_draft(ctx, world.clerk, draft.id, "wrong person")
    expired = _handed_over(ctx, world, 4, date(2026, 12, 1))
    valid = _handed_over(ctx, world, 5, date(2040, 1, 1))
    still_open = _enrol(ctx, world, 6)
    return dict(world=world, rejected=rejected, cancelled=cancelled, draft=draft.id,
                expired=expired, valid=valid, open=still_open, start=clock())  # fmt: skip


def _numbers(ctx, ids) -> list[str]:
    with ctx.read() as uow:
        return sorted(uow.session.get(Application, i).number for i in ids)


def test_each_category_is_purged_after_its_period_and_not_before(ctx, console, clock, office):
    full = {key: _held(ctx, office[key]) for key in
            ("rejected", "cancelled", "draft", "expired", "valid", "open")}  # fmt: skip
    assert full["rejected"] == (11, 1, 1) and full["draft"] == (1, 0, 0)
    start = office["start"]

    def run_at(**delta: float) -> retention.RetentionRun:
        clock.now = start + timedelta(**delta)
        return retention.run(ctx, console)

    # A second short of five days: nothing is due yet.
    assert run_at(days=5, seconds=-1).purged == []
    # Five days: the cancelled application and the discarded draft.
    done = run_at(days=5)
    assert sorted(p.id for p in done.purged) == sorted([office["cancelled"], office["draft"]])
    assert {p.category for p in done.purged} == {State.CANCELLED}
    assert _held(ctx, office["cancelled"]) == (0, 0, 0) and _held(ctx, office["draft"]) == (0, 0, 0)
    assert _purged_at(ctx, office["cancelled"]) == start + timedelta(days=5)
    for key in ("rejected", "expired", "valid", "open"):
        assert _held(ctx, office[key]) == full[key], key

    assert run_at(days=10, seconds=-1).purged == []
    done = run_at(days=10)
    assert [(p.id, p.category, p.captures, p.signatures, p.documents) for p in done.purged] == [
        (office["rejected"], State.REJECTED, 11, 1, 1)
    ]
    assert _held(ctx, office["rejected"]) == (0, 0, 0)
    with ctx.read() as uow:  # the replacement keeps its reason, not the deleted report
        replacement = uow.session.execute(select(CardReplacement)).scalar_one()
        assert (replacement.reason, replacement.police_report_id) == ("stolen", None)

    # Twenty days after the handovers: the expired card's application is purged; the one
    # whose card is valid until 2040 is kept, however old; the open application is never due.
    assert run_at(days=20, seconds=-1).purged == []
    done = run_at(days=20)
    assert [p.id for p in done.purged] == [office["expired"]]
    assert [k.id for k in done.plan.kept] == [office["valid"]]
    assert _held(ctx, office["expired"]) == (0, 0, 0)
    assert _held(ctx, office["valid"]) == full["valid"]
    assert _held(ctx, office["open"]) == full["open"]

    # Years later: nothing more (purged once; the valid card and the open one still keep theirs).
    again = run_at(days=3000)
    assert again.purged == [] and [k.id for k in again.plan.kept] == [office["valid"]]
    assert _held(ctx, office["valid"]) == full["valid"]

    # The audit trail keeps that it happened: one event per application, no personal data,
    # and the chain still verifies.
    events = _purge_events(ctx)
    assert sorted(int(e.entity_id) for e in events) == sorted(
        office[k] for k in ("cancelled", "draft", "rejected", "expired")
    )
    rejected_event = next(e for e in events if int(e.entity_id) == office["rejected"])
    assert rejected_event.details == {
        "number": _numbers(ctx, [office["rejected"]])[0], "retention": "rejected",
        "retention_days": 10, "captures": 11, "faces": 0, "finger_templates": 0,
        "signatures": 1, "documents": 1,
    }  # fmt: skip
    text = json.dumps([e.details for e in events], ensure_ascii=False)
    for personal in ("Çela", "Ëndrit", "P000000", "LQ000000", "police.pdf"):
        assert personal not in text
    assert audit.verify(ctx, console).intact
    # The applications and their register data are still there.
    with ctx.read() as uow:
        rejected = uow.session.get(Application, office["rejected"])
        assert rejected.state == State.REJECTED and rejected.applicant_id is not None


def test_a_dry_run_names_what_a_run_purges_and_changes_nothing(ctx, console, clock, office):
    clock.now = office["start"] + timedelta(days=30)
    before = {key: _held(ctx, office[key]) for key in ("rejected", "cancelled", "draft",
                                                        "expired", "valid")}  # fmt: skip
    events_before = len(_purge_events(ctx))
    plan = retention.plan(ctx, console)
    assert {State(c): plan.count(c) for c in retention.CATEGORIES} == {
        State.REJECTED: 1, State.CANCELLED: 2, State.HANDED_OVER: 1,
    }  # fmt: skip
    assert [k.id for k in plan.kept] == [office["valid"]]
    assert plan.periods == {State.REJECTED: 10, State.CANCELLED: 5, State.HANDED_OVER: 20}
    # Nothing changed: every capture, signature and scan is still there, no event was written.
    for key, held in before.items():
        assert _held(ctx, office[key]) == held and _purged_at(ctx, office[key]) is None
    assert len(_purge_events(ctx)) == events_before == 0

    done = retention.run(ctx, console)
    assert sorted(p.id for p in done.purged) == sorted(d.id for d in plan.due)
    assert retention.plan(ctx, console).due == []


def test_a_period_of_zero_keeps_that_category(ctx, console, clock, office):
    ctx.settings = dataclasses.replace(ctx.settings, retention_cancelled_days=0)
    clock.now = office["start"] + timedelta(days=4000)
    done = retention.run(ctx, console)
    assert {p.category for p in done.purged} == {State.REJECTED, State.HANDED_OVER}
    assert _held(ctx, office["cancelled"]) != (0, 0, 0) and _held(ctx, office["draft"]) == (1, 0, 0)


def test_only_the_administrator_runs_retention(ctx, console, clock, office):
    clock.now = office["start"] + timedelta(days=30)
    world = office["world"]
    for actor in (world.clerk, world.supervisor, world.card_operator, Actor.system("test")):
        with pytest.raises(NotPermitted) as refused:
            retention.run(ctx, actor)
        assert "purge biometrics after the retention period" in refused.value.message("en")
        with pytest.raises(NotPermitted):
            retention.plan(ctx, actor)
    assert _purge_events(ctx) == [] and _held(ctx, office["rejected"]) == (11, 1, 1)
    assert len(retention.run(ctx, world.administrator).purged) == 4


def test_a_card_back_in_the_office_keeps_its_application_data(ctx, console, clock, office):
    """A card back in the office (produced again) makes its application's data needed."""
    clock.now = office["start"] + timedelta(days=30)
    plan = retention.plan(ctx, console)
    assert office["expired"] in {d.id for d in plan.due}
    with ctx.uow() as uow:
        card = uow.session.execute(
            select(Card).where(Card.application_id == office["expired"])
        ).scalar_one()
        card.status = "produced"
        uow.commit()
    done = retention.run(ctx, console)
    assert office["expired"] not in {p.id for p in done.purged}
    assert office["expired"] in {k.id for k in done.plan.kept}
    assert _held(ctx, office["expired"]) == (11, 1, 0)


def test_each_application_is_checked_again_when_it_is_purged(ctx, console, clock, office):
    """Between the plan and the purge a card came back to the office and another run purged
    an application: the purge leaves both alone and purges the rest."""
    clock.now = office["start"] + timedelta(days=30)
    plan = retention.plan(ctx, console)
    assert {office["expired"], office["rejected"]} <= {d.id for d in plan.due}
    with ctx.uow() as uow:
        card = uow.session.execute(
            select(Card).where(Card.application_id == office["expired"])
        ).scalar_one()
        card.status = "produced"
        uow.commit()
    first = retention.run(ctx, console, plan)
    assert {p.id for p in first.purged} == {d.id for d in plan.due} - {office["expired"]}
    assert _held(ctx, office["expired"]) == (11, 1, 0)
    assert retention.run(ctx, console, plan).purged == []  # the same plan again: all done
    assert len(_purge_events(ctx)) == 3


def test_the_face_vector_kept_for_de_duplication_is_purged_too(ctx, console, clock):
    """A real portrait gives a face vector at submission; it goes with the photo, and the
    in-memory index of faces no longer finds it."""
    from issuance.db.models import FaceTemplate
    from issuance.services import dedup
    from tests.support import people

    ctx.settings = dataclasses.replace(ctx.settings, **PERIODS)
    world = build_world(ctx, console)
    rejected = people.enrol_with_face(ctx, world.clerk, 1, people.astronaut_jpeg(0))
    kept = people.enrol_with_face(ctx, world.clerk, 2, people.grace_hopper_jpeg())
    batches.reject(ctx, world.supervisor, rejected, "forged permit")
    with ctx.read() as uow:
        assert uow.session.scalar(select(func.count()).select_from(FaceTemplate)) == 2
    clock.advance(days=10)
    (purged,) = retention.run(ctx, console).purged
    assert (purged.id, purged.faces, purged.captures) == (rejected, 1, 11)
    with ctx.read() as uow:
        left = uow.session.execute(select(FaceTemplate.application_id)).scalars().all()
    assert left == [kept]
    # The same face enrolled again is no longer matched with the purged application.
    again = people.enrol_with_face(ctx, world.clerk, 3, people.astronaut_jpeg(3))
    assert dedup.review(ctx, world.supervisor, again).duplicates == ()
