"""Benchmark: search among a million applicants (target: every kind of search < 50 ms).

Seeds applicants, their permit snapshots and applications straight into a fresh SQLite
database with bulk inserts (the enrolment services would take hours for a million), then
times ``issuance.search.search`` as the search screen calls it: by NID, application number,
permit number, passport number, a common surname typed without diacritics ("Cela" finds
"Çela"), a rare full name, and a text that matches nothing.

Run: .venv/bin/python bench/search_million.py [applicants] [repeats]
"""

from __future__ import annotations

import base64
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from issuance.bootstrap import Context, bootstrap  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.identity import nid  # noqa: E402
from issuance.models import Applicant, Application, Office, Operator, PermitSnapshot  # noqa: E402
from issuance.names import fold  # noqa: E402
from issuance.permissions import Actor, Role  # noqa: E402
from issuance.search import search  # noqa: E402

KEY = bytes(range(32))
NOW = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
CHUNK = 20_000
SURNAMES = ["Çela", "Hoxha", "Gjoni", "Dervishi", "Kërçova", "Rossi", "Müller", "Nowak",
            "Petrović", "Yılmaz", "García", "Öztürk", "Papadopoulos", "Ivanova", "Kovač",
            "Smith", "Dupont", "Bianchi", "Horváth", "Novák"]  # fmt: skip
GIVEN = ["Ëndrit", "Arbër", "Drita", "Çlirim", "Marco", "Anna", "Jörg", "Zoë", "Luka",
         "Ayşe", "José", "Elif", "Nikos", "Olga", "Ana", "John", "Éloïse", "Giulia"]  # fmt: skip
RARE = ("Çelaj-Xhaferri", "Ëmbëlsira Marigonë")


def _rows(
    start: int, count: int, rare_at: int, rng: random.Random
) -> tuple[list[dict], list[dict]]:
    applicants, permits = [], []
    for i in range(start, start + count):
        surname, given = RARE if i == rare_at else (rng.choice(SURNAMES), rng.choice(GIVEN))
        born = date(1950, 1, 1) + timedelta(days=i % 20_000)
        sex = "F" if i % 2 else "M"
        applicants.append({
            "id": i + 1, "surname": surname, "given_names": given,
            "surname_key": fold(surname), "given_names_key": fold(given),
            "sex": sex, "birth_date": born, "nationality": "ITA",
            "passport_number": f"P{i:08d}",
            "nid": nid.compose(born, sex, i // 20_000 + 1, foreigner=True),
            "created_at": NOW,
        })  # fmt: skip
        permits.append({
            "id": i + 1, "applicant_id": i + 1, "permit_number": f"RP{i:08d}",
            "permit_type": "Leje qëndrimi për punë", "status": "valid",
            "valid_from": date(2025, 1, 1), "valid_until": date(2028, 1, 1),
            "register_payload": {}, "fetched_at": NOW,
        })  # fmt: skip
    return applicants, permits


def seed(ctx: Context, count: int) -> Actor:
    rng = random.Random(9303)
    with Session(ctx.engine) as session, session.begin():
        office = Office(code="TR", name="DRKM Tiranë", city="Tiranë", created_at=NOW)
        session.add(office)
        session.flush()
        clerk = Operator(username="clerk", full_name="Clerk", role="clerk", office_id=office.id,
                         password_hash="-", created_at=NOW, password_changed_at=NOW)  # fmt: skip
        session.add(clerk)
        session.flush()
        office_id, clerk_id = office.id, clerk.id
    for start in range(0, count, CHUNK):
        n = min(CHUNK, count - start)
        applicants, permits = _rows(start, n, count // 3, rng)
        applications = [{
            "number": f"TR-2026{i:08d}", "office_id": office_id, "clerk_id": clerk_id,
            "applicant_id": i + 1, "permit_snapshot_id": i + 1, "state": "submitted",
            "draft": {}, "created_at": NOW, "updated_at": NOW, "version": 1,
        } for i in range(start, start + n)]  # fmt: skip
        with ctx.engine.begin() as connection:
            connection.execute(insert(Applicant), applicants)
            connection.execute(insert(PermitSnapshot), permits)
            connection.execute(insert(Application), applications)
    return Actor("clerk", Role.CLERK, clerk_id, office_id)


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 20
    with tempfile.TemporaryDirectory() as folder:
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{folder}/bench.db",
                            biometric_key=base64.b64encode(KEY).decode())  # fmt: skip
        ctx = bootstrap(settings, clock=lambda: NOW)  # migrated to head
        started = time.perf_counter()
        actor = seed(ctx, count)
        print(f"seeded {count} applicants in {time.perf_counter() - started:.1f} s")
        middle = count // 2
        with Session(ctx.engine) as session:
            some_nid = session.get(Applicant, middle + 1).nid  # type: ignore[union-attr]
        queries = {
            "NID": some_nid,
            "application number": f"TR-2026{middle:08d}",
            "permit number": f"RP{middle:08d}",
            "passport number": f"P{middle:08d}",
            "common surname 'Cela'": "Cela",
            "rare full name 'celaj-xhaferri embelsira'": "celaj-xhaferri embelsira",
            "nothing matches": "Zzyzx",
        }
        worst = 0.0
        for label, text in queries.items():
            times, hits = [], []
            for _ in range(repeats):
                t0 = time.perf_counter()
                hits = search(ctx, actor, text)
                times.append(time.perf_counter() - t0)
            median = statistics.median(times) * 1000
            worst = max(worst, median)
            print(f"{label:45s} {len(hits):3d} hits  median {median:7.2f} ms")
        print(f"slowest search among {count} applicants: {worst:.1f} ms (target < 50 ms)")
        ctx.close()


if __name__ == "__main__":
    main()
