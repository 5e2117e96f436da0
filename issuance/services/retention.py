"""Retention: the photo, fingerprints, signature and scans of a closed application are purged
once its period has run out.

Three categories, each with its period in days (``Settings.retention_*_days``, 0: never),
counted from the moment the application was closed (``Application.closed_at``): rejected,
cancelled (a discarded draft too), handed over. An application whose card is still in
production, waiting in the office or valid in the holder's hands is never purged, whatever its
age. Purging deletes the biometric captures, the face vector kept for de-duplication, the
signature and the uploaded scans; the application, the applicant's register data, the cards
and the audit trail stay, and one audit event per application says that (and how much) was
purged, without any personal data.

``plan`` says what a run would purge and changes nothing (``issuance retention run
--dry-run``); ``run`` purges the same plan, one transaction per application, so an
interrupted run keeps what it did and the next run does the rest (a purged application is
marked ``biometrics_purged_at`` and never planned again).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from issuance.db.models import (
    Application,
    BiometricCapture,
    Card,
    CardReplacement,
    FaceTemplate,
    FingerTemplate,
    Signature,
    UploadedDocument,
)
from issuance.domain.workflow import State
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.config import Settings

# The categories in the order they are reported.
CATEGORIES = (State.REJECTED, State.CANCELLED, State.HANDED_OVER)

# A card in one of these states is being made or waiting in the office: its application's
# photo and data are still needed. A handed-over card is needed while it is valid.
_CARD_IN_OFFICE = ("in_production", "produced")
_CARD_IN_HANDS = "handed_over"


def periods(settings: Settings) -> dict[State, int]:
    """Days after closing, per category (0: never purged)."""
    return {
        State.REJECTED: settings.retention_rejected_days,
        State.CANCELLED: settings.retention_cancelled_days,
        State.HANDED_OVER: settings.retention_handed_over_days,
    }


@dataclass(frozen=True)
class Due:
    """One application whose biometrics and scans are (or would be) purged."""

    id: int
    number: str
    category: State
    closed_at: datetime


@dataclass(frozen=True)
class Kept:
    """An application past its period that keeps its data: its card is still needed."""

    id: int
    number: str
    category: State


@dataclass(frozen=True)
class RetentionPlan:
    at: datetime
    periods: dict[State, int]
    due: list[Due]
    kept: list[Kept]

    def count(self, category: State) -> int:
        return sum(1 for item in self.due if item.category is category)


@dataclass(frozen=True)
class Purged:
    id: int
    number: str
    category: State
    captures: int
    faces: int
    finger_templates: int
    signatures: int
    documents: int


@dataclass(frozen=True)
class RetentionRun:
    plan: RetentionPlan
    purged: list[Purged]


def _card_still_needed(session: Session, application_id: int, today: date) -> bool:
    in_office = Card.status.in_(_CARD_IN_OFFICE)
    in_hands = (Card.status == _CARD_IN_HANDS) & (Card.expires_on >= today)
    found = session.execute(
        select(Card.id).where(Card.application_id == application_id, in_office | in_hands).limit(1)
    ).first()
    return found is not None


def _candidates(session: Session, category: State, cutoff: datetime) -> list[Application]:
    return list(
        session.execute(
            select(Application)
            .where(
                Application.state == category.value,
                Application.biometrics_purged_at.is_(None),
                Application.closed_at.is_not(None),
                Application.closed_at <= cutoff,
            )
            .order_by(Application.closed_at, Application.id)
        ).scalars()
    )


def _plan(session: Session, settings: Settings, now: datetime) -> RetentionPlan:
    days = periods(settings)
    due: list[Due] = []
    kept: list[Kept] = []
    for category in CATEGORIES:
        if days[category] <= 0:
            continue
        for application in _candidates(session, category, now - timedelta(days=days[category])):
            if _card_still_needed(session, application.id, now.date()):
                kept.append(Kept(application.id, application.number, category))
                continue
            assert application.closed_at is not None
            due.append(Due(application.id, application.number, category, application.closed_at))
    return RetentionPlan(now, days, due, kept)


def plan(ctx: Context, actor: Actor) -> RetentionPlan:
    """What ``run`` would purge now, and what it keeps because a card is still needed."""
    authorize(actor, UseCase.RUN_RETENTION)
    with ctx.read() as uow:
        return _plan(uow.session, ctx.settings, ctx.clock())


def _count(session: Session, model: type, application_id: int) -> int:
    column = model.application_id  # type: ignore[attr-defined]
    return int(session.scalar(select(func.count()).where(column == application_id)) or 0)


def _purge_one(ctx: Context, actor: Actor, item: Due, days: int) -> Purged | None:
    """Purge one application in its own transaction; None when it is no longer due (purged
    meanwhile, reopened, or its card is needed again)."""
    with ctx.uow() as uow:
        session = uow.session
        application = session.get(Application, item.id, with_for_update=True)
        now = ctx.clock()
        if (
            application is None
            or application.state != item.category.value
            or application.biometrics_purged_at is not None
            or application.closed_at is None
            or application.closed_at > now - timedelta(days=days)
            or _card_still_needed(session, application.id, now.date())
        ):
            return None
        counts = {
            "captures": _count(session, BiometricCapture, application.id),
            "faces": _count(session, FaceTemplate, application.id),
            "finger_templates": _count(session, FingerTemplate, application.id),
            "signatures": _count(session, Signature, application.id),
            "documents": _count(session, UploadedDocument, application.id),
        }
        # A stolen card's police report is one of the scans: the replacement keeps its reason.
        session.execute(
            update(CardReplacement)
            .where(
                CardReplacement.police_report_id.in_(
                    select(UploadedDocument.id).where(
                        UploadedDocument.application_id == application.id
                    )
                )
            )
            .values(police_report_id=None)
        )
        for model in (
            BiometricCapture, FaceTemplate, FingerTemplate, Signature, UploadedDocument
        ):  # fmt: skip
            session.execute(delete(model).where(model.application_id == application.id))
        application.biometrics_purged_at = now
        audit.record(
            session, actor, "application.biometrics_purged", "application", application.id,
            {"number": application.number, "retention": item.category.value,
             "retention_days": days, **counts},
            at=now,
        )  # fmt: skip
        uow.commit()
        return Purged(application.id, application.number, item.category, **counts)


def run(ctx: Context, actor: Actor, planned: RetentionPlan | None = None) -> RetentionRun:
    """Purge every application the plan (``planned``, else one made now) names, one
    transaction each; each is checked again in its transaction, so one that is no longer due
    (its card back in the office, purged by another run) is left alone."""
    authorize(actor, UseCase.RUN_RETENTION)
    current = planned if planned is not None else plan(ctx, actor)
    purged = []
    for item in current.due:
        done = _purge_one(ctx, actor, item, current.periods[item.category])
        if done is not None:
            purged.append(done)
    return RetentionRun(current, purged)
