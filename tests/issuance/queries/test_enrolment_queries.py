"""The clerk's queue reads "today" and times on the office's clock (Tirana), not UTC."""

from __future__ import annotations

from datetime import UTC, datetime

from issuance.queries import enrolment as enrolment_queries
from issuance.services.enrolment import card_type_name
from issuance.wall_clock import local_day, local_time
from tests.support.world import build_world, enrol_complete


def test_local_day_of_a_late_utc_evening_is_the_next_tirana_day():
    start, end = local_day(datetime(2026, 11, 23, 23, 30, tzinfo=UTC))
    assert (start.astimezone(UTC), end.astimezone(UTC)) == (
        datetime(2026, 11, 23, 23, 0, tzinfo=UTC),  # midnight in Tirana (CET)
        datetime(2026, 11, 24, 23, 0, tzinfo=UTC),
    )
    # Summer time: Tirana is UTC+2.
    assert local_day(datetime(2026, 7, 1, 12, tzinfo=UTC))[0].astimezone(UTC).hour == 22


def test_todays_submissions_follow_the_office_day(ctx, console, clock):
    world = build_world(ctx, console)
    clock.now = datetime(2026, 11, 23, 22, 30, tzinfo=UTC)  # 23:30 in Tirana, Monday
    monday = enrol_complete(ctx, world.clerk, coupon="PS-0001")
    clock.now = datetime(2026, 11, 23, 23, 15, tzinfo=UTC)  # 00:15 in Tirana, Tuesday
    tuesday = enrol_complete(ctx, world.clerk, coupon="PS-0002", permit_number="LQ7654321")
    clock.now = datetime(2026, 11, 23, 23, 45, tzinfo=UTC)
    rows = enrolment_queries.todays_submissions(ctx, world.clerk)
    assert [r.application_id for r in rows] == [tuesday]
    assert f"{local_time(rows[0].submitted_at):%H:%M}" == "00:15"
    assert monday not in [r.application_id for r in rows]


def test_card_types_have_names_in_both_languages():
    assert card_type_name("URGENT", "sq") == "e përshpejtuar"
    assert card_type_name("URGENT", "en") == "urgent"
    assert card_type_name("FUTURE", "sq") == "FUTURE"
