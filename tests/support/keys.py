"""Document-signing keys for tests: a desk's keys folder issued by its own offline CSCA."""

from __future__ import annotations

from pathlib import Path

from issuance.security.keys import DeskKeys, KeysMade, init_keys


def offline_csca_of(folder: Path) -> Path:
    """Where ``desk_keys`` keeps the CSCA of the desk folder ``folder`` (next to it, so two
    desk folders in one temporary folder get two CSCAs)."""
    return folder.with_name(f"{folder.name}-csca")


def make_keys(folder: Path, *, overwrite: bool = False) -> KeysMade:
    """``issuance keys init`` into ``folder``, the CSCA in ``offline_csca_of(folder)``."""
    return init_keys(folder, offline_csca_of(folder), overwrite=overwrite)


def desk_keys(folder: Path) -> DeskKeys:
    """A desk's keys folder (DS key, DS and CSCA certificates) issued by a new offline CSCA."""
    return make_keys(folder).desk
