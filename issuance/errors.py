"""The refusals a clerk can meet, each carrying its message in Albanian and English.

Every kind of refusal is its own subclass so callers can react to it precisely; the UI
only ever shows ``error.message(language)``.
"""

from __future__ import annotations


class IssuanceError(Exception):
    """Base of every refusal that is shown to an operator."""

    def __init__(self, sq: str, en: str) -> None:
        super().__init__(en)
        self.sq = sq
        self.en = en

    def message(self, language: str = "sq") -> str:
        return self.sq if language == "sq" else self.en


class CouponRecordedForOther(IssuanceError):
    """The coupon is already bound, on this system, to another application."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Kuponi {code} është regjistruar tashmë për një aplikim tjetër. "
            "Një kupon mund të mbështesë vetëm një aplikim.",
            f"Coupon {code} is already recorded for another application. "
            "A coupon can back only one application.",
        )
        self.coupon_code = code


class ApplicationHasCoupon(IssuanceError):
    """A second coupon scanned onto an application that already has one."""

    def __init__(self, existing: str, code: str) -> None:
        super().__init__(
            f"Ky aplikim ka tashmë kuponin {existing}; nuk mund t'i shtohet një kupon i dytë. "
            f"Kuponi {code} nuk u rezervua dhe mbetet i lirë për një aplikim tjetër.",
            f"This application already has coupon {existing}; a second coupon cannot be added. "
            f"Coupon {code} was not reserved and stays free for another application.",
        )
        self.existing, self.coupon_code = existing, code


class CouponBeingReleased(IssuanceError):
    """An earlier reservation of this coupon for this application is still being released."""

    def __init__(self, code: str) -> None:
        super().__init__(
            f"Rezervimi i mëparshëm i kuponit {code} për këtë aplikim po lirohet në postë. "
            "Provoni përsëri pas pak.",
            f"The earlier reservation of coupon {code} for this application is still being "
            "released at the post office. Try again shortly.",
        )
        self.coupon_code = code


class UnknownCardType(IssuanceError):
    def __init__(self, card_type: str) -> None:
        super().__init__(
            f"Lloji i kartës «{card_type}» nuk njihet; kuponi nuk mund të verifikohet.",
            f"Unknown card type '{card_type}'; the coupon cannot be verified.",
        )
        self.card_type = card_type
