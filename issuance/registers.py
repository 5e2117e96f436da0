"""The clients of the four remote registers, built from settings for one desk process."""

from __future__ import annotations

from dataclasses import dataclass

from issuance import civil_registry, coupon_delivery, notifications
from issuance.config import Settings
from issuance.integrations import (
    CivilRegistryClient,
    FerClient,
    NotificationClient,
    ServiceConfig,
    VoucherClient,
)
from issuance.outbox import Handler


@dataclass
class Registers:
    vouchers: VoucherClient
    fer: FerClient
    civil_registry: CivilRegistryClient
    notifications: NotificationClient

    def close(self) -> None:
        for client in (self.vouchers, self.fer, self.civil_registry, self.notifications):
            client.close()


def _config(settings: Settings, url: str) -> ServiceConfig:
    return ServiceConfig(
        base_url=url,
        api_key=settings.services_api_key or None,
        connect_timeout=min(3.0, settings.service_timeout),
        read_timeout=settings.service_timeout,
    )


def open_registers(settings: Settings) -> Registers:
    return Registers(
        vouchers=VoucherClient(_config(settings, settings.voucher_url)),
        fer=FerClient(_config(settings, settings.fer_url)),
        civil_registry=CivilRegistryClient(_config(settings, settings.civil_registry_url)),
        notifications=NotificationClient(_config(settings, settings.notification_url)),
    )


def outbox_handlers(registers: Registers) -> dict[str, Handler]:
    """Which client delivers which outbox topic."""
    return {
        civil_registry.TOPIC: civil_registry.CivilRegistryHandler(registers.civil_registry),
        coupon_delivery.CONSUME: coupon_delivery.ConsumeHandler(registers.vouchers),
        coupon_delivery.RELEASE: coupon_delivery.ReleaseHandler(registers.vouchers),
        notifications.SMS: notifications.SmsHandler(registers.notifications),
        notifications.EMAIL: notifications.EmailHandler(registers.notifications),
    }
