"""The office's report (issue 17, item 1): one day with every kind of event, built through the
real services, the registers' stand-ins and the outbox, on SQLite and PostgreSQL; every number
checked exactly, the totals reconciled, and the events of other days and offices left out.
The PDF and the CSV of that day are read back; the refusals say why."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random

import pdfplumber
import pytest
from argon2 import PasswordHasher
from sqlalchemy import func, select

from devices.card_printer import open_card_printer
from devtools.standins import Sandbox, SandboxConfig
from devtools.standins.fer import PermitEntry
from devtools.virtual_card.simulated import applet_station
from issuance.db.models import Application, Office, OutboxMessage
from issuance.delivery import outbox
from issuance.delivery.registers import outbox_handlers
from issuance.documents.report import render_report_csv, render_report_pdf
from issuance.domain.workflow import State
from issuance.queries import reports
from issuance.queries.reports import Durations
from issuance.security import passwords
from issuance.security.permissions import NotPermitted, OtherOfficesApplication
from issuance.services import (
    applications,
    batches,
    card_lifecycle,
    cards,
    coupons,
    enrolment,
    permits,
    stock,
)
from issuance.services.enrolment import FINGER_POSITIONS
from tests.issuance.documents.pdfcheck import fonts_of
from tests.issuance.documents.samples import photo_jpeg
from tests.support.faces import make_face_jpeg
from tests.support.keys import desk_keys
from tests.support.registers import registers_for
from tests.support.world import build_world, fake_png

API_KEY = "report-key-2026"
DAY = dt.date(2026, 11, 23)


@pytest.fixture
def world(ctx, console, monkeypatch):
    # Logins are not what these tests are about: the cheapest argon2id parameters.
    monkeypatch.setattr(
        passwords, "hasher", lambda: PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    )
    return build_world(ctx, console)


@pytest.fixture(scope="module")
def pki(tmp_path_factory):
    return desk_keys(tmp_path_factory.mktemp("report-keys") / "pki")


@pytest.fixture
def folder_printer(tmp_path):
    printer = open_card_printer(f"folder:{tmp_path / 'printed'}")
    yield printer
    printer.close()


@pytest.fixture
def sandbox(clock):
    sb = Sandbox(SandboxConfig(api_key=API_KEY)).start()
    sb.fer._today = lambda: clock().date()
    yield sb
    sb.stop()


@pytest.fixture
def right(sandbox):
    regs = registers_for(sandbox.urls(), api_key=API_KEY)
    yield regs
    regs.close()


@pytest.fixture
def wrong(sandbox):
    regs = registers_for(sandbox.urls(), api_key="not-the-key")
    yield regs
    regs.close()


class Office_:
    """One office's operators and the steps of an application through the real services."""

    def __init__(self, ctx, world, sandbox, registers, printer, pki):
        self.ctx, self.world, self.sandbox, self.registers = ctx, world, sandbox, registers
        self.printer, self.pki = printer, pki

    def start(self, coupon, permit_number, card_type="STANDARD"):
        self._person(permit_number)
        draft = enrolment.start_draft(self.ctx, self.world.clerk, card_type=card_type)
        coupons.verify_and_reserve(self.ctx, self.world.clerk, draft.id, coupon,
                                   self.registers.vouchers)  # fmt: skip
        permits.pull_permit(self.ctx, self.world.clerk, draft.id, self.registers.fer,
                            permit_number=permit_number)  # fmt: skip
        return draft.id

    def _person(self, permit_number):
        self.sandbox.fer.add(PermitEntry(
            permit_number=permit_number, surname="Hoxha", given_names="Arbër",
            father_name="Gëzim", mother_name="Vjollca", sex="M", birth_date=dt.date(1990, 1, 1),
            place_of_birth="Prishtinë", nationality="XKX",
            passport_number="P" + permit_number[2:], address="Rruga e Kavajës 10, Tiranë",
            permit_type="TEMPORARY_WORK", valid_from=dt.date(2025, 1, 1),
            valid_until=dt.date(2028, 1, 1),
        ))  # fmt: skip

    def submit(self, application_id, before_submit=None):
        ctx, clerk = self.ctx, self.world.clerk
        enrolment.store_capture(ctx, clerk, application_id, kind="face", position="face",
                                image=photo_jpeg(), image_format="jpeg", quality=90)  # fmt: skip
        enrolment.store_capture(ctx, clerk, application_id, kind="face", position="face_chip",
                                image=make_face_jpeg(), image_format="jpeg", quality=90,
                                for_chip=True)  # fmt: skip
        for position in FINGER_POSITIONS:
            enrolment.store_capture(ctx, clerk, application_id, kind="finger",
                                    position=position, image=fake_png(), image_format="png",
                                    quality=70)  # fmt: skip
        enrolment.store_signature(ctx, clerk, application_id, image=fake_png())
        if before_submit:
            before_submit(application_id)
        enrolment.mark_biometrics_captured(ctx, clerk, application_id)
        enrolment.acknowledge_privacy_notice(ctx, clerk, application_id)
        enrolment.submit(ctx, clerk, application_id)
        return application_id

    def approve(self, application_id):
        return batches.approve(self.ctx, self.world.supervisor, application_id)

    def produce(self, application_id, signer=None):
        return cards.produce_card(
            self.ctx, self.world.card_operator, application_id, printer=self.printer,
            station=applet_station(), signer=signer or self.pki.signer(),
            csca=self.pki.csca_certificate,
        )  # fmt: skip

    def deliver(self, registers=None):
        worker = outbox.OutboxWorker(self.ctx, outbox_handlers(registers or self.registers),
                                     threads=1, rng=random.Random(7))  # fmt: skip
        return worker.run_until_idle()

    def issue(self, application_id, **handover):
        """Approve, produce, deliver, hand over: the card's document number."""
        self.approve(application_id)
        produced = self.produce(application_id)
        assert self.deliver().alerted == 0
        cards.hand_over(self.ctx, self.world.card_operator, application_id,
                        produced.document_number, **handover)  # fmt: skip
        return produced.document_number


def _at(clock, day, hour, minute=0):
    clock.now = dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=dt.UTC)


def _report(ctx, actor, code="TR", first=DAY, last=None):
    return reports.office_report(ctx, actor, code, first, last)


@pytest.fixture
def the_day(ctx, console, world, sandbox, right, wrong, folder_printer, pki, clock, tmp_path):
    """Office TR's 23 November 2026 with every kind of event, the day before and the day after
    with events of their own, and office DR's same day."""
    tr = Office_(ctx, world, sandbox, right, folder_printer, pki)
    _at(clock, DAY - dt.timedelta(days=1), 9)
    stock.receive_box(ctx, world.supervisor, office_code="TR", first="A0001", last="A0020")
    # The day before: two cards handed over, one application left waiting for approval.
    first_card = tr.issue(tr.submit(tr.start("PSH10000001", "LQ7000001")))
    second_card = tr.issue(tr.submit(tr.start("PSH10000002", "LQ7000002")))
    tr.submit(tr.start("PSH10000008", "LQ7000008"))

    # The day (08:00 UTC is 09:00 in Tirana).
    _at(clock, DAY, 8)
    damaged = tr.start("PSH30000001", "LQ7000001", card_type="REPLACEMENT")
    tr.submit(damaged, before_submit=lambda a: card_lifecycle.record_replacement(
        ctx, world.clerk, a, "damaged"))  # fmt: skip
    clock.advance(minutes=30)
    tr.approve(damaged)  # approval: 30 min
    clock.advance(minutes=60)
    replacement = tr.produce(damaged)  # production: 60 min
    assert tr.deliver().alerted == 0
    cards.hand_over(ctx, world.card_operator, damaged, replacement.document_number)
    card_lifecycle.revoke_card(ctx, world.administrator, second_card, "fraud")

    rejected = tr.submit(tr.start("PSH10000004", "LQ7000004"))
    batches.reject(ctx, world.supervisor, rejected, "the permit was issued in error")
    discarded = tr.start("PSH10000005", "LQ7000005")
    enrolment.discard_draft(ctx, world.clerk, discarded, "the applicant left")
    cancelled = tr.submit(tr.start("PSH10000006", "LQ7000006"))
    applications.cancel(ctx, world.supervisor, cancelled, "asked by the applicant")
    tr.start("PSH10000007", "LQ7000007")  # reserved, still being enrolled
    enrolment.start_draft(ctx, world.clerk)  # opened, no coupon yet
    assert tr.deliver().alerted == 0
    made = tr.submit(tr.start("PSH10000003", "LQ7000003"))
    clock.advance(minutes=10)
    tr.approve(made)  # approval: 10 min
    clock.advance(minutes=20)
    with pytest.raises(cards.CardSpoiled):
        tr.produce(made, signer=desk_keys(tmp_path / "stranger").signer())
    clock.advance(minutes=10)
    made_card = tr.produce(made).document_number  # production: 30 min (the spoiled run included)
    # The registry refuses the desk's key: the made card's registration is an open alert.
    assert tr.deliver(wrong).alerted >= 1

    # Another office the same day.
    other = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                        prefix="dr_")  # fmt: skip
    dr = Office_(ctx, other, sandbox, right, folder_printer, pki)
    dr.submit(dr.start("PSH10000011", "LQ7000011"))

    # The day after.
    _at(clock, DAY + dt.timedelta(days=1), 8)
    tr.submit(tr.start("PSH10000009", "LQ7000009"))
    cards.spoil_card(ctx, world.card_operator, made_card, "ink smeared")  # found misprinted
    return {"first_card": first_card}


def _open_alerts(ctx):
    with ctx.read() as uow:
        return uow.session.execute(
            select(func.count()).where(OutboxMessage.status == outbox.ALERT)
        ).scalar_one()


def _applications_before(ctx, code, end):
    with ctx.read() as uow:
        return uow.session.execute(
            select(func.count(Application.id))
            .join(Office, Office.id == Application.office_id)
            .where(Office.code == code, Application.created_at < end)
        ).scalar_one()


def test_a_day_with_every_kind_of_event_is_counted_exactly_and_reconciles(ctx, world, the_day):
    report = _report(ctx, world.supervisor)
    alerts = _open_alerts(ctx)
    assert alerts >= 1
    assert (report.coupons_reserved, report.coupons_consumed, report.coupons_released) == (6, 4, 2)
    assert (
        report.applications_opened, report.applications_submitted, report.applications_approved,
        report.applications_rejected, report.applications_cancelled,
        report.applications_handed_over,
    ) == (7, 4, 2, 1, 2, 1)  # fmt: skip
    assert dict(report.by_state) == {
        State.DRAFT: 1, State.COUPON_VERIFIED: 0, State.PERMIT_LINKED: 1,
        State.BIOMETRICS_CAPTURED: 0, State.SUBMITTED: 1, State.APPROVED: 0, State.REJECTED: 1,
        State.CARD_PRODUCED: 1, State.REGISTERED: 0, State.HANDED_OVER: 3, State.CANCELLED: 2,
    }  # fmt: skip
    # Open at the end: the one submitted the day before (1 day old), the made card's
    # application, the one being enrolled and the draft (under a day).
    assert report.open_by_age == (3, 1, 0, 0)
    assert (
        report.cards_produced, report.cards_spoiled, report.cards_spoiled_by_operator,
        report.cards_voided, report.cards_superseded, report.cards_revoked,
        report.cards_handed_over,
    ) == (2, 1, 0, 1, 0, 1, 1)  # fmt: skip
    assert (
        report.blanks_received, report.blanks_used, report.blanks_spoiled, report.blanks_voided,
        report.blanks_in_stock,
    ) == (0, 3, 1, 0, 15)  # fmt: skip
    assert (report.alerts_raised, report.alerts_open) == (alerts, alerts)
    assert report.approval == Durations(2, 20 * 60, 30 * 60)
    assert report.production == Durations(2, 45 * 60, 60 * 60)

    # The totals reconcile.
    assert report.coupons_consumed == report.applications_submitted
    assert report.blanks_used == report.cards_produced + report.cards_spoiled
    assert report.blanks_spoiled == report.cards_spoiled
    _, end = reports.period_bounds(DAY, DAY)
    assert report.applications_at_end == _applications_before(ctx, "TR", end) == 10
    assert report.approval.count == report.applications_approved
    assert report.production.count == report.cards_produced


def test_other_days_and_offices_are_not_counted(ctx, world, console, the_day):
    before = _report(ctx, world.supervisor, first=DAY - dt.timedelta(days=1))
    assert (before.coupons_reserved, before.applications_submitted, before.cards_produced,
            before.cards_handed_over, before.blanks_received, before.blanks_used,
            before.blanks_in_stock, before.alerts_open) == (3, 3, 2, 2, 20, 2, 18, 0)  # fmt: skip
    after = _report(ctx, world.supervisor, first=DAY + dt.timedelta(days=1))
    assert (after.coupons_reserved, after.applications_submitted, after.cards_produced,
            after.alerts_raised) == (1, 1, 0, 0)  # fmt: skip
    assert after.alerts_open == _open_alerts(ctx)  # still open the day after
    # The card made the day before, found misprinted: spoiled today, its blank used then.
    assert (after.cards_spoiled, after.cards_spoiled_by_operator, after.blanks_used,
            after.blanks_spoiled) == (1, 1, 0, 1)  # fmt: skip
    assert after.blanks_used == (
        after.cards_produced + after.cards_spoiled - after.cards_spoiled_by_operator
    )
    assert after.state_count(State.APPROVED) == 1  # back in the production queue
    both = _report(ctx, world.supervisor, first=DAY - dt.timedelta(days=1), last=DAY)
    assert (both.applications_submitted, both.cards_produced, both.cards_handed_over,
            both.blanks_used) == (7, 4, 3, 5)  # fmt: skip
    dr = _report(ctx, console, code="DR")
    assert (dr.coupons_reserved, dr.applications_submitted, dr.cards_produced,
            dr.alerts_open, dr.applications_at_end) == (1, 1, 0, 0, 1)  # fmt: skip


def test_the_days_pdf_and_csv_carry_every_number(ctx, world, the_day):
    report = _report(ctx, world.supervisor)
    document = reports.report_document(report, dt.datetime(2026, 11, 24, 6, 0, tzinfo=dt.UTC))
    pdf = render_report_pdf(document)
    assert pdf.startswith(b"%PDF") and all(font["embedded"] for font in fonts_of(pdf))
    with pdfplumber.open(io.BytesIO(pdf)) as opened:
        text = "\n".join(page.extract_text() or "" for page in opened.pages)
    assert "RAPORTI I ZYRËS / OFFICE REPORT" in text
    assert "Periudha / Period: 23.11.2026" in text and "DRKM Tiranë" in text
    assert "Përgatitur / Generated: 24.11.2026 07:00" in text  # Tirana's time
    lines = text.splitlines()
    assert any(line.startswith("të konsumuar consumed") and line.endswith(" 4") for line in lines)
    assert any("karta e prodhuar card produced 1" in line for line in lines)
    assert any(line.endswith("0 h 45 min") for line in lines)

    for language in ("sq", "en"):
        data = render_report_csv(document, language)
        assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for UTF-8
        rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
        assert rows[0] == list(
            ("kodi", "seksioni", "masa", "vlera") if language == "sq"
            else ("key", "section", "measure", "value")
        )  # fmt: skip
        values = {row[0]: row[3] for row in rows[1:]}
        assert len(values) == len(rows) - 1 == len(reports.measures(report))
        assert values["coupons_consumed"] == "4" and values["blanks_used"] == "3"
        assert values["state_handed_over"] == "3" and values["production_median"] == "0 h 45 min"
    sq = dict((row[0], row[2]) for row in csv.reader(
        io.StringIO(render_report_csv(document, "sq").decode("utf-8-sig"))))  # fmt: skip
    assert sq["cards_spoiled_by_operator"] == "prej tyre të shënuara nga operatori"


def test_who_may_see_which_report_and_the_refusals(ctx, world, console, clock):
    for actor in (world.clerk, world.card_operator):
        with pytest.raises(NotPermitted) as refused:
            _report(ctx, actor)
        assert refused.value.message("en") == (
            f"The role '{actor.role.value.replace('_', ' ')}' is not allowed to see the office's "
            "reports. Who can: supervisor, administrator."
        )
    build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                prefix="dr_")  # fmt: skip
    with pytest.raises(OtherOfficesApplication):
        _report(ctx, world.supervisor, code="DR")
    assert [o.code for o in reports.report_offices(ctx, world.supervisor)] == ["TR"]
    assert [o.code for o in reports.report_offices(ctx, world.administrator)] == ["DR", "TR"]
    with pytest.raises(reports.UnknownReportOffice) as unknown:
        _report(ctx, console, code="ZZ")
    assert unknown.value.message("sq") == "Zyra «ZZ» nuk ekziston."
    with pytest.raises(reports.InvalidReportPeriod) as backwards:
        _report(ctx, console, first=DAY, last=DAY - dt.timedelta(days=1))
    assert "23.11.2026–22.11.2026" in backwards.value.message("en")
    with pytest.raises(reports.InvalidReportPeriod):
        _report(ctx, console, first=DAY, last=DAY + dt.timedelta(days=366))
    # An office with nothing yet: every number is zero, the times are not measured.
    empty = _report(ctx, console, code="DR")
    assert empty.applications_at_end == 0 and empty.approval == Durations(0, None, None)
    assert reports.format_duration(None) == "—"
    assert reports.format_duration(3 * 3600 + 5 * 60 + 59) == "3 h 05 min"
