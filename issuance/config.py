"""Settings from the environment, with defaults that make a single desk work out of the box.

Read once by ``bootstrap`` and passed down; nothing here touches the disk at import time.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path


@dataclass(frozen=True)
class Settings:
    data_dir: Path
    database_url: str
    # Base64 of a 32-byte AES key; when empty the key lives in ``key_file`` (demo default).
    biometric_key: str = ""
    language: str = "sq"
    # Devices, each a backend spec string read by its factory in ``devices/``.
    camera: str = "opencv:0"
    fingerprint_scanner: str = "sbi:127.0.0.1:4501-4600"
    card_reader: str = "pcsc:Virtual PCD 00 00"
    card_printer: str = ""
    # Remote registers; the defaults are where `issuance sandbox` listens.
    voucher_url: str = "http://127.0.0.1:8701"
    fer_url: str = "http://127.0.0.1:8702"
    civil_registry_url: str = "http://127.0.0.1:8703"
    notification_url: str = "http://127.0.0.1:8704"
    services_api_key: str = ""
    service_timeout: float = 10.0

    @property
    def key_file(self) -> Path:
        return self.data_dir / "biometric.key"

    @property
    def keys_dir(self) -> Path:
        """Demo CSCA and Document Signer keys (production signs through an HSM)."""
        return self.data_dir / "keys"

    @property
    def card_printer_spec(self) -> str:
        return self.card_printer or f"folder:{self.data_dir / 'printed-cards'}"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("ISSUANCE_DATA_DIR") or user_data_path("issuance", appauthor=False))
    url = env.get("ISSUANCE_DATABASE_URL") or f"sqlite:///{data_dir / 'issuance.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        biometric_key=env.get("ISSUANCE_BIOMETRIC_KEY", ""),
        language=env.get("ISSUANCE_LANGUAGE", "sq"),
        camera=env.get("ISSUANCE_CAMERA", "opencv:0"),
        fingerprint_scanner=env.get("ISSUANCE_FINGERPRINT_SCANNER", "sbi:127.0.0.1:4501-4600"),
        card_reader=env.get("ISSUANCE_CARD_READER", "pcsc:Virtual PCD 00 00"),
        card_printer=env.get("ISSUANCE_CARD_PRINTER", ""),
        voucher_url=env.get("ISSUANCE_VOUCHER_URL", Settings.voucher_url),
        fer_url=env.get("ISSUANCE_FER_URL", Settings.fer_url),
        civil_registry_url=env.get("ISSUANCE_CIVIL_REGISTRY_URL", Settings.civil_registry_url),
        notification_url=env.get("ISSUANCE_NOTIFICATION_URL", Settings.notification_url),
        services_api_key=env.get("ISSUANCE_SERVICES_API_KEY", ""),
        service_timeout=float(env.get("ISSUANCE_SERVICE_TIMEOUT", Settings.service_timeout)),
    )
