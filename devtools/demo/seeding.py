"""Demo offices and operators, so a new installation can be tried at once. Idempotent."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyotp
from sqlalchemy import select

from issuance.db.models import Desk, Office, Operator
from issuance.security.permissions import Actor, Role
from issuance.services import offices, operators

if TYPE_CHECKING:
    from issuance.bootstrap import Context

DEMO_PASSWORD = "Demo2026x"
# Who enrols and approves the demo applications (demo_applications.seed_queues).
DEMO_CLERK = "elira"
DEMO_SUPERVISOR = "besnik"

OFFICES = (
    ("TR", "Drejtoria Rajonale e Kufirit dhe Migracionit Tiranë", "Tiranë"),
    ("DR", "Drejtoria Rajonale e Kufirit dhe Migracionit Durrës", "Durrës"),
    ("SH", "Drejtoria Rajonale e Kufirit dhe Migracionit Shkodër", "Shkodër"),
)

# username, full name, role, office, fixed TOTP secret (demo only: printed for the tester).
OPERATORS = (
    ("elira", "Elira Hoxha", Role.CLERK, "TR", None),
    ("gent", "Gent Çela", Role.CLERK, "TR", None),
    ("besnik", "Besnik Dervishi", Role.SUPERVISOR, "TR", "JBSWY3DPEHPK3PXPDEMOSUPERVISOR22"),
    ("drita", "Drita Shehu", Role.CARD_OPERATOR, "TR", None),
    ("admin", "Arta Kola", Role.ADMINISTRATOR, None, "JBSWY3DPEHPK3PXPDEMOADMINISTRA22"),
    ("mirela", "Mirela Bushati", Role.CLERK, "DR", None),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: Role
    office: str | None
    password: str
    totp_secret: str | None

    def current_code(self) -> str | None:
        return pyotp.TOTP(self.totp_secret).now() if self.totp_secret else None


DESKS = (("Sportel 1", "enrolment"), ("Stacion kartash", "card_station"))


def seed(ctx: Context, actor: Actor) -> list[DemoLogin]:
    """Add whatever of the demo offices, desks and operators is missing. Each piece is its own
    transaction, so a seed killed mid-way leaves some of them; running it again completes the
    rest (an office is never left without its desks)."""
    with ctx.uow() as uow:
        have_offices = set(uow.session.execute(select(Office.code)).scalars())
        have_desks = {
            (code, desk) for code, desk in uow.session.execute(
                select(Office.code, Desk.name).join(Desk.office)
            )
        }
        have_operators = set(uow.session.execute(select(Operator.username)).scalars())
    for code, name, city in OFFICES:
        if code not in have_offices:
            offices.add_office(ctx, actor, code=code, name=name, city=city)
        for desk, kind in DESKS:
            if (code, desk) not in have_desks:
                offices.add_desk(ctx, actor, office_code=code, name=desk, kind=kind)
    logins = []
    for username, full_name, role, office, secret in OPERATORS:
        if username not in have_operators:
            operators.add_operator(
                ctx, actor, username=username, full_name=full_name, role=role,
                password=DEMO_PASSWORD, office_code=office, totp_secret=secret,
            )  # fmt: skip
        logins.append(DemoLogin(username, role, office, DEMO_PASSWORD, secret))
    return logins


def acting_as(ctx: Context, username: str) -> Actor:
    """A demo operator, for the demo's own seeding and screenshots, without a login: a login
    would spend the operator's current one-time code (a code is accepted once), the very code
    the tester is about to type at the desk."""
    with ctx.uow() as uow:
        operator = uow.session.execute(
            select(Operator).where(Operator.username == username)
        ).scalar_one()
        return Actor(
            username=operator.username, role=Role(operator.role), operator_id=operator.id,
            office_id=operator.office_id,
        )  # fmt: skip

