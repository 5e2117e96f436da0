"""Settings from the environment and the administrator's choices for this desk
(``desk-settings.json``), with defaults that make a single desk work out of the box.

Read once by ``bootstrap`` and passed down; nothing here touches the disk at import time.
"""

from __future__ import annotations

import json
import logging
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from platformdirs import user_data_path

from issuance.errors import IssuanceError

log = logging.getLogger(__name__)


class SettingsError(IssuanceError):
    """An ``ISSUANCE_*`` variable holds a value the desk cannot use; names the variable and
    the form it expects, so the deployment can be corrected without reading code."""

    def __init__(self, variable: str, value: str, expected_sq: str, expected_en: str) -> None:
        super().__init__(
            f"Vlera «{value}» e {variable} nuk është e vlefshme: pritet {expected_sq}.",
            f"The value '{value}' of {variable} is not valid: expected {expected_en}.",
        )
        self.variable = variable
        self.value = value


# The administrator's choices for this desk (issuance.services.desk_settings writes them).
FILE_NAME = "desk-settings.json"

# Setting -> the environment variable that overrides it.
EDITABLE: dict[str, str] = {
    "camera": "ISSUANCE_CAMERA",
    "fingerprint_scanner": "ISSUANCE_FINGERPRINT_SCANNER",
    "card_reader": "ISSUANCE_CARD_READER",
    "card_printer": "ISSUANCE_CARD_PRINTER",
    "receipt_printer": "ISSUANCE_RECEIPT_PRINTER",
    "voucher_url": "ISSUANCE_VOUCHER_URL",
    "fer_url": "ISSUANCE_FER_URL",
    "civil_registry_url": "ISSUANCE_CIVIL_REGISTRY_URL",
    "notification_url": "ISSUANCE_NOTIFICATION_URL",
}


def settings_file(data_dir: Path) -> Path:
    return data_dir / FILE_NAME


def read_choices(data_dir: Path) -> dict[str, str]:
    """What the administrator chose; a damaged file is ignored (defaults apply) and logged."""
    path = settings_file(data_dir)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, NotADirectoryError):  # no settings file (yet): the defaults
        return {}
    except (OSError, ValueError):
        log.warning("ignoring unreadable desk settings file %s", path)
        return {}
    if not isinstance(raw, dict):
        return {}
    return {k: v for k, v in raw.items() if k in EDITABLE and isinstance(v, str)}


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
    # The clerk's A4 printer for application receipts: ``cups:QUEUE`` or ``folder:PATH``.
    receipt_printer: str = ""
    # Remote registers; the defaults are where `issuance sandbox` listens.
    voucher_url: str = "http://127.0.0.1:8701"
    fer_url: str = "http://127.0.0.1:8702"
    civil_registry_url: str = "http://127.0.0.1:8703"
    notification_url: str = "http://127.0.0.1:8704"
    services_api_key: str = ""
    service_timeout: float = 10.0
    service_connect_timeout: float = 3.0
    # TLS to the registers: a CA bundle to verify them with (empty: the system's CAs), and a
    # certificate and key for those that want mutual TLS (empty: none).
    services_ca_file: str = ""
    services_client_cert: str = ""
    services_client_key: str = ""
    # A desk nobody touches logs out after this many minutes (0: never).
    idle_logout_minutes: float = 10.0
    # The database: seconds to open a connection (PostgreSQL), and the longest a statement
    # may run or wait for a lock (PostgreSQL's statement_timeout, SQLite's busy timeout).
    db_connect_timeout: float = 10.0
    db_statement_timeout: float = 30.0
    # Below this age (on the day of enrolment) no fingerprints are taken and no signature is
    # asked (Regulation (EC) No 380/2008: fingerprints from the age of 6).
    child_no_fingerprints_below: int = 6
    # Retention (``issuance retention run``): days after which the photo, fingerprints,
    # signature and scans of a closed application are purged, counted from the day it was
    # rejected, cancelled or handed over; 0 keeps them (that category is never purged).
    retention_rejected_days: int = 180
    retention_cancelled_days: int = 30
    retention_handed_over_days: int = 1825

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

    @property
    def receipt_printer_spec(self) -> str:
        return self.receipt_printer or f"folder:{self.data_dir / 'printed-receipts'}"


def _number(
    env: Mapping[str, str], variable: str, default: float, *, zero: bool, sq: str, en: str
) -> float:
    """The number in `variable` (`default` when unset); `zero`: whether 0 is allowed."""
    raw = env.get(variable, "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        value = math.nan
    if not math.isfinite(value) or value < 0 or (value == 0 and not zero):
        raise SettingsError(variable, raw, sq, en)
    return value


def _seconds(env: Mapping[str, str], variable: str, default: float) -> float:
    return _number(
        env, variable, default, zero=False,
        sq="një numër sekondash më i madh se 0, p.sh. 10",
        en="a number of seconds greater than 0, e.g. 10",
    )  # fmt: skip


def _minutes(env: Mapping[str, str], variable: str, default: float) -> float:
    return _number(
        env, variable, default, zero=True,
        sq="një numër minutash, 0 ose më shumë, p.sh. 10",
        en="a number of minutes, 0 or more, e.g. 10",
    )  # fmt: skip


def _age(env: Mapping[str, str], variable: str) -> int:
    raw = env.get(variable, "").strip()
    if not raw:
        return Settings.child_no_fingerprints_below
    if not raw.isdigit() or int(raw) > 18:
        raise SettingsError(variable, raw, "një moshë në vite, 0 deri 18, p.sh. 6",
                            "an age in years, 0 to 18, e.g. 6")  # fmt: skip
    return int(raw)


def _days(env: Mapping[str, str], variable: str, default: int) -> int:
    raw = env.get(variable, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) > 36500:
        raise SettingsError(variable, raw, "një numër ditësh, 0 (kurrë) deri 36500, p.sh. 180",
                            "a number of days, 0 (never) to 36500, e.g. 180")  # fmt: skip
    return int(raw)


def _language(env: Mapping[str, str]) -> str:
    raw = env.get("ISSUANCE_LANGUAGE", "").strip()
    if raw and raw not in ("sq", "en"):
        raise SettingsError("ISSUANCE_LANGUAGE", raw, "sq ose en", "sq or en")
    return raw or "sq"


def _pem_file(env: Mapping[str, str], variable: str) -> str:
    raw = env.get(variable, "").strip()
    if raw and not Path(raw).is_file():
        raise SettingsError(
            variable,
            raw,
            "shtegu i një skedari PEM që ekziston",
            "the path of an existing PEM file",
        )
    return raw


def command_settings(args: object) -> Settings:
    """The settings ``issuance`` loaded once for this command (``args.settings``), or, when
    that failed, loaded now so that the failure is raised where the command can report it."""
    return getattr(args, "settings", None) or load_settings()


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``environ`` (the process's environment by default) and this desk's file.

    Raises SettingsError, naming the variable, for a value the desk cannot use.
    """
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("ISSUANCE_DATA_DIR") or user_data_path("issuance", appauthor=False))
    url = env.get("ISSUANCE_DATABASE_URL") or f"sqlite:///{data_dir / 'issuance.db'}"
    chosen = read_choices(data_dir)

    def pick(name: str, default: str) -> str:
        # The environment (the deployment) wins over the administrator's choice on the desk.
        return env.get(EDITABLE[name]) or chosen.get(name) or default

    timeout = _seconds(env, "ISSUANCE_SERVICE_TIMEOUT", Settings.service_timeout)
    # Unset, the connect timeout never exceeds the whole request's.
    connect_default = min(Settings.service_connect_timeout, timeout)
    client_cert = _pem_file(env, "ISSUANCE_SERVICES_CLIENT_CERT")
    client_key = _pem_file(env, "ISSUANCE_SERVICES_CLIENT_KEY")
    if client_key and not client_cert:
        raise SettingsError(
            "ISSUANCE_SERVICES_CLIENT_KEY", client_key,
            "edhe ISSUANCE_SERVICES_CLIENT_CERT, certifikata e këtij çelësi",
            "ISSUANCE_SERVICES_CLIENT_CERT too, the certificate of this key",
        )  # fmt: skip
    return Settings(
        data_dir=data_dir,
        database_url=url,
        biometric_key=env.get("ISSUANCE_BIOMETRIC_KEY", ""),
        language=_language(env),
        camera=pick("camera", "opencv:0"),
        fingerprint_scanner=pick("fingerprint_scanner", "sbi:127.0.0.1:4501-4600"),
        card_reader=pick("card_reader", "pcsc:Virtual PCD 00 00"),
        card_printer=pick("card_printer", ""),
        receipt_printer=pick("receipt_printer", ""),
        voucher_url=pick("voucher_url", Settings.voucher_url),
        fer_url=pick("fer_url", Settings.fer_url),
        civil_registry_url=pick("civil_registry_url", Settings.civil_registry_url),
        notification_url=pick("notification_url", Settings.notification_url),
        services_api_key=env.get("ISSUANCE_SERVICES_API_KEY", ""),
        service_timeout=timeout,
        service_connect_timeout=_seconds(env, "ISSUANCE_SERVICE_CONNECT_TIMEOUT", connect_default),
        services_ca_file=_pem_file(env, "ISSUANCE_SERVICES_CA_FILE"),
        services_client_cert=client_cert,
        services_client_key=client_key,
        idle_logout_minutes=_minutes(
            env, "ISSUANCE_IDLE_LOGOUT_MINUTES", Settings.idle_logout_minutes
        ),
        db_connect_timeout=_seconds(
            env, "ISSUANCE_DB_CONNECT_TIMEOUT", Settings.db_connect_timeout
        ),
        db_statement_timeout=_seconds(
            env, "ISSUANCE_DB_STATEMENT_TIMEOUT", Settings.db_statement_timeout
        ),
        child_no_fingerprints_below=_age(env, "ISSUANCE_CHILD_NO_FINGERPRINTS_BELOW"),
        retention_rejected_days=_days(
            env, "ISSUANCE_RETENTION_REJECTED_DAYS", Settings.retention_rejected_days
        ),
        retention_cancelled_days=_days(
            env, "ISSUANCE_RETENTION_CANCELLED_DAYS", Settings.retention_cancelled_days
        ),
        retention_handed_over_days=_days(
            env, "ISSUANCE_RETENTION_HANDED_OVER_DAYS", Settings.retention_handed_over_days
        ),
    )


# -- the data folder's files ------------------------------------------------------------------
