"""One error path for the desk: every failure becomes a sentence for the operator.

A refusal (``IssuanceError``) already is one. Anything else is either a failure the operator
can act on (the database busy or out of reach, a register out of reach, a disk problem) or a
bug; both get an incident number that is written to the log with the traceback, so the
administrator can find the details the screen never shows (no exception names, SQL or codes).

The libraries are looked up in ``sys.modules`` rather than imported: an exception of theirs can
only exist once its module is loaded, and the desk's start must not pay for them here.
"""

from __future__ import annotations

import logging
import secrets
import sys
from collections.abc import Callable

from issuance.errors import IssuanceError

log = logging.getLogger(__name__)

# Crockford's base 32: no I, L, O or U, so a number read aloud over the phone is not misheard.
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_ATTRIBUTE = "_issuance_incident"


def new_number() -> str:
    """``K7QX-4M2P``: 40 random bits, enough that two incidents of one office never share one."""
    text = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{text[:4]}-{text[4:]}"


def incident_of(error: BaseException, where: str = "desk") -> str:
    """The error's incident number, logged with its traceback the first time it is asked for."""
    number = getattr(error, _ATTRIBUTE, None)
    if number is None:
        number = new_number()
        try:
            setattr(error, _ATTRIBUTE, number)
        except AttributeError:  # an exception type with __slots__: log it again if asked twice
            pass
        # The exception's text may quote data (SQL parameters, a URL with an NID): it goes to
        # the log's traceback only, which stays on the machine, never onto a screen.
        log.error("incident %s in %s", number, where, exc_info=error)
    return number


class DatabaseBusy(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Baza e të dhënave është e zënë dhe nuk u përgjigj në kohë. Asgjë nuk u ndryshua; "
            f"provoni përsëri pas pak. (Incidenti {incident})",
            "The database is busy and did not answer in time. Nothing was changed; try again "
            f"in a moment. (Incident {incident})",
        )
        self.incident = incident


class DatabaseUnreachable(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Baza e të dhënave nuk mund të arrihet. Asgjë nuk u ndryshua; provoni përsëri pas "
            f"pak dhe, nëse vazhdon, njoftoni administratorin me numrin e incidentit {incident}.",
            "The database cannot be reached. Nothing was changed; try again in a moment and, if "
            f"it goes on, tell the administrator incident number {incident}.",
        )
        self.incident = incident


class RecordConflict(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Ky veprim bie ndesh me një të dhënë të ruajtur tashmë (për shembull një numër që "
            "mund të përdoret vetëm një herë). Asgjë nuk u ndryshua; rifreskoni dhe provoni "
            f"përsëri, ose njoftoni administratorin me numrin e incidentit {incident}.",
            "This action conflicts with something already saved (for example a number that can "
            "be used only once). Nothing was changed; refresh and try again, or tell the "
            f"administrator incident number {incident}.",
        )
        self.incident = incident


class ServiceUnreachable(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Një shërbim i jashtëm (regjistër ose postë) nuk u përgjigj. Asgjë nuk humbi; "
            f"provoni përsëri pas pak. (Incidenti {incident})",
            "An outside service (a register or the post office) did not answer. Nothing was "
            f"lost; try again in a moment. (Incident {incident})",
        )
        self.incident = incident


class StorageProblem(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Një skedar i nevojshëm nuk mund të lexohej ose të shkruhej (disku plot, pa leje "
            f"ose i shkëputur). Njoftoni administratorin me numrin e incidentit {incident}.",
            "A file the desk needs could not be read or written (disk full, no permission or "
            f"disconnected). Tell the administrator incident number {incident}.",
        )
        self.incident = incident


class UnexpectedError(IssuanceError):
    def __init__(self, incident: str) -> None:
        super().__init__(
            "Na vjen keq, ndodhi një gabim i papritur. Puna juaj është ruajtur. Njoftoni "
            f"administratorin me numrin e incidentit {incident}.",
            "Sorry, something unexpected went wrong. Your work is saved. Tell the "
            f"administrator incident number {incident}.",
        )
        self.incident = incident


def explain(error: BaseException, where: str = "desk") -> IssuanceError:
    """The refusal to show for ``error``: itself if it is one, else a sentence with an incident."""
    if isinstance(error, IssuanceError):
        return error
    number = incident_of(error, where)
    return _kind(error)(number)


def _kind(error: BaseException) -> Callable[[str], IssuanceError]:
    database = sys.modules.get("sqlalchemy.exc")
    if database is not None and isinstance(error, database.SQLAlchemyError):
        if isinstance(error, database.IntegrityError):
            return RecordConflict
        if isinstance(error, database.TimeoutError) or timeout_kind(error) is not None:
            return DatabaseBusy
        if isinstance(error, (database.OperationalError, database.InterfaceError)):
            return DatabaseUnreachable
        return UnexpectedError
    http = sys.modules.get("httpx")
    if http is not None and isinstance(error, http.TransportError):
        return ServiceUnreachable
    if isinstance(error, (ConnectionError, TimeoutError)):
        return ServiceUnreachable
    if isinstance(error, OSError):
        return StorageProblem
    return UnexpectedError


def timeout_kind(error: BaseException) -> str | None:
    """Which of our database time limits a driver error is: ``connect`` (no connection in
    time), ``statement`` (PostgreSQL's statement_timeout) or ``locked`` (SQLite's busy
    timeout, another writer); ``None`` for any other error. Read from the driver's exception
    (``orig``) by name, so that neither driver has to be imported here."""
    cause = getattr(error, "orig", None)
    name = type(cause).__name__
    if name == "ConnectionTimeout":
        return "connect"
    if name == "QueryCanceled" and "statement timeout" in str(cause):
        return "statement"
    if name == "OperationalError" and "database is locked" in str(cause):
        return "locked"
    return None
