"""``issuance retention run [--dry-run]`` in this process, against a database the services
filled (on SQLite and PostgreSQL): the dry run says what it would purge and changes nothing,
the run purges it, a second run purges nothing; application numbers, never a name."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from issuance.db.models import Application, BiometricCapture
from issuance.services import applications, batches
from tests.support.cli_in_process import assert_refused, context_environment, run_in_process
from tests.support.world import build_world, enrol_complete


@pytest.fixture
def issuance(monkeypatch, capsys, ctx):
    base = context_environment(ctx)  # made once: each run sets only its own variables

    def run(*args: str, **env: str):
        return run_in_process(monkeypatch, capsys, {**base, **env}, *args)

    return run


def _captures(ctx) -> int:
    with ctx.read() as uow:
        return int(uow.session.scalar(select(func.count()).select_from(BiometricCapture)))


def _number(ctx, application_id) -> str:
    with ctx.read() as uow:
        return uow.session.get(Application, application_id).number


def test_a_dry_run_then_a_run_purge_what_is_past_its_period(ctx, console, clock, issuance):
    """Closed early in 2026: the command runs at the wall clock's time, long after."""
    clock.now = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    world = build_world(ctx, console)
    rejected = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    batches.reject(ctx, world.supervisor, rejected, "forged permit")
    cancelled = enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ7654321",
                               passport_number="P7654321")  # fmt: skip
    applications.cancel(ctx, world.supervisor, cancelled, "applicant withdrew")
    still_open = enrol_complete(ctx, world.clerk, coupon="PS-0003", permit_number="LQ1111111",
                                passport_number="P1111111")  # fmt: skip
    numbers = {key: _number(ctx, key) for key in (rejected, cancelled, still_open)}
    env = dict(ISSUANCE_RETENTION_REJECTED_DAYS="30", ISSUANCE_RETENTION_CANCELLED_DAYS="0")
    assert _captures(ctx) == 33

    dry = issuance("retention", "run", "--dry-run", **env)
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith("dry run, nothing changed: retention at ")
    assert f"rejected (after 30 days): would purge 1: {numbers[rejected]}" in dry.stdout
    assert "cancelled (never purged): would purge 0" in dry.stdout
    assert "handed over (after 1825 days): would purge 0" in dry.stdout
    assert _captures(ctx) == 33

    done = issuance("retention", "run", **env)
    assert done.returncode == 0, done.stderr
    assert f"rejected (after 30 days): purged 1: {numbers[rejected]}" in done.stdout
    assert _captures(ctx) == 22
    for output in (dry.stdout, done.stdout):
        assert "Çela" not in output and "Cela" not in output and "P0123456" not in output
        assert numbers[cancelled] not in output and numbers[still_open] not in output

    again = issuance("retention", "run", **env)
    assert "rejected (after 30 days): purged 0" in again.stdout
    # With the default period for cancellations (30 days) the cancelled one goes too.
    default = issuance("retention", "run")
    assert f"cancelled (after 30 days): purged 1: {numbers[cancelled]}" in default.stdout
    assert _captures(ctx) == 11
    with ctx.read() as uow:
        purged = uow.session.get(Application, rejected).biometrics_purged_at
    assert purged is not None and purged > clock()


def test_a_period_that_is_not_a_number_of_days_is_refused(ctx, issuance):
    for value in ("ninety", "-5", "1.5", "99999"):
        refused = issuance("retention", "run", "--dry-run",
                           ISSUANCE_RETENTION_HANDED_OVER_DAYS=value)  # fmt: skip
        assert_refused(refused, "ISSUANCE_RETENTION_HANDED_OVER_DAYS")
        assert "a number of days, 0 (never) to 36500" in refused.stderr
