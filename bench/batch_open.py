"""Benchmark: open a batch of 500 submitted applications (target: batch list + table < 1 s)
and approve every one of them as "approve all remaining" does (target < 2 s), against 500
bare one-row commits on the same database file (target: within 10x of them).

Seeds the applications straight into a fresh SQLite database (bypassing the enrolment
services on purpose: 500 argon2-free, network-free rows in about a second), each with a
sealed face, ten fingers (a few with exceptions or low quality) and a signature, some sharing
a permit or a person, then times ``batch_queries.open_batches`` and
``batch_queries.batch_applications`` as the supervisor's screen calls them, then
``batches.approve_remaining`` (one transaction: 500 NIDs, audit events and outbox messages).
The bare loop commits one row per transaction through the same engine (BEGIN IMMEDIATE, WAL,
synchronous=FULL), before and after the approval; the ratio is to the faster of the two runs.

Run: .venv/bin/python bench/batch_open.py [applications] [repeats]
"""

from __future__ import annotations

import base64
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import Engine  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from issuance.bootstrap import Context, bootstrap  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.db.models import (  # noqa: E402
    Applicant,
    Application,
    Batch,
    BiometricCapture,
    Office,
    Operator,
    PermitSnapshot,
    Signature,
)
from issuance.domain.names import fold  # noqa: E402
from issuance.queries import batches as batch_queries  # noqa: E402
from issuance.security.permissions import Actor, Role  # noqa: E402
from issuance.services import batches as decisions  # noqa: E402
from issuance.services import enrolment  # noqa: E402

KEY = bytes(range(32))
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def seed(ctx: Context, count: int) -> Actor:
    image = b"\xff\xd8" + bytes(2000)  # stands in for a small JPEG/PNG; only sealing matters
    with Session(ctx.engine) as session, session.begin():
        office = Office(code="TR", name="DRKM Tiranë", city="Tiranë", created_at=NOW)
        session.add(office)
        session.flush()
        clerk = Operator(username="clerk", full_name="Clerk", role="clerk", office_id=office.id,
                         password_hash="-", created_at=NOW, password_changed_at=NOW)  # fmt: skip
        supervisor = Operator(username="supervisor", full_name="Supervisor", role="supervisor",
                              office_id=office.id, password_hash="-", created_at=NOW,
                              password_changed_at=NOW)  # fmt: skip
        session.add_all([clerk, supervisor])
        batch = Batch(office_id=office.id, batch_date=NOW.date(), state="open", opened_at=NOW)
        session.add(batch)
        session.flush()
        applicants, snapshots, applications = [], [], []
        for i in range(count):
            surname, given = f"Çela{i}", "Ëndrit"
            applicants.append(
                Applicant(
                    surname=surname,
                    given_names=given,
                    surname_key=fold(surname),
                    given_names_key=fold(given),
                    father_name="Gëzim",
                    sex="M",
                    birth_date=date(1980, 1, 1) + timedelta(days=i),
                    nationality="XKX",
                    place_of_birth="Prishtinë",
                    passport_number=f"P{i:07d}",
                    created_at=NOW,
                )  # fmt: skip
            )
        session.add_all(applicants)
        session.flush()
        for i, applicant in enumerate(applicants):
            # Every 50th shares its permit with the previous one: the duplicates query has work.
            permit_number = f"LQ{(i - 1 if i % 50 == 49 else i):07d}"
            snapshots.append(
                PermitSnapshot(
                    applicant_id=applicant.id,
                    permit_number=permit_number,
                    permit_type="Leje qëndrimi për punë",
                    status="valid",
                    valid_from=date(2025, 1, 1),
                    valid_until=date(2028, 1, 1),
                    register_payload={"addressInAlbania": "Rruga e Kavajës, Tiranë"},
                    fetched_at=NOW,
                )  # fmt: skip
            )
        session.add_all(snapshots)
        session.flush()
        for i, (applicant, snapshot) in enumerate(zip(applicants, snapshots, strict=True)):
            applications.append(
                Application(
                    number=f"TR-20261123-{i:05d}",
                    office_id=office.id,
                    clerk_id=clerk.id,
                    applicant_id=applicant.id,
                    permit_snapshot_id=snapshot.id,
                    batch_id=batch.id,
                    state="submitted",
                    draft={},
                    created_at=NOW,
                    submitted_at=NOW,
                )  # fmt: skip
            )
        session.add_all(applications)
        session.flush()
        captures: list[object] = []
        for i, application in enumerate(applications):
            context = enrolment.capture_context(application.id, "face", "face")
            captures.append(
                BiometricCapture(
                    application_id=application.id,
                    kind="face",
                    position="face",
                    image_format="jpeg",
                    data_sealed=ctx.sealer.seal(image, context),
                    quality=100,
                    for_chip=True,
                    captured_at=NOW,
                )  # fmt: skip
            )
            for n, position in enumerate(enrolment.FINGER_POSITIONS):
                exception = "amputated" if (i % 20 == 0 and n == 9) else None
                sealed = None
                if exception is None:
                    context = enrolment.capture_context(application.id, "finger", position)
                    sealed = ctx.sealer.seal(image, context)
                captures.append(
                    BiometricCapture(
                        application_id=application.id,
                        kind="finger",
                        position=position,
                        image_format="png",
                        data_sealed=sealed,
                        quality=30 if (i % 7 == 0 and n == 3) else 70,
                        exception_reason=exception,
                        captured_at=NOW,
                    )  # fmt: skip
                )
            signature = enrolment.signature_context(application.id)
            captures.append(
                Signature(application_id=application.id,
                          image_sealed=ctx.sealer.seal(image, signature), captured_at=NOW)
            )  # fmt: skip
        session.add_all(captures)
        return Actor("supervisor", Role.SUPERVISOR, supervisor.id, office.id)


def bare_commits(engine: Engine, count: int) -> float:
    """Seconds for ``count`` transactions of one INSERT each, on the desk's own engine."""
    with engine.begin() as connection:
        connection.exec_driver_sql(
            "CREATE TABLE IF NOT EXISTS bench_commits (id INTEGER PRIMARY KEY, n INTEGER)"
        )
    started = time.perf_counter()
    for n in range(count):
        with engine.begin() as connection:
            connection.exec_driver_sql("INSERT INTO bench_commits (n) VALUES (?)", (n,))
    return time.perf_counter() - started


def main() -> int:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/bench.db",
                            biometric_key=base64.b64encode(KEY).decode())  # fmt: skip
        ctx = bootstrap(settings, clock=lambda: NOW)  # migrated to head
        started = time.perf_counter()
        supervisor = seed(ctx, count)
        print(f"seeded {count} submitted applications in {time.perf_counter() - started:.2f} s")
        list_times, table_times = [], []
        for _ in range(repeats):
            t0 = time.perf_counter()
            batches = batch_queries.open_batches(ctx, supervisor)
            t1 = time.perf_counter()
            rows = batch_queries.batch_applications(ctx, supervisor, batches[0].batch_id)
            t2 = time.perf_counter()
            list_times.append(t1 - t0)
            table_times.append(t2 - t1)
        summary = batches[0]
        flagged = sum(1 for r in rows if r.flags)
        duplicated = sum(1 for r in rows if r.duplicates)
        print(f"batch {summary.label}: {summary.total} applications, {summary.flagged} flagged")
        print(f"table rows: {len(rows)}, with flags: {flagged}, with duplicates: {duplicated}")
        print(f"batch list:  median {statistics.median(list_times) * 1000:.1f} ms")
        print(f"batch table: median {statistics.median(table_times) * 1000:.1f} ms")
        total = statistics.median(list_times) + statistics.median(table_times)
        print(f"open a batch of {count}: {total * 1000:.1f} ms (target < 1000 ms)")
        # "Approve all remaining": one service call, one transaction for the whole batch.
        bare_before = bare_commits(ctx.engine, len(rows))
        t0 = time.perf_counter()
        result = decisions.approve_remaining(
            ctx, supervisor, summary.batch_id, application_ids=[r.application_id for r in rows]
        )
        approving = time.perf_counter() - t0
        bare_after = bare_commits(ctx.engine, len(rows))
        assert len(result.approved) == len(rows) and not result.skipped, result.skipped
        bare = min(bare_before, bare_after)
        ratio = approving / bare
        print(f"approve all {len(rows)}: {approving * 1000:.0f} ms (target < 2000 ms)")
        runs = f"{bare_before * 1000:.0f} ms before, {bare_after * 1000:.0f} ms after"
        print(f"{len(rows)} bare one-row commits: {bare * 1000:.0f} ms (runs: {runs})")
        verdict = "ok" if ratio <= 10 else "over the target"
        print(f"approve all / bare commits: {ratio:.1f}x (target <= 10x: {verdict})")
        ctx.close()
        return 0 if ratio <= 10 else 1


if __name__ == "__main__":
    sys.exit(main())
