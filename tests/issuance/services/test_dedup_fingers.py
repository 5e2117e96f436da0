"""1:N de-duplication by fingerprints on SQLite and PostgreSQL: the same fingers under another
face and passport are caught by NIST's MINDTCT and BOZORTH3, shown with their score and the
fingers that matched, and block approval until the supervisor decides."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from issuance.biometrics import minutiae
from issuance.db.models import AuditEvent, DuplicateDecision, FingerTemplate
from issuance.security.sealing import UnsealError
from issuance.services import batches, dedup
from issuance.services.biometric_templates import COMPARED_FINGERS, finger_context
from tests.support import people
from tests.support.world import build_world


def _events(ctx, action: str) -> list[AuditEvent]:
    with ctx.uow() as uow:
        return list(
            uow.session.execute(select(AuditEvent).where(AuditEvent.action == action)).scalars()
        )


def test_same_fingers_under_another_face_are_caught_and_block_approval(ctx, console):
    world = build_world(ctx, console)
    first = people.enrol_with_fingers(
        ctx, world.clerk, 1, people.astronaut_jpeg(0), people.finger_records(7)
    )
    other = people.enrol_with_fingers(
        ctx, world.clerk, 2, people.astronaut_jpeg(0), people.finger_records(8)
    )
    # Another face (and passport), the same fingers placed again on the scanner.
    second = people.enrol_with_fingers(
        ctx, world.clerk, 3, people.grace_hopper_jpeg(), people.finger_records(7, attempt=1)
    )

    review = dedup.review(ctx, world.supervisor, second)
    assert review.compared and review.fingers_compared
    [duplicate] = review.duplicates
    assert duplicate.other_application_id == first
    assert duplicate.modality == "finger" and duplicate.score is None
    assert duplicate.finger_score >= minutiae.SAME_FINGER_SCORE
    assert set(duplicate.fingers) == set(COMPARED_FINGERS)
    # The first and the other share a face (a deliberate pair), not fingers: found by face.
    found = {
        d.other_application_id: d for d in dedup.review(ctx, world.supervisor, first).duplicates
    }
    assert found[other].modality == "face" and found[other].fingers == ()
    assert found[second].modality == "finger"
    [event] = [e for e in _events(ctx, "application.possible_duplicates")
               if e.entity_id == str(second)]  # fmt: skip
    assert event.details == {"finger": [duplicate.other_number]}

    with pytest.raises(dedup.UndecidedDuplicates):
        batches.approve(ctx, world.supervisor, second)
    dedup.decide(
        ctx, world.supervisor, second, first, same_person=False, reason="Twins? no: checked"
    )
    with ctx.uow() as uow:
        [row] = uow.session.execute(select(DuplicateDecision)).scalars()
    assert (row.modality, row.score) == ("finger", float(duplicate.finger_score))
    assert batches.approve(ctx, world.supervisor, second)


def test_face_and_fingers_of_one_person_are_one_possible_duplicate_decided_once(ctx, console):
    world = build_world(ctx, console)
    first = people.enrol_with_fingers(
        ctx, world.clerk, 1, people.astronaut_jpeg(0), people.finger_records(3)
    )
    second = people.enrol_with_fingers(
        ctx, world.clerk, 2, people.astronaut_jpeg(2), people.finger_records(3, attempt=2)
    )
    [duplicate] = dedup.review(ctx, world.supervisor, second).duplicates
    assert duplicate.modality == "face+finger"
    assert duplicate.score is not None and duplicate.finger_score >= minutiae.SAME_FINGER_SCORE
    [event] = _events(ctx, "application.possible_duplicates")
    assert event.details == {"face": [duplicate.other_number], "finger": [duplicate.other_number]}
    dedup.decide(ctx, world.supervisor, second, first, same_person=True, reason="Same person")
    with ctx.uow() as uow:
        [row] = uow.session.execute(select(DuplicateDecision)).scalars()
    assert row.modality == "face+finger" and row.score == duplicate.score
    [decided] = dedup.review(ctx, world.supervisor, second).duplicates
    assert decided.decision == dedup.SAME_PERSON


def test_minutiae_are_sealed_at_rest_and_bound_to_their_finger(ctx, console):
    world = build_world(ctx, console)
    first = people.enrol_with_fingers(
        ctx, world.clerk, 1, people.grace_hopper_jpeg(), people.finger_records(11)
    )
    with ctx.uow() as uow:
        rows = {t.position: t for t in uow.session.execute(select(FingerTemplate)).scalars()}
    assert set(rows) == set(COMPARED_FINGERS)
    assert {t.model for t in rows.values()} == {"nbis_mindtct"}
    template = rows["right_index"]
    plain = ctx.sealer.open(template.minutiae_sealed, finger_context(first, "right_index"))
    finger = minutiae.Minutiae.from_bytes(plain)
    assert len(finger) >= minutiae.MIN_MINUTIAE and plain not in template.minutiae_sealed
    with pytest.raises(UnsealError):  # moved to another finger's row, it does not open
        ctx.sealer.open(template.minutiae_sealed, finger_context(first, "left_index"))


def test_placeholder_finger_images_are_not_compared_and_it_is_recorded(ctx, console):
    world = build_world(ctx, console)
    application_id = people.enrol_with_face(ctx, world.clerk, 1, people.grace_hopper_jpeg())
    review = dedup.review(ctx, world.supervisor, application_id)
    assert review.compared and not review.fingers_compared
    [event] = _events(ctx, "application.fingers_not_compared")
    assert event.entity_id == str(application_id)
    with ctx.uow() as uow:
        assert uow.session.execute(select(FingerTemplate)).scalars().all() == []
