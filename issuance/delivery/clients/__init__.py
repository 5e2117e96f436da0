"""HTTP clients of the remote registers: vouchers, FER, civil registry, notifications."""

from __future__ import annotations

from issuance.delivery.clients.civil_registry import (
    BiographicData,
    CivilRegistryClient,
    PersonData,
    RegistryPerson,
)
from issuance.delivery.clients.fer import FerClient, PermitRecord, check_eligible
from issuance.delivery.clients.http import ServiceConfig
from issuance.delivery.clients.notifications import NotificationClient, SentNotice, normalise_mobile
from issuance.delivery.clients.vouchers import CouponInfo, VoucherClient

__all__ = [
    "BiographicData", "CivilRegistryClient", "CouponInfo", "FerClient", "NotificationClient",
    "PermitRecord", "PersonData", "RegistryPerson", "SentNotice", "ServiceConfig",
    "VoucherClient", "check_eligible", "normalise_mobile",
]
