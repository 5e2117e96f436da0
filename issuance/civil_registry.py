"""Pushing a new identity to the civil registry, reading it back, and "e-Albania ready".

Approval puts the person into the outbox (see ``batches.approve``). Delivery creates the person
under the NID (a repeat finds the same person), reads it back and compares every field, names
byte for byte: e-Albania accepts a registration only when the names match the registry exactly,
so a difference is an alert for a person to resolve, never a silent success.

A replacement or renewal card's application sends a person whose NID the registry already
holds, from an earlier enrolment (another office, date, permit): the registry refuses to create
it again (409) and keeps its person. Delivery then reads that person back and compares the
identity as above; identical, the application is confirmed without a second person. The desk
never overwrites a registered identity: a real change (a corrected name) is an alert.
"""

from __future__ import annotations

import threading
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance import audit, notifications, outbox, workflow
from issuance.errors import IssuanceError
from issuance.integrations import BiographicData, CivilRegistryClient, PersonData, RegistryPerson
from issuance.integrations.errors import PersonConflict, PersonNotFound
from issuance.models import Applicant, Application, Office, PermitSnapshot
from issuance.outbox import Claimed
from issuance.permissions import Actor
from issuance.workflow import State

TOPIC = "civil_registry.create_person"
COMPARED_FIELDS = (
    "last_name", "first_name", "father_name", "mother_name", "date_of_birth", "gender",
    "nationality", "place_of_birth", "passport_number", "address",
)  # fmt: skip
# Of this enrolment: compared when the registry created (or re-confirmed) this very request;
# a person registered by an earlier enrolment keeps that enrolment's.
CONTEXTUAL_FIELDS = ("residencePermitNumber", "documentNumber", "office", "enrollmentDate")


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


def person_request(payload: dict[str, Any]) -> tuple[str, PersonData]:
    """The NID and the person a message creates (what ``create_person`` sends)."""
    identity = payload["person"]["identities"][0]
    context = identity.get("contextualData", {})
    enrolled = context.get("enrollmentDate")
    return payload["nid"], PersonData(
        biographic=_biographic(payload),
        permit_number=context.get("residencePermitNumber"),
        document_number=context.get("documentNumber"),
        office=context.get("office"),
        enrollment_date=date.fromisoformat(enrolled) if enrolled else None,
    )


def differences(sent: BiographicData, stored: BiographicData) -> list[str]:
    """Every field we sent that the registry holds otherwise, compared exactly as received
    (no normalisation: NFD for NFC is a difference)."""
    return [
        f for f in COMPARED_FIELDS
        if getattr(sent, f) is not None and getattr(sent, f) != getattr(stored, f)
    ]  # fmt: skip


def contextual_differences(sent: dict[str, Any], stored: dict[str, Any]) -> list[str]:
    return [f for f in CONTEXTUAL_FIELDS if f in sent and sent[f] != stored.get(f)]


class _Slot:
    """One delivery waiting for its read-back."""

    __slots__ = ("done", "error", "nid", "person", "turn")

    def __init__(self, nid: str) -> None:
        self.nid, self.turn, self.done = nid, threading.Event(), False
        self.person: RegistryPerson | None = None
        self.error: BaseException | None = None

    def result(self) -> RegistryPerson:
        if self.error is not None:
            raise self.error
        if self.person is None:
            raise PersonNotFound(self.nid)
        return self.person


class ReadBack:
    """Read-backs of deliveries running on many threads, joined into ``readPersons`` requests
    (one round trip for up to 100 persons instead of one each).

    A delivery that finds no read-back on its way sends one itself, for every NID waiting at
    that moment; those that arrive meanwhile wait, and when the answer is in, the first of
    them sends the next one for all of them. Nothing waits for a batch to fill: alone, a
    delivery reads its person back at once. Each person is still read after its own creation
    was answered, and compared exactly as ``get_person`` would have read it."""

    def __init__(self, client: CivilRegistryClient) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._waiting: list[_Slot] = []
        self._reading = False

    def read(self, nid: str) -> RegistryPerson:
        slot = _Slot(nid)
        with self._lock:
            self._waiting.append(slot)
            leads = not self._reading
            self._reading = True
        if not leads:
            slot.turn.wait()
        if not slot.done:  # the one to send the next read: this slot is among its NIDs
            self._send()
        return slot.result()

    def _send(self) -> None:
        with self._lock:
            batch = self._waiting[: CivilRegistryClient.READ_MANY_MAX]
            del self._waiting[: len(batch)]
        try:
            found = self._client.read_persons([slot.nid for slot in batch])
            for slot in batch:
                slot.person = found.get(slot.nid)
        except BaseException as exc:
            for slot in batch:
                slot.error = exc
            if not isinstance(exc, Exception):
                raise
        finally:
            with self._lock:
                following = self._waiting[0] if self._waiting else None
                self._reading = following is not None
            for slot in batch:
                slot.done = True
                slot.turn.set()
            if following is not None:
                following.turn.set()


class CivilRegistryHandler(outbox.BaseHandler):
    def __init__(self, client: CivilRegistryClient) -> None:
        self._client = client
        self._read_back = ReadBack(client)
        self._round: dict[int, Application] = {}

    def deliver(self, message: Claimed) -> dict[str, Any]:
        nid, person = person_request(message.payload)
        sent = person.biographic
        # No Idempotency-Key: PUT under the NID is idempotent by itself, and a key per person
        # made every later application of that person a 409 IDEMPOTENCY_KEY_REUSED.
        try:
            created = self._client.create_person(nid, person).created
            existing = False
        except PersonConflict:
            # Registered by an earlier enrolment (replacement, renewal): read-back decides.
            created, existing = False, True
        stored = self._read_back.read(nid)
        mismatched = differences(sent, stored.biographic)
        if not existing:
            sent_context = person.to_json()["identities"][0].get("contextualData", {})
            mismatched += contextual_differences(sent_context, stored.contextual)
        if mismatched:
            raise RegistryMismatch(nid, mismatched)
        return {"created": created, "existing": existing}

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
            {"nid": message.payload["nid"], "created": bool(result.get("created")),
             "existing": bool(result.get("existing"))}, at=at,
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
