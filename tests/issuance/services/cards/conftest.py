"""Card production fixtures: a small office with an approved application, the demo keys, and
the real devices — cupsd with cups-pdf, pcscd with vpcd and the project's virtual card."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from argon2 import PasswordHasher

from devices.card_printer import open_card_printer
from devtools.backends import development_devices
from devtools.virtual_card.simulated import applet_station
from issuance.bootstrap import Context
from issuance.chip.station import open_card_station
from issuance.config import Settings
from issuance.security import passwords
from issuance.security.keys import DeskKeys, FileKeyStore
from issuance.security.permissions import Actor
from issuance.services import batches, cards, enrolment
from tests.issuance.documents.samples import photo_jpeg
from tests.support.cups import CupsServer, cups_server, queue_state
from tests.support.faces import make_face_jpeg
from tests.support.keys import desk_keys
from tests.support.pcsc import READER, SPARE_READER, blank_card, pcscd, session_card
from tests.support.world import World, build_world, enrol_complete

DEVICES = development_devices()

__all__ = [
    "CupsServer", "READER", "SPARE_READER", "blank_card", "cups_server", "pcscd",
    "queue_state", "session_card",
]  # fmt: skip

ADDRESS = "Rruga e Kavajës 10, Tiranë"
@pytest.fixture(scope="session")
def pki(tmp_path_factory: pytest.TempPathFactory) -> DeskKeys:
    return desk_keys(tmp_path_factory.mktemp("card-keys") / "pki")


@pytest.fixture
def world(ctx: Context, console: Actor, monkeypatch: pytest.MonkeyPatch) -> World:
    # Logins are not what these tests are about: the cheapest argon2id parameters keep the
    # five operators of the world from costing a second per test.
    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return build_world(ctx, console)


def submitted(
    ctx: Context, world: World, *, coupon: str = "PS-0001", chip_face: bool = True,
    **permit_fields: object,
) -> int:
    """A submitted application whose photo is a real portrait (and a chip image)."""
    permit_fields.setdefault("address", ADDRESS)
    application_id = enrol_complete(ctx, world.clerk, coupon=coupon, **permit_fields)
    enrolment.store_capture(
        ctx, world.clerk, application_id, kind="face", position="face",
        image=photo_jpeg(), image_format="jpeg", quality=90,
    )  # fmt: skip
    if chip_face:
        enrolment.store_capture(
            ctx, world.clerk, application_id, kind="face", position="face_chip",
            image=make_face_jpeg(), image_format="jpeg", quality=90, for_chip=True,
        )  # fmt: skip
    return application_id


def approved(ctx: Context, world: World, **kwargs: object) -> tuple[int, str]:
    """(application id, NID) of an application the supervisor approved."""
    application_id = submitted(ctx, world, **kwargs)  # type: ignore[arg-type]
    return application_id, batches.approve(ctx, world.supervisor, application_id)


def produced_on_the_simulated_station(
    ctx: Context, world: World, application_id: int, settings: Settings
) -> cards.ProducedCard:
    """The card of ``application_id`` printed on the desk's card printer and encoded on the
    in-process simulated station, signed with the keys in the desk's keys folder
    (``FileKeyStore``: the DS and the CSCA certificate, no CSCA private key)."""
    keys = FileKeyStore.load(settings.keys_dir)
    printer = open_card_printer(settings.card_printer_spec)
    try:
        return cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer,
            station=applet_station(), signer=keys.signer, csca=keys.csca_certificate,
        )  # fmt: skip
    finally:
        printer.close()


@pytest.fixture
def folder_printer(tmp_path: Path) -> Iterator[object]:
    printer = open_card_printer(f"folder:{tmp_path / 'printed'}")
    yield printer
    printer.close()


@pytest.fixture
def station(blank_card: object) -> object:
    return open_card_station(DEVICES, f"pcsc:{READER}", card_timeout=5)


BIRTH_DATE = date(1990, 1, 1)
PERMIT_END = date(2028, 1, 1)
