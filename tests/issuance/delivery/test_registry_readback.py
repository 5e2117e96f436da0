"""Civil-registry delivery against the stand-in: byte-exact read-back, replacements of a
registered person, and refusals that no retry cures."""

from __future__ import annotations

import random
import unicodedata

import httpx
import pytest
from sqlalchemy import func, select

from devices.card_printer import open_card_printer
from devtools.standins import Sandbox, SandboxConfig
from devtools.virtual_card.simulated import applet_station
from issuance.config import load_settings
from issuance.db.models import Application, AuditEvent, OutboxMessage
from issuance.delivery import civil_registry, outbox
from issuance.delivery.clients import CivilRegistryClient, ServiceConfig
from issuance.delivery.outbox import Claimed
from issuance.delivery.registers import open_registers, outbox_handlers
from issuance.domain.workflow import State
from issuance.services import applications, batches, card_lifecycle, cards, coupons, enrolment
from issuance.services.enrolment import FINGER_POSITIONS
from tests.support.keys import desk_keys
from tests.support.registers import TIMEOUTS, seed_approved
from tests.support.world import build_world, enrol_complete, fake_jpeg, fake_png
from tests.support.world import permit as permit_data

API_KEY = "desk-key-2026"


def _worker(ctx, registers):
    return outbox.OutboxWorker(ctx, outbox_handlers(registers), threads=2, rng=random.Random(3))


def _registry_messages(ctx):
    with ctx.uow() as uow:
        return (
            uow.session.execute(
                select(OutboxMessage)
                .where(OutboxMessage.topic == civil_registry.TOPIC)
                .order_by(OutboxMessage.id)
            )
            .scalars()
            .all()
        )


def _application(ctx, application_id):
    with ctx.uow() as uow:
        return uow.session.get(Application, application_id)


def _alerts(ctx):
    with ctx.uow() as uow:
        return uow.session.execute(
            select(func.count()).where(AuditEvent.action == "outbox.alert")
        ).scalar_one()


def _approved_with_card(ctx, world, application_id):
    nid = batches.approve(ctx, world.supervisor, application_id)
    applications.transition(ctx, world.card_operator, application_id, State.CARD_PRODUCED)
    return nid


def _approved_and_produced(ctx, world, application_id, pki):
    """Approved, and its card printed (folder printer) and encoded on the in-process chip."""
    nid = batches.approve(ctx, world.supervisor, application_id)
    printer = open_card_printer(f"folder:{pki.folder.parent / 'printed'}")
    try:
        cards.produce_card(
            ctx, world.card_operator, application_id, printer=printer, station=applet_station(),
            signer=pki.signer(), csca=pki.csca_certificate,
        )  # fmt: skip
    finally:
        printer.close()
    return nid


def _enrol_replacement(ctx, clerk, vouchers, coupon, reason=None, **permit_fields):
    """A REPLACEMENT application of a person the desk already knows (same passport)."""
    application = enrolment.start_draft(ctx, clerk, card_type="REPLACEMENT")
    coupons.verify_and_reserve(ctx, clerk, application.id, coupon, vouchers)
    enrolment.link_permit(ctx, clerk, application.id, permit_data(**permit_fields))
    enrolment.store_capture(
        ctx,
        clerk,
        application.id,
        kind="face",
        position="face",
        image=fake_jpeg(),
        image_format="jpeg",
        quality=90,
        for_chip=True,
    )
    for position in FINGER_POSITIONS:
        enrolment.store_capture(ctx, clerk, application.id, kind="finger", position=position,
                                image=fake_png(), image_format="png", quality=70)  # fmt: skip
    enrolment.store_signature(ctx, clerk, application.id, image=fake_png())
    if reason:
        card_lifecycle.record_replacement(ctx, clerk, application.id, reason)
    enrolment.mark_biometrics_captured(ctx, clerk, application.id)
    enrolment.acknowledge_privacy_notice(ctx, clerk, application.id)
    enrolment.submit(ctx, clerk, application.id)
    return application.id


def test_a_registry_answering_names_in_nfd_is_an_alert_not_ready(ctx, console, sandbox,
                                                                  registers):  # fmt: skip
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000011",
                                    vouchers=registers.vouchers)  # fmt: skip
    nid = _approved_with_card(ctx, world, application_id)
    reply = httpx.post(f"{sandbox.url('civil-registry')}/_sandbox/faults",
                       json={"nfd_names": True}, timeout=5)  # fmt: skip
    assert reply.status_code == 200 and reply.json()["nfd_names"] is True
    result = _worker(ctx, registers).run_until_idle()
    assert result.alerted == 1 and result.delivered == 1  # the coupon consumed, the person not
    message = _registry_messages(ctx)[0]
    assert message.status == "alert"
    for field in ("Surname", "Given names", "Father's name", "Place of birth"):
        assert field in message.last_error
    # What the registry holds is what we sent (NFC); only its answers differ, byte for byte.
    stored = sandbox.civil_registry.person(nid)["identities"][0]["biographicData"]
    assert stored["lastName"] == "\u00c7ela"
    read = registers.civil_registry.get_person(nid)
    assert read.biographic.last_name == unicodedata.normalize("NFD", "\u00c7ela") == "C\u0327ela"
    application = _application(ctx, application_id)
    assert application.registry_confirmed_at is None
    assert application.state == State.CARD_PRODUCED  # not "e-Albania ready"
    assert _alerts(ctx) == 1 and outbox.backlog(ctx).alerts == 1


def test_a_registry_dropping_the_address_is_an_alert(ctx, console, sandbox, registers):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk, coupon="PSH10000012",
                                    vouchers=registers.vouchers,
                                    address="Rr. Myslym Shyri 12, Tiranë")  # fmt: skip
    nid = batches.approve(ctx, world.supervisor, application_id)
    message = _registry_messages(ctx)[0]
    data = dict(message.payload["person"])
    stored = {
        "personId": nid,
        **data,
        "identities": [{**data["identities"][0], "identityId": f"{nid}-1"}],
    }
    biographic = dict(data["identities"][0]["biographicData"])
    del biographic["address"]
    stored["identities"][0]["biographicData"] = biographic
    from devtools.standins.civil_registry import _fingerprint

    sandbox.civil_registry._persons[nid] = (_fingerprint(data), stored)
    _worker(ctx, registers).run_until_idle()
    message = _registry_messages(ctx)[0]
    assert message.status == "alert" and "Address" in message.last_error
    assert _application(ctx, application_id).registry_confirmed_at is None


def test_a_replacement_for_a_registered_person_is_ready_and_the_person_exists_once(
    ctx, console, sandbox, registers, clock, tmp_path
):
    world = build_world(ctx, console)
    pki = desk_keys(tmp_path / "pki")
    first_id = enrol_complete(ctx, world.clerk, coupon="PSH10000013", vouchers=registers.vouchers)
    nid = _approved_and_produced(ctx, world, first_id, pki)
    assert _worker(ctx, registers).run_until_idle().delivered == 2  # coupon, person
    assert _application(ctx, first_id).state == State.REGISTERED
    [first_card] = cards.cards_of(ctx, world.card_operator, first_id)
    cards.hand_over(ctx, world.card_operator, first_id, first_card.document_number)
    before = sandbox.civil_registry.person_count()
    first_context = sandbox.civil_registry.person(nid)["identities"][0]["contextualData"]

    clock.advance(days=200)  # another enrolment day: the card was damaged
    second_id = _enrol_replacement(ctx, world.clerk, registers.vouchers, "PSH30000001",
                                   reason="damaged", permit_number="LQ7654321")  # fmt: skip
    # The card is produced for real while the old one is still in the holder's hands.
    assert _approved_and_produced(ctx, world, second_id, pki) == nid
    result = _worker(ctx, registers).run_until_idle()
    assert (result.delivered, result.alerted) == (2, 0)
    second = _application(ctx, second_id)
    assert second.state == State.REGISTERED and second.registry_confirmed_at is not None
    [second_card] = cards.cards_of(ctx, world.card_operator, second_id)
    assert second_card.document_number != first_card.document_number
    cards.hand_over(ctx, world.card_operator, second_id, second_card.document_number)
    # The damaged card was collected at the handover: voided.
    [old] = cards.cards_of(ctx, world.card_operator, first_id)
    assert old.status == "void"
    assert sandbox.civil_registry.person_count() == before
    # The registry kept its person as first registered.
    assert sandbox.civil_registry.person(nid)["identities"][0]["contextualData"] == first_context
    with ctx.uow() as uow:
        confirmed = uow.session.execute(
            select(AuditEvent.details).where(AuditEvent.action == "civil_registry.confirmed")
            .order_by(AuditEvent.id)
        ).scalars().all()  # fmt: skip
    assert [(c["created"], c["existing"]) for c in confirmed] == [(True, False), (False, True)]

    # The same message delivered again (a crash before its commit) changes nothing.
    message = _registry_messages(ctx)[-1]
    repeat = Claimed(message.id, message.topic, message.key, dict(message.payload), 2)
    handler = civil_registry.CivilRegistryHandler(registers.civil_registry)
    assert handler.deliver(repeat) == {"created": False, "existing": True}
    assert sandbox.civil_registry.person_count() == before


def test_a_replacement_whose_registered_name_differs_is_an_alert(ctx, console, sandbox,
                                                                 registers, clock,
                                                                 tmp_path):  # fmt: skip
    world = build_world(ctx, console)
    first_id = enrol_complete(ctx, world.clerk, coupon="PSH10000014", vouchers=registers.vouchers)
    # A card produced for real: the replacement records the card it replaces.
    _approved_and_produced(ctx, world, first_id, desk_keys(tmp_path / "pki"))
    _worker(ctx, registers).run_until_idle()
    clock.advance(days=30)
    # FER corrected the spelling since: the registry must not be silently left behind.
    second_id = _enrol_replacement(ctx, world.clerk, registers.vouchers, "PSH30000002",
                                   reason="data_changed",
                                   given_names="Endrit Besnik")  # fmt: skip
    _approved_with_card(ctx, world, second_id)
    assert _worker(ctx, registers).run_until_idle().alerted == 1
    message = _registry_messages(ctx)[-1]
    assert message.status == "alert" and "Given names" in message.last_error
    assert _application(ctx, second_id).state == State.CARD_PRODUCED


@pytest.fixture
def keyed_sandbox():
    """Stand-ins that check the API key, as the real registers do."""
    sb = Sandbox(SandboxConfig(api_key=API_KEY)).start()
    yield sb
    sb.stop()


def _desk_registers(tmp_path, sandbox, api_key):
    urls = sandbox.urls()
    settings = load_settings({
        "ISSUANCE_DATA_DIR": str(tmp_path / "desk"),
        "ISSUANCE_VOUCHER_URL": urls["voucher"], "ISSUANCE_FER_URL": urls["fer"],
        "ISSUANCE_CIVIL_REGISTRY_URL": urls["civil-registry"],
        "ISSUANCE_NOTIFICATION_URL": urls["notification"],
        "ISSUANCE_SERVICES_API_KEY": api_key, "ISSUANCE_SERVICE_TIMEOUT": "2",
    })  # fmt: skip
    return open_registers(settings)


def test_a_wrong_api_key_is_an_alert_not_retried_forever(ctx, keyed_sandbox, tmp_path, clock):
    nids = seed_approved(ctx, 2)
    wrong = _desk_registers(tmp_path, keyed_sandbox, "not-the-key")
    try:
        result = _worker(ctx, wrong).run_until_idle()
        assert (result.alerted, result.retried, result.delivered) == (2, 0, 0)
        clock.advance(hours=2)
        assert _worker(ctx, wrong).run_until_idle().claimed == 0  # stopped, not retried
    finally:
        wrong.close()
    messages = _registry_messages(ctx)
    assert all(m.status == "alert" and m.attempts == 1 for m in messages)
    assert all("401" in m.last_error and "key is missing or wrong" in m.last_error
               and "UNAUTHORIZED" not in m.last_error for m in messages)
    assert _alerts(ctx) == 2 and outbox.backlog(ctx).alerts == 2
    assert not any(keyed_sandbox.civil_registry.person(n) for n in nids)


def test_the_right_api_key_delivers(ctx, keyed_sandbox, tmp_path):
    nids = seed_approved(ctx, 2)
    right = _desk_registers(tmp_path, keyed_sandbox, API_KEY)
    try:
        assert _worker(ctx, right).run_until_idle().delivered == 2
    finally:
        right.close()
    assert all(keyed_sandbox.civil_registry.person(n) for n in nids)


def test_too_many_requests_is_retried_then_delivered(ctx, sandbox, registers, clock):
    seed_approved(ctx, 1)
    throttled = CivilRegistryClient(ServiceConfig(
        sandbox.url("civil-registry"), extra_headers=(("X-Sandbox-Fail", "429"),), **TIMEOUTS
    ))  # fmt: skip
    real, registers.civil_registry = registers.civil_registry, throttled
    try:
        result = _worker(ctx, registers).run_once()
    finally:
        registers.civil_registry = real
        throttled.close()
    assert (result.retried, result.alerted) == (1, 0)
    message = _registry_messages(ctx)[0]
    assert message.status == "pending" and "429" in message.last_error
    clock.advance(hours=1)
    assert _worker(ctx, registers).run_until_idle().delivered == 1
