"""The desk's one error path: real failures of real libraries become sentences with an
incident number that is in the log, never an exception's name or text."""

from __future__ import annotations

import logging
import re
import socket
import sqlite3
from pathlib import Path

import httpx
import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from issuance import incidents
from issuance.errors import IssuanceError
from tests.support.db_failures import integrity_error, unreachable_database
from tests.support.operator_text import assert_operator_text

NUMBER = re.compile(r"\b[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}\b")


def _locked_database(tmp_path: Path) -> OperationalError:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("CREATE TABLE t (x)")
    holder.execute("BEGIN IMMEDIATE")
    engine = sa.create_engine(f"sqlite:///{path}", connect_args={"timeout": 0.05})
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("INSERT INTO t VALUES (1)"))
    except OperationalError as exc:
        return exc
    finally:
        holder.close()
        engine.dispose()
    raise AssertionError("wrote through another writer's lock")


def _refused_connection() -> httpx.ConnectError:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # nothing listens once the socket is closed
    try:
        httpx.get(f"http://127.0.0.1:{port}/persons/J00101999W", timeout=2)
    except httpx.ConnectError as exc:
        return exc
    raise AssertionError("a closed port answered")


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda tmp_path: integrity_error(), incidents.RecordConflict),
        (unreachable_database, incidents.DatabaseUnreachable),
        (_locked_database, incidents.DatabaseBusy),
        (lambda tmp_path: _refused_connection(), incidents.ServiceUnreachable),
        (lambda tmp_path: PermissionError(13, "denied", str(tmp_path)), incidents.StorageProblem),
        (lambda tmp_path: KeyError("photo_blob"), incidents.UnexpectedError),
    ],
)
@pytest.mark.parametrize("language", ["sq", "en"])
def test_each_failure_is_a_sentence_with_an_incident_in_the_log(
    tmp_path, caplog, make, kind, language
):
    error = make(tmp_path)
    with caplog.at_level(logging.ERROR, logger="issuance.incidents"):
        refusal = incidents.explain(error)
    assert type(refusal) is kind
    text = refusal.message(language)
    assert_operator_text(text, language)
    number = NUMBER.search(text)
    assert number is not None
    logged = [r for r in caplog.records if r.exc_info and r.exc_info[1] is error]
    assert len(logged) == 1 and number.group() in logged[0].getMessage()
    # Asked again (the worker, then the screen): the same incident, logged once.
    assert incidents.explain(error).message(language) == text
    assert len([r for r in caplog.records if r.exc_info and r.exc_info[1] is error]) == 1


def test_a_refusal_is_its_own_sentence_and_is_not_logged(caplog):
    refusal = IssuanceError("Kuponi nuk është i vlefshëm.", "The coupon is not valid.")
    with caplog.at_level(logging.DEBUG):
        assert incidents.explain(refusal) is refusal
    assert not caplog.records


def test_incident_numbers_do_not_repeat_and_read_unambiguously():
    numbers = {incidents.new_number() for _ in range(2000)}
    assert len(numbers) == 2000
    assert all(NUMBER.fullmatch(n) for n in numbers)
    assert not any(set(n) & set("ILOU") for n in numbers)


@pytest.mark.parametrize(
    "shown",
    [
        "IntegrityError: UNIQUE constraint failed: coupons.code",
        "[SQL: INSERT INTO coupons (code) VALUES (?)]",
        "Karta nuk është bosh: CardNotBlank",
        "Leje e refuzuar (view_history)",
        "Lloji i lejes: TEMPORARY_WORK",
        "Gabim: the database is locked",
    ],
)
def test_the_checker_catches_every_kind_of_internal_text(shown):
    with pytest.raises(AssertionError):
        assert_operator_text(shown, "sq")
