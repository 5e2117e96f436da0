"""Kill the delivering process at random points: afterwards every person exists exactly once."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time

import pytest
from sqlalchemy import func, select

from issuance import audit
from issuance.models import AuditEvent, OutboxMessage
from tests.conftest import TEST_KEY
from tests.support.registers import seed_approved

MESSAGES, KILLS = 150, 20


@pytest.fixture
def registry_process(tmp_path):
    """The stand-ins in their own process, persisting persons, so only the worker dies."""
    store = tmp_path / "registry.sqlite"
    process = subprocess.Popen(
        [sys.executable, "-m", "issuance.sandbox", "--no-seed",
         "--civil-registry-store", str(store)],
        # Killed workers leave reset connections the server would print tracebacks for.
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    urls = {}
    while len(urls) < 4:
        line = process.stdout.readline()
        assert line, "sandbox exited before it was ready"
        name, url = line.split()
        urls[name] = url
    yield urls, store
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=10)


def _env(database_url, urls):
    env = dict(os.environ)
    env.update(
        ISSUANCE_DATABASE_URL=database_url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_CIVIL_REGISTRY_URL=urls["civil-registry"],
        ISSUANCE_VOUCHER_URL=urls["voucher"],
        ISSUANCE_NOTIFICATION_URL=urls["notification"],
        ISSUANCE_FER_URL=urls["fer"],
    )
    return env


def _worker(env, *extra):
    command = [sys.executable, "-m", "issuance.cli", "outbox", "run", "--lease", "0.3",
               "--idle", "0.05", "--batch", "10", "--threads", "4", *extra]  # fmt: skip
    return subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def test_sigkill_at_random_points_loses_and_repeats_nothing(ctx, database_url, registry_process):
    urls, store = registry_process
    nids = seed_approved(ctx, MESSAGES)
    env = _env(database_url, urls)
    seed = random.randrange(1_000_000)
    print(f"crash test seed {seed}")
    rng = random.Random(seed)
    for run in range(KILLS):
        worker = _worker(env)
        delay = rng.uniform(0.4, 1.6)
        time.sleep(delay)
        worker.send_signal(signal.SIGKILL)
        worker.wait()
        print(f"run {run}: killed after {delay:.2f}s")
    for _ in range(10):  # finish: claims of killed workers expire after their lease
        time.sleep(0.4)
        finisher = _worker(env, "--until-idle")
        _, err = finisher.communicate(timeout=120)
        assert finisher.returncode == 0, err
        with ctx.uow() as uow:
            left = uow.session.execute(
                select(func.count()).where(OutboxMessage.status != "delivered")
            ).scalar_one()
        if left == 0:
            break
    assert left == 0
    with sqlite3.connect(store) as registry:
        persons = [row[0] for row in registry.execute("SELECT nid FROM persons")]
    assert sorted(persons) == sorted(nids)
    with ctx.uow() as uow:
        confirmations = uow.session.execute(
            select(AuditEvent.entity_id, func.count())
            .where(AuditEvent.action == "civil_registry.confirmed")
            .group_by(AuditEvent.entity_id)
        ).all()
        assert len(confirmations) == MESSAGES and {n for _, n in confirmations} == {1}
        assert audit.verify_chain(uow.session).intact
