"""An office with real enrolments to back up, and an empty database (of the same backend) with
a data folder of its own to restore into."""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from issuance.bootstrap import Context, bootstrap
from issuance.config import Settings
from issuance.security.permissions import Actor
from issuance.services.backup.restoring import Restored, record_restore, restore
from tests.support.world import World, build_world, enrol_complete

PASSPHRASE = "office backup 2026"
_counter = itertools.count()


def enrol(ctx: Context, world: World, number: int) -> int:
    return enrol_complete(
        ctx, world.clerk, coupon=f"PS-{number:05d}", permit_number=f"LQ{number:07d}",
        passport_number=f"P{number:07d}",
    )  # fmt: skip


@pytest.fixture
def world(ctx: Context, console: Actor) -> World:
    return build_world(ctx, console)


@pytest.fixture
def office(ctx: Context, world: World) -> list[int]:
    """Three submitted applications with face, ten fingers and a signature (sealed)."""
    return [enrol(ctx, world, number) for number in range(1, 4)]


@pytest.fixture
def target_url(
    request: pytest.FixtureRequest, database_url: str, tmp_path: Path
) -> Callable[..., str]:
    """A new database of ``database_url``'s backend: with no tables, or ``migrated`` (the
    schema of ``issuance db upgrade`` and no rows)."""

    def make(*, migrated: bool = False) -> str:
        name = f"restored_{os.getpid()}_{next(_counter)}"
        if database_url.startswith("sqlite"):
            path = tmp_path / name / "issuance.db"
            path.parent.mkdir()
            if migrated:
                shutil.copy(request.getfixturevalue("migrated_sqlite"), path)
            return f"sqlite:///{path}"
        server = request.getfixturevalue("postgres")
        template = f" TEMPLATE {request.getfixturevalue('migrated_postgres')}" if migrated else ""
        server.execute(f"CREATE DATABASE {name}{template}")
        return server.url(name)

    return make


@pytest.fixture
def restored_settings(tmp_path: Path, target_url: Callable[..., str]) -> Settings:
    """Another desk: its own data folder, no installation key configured (the backup's key
    file is restored into the folder)."""
    return Settings(data_dir=tmp_path / "restored-data", database_url=target_url())


@pytest.fixture
def open_restored() -> Iterator[Callable[[Settings, Path], tuple[Context, Restored]]]:
    """Restore a backup into ``settings`` and open it as ``issuance restore`` does."""
    opened: list[Context] = []

    def run(settings: Settings, backup: Path) -> tuple[Context, Restored]:
        console = Actor.console("tester")
        restored = restore(settings, console, backup, PASSPHRASE)
        context = bootstrap(settings)
        opened.append(context)
        record_restore(context, console, restored)
        return context, restored

    yield run
    for context in opened:
        context.close()
