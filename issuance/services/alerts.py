"""Delivery alerts: outbox messages that failed for good (a register refused our key, the
civil registry's read-back differs from what we sent), shown to a person who either sends
them again once the cause is fixed, or closes them with a note.

A supervisor sees and acts on the alerts of their own office's applications; an administrator
(and the console) on every alert. Each alert names the application it concerns, found from its
message: the civil-registry person names its application, a coupon message its application
number, a notice to the resident its application number, a card's revocation its document
number. An alert no application can be found for is an administrator's only.

Resolving the civil-registry message of an identity a supervisor confirmed with the registry by
other means records that confirmation, so the application becomes "e-Albania ready" by the
same rule as a delivered message (``civil_registry.mark_registered_if_ready``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.db.models import Application, AuditEvent, Card, OutboxMessage
from issuance.delivery import civil_registry, notifications, outbox, revocations
from issuance.delivery import coupons as coupon_delivery
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import (
    Actor,
    UseCase,
    authorize,
    office_scope,
    require_office,
)

if TYPE_CHECKING:
    from issuance.bootstrap import Context

# What each outbox topic is called on the desk (Albanian, English).
TOPIC_NAMES: dict[str, tuple[str, str]] = {
    civil_registry.TOPIC: ("Regjistrimi i personit në Gjendjen Civile",
                           "Person registered at the civil registry"),
    coupon_delivery.CONSUME: ("Përdorimi i kuponit në postë", "Coupon used at the post office"),
    coupon_delivery.RELEASE: ("Lirimi i kuponit në postë", "Coupon released at the post office"),
    notifications.SMS: ("SMS për aplikantin", "SMS to the applicant"),
    notifications.EMAIL: ("E-mail për aplikantin", "E-mail to the applicant"),
    revocations.CIVIL_REGISTRY: ("Revokimi i kartës në Gjendjen Civile",
                                 "Card revoked at the civil registry"),
    revocations.FER: ("Revokimi i kartës në FER", "Card revoked at FER"),
}  # fmt: skip

# What each compared field is called (Albanian, English): beside the comparison.
FIELD_NAMES = civil_registry.FIELD_NAMES


class AlertNotFound(IssuanceError):
    def __init__(self, alert_id: int) -> None:
        super().__init__(f"Alarmi {alert_id} nuk u gjet.", f"Alert {alert_id} was not found.")


class NotAnAlert(IssuanceError):
    def __init__(self, alert_id: int) -> None:
        super().__init__(
            f"Mesazhi {alert_id} nuk është më alarm (u dërgua përsëri ose u zgjidh).",
            f"Message {alert_id} is no longer an alert (sent again or resolved).",
        )


class NoteRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Shkruani një shënim: si u zgjidh alarmi.",
            "Write a note: how the alert was resolved.",
        )


class AlertWithoutApplication(IssuanceError):
    """An office-bound actor named an alert that concerns no application of any office."""

    def __init__(self) -> None:
        super().__init__(
            "Ky alarm nuk lidhet me asnjë aplikim; e trajton administratori.",
            "This alert concerns no application; an administrator handles it.",
        )


@dataclass(frozen=True)
class FieldDifference:
    """One field of a read-back: what we sent, and what the registry holds."""

    field: str
    name_sq: str
    name_en: str
    sent: str
    registry: str

    def name(self, language: str = "sq") -> str:
        return self.name_sq if language == "sq" else self.name_en


@dataclass(frozen=True)
class Alert:
    id: int
    topic: str
    topic_sq: str
    topic_en: str
    application_number: str | None
    at: datetime  # when the alert was raised (its message's creation when unknown)
    reason_sq: str
    reason_en: str
    attempts: int
    differences: tuple[FieldDifference, ...] = ()

    def topic_name(self, language: str = "sq") -> str:
        return self.topic_sq if language == "sq" else self.topic_en

    def reason(self, language: str = "sq") -> str:
        return self.reason_sq if language == "sq" else self.reason_en


@dataclass(frozen=True)
class Resolution:
    id: int
    application_number: str | None
    registered: bool  # the application became "e-Albania ready" by this resolution


# --- which application an alert concerns ----------------------------------------------------


def _application_of(session: Session, message: OutboxMessage) -> Application | None:
    payload = message.payload or {}
    if isinstance(payload.get("application_id"), int):
        return session.get(Application, payload["application_id"])
    number = payload.get("application_number") or payload.get("application")
    if isinstance(number, str):
        return session.execute(
            select(Application).where(Application.number == number)
        ).scalar_one_or_none()
    if message.topic in (notifications.SMS, notifications.EMAIL):
        # A notice written before its payload named the application: its key does.
        event, _, rest = message.key.partition(":")
        if event != notifications.CARD_REVOKED and rest:
            return session.execute(
                select(Application).where(Application.number == rest.removesuffix(":email"))
            ).scalar_one_or_none()
    document = payload.get("document_number")
    if isinstance(document, str):
        return session.execute(
            select(Application).join(Card, Card.application_id == Application.id)
            .where(Card.document_number == document)
        ).scalar_one_or_none()  # fmt: skip
    return None


def _in_scope(actor: Actor, application: Application | None) -> bool:
    scope = office_scope(actor)
    if scope is None:
        return True
    return application is not None and application.office_id == scope


def _require_scope(actor: Actor, application: Application | None) -> None:
    if office_scope(actor) is None:
        return
    if application is None:
        raise AlertWithoutApplication()
    require_office(actor, application.office_id)


# --- listing ---------------------------------------------------------------------------------


def _latest_alert_events(session: Session, ids: list[int]) -> dict[int, AuditEvent]:
    if not ids:
        return {}
    rows = session.execute(
        select(AuditEvent)
        .where(AuditEvent.action == "outbox.alert",
               AuditEvent.entity_type == "outbox_message",
               AuditEvent.entity_id.in_([str(i) for i in ids]))
        .order_by(AuditEvent.seq)
    ).scalars()  # fmt: skip
    return {int(event.entity_id): event for event in rows}  # the newest wins


def _differences(details: dict[str, Any]) -> tuple[FieldDifference, ...]:
    found = []
    for row in details.get("differences") or ():
        field = str(row.get("field"))
        sq, en = FIELD_NAMES.get(field, (field, field))
        found.append(FieldDifference(
            field, sq, en, _shown(row.get("sent")), _shown(row.get("registry"))
        ))  # fmt: skip
    return tuple(found)


def _shown(value: Any) -> str:
    return "—" if value is None or value == "" else str(value)


def _alert(message: OutboxMessage, application: Application | None,
           event: AuditEvent | None) -> Alert:  # fmt: skip
    details = dict(event.details) if event is not None else {}
    reason_en = details.get("problem") or message.last_error or "Unknown problem."
    reason_sq = details.get("problem_sq") or (
        # An alert raised before the reason was kept in Albanian: the register's own words.
        f"Dërgimi dështoi dhe nuk provohet më vetë: {reason_en}"
    )
    sq, en = TOPIC_NAMES.get(message.topic, (message.topic, message.topic))
    return Alert(
        id=message.id, topic=message.topic, topic_sq=sq, topic_en=en,
        application_number=application.number if application is not None else None,
        at=event.at if event is not None else message.created_at,
        reason_sq=reason_sq, reason_en=reason_en, attempts=message.attempts,
        differences=_differences(details.get("details") or {}),
    )  # fmt: skip


def list_alerts(ctx: Context, actor: Actor) -> list[Alert]:
    """Every open alert the actor may act on, oldest first."""
    authorize(actor, UseCase.MANAGE_ALERTS)
    with ctx.uow() as uow:
        session = uow.session
        messages = session.execute(
            select(OutboxMessage).where(OutboxMessage.status == outbox.ALERT)
            .order_by(OutboxMessage.id)
        ).scalars().all()  # fmt: skip
        events = _latest_alert_events(session, [m.id for m in messages])
        alerts = []
        for message in messages:
            application = _application_of(session, message)
            if _in_scope(actor, application):
                alerts.append(_alert(message, application, events.get(message.id)))
        return alerts


def get_alert(ctx: Context, actor: Actor, alert_id: int) -> Alert:
    """One open alert, refused like ``retry_alert`` when it is not the actor's to see."""
    authorize(actor, UseCase.MANAGE_ALERTS)
    with ctx.uow() as uow:
        session = uow.session
        message = _open_alert(session, alert_id, lock=False)
        application = _application_of(session, message)
        _require_scope(actor, application)
        return _alert(message, application, _latest_alert_events(session, [alert_id]).get(alert_id))


def _open_alert(session: Session, alert_id: int, *, lock: bool = True) -> OutboxMessage:
    message = session.get(OutboxMessage, alert_id, with_for_update=lock)
    if message is None:
        raise AlertNotFound(alert_id)
    if message.status != outbox.ALERT:
        raise NotAnAlert(alert_id)
    return message


# --- acting on one ---------------------------------------------------------------------------


def retry_alert(ctx: Context, actor: Actor, alert_id: int) -> None:
    """Make the alert's message due again (its cause fixed): the outbox sends it on its next
    round; should it fail for good again, it is a new alert."""
    authorize(actor, UseCase.MANAGE_ALERTS)
    with ctx.uow() as uow:
        session = uow.session
        message = _open_alert(session, alert_id)
        application = _application_of(session, message)
        _require_scope(actor, application)
        now = ctx.clock()
        problem = message.last_error
        outbox.rearm(message, dict(message.payload), at=now)
        audit.record(
            session, actor, "outbox.retried", "outbox_message", message.id,
            {"topic": message.topic, "problem": problem,
             "application": application.number if application is not None else None},
            at=now,
        )  # fmt: skip
        uow.commit()


def resolve_alert(ctx: Context, actor: Actor, alert_id: int, note: str) -> Resolution:
    """Close the alert with a note saying how it was settled (audited with it). For the
    civil-registry person, the supervisor confirmed the identity by other means: recorded as
    the registry's confirmation, so the application moves on."""
    authorize(actor, UseCase.MANAGE_ALERTS)
    note = (note or "").strip()
    if not note:
        raise NoteRequired()
    with ctx.uow() as uow:
        session = uow.session
        message = _open_alert(session, alert_id)
        application = _application_of(session, message)
        _require_scope(actor, application)
        now = ctx.clock()
        message.status = outbox.RESOLVED
        audit.record(
            session, actor, "outbox.resolved", "outbox_message", message.id,
            {"topic": message.topic, "problem": message.last_error, "note": note,
             "application": application.number if application is not None else None},
            at=now,
        )  # fmt: skip
        registered = False
        if message.topic == civil_registry.TOPIC and application is not None:
            session.refresh(application, with_for_update=True)
            registered = civil_registry.confirm_by_other_means(
                session, actor, application, note=note, alert_id=message.id, at=now
            )
        uow.commit()
        return Resolution(
            message.id, application.number if application is not None else None, registered
        )
