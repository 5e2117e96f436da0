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

    @property
    def key_file(self) -> Path:
        return self.data_dir / "biometric.key"


def load_settings(environ: Mapping[str, str] | None = None) -> Settings:
    env = os.environ if environ is None else environ
    data_dir = Path(env.get("ISSUANCE_DATA_DIR") or user_data_path("issuance", appauthor=False))
    url = env.get("ISSUANCE_DATABASE_URL") or f"sqlite:///{data_dir / 'issuance.db'}"
    return Settings(
        data_dir=data_dir,
        database_url=url,
        biometric_key=env.get("ISSUANCE_BIOMETRIC_KEY", ""),
        language=env.get("ISSUANCE_LANGUAGE", "sq"),
    )
