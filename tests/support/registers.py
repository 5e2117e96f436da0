"""Stand-in registers for tests, and a fast way to fill the outbox with approved identities."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy.orm import Session

from issuance.bootstrap import Context
from issuance.db.models import Applicant, Application, Office, Operator, PermitSnapshot
from issuance.delivery import civil_registry, outbox
from issuance.delivery.clients import (
    CivilRegistryClient,
    FerClient,
    NotificationClient,
    ServiceConfig,
    VoucherClient,
)
from issuance.delivery.registers import Registers
from issuance.domain.identity import nid
from issuance.domain.names import fold

TIMEOUTS = {"connect_timeout": 0.5, "read_timeout": 1.5}
# The permits the tests' enrolments use (``tests.support.world.permit``) without asking FER.
TEST_PERMITS = ("LQ1234567", "LQ7654321", "LQ0000001", "LQ0000002", "LQ0000003")


def fer_holds(fer: object, *permit_numbers: str, valid_until: date = date(2030, 1, 1)) -> None:
    """The FER stand-in (``sandbox.fer``) holds these permits, valid: the desk reads a permit
    again before approval and before production."""
    from devtools.standins.fer import PermitEntry

    for number in permit_numbers or TEST_PERMITS:
        fer.add(PermitEntry(  # type: ignore[attr-defined]
            permit_number=number, surname="Çela", given_names="Ëndrit Besnik",
            father_name="Gëzim", mother_name="Vjollca", sex="M", birth_date=date(1990, 1, 1),
            place_of_birth="Prishtinë", nationality="XKX", passport_number="P0123456",
            address=None, permit_type="TEMPORARY_WORK", valid_from=date(2025, 1, 1),
            valid_until=valid_until,
        ))  # fmt: skip


def registers_for(
    urls: dict[str, str], *, api_key: str | None = None, **timeouts: float
) -> Registers:
    settings: dict = {**TIMEOUTS, **timeouts, "api_key": api_key}
    return Registers(
        vouchers=VoucherClient(ServiceConfig(urls["voucher"], **settings)),
        fer=FerClient(ServiceConfig(urls["fer"], **settings)),
        civil_registry=CivilRegistryClient(ServiceConfig(urls["civil-registry"], **settings)),
        notifications=NotificationClient(ServiceConfig(urls["notification"], **settings)),
    )


def seed_approved(ctx: Context, count: int) -> list[str]:
    """``count`` approved applications, each with its civil-registry message, in one go.

    Bypasses the enrolment services on purpose: delivery tests and benchmarks need thousands.
    """
    now = ctx.clock()
    nids = []
    with Session(ctx.engine) as session, session.begin():
        office = Office(code="ZZ", name="Zyra e provës", city="Tiranë", created_at=now)
        session.add(office)
        session.flush()
        clerk = Operator(username="seed-clerk", full_name="Seed", role="clerk",
                         office_id=office.id, password_hash="-", created_at=now,
                         password_changed_at=now)  # fmt: skip
        session.add(clerk)
        session.flush()
        for i in range(count):
            birth = date(1950, 1, 1) + timedelta(days=i // 999)
            value = nid.compose(birth, "F", i % 999 + 1, foreigner=True)
            surname, given = f"Çela-{i}", "Ëndrita Lirije"
            applicant = Applicant(
                surname=surname, given_names=given, surname_key=fold(surname),
                given_names_key=fold(given), father_name="Gëzim", sex="F", birth_date=birth,
                nationality="RKS", place_of_birth="Prishtinë", nid=value, created_at=now,
            )  # fmt: skip
            session.add(applicant)
            session.flush()
            snapshot = PermitSnapshot(
                applicant_id=applicant.id, permit_number=f"RPX{i:07d}", permit_type="WORK",
                status="VALID", valid_from=date(2025, 1, 1), valid_until=date(2030, 1, 1),
                register_payload={}, fetched_at=now,
            )  # fmt: skip
            session.add(snapshot)
            session.flush()
            application = Application(
                number=f"ZZ-2026-{i:06d}", office_id=office.id, clerk_id=clerk.id,
                applicant_id=applicant.id, permit_snapshot_id=snapshot.id, state="approved",
                draft={}, created_at=now,
            )  # fmt: skip
            session.add(application)
            session.flush()
            payload = civil_registry.person_payload(session, application, applicant)
            outbox.enqueue(session, civil_registry.TOPIC, value, payload, at=now)
            nids.append(value)
    return nids
