"""Benchmark: search among a million applicants (targets: every kind < 50 ms, and each kind
≤ 3× the raw indexed SQL query answering the same question).

Seeds applicants, their permit snapshots, applications and (for every fourth application) a
card straight into a fresh SQLite database with bulk inserts (the enrolment services would take
hours for a million), then times ``issuance.queries.search.search`` as the search screen calls it (a
clerk, so office-scoped): by NID, application number, document number, permit number, passport
number, a common surname typed without diacritics ("Cela" finds "Çela"), a rare full name, and
a text that matches nothing. Beside each, in the same run and on the same database, the bare
indexed SELECT (hand-written SQL on a plain sqlite3 connection, already open) that answers the
same question with the same columns and the same office condition: the identifier's own index
for an identifier, the surname-key and given-names-key ranges for a name. Project and raw query
alternate, run after run; a round's times are the medians of its runs (--rounds), and each
kind is measured in 3 rounds: printed are the round of the median ratio and that ratio.

Run: .venv/bin/python bench/search_million.py [--applicants N] [--rounds RUNS] [--db PATH]
  --db PATH keeps the seeded database in PATH and reuses it when it exists (quick iterations).
"""

from __future__ import annotations

import argparse
import base64
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, insert, select  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from issuance.bootstrap import Context, bootstrap  # noqa: E402
from issuance.config import Settings  # noqa: E402
from issuance.db.models import Applicant, Application, Card, Office, Operator, PermitSnapshot  # noqa: E402
from issuance.domain.identity import nid  # noqa: E402
from issuance.domain.names import fold  # noqa: E402
from issuance.queries.search import search  # noqa: E402
from issuance.security.permissions import Actor, Role  # noqa: E402

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
            "number": f"TR-2026-{i + 1:06d}", "office_id": office_id, "clerk_id": clerk_id,
            "applicant_id": i + 1, "permit_snapshot_id": i + 1, "state": "submitted",
            "draft": {}, "created_at": NOW, "updated_at": NOW, "version": 1,
        } for i in range(start, start + n)]  # fmt: skip
        with ctx.engine.begin() as connection:
            connection.execute(insert(Applicant), applicants)
            connection.execute(insert(PermitSnapshot), permits)
            connection.execute(insert(Application), applications)
    return Actor("clerk", Role.CLERK, clerk_id, office_id)


# The raw query of each kind: the one indexed SELECT answering the same question.
_HIT = ("SELECT a.id, a.number, a.state, p.surname, p.given_names, p.nid FROM applications a "
        "JOIN applicants p ON a.applicant_id = p.id ")  # fmt: skip
_SCOPE = " AND +a.office_id = ? LIMIT 50"  # "+": no index answers it (the identifier's does)
RAW = {
    "nid": [_HIT + "WHERE p.nid = ?" + _SCOPE],
    "number": [_HIT + "WHERE a.number = ?" + _SCOPE],
    "card": [_HIT + "JOIN cards c ON c.application_id = a.id WHERE c.document_number = ?"
             + _SCOPE],
    "permit": [_HIT + "JOIN permit_snapshots s ON a.permit_snapshot_id = s.id "
               "WHERE s.permit_number = ?" + _SCOPE],
    "passport": [_HIT + "WHERE p.passport_number = ?" + _SCOPE],
    "name": [_HIT + f"WHERE p.{column} >= ? AND p.{column} < ? AND +a.office_id = ? "
             f"ORDER BY p.{column} LIMIT 50" for column in ("surname_key", "given_names_key")],
}  # fmt: skip


def _raw_params(kind: str, text: str, office_id: int) -> list[tuple]:
    if kind != "name":
        return [(text.upper(), office_id)]
    first = fold(text).split(" ")[0]
    return [(first, first + "\U0010ffff", office_id)] * 2


def _seed_cards(ctx: Context, count: int, clerk_id: int) -> None:
    for start in range(0, count, CHUNK * 4):
        cards = [{
            "application_id": i + 1, "applicant_id": i + 1, "document_number": f"TR{i + 1:07d}",
            "status": "produced", "issued_on": date(2026, 1, 1), "expires_on": date(2028, 1, 1),
            "operator_id": clerk_id, "created_at": NOW,
        } for i in range(start, min(count, start + CHUNK * 4), 4)]  # fmt: skip
        with ctx.engine.begin() as connection:
            connection.execute(insert(Card), cards)


def _median_ms(times: list[float]) -> float:
    return statistics.median(times) * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=31)
    parser.add_argument("--db", type=Path, help="keep (and reuse) the seeded database here")
    args = parser.parse_args()
    count = args.applicants
    with tempfile.TemporaryDirectory() as folder:
        path = args.db.resolve() if args.db else Path(folder) / "bench.db"
        reuse = path.exists()
        settings = Settings(data_dir=Path(folder), database_url=f"sqlite:///{path}",
                            biometric_key=base64.b64encode(KEY).decode())  # fmt: skip
        ctx = bootstrap(settings, clock=lambda: NOW)  # migrated to head
        if reuse:
            with Session(ctx.engine) as session:
                count = session.scalar(select(func.count(Applicant.id))) or 0
                clerk = session.scalars(select(Operator).where(Operator.username == "clerk")).one()
                actor = Actor("clerk", Role.CLERK, clerk.id, clerk.office_id)
            print(f"reusing {path}: {count} applicants")
        else:
            started = time.perf_counter()
            actor = seed(ctx, count)
            _seed_cards(ctx, count, actor.operator_id)  # type: ignore[arg-type]
            print(f"seeded {count} applicants in {time.perf_counter() - started:.1f} s")
        middle = count // 2
        middle -= middle % 4  # one with a card
        with Session(ctx.engine) as session:
            some_nid = session.get(Applicant, middle + 1).nid  # type: ignore[union-attr]
            number = session.get(Application, middle + 1).number  # type: ignore[union-attr]
        queries = [
            ("NID", "nid", some_nid),
            ("application number", "number", number),
            ("document number", "card", f"TR{middle + 1:07d}"),
            ("permit number", "permit", f"RP{middle:08d}"),
            ("passport number", "passport", f"P{middle:08d}"),
            ("common surname 'Cela'", "name", "Cela"),
            ("rare full name 'celaj-xhaferri embelsira'", "name", "celaj-xhaferri embelsira"),
            ("nothing matches 'Zzyzx'", "name", "Zzyzx"),
        ]
        raw = sqlite3.connect(path, isolation_level=None)
        print(f"{'kind':43s} {'hits':>4s} {'search':>9s} {'raw SQL':>9s} {'ratio':>6s}  ≤ 3")
        worst, ratios = 0.0, []
        for label, kind, text in queries:
            statements = RAW[kind]
            params = _raw_params(kind, text, actor.office_id)  # type: ignore[arg-type]
            hits = search(ctx, actor, text)  # warm: caches, statements, pages
            raw_rows = [row for sql, p in zip(statements, params, strict=True)
                        for row in raw.execute(sql, p).fetchall()]  # fmt: skip
            assert {h.application_id for h in hits} >= {row[0] for row in raw_rows} or \
                kind == "name", label  # fmt: skip
            measured = []  # (ratio, project, baseline) of each of the 3 rounds
            for _ in range(3):
                ours, bare = [], []
                for _ in range(args.rounds):
                    t0 = time.perf_counter()
                    search(ctx, actor, text)
                    t1 = time.perf_counter()
                    for sql, p in zip(statements, params, strict=True):
                        raw.execute(sql, p).fetchall()
                    t2 = time.perf_counter()
                    ours.append(t1 - t0)
                    bare.append(t2 - t1)
                project, baseline = _median_ms(ours), _median_ms(bare)
                measured.append((project / baseline, project, baseline))
            ratio, project, baseline = sorted(measured)[1]  # the median round
            worst = max(worst, project)
            ratios.append((label, ratio))
            print(f"{label:43s} {len(hits):4d} {project:7.3f}ms {baseline:7.3f}ms "
                  f"{ratio:5.1f}×  {'yes' if ratio <= 3 else 'NO'}")  # fmt: skip
        raw.close()
        print(f"slowest search among {count} applicants: {worst:.2f} ms (target < 50 ms)")
        label, ratio = max(ratios, key=lambda item: item[1])
        print(f"highest ratio to the raw indexed query: {ratio:.1f}× ({label}; target ≤ 3×)")
        ctx.close()


if __name__ == "__main__":
    main()
