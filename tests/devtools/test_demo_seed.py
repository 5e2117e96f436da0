"""``issuance demo seed`` completes whatever an earlier, interrupted seed left undone."""

from __future__ import annotations

from devtools.demo import seeding as demo
from issuance.services import offices
from tests.conftest import raw_rows


def _desks(ctx) -> list[tuple]:
    return raw_rows(
        ctx,
        "SELECT o.code, d.name, d.kind FROM desks d JOIN offices o ON o.id = d.office_id "
        "ORDER BY o.code, d.name",
    )


def test_an_office_left_without_desks_by_a_killed_seed_gets_them_on_the_next_seed(ctx, console):
    code, name, city = demo.OFFICES[0]
    # What a seed killed between adding the office and its desks leaves behind.
    offices.add_office(ctx, console, code=code, name=name, city=city)
    assert _desks(ctx) == []

    demo.seed(ctx, console)

    expected = sorted(
        (office, desk, kind) for office, _, _ in demo.OFFICES for desk, kind in demo.DESKS
    )
    assert _desks(ctx) == expected
    # Seeding again adds nothing twice.
    demo.seed(ctx, console)
    assert _desks(ctx) == expected
    assert raw_rows(ctx, "SELECT count(*) FROM offices") == [(len(demo.OFFICES),)]


def test_a_seed_killed_after_one_desk_gets_the_other(ctx, console):
    code, name, city = demo.OFFICES[0]
    offices.add_office(ctx, console, code=code, name=name, city=city)
    first, kind = demo.DESKS[0]
    offices.add_desk(ctx, console, office_code=code, name=first, kind=kind)

    demo.seed(ctx, console)

    assert [d for d in _desks(ctx) if d[0] == code] == sorted(
        (code, desk, kind) for desk, kind in demo.DESKS
    )


def test_demo_seeding_acts_as_the_demo_operators_without_spending_their_code(ctx, console):
    import pyotp

    from issuance.security.permissions import Role
    from issuance.services import operators

    logins = {login.username: login for login in demo.seed(ctx, console)}
    supervisor = logins[demo.DEMO_SUPERVISOR]
    acting = demo.acting_as(ctx, supervisor.username)
    assert (acting.username, acting.role) == (supervisor.username, Role.SUPERVISOR)
    assert acting.office_id is not None and acting.operator_id is not None
    # The tester then logs in at the desk with the code of the moment: it is still unspent.
    code = pyotp.TOTP(supervisor.totp_secret).at(ctx.clock().timestamp())
    actor = operators.authenticate(ctx, supervisor.username, supervisor.password, code)
    assert actor == acting
