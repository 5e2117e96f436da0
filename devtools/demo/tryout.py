"""The demo coupons and permit numbers a newcomer can type at the desk, listed from the
stand-ins' seed data and the demo applications (so the list cannot drift from them).

``issuance-dev demo seed`` and ``demo run`` print it; the README's demo section holds the same
list between two markers (``python -m devtools.demo.tryout [--check] [README]`` rewrites it).
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Sequence

from devtools import readme
from devtools.demo.applications import DRAFTS, SUBMITTED
from devtools.standins.seed import demo_coupons, demo_permits
from devtools.standins.vouchers import DEMO_FEES

BEGIN = "<!-- demo-try:begin -->"
END = "<!-- demo-try:end -->"
SHOWN = 3  # a few of each kind are enough to try


def _taken() -> tuple[set[str], set[str]]:
    """Coupons and permits the demo applications already use in the demo's database."""
    pairs = [*SUBMITTED, *DRAFTS]
    return {c for c, _ in pairs}, {p for _, p in pairs}


def _few(items: Sequence[str]) -> str:
    shown = ", ".join(items[:SHOWN])
    return f"{shown} (+{len(items) - SHOWN} more)" if len(items) > SHOWN else shown


def coupon_lines() -> list[str]:
    used_here, _ = _taken()
    coupons = demo_coupons()
    fee_type = {fee: card_type for card_type, fee in DEMO_FEES.items()}
    lines = []
    for card_type in DEMO_FEES:
        free = [
            c.code for c in coupons
            if c.paid and c.state == "AVAILABLE" and c.code not in used_here
            and fee_type.get(c.amount_lek) == card_type
        ]  # fmt: skip
        lines.append(f"{card_type.lower()} ({DEMO_FEES[card_type]} lek), paid: {_few(free)}")
    consumed = [c.code for c in coupons if c.state == "CONSUMED"]
    lines.append(
        f"used: {_few(consumed)} (at the post office); {_few(sorted(used_here))} "
        "(by the demo applications)"
    )
    reserved = [c.code for c in coupons if c.state == "RESERVED"]
    lines.append(f"reserved by another application: {_few(reserved)}")
    unpaid = [c.code for c in coupons if not c.paid]
    lines.append(f"not paid: {_few(unpaid)}")
    odd = [c.code for c in coupons if c.paid and c.amount_lek not in fee_type]
    lines.append(f"paid an amount no card type costs: {_few(odd)}")
    lines.append("expired: none (the post office's coupons do not expire)")
    return lines


def permit_lines(today: dt.date | None = None) -> list[str]:
    _, used_here = _taken()
    day = today or dt.date.today()
    permits = demo_permits(day)
    valid = [p for p in permits if not p.revoked and p.valid_until >= day]
    first = [p.permit_number for p in valid
             if not (p.holds_valid_card or p.nid or p.permit_number in used_here)]  # fmt: skip
    card = [p.permit_number for p in valid if p.holds_valid_card]
    with_nid = [p.permit_number for p in valid if p.nid and not p.holds_valid_card]
    expired = [p.permit_number for p in permits if not p.revoked and p.valid_until < day]
    revoked = [p.permit_number for p in permits if p.revoked]
    return [
        f"valid, first card: {_few(first)}",
        f"valid, already has an NID: {_few(with_nid)}",
        f"valid, holds a valid card (replacement, renewal): {_few(card)}",
        f"used by the demo applications: {_few(sorted(used_here))}",
        f"expired: {_few(expired)}",
        f"revoked: {_few(revoked)}",
    ]


def lines(today: dt.date | None = None) -> list[str]:
    """What to try, as printed by ``demo seed`` and ``demo run``."""
    return [
        "Demo coupons to try:",
        *(f"  {line}" for line in coupon_lines()),
        "Demo permit numbers to try:",
        *(f"  {line}" for line in permit_lines(today)),
    ]


def markdown(today: dt.date | None = None) -> str:
    return "\n".join(
        ["Demo coupons to try:", "", *(f"- {line}" for line in coupon_lines()), "",
         "Demo permit numbers to try:", "", *(f"- {line}" for line in permit_lines(today))]
    )  # fmt: skip


def render(text: str) -> str:
    return readme.replace_between(text, BEGIN, END, markdown())


def main(argv: list[str] | None = None) -> int:
    return readme.main(argv, "python -m devtools.demo.tryout", BEGIN, END, render)


if __name__ == "__main__":
    sys.exit(main())
