"""Consuming and releasing coupons at the post office, through the outbox.

Kept apart from ``coupons`` (the desk's use case) because the workflow and the enrolment write
these messages inside their own transactions.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance import outbox
from issuance.integrations import VoucherClient
from issuance.models import Application, Coupon
from issuance.outbox import Claimed

CONSUME, RELEASE = "voucher.consume", "voucher.release"


def _enqueue(session: Session, topic: str, application: Application, at: datetime) -> None:
    coupon = session.execute(
        select(Coupon).where(Coupon.application_id == application.id)
    ).scalar_one_or_none()
    if coupon is not None:
        payload = {"code": coupon.code, "application": application.number}
        outbox.enqueue(session, topic, coupon.code, payload, at=at)


def enqueue_consume(session: Session, application: Application, at: datetime) -> None:
    _enqueue(session, CONSUME, application, at)


def enqueue_release(session: Session, application: Application, at: datetime) -> None:
    _enqueue(session, RELEASE, application, at)


class ConsumeHandler(outbox.BaseHandler):
    def __init__(self, client: VoucherClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        return self._client.consume(message.payload["code"], message.payload["application"]).state


class ReleaseHandler(ConsumeHandler):
    def deliver(self, message: Claimed) -> Any:
        return self._client.release(message.payload["code"], message.payload["application"]).state

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None:
        coupon = session.execute(
            select(Coupon).where(Coupon.code == message.payload["code"])
        ).scalar_one_or_none()
        if coupon is not None:
            coupon.status = "released"
