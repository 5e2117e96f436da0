"""Client of FER, the register of foreigners (residence permits)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, overload

from issuance.delivery.clients.errors import (
    MalformedResponse,
    PermitExpired,
    PermitHolderHasCard,
    PermitNotFound,
    PermitRevoked,
)
from issuance.delivery.clients.http import Answer, ServiceClient, segment
from issuance.labels import in_language

_PERMIT = re.compile(r"^[A-Z0-9]{6,16}$")
_PASSPORT = re.compile(r"^[A-Z0-9]{5,15}$")
_NATIONALITY = re.compile(r"^[A-Z][A-Z<]{2}$")


@overload
def _nfc(value: str) -> str: ...
@overload
def _nfc(value: None) -> None: ...
def _nfc(value: str | None) -> str | None:
    return unicodedata.normalize("NFC", value) if value is not None else None


@dataclass(frozen=True)
class PermitRecord:
    """A permit as FER spells it: text NFC-normalised, never transliterated or trimmed."""

    permit_number: str
    surname: str
    given_names: str
    father_name: str | None
    mother_name: str | None
    sex: str
    birth_date: dt.date
    place_of_birth: str | None
    nationality: str
    passport_number: str
    address_in_albania: str | None
    permit_type: str
    valid_from: dt.date
    valid_until: dt.date
    status: str  # VALID | EXPIRED | REVOKED
    nid: str | None
    holds_valid_card: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PermitRecord:
        return cls(
            permit_number=data["permitNumber"],
            surname=_nfc(data["surname"]),
            given_names=_nfc(data["givenNames"]),
            father_name=_nfc(data.get("fatherName")),
            mother_name=_nfc(data.get("motherName")),
            sex=data["sex"],
            birth_date=dt.date.fromisoformat(data["birthDate"]),
            place_of_birth=_nfc(data.get("placeOfBirth")),
            nationality=data["nationality"],
            passport_number=data["passportNumber"],
            address_in_albania=_nfc(data.get("addressInAlbania")),
            permit_type=data["permitType"],
            valid_from=dt.date.fromisoformat(data["validFrom"]),
            valid_until=dt.date.fromisoformat(data["validUntil"]),
            status=data["status"],
            nid=data.get("nid"),
            holds_valid_card=data["holdsValidCard"],
        )


# The register's codes (contracts/fer.yaml) as the operator reads them (Albanian, English).
PERMIT_TYPE_NAMES: dict[str, tuple[str, str]] = {
    "TEMPORARY_WORK": ("e përkohshme për punë", "temporary, for work"),
    "TEMPORARY_FAMILY": ("e përkohshme për bashkim familjar", "temporary, for family reunion"),
    "TEMPORARY_STUDY": ("e përkohshme për studime", "temporary, for study"),
    "TEMPORARY_OTHER": ("e përkohshme për arsye të tjera", "temporary, for other reasons"),
    "PERMANENT": ("e përhershme", "permanent"),
}
PERMIT_STATUS_NAMES: dict[str, tuple[str, str]] = {
    "VALID": ("e vlefshme", "valid"),
    "EXPIRED": ("e skaduar", "expired"),
    "REVOKED": ("e revokuar", "revoked"),
}


def permit_type_name(permit_type: str, language: str) -> str:
    # Snapshots taken before the register coded its types hold words already: shown as kept.
    code = permit_type.strip().upper()
    return in_language(PERMIT_TYPE_NAMES, code, language, default=permit_type)


def permit_status_name(status: str, language: str) -> str:
    return in_language(PERMIT_STATUS_NAMES, status.strip().upper(), language, default=status)


def check_eligible(record: PermitRecord, today: dt.date | None = None) -> None:
    """Raise the refusal that stops a card being issued on this permit, if any."""
    today = today or dt.date.today()
    if record.status == "REVOKED":
        raise PermitRevoked(record.permit_number)
    if record.status == "EXPIRED" or record.valid_until < today:
        raise PermitExpired(record.permit_number)
    if record.holds_valid_card:
        raise PermitHolderHasCard(record.permit_number)


class FerClient(ServiceClient):
    service = ("FER (regjistri i të huajve)", "FER (foreigners' register)")
    contract_name = "fer"

    def by_permit(self, permit_number: str, *, require_eligible: bool = True) -> PermitRecord:
        """The permit with this number; by default refuses expired/revoked/already carded."""
        number = permit_number.strip().upper()
        if not _PERMIT.match(number):
            raise PermitNotFound(number)
        answer = self.call("getPermitByNumber", f"/permits/{segment(number)}")
        return self._record(number, answer, require_eligible)

    def by_passport(
        self, passport_number: str, nationality: str, *, require_eligible: bool = True
    ) -> PermitRecord:
        """The latest permit of the holder of this passport (nationality: ICAO code)."""
        passport = passport_number.strip().upper()
        nation = nationality.strip().upper()
        if len(nation) == 1:
            nation = nation.ljust(3, "<")  # Germany's ICAO code D is written D<<
        label = f"{passport} ({nation})"
        if not (_PASSPORT.match(passport) and _NATIONALITY.match(nation)):
            raise PermitNotFound(label)
        answer = self.call(
            "getPermitByPassport", f"/passports/{segment(nation)}/{segment(passport)}/permit"
        )
        return self._record(label, answer, require_eligible)

    def report_card_revoked(
        self, permit_number: str, document_number: str, reason: str, revoked_at: dt.datetime
    ) -> dict[str, Any]:
        """Tell FER the card issued on this permit was revoked. Idempotent."""
        answer = self.call(
            "reportCardRevoked",
            f"/permits/{segment(permit_number)}/cards/{segment(document_number)}/revocation",
            json={"reason": reason, "revokedAt": revoked_at.isoformat()},
        )
        if answer.status == 404:
            raise PermitNotFound(permit_number)
        if answer.status != 200:
            raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
        return dict(answer.body)

    def _record(self, label: str, answer: Answer, require_eligible: bool) -> PermitRecord:
        if answer.status == 404:
            raise PermitNotFound(label)
        if answer.status != 200:
            raise MalformedResponse(self.service, f"unexpected answer {answer.status}")
        record = self.parsed(lambda: PermitRecord.from_json(answer.body))
        if require_eligible:
            check_eligible(record)
        return record
