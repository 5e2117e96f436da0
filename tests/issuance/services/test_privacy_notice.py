"""The privacy notice at enrolment, on SQLite and PostgreSQL: an application is not submitted
until the clerk recorded that the applicant read and accepted it; what is recorded is the
notice's version, the time and the clerk, in the application and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from issuance.db.models import Application, AuditEvent, Coupon
from issuance.domain import privacy_notice
from issuance.domain.workflow import State
from issuance.security.permissions import NotPermitted, OtherOfficesApplication
from issuance.services import enrolment
from issuance.services.enrolment import PrivacyNoticeNotAcknowledged, UnknownPrivacyNotice
from tests.support.world import build_world, enrol_captured
from tests.support.world import enrol_complete as world_enrol_complete


def _captured(ctx, clerk) -> int:
    """Everything captured and checked (biometrics_captured), the notice not yet accepted."""
    return enrol_captured(ctx, clerk)


def _application(ctx, application_id) -> Application:
    with ctx.read() as uow:
        return uow.session.get(Application, application_id)


def _notice_events(ctx) -> list[AuditEvent]:
    with ctx.read() as uow:
        return list(uow.session.execute(
            select(AuditEvent).where(AuditEvent.action == "application.privacy_notice")
        ).scalars())  # fmt: skip


def test_submission_is_refused_until_the_notice_is_accepted(ctx, console, clock):
    world = build_world(ctx, console)
    application_id = _captured(ctx, world.clerk)
    number = _application(ctx, application_id).number

    with pytest.raises(PrivacyNoticeNotAcknowledged) as refused:
        enrolment.submit(ctx, world.clerk, application_id)
    assert refused.value.message("en") == (
        f"Application {number} cannot be submitted: the applicant must read and accept the "
        "privacy notice. Record their acceptance, then submit again."
    )
    assert "njoftimin e privatësisë" in refused.value.message("sq")
    application = _application(ctx, application_id)
    assert application.state == State.BIOMETRICS_CAPTURED and application.submitted_at is None
    with ctx.read() as uow:  # the coupon is not consumed by a refused submission
        assert uow.session.execute(select(Coupon.status)).scalar_one() == "reserved"

    clock.advance(minutes=3)
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id)
    application = _application(ctx, application_id)
    assert application.privacy_notice_version == privacy_notice.VERSION
    assert application.privacy_notice_acknowledged_at == clock()
    assert application.privacy_notice_acknowledged_by == world.clerk.username
    (event,) = _notice_events(ctx)
    assert (event.actor, event.entity_id, event.details) == (
        world.clerk.username,
        str(application_id),
        {"privacy_notice": privacy_notice.VERSION},
    )

    clock.advance(minutes=1)
    enrolment.submit(ctx, world.clerk, application_id)
    application = _application(ctx, application_id)
    assert application.state == State.SUBMITTED
    # What was accepted stays as it was recorded, before the submission.
    assert application.privacy_notice_acknowledged_at == clock() - timedelta(minutes=1)


def test_an_unknown_notice_version_or_another_role_is_refused(ctx, console):
    world = build_world(ctx, console)
    application_id = _captured(ctx, world.clerk)
    with pytest.raises(UnknownPrivacyNotice) as unknown:
        enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id, "1999-01")
    assert f"the current notice ({privacy_notice.VERSION})" in unknown.value.message("en")
    for actor in (world.supervisor, world.card_operator, world.administrator):
        with pytest.raises(NotPermitted):
            enrolment.acknowledge_privacy_notice(ctx, actor, application_id)
    assert _application(ctx, application_id).privacy_notice_acknowledged_at is None
    assert _notice_events(ctx) == []
    with pytest.raises(PrivacyNoticeNotAcknowledged):
        enrolment.submit(ctx, world.clerk, application_id)


def test_a_clerk_of_another_office_cannot_record_it(ctx, console):
    world = build_world(ctx, console)
    other = build_world(ctx, console, office="DR", office_name="DRKM Durrës", city="Durrës",
                        prefix="dr_")  # fmt: skip
    application_id = _captured(ctx, world.clerk)
    with pytest.raises(OtherOfficesApplication):
        enrolment.acknowledge_privacy_notice(ctx, other.clerk, application_id)
    assert _application(ctx, application_id).privacy_notice_acknowledged_at is None


def test_the_notice_is_written_in_both_languages():
    sq, en = privacy_notice.TEXT[privacy_notice.VERSION]
    assert privacy_notice.notice_text("sq") == sq and "të dhënat biometrike" in sq.lower()
    assert privacy_notice.notice_text("en") == en and "fingerprints" in en
    # The notice tells the applicant that closed applications' biometrics are deleted.
    assert "deleted after periods the office sets" in en
    assert privacy_notice.notice_text("en", "1999-01") == ""


def test_the_helper_that_enrols_for_other_tests_accepts_the_notice(ctx, console):
    world = build_world(ctx, console)
    application = _application(ctx, world_enrol_complete(ctx, world.clerk))
    assert application.state == State.SUBMITTED
    assert application.privacy_notice_version == privacy_notice.VERSION
