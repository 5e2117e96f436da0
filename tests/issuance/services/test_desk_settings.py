"""The administrator changes devices and register addresses from the desk: validated, saved
atomically next to the database, audited, and read back by the next start."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from issuance.config import load_settings, settings_file
from issuance.db.models import AuditEvent
from issuance.ports.camera_errors import CameraSpecInvalid
from issuance.security.permissions import NotPermitted
from issuance.services import desk_settings
from tests.support.world import build_world

NO_ENV: dict[str, str] = {}


def _events(ctx):
    with ctx.uow() as uow:
        return uow.session.execute(
            select(AuditEvent).where(AuditEvent.action == "desk.settings_changed")
        ).scalars().all()


def test_change_is_saved_audited_and_read_by_the_next_start(ctx, console):
    world = build_world(ctx, console)
    new = desk_settings.change(
        ctx, world.administrator,
        {"camera": "opencv:1", "fer_url": "https://fer.example.al:8443"}, NO_ENV,
    )  # fmt: skip
    assert (new.camera, new.fer_url) == ("opencv:1", "https://fer.example.al:8443")
    saved = json.loads(settings_file(ctx.settings.data_dir).read_text())
    assert saved == {"camera": "opencv:1", "fer_url": "https://fer.example.al:8443"}
    env = {"ISSUANCE_DATA_DIR": str(ctx.settings.data_dir)}
    started = load_settings(env)
    assert (started.camera, started.fer_url) == ("opencv:1", "https://fer.example.al:8443")
    # A deployment's environment still wins over the desk's choice.
    assert load_settings({**env, "ISSUANCE_CAMERA": "opencv:5"}).camera == "opencv:5"
    [event] = _events(ctx)
    assert event.actor == world.administrator.label
    assert event.details["after"] == {"camera": "opencv:1", "fer_url": "https://fer.example.al:8443"}


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"camera": "webcam"}, "opencv:0"),
        ({"fingerprint_scanner": "sbi:127.0.0.1:99999"}, "fingerprint scanner setting"),
        ({"card_reader": "usb"}, "pcsc:<reader name>"),
        ({"card_printer": "fax:1"}, "cups:QUEUE_NAME"),
        ({"voucher_url": "ftp://post.al"}, "is not valid"),
        ({"database_url": "sqlite://"}, "cannot be changed"),
    ],
)
def test_bad_values_are_refused_and_nothing_changes(ctx, console, changes, fragment):
    world = build_world(ctx, console)
    good = {"camera": "opencv:2"}
    with pytest.raises(desk_settings.IssuanceError) as refused:
        desk_settings.change(ctx, world.administrator, good | changes, NO_ENV)
    assert fragment in refused.value.en and refused.value.sq
    assert not settings_file(ctx.settings.data_dir).exists()
    assert _events(ctx) == []


def test_values_fixed_by_the_environment_and_other_roles_are_refused(ctx, console):
    world = build_world(ctx, console)
    with pytest.raises(desk_settings.SettingFixedByEnvironment):
        desk_settings.change(
            ctx, world.administrator, {"camera": "opencv:1"}, {"ISSUANCE_CAMERA": "opencv:0"}
        )
    with pytest.raises(NotPermitted):
        desk_settings.change(ctx, world.clerk, {"camera": "opencv:1"}, NO_ENV)
    assert not settings_file(ctx.settings.data_dir).exists()


def test_damaged_file_falls_back_to_defaults(tmp_path):
    settings_file(tmp_path).write_text("{not json")
    assert load_settings({"ISSUANCE_DATA_DIR": str(tmp_path)}).camera == "opencv:0"


def test_camera_spec_check_matches_the_factory():
    from devices.camera.factory import check_spec

    check_spec("file:frames/frame_%03d.png?fps=10")
    check_spec("opencv:0?width=1280&height=720")
    with pytest.raises(CameraSpecInvalid):
        check_spec("opencv:front")
