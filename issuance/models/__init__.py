"""ORM models, one module per part of the domain; importing this package registers them all."""

from issuance.db.base import Base
from issuance.models.applicants import Applicant, PermitSnapshot
from issuance.models.applications import (
    Application,
    BiometricCapture,
    Coupon,
    Signature,
    UploadedDocument,
)
from issuance.models.audit import AuditEvent, AuditHead
from issuance.models.batches import Batch
from issuance.models.cards import Card
from issuance.models.offices import Desk, Office
from issuance.models.operators import LoginThrottle, Operator
from issuance.models.outbox import OutboxMessage
from issuance.models.sequences import Sequence

__all__ = [
    "Applicant",
    "Application",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Batch",
    "BiometricCapture",
    "Card",
    "Coupon",
    "Desk",
    "LoginThrottle",
    "Office",
    "Operator",
    "OutboxMessage",
    "PermitSnapshot",
    "Sequence",
    "Signature",
    "UploadedDocument",
]
