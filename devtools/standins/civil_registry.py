"""Stand-in of the civil registry: idempotent creation and reading of persons (OSIA shape),
one at a time or up to 100 at once.

Persons live in memory behind one lock. With a store path they are also written to SQLite
(committed before the answer is sent), so a crash test can count persons across restarts.
"""

from __future__ import annotations

import copy
import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

from devtools.standins.server import Reply, Request, error
from issuance.delivery.contracts import Operation


def _fingerprint(data: Any) -> str:
    return json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


class CivilRegistryService:
    contract_name = "civil_registry"

    def __init__(self, store: str | Path | None = None) -> None:
        self._lock = threading.Lock()
        self._persons: dict[str, tuple[str, dict[str, Any]]] = {}
        self._keys: dict[str, tuple[str, str]] = {}
        # (NID, document number) -> the revocation as first told (kept in memory only).
        self._revocations: dict[tuple[str, str], dict[str, Any]] = {}
        self._db: sqlite3.Connection | None = None
        if store is not None:
            self._open(Path(store))

    def _open(self, path: Path) -> None:
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS persons "
            "(nid TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, body TEXT NOT NULL)"
        )
        self._db.execute(
            "CREATE TABLE IF NOT EXISTS idempotency_keys "
            "(key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, nid TEXT NOT NULL)"
        )
        for nid, fingerprint, body in self._db.execute(
            "SELECT nid, fingerprint, body FROM persons"
        ):
            self._persons[nid] = (fingerprint, json.loads(body))
        for key, fingerprint, nid in self._db.execute("SELECT * FROM idempotency_keys"):
            self._keys[key] = (fingerprint, nid)

    def close(self) -> None:
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def hold_spelled_otherwise(self, nid: str, data: dict[str, Any], first_name: str) -> None:
        """Hold the person as if an earlier record spelled the given name otherwise: a later
        push of ``data`` is taken as already there, and its read-back shows the difference
        (for the demo's delivery alert)."""
        identity = {**data["identities"][0], "identityId": f"{nid}-1"}
        identity["biographicData"] = {**identity["biographicData"], "firstName": first_name}
        with self._lock:
            self._persons[nid] = (_fingerprint(data), {"personId": nid, **data,
                                                       "identities": [identity]})

    def person_count(self) -> int:
        with self._lock:
            return len(self._persons)

    def person(self, nid: str) -> dict[str, Any] | None:
        with self._lock:
            found = self._persons.get(nid)
        return copy.deepcopy(found[1]) if found else None

    def summary(self) -> dict[str, Any]:
        return {"persons": self.person_count(), "revocations": len(self.revocations())}

    def revocations(self) -> dict[tuple[str, str], dict[str, Any]]:
        with self._lock:
            return dict(self._revocations)

    def handle(self, op: Operation, request: Request) -> Reply:
        if op.operation_id == "readPerson":
            person = self.person(request.path_params["personId"])
            if person is None:
                return error(404, "PERSON_NOT_FOUND", "no person has this personal number")
            return Reply(200, person)
        if op.operation_id == "readPersons":
            return self._read_many(request.body["personIds"])
        if op.operation_id == "revokeDocument":
            return self._revoke(request.path_params["personId"],
                                request.path_params["documentNumber"], request.body)  # fmt: skip
        body = dict(request.body)
        # The contract puts personId either in the path (PUT) or in the body (POST).
        nid = request.path_params.get("personId") or body.pop("personId")
        body.setdefault("status", "ACTIVE")
        body.setdefault("physicalStatus", "ALIVE")
        return self._create(nid, body, request.headers.get("idempotency-key"))

    def _revoke(self, nid: str, document_number: str, body: dict[str, Any]) -> Reply:
        with self._lock:
            if nid not in self._persons:
                return error(404, "PERSON_NOT_FOUND", "no person has this personal number")
            first = self._revocations.setdefault((nid, document_number), {
                "personId": nid, "documentNumber": document_number,
                "reason": body["reason"], "revokedAt": body["revokedAt"],
            })  # fmt: skip
        return Reply(200, dict(first))

    def _read_many(self, nids: list[str]) -> Reply:
        """Each person as ``readPerson`` answers it, in the order asked; one look under the
        lock, so the answer is one moment of the registry."""
        with self._lock:
            found = [(nid, self._persons.get(nid)) for nid in nids]
        return Reply(200, {
            "persons": [copy.deepcopy(held[1]) for _, held in found if held is not None],
            "notFound": [nid for nid, held in found if held is None],
        })  # fmt: skip

    def _create(self, nid: str, data: dict[str, Any], key: str | None) -> Reply:
        fingerprint = _fingerprint(data)
        keyed = _fingerprint({"personId": nid, **data})
        with self._lock:
            if key is not None and key in self._keys:
                if self._keys[key][0] != keyed:
                    return error(
                        409,
                        "IDEMPOTENCY_KEY_REUSED",
                        "this Idempotency-Key was used for another request",
                    )
                return Reply(200, copy.deepcopy(self._persons[self._keys[key][1]][1]))
            existing = self._persons.get(nid)
            if existing is not None and existing[0] != fingerprint:
                return error(
                    409,
                    "PERSON_CONFLICT",
                    "a person with this personal number exists with different data",
                )
            status = 200
            if existing is None:
                person = {"personId": nid, **copy.deepcopy(data)}
                for i, identity in enumerate(person["identities"], start=1):
                    identity.setdefault("identityId", f"{nid}-{i}")
                self._persons[nid] = (fingerprint, person)
                status = 201
            self._persist(nid, key, keyed, status == 201)
            return Reply(status, copy.deepcopy(self._persons[nid][1]))

    def _persist(self, nid: str, key: str | None, keyed: str, created: bool) -> None:
        if key is not None:
            self._keys[key] = (keyed, nid)
        if self._db is None:
            return
        with self._db:
            self._db.execute("BEGIN")
            if created:
                fingerprint, person = self._persons[nid]
                self._db.execute(
                    "INSERT INTO persons VALUES (?, ?, ?)",
                    (nid, fingerprint, json.dumps(person, ensure_ascii=False)),
                )
            if key is not None:
                self._db.execute(
                    "INSERT OR IGNORE INTO idempotency_keys VALUES (?, ?, ?)", (key, keyed, nid)
                )
