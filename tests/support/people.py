"""Real portraits of two different people, as the JPEG a photo step stores.

The astronaut (Eileen Collins, NASA, public domain; shipped by scikit-image) and her demo
recolourings are one person; Grace Hopper (US Navy, public domain; shipped by matplotlib) is
another.
"""

from __future__ import annotations

import cv2
import numpy as np

from devtools import portraits


def jpeg(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    return data.tobytes()


def astronaut_jpeg(look: int = 0) -> bytes:
    """The astronaut as demo resident ``look`` (0 = as photographed)."""
    return jpeg(portraits.resident_portrait(look))


def grace_hopper() -> np.ndarray:
    import matplotlib.cbook

    path = matplotlib.cbook.get_sample_data("grace_hopper.jpg", asfileobj=False)
    image = cv2.imread(str(path))
    assert image is not None
    return image


def grace_hopper_jpeg() -> bytes:
    return jpeg(grace_hopper())


def enrol_with_face(ctx, clerk, n: int, face: bytes) -> int:
    """A submitted application of its own passport, permit and coupon (number ``n``) with
    ``face`` as its portrait (and placeholder finger images, which are not compared)."""
    return enrol_with_fingers(ctx, clerk, n, face, {})


def finger_records(seed: int, attempt: int = 0) -> dict[str, bytes]:
    """The ISO/IEC 19794-4 records of person ``seed``'s thumbs and index fingers as the SBI
    simulator renders them (``attempt``: another placement of the same fingers)."""
    from devtools.sbi_simulator.synthetic import estimate_quality, render_finger
    from issuance.ports.fingerprint_images import finger_template
    from issuance.services.biometric_templates import COMPARED_FINGERS
    from issuance.services.capture import FINGER_POSITION

    by_position = {position: finger for finger, position in FINGER_POSITION.items()}
    records = {}
    for position in COMPARED_FINGERS:
        finger = by_position[position]
        image = render_finger(seed, finger.value, attempt)
        records[position] = finger_template(finger, image, estimate_quality(image))
    return records


def enrol_with_fingers(ctx, clerk, n: int, face: bytes, fingers: dict[str, bytes]) -> int:
    """As ``enrol_with_face``, with ``fingers`` (position: ISO/IEC 19794-4 record) stored as
    the capture step stores them."""
    from issuance.ports.iso19794_4 import STORED_FORMAT
    from issuance.services import enrolment
    from tests.support.world import enrol_captured

    application_id = enrol_captured(
        ctx, clerk, coupon=f"PS-{n:04d}", permit_number=f"LQ{n:07d}",
        passport_number=f"P{n:07d}", surname=f"Surname{n}",
    )  # fmt: skip
    enrolment.store_capture(
        ctx, clerk, application_id, kind="face", position="face",
        image=face, image_format="jpeg", quality=90, for_chip=True,
    )  # fmt: skip
    for position, record in fingers.items():
        enrolment.store_capture(
            ctx, clerk, application_id, kind="finger", position=position,
            image=record, image_format=STORED_FORMAT, quality=80,
        )  # fmt: skip
    enrolment.acknowledge_privacy_notice(ctx, clerk, application_id)
    enrolment.submit(ctx, clerk, application_id)
    return application_id
