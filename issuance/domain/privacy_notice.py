"""The privacy notice the applicant reads and accepts at enrolment (as e-Albania and e-Kosova
ask their users to accept the privacy policy when they register).

The clerk shows it on the desk and records that the applicant accepted it; the application
keeps the version accepted (``Application.privacy_notice_version``). Change ``VERSION``
whenever the text changes, so every application says which words its applicant accepted.
"""

from __future__ import annotations

from issuance.labels import in_language

VERSION = "2026-12"

TEXT: dict[str, tuple[str, str]] = {
    VERSION: (
        "Drejtoria e Kufirit dhe Migracionit përpunon të dhënat tuaja personale (emrat, datën "
        "dhe vendin e lindjes, shtetësinë, pasaportën, lejen e qëndrimit, adresën dhe "
        "kontaktin), fotografinë, shenjat e gishtave, nënshkrimin dhe dokumentet e skanuara "
        "vetëm për të lëshuar kartën tuaj të qëndrimit, për ta regjistruar atë në Gjendjen "
        "Civile dhe për t'ju njoftuar kur karta është gati. Të dhënat biometrike ruhen të "
        "enkriptuara. Fotografia, shenjat e gishtave, nënshkrimi dhe skanimet e një aplikimi "
        "të refuzuar, të anuluar ose të dorëzuar prej kohësh fshihen pas afateve të caktuara "
        "nga zyra; regjistri i auditimit ruan vetëm faktin që u fshinë. Keni të drejtë të "
        "shihni dhe të korrigjoni të dhënat tuaja.",
        "The Border and Migration Directorate processes your personal data (names, date and "
        "place of birth, nationality, passport, residence permit, address and contact), your "
        "photo, fingerprints, signature and scanned documents only to issue your residence "
        "card, to register it with the civil registry and to tell you when the card is ready. "
        "Biometric data is stored encrypted. The photo, fingerprints, signature and scans of "
        "an application that was rejected, cancelled or handed over long ago are deleted after "
        "periods the office sets; the audit trail keeps only the fact that they were deleted. "
        "You have the right to see and correct your data.",
    ),
}


def notice_text(language: str, version: str = VERSION) -> str:
    """The notice of ``version`` in ``language`` (``sq`` or ``en``)."""
    return in_language(TEXT, version, language, default="")
