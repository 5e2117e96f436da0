"""The transactional outbox: messages to remote services are rows written in the same
transaction as the change they report, and a worker delivers them.

Delivery is at-least-once (a crash after the remote call but before the commit repeats the
call) and every receiver is keyed (NID, coupon code, message key), so a repeat changes nothing:
together, each message takes effect exactly once. A claimed message is leased: if its worker
dies, it becomes due again when the lease runs out.

The lease is fenced: every claim gives the message a new generation (``attempts``), and a
worker records an outcome only while the message is still pending under the generation it
claimed, checked on the locked row in the transaction that writes the outcome. A worker that
outlived its lease (a slow registry, a paused process) while another claimed the message has
its result discarded and logged: no second confirmation, no audit event. A live worker whose
round outlasts half its lease records what is done and renews the lease of the rest (fenced the
same way), so a slow registry does not hand its messages to another worker; and it does not
send the messages whose lease ran out before their turn came.
"""

from __future__ import annotations

import logging
import random
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from issuance.db.models import OutboxMessage
from issuance.delivery.clients.errors import RemoteServiceError
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor

if TYPE_CHECKING:
    from issuance.bootstrap import Context

log = logging.getLogger(__name__)

PENDING, DELIVERED, ALERT = "pending", "delivered", "alert"
# An alert a supervisor closed with a note (``services.alerts.resolve_alert``): final, as
# delivered is, and no longer counted as an alert.
RESOLVED = "resolved"
# An outcome, never a stored status: the lease ran out before the message was sent, or before
# its result could be recorded and another worker holds it now.
LOST = "lost"
# Written down but not to be sent (yet): a release of a coupon the post office may or may not
# hold (see ``coupon_delivery``). The worker never claims it; ``rearm`` makes it due.
PARKED = "parked"


def enqueue(
    session: Session, topic: str, key: str, payload: dict[str, Any], *, at: datetime
) -> OutboxMessage:
    """Add a message unless one with this topic and key exists (the same fact, told once)."""
    existing = session.execute(
        select(OutboxMessage).where(OutboxMessage.topic == topic, OutboxMessage.key == key)
    ).scalar_one_or_none()
    if existing is not None:
        return existing
    message = OutboxMessage(
        topic=topic, key=key, payload=payload, status=PENDING, attempts=0,
        next_attempt_at=at, created_at=at,
    )  # fmt: skip
    session.add(message)
    return message


def rearm(message: OutboxMessage, payload: dict[str, Any], *, at: datetime) -> None:
    """Make ``message`` due now again (parked, delivered earlier, or an alert): the fact it
    tells has happened anew. A pending message keeps its place but takes a new generation, so
    an attempt in flight cannot record it delivered: the message is sent again after it."""
    if message.status == PENDING:
        message.attempts += 1
    message.status, message.payload = PENDING, dict(payload)
    message.next_attempt_at, message.delivered_at, message.last_error = at, None, None


@dataclass(frozen=True)
class AlertReason:
    """Why a message became an alert, in both languages, with what a person needs to decide
    (``details``: plain JSON, e.g. a read-back's differing fields side by side). Written to
    ``last_error`` as its English sentence and to the ``outbox.alert`` audit event whole."""

    en: str
    sq: str
    details: dict[str, Any] | None = None

    def __str__(self) -> str:
        return self.en

    @classmethod
    def of(cls, exc: IssuanceError) -> AlertReason:
        details = getattr(exc, "alert_details", None)
        return cls(exc.en, exc.sq, dict(details) if details else None)


@dataclass(frozen=True)
class Claimed:
    id: int
    topic: str
    key: str
    payload: dict[str, Any]
    attempts: int  # the generation this claim holds (see the module's docstring)
    lease_until: datetime | None = None


class Handler(Protocol):
    """One per topic: ``deliver`` talks to the service (no database), ``confirm`` records the
    outcome in the transaction that marks a whole round delivered.

    ``confirm`` must refuse (raise) before it changes anything: the round's other messages
    share its transaction. ``prepare`` may load what a round's confirmations need at once,
    and an optional ``settle(session)`` write what they left for it, all at once, after the
    round's last confirmation (before the commit).

    A handler may also split delivery in two stages: ``send(message)`` (the remote write, on
    the worker's threads) and ``verify(messages, sent)`` (what has to follow every send, such
    as a read-back, for a group of sends at once: one value or exception per message, in
    order). The worker then sends on its threads and verifies each group of finished sends
    right before recording it; ``deliver`` stays both stages for one message.
    """

    def deliver(self, message: Claimed) -> Any: ...

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None: ...

    def prepare(self, session: Session, messages: list[Claimed]) -> None: ...


class BaseHandler:
    """Defaults for handlers with nothing to record beyond the message's delivered state."""

    def confirm(self, session: Session, message: Claimed, result: Any, at: datetime) -> None:
        return None

    def prepare(self, session: Session, messages: list[Claimed]) -> None:
        return None


@dataclass(frozen=True)
class Backoff:
    """Exponential back-off with jitter, so desks recovering together do not stampede."""

    base_s: float = 1.0
    factor: float = 2.0
    cap_s: float = 300.0

    def delay(self, attempts: int, rng: random.Random) -> float:
        ceiling = min(self.cap_s, self.base_s * self.factor ** max(attempts - 1, 0))
        return ceiling / 2 + rng.uniform(0, ceiling / 2)


@dataclass
class RoundResult:
    delivered: int = 0
    retried: int = 0
    alerted: int = 0
    lost: int = 0  # lease ran out: not sent, or the result was discarded

    @property
    def claimed(self) -> int:
        return self.delivered + self.retried + self.alerted + self.lost

    def add(self, other: RoundResult) -> None:
        self.delivered += other.delivered
        self.retried += other.retried
        self.alerted += other.alerted
        self.lost += other.lost


@dataclass
class _Lease:
    """A round's hold on its messages: until when, and which ones a renewal found taken."""

    until: datetime
    lost: set[int] = field(default_factory=set)


@dataclass(frozen=True)
class Backlog:
    pending: int
    due: int
    alerts: int
    by_topic: dict[str, int] = field(default_factory=dict)


class OutboxWorker:
    def __init__(
        self,
        ctx: Context,
        handlers: Mapping[str, Handler],
        *,
        backoff: Backoff | None = None,
        lease: timedelta = timedelta(seconds=60),
        batch_size: int = 100,
        threads: int = 8,
        rng: random.Random | None = None,
        record_every: float = 0.05,
    ) -> None:
        self._ctx, self._handlers = ctx, dict(handlers)
        self._backoff, self._lease = backoff or Backoff(), lease
        self._batch_size, self._threads = batch_size, threads
        self._record_every = record_every
        self._rng = rng or random.Random()
        self._actor = Actor.system("outbox")

    def run_once(self) -> RoundResult:
        """Claim a batch, deliver it on the thread pool, record the outcomes.

        Outcomes are recorded in groups while the rest is still on its way: every
        ``record_every`` seconds, what finished meanwhile, in one transaction (fenced per
        row). A round that lasts longer than half its lease (a slow registry) also renews the
        lease of the rest then, so a live worker keeps its messages and only a dead or stalled
        one loses them.
        """
        claimed = self._claim()
        if not claimed:
            return RoundResult()
        order = {message.id: n for n, message in enumerate(claimed)}
        lease = _Lease(claimed[0].lease_until or self._ctx.clock() + self._lease)
        total = RoundResult()
        with ThreadPoolExecutor(max_workers=min(self._threads, len(claimed))) as pool:
            running: dict[Future[tuple[str, Any]], Claimed] = {
                pool.submit(self._send, message, lease): message for message in claimed
            }
            waiting = set(running)
            while waiting:
                renewal = self._until_renewal(lease)
                done, waiting = wait(waiting, timeout=min(renewal, self._record_every))
                renew = [running[f] for f in waiting] if renewal <= self._record_every else []
                if not done and not renew:
                    continue
                finished = sorted(done, key=lambda f: order[running[f].id])
                messages = [running[f] for f in finished]
                outcomes = [f.result() for f in finished]
                self._verify(messages, outcomes)
                total.add(self._record(messages, outcomes, renew=renew, lease=lease))
        return total

    def _until_renewal(self, lease: _Lease) -> float:
        left = lease.until - self._lease / 2 - self._ctx.clock()
        return max(left.total_seconds(), 0.0)

    def run_until_idle(self, max_rounds: int = 10_000) -> RoundResult:
        """Deliver everything that is due now (retries scheduled later are left for later)."""
        total = RoundResult()
        for _ in range(max_rounds):
            result = self.run_once()
            if not result.claimed:
                break
            total.add(result)
        return total

    def run_forever(self, stop: threading.Event, idle_s: float = 1.0) -> None:
        while not stop.is_set():
            try:
                result = self.run_once()
            except Exception:  # noqa: BLE001 - a worker thread must survive a bad round
                log.exception("outbox round failed")
                result = RoundResult()
            if not result.claimed:
                stop.wait(idle_s)

    def _claim(self) -> list[Claimed]:
        now = self._ctx.clock()
        with self._ctx.uow() as uow:
            query = (
                select(OutboxMessage.id, OutboxMessage.topic, OutboxMessage.key,
                       OutboxMessage.payload, OutboxMessage.attempts)
                .where(OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now)
                .order_by(OutboxMessage.id)
                .limit(self._batch_size)
                .with_for_update(skip_locked=True)
            )  # fmt: skip
            rows = uow.session.execute(query).all()
            lease_until = now + self._lease
            # Locked above until the commit: one statement gives each its new generation.
            claimed = [
                Claimed(row.id, row.topic, row.key, dict(row.payload), row.attempts + 1,
                        lease_until)
                for row in rows
            ]  # fmt: skip
            if claimed:
                uow.session.execute(
                    update(OutboxMessage),
                    [{"id": c.id, "attempts": c.attempts, "next_attempt_at": lease_until}
                     for c in claimed],
                )  # fmt: skip
            uow.commit()
        return claimed

    def _deliver(self, message: Claimed, lease: _Lease | None = None) -> tuple[str, Any]:
        """The whole delivery of one message (both stages of a two-stage handler)."""
        return self._attempt(message, lease, whole=True)

    def _send(self, message: Claimed, lease: _Lease | None = None) -> tuple[str, Any]:
        """The first stage of a two-stage handler's delivery (all of any other's)."""
        return self._attempt(message, lease, whole=False)

    def _attempt(self, message: Claimed, lease: _Lease | None, whole: bool) -> tuple[str, Any]:
        handler = self._handlers.get(message.topic)
        if handler is None:
            return ALERT, f"no handler for topic {message.topic}"
        until = lease.until if lease is not None else message.lease_until
        if (lease is not None and message.id in lease.lost) or (
            until is not None and self._ctx.clock() >= until
        ):
            # Its turn came too late: another worker may be sending it already.
            return LOST, "lease ran out before sending"
        try:
            if not whole and _two_stage(handler):
                return DELIVERED, handler.send(message)  # type: ignore[attr-defined]
            return DELIVERED, handler.deliver(message)
        except Exception as exc:  # noqa: BLE001 - mapped to an outcome
            return self._failure(message, exc)

    def _failure(self, message: Claimed, exc: BaseException) -> tuple[str, Any]:
        if isinstance(exc, RemoteServiceError):
            if exc.permanent:
                # A wrong API key or a refused certificate fails every attempt: retrying
                # forever would hide it, so a person is told (as for a registry mismatch).
                return ALERT, AlertReason.of(exc)
            # Outages, timeouts, 5xx, 429 and garbled answers pass: try again later.
            return PENDING, exc.en
        if isinstance(exc, IssuanceError):
            return ALERT, AlertReason.of(exc)
        # Unknown failures are retried, and logged.
        log.error("delivery of outbox message %s failed", message.id, exc_info=exc)
        return PENDING, type(exc).__name__

    def _verify(self, claimed: list[Claimed], outcomes: list[tuple[str, Any]]) -> None:
        """The second stage of two-stage handlers, for every message of ``claimed`` whose
        send succeeded, a group per topic; ``outcomes`` is updated in place."""
        groups: dict[str, list[int]] = {}
        for n, (message, (status, _)) in enumerate(zip(claimed, outcomes, strict=True)):
            if status == DELIVERED and _two_stage(self._handlers.get(message.topic)):
                groups.setdefault(message.topic, []).append(n)
        for topic, indexes in groups.items():
            handler: Any = self._handlers[topic]
            messages = [claimed[n] for n in indexes]
            try:
                checked = list(handler.verify(messages, [outcomes[n][1] for n in indexes]))
                if len(checked) != len(indexes):
                    raise ValueError(f"{len(checked)} outcomes for {len(indexes)} messages")
            except Exception as exc:  # noqa: BLE001 - every message of the group failed
                checked = [exc] * len(indexes)
            for n, message, value in zip(indexes, messages, checked, strict=True):
                outcomes[n] = (
                    self._failure(message, value) if isinstance(value, BaseException)
                    else (DELIVERED, value)
                )  # fmt: skip

    def _record(
        self,
        claimed: list[Claimed],
        outcomes: list[tuple[str, Any]],
        *,
        renew: Sequence[Claimed] = (),
        lease: _Lease | None = None,
    ) -> RoundResult:
        """Write the outcomes of ``claimed`` still held under the generation they were claimed
        with (the others are discarded), and extend the lease of ``renew`` (still on their way)
        to now + lease, in one transaction."""
        result = RoundResult()
        now = self._ctx.clock()
        renewed_until = now + self._lease
        with self._ctx.uow() as uow:
            session = uow.session
            ids = [message.id for message in (*claimed, *renew)]
            # Locked (in id order, as every worker locks them) until this round's outcomes are
            # written: the fence below cannot be overtaken by a claim or another record.
            rows = {
                row.id: row
                for row in session.execute(
                    select(OutboxMessage.id, OutboxMessage.status, OutboxMessage.attempts)
                    .where(OutboxMessage.id.in_(ids))
                    .order_by(OutboxMessage.id)
                    .with_for_update()
                )
            }
            held = []
            for message, (status, value) in zip(claimed, outcomes, strict=True):
                row = rows.get(message.id)
                if row is None or row.status != PENDING or row.attempts != message.attempts:
                    if status != LOST:
                        # By id and topic only: a key may be an NID, which logs never hold.
                        log.warning(
                            "outbox message %s (%s): lease lost to another delivery, "
                            "result discarded (%s)", message.id, message.topic, status,
                        )  # fmt: skip
                    result.lost += 1
                elif status == LOST:
                    result.lost += 1  # still ours, and due again: the next round sends it
                else:
                    held.append((message, status, value))
            # Written below in one statement per kind of change, by primary key, to the rows
            # the fence above let through (and locked until the commit).
            changes: list[dict[str, Any]] = []
            for message in renew:
                row = rows.get(message.id)
                if row is None or row.status != PENDING or row.attempts != message.attempts:
                    if lease is not None:
                        lease.lost.add(message.id)
                else:
                    changes.append({"id": message.id, "next_attempt_at": renewed_until})
            for topic, handler in self._handlers.items():
                batch = [m for m, _, _ in held if m.topic == topic]
                if batch:
                    handler.prepare(session, batch)
            delivered, retried, alerted = [], [], []
            for message, status, value in held:
                if status == DELIVERED:
                    status, value = self._confirm(session, message, value, now)
                if status == DELIVERED:
                    delivered.append({"id": message.id, "status": DELIVERED,
                                      "delivered_at": now, "last_error": None})  # fmt: skip
                    result.delivered += 1
                elif status == PENDING:
                    delay = self._backoff.delay(message.attempts, self._rng)
                    retried.append({"id": message.id, "last_error": str(value)[:500],
                                    "next_attempt_at": now + timedelta(seconds=delay)})  # fmt: skip
                    result.retried += 1
                else:
                    problem = str(value)[:500]
                    alerted.append({"id": message.id, "status": ALERT, "last_error": problem})
                    details: dict[str, Any] = {"topic": message.topic, "problem": problem}
                    if isinstance(value, AlertReason):
                        details["problem_sq"] = value.sq[:500]
                        if value.details:
                            details["details"] = value.details
                    audit.record(
                        session, self._actor, "outbox.alert", "outbox_message", message.id,
                        details, at=now,
                    )  # fmt: skip
                    result.alerted += 1
            # Handlers that write a round's confirmations together do it now.
            for handler in {id(h): h for h in self._handlers.values()}.values():
                settle = getattr(handler, "settle", None)
                if callable(settle):
                    settle(session)
            for rows_changed in (changes, delivered, retried, alerted):
                if rows_changed:
                    session.execute(update(OutboxMessage), rows_changed)
            uow.commit()
        if lease is not None and renew:
            lease.until = renewed_until
        return result

    def _confirm(
        self, session: Session, message: Claimed, value: Any, now: datetime
    ) -> tuple[str, Any]:
        try:
            self._handlers[message.topic].confirm(session, message, value, now)
        except IssuanceError as exc:
            return ALERT, AlertReason.of(exc)
        return DELIVERED, value


def _two_stage(handler: object) -> bool:
    return callable(getattr(handler, "send", None)) and callable(getattr(handler, "verify", None))


def backlog(ctx: Context) -> Backlog:
    """What is waiting, for the desk's status bar."""
    now = ctx.clock()
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(OutboxMessage.topic, OutboxMessage.status, func.count())
            .where(OutboxMessage.status.not_in((DELIVERED, PARKED, RESOLVED)))
            .group_by(OutboxMessage.topic, OutboxMessage.status)
        ).all()
        due = uow.session.execute(
            select(func.count()).where(
                OutboxMessage.status == PENDING, OutboxMessage.next_attempt_at <= now
            )
        ).scalar_one()
    by_topic: dict[str, int] = {}
    pending = alerts = 0
    for topic, status, count in rows:
        if status == PENDING:
            pending += count
            by_topic[topic] = by_topic.get(topic, 0) + count
        else:
            alerts += count
    return Backlog(pending, due, alerts, by_topic)
