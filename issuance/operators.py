"""Operators: accounts, login with lockout and second factor, unlock, password reset."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from issuance import audit, passwords
from issuance.db.uow import UnitOfWork
from issuance.errors import IssuanceError
from issuance.models import Office, Operator
from issuance.permissions import (
    OPERATOR_ROLES,
    ROLES_WITH_SECOND_FACTOR,
    Actor,
    Role,
    UseCase,
    authorize,
)
from issuance.wall_clock import local_time

if TYPE_CHECKING:
    from issuance.bootstrap import Context

MAX_FAILED_LOGINS = 3
LOCKOUT = timedelta(hours=3)


class InvalidCredentials(IssuanceError):
    def __init__(self, attempts_left: int | None = None) -> None:
        sq = "Emri i përdoruesit ose fjalëkalimi është i gabuar."
        en = "Wrong username or password."
        if attempts_left is not None:
            sq += f" Ju mbeten {attempts_left} përpjekje para bllokimit."
            en += f" {attempts_left} attempt(s) left before the account is locked."
        super().__init__(sq, en)


class AccountLocked(IssuanceError):
    def __init__(self, until: datetime) -> None:
        local = local_time(until)
        super().__init__(
            f"Llogaria është e bllokuar deri në {local:%d.%m.%Y %H:%M}. "
            "Një mbikëqyrës ose administrator mund ta zhbllokojë.",
            f"The account is locked until {local:%Y-%m-%d %H:%M}. "
            "A supervisor or administrator can unlock it.",
        )
        self.until = until


class AccountDisabled(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Llogaria është çaktivizuar.", "The account is disabled.")


class SecondFactorRequired(IssuanceError):
    def __init__(self) -> None:
        super().__init__(
            "Shkruani kodin 6-shifror nga aplikacioni i autentikimit.",
            "Enter the 6-digit code from your authenticator app.",
        )


class InvalidSecondFactor(IssuanceError):
    def __init__(self) -> None:
        super().__init__("Kodi 6-shifror është i gabuar.", "The 6-digit code is wrong.")


class OperatorNotFound(IssuanceError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"Operatori «{username}» nuk ekziston.", f"Operator '{username}' does not exist."
        )


class OperatorExists(IssuanceError):
    def __init__(self, username: str) -> None:
        super().__init__(
            f"Operatori «{username}» ekziston tashmë.", f"Operator '{username}' already exists."
        )


class UnknownOffice(IssuanceError):
    def __init__(self, code: str) -> None:
        super().__init__(f"Zyra «{code}» nuk ekziston.", f"Office '{code}' does not exist.")


class InvalidRole(IssuanceError):
    def __init__(self, role: str) -> None:
        names = ", ".join(r.value for r in OPERATOR_ROLES)
        super().__init__(
            f"Rol i panjohur «{role}» (të lejuar: {names}).",
            f"Unknown role '{role}' (allowed: {names}).",
        )


@dataclass(frozen=True)
class NewOperator:
    username: str
    role: Role
    # Shown once, at creation, so the person can enrol it in an authenticator app.
    totp_secret: str | None
    totp_uri: str | None


@dataclass(frozen=True)
class OperatorView:
    username: str
    full_name: str
    role: Role
    office_code: str | None
    active: bool
    locked_until: datetime | None


def _totp_context(operator_id: int) -> str:
    return f"operator-totp:{operator_id}"


def _find_locked(session: Session, username: str) -> Operator | None:
    # FOR UPDATE: parallel guesses (or unlocks) on PostgreSQL queue here one after the other,
    # so none counts a failure on a stale ``failed_logins`` and slips past the lockout.
    # (SQLite's BEGIN IMMEDIATE already serialises them; the clause is not rendered there.)
    return session.execute(
        select(Operator).where(Operator.username == username).with_for_update()
    ).scalar_one_or_none()


def _get(session: Session, username: str) -> Operator:
    operator = _find_locked(session, username)
    if operator is None:
        raise OperatorNotFound(username)
    return operator


def _parse_role(role: str | Role) -> Role:
    try:
        parsed = Role(role)
    except ValueError:
        raise InvalidRole(str(role)) from None
    if parsed not in OPERATOR_ROLES:
        raise InvalidRole(str(role))
    return parsed


def add_operator(
    ctx: Context,
    actor: Actor,
    *,
    username: str,
    full_name: str,
    role: str | Role,
    password: str,
    office_code: str | None = None,
    totp_secret: str | None = None,
) -> NewOperator:
    """Create an account; supervisors and administrators get a TOTP secret (``totp_secret``
    lets the demo seed use a known one)."""
    authorize(actor, UseCase.MANAGE_OPERATORS)
    parsed_role = _parse_role(role)
    password_hash = passwords.hash_password(password)
    with ctx.uow() as uow:
        session = uow.session
        if session.execute(select(Operator.id).where(Operator.username == username)).first():
            raise OperatorExists(username)
        office_id = None
        if office_code:
            office = session.execute(
                select(Office).where(Office.code == office_code)
            ).scalar_one_or_none()
            if office is None:
                raise UnknownOffice(office_code)
            office_id = office.id
        now = ctx.clock()
        operator = Operator(
            username=username,
            full_name=full_name,
            role=parsed_role.value,
            office_id=office_id,
            password_hash=password_hash,
            created_at=now,
            password_changed_at=now,
        )
        session.add(operator)
        session.flush()
        secret = None
        if parsed_role in ROLES_WITH_SECOND_FACTOR:
            secret = totp_secret or passwords.new_totp_secret()
            operator.totp_secret_sealed = ctx.sealer.seal(
                secret.encode(), _totp_context(operator.id)
            )
        audit.record(
            session,
            actor,
            "operator.added",
            "operator",
            operator.id,
            {"username": username, "role": parsed_role.value},
            at=now,
        )
        uow.commit()
    uri = passwords.totp_uri(secret, username) if secret else None
    return NewOperator(username, parsed_role, secret, uri)


def authenticate(ctx: Context, username: str, password: str, code: str | None = None) -> Actor:
    """Log in. Three wrong passwords or codes lock the account for three hours."""
    with ctx.uow() as uow:
        session = uow.session
        operator = _find_locked(session, username)
        if operator is None:
            # As slow as a wrong password: the refusal's time does not reveal who exists.
            passwords.verify_password(passwords.dummy_hash(), password)
            raise InvalidCredentials()
        now = ctx.clock()
        role = Role(operator.role)
        who = Actor(username=username, role=role, operator_id=operator.id)
        if not operator.active:
            raise AccountDisabled()
        if operator.locked_until is not None:
            if now < operator.locked_until:
                raise AccountLocked(operator.locked_until)
            operator.locked_until, operator.failed_logins = None, 0
        if not passwords.verify_password(operator.password_hash, password):
            _fail(ctx, uow, operator, who, now, "password")
        if role in ROLES_WITH_SECOND_FACTOR:
            if not code:
                uow.commit()  # keeps an expired lock's reset
                raise SecondFactorRequired()
            secret = ctx.sealer.open(operator.totp_secret_sealed or b"", _totp_context(operator.id))
            if not passwords.verify_totp(secret.decode(), code, now.timestamp()):
                _fail(ctx, uow, operator, who, now, "code")
        operator.failed_logins, operator.last_login_at = 0, now
        audit.record(session, who, "operator.login", "operator", operator.id, at=now)
        uow.commit()
        return Actor(
            username=username, role=role, operator_id=operator.id, office_id=operator.office_id
        )


def _fail(
    ctx: Context, uow: UnitOfWork, operator: Operator, who: Actor, now: datetime, what: str
) -> None:
    session = uow.session
    operator.failed_logins += 1
    details = {"failed": operator.failed_logins, "factor": what}
    audit.record(session, who, "operator.login_failed", "operator", operator.id, details, at=now)
    if operator.failed_logins >= MAX_FAILED_LOGINS:
        operator.locked_until = now + LOCKOUT
        audit.record(session, who, "operator.locked", "operator", operator.id, at=now)
        uow.commit()
        raise AccountLocked(operator.locked_until)
    uow.commit()
    if what == "code":
        raise InvalidSecondFactor()
    raise InvalidCredentials(MAX_FAILED_LOGINS - operator.failed_logins)


def unlock(ctx: Context, actor: Actor, username: str) -> None:
    authorize(actor, UseCase.UNLOCK_OPERATOR)
    with ctx.uow() as uow:
        operator = _get(uow.session, username)
        operator.locked_until, operator.failed_logins = None, 0
        audit.record(
            uow.session, actor, "operator.unlocked", "operator", operator.id, at=ctx.clock()
        )
        uow.commit()


def reset_password(ctx: Context, actor: Actor, username: str, new_password: str) -> None:
    authorize(actor, UseCase.MANAGE_OPERATORS)
    password_hash = passwords.hash_password(new_password)
    with ctx.uow() as uow:
        operator = _get(uow.session, username)
        now = ctx.clock()
        operator.password_hash, operator.password_changed_at = password_hash, now
        operator.locked_until, operator.failed_logins = None, 0
        audit.record(uow.session, actor, "operator.password_reset", "operator", operator.id, at=now)
        uow.commit()


def list_operators(ctx: Context, actor: Actor) -> list[OperatorView]:
    authorize(actor, UseCase.LIST_OPERATORS)
    with ctx.uow() as uow:
        rows = uow.session.execute(
            select(Operator, Office.code)
            .outerjoin(Office, Operator.office_id == Office.id)
            .order_by(Operator.username)
        ).all()
        return [
            OperatorView(op.username, op.full_name, Role(op.role), code, op.active, op.locked_until)
            for op, code in rows
        ]
