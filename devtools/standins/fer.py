"""Stand-in of FER, the register of foreigners: residence permits by number or passport."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from devtools.standins.server import Reply, Request, error
from issuance.delivery.contracts import Operation


@dataclass(frozen=True)
class PermitEntry:
    """One permit as the register stores it; `status` is computed per request."""

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
    address: str | None
    permit_type: str
    valid_from: dt.date
    valid_until: dt.date
    revoked: bool = False
    nid: str | None = None
    holds_valid_card: bool = False

    def status(self, today: dt.date) -> str:
        if self.revoked:
            return "REVOKED"
        return "EXPIRED" if self.valid_until < today else "VALID"

    def to_json(self, today: dt.date) -> dict[str, Any]:
        data: dict[str, Any] = {
            "permitNumber": self.permit_number,
            "surname": self.surname,
            "givenNames": self.given_names,
            "sex": self.sex,
            "birthDate": self.birth_date.isoformat(),
            "nationality": self.nationality,
            "passportNumber": self.passport_number,
            "permitType": self.permit_type,
            "validFrom": self.valid_from.isoformat(),
            "validUntil": self.valid_until.isoformat(),
            "status": self.status(today),
            "holdsValidCard": self.holds_valid_card,
        }
        optional = {
            "fatherName": self.father_name,
            "motherName": self.mother_name,
            "placeOfBirth": self.place_of_birth,
            "addressInAlbania": self.address,
            "nid": self.nid,
        }
        data.update({k: v for k, v in optional.items() if v})
        return data


class FerService:
    contract_name = "fer"

    def __init__(
        self, permits: Iterable[PermitEntry] = (), today: Callable[[], dt.date] = dt.date.today
    ) -> None:
        self._lock = threading.Lock()
        self._permits = {p.permit_number: p for p in permits}
        self._today = today
        # (permit number, document number) -> the revocation as first told.
        self._card_revocations: dict[tuple[str, str], dict[str, Any]] = {}

    def add(self, permit: PermitEntry) -> None:
        with self._lock:
            self._permits[permit.permit_number] = permit

    def revoke(self, permit_number: str) -> None:
        """Test hook: the directorate revoked this permit (FER answers REVOKED from now on)."""
        with self._lock:
            self._permits[permit_number] = replace(self._permits[permit_number], revoked=True)

    def end(self, permit_number: str, on: dt.date) -> None:
        """Test hook: the permit's validity was cut short to end on ``on``."""
        with self._lock:
            self._permits[permit_number] = replace(self._permits[permit_number], valid_until=on)

    def card_revocations(self) -> dict[tuple[str, str], dict[str, Any]]:
        with self._lock:
            return dict(self._card_revocations)

    def permits(self) -> list[PermitEntry]:
        with self._lock:
            return list(self._permits.values())

    def summary(self) -> dict[str, Any]:
        today = self._today()
        statuses = [p.status(today) for p in self.permits()]
        return {"permits": len(statuses), **{s.lower(): statuses.count(s) for s in set(statuses)}}

    def handle(self, op: Operation, request: Request) -> Reply:
        params = request.path_params
        if op.operation_id == "reportCardRevoked":
            return self._card_revoked(params["permitNumber"], params["documentNumber"],
                                      request.body)  # fmt: skip
        with self._lock:
            if op.operation_id == "getPermitByNumber":
                found = self._permits.get(params["permitNumber"])
            else:
                matches = [
                    p
                    for p in self._permits.values()
                    if p.passport_number == params["passportNumber"]
                    and p.nationality == params["nationality"]
                ]
                found = max(matches, key=lambda p: p.valid_from, default=None)
        if found is None:
            return error(404, "PERMIT_NOT_FOUND", "no residence permit matches")
        return Reply(200, found.to_json(self._today()))

    def _card_revoked(
        self, permit_number: str, document_number: str, body: dict[str, Any]
    ) -> Reply:
        with self._lock:
            permit = self._permits.get(permit_number)
            if permit is None:
                return error(404, "PERMIT_NOT_FOUND", "no residence permit matches")
            key = (permit_number, document_number)
            first = self._card_revocations.setdefault(key, {
                "permitNumber": permit_number, "documentNumber": document_number,
                "reason": body["reason"], "revokedAt": body["revokedAt"],
            })  # fmt: skip
            self._permits[permit_number] = replace(permit, holds_valid_card=False)
        return Reply(200, {**first, "holdsValidCard": False})
