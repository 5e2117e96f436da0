"""Issue 12, defect 2: desks binding the same coupon at once: exactly one wins, the others get
a typed refusal (never a raw IntegrityError, never two applications on one coupon)."""

from __future__ import annotations

import multiprocessing
from collections import Counter

import pytest
from sqlalchemy import select, update

from issuance.db.models import Application, Coupon
from issuance.domain.workflow import State
from issuance.errors import CouponRecordedForOther
from issuance.services import applications, enrolment
from tests.support.coupon_binders import bind_coupons
from tests.support.world import build_world

PROCESSES, TRIALS = 6, 3
pytestmark = pytest.mark.slow


def _released_coupon(ctx, clerk, code: str) -> None:
    """A coupon that backed a cancelled draft, its release confirmed by the post office."""
    draft = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(ctx, clerk, draft.id, code=code, amount_lek=6000, card_type="STANDARD")
    applications.transition(ctx, clerk, draft.id, State.CANCELLED, reason="left")
    with ctx.uow() as uow:
        uow.session.execute(update(Coupon).where(Coupon.code == code).values(status="released"))
        uow.commit()


def test_racing_desks_bind_one_coupon_once(ctx, console, database_url):
    world = build_world(ctx, console)
    trials = []  # (kind, code, one draft per process)
    for n in range(TRIALS):
        released = f"REL{n:08d}"
        _released_coupon(ctx, world.clerk, released)
        trials.append(("released", released))
        trials.append(("fresh", f"NEW{n:08d}"))
    drafts = [[enrolment.start_draft(ctx, world.clerk).id for _ in range(PROCESSES)]
              for _ in trials]  # fmt: skip

    mp = multiprocessing.get_context("spawn")
    start, results = mp.Barrier(PROCESSES), mp.Queue()
    workers = [
        mp.Process(
            target=bind_coupons,
            args=(database_url, world.clerk,
                  [(t, drafts[t][w], code) for t, (_, code) in enumerate(trials)],
                  start, results),
        )  # fmt: skip
        for w in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    try:
        reports = [results.get(timeout=180) for _ in range(PROCESSES * len(trials))]
    finally:
        for worker in workers:
            worker.join(timeout=30)
    assert [worker.exitcode for worker in workers] == [0] * PROCESSES

    for t, (kind, code) in enumerate(trials):
        outcomes = {app: outcome for trial, app, outcome, _, _ in reports if trial == t}
        # Outcomes by kind, other exceptions by their name ("IntegrityError"), shown with -s.
        tally = Counter(o.split(":")[0] for o in outcomes.values())
        print(f"{ctx.engine.dialect.name} {kind} {code}: {dict(tally)}")
        assert Counter(outcomes.values()) == {"bound": 1, "refused": PROCESSES - 1}, (
            kind, outcomes,
        )  # fmt: skip
        (winner,) = [app for app, outcome in outcomes.items() if outcome == "bound"]
        with ctx.uow() as uow:
            rows = uow.session.execute(select(Coupon).where(Coupon.code == code)).scalars().all()
            states = {
                a.id: a.state
                for a in uow.session.execute(
                    select(Application).where(Application.id.in_(drafts[t]))
                ).scalars()
            }
        assert [(r.application_id, r.status) for r in rows] == [(winner, "reserved")], kind
        assert states == {
            app: (State.COUPON_VERIFIED if app == winner else State.DRAFT) for app in drafts[t]
        }, kind


def test_a_coupon_bound_elsewhere_is_a_typed_refusal(ctx, console):
    world = build_world(ctx, console)
    first = enrolment.start_draft(ctx, world.clerk)
    second = enrolment.start_draft(ctx, world.clerk)
    enrolment.record_coupon(ctx, world.clerk, first.id, code="PSH10000001", amount_lek=6000,
                            card_type="STANDARD")  # fmt: skip
    with pytest.raises(CouponRecordedForOther) as refused:
        enrolment.record_coupon(ctx, world.clerk, second.id, code="PSH10000001",
                                amount_lek=6000, card_type="STANDARD")  # fmt: skip
    assert "PSH10000001" in refused.value.message("sq")
    assert "another application" in refused.value.message("en")
    with ctx.uow() as uow:
        assert uow.session.get(Application, second.id).state == State.DRAFT
