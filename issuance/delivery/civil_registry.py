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

from datetime import date, datetime
from itertools import groupby
from operator import itemgetter
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError
from sqlalchemy.orm.util import identity_key

from issuance.db.models import Applicant, Application, Office, PermitSnapshot
from issuance.delivery import notifications, outbox
from issuance.delivery.clients import BiographicData, CivilRegistryClient, PersonData
from issuance.delivery.clients.errors import PersonConflict, PersonNotFound
from issuance.delivery.outbox import Claimed
from issuance.domain import workflow
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor

TOPIC = "civil_registry.create_person"
COMPARED_FIELDS = (
    "last_name", "first_name", "father_name", "mother_name", "date_of_birth", "gender",
    "nationality", "place_of_birth", "passport_number", "address",
)  # fmt: skip
# Of this enrolment: compared when the registry created (or re-confirmed) this very request;
# a person registered by an earlier enrolment keeps that enrolment's.
CONTEXTUAL_FIELDS = ("residencePermitNumber", "documentNumber", "office", "enrollmentDate")


# What each compared field is called (Albanian, English), in refusals and on the alerts.
FIELD_NAMES: dict[str, tuple[str, str]] = {
    "last_name": ("Mbiemri", "Surname"),
    "first_name": ("Emri", "Given names"),
    "father_name": ("Atësia", "Father's name"),
    "mother_name": ("Amësia", "Mother's name"),
    "date_of_birth": ("Datëlindja", "Date of birth"),
    "gender": ("Gjinia", "Sex"),
    "nationality": ("Shtetësia", "Nationality"),
    "place_of_birth": ("Vendlindja", "Place of birth"),
    "passport_number": ("Numri i pasaportës", "Passport number"),
    "address": ("Adresa", "Address"),
    "residencePermitNumber": ("Numri i lejes", "Permit number"),
    "documentNumber": ("Numri i dokumentit", "Document number"),
    "office": ("Zyra", "Office"),
    "enrollmentDate": ("Data e pranimit", "Enrolment date"),
}


class RegistryMismatch(IssuanceError):
    """``sides``: each differing field's value as sent and as the registry holds it (plain
    JSON), kept with the alert so a supervisor sees them side by side."""

    def __init__(
        self, nid: str, fields: list[str], sides: dict[str, tuple[Any, Any]] | None = None
    ) -> None:
        sq = ", ".join(FIELD_NAMES.get(f, (f, f))[0] for f in fields)
        en = ", ".join(FIELD_NAMES.get(f, (f, f))[1] for f in fields)
        super().__init__(
            f"Regjistri Civil ruajti të dhëna të ndryshme për {nid}: {sq}. "
            "Personi nuk mund të regjistrohet në e-Albania derisa të korrigjohen.",
            f"The civil registry holds different data for {nid}: {en}. "
            "The person cannot register on e-Albania until this is corrected.",
        )
        self.fields = fields
        self.sides = dict(sides or {})

    @property
    def alert_details(self) -> dict[str, Any]:
        return {
            "kind": "registry_mismatch",
            "differences": [
                {"field": f, "sent": _plain(self.sides.get(f, (None, None))[0]),
                 "registry": _plain(self.sides.get(f, (None, None))[1])}
                for f in self.fields
            ],
        }  # fmt: skip


def _plain(value: Any) -> Any:
    """A value as JSON keeps it: dates in ISO form, everything else as received."""
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


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


class CivilRegistryHandler(outbox.BaseHandler):
    """Delivery in two stages (see ``outbox.Handler``): ``send`` creates the person, and
    ``verify`` reads back every person of a group of sends in one ``readPersons`` request and
    compares each with what its message sent. ``deliver`` is both, for one message."""

    def __init__(self, client: CivilRegistryClient) -> None:
        self._client = client
        # This round's applications (prepare): id -> (state, version).
        self._round: dict[int, tuple[str, int]] = {}
        # Confirmations left for settle: id -> (version read, at).
        self._pending: dict[int, tuple[int, datetime]] = {}
        # Their audit events, in the order confirmed, written together (``_audit``).
        self._audits: list[tuple[datetime, audit.Event]] = []

    def deliver(self, message: Claimed) -> dict[str, Any]:
        result = self.verify([message], [self.send(message)])[0]
        if isinstance(result, BaseException):
            raise result
        return result

    def send(self, message: Claimed) -> tuple[dict[str, Any], PersonData]:
        """Create the person: the result, and the person as sent (for ``verify``)."""
        nid, person = person_request(message.payload)
        # No Idempotency-Key: PUT under the NID is idempotent by itself, and a key per person
        # made every later application of that person a 409 IDEMPOTENCY_KEY_REUSED.
        try:
            created = self._client.create_person(nid, person).created
            existing = False
        except PersonConflict:
            # Registered by an earlier enrolment (replacement, renewal): read-back decides.
            created, existing = False, True
        return {"created": created, "existing": existing}, person

    def verify(
        self, messages: list[Claimed], sent: list[tuple[dict[str, Any], PersonData]]
    ) -> list[dict[str, Any] | BaseException]:
        """Each message's outcome once its person was read back after its creation: the
        result, or why it is not confirmed (the read-back failed, no such person, a
        difference). A failed read-back is every message's failure: none is confirmed."""
        try:
            found = self._client.read_persons([m.payload["nid"] for m in messages])
        except IssuanceError as exc:
            return [exc] * len(messages)
        outcomes: list[dict[str, Any] | BaseException] = []
        for message, (result, person) in zip(messages, sent, strict=True):
            nid = message.payload["nid"]
            stored = found.get(nid)
            if stored is None:
                outcomes.append(PersonNotFound(nid))
                continue
            mismatched = differences(person.biographic, stored.biographic)
            sides: dict[str, tuple[Any, Any]] = {
                f: (getattr(person.biographic, f), getattr(stored.biographic, f))
                for f in mismatched
            }
            if not result["existing"]:
                sent_context = person.to_json()["identities"][0].get("contextualData", {})
                context_fields = contextual_differences(sent_context, stored.contextual)
                sides.update({f: (sent_context[f], stored.contextual.get(f))
                              for f in context_fields})  # fmt: skip
                mismatched += context_fields
            outcomes.append(RegistryMismatch(nid, mismatched, sides) if mismatched else result)
        return outcomes

    def prepare(self, session: Session, messages: list[Claimed]) -> None:
        # The state and version only: most confirmations are written together by settle.
        ids = [m.payload["application_id"] for m in messages]
        query = select(Application.id, Application.state, Application.version).where(
            Application.id.in_(ids)
        )
        self._round = {row.id: (row.state, row.version) for row in session.execute(query)}
        self._pending, self._audits = {}, []

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None:
        application_id = message.payload["application_id"]
        found = self._round.pop(application_id, None)
        if found is None and application_id not in self._pending:
            row = session.execute(
                select(Application.state, Application.version).where(
                    Application.id == application_id
                )
            ).first()
            if row is None:
                raise workflow.ApplicationNotFound(application_id)
            found = (row.state, row.version)
        self._audits.append((at, audit.Event(
            "civil_registry.confirmed", "application", application_id,
            {"nid": message.payload["nid"], "created": bool(result.get("created")),
             "existing": bool(result.get("existing"))},
        )))  # fmt: skip
        if found is None:  # confirmed again in this round: settle writes it once
            return
        state, version = found
        if state == State.CARD_PRODUCED or _loaded(session, application_id):
            # It moves on now (or is already being changed in this transaction): the ORM,
            # after the confirmations audited so far (its own first, then its transition).
            self._audit(session)
            application = session.get(Application, application_id)
            if application is None:  # pragma: no cover - read just above, in this transaction
                raise workflow.ApplicationNotFound(application_id)
            application.registry_confirmed_at = at
            mark_registered_if_ready(session, application, at)
        else:
            self._pending[application_id] = (version, at)

    def settle(self, session: Session) -> None:
        """Write this round's remaining confirmations (the applications that do not move
        on) in one statement, each under the version it was read with, as the ORM would one
        by one (an application changed meanwhile fails the round: ``StaleDataError``)."""
        pending, self._pending = self._pending, {}
        rows = []
        for application_id, (version, at) in pending.items():
            if _loaded(session, application_id):  # loaded since by another confirmation
                application = session.get(Application, application_id)
                assert application is not None
                application.registry_confirmed_at = at
            else:
                rows.append({"b_id": application_id, "b_version": version,
                             "b_at": at, "b_next": version + 1})  # fmt: skip
        # After the loaded applications' changes: the audit's statements flush each of them
        # once, with all its changes.
        self._audit(session)
        if not rows:
            return
        table = cast(Table, Application.__table__)
        statement = (
            update(table)
            .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
            .values(registry_confirmed_at=bindparam("b_at"), version=bindparam("b_next"))
        )
        changed = session.connection().execute(statement, rows).rowcount
        if changed != len(rows):
            raise StaleDataError(
                f"{len(rows) - changed} of {len(rows)} applications changed while confirmed"
            )

    def _audit(self, session: Session) -> None:
        """Write the confirmations' audit events left so far, in order, together."""
        audits, self._audits = self._audits, []
        actor = Actor.system("outbox")
        # One statement per time confirmed (a round confirms all at one time).
        for at, group in groupby(audits, key=itemgetter(0)):
            audit.record_many(session, actor, [event for _, event in group], at=at)


def _loaded(session: Session, application_id: int) -> bool:
    return identity_key(Application, application_id) in session.identity_map


def confirm_by_other_means(
    session: Session,
    actor: Actor,
    application: Application,
    *,
    note: str,
    alert_id: int,
    at: datetime,
) -> bool:
    """A supervisor confirmed the identity with the civil registry by other means (resolving
    the alert of its message): recorded as the registry's confirmation, audited with the note,
    and the application moves on by the same rule as a delivered message. True when it became
    registered now."""
    if application.registry_confirmed_at is None:
        application.registry_confirmed_at = at
    audit.record(
        session, actor, "civil_registry.confirmed", "application", application.id,
        {"by_other_means": True, "alert": alert_id, "note": note}, at=at,
    )  # fmt: skip
    return mark_registered_if_ready(session, application, at)


def mark_registered_if_ready(session: Session, application: Application, at: datetime) -> bool:
    """Card produced and registry confirmed, in either order: the identity is e-Albania ready
    and the resident is told the card can be collected."""
    if application.registry_confirmed_at is None or application.state != State.CARD_PRODUCED:
        return False
    workflow.apply(session, Actor.system("outbox"), application, State.REGISTERED, at=at)
    notifications.enqueue_card_ready(session, application, at=at)
    return True
