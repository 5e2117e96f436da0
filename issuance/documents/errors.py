"""Refusals met while producing a document: each says in words what is wrong with the input."""

from __future__ import annotations

from issuance.errors import IssuanceError


class DocumentError(IssuanceError):
    """Base of every refusal to render a card face, a receipt or a manifest."""


class MissingPhoto(DocumentError):
    def __init__(self) -> None:
        super().__init__(
            "Mungon fotografia e aplikantit: dokumenti nuk mund të prodhohet pa foto.",
            "The applicant's photo is missing: the document cannot be produced without it.",
        )


class InvalidImage(DocumentError):
    def __init__(self, what_sq: str, what_en: str, expected: str) -> None:
        super().__init__(
            f"{what_sq} nuk është një imazh {expected} i lexueshëm.",
            f"The {what_en} is not a readable {expected} image.",
        )


class MissingField(DocumentError):
    def __init__(self, field: str) -> None:
        super().__init__(
            f"Fusha '{field}' është bosh: dokumenti nuk mund të prodhohet.",
            f"The field '{field}' is empty: the document cannot be produced.",
        )


class FieldTooLong(DocumentError):
    def __init__(self, field: str, max_lines: int) -> None:
        super().__init__(
            f"Teksti i fushës '{field}' nuk nxë në {max_lines} rreshta as me germat më të vogla "
            "të lejuara.",
            f"The text of field '{field}' does not fit on {max_lines} line(s) even at the "
            "smallest allowed size.",
        )


class InvalidMrz(DocumentError):
    def __init__(self, reason_en: str) -> None:
        super().__init__(
            "Zona e lexueshme nga makina (MRZ) duhet të ketë 3 rreshta me nga 30 shenja "
            "A-Z, 0-9 ose '<'.",
            f"The machine readable zone must be 3 lines of 30 characters A-Z, 0-9 or '<' "
            f"({reason_en}).",
        )


class InvalidBarcodeValue(DocumentError):
    def __init__(self, field: str) -> None:
        super().__init__(
            f"Vlera e fushës '{field}' nuk mund të shkruhet si barkod Code 128 "
            "(lejohen vetëm shenja ASCII, deri në 40).",
            f"The value of field '{field}' cannot be written as a Code 128 barcode "
            "(printable ASCII only, at most 40 characters).",
        )


class InvalidDocumentNumber(DocumentError):
    def __init__(self) -> None:
        super().__init__(
            "Numri i dokumentit duhet të ketë 9 shenja A-Z ose 0-9.",
            "The document number must be 9 characters A-Z or 0-9.",
        )


class LayoutError(DocumentError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Shablloni i kartës është i pavlefshëm: {detail}",
            f"The card layout template is invalid: {detail}",
        )
