"""ORM models, one module per part of the domain; importing this package registers them all."""

from issuance.db.base import Base
from issuance.db.models.applicants import Applicant, PermitSnapshot
from issuance.db.models.applications import (
    Application,
    BiometricCapture,
    Coupon,
    Signature,
    UploadedDocument,
)
from issuance.db.models.audit import AuditEvent, AuditHead
from issuance.db.models.batches import Batch
from issuance.db.models.cards import Card, CardReplacement
from issuance.db.models.dedup import DuplicateDecision, FaceTemplate, FingerTemplate
from issuance.db.models.offices import Desk, NidBlock, Office
from issuance.db.models.operators import LoginThrottle, Operator
from issuance.db.models.outbox import OutboxMessage
from issuance.db.models.sequences import Sequence
from issuance.db.models.stock import Blank, BlankBox, BlankStockLevel

__all__ = [
    "Applicant",
    "Application",
    "AuditEvent",
    "AuditHead",
    "Base",
    "Batch",
    "BiometricCapture",
    "Blank",
    "BlankBox",
    "BlankStockLevel",
    "Card",
    "CardReplacement",
    "Coupon",
    "Desk",
    "DuplicateDecision",
    "FaceTemplate",
    "FingerTemplate",
    "LoginThrottle",
    "NidBlock",
    "Office",
    "Operator",
    "OutboxMessage",
    "PermitSnapshot",
    "Sequence",
    "Signature",
    "UploadedDocument",
]
