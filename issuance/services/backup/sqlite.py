"""SQLite: a snapshot through SQLite's online backup API, and its way back.

The backup copies every page in one step under one read transaction: in WAL mode the desk keeps
writing meanwhile, and the copy is the database as it was at one commit. The copy is made
self-contained (rollback journal, no -wal file). Restoring copies the snapshot's pages into the
configured database the same way, in one write transaction.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from issuance.ports.private_files import open_private


def database_path(engine: Engine) -> Path:
    return Path(engine.url.database or "")


def snapshot(engine: Engine, target: Path) -> None:
    """Copy the database of ``engine`` into ``target`` (a new file, 0600)."""
    os.close(open_private(target))  # created 0600 before SQLite opens it
    source = sqlite3.connect(database_path(engine), timeout=30)
    try:
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # all pages in one step: one consistent read
            copy.execute("PRAGMA journal_mode=DELETE")
        finally:
            copy.close()
    finally:
        source.close()


def restore(snapshot_file: Path, engine: Engine) -> None:
    """Replace the (empty) database of ``engine`` by the snapshot, page for page."""
    source = sqlite3.connect(snapshot_file)
    try:
        raw = engine.raw_connection()
        try:
            target = raw.driver_connection
            assert isinstance(target, sqlite3.Connection)
            source.backup(target)
        finally:
            raw.close()
    finally:
        source.close()
