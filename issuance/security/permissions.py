"""Who may do what. Every service function calls ``authorize`` first; the UI merely hides
what the service would refuse anyway."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from issuance.errors import IssuanceError

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    CARD_OPERATOR = "card_operator"
    ADMINISTRATOR = "administrator"
    # Background workers (outbox delivery); never assignable to a person.
    SYSTEM = "system"


OPERATOR_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.CARD_OPERATOR, Role.ADMINISTRATOR)
# Roles that work for one office only: they see and act on that office's applications (and
# its batches and cards) and nothing of any other office. Administrators, the console and
# background workers are bound to no office.
OFFICE_BOUND_ROLES = frozenset({Role.CLERK, Role.SUPERVISOR, Role.CARD_OPERATOR})
ROLES_WITH_SECOND_FACTOR = frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR})

ROLE_NAMES = {
    Role.CLERK: ("nëpunës pranimi", "clerk"),
    Role.SUPERVISOR: ("mbikëqyrës", "supervisor"),
    Role.CARD_OPERATOR: ("operator kartash", "card operator"),
    Role.ADMINISTRATOR: ("administrator", "administrator"),
    Role.SYSTEM: ("sistemi", "system"),
}


class UseCase(StrEnum):
    ENROL = "enrol"
    VIEW_APPLICATION = "view_application"
    CANCEL_APPLICATION = "cancel_application"
    DISCARD_DRAFT = "discard_draft"
    REVIEW_BATCH = "review_batch"
    DECIDE_APPLICATION = "decide_application"
    OVERRIDE_QUALITY = "override_quality"
    PRODUCE_CARD = "produce_card"
    HAND_OVER_CARD = "hand_over_card"
    SPOIL_CARD = "spoil_card"
    REVOKE_CARD = "revoke_card"
    RECHECK_PERMITS = "recheck_permits"
    RECORD_REGISTRATION = "record_registration"
    SEARCH = "search"
    VIEW_HISTORY = "view_history"
    LIST_OPERATORS = "list_operators"
    MANAGE_OPERATORS = "manage_operators"
    UNLOCK_OPERATOR = "unlock_operator"
    MANAGE_OFFICES = "manage_offices"
    VERIFY_AUDIT = "verify_audit"
    MANAGE_ALERTS = "manage_alerts"
    MANAGE_STOCK = "manage_stock"
    VIEW_STOCK = "view_stock"
    RUN_RETENTION = "run_retention"
    BACK_UP = "back_up"
    RESTORE = "restore"
    VIEW_REPORTS = "view_reports"


_C, _S, _O, _A, _Y = (
    Role.CLERK,
    Role.SUPERVISOR,
    Role.CARD_OPERATOR,
    Role.ADMINISTRATOR,
    Role.SYSTEM,
)

ALLOWED: dict[UseCase, frozenset[Role]] = {
    UseCase.ENROL: frozenset({_C}),
    UseCase.VIEW_APPLICATION: frozenset({_C, _S, _O}),
    # A submitted (or approved) application is cancelled by a supervisor, or from the console;
    # a draft is discarded by the clerk (a supervisor may clear a draft left behind).
    UseCase.CANCEL_APPLICATION: frozenset({_S, _A}),
    UseCase.DISCARD_DRAFT: frozenset({_C, _S}),
    UseCase.REVIEW_BATCH: frozenset({_S}),
    UseCase.DECIDE_APPLICATION: frozenset({_S}),
    UseCase.OVERRIDE_QUALITY: frozenset({_S}),
    UseCase.PRODUCE_CARD: frozenset({_O}),
    UseCase.HAND_OVER_CARD: frozenset({_O}),
    # The console (an administrator) records a blank left in production, revokes a card and
    # runs the permits' daily re-check as well.
    UseCase.SPOIL_CARD: frozenset({_O, _A}),
    UseCase.REVOKE_CARD: frozenset({_S, _A}),
    UseCase.RECHECK_PERMITS: frozenset({_S, _A, _Y}),
    UseCase.RECORD_REGISTRATION: frozenset({_Y}),
    UseCase.SEARCH: frozenset({_C, _S, _O, _A}),
    UseCase.VIEW_HISTORY: frozenset({_S, _A}),
    UseCase.LIST_OPERATORS: frozenset({_S, _A}),
    UseCase.MANAGE_OPERATORS: frozenset({_A}),
    UseCase.UNLOCK_OPERATOR: frozenset({_S, _A}),
    UseCase.MANAGE_OFFICES: frozenset({_A}),
    UseCase.VERIFY_AUDIT: frozenset({_S, _A}),
    # Delivery alerts: a supervisor for their office's applications, an administrator for all.
    UseCase.MANAGE_ALERTS: frozenset({_S, _A}),
    # Blank-card stock: a supervisor or administrator receives boxes, voids a damaged blank
    # and sets the warning level; the card operator sees the count at the station.
    UseCase.MANAGE_STOCK: frozenset({_S, _A}),
    UseCase.VIEW_STOCK: frozenset({_S, _O, _A}),
    # Purging biometrics at the end of retention: the administrator (the console).
    UseCase.RUN_RETENTION: frozenset({_A}),
    # The office's whole data, keys included: the administrator (the console) only.
    UseCase.BACK_UP: frozenset({_A}),
    UseCase.RESTORE: frozenset({_A}),
    # The office's daily report: its supervisor, or an administrator for any office.
    UseCase.VIEW_REPORTS: frozenset({_S, _A}),
}


@dataclass(frozen=True)
class Actor:
    """Who is calling a service: a logged-in operator, the console, or a background worker."""

    username: str
    role: Role
    operator_id: int | None = None
    office_id: int | None = None

    @property
    def label(self) -> str:
        return self.username

    @classmethod
    def console(cls, os_user: str) -> Actor:
        # Whoever holds a shell on the server already holds the database; the console acts as
        # administrator and is audited under the OS account's name.
        return cls(username=f"console:{os_user}", role=Role.ADMINISTRATOR)

    @classmethod
    def system(cls, worker: str) -> Actor:
        return cls(username=f"system:{worker}", role=Role.SYSTEM)


# What each use case is, as the end of "… is not allowed to …" (sq, en).
USE_CASE_NAMES: dict[UseCase, tuple[str, str]] = {
    UseCase.ENROL: ("të pranojë aplikime", "take applications"),
    UseCase.VIEW_APPLICATION: ("të shohë aplikimet", "see applications"),
    UseCase.CANCEL_APPLICATION: ("të anulojë një aplikim", "cancel an application"),
    UseCase.DISCARD_DRAFT: ("të hedhë poshtë një draft", "discard a draft"),
    UseCase.REVIEW_BATCH: ("të shqyrtojë paketat", "review batches"),
    UseCase.DECIDE_APPLICATION: ("të miratojë ose refuzojë aplikime",
                                 "approve or reject applications"),
    UseCase.OVERRIDE_QUALITY: ("të pranojë një cilësi të dobët", "accept a weak quality"),
    UseCase.PRODUCE_CARD: ("të prodhojë karta", "produce cards"),
    UseCase.HAND_OVER_CARD: ("të dorëzojë karta", "hand over cards"),
    UseCase.SPOIL_CARD: ("të shënojë një kartë të dëmtuar", "record a spoiled card"),
    UseCase.REVOKE_CARD: ("të revokojë një kartë", "revoke a card"),
    UseCase.RECHECK_PERMITS: ("të rikontrollojë lejet", "re-check permits"),
    UseCase.RECORD_REGISTRATION: ("të regjistrojë në Gjendjen Civile",
                                  "record a civil-registry registration"),
    UseCase.SEARCH: ("të kërkojë", "search"),
    UseCase.VIEW_HISTORY: ("të shohë historikun e një aplikimi",
                           "see an application's history"),
    UseCase.LIST_OPERATORS: ("të shohë listën e operatorëve", "list the operators"),
    UseCase.MANAGE_OPERATORS: ("të menaxhojë operatorët", "manage operators"),
    UseCase.UNLOCK_OPERATOR: ("të zhbllokojë një operator", "unlock an operator"),
    UseCase.MANAGE_OFFICES: ("të menaxhojë zyrat", "manage offices"),
    UseCase.VERIFY_AUDIT: ("të verifikojë gjurmën e auditimit", "verify the audit trail"),
    UseCase.MANAGE_ALERTS: ("të trajtojë alarmet e dërgimit", "handle delivery alerts"),
    UseCase.MANAGE_STOCK: ("të menaxhojë stokun e kartave të bardha",
                           "manage the blank-card stock"),
    UseCase.VIEW_STOCK: ("të shohë stokun e kartave të bardha", "see the blank-card stock"),
    UseCase.RUN_RETENTION: ("të fshijë biometrinë pas afatit të ruajtjes",
                            "purge biometrics after the retention period"),
    UseCase.BACK_UP: ("të bëjë një kopje rezervë", "make a backup"),
    UseCase.RESTORE: ("të rikthejë një kopje rezervë", "restore a backup"),
    UseCase.VIEW_REPORTS: ("të shohë raportet e zyrës", "see the office's reports"),
}  # fmt: skip


class NotPermitted(IssuanceError):
    def __init__(self, actor: Actor, use_case: UseCase) -> None:
        sq_role, en_role = ROLE_NAMES[actor.role]
        sq_do, en_do = USE_CASE_NAMES.get(use_case, ("ta bëjë këtë", "do this"))
        allowed = [ROLE_NAMES[r] for r in OPERATOR_ROLES if r in ALLOWED.get(use_case, ())]
        sq_who = ", ".join(sq for sq, _ in allowed) or "administratori"
        en_who = ", ".join(en for _, en in allowed) or "the administrator"
        super().__init__(
            f"Roli «{sq_role}» nuk lejohet {sq_do}. Këtë e bën: {sq_who}.",
            f"The role '{en_role}' is not allowed to {en_do}. Who can: {en_who}.",
        )
        self.use_case = use_case


def is_allowed(role: Role, use_case: UseCase) -> bool:
    return role in ALLOWED[use_case]


def authorize(actor: Actor, use_case: UseCase) -> None:
    if not is_allowed(actor.role, use_case):
        raise NotPermitted(actor, use_case)


# --- offices: the one rule of whose applications an actor sees and acts on -----------------


class NoOffice(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Operatori nuk është caktuar në asnjë zyrë.", "The operator has no office assigned."
        )


# What another office's record is called in the refusal (Albanian, English).
_OTHER_OFFICES = {
    "application": ("Ky aplikim i përket", "This application belongs to"),
    "batch": ("Kjo parti i përket", "This batch belongs to"),
    "card": ("Kjo kartë i përket", "This card belongs to"),
    "record": ("Ky regjistrim i përket", "This record belongs to"),
    "operator": ("Ky operator i përket", "This operator belongs to"),
}


class OtherOfficesApplication(IssuanceError):
    """An office-bound actor named an application (or its batch or card) of another office."""

    def __init__(self, what: str = "application") -> None:
        sq, en = _OTHER_OFFICES[what]
        super().__init__(
            f"{sq} një zyre tjetër. Shihni dhe vendosni vetëm për aplikimet e zyrës suaj.",
            f"{en} another office. You see and act on your own office's applications only.",
        )
        self.what = what


def office_scope(actor: Actor) -> int | None:
    """The one office whose applications ``actor`` may see and act on, or None when the actor
    is bound to no office (administrators, the console, background workers)."""
    if actor.role not in OFFICE_BOUND_ROLES:
        return None
    if actor.office_id is None:
        raise NoOffice()
    return actor.office_id


def require_office(actor: Actor, office_id: int | None, what: str = "application") -> None:
    """Refuse, before anything is written, to act on a record of another office."""
    scope = office_scope(actor)
    if scope is not None and office_id != scope:
        raise OtherOfficesApplication(what)


def office_filter(actor: Actor, office_column: Any) -> tuple[ColumnElement[bool], ...]:
    """The WHERE conditions that keep a list to the actor's office: ``.where(*office_filter(
    actor, Application.office_id))``; none at all for an actor bound to no office."""
    scope = office_scope(actor)
    return () if scope is None else (office_column == scope,)
