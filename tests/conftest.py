"""Shared fixtures: every database test runs on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

import base64
import itertools
import os
import shutil
import tempfile
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

# Qt must see this before any Qt import (pytest-qt imports it early).
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Cheap argon2id for the operators tests build; tests/test_operators.py pins the production cost.
os.environ.setdefault("ISSUANCE_ARGON2_PROFILE", "test")

import pytest  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402
from sqlalchemy import text  # noqa: E402

from devtools.backends import development_devices  # noqa: E402
from devtools.standins import Sandbox, SandboxConfig  # noqa: E402
from issuance.bootstrap import Context  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.db import migrate  # noqa: E402
from issuance.db.engine import make_engine  # noqa: E402
from issuance.security.permissions import Actor  # noqa: E402
from issuance.security.sealing import Sealer  # noqa: E402
from tests.support import cups, pcsc  # noqa: E402
from tests.support.postgres import PostgresServer, remove, start_postgres  # noqa: E402
from tests.support.registers import registers_for  # noqa: E402

# On CI the property tests draw the same examples every run (derived from each test's name) and
# keep no example database: a landing never depends on luck. Locally they explore anew each run.
hypothesis_settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")

BACKENDS = ["sqlite", "postgresql"]
TEST_KEY = base64.b64encode(bytes(range(32))).decode()
_counter = itertools.count()


_REAL_HOME = pytest.StashKey[str | None]()


def pytest_configure(config: pytest.Config) -> None:
    # Before any test talks to PC/SC or CUPS: this process's clients go to servers of its own
    # (started by the pcscd and cups_server fixtures), never to the machine's.
    pcsc.claim_socket()
    cups.claim_server()
    # Nor does anything read or write the user's home (settings, caches, printed files): the
    # run has a home of its own.
    home = Path(tempfile.mkdtemp(prefix="issuance-home-"))
    config.stash[_REAL_HOME] = os.environ.get("HOME")
    os.environ["HOME"] = str(home)


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    # The run's order is random (pytest-randomly); -q hides its header, so say it at the end.
    seed = getattr(config.option, "randomly_seed", None)
    if isinstance(seed, int):
        terminalreporter.write_line(
            f"tests ran in random order, seed {seed}: add --randomly-seed={seed} to repeat it"
        )


def pytest_unconfigure(config: pytest.Config) -> None:
    pcsc.release_socket()
    cups.release_server()
    home = os.environ.get("HOME", "")
    if Path(home).name.startswith("issuance-home-"):
        shutil.rmtree(home, ignore_errors=True)
        real = config.stash.get(_REAL_HOME, None)
        if real is not None:
            os.environ["HOME"] = real


class Clock:
    """A clock the tests move by hand (lockouts last hours; tests must not)."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **kwargs: float) -> None:
        self.now += timedelta(**kwargs)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresServer]:
    server = start_postgres()
    try:
        yield server
    finally:
        remove(server)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{path}")
    migrate.upgrade(engine)
    engine.dispose()  # the last connection to close checkpoints the WAL into the file
    assert not path.with_name(path.name + "-wal").exists()
    return path


@pytest.fixture(scope="session")
def migrated_postgres(postgres: PostgresServer) -> str:
    postgres.execute("CREATE DATABASE template_migrated")
    engine = make_engine(postgres.url("template_migrated"))
    migrate.upgrade(engine)
    engine.dispose()
    return "template_migrated"


def _fresh_url(request: pytest.FixtureRequest, tmp_path: Path, migrated: bool) -> str:
    backend = request.param
    if backend == "sqlite":
        path = tmp_path / "issuance.db"
        if migrated:
            shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
        return f"sqlite:///{path}"
    server: PostgresServer = request.getfixturevalue("postgres")
    name = f"test_{os.getpid()}_{next(_counter)}"
    if migrated:
        template = request.getfixturevalue("migrated_postgres")
        server.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
    else:
        server.execute(f"CREATE DATABASE {name}")
    return server.url(name)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated, empty database on each backend."""
    return _fresh_url(request, tmp_path, migrated=True)


@pytest.fixture(params=BACKENDS)
def empty_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all, for migration tests."""
    return _fresh_url(request, tmp_path, migrated=False)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def settings(tmp_path: Path, database_url: str) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, biometric_key=TEST_KEY)


@pytest.fixture
def ctx(settings: Settings, clock: Clock) -> Iterator[Context]:
    context = Context(
        settings=settings,
        engine=make_engine(settings.database_url),
        sealer=Sealer(base64.b64decode(TEST_KEY)),
        clock=clock,
        devices=development_devices(),
    )
    yield context
    context.close()


@pytest.fixture
def console() -> Actor:
    return Actor.console("tester")


def raw_rows(ctx: Context, sql: str) -> list[tuple]:
    with ctx.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


@pytest.fixture
def sandbox():
    """A fresh set of register stand-ins per test: they keep state (coupons, persons). A test
    module or folder that needs another one (an API key, the test's clock) overrides it."""
    sb = Sandbox(SandboxConfig()).start()
    yield sb
    sb.stop()


@pytest.fixture
def registers(sandbox):
    """The desk's clients of whichever stand-ins ``sandbox`` gives."""
    regs = registers_for(sandbox.urls())
    yield regs
    regs.close()
