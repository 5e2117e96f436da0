"""Demo applications, so every queue of the demo desk (and every screenshot) has something in
it: residents of the stand-in registers enrolled through the services the clerk's wizard calls
(coupon at the post office, permit from FER, photo through the ICAO checks, fingers from an SBI
scanner, a drawn signature), a few approved by the supervisor, some left as drafts."""

from __future__ import annotations

from dataclasses import dataclass, field

from issuance.biometrics.fingerprints import FingerprintSession
from issuance.biometrics.signature import SignatureCanvas
from issuance.bootstrap import Context
from issuance.delivery.registers import Registers
from issuance.ports.fingerprint import FingerprintScanner
from issuance.security.permissions import Actor
from issuance.services import batches, capture, coupons, dedup, enrolment, permits

# Valid permits and paid standard coupons of the stand-in registers' demo data.
SUBMITTED = [("PSH10000001", "RP20240001"), ("PSH10000002", "RP20240003"),
             ("PSH10000003", "RP20240007"), ("PSH10000004", "RP20240026")]  # fmt: skip
APPROVED = 2  # of the submitted, the first ones are approved
DRAFTS = [("PSH10000005", "RP20240027")]
# Each resident photographed has a face of their own (devtools.portraits.resident_portrait), by
# permit, except one deliberate duplicate: RP20240026 has RP20240001's face (one person, two
# residents), for duplicate detection to find.
FACES = {"RP20240001": 1, "RP20240003": 2, "RP20240007": 3, "RP20240026": 1}
DUPLICATE_FACE = ("RP20240001", "RP20240026")


@dataclass
class DemoQueues:
    submitted: list[int] = field(default_factory=list)
    approved: list[int] = field(default_factory=list)
    drafts: list[int] = field(default_factory=list)


def start(ctx: Context, clerk: Actor, registers: Registers, coupon: str, permit: str) -> int:
    """A draft with its coupon reserved and its permit pulled: the wizard resumes at the photo."""
    # As the desk does it: the coupon verified first, then the application and its number.
    draft = coupons.open_with_coupon(ctx, clerk, coupon, registers.vouchers)
    permits.pull_permit(ctx, clerk, draft.id, registers.fer, permit_number=permit)
    return draft.id


def capture_biometrics(
    ctx: Context, clerk: Actor, application_id: int, scanner: FingerprintScanner, face: int = 0
) -> None:
    """Photo (look ``face`` of ``resident_portrait``), ten fingers and a signature."""
    from devtools.portraits import resident_portrait

    portrait = resident_portrait(face)
    capture.store_photo(ctx, clerk, application_id, capture.photo_from_image(portrait))
    session = FingerprintSession(scanner)
    session.run_until_blocked(timeout_s=30)
    capture.store_fingerprints(ctx, clerk, application_id, session.enrolment.result())
    canvas = SignatureCanvas()
    # A pen stroke as the pad would send it: x, y and time in milliseconds.
    canvas.add_stroke(
        [(10, 60, 0), (40, 20, 40), (70, 70, 80), (100, 25, 120), (130, 65, 160), (170, 30, 200)]
    )
    capture.store_signature(ctx, clerk, application_id, canvas.finish())
    enrolment.mark_biometrics_captured(ctx, clerk, application_id)


def _decide_demo_looks(
    ctx: Context, supervisor: Actor, application_id: int, permits_by_id: dict[int, str]
) -> None:
    """The demo's residents are recolourings of one photograph: the face matcher rightly sees
    one person in all of them. Before approving, the demo's supervisor records each match with
    another demo look as another person (the deliberate duplicate is never among them)."""
    review = dedup.review(ctx, supervisor, application_id)
    for duplicate in review.undecided:
        other = permits_by_id.get(duplicate.other_application_id)
        if other is not None and FACES[other] != FACES[permits_by_id[application_id]]:
            dedup.decide(
                ctx, supervisor, application_id, duplicate.other_application_id,
                same_person=False,
                reason="Demo data: another resident's look made from the same photograph",
            )  # fmt: skip


def seed_queues(
    ctx: Context,
    registers: Registers,
    scanner: FingerprintScanner,
    clerk: Actor,
    supervisor: Actor,
) -> DemoQueues:
    queues = DemoQueues()
    for coupon, permit in SUBMITTED:
        application_id = start(ctx, clerk, registers, coupon, permit)
        capture_biometrics(ctx, clerk, application_id, scanner, FACES[permit])
        # The applicant read and accepted the privacy notice at the desk.
        enrolment.acknowledge_privacy_notice(ctx, clerk, application_id)
        enrolment.submit(ctx, clerk, application_id)
        queues.submitted.append(application_id)
    # The approved ones are residents without the deliberate duplicate, which stays for the
    # supervisor to decide on in the demo.
    permits_by_id = dict(zip(queues.submitted, (p for _, p in SUBMITTED), strict=True))
    for application_id in [i for i in queues.submitted if permits_by_id[i] not in DUPLICATE_FACE][
        :APPROVED
    ]:
        _decide_demo_looks(ctx, supervisor, application_id, permits_by_id)
        batches.approve(ctx, supervisor, application_id)
        queues.approved.append(application_id)
    for coupon, permit in DRAFTS:
        queues.drafts.append(start(ctx, clerk, registers, coupon, permit))
    return queues
