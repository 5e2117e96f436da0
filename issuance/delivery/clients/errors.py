"""Refusals and failures of the remote registers, worded for the clerk (sq / en)."""

from __future__ import annotations

from issuance.errors import IssuanceError


class RemoteServiceError(IssuanceError):
    """A remote register could not give a usable answer. `retryable`: trying later may work.

    `permanent`: the same request will be refused however often it is sent (a wrong API key,
    a request the service rejects, a certificate this desk does not trust) until someone
    changes the configuration; the outbox then stops and raises an alert instead of retrying.
    Neither flag (a garbled answer): the outbox retries with back-off, the clerk is told to
    call the administrator.

    `service` is the (Albanian, English) name of the register.
    """

    retryable = False
    permanent = False

    def __init__(self, service: tuple[str, str], sq: str, en: str) -> None:
        super().__init__(sq, en)
        self.service = service[1]


class ServiceUnavailable(RemoteServiceError):
    retryable = True

    def __init__(self, service: tuple[str, str]) -> None:
        super().__init__(
            service,
            f"Shërbimi «{service[0]}» nuk është i arritshëm tani. Provoni përsëri pas pak.",
            f"The {service[1]} service cannot be reached right now. Try again shortly.",
        )


class ServiceTimeout(ServiceUnavailable):
    def __init__(self, service: tuple[str, str]) -> None:
        RemoteServiceError.__init__(
            self,
            service,
            f"Shërbimi «{service[0]}» nuk u përgjigj në kohë. Provoni përsëri pas pak.",
            f"The {service[1]} service did not answer in time. Try again shortly.",
        )


class ServiceFailed(RemoteServiceError):
    """The service answered with a server error (5xx)."""

    retryable = True

    def __init__(self, service: tuple[str, str], status: int) -> None:
        super().__init__(
            service,
            f"Shërbimi «{service[0]}» pati një gabim (HTTP {status}). Provoni përsëri më vonë.",
            f"The {service[1]} service failed (HTTP {status}). Try again later.",
        )
        self.status = status


class MalformedResponse(RemoteServiceError):
    """The answer was not JSON or did not follow the contract: not retried blindly by the
    clerk; the outbox tries again with back-off, as a proxy's truncated answer passes."""

    def __init__(self, service: tuple[str, str], detail: str) -> None:
        super().__init__(
            service,
            f"Shërbimi «{service[0]}» ktheu një përgjigje të pavlefshme. Njoftoni administratorin.",
            f"The {service[1]} service returned an invalid answer. Tell the administrator.",
        )
        self.detail = detail


class ServiceBusy(ServiceUnavailable):
    """408, 425 or 429: the service asks to be called again later."""

    def __init__(self, service: tuple[str, str], status: int) -> None:
        RemoteServiceError.__init__(
            self,
            service,
            f"Shërbimi «{service[0]}» është i ngarkuar (HTTP {status}). Provoni përsëri pas pak.",
            f"The {service[1]} service is busy (HTTP {status}). Try again shortly.",
        )
        self.status = status


class ServiceRejectedRequest(RemoteServiceError):
    """400/401/403/405 or an undocumented 4xx (a 404 on a wrong base URL): a configuration or
    programming fault, not the clerk's, that no retry cures."""

    permanent = True

    def __init__(self, service: tuple[str, str], status: int, code: str) -> None:
        # The service's own code (UNAUTHORIZED, INVALID_REQUEST...) stays on the exception
        # for the log; the operator reads what it means and what to do.
        sq_why, en_why = _REJECTION_REASONS.get(
            status, (f"HTTP {status}", f"HTTP {status}")
        )  # fmt: skip
        super().__init__(
            service,
            f"Shërbimi «{service[0]}» refuzoi kërkesën: {sq_why}. Njoftoni administratorin.",
            f"The {service[1]} service refused the request: {en_why}. Tell the administrator.",
        )
        self.status = status
        self.code = code


_REJECTION_REASONS = {
    400: ("kërkesa nuk ishte në formën që pret (HTTP 400)",
          "the request was not in the form it expects (HTTP 400)"),
    401: ("çelësi i këtij sporteli mungon ose është i gabuar (HTTP 401)",
          "this desk's key is missing or wrong (HTTP 401)"),
    403: ("ky sportel nuk lejohet (HTTP 403)", "this desk is not allowed (HTTP 403)"),
    404: ("adresa nuk është e shërbimit (HTTP 404)",
          "the address is not the service's (HTTP 404)"),
    405: ("adresa nuk është e shërbimit (HTTP 405)",
          "the address is not the service's (HTTP 405)"),
}  # fmt: skip


class ServiceTlsFailed(RemoteServiceError):
    """The TLS handshake failed: the service's certificate is not trusted by this desk (wrong
    or missing CA file) or the service refused the desk's own certificate."""

    permanent = True

    def __init__(self, service: tuple[str, str], detail: str) -> None:
        super().__init__(
            service,
            f"Lidhja e sigurt me shërbimin «{service[0]}» dështoi: certifikata e tij nuk u "
            "verifikua ose ai nuk pranoi certifikatën e këtij sportelli. Njoftoni administratorin.",
            f"The secure connection to the {service[1]} service failed: its certificate could "
            "not be verified, or it refused this desk's certificate. Tell the administrator.",
        )
        self.detail = detail


class TlsFilesUnusable(IssuanceError):
    """A configured CA bundle, client certificate or key cannot be read or does not fit."""

    def __init__(self, service: tuple[str, str], detail: str) -> None:
        super().__init__(
            f"Certifikatat TLS për shërbimin «{service[0]}» nuk mund të lexohen ({detail}). "
            "Njoftoni administratorin.",
            f"The TLS certificate files for the {service[1]} service cannot be used ({detail}). "
            "Tell the administrator.",
        )
        self.detail = detail


class CouponError(IssuanceError):
    """A coupon cannot back this application."""

    def __init__(self, code: str, sq: str, en: str) -> None:
        super().__init__(sq, en)
        self.coupon_code = code


class CouponUnknown(CouponError):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"Kuponi {code} nuk ekziston. Kontrolloni kodin.",
            f"Coupon {code} does not exist. Check the code.",
        )


class CouponUnpaid(CouponError):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"Kuponi {code} nuk është paguar në postë.",
            f"Coupon {code} has not been paid at the post office.",
        )


class CouponWrongAmount(CouponError):
    def __init__(self, code: str, card_type: str) -> None:
        super().__init__(
            code,
            f"Shuma e kuponit {code} nuk përputhet me tarifën e kartës ({card_type}).",
            f"The amount of coupon {code} does not match the fee for the card ({card_type}).",
        )


class CouponAlreadyUsed(CouponError):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"Kuponi {code} është përdorur tashmë për një aplikim tjetër.",
            f"Coupon {code} has already been used for another application.",
        )


class CouponReservedByOther(CouponError):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"Kuponi {code} është i rezervuar nga një aplikim tjetër.",
            f"Coupon {code} is reserved by another application.",
        )


class CouponNotReserved(CouponError):
    def __init__(self, code: str) -> None:
        super().__init__(
            code,
            f"Kuponi {code} nuk është rezervuar për këtë aplikim.",
            f"Coupon {code} is not reserved for this application.",
        )


class PermitError(IssuanceError):
    """The residence permit does not allow a card to be issued."""

    def __init__(self, permit: str, sq: str, en: str) -> None:
        super().__init__(sq, en)
        self.permit = permit


class PermitNotFound(PermitError):
    def __init__(self, permit: str) -> None:
        super().__init__(
            permit,
            f"Leja e qëndrimit {permit} nuk gjendet në regjistrin e të huajve.",
            f"Residence permit {permit} is not in the foreigners' register.",
        )


class PermitExpired(PermitError):
    def __init__(self, permit: str) -> None:
        super().__init__(
            permit,
            f"Leja e qëndrimit {permit} ka skaduar.",
            f"Residence permit {permit} has expired.",
        )


class PermitRevoked(PermitError):
    def __init__(self, permit: str) -> None:
        super().__init__(
            permit,
            f"Leja e qëndrimit {permit} është revokuar.",
            f"Residence permit {permit} has been revoked.",
        )


class PermitHolderHasCard(PermitError):
    def __init__(self, permit: str) -> None:
        super().__init__(
            permit,
            f"Mbajtësi i lejes {permit} ka tashmë një kartë të vlefshme qëndrimi.",
            f"The holder of permit {permit} already has a valid residence card.",
        )


class PersonConflict(IssuanceError):
    def __init__(self, nid: str) -> None:
        super().__init__(
            "Regjistri civil ka tashmë një person me këtë numër personal me të dhëna të tjera.",
            "The civil registry already holds a person with this personal number and other data.",
        )
        self.nid = nid


class PersonKeyReused(IssuanceError):
    def __init__(self, nid: str) -> None:
        super().__init__(
            "Regjistri Civil refuzoi krijimin: i njëjti çelës kërkese u përdor për të dhëna të "
            "tjera.",
            "The civil registry refused the creation: the same request key was used for other "
            "data.",
        )
        self.nid = nid


class PersonNotFound(IssuanceError):
    def __init__(self, nid: str) -> None:
        super().__init__(
            "Regjistri civil nuk ka person me këtë numër personal.",
            "The civil registry has no person with this personal number.",
        )
        self.nid = nid


class InvalidMobileNumber(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Numri i celularit nuk është i vlefshëm: shkruani një celular shqiptar "
            "(06X XXX XXXX) ose numrin me prefiksin e shtetit (+CC… ose 00CC…, 8–15 shifra).",
            "The mobile number is not valid: give an Albanian mobile (06X XXX XXXX) or the "
            "number with its country code (+CC… or 00CC…, 8–15 digits).",
        )


class InvalidEmailAddress(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Adresa e e-mailit nuk është e vlefshme.", "The e-mail address is not valid."
        )


class MessageKeyReused(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Ky njoftim u dërgua tashmë me përmbajtje tjetër.",
            "This notification was already sent with different content.",
        )
