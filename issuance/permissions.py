"""Who may do what. Every service function calls ``authorize`` first; the UI merely hides
what the service would refuse anyway."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from issuance.errors import IssuanceError


class Role(StrEnum):
    CLERK = "clerk"
    SUPERVISOR = "supervisor"
    CARD_OPERATOR = "card_operator"
    ADMINISTRATOR = "administrator"
    # Background workers (outbox delivery); never assignable to a person.
    SYSTEM = "system"


OPERATOR_ROLES = (Role.CLERK, Role.SUPERVISOR, Role.CARD_OPERATOR, Role.ADMINISTRATOR)
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
    REVIEW_BATCH = "review_batch"
    DECIDE_APPLICATION = "decide_application"
    OVERRIDE_QUALITY = "override_quality"
    PRODUCE_CARD = "produce_card"
    HAND_OVER_CARD = "hand_over_card"
    RECORD_REGISTRATION = "record_registration"
    SEARCH = "search"
    VIEW_HISTORY = "view_history"
    LIST_OPERATORS = "list_operators"
    MANAGE_OPERATORS = "manage_operators"
    UNLOCK_OPERATOR = "unlock_operator"
    MANAGE_OFFICES = "manage_offices"
    VERIFY_AUDIT = "verify_audit"


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
    UseCase.CANCEL_APPLICATION: frozenset({_C, _S}),
    UseCase.REVIEW_BATCH: frozenset({_S}),
    UseCase.DECIDE_APPLICATION: frozenset({_S}),
    UseCase.OVERRIDE_QUALITY: frozenset({_S}),
    UseCase.PRODUCE_CARD: frozenset({_O}),
    UseCase.HAND_OVER_CARD: frozenset({_O}),
    UseCase.RECORD_REGISTRATION: frozenset({_Y}),
    UseCase.SEARCH: frozenset({_C, _S, _O, _A}),
    UseCase.VIEW_HISTORY: frozenset({_S, _A}),
    UseCase.LIST_OPERATORS: frozenset({_S, _A}),
    UseCase.MANAGE_OPERATORS: frozenset({_A}),
    UseCase.UNLOCK_OPERATOR: frozenset({_S, _A}),
    UseCase.MANAGE_OFFICES: frozenset({_A}),
    UseCase.VERIFY_AUDIT: frozenset({_S, _A}),
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


class NotPermitted(IssuanceError):
    def __init__(self, actor: Actor, use_case: UseCase) -> None:
        sq_role, en_role = ROLE_NAMES[actor.role]
        super().__init__(
            f"Roli «{sq_role}» nuk lejohet të kryejë këtë veprim ({use_case.value}).",
            f"The role '{en_role}' is not allowed to do this ({use_case.value}).",
        )
        self.use_case = use_case


def is_allowed(role: Role, use_case: UseCase) -> bool:
    return role in ALLOWED[use_case]


def authorize(actor: Actor, use_case: UseCase) -> None:
    if not is_allowed(actor.role, use_case):
        raise NotPermitted(actor, use_case)
