"""Operators: accounts, login with lockout and second factor, unlock, password reset.

Usernames are normalised (NFC, case-folded, stripped) wherever one is typed, so "Ëlira",
"ëlira" and "ëlira\n" are one operator, and validated when an account is made: 3 to 64 of the
letters of the Albanian alphabet (a-z, ë, ç), digits, ".", "_" and "-", starting with a letter
or a digit (no spaces, control or invisible characters, no look-alike letters of other
scripts). Full names are NFC, at most 200 characters, without control or invisible ones.

What a login answers does not tell whether the username exists. A wrong password gets the same
words and the same "N attempt(s) left" whether the account exists or not: failures under
unknown names are counted and locked like an operator's (``LoginThrottle``), and every answer
costs one argon2 verification and, for a failure, one audited transaction. A lock is told to
whoever tries the name while it lasts, before any password is checked: everyone is told alike,
so it reveals nothing about the name, and a locked account answers no password guesses.
A disabled account, the need for a code and a wrong code are told only after the right
password. A one-time code is accepted once: the operator keeps the step of the last one.
"""

from __future__ import annotations

import hashlib
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from issuance.db.models import LoginThrottle, Office, Operator
from issuance.db.uow import UnitOfWork
from issuance.errors import IssuanceError
from issuance.security import audit, passwords
from issuance.security.permissions import (
    OPERATOR_ROLES,
    ROLES_WITH_SECOND_FACTOR,
    Actor,
    Role,
    UseCase,
    authorize,
    office_filter,
    require_office,
)
from issuance.wall_clock import local_time

if TYPE_CHECKING:
    from issuance.bootstrap import Context

MAX_FAILED_LOGINS = 3
LOCKOUT = timedelta(hours=3)
# Failures under an unknown name are forgotten after this long without another one.
THROTTLE_KEPT = timedelta(days=30)

USERNAME_MIN, USERNAME_MAX = 3, 64
FULL_NAME_MAX = 200
_USERNAME_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzëç")
_USERNAME_ALLOWED = _USERNAME_LETTERS | frozenset("0123456789._-")
# Never in a name: control, format (zero-width, bidi), surrogate, private-use, unassigned,
# line and paragraph separators.
_NOT_IN_NAMES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"})


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


class SecondFactorReused(InvalidSecondFactor):
    def __init__(self) -> None:
        IssuanceError.__init__(
            self,
            "Ky kod 6-shifror është përdorur tashmë. Prisni kodin e radhës.",
            "This 6-digit code has already been used. Wait for the next one.",
        )


def _shown(ch: str) -> tuple[str, str]:
    """A character as a refusal names it: itself when visible, else its code point."""
    if ch.isprintable() and not ch.isspace() and unicodedata.category(ch) not in _NOT_IN_NAMES:
        return f"«{ch}»", f"'{ch}'"
    return f"shenjën U+{ord(ch):04X}", f"the character U+{ord(ch):04X}"


class InvalidUsername(IssuanceError):
    """A username that cannot be an account's; ``reason`` is length, character or start."""

    RULE_SQ = (
        "Lejohen 3 deri në 64 shkronja (përfshirë ë dhe ç), shifra, «.», «_» dhe «-», "
        "duke filluar me shkronjë ose shifër."
    )
    RULE_EN = (
        "Allowed are 3 to 64 letters (including ë and ç), digits, '.', '_' and '-', "
        "starting with a letter or a digit."
    )

    def __init__(self, reason: str, sq: str, en: str) -> None:
        super().__init__(f"{sq} {self.RULE_SQ}", f"{en} {self.RULE_EN}")
        self.reason = reason

    @classmethod
    def length(cls, length: int) -> InvalidUsername:
        return cls(
            "length",
            f"Emri i përdoruesit ka {length} shenja.",
            f"The username has {length} characters.",
        )

    @classmethod
    def character(cls, ch: str) -> InvalidUsername:
        sq, en = _shown(ch)
        return cls(
            "character",
            f"Emri i përdoruesit nuk mund të përmbajë {sq}.",
            f"The username cannot contain {en}.",
        )

    @classmethod
    def start(cls) -> InvalidUsername:
        return cls(
            "start",
            "Emri i përdoruesit nuk mund të fillojë me «.», «_» ose «-».",
            "The username cannot start with '.', '_' or '-'.",
        )


class InvalidFullName(IssuanceError):
    def __init__(self, sq: str, en: str) -> None:
        super().__init__(sq, en)

    @classmethod
    def empty(cls) -> InvalidFullName:
        return cls("Shkruani emrin e plotë.", "Enter the full name.")

    @classmethod
    def too_long(cls, length: int) -> InvalidFullName:
        return cls(
            f"Emri i plotë mund të ketë deri në {FULL_NAME_MAX} shenja (ka {length}).",
            f"The full name can have at most {FULL_NAME_MAX} characters (it has {length}).",
        )

    @classmethod
    def character(cls, ch: str) -> InvalidFullName:
        sq, en = _shown(ch)
        return cls(
            f"Emri i plotë nuk mund të përmbajë {sq}.", f"The full name cannot contain {en}."
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


def normalise_username(typed: str) -> str:
    """The form a username is stored and looked up in: NFC, case-folded, without surrounding
    white space (canonical caseless matching: NFC of the case fold of the NFD)."""
    stripped = unicodedata.normalize("NFC", typed).strip()
    return unicodedata.normalize("NFC", unicodedata.normalize("NFD", stripped).casefold())


def validate_username(typed: str) -> str:
    """The normalised username, or InvalidUsername saying what is wrong with it."""
    name = normalise_username(typed)
    if not USERNAME_MIN <= len(name) <= USERNAME_MAX:
        raise InvalidUsername.length(len(name))
    for ch in name:
        if ch not in _USERNAME_ALLOWED:
            raise InvalidUsername.character(ch)
    if not (name[0] in _USERNAME_LETTERS or name[0].isdigit()):
        raise InvalidUsername.start()
    return name


def validate_full_name(typed: str) -> str:
    """The full name in NFC without surrounding white space, at most FULL_NAME_MAX characters
    on every database, or InvalidFullName."""
    name = unicodedata.normalize("NFC", typed).strip()
    if not name:
        raise InvalidFullName.empty()
    if len(name) > FULL_NAME_MAX:
        raise InvalidFullName.too_long(len(name))
    for ch in name:
        if unicodedata.category(ch) in _NOT_IN_NAMES:
            raise InvalidFullName.character(ch)
    return name


def _lookup_name(typed: str) -> str | None:
    """The normalised name to look an operator up by, or None when no operator can have it.

    Not the full validation: accounts made before it (revision 0004 normalised their names but
    could not make them valid) still log in; only what no database column can hold is out.
    """
    name = normalise_username(typed)
    if not name or len(name) > USERNAME_MAX:
        return None
    if any(unicodedata.category(ch) in ("Cc", "Cs") for ch in name):  # NUL, lone surrogates
        return None
    return name


def _find_locked(session: Session, username: str) -> Operator | None:
    # FOR UPDATE: parallel guesses (or unlocks) on PostgreSQL queue here one after the other,
    # so none counts a failure on a stale ``failed_logins`` and slips past the lockout.
    # (SQLite's BEGIN IMMEDIATE already serialises them; the clause is not rendered there.)
    return session.execute(
        select(Operator).where(Operator.username == username).with_for_update()
    ).scalar_one_or_none()


def _get(session: Session, username: str) -> Operator:
    name = _lookup_name(username)
    operator = _find_locked(session, name) if name is not None else None
    if operator is None:
        shown = normalise_username(username)
        raise OperatorNotFound(shown if len(shown) <= USERNAME_MAX else shown[:USERNAME_MAX] + "…")
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
    username = validate_username(username)
    full_name = validate_full_name(full_name)
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
        try:
            session.flush()
        except IntegrityError:  # added at the same moment on another desk
            raise OperatorExists(username) from None
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
    """Log in. Three wrong passwords or codes lock the account for three hours.

    The answers, and what they cost, are the same for a username nobody has (see the module's
    description); a code is accepted once.
    """
    name = _lookup_name(username)
    with ctx.uow() as uow:
        session = uow.session
        operator = _find_locked(session, name) if name is not None else None
        now = ctx.clock()
        if operator is None:
            _refuse_unknown(uow, username, name, password, now)
        role = Role(operator.role)
        who = Actor(username=operator.username, role=role, operator_id=operator.id)
        if operator.locked_until is not None:
            if now < operator.locked_until:
                # What any answer costs; the password is not checked while the lock lasts.
                passwords.verify_password(passwords.dummy_hash(), password)
                raise AccountLocked(operator.locked_until)
            operator.locked_until, operator.failed_logins = None, 0
        if not passwords.verify_password(operator.password_hash, password):
            _fail(uow, operator, who, now, "password")
        if not operator.active:
            raise AccountDisabled()
        if role in ROLES_WITH_SECOND_FACTOR:
            if not code:
                uow.commit()  # keeps an expired lock's reset
                raise SecondFactorRequired()
            secret = ctx.sealer.open(operator.totp_secret_sealed or b"", _totp_context(operator.id))
            step = passwords.totp_step(secret.decode(), code, now.timestamp())
            if step is None:
                _fail(uow, operator, who, now, "code")
            if operator.totp_last_step is not None and step <= operator.totp_last_step:
                _fail(uow, operator, who, now, "code", reused=True)
            operator.totp_last_step = step
        operator.failed_logins, operator.last_login_at = 0, now
        audit.record(session, who, "operator.login", "operator", operator.id, at=now)
        uow.commit()
        return Actor(
            username=operator.username, role=role, operator_id=operator.id,
            office_id=operator.office_id,
        )  # fmt: skip


def _fail(
    uow: UnitOfWork, operator: Operator, who: Actor, now: datetime, what: str,
    *, reused: bool = False,
) -> NoReturn:  # fmt: skip
    session = uow.session
    operator.failed_logins += 1
    details: dict[str, object] = {"failed": operator.failed_logins, "factor": what}
    if reused:
        details["reused"] = True
    audit.record(session, who, "operator.login_failed", "operator", operator.id, details, at=now)
    if operator.failed_logins >= MAX_FAILED_LOGINS:
        operator.locked_until = now + LOCKOUT
        audit.record(session, who, "operator.locked", "operator", operator.id, at=now)
        uow.commit()
        raise AccountLocked(operator.locked_until)
    uow.commit()
    if reused:
        raise SecondFactorReused()
    if what == "code":
        raise InvalidSecondFactor()
    raise InvalidCredentials(MAX_FAILED_LOGINS - operator.failed_logins)


def _refuse_unknown(
    uow: UnitOfWork, typed: str, name: str | None, password: str, now: datetime
) -> NoReturn:
    """A login under a name no operator has: answered, counted and locked as a wrong password
    of an operator is, and audited as one (without the name, unless it could be a username)."""
    passwords.verify_password(passwords.dummy_hash(), password)  # as slow as a real check
    session = uow.session
    digest = hashlib.sha256(
        (name or normalise_username(typed)).encode("utf-8", "surrogatepass")
    ).hexdigest()
    throttle = _locked_throttle(session, digest, now)
    if throttle.locked_until is not None:
        if now < throttle.locked_until:
            raise AccountLocked(throttle.locked_until)
        throttle.locked_until, throttle.failed_logins = None, 0
    throttle.failed_logins += 1
    throttle.last_failed_at = now
    who = Actor.system("login")
    try:
        shown: str | None = validate_username(typed)
    except InvalidUsername:
        shown = None
    details = {"failed": throttle.failed_logins, "factor": "password", "username": shown}
    audit.record(session, who, "operator.login_failed", "login", "unknown", details, at=now)
    if throttle.failed_logins >= MAX_FAILED_LOGINS:
        throttle.locked_until = now + LOCKOUT
        audit.record(session, who, "operator.locked", "login", "unknown", {"username": shown},
                     at=now)  # fmt: skip
        uow.commit()
        raise AccountLocked(throttle.locked_until)
    uow.commit()
    raise InvalidCredentials(MAX_FAILED_LOGINS - throttle.failed_logins)


def _locked_throttle(session: Session, digest: str, now: datetime) -> LoginThrottle:
    """The name's failure count, created if new and locked (parallel guesses queue here as
    they do on an operator's row); counts idle for THROTTLE_KEPT are dropped first."""
    session.execute(delete(LoginThrottle).where(LoginThrottle.last_failed_at < now - THROTTLE_KEPT))
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    session.execute(
        insert(LoginThrottle)
        .values(name_digest=digest, failed_logins=0, last_failed_at=now)
        .on_conflict_do_nothing(index_elements=["name_digest"])
    )
    return session.execute(
        select(LoginThrottle)
        .where(LoginThrottle.name_digest == digest)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()


def unlock(ctx: Context, actor: Actor, username: str) -> None:
    authorize(actor, UseCase.UNLOCK_OPERATOR)
    with ctx.uow() as uow:
        operator = _get(uow.session, username)
        # A supervisor unlocks the operators of their own office only.
        require_office(actor, operator.office_id, "operator")
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
            .where(*office_filter(actor, Operator.office_id))
            .order_by(Operator.username)
        ).all()
        return [
            OperatorView(op.username, op.full_name, Role(op.role), code, op.active, op.locked_until)
            for op, code in rows
        ]
