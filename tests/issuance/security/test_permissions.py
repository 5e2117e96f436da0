"""Every use case × every role, through the real service functions; and every use case that
names or lists an office's applications × office-bound role × own or other office."""

from __future__ import annotations

import base64
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import text

from devices.card_printer import open_card_printer
from devtools.virtual_card.simulated import applet_station
from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.db.models import Application
from issuance.delivery.clients.errors import PermitNotFound
from issuance.domain.workflow import State
from issuance.errors import IssuanceError
from issuance.ports.card_printer import CardPrinter
from issuance.queries import (
    batches as batch_queries,
)
from issuance.queries import (
    cards as card_queries,
)
from issuance.queries import (
    enrolment as enrolment_queries,
)
from issuance.queries import (
    reports,
    search,
)
from issuance.security import audit
from issuance.security.keys import DeskKeys
from issuance.security.permissions import (
    ALLOWED,
    OFFICE_BOUND_ROLES,
    Actor,
    NotPermitted,
    OtherOfficesApplication,
    Role,
    UseCase,
)
from issuance.security.sealing import Sealer
from issuance.services import (
    alerts,
    applications,
    batches,
    card_lifecycle,
    cards,
    enrolment,
    offices,
    operators,
    permits,
    receipts,
    retention,
    stock,
)  # fmt: skip
from issuance.services.backup import backing_up, restoring
from tests.conftest import BACKENDS, TEST_KEY, Clock, _fresh_url
from tests.issuance.documents.samples import photo_jpeg
from tests.support.faces import make_face_jpeg
from tests.support.keys import desk_keys
from tests.support.world import World, build_world, enrol_complete

C, S, O, A, Y = (  # noqa: E741 - one letter per role keeps the table readable
    Role.CLERK,
    Role.SUPERVISOR,
    Role.CARD_OPERATOR,
    Role.ADMINISTRATOR,
    Role.SYSTEM,
)

# Written out by hand on purpose: a change to the rules must be a change to this table too.
EXPECTED = {
    UseCase.ENROL: {C},
    UseCase.VIEW_APPLICATION: {C, S, O},
    UseCase.CANCEL_APPLICATION: {S, A},
    UseCase.DISCARD_DRAFT: {C, S},
    UseCase.REVIEW_BATCH: {S},
    UseCase.DECIDE_APPLICATION: {S},
    UseCase.OVERRIDE_QUALITY: {S},
    UseCase.PRODUCE_CARD: {O},
    UseCase.HAND_OVER_CARD: {O},
    UseCase.RECORD_REGISTRATION: {Y},
    UseCase.SEARCH: {C, S, O, A},
    UseCase.VIEW_HISTORY: {S, A},
    UseCase.LIST_OPERATORS: {S, A},
    UseCase.MANAGE_OPERATORS: {A},
    UseCase.UNLOCK_OPERATOR: {S, A},
    UseCase.MANAGE_OFFICES: {A},
    UseCase.VERIFY_AUDIT: {S, A},
    UseCase.SPOIL_CARD: {O, A},
    UseCase.REVOKE_CARD: {S, A},
    UseCase.RECHECK_PERMITS: {S, A, Y},
    UseCase.MANAGE_ALERTS: {S, A},
    UseCase.MANAGE_STOCK: {S, A},
    UseCase.VIEW_STOCK: {S, O, A},
    UseCase.BACK_UP: {A},
    UseCase.RESTORE: {A},
    UseCase.VIEW_REPORTS: {S, A},
    UseCase.RUN_RETENTION: {A},
}

_files = itertools.count()


def _not_a_backup(context: Context) -> Any:
    """A file that is no backup: an administrator's restore is refused for that reason."""
    path = context.settings.data_dir / f"not-a-backup-{next(_files)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a backup")
    return path


class _FerUnknown:
    """A FER that knows no permit: the re-check is allowed, and refused for a domain reason."""

    def by_permit(self, number, **_):
        raise PermitNotFound(number)


CALLS = {
    UseCase.ENROL: lambda c, a, app: enrolment.start_draft(c, a),
    UseCase.VIEW_APPLICATION: lambda c, a, app: enrolment.read_capture(c, a, app, "face", "face"),
    UseCase.CANCEL_APPLICATION: lambda c, a, app: applications.cancel(c, a, app, "test"),
    UseCase.DISCARD_DRAFT: lambda c, a, app: enrolment.discard_draft(c, a, app),
    UseCase.REVIEW_BATCH: lambda c, a, app: batch_queries.open_batches(c, a),
    UseCase.DECIDE_APPLICATION: lambda c, a, app: batches.reject(c, a, app, "test"),
    UseCase.OVERRIDE_QUALITY: lambda c, a, app: enrolment.override_quality(
        c, a, app, kind="finger", position="left_index", reason="scar"
    ),
    UseCase.PRODUCE_CARD: lambda c, a, app: applications.transition(c, a, app, State.CARD_PRODUCED),
    UseCase.HAND_OVER_CARD: lambda c, a, app: applications.transition(c, a, app, State.HANDED_OVER),
    UseCase.RECORD_REGISTRATION: lambda c, a, app: applications.transition(
        c, a, app, State.REGISTERED
    ),
    UseCase.SEARCH: lambda c, a, app: search.search(c, a, "Cela"),
    UseCase.VIEW_HISTORY: lambda c, a, app: audit.history(c, a, "application", app),
    UseCase.LIST_OPERATORS: lambda c, a, app: operators.list_operators(c, a),
    UseCase.MANAGE_OPERATORS: lambda c, a, app: operators.reset_password(
        c, a, "nobody", "Valid-pass-1"
    ),
    UseCase.UNLOCK_OPERATOR: lambda c, a, app: operators.unlock(c, a, "nobody"),
    UseCase.MANAGE_OFFICES: lambda c, a, app: offices.add_office(
        c, a, code="Q1", name="Test", city="Test"
    ),
    UseCase.VERIFY_AUDIT: lambda c, a, app: audit.verify(c, a),
    UseCase.SPOIL_CARD: lambda c, a, app: cards.spoil_card(c, a, "NOCARD000", "test"),
    UseCase.REVOKE_CARD: lambda c, a, app: card_lifecycle.revoke_card(c, a, "NOCARD000", "fraud"),
    UseCase.RECHECK_PERMITS: lambda c, a, app: permits.recheck_cards(c, a, _FerUnknown()),
    UseCase.MANAGE_ALERTS: lambda c, a, app: alerts.retry_alert(c, a, 999_999),
    UseCase.MANAGE_STOCK: lambda c, a, app: stock.set_warning_level(c, a, "TR", 50),
    UseCase.VIEW_STOCK: lambda c, a, app: stock.stock_status(c, a, "TR"),
    UseCase.BACK_UP: lambda c, a, app: backing_up.back_up(
        c, a, c.settings.data_dir / f"{a.username}-{next(_files)}.backup", "a long passphrase"
    ),
    UseCase.RESTORE: lambda c, a, app: restoring.restore(
        c.settings, a, _not_a_backup(c), "a long passphrase"
    ),
    UseCase.VIEW_REPORTS: lambda c, a, app: reports.office_report(
        c, a, "TR", c.clock().date()
    ),
    UseCase.RUN_RETENTION: lambda c, a, app: retention.run(c, a),
}


def test_the_rules_are_the_table():
    assert {uc: set(roles) for uc, roles in ALLOWED.items()} == EXPECTED
    assert set(CALLS) == set(UseCase)


@dataclass
class Shared:
    context: Context
    world: World  # office TR
    other: World  # office DR, same database
    application_id: int  # TR's, for the role table
    pki: DeskKeys
    printer: CardPrinter


@pytest.fixture(scope="module", params=BACKENDS)
def office(request, tmp_path_factory):
    """Two offices per backend (TR and DR) for both tables: built once, shared by every case.
    The role table acts on TR's application; each office case makes its own records."""
    folder = tmp_path_factory.mktemp(f"perm-{request.param}")
    url = _fresh_url(request, folder, migrated=True)
    settings = Settings(folder, url, biometric_key=TEST_KEY)
    context = Context(settings, make_engine(settings.database_url),
                      Sealer(base64.b64decode(TEST_KEY)), Clock())  # fmt: skip
    console = Actor.console("tester")
    world = build_world(context, console)
    other = build_world(context, console, office="DR", office_name="DRKM Durrës",
                        city="Durrës", prefix="dr_")  # fmt: skip
    application_id = enrol_complete(context, world.clerk)
    printer = open_card_printer(f"folder:{folder / 'printed'}")
    yield Shared(context, world, other, application_id, desk_keys(folder / "pki"), printer)
    printer.close()
    context.close()


def _audit_rows(context):
    with context.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM audit_events")).scalar_one()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("use_case", list(UseCase))
def test_service_enforces_role(office, use_case, role):
    context, application_id = office.context, office.application_id
    actor = office.world.by_role(role)
    before = _audit_rows(context)
    if role in EXPECTED[use_case]:
        try:
            CALLS[use_case](context, actor, application_id)
        except NotPermitted:  # pragma: no cover - the failure this test exists to catch
            pytest.fail(f"{role} was refused {use_case}")
        except IssuanceError:
            pass  # allowed, but refused for a domain reason (e.g. wrong state): fine here
    else:
        with pytest.raises(NotPermitted):
            CALLS[use_case](context, actor, application_id)
        assert _audit_rows(context) == before


# --- offices: a clerk, supervisor or card operator sees and acts on their own office only ----

_serial = itertools.count(1)


def _submitted(shared: Shared, world: World) -> int:
    """A submitted application of ``world``'s office, of a person of its own, with a real
    portrait and chip image (so its receipt and its card can be printed)."""
    n = next(_serial)
    context, clerk = shared.context, world.clerk
    application_id = enrol_complete(
        context, clerk, coupon=f"PS-9{n:04d}", permit_number=f"LQ9{n:06d}",
        passport_number=f"PX{n:07d}", surname="Çela" + "".join("abcdefghij"[int(d)]
                                                               for d in str(n)),
    )  # fmt: skip
    enrolment.store_capture(
        context, clerk, application_id, kind="face", position="face",
        image=photo_jpeg(), image_format="jpeg", quality=90,
    )  # fmt: skip
    enrolment.store_capture(
        context, clerk, application_id, kind="face", position="face_chip",
        image=make_face_jpeg(), image_format="jpeg", quality=90, for_chip=True,
    )  # fmt: skip
    return application_id


def _draft(shared: Shared, world: World) -> int:
    return enrolment.start_draft(shared.context, world.clerk).id


def _batch(shared: Shared, world: World) -> int:
    application_id = _submitted(shared, world)
    with shared.context.uow() as uow:
        return uow.session.get(Application, application_id).batch_id


def _approved(shared: Shared, world: World) -> int:
    application_id = _submitted(shared, world)
    batches.approve(shared.context, world.supervisor, application_id)
    return application_id


def _produce(
    shared: Shared, actor: Actor, application_id: int, station: Any = None, **extra: Any
) -> cards.ProducedCard:
    return cards.produce_card(
        shared.context, actor, application_id, printer=shared.printer,
        station=station or applet_station(), signer=shared.pki.signer(),
        csca=shared.pki.csca_certificate, **extra,
    )  # fmt: skip


class _PowerCut(BaseException):
    """The desk killed mid-run: not an Exception, so the blank stays in production."""


def _left_in_production(shared: Shared, world: World) -> str:
    application_id = _approved(shared, world)

    def cut(step: str) -> None:
        if step == "encoding the chip":
            raise _PowerCut()

    with pytest.raises(_PowerCut):
        _produce(shared, world.card_operator, application_id, progress=cut)
    [card] = cards.cards_of(shared.context, world.card_operator, application_id)
    return card.document_number


class _BrokenStation:
    def personalise(self, files: Any, key: Any, csca: Any, progress: Any = None) -> Any:
        raise cards.ChipVerificationFailed()


def _spoiled(shared: Shared, world: World) -> int:
    """An approved application whose first blank was spoiled: it waits for a reprint."""
    application_id = _approved(shared, world)
    with pytest.raises(cards.CardSpoiled):
        _produce(shared, world.card_operator, application_id, station=_BrokenStation())
    return application_id


def _registered(shared: Shared, world: World) -> tuple[int, str]:
    """(application, document number) of a produced card whose holder is e-Albania ready."""
    application_id = _approved(shared, world)
    produced = _produce(shared, world.card_operator, application_id)
    applications.transition(
        shared.context, Actor.system("civil-registry"), application_id, State.REGISTERED
    )
    return application_id, produced.document_number


def _searched(shared: Shared, actor: Actor, application_id: int) -> set[int]:
    """What a search by the application's number, passport and name finds."""
    with shared.context.uow() as uow:
        application = uow.session.get(Application, application_id)
        number, applicant = application.number, application.applicant_id
        row = uow.session.execute(
            text("SELECT passport_number, surname FROM applicants WHERE id = :id"),
            {"id": applicant},
        ).one()
    passport, surname = row
    name = surname.replace("Ç", "C")  # typed without diacritics
    return {
        hit.application_id
        for typed in (number, passport, name)
        for hit in search.search(shared.context, actor, typed)
    }


def _application_ids(rows: list[Any]) -> set[int]:
    return {row.application_id for row in rows}


@dataclass(frozen=True)
class OfficeCase:
    roles: frozenset[Role]  # who may do it at all (the role table above)
    prepare: Callable[[Shared, World], Any]  # a record of the given world's office
    act: Callable[[Shared, Actor, Any], Any]
    # Lists: whether what ``act`` returned shows the prepared record. None: ``act`` names the
    # record by its id, and another office's actor is refused.
    shows: Callable[[Any, Any], bool] | None = None
    writes: bool = False

OFFICE_CASES: dict[str, OfficeCase] = {
    # the supervisor's batch screen and decisions
    "approve": OfficeCase(
        frozenset({S}), _submitted,
        lambda sh, a, app: batches.approve(sh.context, a, app), writes=True,
    ),
    "approve all remaining": OfficeCase(
        frozenset({S}), _batch,
        lambda sh, a, batch: batches.approve_remaining(sh.context, a, batch), writes=True,
    ),
    "reject": OfficeCase(
        frozenset({S}), _submitted,
        lambda sh, a, app: batches.reject(sh.context, a, app, "permit revoked"), writes=True,
    ),
    "open batches": OfficeCase(
        frozenset({S}), _batch,
        lambda sh, a, batch: batch_queries.open_batches(sh.context, a),
        shows=lambda rows, batch: batch in {row.batch_id for row in rows},
    ),
    "batch applications": OfficeCase(
        frozenset({S}), _batch,
        lambda sh, a, batch: batch_queries.batch_applications(sh.context, a, batch),
    ),
    "application media": OfficeCase(
        frozenset({S}), _submitted,
        lambda sh, a, app: batch_queries.application_media(sh.context, a, app),
    ),
    "batch manifest": OfficeCase(
        frozenset({S}), _batch,
        lambda sh, a, batch: receipts.batch_manifest_pdf(sh.context, a, batch),
    ),
    # search and the audit trail it shows
    "search": OfficeCase(
        frozenset({C, S, O, A}), _submitted, _searched, shows=lambda found, app: app in found,
    ),
    "history": OfficeCase(
        frozenset({S, A}), _submitted,
        lambda sh, a, app: audit.history(sh.context, a, "application", app),
    ),
    # one application's papers and cards
    "receipt": OfficeCase(
        frozenset({C, S, O}), _submitted,
        lambda sh, a, app: receipts.application_receipt_pdf(sh.context, a, app),
    ),
    "cards of an application": OfficeCase(
        frozenset({C, S, O}), _approved, lambda sh, a, app: cards.cards_of(sh.context, a, app),
    ),
    # the clerk's screens
    "application summary": OfficeCase(
        frozenset({C}), _submitted,
        lambda sh, a, app: enrolment_queries.application_summary(sh.context, a, app),
    ),
    "drafts": OfficeCase(
        frozenset({C}), _draft, lambda sh, a, app: enrolment_queries.my_drafts(sh.context, a),
        shows=lambda rows, app: app in _application_ids(rows),
    ),
    "today's submissions": OfficeCase(
        frozenset({C}), _submitted,
        lambda sh, a, app: enrolment_queries.todays_submissions(sh.context, a),
        shows=lambda rows, app: app in _application_ids(rows),
    ),
    # the card station
    "produce": OfficeCase(
        frozenset({O}), _approved, lambda sh, a, app: _produce(sh, a, app), writes=True,
    ),
    "reprint": OfficeCase(
        frozenset({O}), _spoiled, lambda sh, a, app: _produce(sh, a, app), writes=True,
    ),
    "spoil a blank left in production": OfficeCase(
        frozenset({O}), _left_in_production,
        lambda sh, a, number: cards.spoil_card(sh.context, a, number, "desk lost power"),
        writes=True,
    ),
    "hand over": OfficeCase(
        frozenset({O}), _registered,
        lambda sh, a, target: cards.hand_over(sh.context, a, *target), writes=True,
    ),
    "waiting for a card": OfficeCase(
        frozenset({O}), _approved, lambda sh, a, app: card_queries.waiting_for_card(sh.context, a),
        shows=lambda rows, app: app in _application_ids(rows),
    ),
    "spoiled cards": OfficeCase(
        frozenset({O}), _spoiled, lambda sh, a, app: card_queries.spoiled_cards(sh.context, a),
        shows=lambda rows, app: app in _application_ids(rows),
    ),
    "ready for handover": OfficeCase(
        frozenset({O}), _registered,
        lambda sh, a, target: card_queries.ready_for_handover(sh.context, a),
        shows=lambda rows, target: target[0] in _application_ids(rows),
    ),
    # the application itself: state changes and the enrolment steps
    "cancel": OfficeCase(
        frozenset({S, A}), _submitted,
        lambda sh, a, app: applications.cancel(sh.context, a, app, "x"), writes=True,
    ),
    "discard a draft": OfficeCase(
        frozenset({C, S}), _draft,
        lambda sh, a, app: enrolment.discard_draft(sh.context, a, app), writes=True,
    ),
    "override quality": OfficeCase(
        frozenset({S}), _submitted,
        lambda sh, a, app: enrolment.override_quality(
            sh.context, a, app, kind="finger", position="left_index", reason="scar"
        ),
        writes=True,
    ),
    "read a capture": OfficeCase(
        frozenset({C, S, O}), _submitted,
        lambda sh, a, app: enrolment.read_capture(sh.context, a, app, "face", "face"),
    ),
}  # fmt: skip

# What "nothing changed" looks at: every row a refused write could have touched (NIDs and
# document numbers drawn, states, decisions, cards, outbox messages, the audit chain's head).
_WATCHED = (
    "applicants", "applications", "batches", "cards", "coupons", "outbox_messages",
    "sequences", "audit_head",
)  # fmt: skip


def _snapshot(context: Context) -> dict[str, list[tuple]]:
    with context.engine.connect() as conn:
        rows = {
            table: [tuple(row) for row in conn.execute(text(f"SELECT * FROM {table} ORDER BY 1"))]
            for table in _WATCHED
        }
        rows["audit_events"] = [
            tuple(conn.execute(text("SELECT count(*) FROM audit_events")).one())
        ]
    return rows


def _office_params() -> list[Any]:
    params = []
    for name, case in OFFICE_CASES.items():
        for role in sorted(case.roles):
            for where in ("own office", "other office"):
                params.append(pytest.param(name, role, where, id=f"{name}-{role}-{where}"))
    return params


def test_office_bound_roles_are_the_table():
    assert OFFICE_BOUND_ROLES == {C, S, O}


@pytest.mark.parametrize(("case_name", "role", "where"), _office_params())
def test_service_keeps_offices_apart(office, case_name, role, where):
    """A record of TR, acted on or listed by an actor of TR or of DR."""
    case = OFFICE_CASES[case_name]
    target = case.prepare(office, office.world)
    actor = (office.world if where == "own office" else office.other).by_role(role)
    # Administrators are bound to no office: they see every office's records.
    visible = where == "own office" or role not in OFFICE_BOUND_ROLES
    before = _snapshot(office.context)
    if case.shows is not None:
        assert case.shows(case.act(office, actor, target), target) is visible
        assert _snapshot(office.context) == before
    elif visible:
        case.act(office, actor, target)
        assert (_snapshot(office.context) != before) is case.writes
    else:
        try:
            case.act(office, actor, target)
        except OtherOfficesApplication:
            pass
        else:
            raise AssertionError(f"{actor.username} of DR did '{case_name}' on TR's record")
        assert _snapshot(office.context) == before


# --- the reported defect, without the desk ---------------------------------------------------


def test_a_dr_supervisor_neither_approves_a_tr_application_nor_lists_tr_batches(ctx, console):
    tirana = build_world(ctx, console)
    durres = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                         prefix="dr_")  # fmt: skip
    application_id = enrol_complete(ctx, tirana.clerk)
    before = _snapshot(ctx)

    with pytest.raises(OtherOfficesApplication) as refused:
        batches.approve(ctx, durres.supervisor, application_id)
    assert refused.value.message("en") == (
        "This application belongs to another office. You see and act on your own office's "
        "applications only."
    )
    assert refused.value.message("sq").startswith("Ky aplikim i përket një zyre tjetër.")
    assert _snapshot(ctx) == before  # no NID allocated, no outbox message, no audit event
    with ctx.uow() as uow:
        application = uow.session.get(Application, application_id)
        assert (application.state, application.decided_by_id) == ("submitted", None)

    assert batch_queries.open_batches(ctx, durres.supervisor) == []
    [tirana_batch] = batch_queries.open_batches(ctx, tirana.supervisor)
    with pytest.raises(OtherOfficesApplication):
        batch_queries.batch_applications(ctx, durres.supervisor, tirana_batch.batch_id)
    with pytest.raises(OtherOfficesApplication):
        receipts.batch_manifest_pdf(ctx, durres.supervisor, tirana_batch.batch_id)
    assert search.search(ctx, durres.supervisor, "Cela") == []

    # Tirana's own supervisor still decides it.
    assert batches.approve(ctx, tirana.supervisor, application_id)


def test_an_office_bound_operator_without_an_office_sees_nothing(ctx, console):
    from issuance.security.permissions import NoOffice

    world = build_world(ctx, console)
    homeless = Actor("nomad", Role.SUPERVISOR, world.supervisor.operator_id, None)
    with pytest.raises(NoOffice):
        batch_queries.open_batches(ctx, homeless)
    application_id = enrol_complete(ctx, world.clerk)
    with pytest.raises(NoOffice):
        batches.approve(ctx, homeless, application_id)


@pytest.mark.parametrize("use_case", list(UseCase))
@pytest.mark.parametrize("language", ["sq", "en"])
def test_every_refusal_names_the_action_and_who_may_do_it_in_words(use_case, language):
    from issuance.security.permissions import ALLOWED, OPERATOR_ROLES, ROLE_NAMES, USE_CASE_NAMES
    from tests.support.operator_text import assert_operator_text

    assert use_case in USE_CASE_NAMES  # a new use case gets its words with it
    # Every operator may search: the system account is then the one refused.
    refused = next((r for r in OPERATOR_ROLES if r not in ALLOWED[use_case]), Role.SYSTEM)
    text = NotPermitted(Actor(username="x", role=refused), use_case).message(language)
    assert_operator_text(text, language)
    assert f"({use_case.value})" not in text
    index = 0 if language == "sq" else 1
    assert USE_CASE_NAMES[use_case][index] in text
    for role in OPERATOR_ROLES:
        if role in ALLOWED[use_case]:
            assert ROLE_NAMES[role][index] in text
