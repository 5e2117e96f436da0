"""The README's state machine is the workflow of the code, and no application can get stuck:
every state that is not final has a way out that someone can take from the desk or the CLI."""

from __future__ import annotations

from pathlib import Path

from devtools import state_machine
from issuance.domain.workflow import TRANSITIONS, State

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_state_machine_is_the_workflow_of_today():
    text = README.read_text(encoding="utf-8")
    assert state_machine.render(text) == text, "stale: run make architecture"


def test_every_state_but_the_final_ones_has_a_way_out_from_the_desk_or_the_cli():
    found = state_machine.scan()
    for state, targets in TRANSITIONS.items():
        if not targets:
            continue
        ways_out = {t: found.entry_points(t) for t in targets}
        assert any(ways_out.values()), f"{state.value}: no transition starts anywhere"


def test_every_transition_target_is_reached_from_the_desk_or_the_cli():
    found = state_machine.scan()
    for target in list(State)[1:]:
        assert found.entry_points(target), f"nothing in ui/ or the CLI moves into {target.value}"


def test_the_scan_sees_calls_through_other_use_cases_and_the_outbox_worker():
    found = state_machine.scan()
    # produce_at_station calls produce_card, which applies CARD_PRODUCED.
    assert "issuance.services.cards.produce_at_station" in found.makers[State.CARD_PRODUCED]
    assert "outbox worker" in found.entry_points(State.REGISTERED)
    assert "ui.supervisor.batch_home" in found.entry_points(State.APPROVED)
