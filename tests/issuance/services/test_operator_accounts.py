"""Accounts (issue 12, defect 8): usernames normalised and validated, one account per
normalised name, bounded full names the same on both databases, logins that do not tell which
usernames exist, and one-time codes accepted once."""

from __future__ import annotations

import threading
import unicodedata
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select, text

from issuance.db.models import AuditEvent, Operator
from issuance.security import passwords
from issuance.security.permissions import Role
from issuance.services import operators
from tests.conftest import raw_rows
from tests.support.world import PASSWORD, SUPERVISOR_SECRET, build_world


def _add(ctx, console, username, full_name="Elira Hoxha", role="clerk"):
    return operators.add_operator(
        ctx, console, username=username, full_name=full_name, role=role, password=PASSWORD,
        office_code="TR",
    )  # fmt: skip


# --- usernames -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed,stored",
    [("elira", "elira"), ("Ëlira", "ëlira"), ("E\u0308LIRA", "ëlira"),
     ("  Çela.B_2-x\n", "çela.b_2-x"), ("ARTA", "arta"), ("007", "007")],
)  # fmt: skip
def test_usernames_are_normalised(typed, stored):
    assert operators.validate_username(typed) == stored
    assert operators.normalise_username(stored) == stored


@pytest.mark.parametrize(
    "typed,reason,shown",
    [
        ("", "length", "0"),
        ("  \n", "length", "0"),
        ("ab", "length", "2"),
        ("a" * 65, "length", "65"),
        ("a" * 10_000, "length", "10000"),
        ("eli\u200bra", "character", "U+200B"),  # zero-width space
        ("eli\u200dra", "character", "U+200D"),  # zero-width joiner
        ("eli\u202era", "character", "U+202E"),  # right-to-left override
        ("eli\x00ra", "character", "U+0000"),
        ("eli\nra", "character", "U+000A"),
        ("eli ra", "character", "U+0020"),
        ("eli\u00a0ra", "character", "U+00A0"),
        ("\u0430dmin", "character", "'\u0430'"),  # Cyrillic а, a look-alike of Latin a
        ("elira@tr", "character", "'@'"),
        ("élira", "character", "'é'"),
        (".elira", "start", "'.'"),
        ("-elira", "start", "'-'"),
    ],
)
def test_bad_usernames_are_refused_in_both_languages(typed, reason, shown):
    with pytest.raises(operators.InvalidUsername) as refused:
        operators.validate_username(typed)
    assert refused.value.reason == reason
    sq, en = refused.value.message("sq"), refused.value.message("en")
    assert shown in en and "ë" in sq and "3" in en and "64" in en
    assert "\n" not in sq + en and len(en) < 400  # one line, whatever was typed


def test_twins_are_one_operator(ctx, console):
    build_world(ctx, console)
    created = _add(ctx, console, "ëlira")  # NFC
    assert created.username == "ëlira"
    for twin in ("e\u0308lira", "Ëlira", "ËLIRA", "ëlira\n", " ëlira "):
        with pytest.raises(operators.OperatorExists):
            _add(ctx, console, twin)
    assert raw_rows(ctx, "SELECT username FROM operators WHERE username LIKE '%lira'") == [
        ("ëlira",)
    ]
    # Whichever way the name is typed, it is the one account.
    for typed in ("ËLIRA", "e\u0308lira", "ëlira\n"):
        assert operators.authenticate(ctx, typed, PASSWORD).username == "ëlira"


@pytest.mark.parametrize("typed", ["", "eli\u200bra", "elira\x00", "a" * 10_000])
def test_bad_usernames_are_refused_alike_on_both_databases(ctx, console, typed):
    build_world(ctx, console)
    with pytest.raises(operators.InvalidUsername):
        _add(ctx, console, typed)
    assert raw_rows(ctx, "SELECT count(*) FROM operators")[0][0] == 5


# --- full names ----------------------------------------------------------------------------


def test_full_names_are_bounded_alike_on_both_databases(ctx, console):
    build_world(ctx, console)
    longest = "Ë" + "a" * (operators.FULL_NAME_MAX - 1)
    _add(ctx, console, "longest", full_name=longest)
    with pytest.raises(operators.InvalidFullName) as refused:
        _add(ctx, console, "longer", full_name=longest + "b")
    assert str(operators.FULL_NAME_MAX) in refused.value.message("sq")
    with pytest.raises(operators.InvalidFullName):
        _add(ctx, console, "huge", full_name="x" * 10_000)
    for bad in ("", "   ", "Ana\u200bÇela", "Ana\nÇela", "Ana\x00Çela"):
        with pytest.raises(operators.InvalidFullName):
            _add(ctx, console, "ana", full_name=bad)
    _add(ctx, console, "ana", full_name="  Ana C\u0327ela ")  # stored as typed, in NFC
    stored = raw_rows(ctx, "SELECT full_name FROM operators WHERE username = 'ana'")[0][0]
    assert stored == "Ana Çela" == unicodedata.normalize("NFC", stored)


# --- logins that do not tell who exists ----------------------------------------------------


def _answers(ctx, username, attempts=4):
    answers = []
    for _ in range(attempts):
        try:
            operators.authenticate(ctx, username, "Wrong-pass1")
        except (operators.InvalidCredentials, operators.AccountLocked) as refused:
            answers.append((type(refused).__name__, refused.message("en"), refused.message("sq")))
    return answers


@pytest.mark.parametrize("unknown", ["nobody", "eli\u200bra", "x" * 10_000, ""])
def test_unknown_usernames_get_the_answers_of_an_existing_one(ctx, console, unknown):
    build_world(ctx, console)
    known = _answers(ctx, "clerk")
    assert [a[0] for a in known] == [
        "InvalidCredentials", "InvalidCredentials", "AccountLocked", "AccountLocked"
    ]  # fmt: skip
    assert _answers(ctx, unknown) == known


def test_each_answer_costs_one_password_check_and_failures_one_audited_commit(
    ctx, console, monkeypatch
):
    """Comparable time: the same work for an unknown name as for a wrong password."""
    build_world(ctx, console)
    checks = []
    real = passwords.verify_password
    monkeypatch.setattr(passwords, "verify_password", lambda h, p: checks.append(h) or real(h, p))

    def cost(username):
        checks.clear()
        events = []
        for _ in range(4):
            before = raw_rows(ctx, "SELECT count(*) FROM audit_events")[0][0]
            with pytest.raises((operators.InvalidCredentials, operators.AccountLocked)):
                operators.authenticate(ctx, username, "Wrong-pass1")
            events.append(raw_rows(ctx, "SELECT count(*) FROM audit_events")[0][0] - before)
        return len(checks), events

    assert cost("clerk") == cost("nobody") == (4, [1, 1, 2, 0])
    with ctx.uow() as uow:
        unknown = uow.session.execute(
            select(AuditEvent.actor, AuditEvent.details)
            .where(AuditEvent.entity_type == "login").order_by(AuditEvent.seq)
        ).all()  # fmt: skip
    assert unknown[0] == ("system:login", {"failed": 1, "factor": "password",
                                           "username": "nobody"})  # fmt: skip


def test_a_lock_is_told_before_the_password_alike_for_everyone(ctx, console, clock):
    build_world(ctx, console)
    _answers(ctx, "clerk", 3)
    _answers(ctx, "nobody", 3)
    with pytest.raises(operators.AccountLocked) as locked_known:
        operators.authenticate(ctx, "clerk", PASSWORD)  # even the right password waits
    with pytest.raises(operators.AccountLocked) as locked_unknown:
        operators.authenticate(ctx, "nobody", PASSWORD)
    assert locked_known.value.message("en") == locked_unknown.value.message("en")
    clock.advance(hours=3, minutes=1)
    assert operators.authenticate(ctx, "clerk", PASSWORD).username == "clerk"
    assert _answers(ctx, "nobody", 1)[0][1].endswith("2 attempt(s) left before the account "
                                                     "is locked.")  # fmt: skip


def test_a_disabled_account_is_told_only_after_the_right_password(ctx, console):
    build_world(ctx, console)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE operators SET active = false WHERE username = 'clerk2'"))
    assert _answers(ctx, "clerk2", 1) == _answers(ctx, "nobody", 1)
    with pytest.raises(operators.AccountDisabled):
        operators.authenticate(ctx, "clerk2", PASSWORD)


def test_parallel_guesses_under_an_unknown_name_lock_like_an_account(ctx, console, clock):
    build_world(ctx, console)
    start = threading.Barrier(4)

    def guess():
        start.wait(timeout=30)
        try:
            operators.authenticate(ctx, "nobody", "Wrong-pass1")
        except (operators.InvalidCredentials, operators.AccountLocked) as refused:
            return type(refused).__name__, refused.message("en")
        raise AssertionError("an unknown name logged in")

    with ThreadPoolExecutor(4) as pool:
        answers = sorted(f.result() for f in [pool.submit(guess) for _ in range(4)])
    assert [kind for kind, _ in answers] == ["AccountLocked"] * 2 + ["InvalidCredentials"] * 2
    assert sorted(message for kind, message in answers if kind == "InvalidCredentials") == [
        "Wrong username or password. 1 attempt(s) left before the account is locked.",
        "Wrong username or password. 2 attempt(s) left before the account is locked.",
    ]
    assert raw_rows(ctx, "SELECT failed_logins FROM login_throttles") == [(3,)]


def test_unknown_names_are_kept_as_digests_and_forgotten_after_a_while(ctx, console, clock):
    build_world(ctx, console)
    _answers(ctx, "nobody", 1)
    ((digest,),) = raw_rows(ctx, "SELECT name_digest FROM login_throttles")
    assert len(digest) == 64 and "nobody" not in digest
    clock.advance(days=31)
    _answers(ctx, "somebody", 1)
    assert raw_rows(ctx, "SELECT count(*) FROM login_throttles") == [(1,)]


# --- one-time codes are accepted once ------------------------------------------------------


def test_a_code_is_accepted_once(ctx, console, clock):
    build_world(ctx, console)
    totp = pyotp.TOTP(SUPERVISOR_SECRET)
    code = totp.at(clock.now)
    assert operators.authenticate(ctx, "supervisor", PASSWORD, code).role is Role.SUPERVISOR
    with pytest.raises(operators.SecondFactorReused) as replayed:
        operators.authenticate(ctx, "supervisor", PASSWORD, code)
    assert isinstance(replayed.value, operators.InvalidSecondFactor)
    assert "used" in replayed.value.message("en") and "përdorur" in replayed.value.message("sq")
    # Still inside the drift window, 30 s later: the code of an earlier step is refused too.
    clock.advance(seconds=30)
    with pytest.raises(operators.SecondFactorReused):
        operators.authenticate(ctx, "supervisor", PASSWORD, code)
    assert operators.authenticate(ctx, "supervisor", PASSWORD, totp.at(clock.now))
    with ctx.uow() as uow:
        supervisor = uow.session.execute(
            select(Operator).where(Operator.username == "supervisor")
        ).scalar_one()
        assert supervisor.totp_last_step == int(clock.now.timestamp()) // 30
        # A replay is a failed attempt: it counts towards the lock (then reset by a login).
        failed = uow.session.execute(
            select(AuditEvent.details).where(AuditEvent.action == "operator.login_failed")
        ).scalars().all()  # fmt: skip
    assert failed == [{"failed": 1, "factor": "code", "reused": True},
                      {"failed": 2, "factor": "code", "reused": True}]  # fmt: skip


def test_a_code_ahead_by_one_step_burns_the_steps_before_it(ctx, console, clock):
    build_world(ctx, console)
    totp = pyotp.TOTP(SUPERVISOR_SECRET)
    ahead = totp.at(clock.now.timestamp() + 30)
    operators.authenticate(ctx, "supervisor", PASSWORD, ahead)
    with pytest.raises(operators.SecondFactorReused):
        operators.authenticate(ctx, "supervisor", PASSWORD, totp.at(clock.now))


def test_one_code_at_two_desks_at_once_logs_in_once(ctx, console, clock):
    build_world(ctx, console)
    code = pyotp.TOTP(SUPERVISOR_SECRET).at(clock.now)
    start = threading.Barrier(2)

    def login():
        start.wait(timeout=30)
        try:
            return operators.authenticate(ctx, "supervisor", PASSWORD, code).username
        except operators.SecondFactorReused:
            return "reused"

    with ThreadPoolExecutor(2) as pool:
        results = sorted(f.result() for f in [pool.submit(login) for _ in range(2)])
    assert results == ["reused", "supervisor"]


@pytest.mark.parametrize("code", ["１２３４５６", "١٢٣٤٥٦", "12345", "1234567", " 12 34 "])
def test_codes_are_six_ascii_digits(code):
    assert passwords.totp_step(SUPERVISOR_SECRET, code, 1_800_000_000) is None


# --- any unicode: a clean refusal or a name that round-trips -------------------------------


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=80))
def test_any_text_is_refused_cleanly_or_normalised_for_good(typed):
    try:
        name = operators.validate_username(typed)
    except operators.InvalidUsername as refused:
        assert refused.reason in ("length", "character", "start")
        assert "\n" not in refused.message("en") and "\n" not in refused.message("sq")
        return
    assert operators.validate_username(name) == name
    assert operators.normalise_username(name) == name == unicodedata.normalize("NFC", name)
    assert operators.normalise_username(typed) == name
    assert 3 <= len(name) <= 64 and name == name.strip()


@st.composite
def _near_usernames(draw):
    """Mostly valid names typed in other forms (case, NFD, white space), and some junk."""
    core = draw(st.text(alphabet="abcdeëçzAEËÇZ019._-", min_size=1, max_size=66))
    form = draw(st.sampled_from(["NFC", "NFD"]))
    typed = unicodedata.normalize(form, core)
    pad = draw(st.sampled_from(["", " ", "\n", "\t "]))
    junk = draw(st.sampled_from(["", "", "", "\u200b", "\x00", " x", "\u0430"]))
    return pad + typed + junk + pad


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # fmt: skip
@given(typed=_near_usernames())
def test_any_username_is_refused_or_logs_in_as_typed(ctx, console, typed):
    """On both databases: no traceback; a refusal, or an account that the same typing opens."""
    try:
        operators.add_operator(ctx, console, username=typed, full_name="Prova", role="clerk",
                               password=PASSWORD)  # fmt: skip
    except operators.InvalidUsername:
        return
    except operators.OperatorExists:
        pass  # a twin of an earlier example
    name = operators.normalise_username(typed)
    assert operators.authenticate(ctx, typed, PASSWORD).username == name
