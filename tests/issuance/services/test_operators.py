"""Login: argon2 hashes and their cost, the password policy, lockout after three failures,
TOTP."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from argon2 import Type
from sqlalchemy import select

from issuance.db.models import AuditEvent, Operator
from issuance.errors import IssuanceError
from issuance.security import passwords
from issuance.security.passwords import WeakPassword
from issuance.security.permissions import NotPermitted, OtherOfficesApplication, Role
from issuance.services import operators
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, build_world


@pytest.fixture(autouse=True)
def cheap_argon2(monkeypatch):
    """Lockout, codes and roles are under test here, not argon2's cost: the cheap profile
    (the production parameters have their own tests below)."""
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "test")


# RFC 9106's second recommended option ("low memory"), argon2-cffi's default: 3 passes over
# 64 MiB on 4 lanes, a 16-byte salt and a 32-byte hash.
PRODUCTION = {"type": Type.ID, "time_cost": 3, "memory_cost": 65536, "parallelism": 4,
              "salt_len": 16, "hash_len": 32}  # fmt: skip


def _parameters(hasher):
    return {name: getattr(hasher, name) for name in PRODUCTION}


def test_production_hashes_are_strong_unless_told_otherwise(monkeypatch):
    monkeypatch.delenv(passwords.PROFILE_VARIABLE)
    assert _parameters(passwords.hasher()) == PRODUCTION
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "production")
    assert _parameters(passwords.hasher()) == PRODUCTION
    stored = passwords.hash_password("Tirana2026")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "Tirana2026")
    # The unknown-user decoy costs what a real verification costs.
    assert passwords.dummy_hash().startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_test_profile_is_cheap_argon2id_and_verifies_either_kind():
    cheap = passwords.hash_password("Tirana2026")
    assert cheap.startswith("$argon2id$v=19$m=8,t=1,p=1$")
    assert passwords.verify_password(cheap, "Tirana2026")
    assert not passwords.verify_password(cheap, "Tirana2027")
    assert passwords.dummy_hash().startswith("$argon2id$v=19$m=8,t=1,p=1$")


def test_an_unknown_profile_is_refused_not_ignored(monkeypatch):
    monkeypatch.setenv(passwords.PROFILE_VARIABLE, "fast")
    with pytest.raises(passwords.UnknownArgon2Profile) as refused:
        passwords.hasher()
    assert "ISSUANCE_ARGON2_PROFILE" in refused.value.message("en")


def test_the_unknown_user_decoy_is_hashed_once_even_when_asked_at_once(monkeypatch):
    monkeypatch.setattr(passwords, "_dummy_hashes", {})
    start = threading.Barrier(GUESSERS)

    def first_login() -> str:
        start.wait(timeout=30)
        return passwords.dummy_hash()

    with ThreadPoolExecutor(GUESSERS) as pool:
        decoys = {f.result() for f in [pool.submit(first_login) for _ in range(GUESSERS)]}
    assert len(decoys) == 1  # every hash has its own salt: one value means one hash
    assert passwords.dummy_hash() in decoys


@pytest.mark.parametrize("weak", ["Short1a", "alllower1", "ALLUPPER1", "NoDigitsHere", ""])
def test_policy_refuses_weak_passwords(weak):
    with pytest.raises(WeakPassword) as refused:
        passwords.check_policy(weak)
    assert "8" in refused.value.message("sq") and "8" in refused.value.message("en")


def test_policy_accepts_a_good_password():
    passwords.check_policy("Tirana2026")


def test_passwords_are_argon2id(ctx, console):
    build_world(ctx, console)
    with ctx.uow() as uow:
        hashes = uow.session.execute(select(Operator.password_hash)).scalars().all()
    assert hashes and all(h.startswith("$argon2id$") for h in hashes)
    assert all(PASSWORD not in h for h in hashes)


def test_clerk_logs_in_with_password_only(ctx, console):
    build_world(ctx, console)
    actor = operators.authenticate(ctx, "clerk", PASSWORD)
    assert actor.role is Role.CLERK and actor.office_id is not None


def test_three_wrong_passwords_lock_for_three_hours(ctx, console, clock):
    build_world(ctx, console)
    with pytest.raises(operators.InvalidCredentials) as first:
        operators.authenticate(ctx, "clerk", "Wrong-pass1")
    assert "2" in first.value.message("en")
    with pytest.raises(operators.InvalidCredentials):
        operators.authenticate(ctx, "clerk", "Wrong-pass1")
    with pytest.raises(operators.AccountLocked) as locked:
        operators.authenticate(ctx, "clerk", "Wrong-pass1")
    assert locked.value.until == clock.now + operators.LOCKOUT
    # Even the right password is refused while locked.
    clock.advance(hours=2, minutes=59)
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, "clerk", PASSWORD)
    clock.advance(minutes=2)
    assert operators.authenticate(ctx, "clerk", PASSWORD).username == "clerk"


def test_successful_login_resets_the_failure_count(ctx, console):
    build_world(ctx, console)
    for _ in range(2):
        with pytest.raises(operators.InvalidCredentials):
            operators.authenticate(ctx, "clerk", "Wrong-pass1")
    operators.authenticate(ctx, "clerk", PASSWORD)
    for _ in range(2):
        with pytest.raises(operators.InvalidCredentials):
            operators.authenticate(ctx, "clerk", "Wrong-pass1")
    assert operators.authenticate(ctx, "clerk", PASSWORD).username == "clerk"


def test_unknown_user_gets_the_same_message(ctx, console):
    """The same words, attempts-left count included, as a wrong password of an operator."""
    build_world(ctx, console)
    with pytest.raises(operators.InvalidCredentials) as unknown:
        operators.authenticate(ctx, "nobody", PASSWORD)
    with pytest.raises(operators.InvalidCredentials) as wrong:
        operators.authenticate(ctx, "clerk", "Wrong-pass1")
    for language in ("sq", "en"):
        assert unknown.value.message(language) == wrong.value.message(language)
    assert wrong.value.message("en").startswith("Wrong username or password.")


def test_supervisor_unlocks_but_clerk_cannot(ctx, console):
    world = build_world(ctx, console)
    for _ in range(3):
        with pytest.raises((operators.InvalidCredentials, operators.AccountLocked)):
            operators.authenticate(ctx, "clerk2", "Wrong-pass1")
    with pytest.raises(NotPermitted):
        operators.unlock(ctx, world.clerk, "clerk2")
    operators.unlock(ctx, world.supervisor, "clerk2")
    assert operators.authenticate(ctx, "clerk2", PASSWORD).username == "clerk2"


def _lock_out(ctx, username):
    for _ in range(operators.MAX_FAILED_LOGINS):
        with pytest.raises((operators.InvalidCredentials, operators.AccountLocked)):
            operators.authenticate(ctx, username, "Wrong-pass1")
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, username, PASSWORD)


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.ADMINISTRATOR])
def test_supervisor_and_administrator_unlock(ctx, console, role):
    world = build_world(ctx, console)
    _lock_out(ctx, "clerk2")
    operators.unlock(ctx, world.by_role(role), "clerk2")
    assert operators.authenticate(ctx, "clerk2", PASSWORD).username == "clerk2"
    with ctx.uow() as uow:
        unlocked = uow.session.execute(
            select(AuditEvent.actor).where(AuditEvent.action == "operator.unlocked")
        ).scalars()
        assert list(unlocked) == [world.by_role(role).username]


def test_a_supervisor_unlocks_and_lists_only_the_operators_of_their_office(ctx, console):
    tirana = build_world(ctx, console)
    durres = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                         prefix="dr_")  # fmt: skip
    _lock_out(ctx, "clerk2")
    with pytest.raises(OtherOfficesApplication) as refused:
        operators.unlock(ctx, durres.supervisor, "clerk2")
    assert "another office" in refused.value.message("en")
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, "clerk2", PASSWORD)  # still locked: nothing changed
    listed = {view.username for view in operators.list_operators(ctx, durres.supervisor)}
    assert listed and all(name.startswith("dr_") for name in listed)
    everyone = {view.username for view in operators.list_operators(ctx, tirana.administrator)}
    assert listed < everyone and "clerk2" in everyone
    operators.unlock(ctx, tirana.supervisor, "clerk2")
    assert operators.authenticate(ctx, "clerk2", PASSWORD).username == "clerk2"


@pytest.mark.parametrize("role", [Role.CLERK, Role.CARD_OPERATOR])
def test_clerk_and_card_operator_cannot_unlock(ctx, console, role):
    world = build_world(ctx, console)
    _lock_out(ctx, "clerk2")
    with pytest.raises(NotPermitted):
        operators.unlock(ctx, world.by_role(role), "clerk2")
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, "clerk2", PASSWORD)


def test_card_operator_logs_in_without_a_code(ctx, console):
    build_world(ctx, console)
    actor = operators.authenticate(ctx, "card_operator", PASSWORD)
    assert actor.role is Role.CARD_OPERATOR and actor.office_id is not None


@pytest.mark.parametrize("username", ["supervisor", "administrator"])
def test_supervisor_and_administrator_without_a_code_are_refused(ctx, console, username):
    build_world(ctx, console)
    for code in (None, "", "12345"):
        with pytest.raises((operators.SecondFactorRequired, operators.InvalidSecondFactor)):
            operators.authenticate(ctx, username, PASSWORD, code)
    with ctx.uow() as uow:
        logins = uow.session.execute(
            select(AuditEvent.id).where(AuditEvent.action == "operator.login")
        ).all()
        assert logins == []


GUESSERS = 6


def test_parallel_wrong_passwords_lock_as_if_one_after_another(ctx, console, clock):
    """Desks guessing at the same instant: each failure counts, so the third locks."""
    build_world(ctx, console)
    start = threading.Barrier(GUESSERS)

    def guess() -> IssuanceError:
        start.wait(timeout=30)
        try:
            operators.authenticate(ctx, "clerk", "Wrong-pass1")
        except (operators.InvalidCredentials, operators.AccountLocked) as refused:
            return refused
        raise AssertionError("a wrong password logged in")

    with ThreadPoolExecutor(GUESSERS) as pool:
        refusals = [f.result() for f in [pool.submit(guess) for _ in range(GUESSERS)]]

    wrong = sorted(r.message("en") for r in refusals if isinstance(r, operators.InvalidCredentials))
    assert wrong == [
        "Wrong username or password. 1 attempt(s) left before the account is locked.",
        "Wrong username or password. 2 attempt(s) left before the account is locked.",
    ]
    locked = [r for r in refusals if isinstance(r, operators.AccountLocked)]
    assert len(locked) == GUESSERS - 2
    assert {r.until for r in locked} == {clock.now + operators.LOCKOUT}
    with ctx.uow() as uow:
        clerk = uow.session.execute(
            select(Operator).where(Operator.username == "clerk")
        ).scalar_one()
        assert clerk.failed_logins == operators.MAX_FAILED_LOGINS
        assert clerk.locked_until == clock.now + operators.LOCKOUT
        events = uow.session.execute(
            select(AuditEvent.action, AuditEvent.details)
            .where(AuditEvent.action.in_(["operator.login_failed", "operator.locked"]))
            .order_by(AuditEvent.seq)
        ).all()
    assert [(action, details.get("failed")) for action, details in events] == [
        ("operator.login_failed", 1),
        ("operator.login_failed", 2),
        ("operator.login_failed", 3),
        ("operator.locked", None),
    ]
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, "clerk", PASSWORD)


def test_supervisor_needs_the_six_digit_code(ctx, console, clock):
    build_world(ctx, console)
    with pytest.raises(operators.SecondFactorRequired):
        operators.authenticate(ctx, "supervisor", PASSWORD)
    with pytest.raises(operators.InvalidSecondFactor):
        operators.authenticate(ctx, "supervisor", PASSWORD, "000000")
    code = pyotp.TOTP(SUPERVISOR_SECRET).at(clock.now)
    actor = operators.authenticate(ctx, "supervisor", PASSWORD, code)
    assert actor.role is Role.SUPERVISOR


def test_wrong_codes_count_towards_the_lock(ctx, console):
    build_world(ctx, console)
    for _ in range(2):
        with pytest.raises(operators.InvalidSecondFactor):
            operators.authenticate(ctx, "administrator", PASSWORD, "123456")
    with pytest.raises(operators.AccountLocked):
        operators.authenticate(ctx, "administrator", PASSWORD, "123456")


def test_totp_secret_is_sealed(ctx, console):
    build_world(ctx, console)
    with ctx.uow() as uow:
        sealed = uow.session.execute(
            select(Operator.totp_secret_sealed).where(Operator.username == "supervisor")
        ).scalar_one()
    assert SUPERVISOR_SECRET.encode() not in sealed


def test_reset_password_applies_policy_and_unlocks(ctx, console):
    world = build_world(ctx, console)
    with pytest.raises(WeakPassword):
        operators.reset_password(ctx, world.administrator, "clerk", "weak")
    for _ in range(3):
        with pytest.raises((operators.InvalidCredentials, operators.AccountLocked)):
            operators.authenticate(ctx, "clerk", "Wrong-pass1")
    operators.reset_password(ctx, world.administrator, "clerk", "Brand-new-2026")
    assert operators.authenticate(ctx, "clerk", "Brand-new-2026").username == "clerk"
    with pytest.raises(operators.InvalidCredentials):
        operators.authenticate(ctx, "clerk", PASSWORD)


def test_duplicate_and_bad_role_refused(ctx, console):
    build_world(ctx, console)
    with pytest.raises(operators.OperatorExists):
        operators.add_operator(
            ctx, console, username="clerk", full_name="X", role="clerk", password=PASSWORD
        )
    with pytest.raises(operators.InvalidRole):
        operators.add_operator(
            ctx, console, username="x", full_name="X", role="system", password=PASSWORD
        )
