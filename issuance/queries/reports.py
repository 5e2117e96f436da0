"""The office's report for a day or a period: what happened to coupons, applications, cards,
blanks and delivery alerts, and how long approval and production took (issue 17, item 1).

The period is ``[first_day, last_day + 1 day)`` in the office's time (Europe/Tirane), both
days included. Every number comes from the audit trail (what happened when: it is never
rewritten) and, for blanks, from the stock (``queries.stock.blanks_by_state``):

- coupons: *reserved* = applications that bound a verified coupon (→ coupon verified);
  *consumed* = applications submitted; *released* = applications cancelled or discarded while
  a coupon backed them (the release goes to the post office through the outbox);
- applications: opened, submitted, approved (from submitted), rejected, cancelled, handed over
  in the period; and every application's state at the end of the period (rebuilt from its
  transitions), with the age since it was opened of those not closed by then;
- cards: produced, spoiled, voided (an old card handed in or damaged, at the new one's
  handover), superseded, revoked, handed over. A card number retired before its run started
  used no blank and is no card: not counted;
- blanks: received, used (taken into the printer: every produced and every spoiled card takes
  one), spoiled, voided unused, in stock at the end;
- delivery alerts: raised in the period, and open at its end (the message's last alert event
  before the end is not followed by a retry or a resolution);
- approval time = submitted → approved, for the approvals of the period; production time =
  approved → card produced, for the cards produced in the period; the median and the maximum.

They reconcile: consumed coupons = submitted applications; blanks used = cards produced + cards
spoiled by their run (spoiled − spoiled by the operator) whenever no run was left in production;
the states at the end add up to the applications opened before it.
"""

from __future__ import annotations

import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from issuance.db.models import Application, AuditEvent, Card, Office, OutboxMessage
from issuance.documents.report import ReportDocument, ReportRow, ReportSection
from issuance.domain.workflow import CLOSED, STATE_NAMES, State
from issuance.errors import IssuanceError
from issuance.queries.stock import blanks_by_state
from issuance.security.permissions import Actor, UseCase, authorize, office_scope, require_office
from issuance.wall_clock import LOCAL_ZONE

if TYPE_CHECKING:
    from issuance.bootstrap import Context

MAX_DAYS = 366
TRANSITION = "application.transition"
CARD_EVENTS = ("card.produced", "card.spoiled", "card.superseded", "card.revoked",
               "card.handed_over")  # fmt: skip
ALERT_EVENTS = ("outbox.alert", "outbox.retried", "outbox.resolved")

# Age buckets of the applications still open at the end: (upper bound in whole days, sq, en).
AGE_BUCKETS: tuple[tuple[int | None, str, str], ...] = (
    (0, "nën 1 ditë", "under 1 day"),
    (7, "1–7 ditë", "1–7 days"),
    (30, "8–30 ditë", "8–30 days"),
    (None, "mbi 30 ditë", "over 30 days"),
)


class UnknownReportOffice(IssuanceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Zyra «{code}» nuk ekziston.", f"Office '{code}' does not exist.")


class InvalidReportPeriod(IssuanceError):
    def __init__(self, first: date, last: date) -> None:
        super().__init__(
            f"Periudha {first:%d.%m.%Y}–{last:%d.%m.%Y} nuk është e vlefshme. "
            f"Zgjidhni një ditë fillimi jo pas ditës së fundit, për jo më shumë se {MAX_DAYS} "
            "ditë.",
            f"The period {first:%d.%m.%Y}–{last:%d.%m.%Y} is not valid. Choose a first day no "
            f"later than the last one, for at most {MAX_DAYS} days.",
        )


@dataclass(frozen=True)
class Durations:
    """Median and maximum of a set of durations, in whole seconds (None when there are none)."""

    count: int
    median_seconds: int | None
    max_seconds: int | None

    @classmethod
    def of(cls, seconds: list[float]) -> Durations:
        if not seconds:
            return cls(0, None, None)
        return cls(len(seconds), round(statistics.median(seconds)), round(max(seconds)))


@dataclass(frozen=True)
class OfficeReport:
    office_code: str
    office_name: str
    first_day: date
    last_day: date
    coupons_reserved: int
    coupons_consumed: int
    coupons_released: int
    applications_opened: int
    applications_submitted: int
    applications_approved: int
    applications_rejected: int
    applications_cancelled: int
    applications_handed_over: int
    # Every state in workflow order, with the applications in it at the end of the period.
    by_state: tuple[tuple[State, int], ...]
    # The applications not closed at the end, by age since opened (AGE_BUCKETS' order).
    open_by_age: tuple[int, ...]
    cards_produced: int
    cards_spoiled: int
    # Of those, recorded by the card operator: a made card found misprinted, or a blank left
    # in production by a crash. Their blank was used when the run started (maybe an earlier
    # day); the others were spoiled by the run itself and used their blank then.
    cards_spoiled_by_operator: int
    cards_voided: int
    cards_superseded: int
    cards_revoked: int
    cards_handed_over: int
    blanks_received: int
    blanks_used: int
    blanks_spoiled: int
    blanks_voided: int
    blanks_in_stock: int
    alerts_raised: int
    alerts_open: int
    approval: Durations
    production: Durations

    @property
    def applications_at_end(self) -> int:
        return sum(count for _, count in self.by_state)

    def state_count(self, state: State) -> int:
        return dict(self.by_state)[state]


# --- the period in the office's time ---------------------------------------------------------


def _zone() -> tzinfo:
    try:
        return ZoneInfo(LOCAL_ZONE)
    except ZoneInfoNotFoundError:  # no tzdata on this machine: UTC days are still days
        from datetime import UTC

        return UTC


def period_bounds(first_day: date, last_day: date) -> tuple[datetime, datetime]:
    """``[start, end)`` of the days ``first_day``..``last_day`` in the office's time."""
    zone = _zone()
    return (
        datetime.combine(first_day, time.min, tzinfo=zone),
        datetime.combine(last_day + timedelta(days=1), time.min, tzinfo=zone),
    )


def _check_period(first_day: date, last_day: date) -> None:
    if last_day < first_day or (last_day - first_day).days >= MAX_DAYS:
        raise InvalidReportPeriod(first_day, last_day)


# --- entry points ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportOffice:
    code: str
    name: str


def report_offices(ctx: Context, actor: Actor) -> list[ReportOffice]:
    """The offices ``actor`` may see the report of: a supervisor's own, an administrator's
    every one."""
    authorize(actor, UseCase.VIEW_REPORTS)
    scope = office_scope(actor)
    with ctx.read() as uow:
        statement = select(Office).order_by(Office.code)
        if scope is not None:
            statement = statement.where(Office.id == scope)
        return [ReportOffice(o.code, o.name) for o in uow.session.execute(statement).scalars()]


def office_report(
    ctx: Context, actor: Actor, office_code: str, first_day: date, last_day: date | None = None
) -> OfficeReport:
    """The report of one office for ``first_day`` (or the days ``first_day``..``last_day``)."""
    authorize(actor, UseCase.VIEW_REPORTS)
    last_day = first_day if last_day is None else last_day
    _check_period(first_day, last_day)
    with ctx.read() as uow:
        session = uow.session
        office = session.execute(
            select(Office).where(Office.code == office_code.strip().upper())
        ).scalar_one_or_none()
        if office is None:
            raise UnknownReportOffice(office_code.strip())
        require_office(actor, office.id, "record")
        return _build(session, office, first_day, last_day)


# --- the numbers -----------------------------------------------------------------------------


@dataclass(frozen=True)
class _Event:
    application_id: int
    action: str
    at: datetime
    details: dict[str, Any]


def _office_events(
    session: Session, office_id: int, actions: Iterable[str], end: datetime
) -> list[_Event]:
    """The audit events of ``actions`` about the office's applications before ``end``, in
    the order they were written."""
    rows = session.execute(
        select(Application.id, AuditEvent.action, AuditEvent.at, AuditEvent.details)
        .join(Application, cast(Application.id, String) == AuditEvent.entity_id)
        .where(
            AuditEvent.entity_type == "application",
            AuditEvent.action.in_(tuple(actions)),
            AuditEvent.at < end,
            Application.office_id == office_id,
        )
        .order_by(AuditEvent.seq)
    ).all()
    return [_Event(row[0], row[1], row[2], row[3] or {}) for row in rows]


def _build(session: Session, office: Office, first_day: date, last_day: date) -> OfficeReport:
    start, end = period_bounds(first_day, last_day)
    transitions = _office_events(session, office.id, (TRANSITION,), end)
    moves = [e for e in transitions if e.at >= start]

    def into(state: State, *, not_from: tuple[str, ...] = ()) -> list[_Event]:
        return [
            e
            for e in moves
            if e.details.get("to") == state and e.details.get("from") not in not_from
        ]

    approvals = into(State.APPROVED, not_from=tuple(s for s in State if s != State.SUBMITTED))
    card_events = [e for e in _office_events(session, office.id, CARD_EVENTS, end) if e.at >= start]
    cards = Counter(e.action for e in card_events)
    ended = Counter(e.details.get("status") for e in card_events if e.action == "card.superseded")
    blanks = blanks_by_state(session, office.id, start, end)
    by_state, ages = _states_at_end(session, office.id, transitions, end)
    raised, still_open = _alerts(session, office.id, start, end)
    return OfficeReport(
        office_code=office.code,
        office_name=office.name,
        first_day=first_day,
        last_day=last_day,
        coupons_reserved=len(into(State.COUPON_VERIFIED)),
        coupons_consumed=len(into(State.SUBMITTED)),
        coupons_released=len(into(State.CANCELLED, not_from=(State.DRAFT,))),
        applications_opened=_opened(session, office.id, start, end),
        applications_submitted=len(into(State.SUBMITTED)),
        applications_approved=len(approvals),
        applications_rejected=len(into(State.REJECTED)),
        applications_cancelled=len(into(State.CANCELLED)),
        applications_handed_over=len(into(State.HANDED_OVER)),
        by_state=by_state,
        open_by_age=ages,
        cards_produced=cards["card.produced"],
        cards_spoiled=cards["card.spoiled"],
        cards_spoiled_by_operator=sum(
            1
            for e in card_events
            if e.action == "card.spoiled" and e.details.get("kind") == "operator"
        ),  # fmt: skip
        cards_voided=ended["void"],
        cards_superseded=ended["superseded"],
        cards_revoked=cards["card.revoked"],
        cards_handed_over=cards["card.handed_over"],
        blanks_received=blanks.received,
        blanks_used=blanks.consumed,
        blanks_spoiled=blanks.spoiled,
        blanks_voided=blanks.voided,
        blanks_in_stock=blanks.in_stock,
        alerts_raised=raised,
        alerts_open=still_open,
        approval=_approval_times(session, approvals),
        production=_production_times(session, card_events),
    )


def _opened(session: Session, office_id: int, start: datetime, end: datetime) -> int:
    return int(
        session.execute(
            select(func.count(Application.id)).where(
                Application.office_id == office_id,
                Application.created_at >= start,
                Application.created_at < end,
            )
        ).scalar_one()
    )


def _states_at_end(
    session: Session, office_id: int, transitions: list[_Event], end: datetime
) -> tuple[tuple[tuple[State, int], ...], tuple[int, ...]]:
    """Each application's state at ``end`` (its last transition before then; a draft when it
    had none), and the ages of those not closed by then."""
    last = {e.application_id: State(e.details["to"]) for e in transitions if "to" in e.details}
    opened = session.execute(
        select(Application.id, Application.created_at).where(
            Application.office_id == office_id, Application.created_at < end
        )
    ).all()
    states: Counter[State] = Counter()
    ages = [0] * len(AGE_BUCKETS)
    for application_id, created_at in opened:
        state = last.get(application_id, State.DRAFT)
        states[state] += 1
        if state not in CLOSED:
            ages[_age_bucket((end - created_at).days)] += 1
    return tuple((state, states[state]) for state in State), tuple(ages)


def _age_bucket(days: int) -> int:
    for index, (upper, _, _) in enumerate(AGE_BUCKETS):
        if upper is None or days <= upper:
            return index
    return len(AGE_BUCKETS) - 1


def _approval_times(session: Session, approvals: list[_Event]) -> Durations:
    """Submitted → approved, for each approval of the period."""
    return _durations(session, approvals, Application.submitted_at)


def _production_times(session: Session, card_events: list[_Event]) -> Durations:
    """Approved → card produced, for each card produced in the period."""
    produced = [e for e in card_events if e.action == "card.produced"]
    return _durations(session, produced, Application.decided_at)


def _durations(session: Session, events: list[_Event], since: Any) -> Durations:
    ids = [e.application_id for e in events]
    began: dict[int, datetime | None] = {}
    if ids:
        rows = session.execute(select(Application.id, since).where(Application.id.in_(ids)))
        began = {row[0]: row[1] for row in rows}
    seconds = []
    for event in events:
        start = began.get(event.application_id)
        if start is not None:
            seconds.append((event.at - start).total_seconds())
    return Durations.of(seconds)


# --- delivery alerts -------------------------------------------------------------------------


def _alerts(session: Session, office_id: int, start: datetime, end: datetime) -> tuple[int, int]:
    """(alerts raised in the period, alerts open at its end) of the office's applications."""
    rows = session.execute(
        select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.at)
        .where(
            AuditEvent.entity_type == "outbox_message",
            AuditEvent.action.in_(ALERT_EVENTS),
            AuditEvent.at < end,
        )
        .order_by(AuditEvent.seq)
    ).all()
    last: dict[str, str] = {}
    raised: Counter[str] = Counter()
    for message_id, action, at in rows:
        last[message_id] = action
        if action == "outbox.alert" and at >= start:
            raised[message_id] += 1
    open_ids = {m for m, action in last.items() if action == "outbox.alert"}
    ours = _messages_of_office(session, office_id, set(raised) | open_ids)
    return sum(n for m, n in raised.items() if m in ours), len(open_ids & ours)


def _messages_of_office(session: Session, office_id: int, message_ids: set[str]) -> set[str]:
    numeric = [int(m) for m in message_ids if m.isdigit()]
    if not numeric:
        return set()
    messages = session.execute(
        select(OutboxMessage).where(OutboxMessage.id.in_(numeric))
    ).scalars().all()  # fmt: skip
    return {
        str(message.id) for message in messages
        if _office_of_message(session, message) == office_id
    }  # fmt: skip


def _office_of_message(session: Session, message: OutboxMessage) -> int | None:
    """The office of the application a message is about (as the alerts screen finds it)."""
    payload = message.payload or {}
    if isinstance(payload.get("application_id"), int):
        return session.execute(
            select(Application.office_id).where(Application.id == payload["application_id"])
        ).scalar_one_or_none()
    number = payload.get("application_number") or payload.get("application")
    if not isinstance(number, str) and ":" in message.key:
        # A notice names its application in its key ("event:number[:email]").
        number = message.key.partition(":")[2].removesuffix(":email") or None
    if isinstance(number, str):
        found = session.execute(
            select(Application.office_id).where(Application.number == number)
        ).scalar_one_or_none()
        if found is not None:
            return found
    document = payload.get("document_number")
    if isinstance(document, str):
        return session.execute(
            select(Application.office_id)
            .join(Card, Card.application_id == Application.id)
            .where(Card.document_number == document)
        ).scalar_one_or_none()
    return None


# --- the report as labelled rows (table, PDF, CSV) --------------------------------------------


@dataclass(frozen=True)
class Measure:
    section: str  # key of SECTIONS
    key: str
    sq: str
    en: str
    value: str

    def label(self, language: str) -> str:
        return self.sq if language == "sq" else self.en


SECTIONS: dict[str, tuple[str, str]] = {
    "coupons": ("Kuponat", "Coupons"),
    "applications": ("Aplikimet në periudhë", "Applications in the period"),
    "states": ("Aplikimet sipas gjendjes në fund", "Applications by state at the end"),
    "ages": ("Aplikimet e hapura sipas moshës", "Open applications by age"),
    "cards": ("Kartat", "Cards"),
    "blanks": ("Kartat e bardha", "Blank cards"),
    "alerts": ("Alarmet e dërgimit", "Delivery alerts"),
    "times": ("Kohët", "Times"),
}

_COUNTS: tuple[tuple[str, str, str, str], ...] = (
    ("coupons", "coupons_reserved", "të rezervuar", "reserved"),
    ("coupons", "coupons_consumed", "të konsumuar", "consumed"),
    ("coupons", "coupons_released", "të liruar", "released"),
    ("applications", "applications_opened", "të hapura", "opened"),
    ("applications", "applications_submitted", "të dorëzuara", "submitted"),
    ("applications", "applications_approved", "të miratuara", "approved"),
    ("applications", "applications_rejected", "të refuzuara", "rejected"),
    ("applications", "applications_cancelled", "të anuluara", "cancelled"),
    ("applications", "applications_handed_over", "me kartë të dorëzuar", "card handed over"),
    ("cards", "cards_produced", "të prodhuara", "produced"),
    ("cards", "cards_spoiled", "të dëmtuara", "spoiled"),
    ("cards", "cards_spoiled_by_operator", "prej tyre të shënuara nga operatori",
     "of which recorded by the operator"),
    ("cards", "cards_voided", "të anuluara (të kthyera, të dëmtuara)",
     "voided (handed in, damaged)"),
    ("cards", "cards_superseded", "të zëvendësuara", "superseded"),
    ("cards", "cards_revoked", "të revokuara", "revoked"),
    ("cards", "cards_handed_over", "të dorëzuara", "handed over"),
    ("blanks", "blanks_received", "të marra në stok", "received"),
    ("blanks", "blanks_used", "të përdorura", "used"),
    ("blanks", "blanks_spoiled", "të dëmtuara", "spoiled"),
    ("blanks", "blanks_voided", "të anuluara pa u përdorur", "voided unused"),
    ("blanks", "blanks_in_stock", "në stok në fund", "in stock at the end"),
    ("alerts", "alerts_raised", "të ngritura", "raised"),
    ("alerts", "alerts_open", "të hapura në fund", "open at the end"),
)  # fmt: skip


def format_duration(seconds: int | None) -> str:
    """``1 h 05 min`` style (minutes rounded down); ``—`` when nothing was measured."""
    if seconds is None:
        return "—"
    hours, minutes = divmod(seconds // 60, 60)
    return f"{hours} h {minutes:02d} min"


def measures(report: OfficeReport) -> list[Measure]:
    """Every number of the report, one row each, in the order the screen and documents show."""
    rows: list[Measure] = []
    for section, key, sq, en in _COUNTS[:9]:
        rows.append(Measure(section, key, sq, en, str(getattr(report, key))))
    for state, count in report.by_state:
        sq, en = STATE_NAMES[state]
        rows.append(Measure("states", f"state_{state.value}", sq, en, str(count)))
    for index, (_, sq, en) in enumerate(AGE_BUCKETS):
        rows.append(Measure("ages", f"age_{index}", sq, en, str(report.open_by_age[index])))
    for section, key, sq, en in _COUNTS[9:]:
        rows.append(Measure(section, key, sq, en, str(getattr(report, key))))
    for name, durations, sq, en in (
        ("approval", report.approval, "miratimi (dorëzuar → miratuar)",
         "approval (submitted → approved)"),
        ("production", report.production, "prodhimi (miratuar → prodhuar)",
         "production (approved → produced)"),
    ):  # fmt: skip
        rows += [
            Measure("times", f"{name}_count", f"{sq}: numri", f"{en}: count",
                    str(durations.count)),
            Measure("times", f"{name}_median", f"{sq}: mediana", f"{en}: median",
                    format_duration(durations.median_seconds)),
            Measure("times", f"{name}_max", f"{sq}: maksimumi", f"{en}: maximum",
                    format_duration(durations.max_seconds)),
        ]  # fmt: skip
    return rows


def period_words(report: OfficeReport) -> str:
    first, last = f"{report.first_day:%d.%m.%Y}", f"{report.last_day:%d.%m.%Y}"
    return first if first == last else f"{first} – {last}"


def report_document(report: OfficeReport, generated_at: datetime) -> ReportDocument:
    """The report as the PDF and the CSV print it (``issuance.documents.report``)."""
    sections = []
    rows = measures(report)
    for key, (sq, en) in SECTIONS.items():
        mine = tuple(ReportRow(m.key, m.sq, m.en, m.value) for m in rows if m.section == key)
        sections.append(ReportSection(sq, en, mine))
    generated = generated_at.astimezone(_zone()).strftime("%d.%m.%Y %H:%M")
    return ReportDocument(
        report.office_code, report.office_name, period_words(report), generated, tuple(sections)
    )


__all__ = [
    "AGE_BUCKETS", "Durations", "InvalidReportPeriod", "Measure", "OfficeReport",
    "ReportOffice", "SECTIONS", "UnknownReportOffice", "format_duration", "measures",
    "office_report", "period_bounds", "period_words", "report_document", "report_offices",
]  # fmt: skip
