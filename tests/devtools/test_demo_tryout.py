"""The demo's coupons and permits to try, printed by ``demo seed`` and ``demo run`` and listed
in the README, are the stand-ins' seed data as it is."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from devtools.demo import tryout
from devtools.demo.applications import DRAFTS, SUBMITTED
from devtools.standins.seed import demo_coupons, demo_permits

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_lists_what_the_seed_gives():
    text = README.read_text(encoding="utf-8")
    assert tryout.BEGIN in text and tryout.END in text
    assert tryout.render(text) == text, "stale: run python -m devtools.demo.tryout"


def test_the_readme_section_is_rewritten_and_checked(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{tryout.BEGIN}\nstale body\n{tryout.END}\nafter\n")
    assert tryout.main(["--check", str(readme)]) == 1
    assert tryout.main([str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith("after\n") and "stale body" not in text
    assert tryout.main(["--check", str(readme)]) == 0


def _listed(lines: list[str], label: str) -> list[str]:
    line = next(li for li in lines if li.strip().startswith(label))
    return [w.strip(",;()") for w in line.split() if w.strip(",;()")[:3] in ("PSH", "RP2")]


def test_each_listed_coupon_is_in_the_state_it_is_listed_under():
    coupons = {c.code: c for c in demo_coupons()}
    lines = tryout.coupon_lines()
    taken = {c for c, _ in [*SUBMITTED, *DRAFTS]}
    for label, card_type in (("standard", "STANDARD"), ("urgent", "URGENT"),
                             ("replacement", "REPLACEMENT"), ("renewal", "RENEWAL")):  # fmt: skip
        listed = _listed(lines, label)
        assert listed, label
        for code in listed:
            coupon = coupons[code]
            assert coupon.paid and coupon.state == "AVAILABLE" and code not in taken
            assert coupon.amount_lek == tryout.DEMO_FEES[card_type]
    used = _listed(lines, "used")
    assert "PSH40000003" in used and coupons["PSH40000003"].state == "CONSUMED"
    assert set(used) - {"PSH40000003"} <= taken
    assert all(not coupons[c].paid for c in _listed(lines, "not paid"))
    assert all(coupons[c].state == "RESERVED" for c in _listed(lines, "reserved"))


def test_each_listed_permit_is_in_the_state_it_is_listed_under():
    today = dt.date.today()
    permits = {p.permit_number: p for p in demo_permits(today)}
    lines = tryout.permit_lines(today)
    taken = {p for _, p in [*SUBMITTED, *DRAFTS]}
    for number in _listed(lines, "valid, first card"):
        permit = permits[number]
        assert not permit.revoked and permit.valid_until >= today and number not in taken
        assert not permit.holds_valid_card
    for number in _listed(lines, "valid, holds a valid card"):
        assert permits[number].holds_valid_card and permits[number].valid_until >= today
    expired = _listed(lines, "expired")
    assert expired and all(permits[n].valid_until < today for n in expired)
    revoked = _listed(lines, "revoked")
    assert revoked and all(permits[n].revoked for n in revoked)
