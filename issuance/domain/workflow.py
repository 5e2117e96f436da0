"""The application's life as one explicit state machine.

Every transition is checked here, done in one transaction together with its audit event, and a
forbidden one is refused with both states named.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy.orm import Session

from issuance.db.models import Application
from issuance.errors import IssuanceError
from issuance.security import audit
from issuance.security.permissions import Actor, UseCase, authorize, require_office


class State(StrEnum):
    DRAFT = "draft"
    COUPON_VERIFIED = "coupon_verified"
    PERMIT_LINKED = "permit_linked"
    BIOMETRICS_CAPTURED = "biometrics_captured"
    SUBMITTED = "submitted"
    APPROVED = "approved"
    REJECTED = "rejected"
    CARD_PRODUCED = "card_produced"
    REGISTERED = "registered"
    HANDED_OVER = "handed_over"
    CANCELLED = "cancelled"


STATE_NAMES: dict[State, tuple[str, str]] = {
    State.DRAFT: ("draft", "draft"),
    State.COUPON_VERIFIED: ("kupon i verifikuar", "coupon verified"),
    State.PERMIT_LINKED: ("leja e lidhur", "permit linked"),
    State.BIOMETRICS_CAPTURED: ("biometria e kapur", "biometrics captured"),
    State.SUBMITTED: ("e dorëzuar", "submitted"),
    State.APPROVED: ("e miratuar", "approved"),
    State.REJECTED: ("e refuzuar", "rejected"),
    State.CARD_PRODUCED: ("karta e prodhuar", "card produced"),
    State.REGISTERED: ("gati për e-Albania", "e-Albania ready"),
    State.HANDED_OVER: ("e dorëzuar aplikantit", "handed over"),
    State.CANCELLED: ("e anuluar", "cancelled"),
}

_FORWARD: dict[State, frozenset[State]] = {
    State.DRAFT: frozenset({State.COUPON_VERIFIED}),
    State.COUPON_VERIFIED: frozenset({State.PERMIT_LINKED}),
    State.PERMIT_LINKED: frozenset({State.BIOMETRICS_CAPTURED}),
    State.BIOMETRICS_CAPTURED: frozenset({State.SUBMITTED}),
    State.SUBMITTED: frozenset({State.APPROVED, State.REJECTED}),
    State.APPROVED: frozenset({State.CARD_PRODUCED}),
    State.CARD_PRODUCED: frozenset({State.REGISTERED}),
    State.REGISTERED: frozenset({State.HANDED_OVER}),
    State.REJECTED: frozenset(),
    State.HANDED_OVER: frozenset(),
    State.CANCELLED: frozenset(),
}

# Final states: the application's retention period counts from the moment it reached one
# (``Application.closed_at``, ``issuance.services.retention``).
CLOSED = frozenset({State.REJECTED, State.CANCELLED, State.HANDED_OVER})

# Once a card is being produced the blank and the chip exist: cancelling is no longer possible.
CANCELLABLE = frozenset(
    {
        State.DRAFT,
        State.COUPON_VERIFIED,
        State.PERMIT_LINKED,
        State.BIOMETRICS_CAPTURED,
        State.SUBMITTED,
        State.APPROVED,
    }
)

# The clerk's unfinished work: discarded by the clerk (or a supervisor), not cancelled.
DRAFT_STATES = frozenset(
    {State.DRAFT, State.COUPON_VERIFIED, State.PERMIT_LINKED, State.BIOMETRICS_CAPTURED}
)

# A produced card found misprinted before its handover is recorded as spoiled: the application
# goes back to the production queue for a new blank (the registry's confirmation is kept).
_BACK: dict[State, frozenset[State]] = {
    State.CARD_PRODUCED: frozenset({State.APPROVED}),
    State.REGISTERED: frozenset({State.APPROVED}),
}

TRANSITIONS: dict[State, frozenset[State]] = {
    state: targets
    | _BACK.get(state, frozenset())
    | ({State.CANCELLED} if state in CANCELLABLE else frozenset())
    for state, targets in _FORWARD.items()
}

# What the actor must be allowed to do to move an application *into* a state.
REQUIRED_USE_CASE: dict[State, UseCase] = {
    State.COUPON_VERIFIED: UseCase.ENROL,
    State.PERMIT_LINKED: UseCase.ENROL,
    State.BIOMETRICS_CAPTURED: UseCase.ENROL,
    State.SUBMITTED: UseCase.ENROL,
    State.APPROVED: UseCase.DECIDE_APPLICATION,
    State.REJECTED: UseCase.DECIDE_APPLICATION,
    State.CARD_PRODUCED: UseCase.PRODUCE_CARD,
    State.REGISTERED: UseCase.RECORD_REGISTRATION,
    State.HANDED_OVER: UseCase.HAND_OVER_CARD,
    State.CANCELLED: UseCase.CANCEL_APPLICATION,
}


def required_use_case(current: State, target: State) -> UseCase:
    """What the actor must be allowed to do for this transition: leaving a draft for
    CANCELLED is discarding it (the clerk's own unfinished work); cancelling a submitted or
    approved application is a supervisor's decision."""
    if target is State.CANCELLED and current in DRAFT_STATES:
        return UseCase.DISCARD_DRAFT
    if target in _BACK.get(current, frozenset()):
        return UseCase.SPOIL_CARD  # back to the queue: the card operator spoiled a misprint
    return REQUIRED_USE_CASE[target]


class ForbiddenTransition(IssuanceError):
    def __init__(self, current: State, target: State) -> None:
        sq_from, en_from = STATE_NAMES[current]
        sq_to, en_to = STATE_NAMES[target]
        super().__init__(
            f"Aplikimi nuk mund të kalojë nga «{sq_from}» në «{sq_to}».",
            f"An application cannot go from '{en_from}' to '{en_to}'.",
        )
        self.current, self.target = current, target


def reason_given(reason: str | None) -> bool:
    """Does the text say anything? (A rejection or cancellation needs a reason.)"""
    return bool(reason and reason.strip())


class ReasonRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Shkruani arsyen.", "Please give a reason.")


class ApplicationNotFound(IssuanceError):
    def __init__(self, application_id: object) -> None:
        super().__init__(
            f"Aplikimi {application_id} nuk u gjet.", f"Application {application_id} not found."
        )


def can_transition(current: State, target: State) -> bool:
    return target in TRANSITIONS[current]


def apply(
    session: Session,
    actor: Actor,
    application: Application,
    target: State,
    *,
    reason: str | None = None,
    at: datetime,
) -> None:
    """Move ``application`` to ``target`` inside the caller's transaction, with its audit event.

    Services that do more in the same step (allocate an NID, write an outbox message) call this
    and commit once; what a state brings about elsewhere (cancelling releases the coupon at the
    post office) is theirs to do (``services.applications``).
    """
    current = State(application.state)
    authorize(actor, required_use_case(current, target))
    # Every state change, whichever service makes it, stays within the actor's office.
    require_office(actor, application.office_id)
    if not can_transition(current, target):
        raise ForbiddenTransition(current, target)
    if target in (State.REJECTED, State.CANCELLED) and not reason_given(reason):
        raise ReasonRequired()
    application.state = target.value
    if target in CLOSED:
        application.closed_at = at
    details: dict[str, str] = {"from": current.value, "to": target.value}
    if reason:
        details["reason"] = reason.strip()
    audit.record(
        session, actor, "application.transition", "application", application.id, details, at=at
    )
