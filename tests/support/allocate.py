"""Worker for the concurrency test: a separate process allocating NIDs as a desk would."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from issuance import numbering
from issuance.db.engine import make_engine
from issuance.models import Applicant

BIRTH = date(1985, 6, 15)


def allocate_many(url: str, count: int, worker: int) -> list[str]:
    engine = make_engine(url)
    allocated = []
    for i in range(count):
        with Session(engine) as session, session.begin():
            value = numbering.allocate_nid(session, BIRTH, "F")
            session.add(
                Applicant(
                    surname=f"W{worker}", given_names=f"N{i}", surname_key=f"W{worker}",
                    given_names_key=f"N{i}", sex="F", birth_date=BIRTH, nationality="ITA",
                    nid=value,
                )
            )  # fmt: skip
        allocated.append(value)
    engine.dispose()
    return allocated
