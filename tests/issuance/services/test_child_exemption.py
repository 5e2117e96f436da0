"""Issue 14 (8): below a configurable age (default 6, Regulation (EC) No 380/2008) no
fingerprints are taken and no signature asked; the exemption is recorded and shown to the
supervisor. SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from sqlalchemy import select

from issuance.config import SettingsError, load_settings
from issuance.db.models import Application, AuditEvent
from issuance.queries import batches as batch_queries
from issuance.queries import enrolment as enrolment_queries
from issuance.services import enrolment
from issuance.services.enrolment import IncompleteApplication
from tests.support.world import build_world, fake_jpeg, permit

# The tests' clock stands at 2026-11-23.
FIVE = date(2021, 6, 1)
SEVEN = date(2019, 6, 1)
SIX_TODAY = date(2020, 11, 23)


def _to_photo(ctx, clerk, birth_date: date) -> int:
    draft = enrolment.start_draft(ctx, clerk)
    enrolment.record_coupon(
        ctx, clerk, draft.id, code=f"KID{birth_date:%Y%m%d}", amount_lek=6000,
        card_type="STANDARD",
    )  # fmt: skip
    enrolment.link_permit(
        ctx, clerk, draft.id,
        permit(birth_date=birth_date, permit_number=f"LQ{birth_date:%Y%m%d}",
               passport_number=f"P{birth_date:%Y%m%d}", given_names="Ana"),
    )  # fmt: skip
    enrolment.store_capture(
        ctx, clerk, draft.id, kind="face", position="face", image=fake_jpeg(),
        image_format="jpeg", quality=90, for_chip=True,
    )  # fmt: skip
    return draft.id


def test_a_five_year_old_submits_without_fingers_or_signature_and_the_supervisor_sees_why(
    ctx, console
):
    world = build_world(ctx, console)
    application_id = _to_photo(ctx, world.clerk, FIVE)
    with ctx.read() as uow:
        application = uow.session.get(Application, application_id)
        assert application.draft["child_exemption"] == {
            "age": 5, "below": 6, "on": "2026-11-23",
        }  # fmt: skip
        event = uow.session.execute(
            select(AuditEvent).where(AuditEvent.action == "application.child_exemption")
        ).scalar_one()
        assert (event.entity_id, event.details["age"]) == (str(application_id), 5)
    summary = enrolment_queries.application_summary(ctx, world.clerk, application_id)
    assert summary.child_exemption == {"age": 5, "below": 6, "on": "2026-11-23"}
    assert summary.step == "documents"  # photo taken: fingers and signature are skipped

    enrolment.mark_biometrics_captured(ctx, world.clerk, application_id)
    enrolment.acknowledge_privacy_notice(ctx, world.clerk, application_id)
    enrolment.submit(ctx, world.clerk, application_id)

    [batch] = batch_queries.open_batches(ctx, world.supervisor)
    [row] = batch_queries.batch_applications(ctx, world.supervisor, batch.batch_id)
    assert row.child_exemption == 6
    assert all(f.kind != "finger" for f in row.flags)  # no finger is "missing": none was due

    from issuance.services import batches

    assert batches.approve(ctx, world.supervisor, application_id)  # the NID is allocated


def test_a_seven_year_old_cannot_skip_fingers_or_signature(ctx, console):
    world = build_world(ctx, console)
    application_id = _to_photo(ctx, world.clerk, SEVEN)
    summary = enrolment_queries.application_summary(ctx, world.clerk, application_id)
    assert summary.child_exemption is None and summary.step == "fingerprints"
    with pytest.raises(IncompleteApplication) as refused:
        enrolment.mark_biometrics_captured(ctx, world.clerk, application_id)
    assert "10 finger(s)" in refused.value.message("en")
    assert "the signature" in refused.value.message("en")
    assert "nënshkrimi" in refused.value.message("sq")
    with pytest.raises(IncompleteApplication):
        enrolment.submit(ctx, world.clerk, application_id)


def test_six_today_is_no_longer_a_child_and_the_age_is_configurable(ctx, console):
    world = build_world(ctx, console)
    six = _to_photo(ctx, world.clerk, SIX_TODAY)
    with pytest.raises(IncompleteApplication):
        enrolment.mark_biometrics_captured(ctx, world.clerk, six)

    ctx.settings = dataclasses.replace(ctx.settings, child_no_fingerprints_below=8)
    seven = _to_photo(ctx, world.clerk, SEVEN)
    enrolment.mark_biometrics_captured(ctx, world.clerk, seven)
    # A recorded exemption is checked again against the age limit when submitting.
    ctx.settings = dataclasses.replace(ctx.settings, child_no_fingerprints_below=6)
    with pytest.raises(IncompleteApplication):
        enrolment.submit(ctx, world.clerk, seven)


def test_the_age_limit_comes_from_the_environment(tmp_path):
    base = {"ISSUANCE_DATA_DIR": str(tmp_path)}
    assert load_settings(base).child_no_fingerprints_below == 6
    variable = "ISSUANCE_CHILD_NO_FINGERPRINTS_BELOW"
    assert load_settings({**base, variable: "12"}).child_no_fingerprints_below == 12
    for bad in ("six", "-1", "40"):
        with pytest.raises(SettingsError) as refused:
            load_settings({**base, variable: bad})
        assert variable in refused.value.message("en")
