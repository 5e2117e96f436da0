"""Worker for the concurrency test: a separate process allocating NIDs as a desk would."""

from __future__ import annotations

import time
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from issuance.db.engine import make_engine
from issuance.db.models import Applicant
from issuance.domain import numbering

BIRTH = date(1985, 6, 15)


def allocate_many(url: str, count: int, worker: int, start: Any, results: Any) -> None:
    """Connect, wait at ``start`` (a barrier) until every worker is ready, then allocate.

    Without the barrier a worker still importing would start after the first had finished,
    and the test would prove nothing about concurrent desks. Puts ``(worker, NIDs, began,
    ended)`` on ``results`` (wall-clock seconds, comparable across processes).
    """
    engine = make_engine(url)
    with engine.connect():
        pass  # the connection (and SQLite's pragmas) ready before the start, not after
    start.wait(timeout=120)
    began = time.time()
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
    ended = time.time()
    engine.dispose()
    results.put((worker, allocated, began, ended))
