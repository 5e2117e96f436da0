"""Refusals raised while building, signing, reading or verifying a card's chip."""

from __future__ import annotations

from issuance.errors import IssuanceError


class ChipDataInvalid(IssuanceError):
    """The data handed over for the chip cannot be encoded."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Të dhënat për çipin janë të pavlefshme: {detail}",
            f"The chip data is invalid: {detail}",
        )
        self.detail = detail


class KeysAlreadyExist(IssuanceError):
    """Key generation would overwrite existing signing keys."""

    def __init__(self, folder: str) -> None:
        super().__init__(
            f"Çelësat ekzistojnë tashmë në {folder}; nuk mbishkruhen pa kërkesë të qartë.",
            f"Keys already exist in {folder}; they are not overwritten unless asked.",
        )


class SigningKeyUnavailable(IssuanceError):
    """The Document Signer's key or certificate cannot be loaded."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Çelësi i nënshkrimit të dokumenteve nuk mund të lexohet: {detail}",
            f"The document signing key cannot be loaded: {detail}",
        )


class BacAuthenticationFailed(IssuanceError):
    """Basic Access Control failed: wrong MRZ data, or a chip that is not ours."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            "Çipi nuk pranoi çelësin e hyrjes (BAC). Kontrolloni numrin e dokumentit, "
            "datën e lindjes dhe datën e skadimit.",
            "The chip refused the access key (BAC). Check the document number, "
            f"birth date and expiry date. ({detail})",
        )
        self.detail = detail


class SecureMessagingFailed(IssuanceError):
    """A secure-messaging response was malformed or its MAC did not verify."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Komunikimi i mbrojtur me çipin dështoi: {detail}",
            f"Secure messaging with the chip failed: {detail}",
        )
        self.detail = detail


class ChipContentMalformed(IssuanceError):
    """A file read from the chip is not a well-formed LDS structure."""

    def __init__(self, detail: str) -> None:
        super().__init__(
            f"Përmbajtja e çipit është e dëmtuar: {detail}",
            f"The chip content is malformed: {detail}",
        )
        self.detail = detail
