"""Pushing a new identity to the civil registry, reading it back, and "e-Albania ready".

Approval puts the person into the outbox (see ``batches.approve``). Delivery creates the person
under the NID (a repeat finds the same person), reads it back and compares every field, names
byte for byte: e-Albania accepts a registration only when the names match the registry exactly,
so a difference is an alert for a person to resolve, never a silent success.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance import audit, notifications, outbox, workflow
from issuance.errors import IssuanceError
from issuance.integrations import BiographicData, CivilRegistryClient, PersonData
from issuance.models import Applicant, Application, Office, PermitSnapshot
from issuance.outbox import Claimed
from issuance.permissions import Actor
from issuance.workflow import State

TOPIC = "civil_registry.create_person"
COMPARED_FIELDS = (
    "last_name", "first_name", "father_name", "mother_name", "date_of_birth", "gender",
    "nationality", "place_of_birth",
)  # fmt: skip


class RegistryMismatch(IssuanceError):
    def __init__(self, nid: str, fields: list[str]) -> None:
        names = ", ".join(fields)
        super().__init__(
            f"Regjistri Civil ruajti të dhëna të ndryshme për {nid}: {names}. "
            "Personi nuk mund të regjistrohet në e-Albania derisa të korrigjohen.",
            f"The civil registry holds different data for {nid}: {names}. "
            "The person cannot register on e-Albania until this is corrected.",
        )
        self.fields = fields


def person_payload(session: Session, application: Application, applicant: Applicant) -> dict:
    """The message body: what was approved, so delivery needs no database read."""
    snapshot = session.get(PermitSnapshot, application.permit_snapshot_id)
    office = session.get(Office, application.office_id)
    person = PersonData(
        biographic=BiographicData(
            first_name=applicant.given_names,
            last_name=applicant.surname,
            date_of_birth=applicant.birth_date,
            gender=applicant.sex,
            nationality=applicant.nationality,
            father_name=applicant.father_name,
            mother_name=applicant.mother_name,
            place_of_birth=applicant.place_of_birth,
            passport_number=applicant.passport_number,
            address=applicant.address,
        ),
        permit_number=snapshot.permit_number if snapshot else None,
        office=office.code if office else None,
        enrollment_date=application.created_at.date(),
    )
    return {"application_id": application.id, "nid": applicant.nid, "person": person.to_json()}


def _biographic(payload: dict[str, Any]) -> BiographicData:
    return BiographicData.from_json(payload["person"]["identities"][0]["biographicData"])


def differences(sent: BiographicData, stored: BiographicData) -> list[str]:
    return [f for f in COMPARED_FIELDS if getattr(sent, f) != getattr(stored, f)]


class CivilRegistryHandler(outbox.BaseHandler):
    def __init__(self, client: CivilRegistryClient) -> None:
        self._client = client
        self._round: dict[int, Application] = {}

    def deliver(self, message: Claimed) -> dict[str, Any]:
        nid = message.payload["nid"]
        identity = message.payload["person"]["identities"][0]
        context = identity.get("contextualData", {})
        sent = _biographic(message.payload)
        enrolled = context.get("enrollmentDate")
        person = PersonData(
            biographic=sent,
            permit_number=context.get("residencePermitNumber"),
            office=context.get("office"),
            enrollment_date=date.fromisoformat(enrolled) if enrolled else None,
        )
        created = self._client.create_person(nid, person, idempotency_key=f"person:{nid}")
        stored = self._client.get_person(nid)
        mismatched = differences(sent, stored.biographic)
        if mismatched:
            raise RegistryMismatch(nid, mismatched)
        return {"created": created.created}

    def prepare(self, session: Session, messages: list[Claimed]) -> None:
        # Held here, not just loaded: the session's identity map only keeps weak references.
        ids = [m.payload["application_id"] for m in messages]
        query = select(Application).where(Application.id.in_(ids))
        self._round = {a.id: a for a in session.execute(query).scalars()}

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None:
        application_id = message.payload["application_id"]
        application = self._round.pop(application_id, None) or session.get(
            Application, application_id
        )
        if application is None:
            raise workflow.ApplicationNotFound(message.payload["application_id"])
        application.registry_confirmed_at = at
        actor = Actor.system("outbox")
        audit.record(
            session, actor, "civil_registry.confirmed", "application", application.id,
            {"nid": message.payload["nid"], "created": bool(result.get("created"))}, at=at,
        )  # fmt: skip
        mark_registered_if_ready(session, application, at)


def mark_registered_if_ready(session: Session, application: Application, at: datetime) -> bool:
    """Card produced and registry confirmed, in either order: the identity is e-Albania ready
    and the resident is told the card can be collected."""
    if application.registry_confirmed_at is None or application.state != State.CARD_PRODUCED:
        return False
    workflow.apply(session, Actor.system("outbox"), application, State.REGISTERED, at=at)
    notifications.enqueue_card_ready(session, application, at=at)
    return True
