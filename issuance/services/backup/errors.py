"""The refusals of ``issuance backup`` and ``issuance restore``, in the administrator's words.

Every one is raised before anything is written: a refused restore leaves the database and the
data folder as they were, a refused backup leaves no file behind.
"""

from __future__ import annotations

from pathlib import Path

from issuance.errors import IssuanceError


class NotABackup(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Skedari nuk është një kopje rezervë e këtij programi.",
            "The file is not a backup made by this program.",
        )


class BackupFromNewerProgram(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Kjo kopje rezervë u bë nga një version më i ri i programit; rikthejeni me atë "
            "version ose një më të ri.",
            "This backup was made by a newer version of the program; restore it with that "
            "version or a newer one.",
        )


class WrongPassphrase(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Fjalëkalimi i kopjes rezervë është i gabuar; asgjë nuk u ndryshua.",
            "The backup's passphrase is wrong; nothing was changed.",
        )


class BackupDamaged(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Kopja rezervë është e dëmtuar ose e cunguar dhe nuk mund të rikthehet; asgjë nuk "
            "u ndryshua. Përdorni një kopje tjetër.",
            "The backup is damaged or cut short and cannot be restored; nothing was changed. "
            "Use another copy.",
        )


class BackupSchemaTooNew(IssuanceError):
    def __init__(self, revision: str) -> None:
        super().__init__(
            f"Kopja rezervë ka skemën «{revision}» të bazës së të dhënave, më të re se ky "
            "program; përditësoni programin para se ta riktheni. Asgjë nuk u ndryshua.",
            f"The backup holds database schema '{revision}', newer than this program knows; "
            "upgrade the program before restoring it. Nothing was changed.",
        )
        self.revision = revision


class BackupOfOtherDatabase(IssuanceError):
    def __init__(self, backup: str, target: str) -> None:
        super().__init__(
            f"Kjo kopje rezervë është e një baze {backup}; ISSUANCE_DATABASE_URL emërton një "
            f"bazë {target}. Riktheheni në të njëjtin lloj baze. Asgjë nuk u ndryshua.",
            f"This backup is of a {backup} database; ISSUANCE_DATABASE_URL names a {target} "
            "database. Restore it into the same kind of database. Nothing was changed.",
        )


class DatabaseNotEmpty(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Baza e të dhënave ku do të rikthehet kopja nuk është bosh (ka zyra, operatorë, "
            "aplikime ose ngjarje auditimi). Rikthimi bëhet vetëm në një bazë bosh; asgjë "
            "nuk u ndryshua.",
            "The database to restore into is not empty (it holds offices, operators, "
            "applications or audit events). A backup is restored into an empty database "
            "only; nothing was changed.",
        )


class InstallationKeyDiffers(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "ISSUANCE_BIOMETRIC_KEY nuk është çelësi me të cilin janë enkriptuar të dhënat e "
            "kësaj kopjeje; hiqeni ose vendosni çelësin e kopjes. Asgjë nuk u ndryshua.",
            "ISSUANCE_BIOMETRIC_KEY is not the key this backup's data is sealed with; unset it "
            "or set it to the backup's key. Nothing was changed.",
        )


class BackupFileExists(IssuanceError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"«{path}» ekziston tashmë; zgjidhni një emër tjetër (kopja ekzistuese nuk "
            "mbishkruhet).",
            f"'{path}' exists already; choose another name (an existing backup is never "
            "overwritten).",
        )


class WeakPassphrase(IssuanceError):
    def __init__(self, minimum: int) -> None:
        super().__init__(
            f"Fjalëkalimi i kopjes rezervë duhet të ketë të paktën {minimum} shenja.",
            f"The backup's passphrase needs at least {minimum} characters.",
        )


class PostgresToolsMissing(IssuanceError):
    def __init__(self, tool: str, major: int) -> None:
        super().__init__(
            f"Mungon «{tool}» i PostgreSQL {major} (ose më i ri) në këtë makinë; instaloni "
            f"paketën postgresql-client-{major}.",
            f"'{tool}' of PostgreSQL {major} (or newer) is missing on this machine; install "
            f"the package postgresql-client-{major}.",
        )


class PostgresToolFailed(IssuanceError):
    def __init__(self, tool: str, detail: str) -> None:
        super().__init__(
            f"«{tool}» dështoi: {detail}",
            f"'{tool}' failed: {detail}",
        )
