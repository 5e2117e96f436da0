"""Telling the resident the card is ready: SMS or e-mail through the outbox."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from issuance.db.models import Applicant, Application, Office
from issuance.delivery import outbox
from issuance.delivery.clients import NotificationClient
from issuance.delivery.outbox import Claimed

SMS, EMAIL = "notification.sms", "notification.email"


def card_ready_text(office_name: str, application_number: str) -> str:
    # Albanian first (the resident's country of residence), English for those who need it.
    return (
        f"Karta juaj e qëndrimit është gati. Tërhiqeni në {office_name} "
        f"(aplikimi {application_number}). / Your residence card is ready for collection "
        f"at {office_name} (application {application_number})."
    )


def enqueue_card_ready(session: Session, application: Application, *, at: datetime) -> None:
    applicant = session.get(Applicant, application.applicant_id)
    office = session.get(Office, application.office_id)
    if applicant is None or office is None:
        return
    text = card_ready_text(office.name, application.number)
    key = f"card-ready:{application.number}"
    if applicant.mobile:
        outbox.enqueue(session, SMS, key, {"mobile": applicant.mobile, "text": text}, at=at)
    elif applicant.email:
        payload = {"email": applicant.email, "subject": "Karta e qëndrimit / Residence card",
                   "text": text}  # fmt: skip
        outbox.enqueue(session, EMAIL, key, payload, at=at)


class SmsHandler(outbox.BaseHandler):
    def __init__(self, client: NotificationClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.send_sms(p["mobile"], p["text"], message.key).repeated


class EmailHandler(SmsHandler):
    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.send_email(p["email"], p["subject"], p["text"], message.key).repeated
