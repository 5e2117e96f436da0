"""A small office (or two) with one operator per role, and a helper that enrols a complete
application."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
from sqlalchemy import select

from issuance.bootstrap import Context
from issuance.db.models import Operator
from issuance.delivery.clients import VoucherClient
from issuance.security.permissions import Actor, Role
from issuance.services import coupons, enrolment, offices, operators
from issuance.services.enrolment import FINGER_POSITIONS, PermitData

PASSWORD = "Sekret2026"
SUPERVISOR_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
ADMIN_SECRET = "KRSXG5CTMVRXEZLUKRSXG5CTMVRXEZLU"


@dataclass
class World:
    clerk: Actor
    clerk2: Actor
    supervisor: Actor
    card_operator: Actor
    administrator: Actor

    def by_role(self, role: Role) -> Actor:
        return {
            Role.CLERK: self.clerk,
            Role.SUPERVISOR: self.supervisor,
            Role.CARD_OPERATOR: self.card_operator,
            Role.ADMINISTRATOR: self.administrator,
            Role.SYSTEM: Actor.system("test"),
        }[role]


def build_world(
    ctx: Context,
    console: Actor,
    *,
    office: str = "TR",
    office_name: str = "DRKM Tiranë",
    city: str = "Tiranë",
    prefix: str = "",
) -> World:
    """An office and one operator per role in it. A second office in the same database takes
    another code and a ``prefix`` for its operators' usernames (e.g. ``dr_supervisor``)."""
    offices.add_office(ctx, console, code=office, name=office_name, city=city)
    people = [
        ("clerk", Role.CLERK, None),
        ("clerk2", Role.CLERK, None),
        ("supervisor", Role.SUPERVISOR, SUPERVISOR_SECRET),
        ("card_operator", Role.CARD_OPERATOR, None),
        ("administrator", Role.ADMINISTRATOR, ADMIN_SECRET),
    ]
    for username, role, secret in people:
        operators.add_operator(
            ctx, console, username=prefix + username, full_name=username.title(), role=role,
            password=PASSWORD, office_code=office, totp_secret=secret,
        )  # fmt: skip
    names = [prefix + username for username, _, _ in people]
    with ctx.uow() as uow:
        rows = uow.session.execute(select(Operator).where(Operator.username.in_(names))).scalars()
        actors = {
            op.username.removeprefix(prefix): Actor(op.username, Role(op.role), op.id, op.office_id)
            for op in rows
        }
    return World(**actors)


def permit(**overrides: object) -> PermitData:
    values: dict[str, object] = dict(
        permit_number="LQ1234567",
        permit_type="Leje qëndrimi për punë",
        status="valid",
        valid_from=date(2025, 1, 1),
        valid_until=date(2028, 1, 1),
        surname="Çela",
        given_names="Ëndrit Besnik",
        father_name="Gëzim",
        mother_name="Vjollca",
        sex="M",
        birth_date=date(1990, 1, 1),
        nationality="XKX",
        place_of_birth="Prishtinë",
        passport_number="P0123456",
    )
    values.update(overrides)
    return PermitData(**values)  # type: ignore[arg-type]


def fake_jpeg() -> bytes:
    import cv2

    image = np.full((60, 48, 3), 200, np.uint8)
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


def fake_png() -> bytes:
    import cv2

    ok, data = cv2.imencode(".png", np.full((40, 40), 128, np.uint8))
    assert ok
    return data.tobytes()


def enrol_complete(
    ctx: Context,
    clerk: Actor,
    *,
    coupon: str = "PS-0001",
    vouchers: VoucherClient | None = None,
    mobile: str | None = None,
    email: str | None = None,
    **permit_fields: object,
) -> int:
    """Drive one application from draft to submitted through the real services (the coupon
    through the post office when ``vouchers`` is given; the resident's contact when a
    ``mobile`` or an ``email`` is); the applicant accepts the privacy notice."""
    application_id = enrol_captured(
        ctx, clerk, coupon=coupon, vouchers=vouchers, mobile=mobile, email=email,
        **permit_fields,
    )  # fmt: skip
    enrolment.acknowledge_privacy_notice(ctx, clerk, application_id)
    enrolment.submit(ctx, clerk, application_id)
    return application_id


def enrol_captured(
    ctx: Context,
    clerk: Actor,
    *,
    coupon: str = "PS-0001",
    vouchers: VoucherClient | None = None,
    mobile: str | None = None,
    email: str | None = None,
    **permit_fields: object,
) -> int:
    """As ``enrol_complete``, up to "biometrics captured": the privacy notice not accepted yet
    and the application not submitted."""
    application = enrolment.start_draft(ctx, clerk)
    if vouchers is not None:
        coupons.verify_and_reserve(ctx, clerk, application.id, coupon, vouchers)
    else:
        enrolment.record_coupon(
            ctx, clerk, application.id, code=coupon, amount_lek=6000, card_type="STANDARD"
        )
    enrolment.link_permit(ctx, clerk, application.id, permit(**permit_fields))
    if mobile or email:
        enrolment.set_contact(ctx, clerk, application.id, mobile=mobile, email=email)
    enrolment.store_capture(
        ctx, clerk, application.id, kind="face", position="face",
        image=fake_jpeg(), image_format="jpeg", quality=90, for_chip=True,
    )  # fmt: skip
    for position in FINGER_POSITIONS:
        enrolment.store_capture(
            ctx, clerk, application.id, kind="finger", position=position,
            image=fake_png(), image_format="png", quality=70,
        )  # fmt: skip
    enrolment.store_signature(ctx, clerk, application.id, image=fake_png())
    enrolment.mark_biometrics_captured(ctx, clerk, application.id)
    return application.id
