"""Printed documents: the card face, the application receipt and the batch manifest (PDF)."""

from __future__ import annotations

from issuance.documents.card_face import render_card_face
from issuance.documents.data import (
    BatchManifest,
    CardFaceData,
    Decision,
    ManifestRow,
    ReceiptData,
)
from issuance.documents.errors import (
    DocumentError,
    FieldTooLong,
    InvalidBarcodeValue,
    InvalidDocumentNumber,
    InvalidImage,
    InvalidMrz,
    LayoutError,
    MissingField,
    MissingPhoto,
)
from issuance.documents.layout import CardLayout, load_layout
from issuance.documents.manifest import render_batch_manifest
from issuance.documents.receipt import render_receipt

__all__ = [
    "BatchManifest",
    "CardFaceData",
    "CardLayout",
    "Decision",
    "DocumentError",
    "FieldTooLong",
    "InvalidBarcodeValue",
    "InvalidDocumentNumber",
    "InvalidImage",
    "InvalidMrz",
    "LayoutError",
    "ManifestRow",
    "MissingField",
    "MissingPhoto",
    "ReceiptData",
    "load_layout",
    "render_batch_manifest",
    "render_card_face",
    "render_receipt",
]
