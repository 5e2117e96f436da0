"""Client of the civil registry (OSIA-shaped persons): idempotent create, read back."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from typing import Any

from issuance.integrations.errors import (
    MalformedResponse,
    PersonConflict,
    PersonKeyReused,
    PersonNotFound,
)
from issuance.integrations.http import ServiceClient, error_code, segment


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

    def get_person(self, nid: str) -> RegistryPerson:
        answer = self.call("readPerson", f"/persons/{segment(nid)}")
        if answer.status == 200:
            return self.parsed(lambda: RegistryPerson.from_json(answer.body))
        if answer.status == 404:
            raise PersonNotFound(nid)
        raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
