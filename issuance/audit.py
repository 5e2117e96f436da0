"""The audit trail: every state change appends one hash-chained event in its own transaction.

Hash of an event = SHA-256 over its canonical JSON including the previous event's hash, so
editing any row, deleting one, or cutting off the tail is found by ``verify``.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance.labels import in_language
from issuance.models import Application, AuditEvent, AuditHead
from issuance.permissions import Actor, UseCase, authorize, office_scope, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context

GENESIS_HASH = "0" * 64

# What each action is called on the desk (Albanian, English): the trail keeps the code, the
# operator reads the name.
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "application.started": ("Aplikimi u hap", "Application started"),
    "application.transition": ("Ndryshim i gjendjes", "State changed"),
    "applicant.contact": ("Kontakti i aplikantit", "Applicant's contact"),
    "capture.stored": ("Kapja biometrike u ruajt", "Biometric capture stored"),
    "capture.override": ("Cilësia u pranua nga mbikëqyrësi", "Quality accepted by a supervisor"),
    "signature.stored": ("Nënshkrimi u ruajt", "Signature stored"),
    "document.attached": ("Dokumenti u bashkëngjit", "Document attached"),
    "card.production_started": ("Prodhimi i kartës filloi", "Card production started"),
    "card.produced": ("Karta u prodhua", "Card produced"),
    "card.spoiled": ("Karta u dëmtua", "Card spoiled"),
    "card.voided": ("Karta u anulua pa u përdorur", "Card voided unused"),
    "card.handed_over": ("Karta iu dorëzua aplikantit", "Card handed over"),
    "civil_registry.confirmed": ("Gjendja Civile konfirmoi", "Civil registry confirmed"),
    "outbox.alert": ("Alarm i kutisë dalëse", "Outbox alert"),
    "operator.added": ("Operatori u shtua", "Operator added"),
    "operator.login": ("Hyrje në sistem", "Logged in"),
    "operator.login_failed": ("Hyrje e dështuar", "Failed login"),
    "operator.locked": ("Llogaria u bllokua", "Account locked"),
    "operator.unlocked": ("Llogaria u zhbllokua", "Account unlocked"),
    "operator.password_reset": ("Fjalëkalimi u rivendos", "Password reset"),
    "office.added": ("Zyra u shtua", "Office added"),
    "desk.added": ("Sporteli u shtua", "Desk added"),
    "desk.settings_changed": ("Cilësimet e sportelit u ndryshuan", "Desk settings changed"),
}


def action_name(action: str, language: str) -> str:
    return in_language(ACTION_NAMES, action, language, default=action)


def _digest(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any],
    prev_hash: str,
) -> str:
    canonical = json.dumps(
        {
            "seq": seq,
            "at": at.isoformat(timespec="microseconds"),
            "actor": actor,
            "action": action,
            "entity_type": entity_type,
            "entity_id": entity_id,
            "details": details,
            "prev": prev_hash,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    details: dict[str, Any] | None = None,
    *,
    at: datetime,
) -> AuditEvent:
    """Append an event inside the caller's transaction (it commits or rolls back with it)."""
    head = _locked_head(session)
    fields = dict(
        seq=head.seq + 1,
        at=at,
        actor=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details or {},
        prev_hash=head.hash,
    )
    event = AuditEvent(**fields, hash=_digest(**fields))
    session.add(event)
    head.seq, head.hash = event.seq, event.hash
    return event


def _locked_head(session: Session) -> AuditHead:
    """The chain's head, locked once per transaction (FOR UPDATE on PostgreSQL; on SQLite the
    BEGIN IMMEDIATE transaction already serialises writers)."""
    transaction = session.get_transaction()
    cached = session.info.get("audit_head")
    if cached is not None and cached[0] is transaction:
        return cached[1]
    locked = select(AuditHead).where(AuditHead.id == 1).with_for_update()
    head = session.execute(locked).scalar_one()
    session.info["audit_head"] = (transaction, head)
    return head


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None = None
    problem: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return ChainReport(count, expected_seq, f"event {expected_seq} is missing (deleted)")
        if event.prev_hash != expected_prev:
            return ChainReport(count, event.seq, "link to the previous event does not match")
        recomputed = _digest(
            seq=event.seq,
            at=event.at,
            actor=event.actor,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            details=event.details,
            prev_hash=event.prev_hash,
        )
        if recomputed != event.hash:
            return ChainReport(count, event.seq, "content does not match its hash (edited)")
        expected_prev, expected_seq = event.hash, expected_seq + 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != expected_seq - 1 or head.hash != expected_prev:
        return ChainReport(count, expected_seq, "the newest events are missing (tail deleted)")
    return ChainReport(count)


def verify(ctx: Context, actor: Actor) -> ChainReport:
    authorize(actor, UseCase.VERIFY_AUDIT)
    with ctx.uow() as uow:
        return verify_chain(uow.session)


def history(ctx: Context, actor: Actor, entity_type: str, entity_id: object) -> list[AuditEvent]:
    """An entity's trail. An office-bound actor (a supervisor) reads only the trails of their
    own office's applications; an administrator reads every trail."""
    authorize(actor, UseCase.VIEW_HISTORY)
    with ctx.uow() as uow:
        if office_scope(actor) is not None:
            office, what = None, "application" if entity_type == "application" else "record"
            if what == "application" and str(entity_id).isdigit():
                office = uow.session.scalar(
                    select(Application.office_id).where(Application.id == int(str(entity_id)))
                )
            require_office(actor, office, what)
        query = (
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq)
        )
        return list(uow.session.execute(query).scalars())
