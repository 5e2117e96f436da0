"""Telling the civil registry and FER that a residence card was revoked, through the outbox.

The revocation is written in the transaction that revokes the card (``services.card_lifecycle``)
as two messages, one per register, each keyed by the document number: told once, repeated
safely (both registers answer a repeat with the revocation they already hold).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from issuance.delivery import outbox
from issuance.delivery.clients import CivilRegistryClient, FerClient
from issuance.delivery.outbox import Claimed

CIVIL_REGISTRY = "civil_registry.revoke_card"
FER = "fer.card_revoked"

# The registers' codes (contracts: RevocationReason) for the reasons a card is revoked.
REGISTER_REASONS = {
    "lost": "LOST",
    "stolen": "STOLEN",
    "permit_revoked": "PERMIT_REVOKED",
    "fraud": "FRAUD",
    "death": "DEATH",
}


def enqueue_revocation(
    session: Session,
    *,
    nid: str | None,
    permit_number: str | None,
    document_number: str,
    reason: str,
    at: datetime,
) -> None:
    """Both registers' messages, inside the caller's transaction."""
    payload: dict[str, Any] = {
        "document_number": document_number, "reason": REGISTER_REASONS[reason],
        "revoked_at": at.isoformat(),
    }  # fmt: skip
    if nid:
        outbox.enqueue(session, CIVIL_REGISTRY, document_number, {**payload, "nid": nid}, at=at)
    if permit_number:
        outbox.enqueue(
            session, FER, document_number, {**payload, "permit_number": permit_number}, at=at
        )


class CivilRegistryRevocationHandler(outbox.BaseHandler):
    def __init__(self, client: CivilRegistryClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.revoke_document(
            p["nid"], p["document_number"], p["reason"], datetime.fromisoformat(p["revoked_at"])
        )


class FerRevocationHandler(outbox.BaseHandler):
    def __init__(self, client: FerClient) -> None:
        self._client = client

    def deliver(self, message: Claimed) -> Any:
        p = message.payload
        return self._client.report_card_revoked(
            p["permit_number"], p["document_number"], p["reason"],
            datetime.fromisoformat(p["revoked_at"]),
        )  # fmt: skip
