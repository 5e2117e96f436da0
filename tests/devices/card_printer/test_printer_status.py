from __future__ import annotations

import pytest

from devices.card_printer import printer_problem
from issuance.ports.card_printer_errors import (
    PrinterJammed,
    PrinterNotAccepting,
    PrinterOffline,
    PrinterOutOfCards,
    PrinterPaused,
)

IDLE = {"printer-state": 3, "printer-state-reasons": ["none"], "printer-is-accepting-jobs": True}


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"printer-state-reasons": ["media-empty-error"]}, PrinterOutOfCards),
        ({"printer-state-reasons": ["media-needed"]}, PrinterOutOfCards),
        ({"printer-state-reasons": ["media-jam-error"]}, PrinterJammed),
        ({"printer-state": 5, "printer-state-reasons": ["paused"]}, PrinterPaused),
        ({"printer-state-reasons": ["offline-report"]}, PrinterOffline),
        ({"printer-state": 5, "printer-state-reasons": ["none"]}, PrinterOffline),
        ({"printer-is-accepting-jobs": False}, PrinterNotAccepting),
    ],
)
def test_each_printer_state_is_its_own_refusal(changes, expected):
    problem = printer_problem("Card", {**IDLE, **changes})
    assert type(problem) is expected
    assert problem.message("sq") != problem.message("en")


@pytest.mark.parametrize("reasons", [["none"], ["media-low-report"], ["media-empty-warning"]])
def test_a_ready_printer_or_a_mere_warning_does_not_stop_printing(reasons):
    assert printer_problem("Card", {**IDLE, "printer-state-reasons": reasons}) is None


def test_out_of_cards_wins_over_paused_because_it_tells_the_operator_what_to_do():
    attributes = {**IDLE, "printer-state": 5, "printer-state-reasons": ["paused", "media-empty"]}
    assert isinstance(printer_problem("Card", attributes), PrinterOutOfCards)
