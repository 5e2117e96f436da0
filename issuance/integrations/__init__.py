"""HTTP clients of the remote registers: vouchers, FER, civil registry, notifications."""

from __future__ import annotations

from issuance.integrations.civil_registry import (
    BiographicData,
    CivilRegistryClient,
    PersonData,
    RegistryPerson,
)
from issuance.integrations.fer import FerClient, PermitRecord, check_eligible
from issuance.integrations.http import ServiceConfig
from issuance.integrations.notifications import NotificationClient, SentNotice, normalise_mobile
from issuance.integrations.vouchers import CouponInfo, VoucherClient

__all__ = [
    "BiographicData", "CivilRegistryClient", "CouponInfo", "FerClient", "NotificationClient",
    "PermitRecord", "PersonData", "RegistryPerson", "SentNotice", "ServiceConfig",
    "VoucherClient", "check_eligible", "normalise_mobile",
]
