"""The demo's queues are filled through the real services against the stand-ins and the SBI
simulator, so the demo desk (and the screenshots) show what a working office would."""

from __future__ import annotations

from sqlalchemy import select

from devices.fingerprint.sbi_client import SbiScanner
from devtools.demo import applications as demo_applications
from devtools.sbi_simulator.server import SbiSimulator
from issuance.db.models import Applicant, Application, BiometricCapture
from issuance.domain.workflow import State
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
