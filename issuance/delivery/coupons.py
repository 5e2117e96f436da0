"""Consuming and releasing coupons at the post office, through the outbox.

Kept apart from ``coupons`` (the desk's use case) because the workflow and the enrolment write
these messages inside their own transactions.

Every coupon the desk asks the post office to reserve for an application is written down first,
as a *parked* release of that (coupon, application) pair: an outbox message the worker does not
send. What happens to it then:

- the post office refuses: it holds nothing for the application, the parked release is dropped;
- the coupon is bound to the application: dropped (the cancellation releases the bound coupon);
- the desk refuses after the post office said yes (a race, a local failure): sent now;
- no answer (a timeout, a crash): it stays parked, and is sent when the application binds
  another coupon or is cancelled.

So the post office never keeps a coupon for an application that does not hold it here. The
release's key names the pair, so a coupon released for one application and later reserved by
another is released again when that one is cancelled.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import Application, Coupon, OutboxMessage
from issuance.delivery import outbox
from issuance.delivery.clients import VoucherClient
from issuance.delivery.clients.errors import CouponAlreadyUsed, CouponReservedByOther
from issuance.delivery.outbox import Claimed
from issuance.errors import CouponBeingReleased

CONSUME, RELEASE = "voucher.consume", "voucher.release"
# Local coupon states in which a coupon backs its application.
HELD = ("reserved", "consumed")


def bound_coupon(session: Session, application: Application) -> Coupon | None:
    """The coupon that backs ``application`` (reserved or consumed), if any."""
    return session.execute(
        select(Coupon).where(Coupon.application_id == application.id, Coupon.status.in_(HELD))
    ).scalar_one_or_none()


def release_key(code: str, application: Application) -> str:
    return f"{code}@{application.number}"


def _release_payload(code: str, application: Application, *, bound: bool) -> dict[str, Any]:
    return {"code": code, "application": application.number, "bound": bound}


def _release(session: Session, code: str, application: Application) -> OutboxMessage | None:
    return session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.topic == RELEASE, OutboxMessage.key == release_key(code, application))
        .with_for_update()
    ).scalar_one_or_none()


def _parked(session: Session, application: Application) -> list[OutboxMessage]:
    suffix = "@" + application.number
    rows = session.execute(
        select(OutboxMessage)
        .where(
            OutboxMessage.topic == RELEASE,
            OutboxMessage.status == outbox.PARKED,
            OutboxMessage.key.endswith(suffix, autoescape=True),
        )
        .order_by(OutboxMessage.id)
        .with_for_update()
    ).scalars()
    return [row for row in rows if row.payload.get("application") == application.number]


def _arm(
    session: Session, code: str, application: Application, at: datetime, *, bound: bool
) -> None:
    """Make the release of (code, application) due now, whatever became of an earlier one."""
    message = _release(session, code, application)
    payload = _release_payload(code, application, bound=bound)
    if message is None:
        outbox.enqueue(session, RELEASE, release_key(code, application), payload, at=at)
    else:
        outbox.rearm(message, payload, at=at)


def _consume(session: Session, code: str) -> OutboxMessage | None:
    return session.execute(
        select(OutboxMessage)
        .where(OutboxMessage.topic == CONSUME, OutboxMessage.key == code)
        .with_for_update()
    ).scalar_one_or_none()


def enqueue_consume(session: Session, application: Application, at: datetime) -> None:
    coupon = bound_coupon(session, application)
    if coupon is not None:
        payload = {"code": coupon.code, "application": application.number}
        message = _consume(session, coupon.code)
        if message is None:
            outbox.enqueue(session, CONSUME, coupon.code, payload, at=at)
        elif message.payload.get("application") != application.number:
            # Consumed before by an application that was cancelled (and given back): this
            # application consumes it anew.
            outbox.rearm(message, payload, at=at)


def enqueue_release(session: Session, application: Application, at: datetime) -> None:
    """The application is cancelled (or its draft discarded): release its coupon, reserved or
    already consumed, and every coupon the post office may still hold for it (reserved, but
    never bound here).

    A consumption not yet told to the post office is not told any more (parked, and fenced
    against an attempt in flight): the release gives back whatever the post office holds.
    """
    coupon = bound_coupon(session, application)
    if coupon is not None:
        consume = _consume(session, coupon.code)
        if (
            consume is not None
            and consume.status == outbox.PENDING
            and consume.payload.get("application") == application.number
        ):
            consume.status, consume.attempts = outbox.PARKED, consume.attempts + 1
        _arm(session, coupon.code, application, at, bound=True)
    for message in _parked(session, application):
        if message.topic == RELEASE:
            outbox.rearm(message, message.payload, at=at)


def intend_reservation(
    session: Session, application: Application, code: str, at: datetime
) -> bool:
    """Write down, before asking the post office, that ``code`` may be reserved for
    ``application``. True when the post office holds nothing for the pair as far as we know
    (so a refusal may drop the note again).

    Refused while a release of the same pair waits to be sent: sent after the new reservation,
    it would undo it.
    """
    message = _release(session, code, application)
    payload = _release_payload(code, application, bound=False)
    if message is None:
        message = outbox.enqueue(
            session, RELEASE, release_key(code, application), payload, at=at
        )
        message.status = outbox.PARKED
        return True
    if message.status == outbox.PENDING:
        raise CouponBeingReleased(code)
    if message.status == outbox.PARKED:
        return False  # an earlier answer was lost: the post office may hold it for us already
    outbox.rearm(message, payload, at=at)  # released before: the pair starts again
    message.status = outbox.PARKED
    return True


def drop_intent(session: Session, application: Application, code: str) -> None:
    """The post office refused: it holds nothing for the pair."""
    message = _release(session, code, application)
    if message is not None and message.status == outbox.PARKED:
        session.delete(message)


def settle_reservations(
    session: Session, application: Application, bound_code: str, at: datetime
) -> None:
    """``bound_code`` now backs the application: it needs no note any more, and every other
    coupon the post office may hold for the application is released now."""
    for message in _parked(session, application):
        if message.payload.get("code") == bound_code:
            session.delete(message)
        else:
            outbox.rearm(message, message.payload, at=at)


def release_unbound(session: Session, application: Application, code: str, at: datetime) -> bool:
    """The desk refused a coupon the post office reserved: release it, unless the coupon does
    back this application after all (another desk bound the same coupon meanwhile). True when a
    release was written."""
    coupon = bound_coupon(session, application)
    if coupon is not None and coupon.code == code:
        drop_intent(session, application, code)
        return False
    _arm(session, code, application, at, bound=False)
    return True


class ConsumeHandler(outbox.BaseHandler):
    def __init__(self, client: VoucherClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        return self._client.consume(message.payload["code"], message.payload["application"]).state


class ReleaseHandler(ConsumeHandler):
    def deliver(self, message: Claimed) -> Any:
        code, number = message.payload["code"], message.payload["application"]
        try:
            return self._client.release(code, number).state
        except CouponReservedByOther:
            # Held for another application: nothing of this one's is left to release.
            return "NOT_HELD"
        except CouponAlreadyUsed:
            if message.payload.get("bound", True):
                raise  # the application's own coupon was consumed: a person must look
            return "NOT_HELD"  # a coupon this application never held was used by another

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None:
        # Only the released application's own row: the coupon may back another one by now.
        # A consumed coupon is given back too when its application was cancelled.
        coupon = session.execute(
            select(Coupon)
            .join(Application, Application.id == Coupon.application_id)
            .where(
                Coupon.code == message.payload["code"],
                Application.number == message.payload["application"],
                Coupon.status.in_(HELD),
                Application.state == "cancelled",
            )
        ).scalar_one_or_none()
        if coupon is not None:
            coupon.status = "released"
