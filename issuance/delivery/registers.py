"""The clients of the four remote registers, built from settings for one desk process."""

from __future__ import annotations

from dataclasses import dataclass

from issuance.config import Settings
from issuance.delivery import civil_registry, notifications, revocations
from issuance.delivery import coupons as coupon_delivery
from issuance.delivery.clients import (
    CivilRegistryClient,
    FerClient,
    NotificationClient,
    ServiceConfig,
    VoucherClient,
)
from issuance.delivery.outbox import Handler


@dataclass
class Registers:
    vouchers: VoucherClient
    fer: FerClient
    civil_registry: CivilRegistryClient
    notifications: NotificationClient

    def close(self) -> None:
        for client in (self.vouchers, self.fer, self.civil_registry, self.notifications):
            client.close()


def service_config(settings: Settings, url: str) -> ServiceConfig:
    """How this desk reaches the register at `url`: key, timeouts and TLS from settings."""
    return ServiceConfig(
        base_url=url,
        api_key=settings.services_api_key or None,
        connect_timeout=settings.service_connect_timeout,
        read_timeout=settings.service_timeout,
        verify=settings.services_ca_file or True,
        client_cert=settings.services_client_cert or None,
        client_key=settings.services_client_key or None,
    )


def open_registers(settings: Settings) -> Registers:
    """The four clients; raises TlsFilesUnusable when a configured certificate file is not."""
    return Registers(
        vouchers=VoucherClient(service_config(settings, settings.voucher_url)),
        fer=FerClient(service_config(settings, settings.fer_url)),
        civil_registry=CivilRegistryClient(service_config(settings, settings.civil_registry_url)),
        notifications=NotificationClient(service_config(settings, settings.notification_url)),
    )


def outbox_handlers(registers: Registers) -> dict[str, Handler]:
    """Which client delivers which outbox topic."""
    return {
        civil_registry.TOPIC: civil_registry.CivilRegistryHandler(registers.civil_registry),
        coupon_delivery.CONSUME: coupon_delivery.ConsumeHandler(registers.vouchers),
        coupon_delivery.RELEASE: coupon_delivery.ReleaseHandler(registers.vouchers),
        notifications.SMS: notifications.SmsHandler(registers.notifications),
        notifications.EMAIL: notifications.EmailHandler(registers.notifications),
        revocations.CIVIL_REGISTRY: revocations.CivilRegistryRevocationHandler(
            registers.civil_registry
        ),
        revocations.FER: revocations.FerRevocationHandler(registers.fer),
    }
