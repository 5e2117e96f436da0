"""The demo's queues are filled through the real services against the stand-ins and the SBI
simulator, so the demo desk (and the screenshots) show what a working office would."""

from __future__ import annotations

import itertools

import cv2
import numpy as np
from sqlalchemy import select

from devices.fingerprint.sbi_client import SbiScanner
from devtools.demo import applications as demo_applications
from devtools.sbi_simulator.server import SbiSimulator
from issuance.db.models import Applicant, Application, BiometricCapture
from issuance.domain.workflow import State
from issuance.services.cards import PORTRAIT_POSITION
from issuance.services.enrolment import capture_context
from tests.support.world import build_world


def test_queues_hold_approved_submitted_and_draft_applications(ctx, console, registers):
    world = build_world(ctx, console)
    simulator = SbiSimulator(port=0).start()
    scanner = SbiScanner(simulator.url)
    try:
        queues = demo_applications.seed_queues(
            ctx, registers, scanner, world.clerk, world.supervisor
        )
    finally:
        scanner.close()
        simulator.stop()
    assert len(queues.submitted) == len(demo_applications.SUBMITTED)
    with ctx.uow() as uow:
        states = {a.id: State(a.state) for a in uow.session.execute(select(Application)).scalars()}
        surnames = set(uow.session.execute(select(Applicant.surname)).scalars())
        fingers = (
            uow.session.execute(
                select(BiometricCapture).where(
                    BiometricCapture.application_id == queues.submitted[0],
                    BiometricCapture.kind == "finger",
                )
            )
            .scalars()
            .all()
        )
    assert [states[i] for i in queues.approved] == [State.APPROVED] * demo_applications.APPROVED
    waiting = [i for i in queues.submitted if i not in queues.approved]
    assert waiting and all(states[i] is State.SUBMITTED for i in waiting)
    assert [states[i] for i in queues.drafts] == [State.PERMIT_LINKED]
    # Names arrive from FER exactly as the register holds them.
    assert {"Çela", "García López", "Yılmaz"} <= surnames
    assert len(fingers) == 10 and all(f.data_sealed for f in fingers)
    _assert_each_resident_has_a_face_of_their_own(ctx, queues)


def _stored_face(ctx, application_id: int) -> np.ndarray:
    with ctx.uow() as uow:
        sealed = uow.session.execute(
            select(BiometricCapture.data_sealed).where(
                BiometricCapture.application_id == application_id,
                BiometricCapture.kind == "face",
                BiometricCapture.position == PORTRAIT_POSITION,
            )
        ).scalar_one()
    jpeg = ctx.sealer.open(sealed, capture_context(application_id, "face", PORTRAIT_POSITION))
    image = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    assert image is not None
    return image.astype(np.float32)


def _assert_each_resident_has_a_face_of_their_own(ctx, queues) -> None:
    permits = [permit for _, permit in demo_applications.SUBMITTED]
    stored = zip(permits, queues.submitted, strict=True)
    faces = {permit: _stored_face(ctx, i) for permit, i in stored}
    duplicate = set(demo_applications.DUPLICATE_FACE)
    assert duplicate <= set(permits)
    for a, b in itertools.combinations(permits, 2):
        difference = float(np.mean(np.abs(faces[a] - faces[b])))
        if {a, b} == duplicate:
            assert difference < 1.0, (a, b, difference)  # the same face, stored twice
        else:
            assert difference > 8.0, (a, b, difference)  # clearly another face
