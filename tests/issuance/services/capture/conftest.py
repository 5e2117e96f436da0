from __future__ import annotations

from pathlib import Path

import cv2
import pytest

from issuance.biometrics.photo import PhotoEvaluator
from issuance.services import enrolment
from tests.issuance.biometrics.fingerprints.conftest import scanner, simulator  # noqa: F401 - fixtures reused
from tests.issuance.biometrics.photo import portraits
from tests.support.world import World, build_world, permit


def write_sequence(folder: Path, frames: list) -> str:
    """Writes ``frames`` as ``frame_000.png``... and returns the camera spec playing them."""
    folder.mkdir(parents=True, exist_ok=True)
    for index, frame in enumerate(frames):
        assert cv2.imwrite(str(folder / f"frame_{index:03d}.png"), frame)
    return f"file:{folder / 'frame_%03d.png'}"


@pytest.fixture(scope="session")
def evaluator() -> PhotoEvaluator:
    return PhotoEvaluator()


@pytest.fixture(scope="session")
def sitting_down(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The applicant sits down off-centre, then too far back, then holds still in place."""
    frames = [portraits.camera_frame(centre_x=0.75), portraits.camera_frame(head_ratio=0.35)]
    frames += [portraits.camera_frame()] * 6
    return write_sequence(tmp_path_factory.mktemp("sitting_down"), frames)


@pytest.fixture(scope="session")
def never_centred(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The applicant never moves to the centre of the picture."""
    frames = [portraits.camera_frame(centre_x=0.75)] * 3
    return write_sequence(tmp_path_factory.mktemp("never_centred"), frames)


@pytest.fixture
def world(ctx, console) -> World:
    return build_world(ctx, console)


@pytest.fixture
def draft(ctx, world: World) -> int:
    """An application with its coupon and permit, waiting for biometrics."""
    application = enrolment.start_draft(ctx, world.clerk)
    enrolment.record_coupon(
        ctx, world.clerk, application.id, code="PS-0042", amount_lek=4000, card_type="first"
    )
    enrolment.link_permit(ctx, world.clerk, application.id, permit())
    return application.id


def signature_recording() -> list[list[list[float]]]:
    """Two pen strokes as a pad records them: ``[x, y, t, pressure]``."""
    loop = [[100.0 + 3 * i, 150.0 - 40 * ((i % 10) / 10), 0.01 * i, 0.6] for i in range(40)]
    flourish = [[250.0 + 8 * i, 170.0 + (i % 3), 0.5 + 0.01 * i] for i in range(20)]
    return [loop, flourish]
