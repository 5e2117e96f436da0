"""Worker for the coupon-binding race: a separate process recording coupons as a desk would."""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.errors import CouponRecordedForOther
from issuance.security.permissions import Actor
from issuance.security.sealing import Sealer
from issuance.services import enrolment

KEY = bytes(range(32))


def bind_coupons(
    url: str, actor: Actor, jobs: list[tuple[int, int, str]], start: Any, results: Any
) -> None:
    """For each ``(trial, application_id, code)``: wait at ``start`` (a barrier) with every
    other worker, then record the coupon on this worker's application.

    Puts ``(trial, application_id, outcome, began, ended)`` on ``results``: outcome is "bound",
    "refused" (the typed refusal) or the name and text of any other exception.
    """
    settings = Settings(data_dir=Path(tempfile.mkdtemp()), database_url=url)
    ctx = Context(settings=settings, engine=make_engine(url), sealer=Sealer(KEY))
    with ctx.engine.connect():
        pass  # connected (and SQLite's pragmas set) before the start, not after
    for trial, application_id, code in jobs:
        start.wait(timeout=120)
        began = time.time()
        try:
            enrolment.record_coupon(
                ctx, actor, application_id, code=code, amount_lek=6000, card_type="STANDARD"
            )
            outcome = "bound"
        except CouponRecordedForOther:
            outcome = "refused"
        except Exception as exc:  # noqa: BLE001 - reported to the test, which names it
            outcome = f"{type(exc).__name__}: {str(exc)[:200]}"
        results.put((trial, application_id, outcome, began, time.time()))
    ctx.close()
