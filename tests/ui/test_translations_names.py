"""The Albanian desk names every code it shows: audit actions and their details, workflow
states, fingers, exception kinds, permit types and statuses. Real applications are made through
the services; the screens are the desk's own widgets with the compiled Albanian catalogue."""

from __future__ import annotations

import dataclasses
import re

import pytest

from issuance.biometrics.fingerprints import EXCEPTION_NAMES
from issuance.db.models import Application
from issuance.delivery.clients.fer import PERMIT_STATUS_NAMES, PERMIT_TYPE_NAMES
from issuance.domain.workflow import STATE_NAMES
from issuance.queries.batches import batch_applications
from issuance.security.audit import ACTION_NAMES
from issuance.services import batches, enrolment
from issuance.services.enrolment import FINGER_POSITIONS, POSITION_NAMES
from tests.support.world import build_world, fake_jpeg, fake_png
from tests.support.world import permit as world_permit
from ui.app import install_translator
from ui.context import DeskContext
from ui.enrolment import EnrolmentWizard
from ui.search import SearchPanel
from ui.supervisor.detail import DetailPane

WAIT = 15_000
# What a code looks like on screen: a dotted action, a snake_case word, an upper-case code,
# or a Python boolean left in a detail.
RAW = re.compile(r"\b[a-z]+\.[a-z_]+\b|\b[a-z]+_[a-z_]+\b|\b[A-Z]+_[A-Z_]+\b|\b(True|False)\b")


@pytest.fixture
def albanian(qapp):
    translator = install_translator(qapp, "sq")
    assert translator is not None, "the compiled Albanian catalogue is missing"
    yield
    qapp.removeTranslator(translator)


def _captured_with_an_exception(ctx, clerk) -> int:
    """Everything captured, the left little finger recorded as amputated (as the wizard
    stores it), the permit as FER codes it."""
    application = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(
        ctx, clerk, application.id, code="PS-0001", amount_lek=6000, card_type="STANDARD"
    )
    enrolment.link_permit(
        ctx, clerk, application.id, world_permit(permit_type="TEMPORARY_WORK", status="VALID")
    )
    enrolment.set_contact(ctx, clerk, application.id, mobile="0691234567", email=None)
    enrolment.store_capture(
        ctx, clerk, application.id, kind="face", position="face",
        image=fake_jpeg(), image_format="jpeg", quality=90, for_chip=True,
    )  # fmt: skip
    for position in FINGER_POSITIONS:
        if position == "left_little":
            enrolment.store_capture(
                ctx, clerk, application.id, kind="finger", position=position, image=None,
                image_format=None, exception_reason="amputated: lost in an accident",
            )  # fmt: skip
        else:
            enrolment.store_capture(
                ctx, clerk, application.id, kind="finger", position=position,
                image=fake_png(), image_format="png", quality=70,
            )  # fmt: skip
    enrolment.store_signature(ctx, clerk, application.id, image=fake_png())
    enrolment.mark_biometrics_captured(ctx, clerk, application.id)
    return application.id


def test_every_code_has_a_name_in_both_languages():
    from issuance.biometrics.fingerprints import ExceptionKind
    from issuance.domain.workflow import State

    assert set(STATE_NAMES) == set(State)
    assert set(EXCEPTION_NAMES) == set(ExceptionKind)
    assert set(FINGER_POSITIONS) <= set(POSITION_NAMES)
    assert set(PERMIT_TYPE_NAMES) == {
        "TEMPORARY_WORK", "TEMPORARY_FAMILY", "TEMPORARY_STUDY", "TEMPORARY_OTHER", "PERMANENT",
    }  # fmt: skip
    assert set(PERMIT_STATUS_NAMES) == {"VALID", "EXPIRED", "REVOKED"}
    for table in (ACTION_NAMES, STATE_NAMES, EXCEPTION_NAMES, POSITION_NAMES,
                  PERMIT_TYPE_NAMES, PERMIT_STATUS_NAMES):  # fmt: skip
        for code, (sq, en) in table.items():
            assert sq and en and not RAW.search(sq) and not RAW.search(en), (code, sq, en)


def test_every_action_the_services_record_has_a_name():
    """An action added to a service without a name would show its code: the names table
    follows the services' source."""
    from pathlib import Path

    import issuance

    recorded = set()
    for path in Path(issuance.__file__).parent.rglob("*.py"):
        recorded |= set(re.findall(r'"([a-z_]+\.[a-z_]+)",\s*"[a-z_]+"', path.read_text()))
    assert recorded, "no audit.record call found"
    assert recorded <= set(ACTION_NAMES), recorded - set(ACTION_NAMES)


def test_history_review_and_detail_speak_albanian(qtbot, ctx, console, desk, albanian):
    world = build_world(ctx, console)
    application_id = _captured_with_an_exception(ctx, world.clerk)

    # Review (the reopened draft): the exception names the finger and the kind in Albanian.
    clerk_desk = DeskContext(ctx=ctx, registers=desk.registers, language="sq", actor=world.clerk)
    wizard = EnrolmentWizard(clerk_desk, application_id)
    qtbot.addWidget(wizard)
    wizard.show()
    review = wizard.page("review")
    qtbot.waitUntil(review.submit_button.isEnabled, timeout=WAIT)
    fingers = review.values["fingers"].text()
    assert "9 të kapur" in fingers
    assert "gishti i vogël i majtë: i amputuar — lost in an accident" in fingers
    assert "left_little" not in fingers and "amputated" not in fingers
    wizard.close_keeping_draft()

    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id)
    enrolment.submit(ctx, world.clerk, application_id)
    batches.approve(ctx, world.supervisor, application_id)

    # Search history, read by the supervisor: actions, states and fingers by their names.
    supervisor_desk = DeskContext(
        ctx=ctx, registers=desk.registers, language="sq", actor=world.supervisor
    )
    panel = SearchPanel(supervisor_desk)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.box, "Cela")
    qtbot.waitUntil(lambda: panel.history_model.rowCount() > 0, timeout=WAIT)
    rows = panel.history_model.texts
    what = [row[2] for row in rows]
    details = "\n".join(row[3] for row in rows)
    assert {"Aplikimi u hap", "Ndryshim i gjendjes", "Kapja biometrike u ruajt",
            "Kontakti i aplikantit", "Nënshkrimi u ruajt"} <= set(what)  # fmt: skip
    assert "nga «kupon i verifikuar» në «leja e lidhur»" in details
    assert "nga «e dorëzuar» në «e miratuar»" in details
    assert "gishti i vogël i majtë; regjistruar si përjashtim" in details
    assert "gishti tregues i djathtë; cilësia 70" in details
    assert "me numër celulari" in details and "pa e-mail" in details
    for text in (*what, details):
        assert not RAW.search(text), text
    assert panel.results_model.texts[0][4] == "e miratuar"

    # The supervisor's detail pane: permit type and status, and the exception, in Albanian.
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, application_id).batch_id
    (row,) = batch_applications(ctx, world.supervisor, batch_id)
    pane = DetailPane(supervisor_desk)
    qtbot.addWidget(pane)
    pane.show_row(row)
    assert pane.fields["permit_type"].text() == "e përkohshme për punë"
    assert pane.fields["permit_status"].text() == "e vlefshme"
    flags = pane.flags.text()
    assert "i amputuar — lost in an accident" in flags and "amputated" not in flags


def test_the_english_desk_names_the_same_codes_in_english(qtbot, ctx, console, desk):
    world = build_world(ctx, console)
    application_id = _captured_with_an_exception(ctx, world.clerk)
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id)
    enrolment.submit(ctx, world.clerk, application_id)
    english = dataclasses.replace(desk, language="en", actor=world.supervisor)
    panel = SearchPanel(english)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.keyClicks(panel.box, "LQ1234567")
    qtbot.waitUntil(lambda: panel.history_model.rowCount() > 0, timeout=WAIT)
    rows = panel.history_model.texts
    details = "\n".join(row[3] for row in rows)
    assert "Application started" in {row[2] for row in rows}
    assert "from «permit linked» to «biometrics captured»" in details
    assert "left little finger; recorded as an exception" in details
    for row in rows:
        assert not RAW.search(row[2]) and not RAW.search(row[3]), row
    with ctx.uow() as uow:
        batch_id = uow.session.get(Application, application_id).batch_id
    (row,) = batch_applications(ctx, world.supervisor, batch_id)
    pane = DetailPane(english)
    qtbot.addWidget(pane)
    pane.show_row(row)
    assert pane.fields["permit_type"].text() == "temporary, for work"
    assert pane.fields["permit_status"].text() == "valid"
