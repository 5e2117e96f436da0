"""What backup and restore ask of a database, whichever backend: a snapshot with the facts the
manifest records (read from the snapshot itself), whether a database is empty, and whether
this program knows a schema revision."""

from __future__ import annotations

from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from alembic.config import Config
from alembic.script import ScriptDirectory
from alembic.script.revision import RevisionError
from alembic.util import CommandError
from sqlalchemy import Connection, Engine, create_engine, inspect, text

from issuance.db.models import Base
from issuance.services.backup import postgres, sqlite

# Tables whose rows are work: a database with none of them is empty (a schema made by
# ``issuance db upgrade`` has only the audit head's genesis row and Alembic's version).
WORK_TABLES = ("offices", "operators", "applications", "audit_events")
SNAPSHOT_NAMES = {"sqlite": "database/issuance.sqlite3", "postgresql": "database/issuance.pgdump"}


@dataclass(frozen=True)
class Facts:
    schema_revision: str
    offices: list[str]
    audit_events: int


def backend(engine: Engine) -> str:
    return engine.url.get_backend_name()


def snapshot(engine: Engine, target: Path) -> Facts:
    """A consistent copy of the database in ``target``, and its facts."""
    if backend(engine) == "sqlite":
        sqlite.snapshot(engine, target)
        copy = create_engine(f"sqlite:///{target}")
        try:
            with copy.connect() as conn:
                return _facts(conn)
        finally:
            copy.dispose()
    # PostgreSQL: the facts are read in the snapshot pg_dump then dumps (exported snapshot).
    with engine.connect() as conn:
        conn.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY"))
        exported = conn.execute(text("SELECT pg_export_snapshot()")).scalar_one()
        facts = _facts(conn)
        postgres.snapshot(engine, target, exported)
        conn.rollback()
    return facts


def _facts(conn: Connection) -> Facts:
    revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
    offices = conn.execute(text("SELECT code FROM offices ORDER BY code")).scalars().all()
    head = conn.execute(text("SELECT seq FROM audit_head WHERE id = 1")).scalar_one()
    return Facts(str(revision), [str(code) for code in offices], int(head))


def is_empty(engine: Engine) -> bool:
    with engine.connect() as conn:
        present = set(inspect(conn).get_table_names())
        for table in WORK_TABLES:
            if table in present and conn.execute(text(f"SELECT 1 FROM {table} LIMIT 1")).first():
                return False
    return True


def known_revision(revision: str) -> bool:
    """Whether this program's migrations have ``revision`` (a newer program's do not)."""
    config = Config()
    config.set_main_option("script_location", str(files("migrations")))
    script = ScriptDirectory.from_config(config)
    try:
        return script.get_revision(revision) is not None
    except (CommandError, RevisionError):
        return False


def restore(engine: Engine, snapshot_file: Path) -> None:
    if backend(engine) == "sqlite":
        sqlite.restore(snapshot_file, engine)
        return
    postgres.clear_empty_schema(engine, [*Base.metadata.tables, "alembic_version"])
    postgres.restore(snapshot_file, engine)
