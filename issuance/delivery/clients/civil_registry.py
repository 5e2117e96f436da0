"""Client of the civil registry (OSIA-shaped persons): idempotent create, read back (one
person, or up to 100 in one round trip)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from issuance.delivery.clients.errors import (
    MalformedResponse,
    PersonConflict,
    PersonKeyReused,
    PersonNotFound,
    ServiceRejectedRequest,
)
from issuance.delivery.clients.http import ServiceClient, error_code, segment


def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value is not None else None


@dataclass(frozen=True)
class BiographicData:
    """OSIA `biographicData` of one identity. Sent in NFC, as FER spells the names; read
    exactly as the registry answers, so a comparison sees any change of a single byte."""

    first_name: str
    last_name: str
    date_of_birth: dt.date
    gender: str  # M | F
    nationality: str  # ICAO 3-letter code
    father_name: str | None = None
    mother_name: str | None = None
    place_of_birth: str | None = None
    passport_number: str | None = None
    address: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "firstName": _nfc(self.first_name),
            "lastName": _nfc(self.last_name),
            "dateOfBirth": self.date_of_birth.isoformat(),
            "gender": self.gender,
            "nationality": self.nationality,
        }
        optional = {
            "fatherName": _nfc(self.father_name),
            "motherName": _nfc(self.mother_name),
            "placeOfBirth": _nfc(self.place_of_birth),
            "passportNumber": self.passport_number,
            "address": _nfc(self.address),
        }
        data.update({k: v for k, v in optional.items() if v})
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> BiographicData:
        # No normalisation here: a registry answering "C\u0327ela" for "\u00c7ela" holds a
        # name e-Albania will not match, and read-back must see it.
        return cls(
            first_name=data["firstName"],
            last_name=data["lastName"],
            date_of_birth=dt.date.fromisoformat(data["dateOfBirth"]),
            gender=data["gender"],
            nationality=data["nationality"],
            father_name=data.get("fatherName"),
            mother_name=data.get("motherName"),
            place_of_birth=data.get("placeOfBirth"),
            passport_number=data.get("passportNumber"),
            address=data.get("address"),
        )


@dataclass(frozen=True)
class PersonData:
    """What the desk registers for a new card holder."""

    biographic: BiographicData
    permit_number: str | None = None
    document_number: str | None = None
    office: str | None = None
    enrollment_date: dt.date | None = None

    def to_json(self) -> dict[str, Any]:
        contextual = {
            "residencePermitNumber": self.permit_number,
            "documentNumber": self.document_number,
            "office": self.office,
            "enrollmentDate": self.enrollment_date.isoformat() if self.enrollment_date else None,
        }
        identity: dict[str, Any] = {"status": "VALID", "biographicData": self.biographic.to_json()}
        contextual = {k: v for k, v in contextual.items() if v}
        if contextual:
            identity["contextualData"] = contextual
        return {"status": "ACTIVE", "physicalStatus": "ALIVE", "identities": [identity]}


@dataclass(frozen=True)
class RegistryPerson:
    """A person as the civil registry holds it; `created` is false when it already existed."""

    nid: str
    status: str
    physical_status: str
    biographic: BiographicData
    raw: dict[str, Any]
    created: bool = False

    @classmethod
    def from_json(cls, data: dict[str, Any], created: bool = False) -> RegistryPerson:
        current = _current_identity(data)
        return cls(
            data["personId"],
            data["status"],
            data["physicalStatus"],
            BiographicData.from_json(current["biographicData"]),
            data,
            created,
        )

    @property
    def contextual(self) -> dict[str, Any]:
        """The `contextualData` of the current identity, as the registry answered it."""
        return dict(_current_identity(self.raw).get("contextualData") or {})


def _current_identity(data: dict[str, Any]) -> dict[str, Any]:
    identities = data["identities"]
    return next((i for i in identities if i["status"] == "VALID"), identities[0])


class CivilRegistryClient(ServiceClient):
    service = ("Regjistri Civil", "civil registry")
    contract_name = "civil_registry"
    # False once the registry answered `readPersons` with 404 or 405 (not offered there).
    _reads_many = True

    def create_person(
        self, nid: str, person: PersonData, idempotency_key: str | None = None
    ) -> RegistryPerson:
        """Create the person under `nid`; a repeat returns the same person, never a second.

        Raises PersonConflict when the NID exists with different data, PersonKeyReused when
        `idempotency_key` was used for another request.
        """
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        answer = self.call(
            "createPersonWithId", f"/persons/{segment(nid)}", json=person.to_json(), headers=headers
        )
        if answer.status in (200, 201):
            created = answer.status == 201
            return self.parsed(lambda: RegistryPerson.from_json(answer.body, created=created))
        if answer.status == 409 and error_code(answer) == "IDEMPOTENCY_KEY_REUSED":
            raise PersonKeyReused(nid)
        if answer.status == 409:
            raise PersonConflict(nid)
        raise MalformedResponse(
            self.service, f"unexpected answer {answer.status} {error_code(answer)}"
        )

    # The most persons one `readPersons` request may name (the contract's maxItems).
    READ_MANY_MAX = 100

    def read_persons(self, nids: Sequence[str]) -> dict[str, RegistryPerson | None]:
        """The persons under `nids` (None for those the registry does not hold), read in one
        round trip per `READ_MANY_MAX`; each exactly as `get_person` would read it."""
        wanted = list(dict.fromkeys(nids))
        found: dict[str, RegistryPerson | None] = {}
        for start in range(0, len(wanted), self.READ_MANY_MAX):
            chunk = wanted[start : start + self.READ_MANY_MAX]
            if self._reads_many:
                try:
                    answer = self.call("readPersons", "/persons:read", json={"personIds": chunk})
                except ServiceRejectedRequest as refused:
                    if refused.status not in (404, 405):
                        raise
                    # A registry without the batch read yet: one GET each, from now on.
                    self._reads_many = False
                else:
                    if answer.status != 200:
                        raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
                    found.update(self.parsed(partial(self._read_many, chunk, answer.body)))
                    continue
            found.update((nid, self._person_or_none(nid)) for nid in chunk)
        return found

    def _person_or_none(self, nid: str) -> RegistryPerson | None:
        try:
            return self.get_person(nid)
        except PersonNotFound:
            return None

    def _read_many(
        self, asked: list[str], body: dict[str, Any]
    ) -> dict[str, RegistryPerson | None]:
        persons = [RegistryPerson.from_json(p) for p in body["persons"]]
        missing = list(body["notFound"])
        answered = [p.nid for p in persons] + missing
        # Every NID asked answered once, nothing else: a registry that answers another
        # person, or the same one twice, gives no read-back to trust.
        if sorted(answered) != sorted(asked):
            raise ValueError("the persons answered are not the persons asked for")
        return {**{p.nid: p for p in persons}, **dict.fromkeys(missing)}

    def get_person(self, nid: str) -> RegistryPerson:
        answer = self.call("readPerson", f"/persons/{segment(nid)}")
        if answer.status == 200:
            return self.parsed(lambda: RegistryPerson.from_json(answer.body))
        if answer.status == 404:
            raise PersonNotFound(nid)
        raise MalformedResponse(self.service, f"unexpected answer {answer.status}")

    def revoke_document(
        self, nid: str, document_number: str, reason: str, revoked_at: dt.datetime
    ) -> dict[str, Any]:
        """Record at the registry that the card ``document_number`` of ``nid`` was revoked
        (``reason``: LOST, STOLEN, PERMIT_REVOKED, FRAUD, DEATH). Idempotent."""
        answer = self.call(
            "revokeDocument", f"/persons/{segment(nid)}/documents/{segment(document_number)}"
            "/revocation", json={"reason": reason, "revokedAt": revoked_at.isoformat()},
        )  # fmt: skip
        if answer.status == 200:
            return dict(answer.body)
        if answer.status == 404:
            raise PersonNotFound(nid)
        raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
