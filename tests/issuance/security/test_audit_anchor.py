"""The audit trail against someone who can write the database but holds neither the desk's key
nor its data folder: every event is MAC-ed under a key the database never sees, and the desk
checkpoints the chain's head to a file outside it. Each attack is done with raw SQL, as such
an attacker would, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import stat

import pytest
from sqlalchemy import text

from issuance.bootstrap import Context
from issuance.config import Settings
from issuance.db.engine import make_engine
from issuance.domain import workflow
from issuance.security import audit
from issuance.security.sealing import Sealer
from issuance.services import applications, enrolment, offices
from tests.conftest import TEST_KEY, raw_rows
from tests.support.cli_in_process import run_in_process
from tests.support.world import build_world


def _work(ctx, world, drafts=2):
    for _ in range(drafts):
        app = enrolment.start_draft(ctx, world.clerk)
        applications.transition(ctx, world.clerk, app.id, workflow.State.CANCELLED, reason="left")
    return raw_rows(ctx, "SELECT max(seq) FROM audit_events")[0][0]


def _tamper(ctx, *statements, params=()):
    with ctx.engine.begin() as conn:
        for i, sql in enumerate(statements):
            conn.execute(text(sql), params[i] if params else {})


def _checkpoint(ctx):
    return json.loads((ctx.settings.data_dir / audit.CHECKPOINT_FILE).read_text())


def _event_rows(ctx, first=1):
    return raw_rows(
        ctx,
        "SELECT seq, at, actor, action, entity_type, entity_id, details, prev_hash, hash, "
        f"mac_version FROM audit_events WHERE seq >= {first} ORDER BY seq",
    )


def _canonical(row, prev, version_field):
    seq, at, actor, action, entity_type, entity_id, details, *_ = row
    if isinstance(details, str):  # SQLite hands JSON back as text
        details = json.loads(details)
    if isinstance(at, str):
        from datetime import datetime

        at = datetime.fromisoformat(at)
    from datetime import UTC

    at = at.replace(tzinfo=UTC) if at.tzinfo is None else at.astimezone(UTC)
    body = {"seq": seq, "at": at.isoformat(timespec="microseconds"), "actor": actor,
            "action": action, "entity_type": entity_type, "entity_id": entity_id,
            "details": details, "prev": prev}  # fmt: skip
    if version_field is not None:
        body["v"] = version_field
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _rewrite_from(ctx, first, mac, *, version, version_field):
    """What an attacker without the key does after editing event ``first``: recompute every
    hash from there on with ``mac`` (a function of the canonical bytes), re-link the chain and
    move the head, so that the database is consistent in itself."""
    rows = _event_rows(ctx, first)
    prev = raw_rows(ctx, f"SELECT prev_hash FROM audit_events WHERE seq = {first}")[0][0]
    updates = []
    for row in rows:
        new = mac(_canonical(row, prev, version_field))
        updates.append({"seq": row[0], "prev": prev, "hash": new, "v": version})
        prev = new
    with ctx.engine.begin() as conn:
        for update in updates:
            conn.execute(
                text("UPDATE audit_events SET prev_hash = :prev, hash = :hash, "
                     "mac_version = :v WHERE seq = :seq"), update,
            )  # fmt: skip
        conn.execute(text("UPDATE audit_head SET hash = :h WHERE id = 1"), {"h": prev})


def test_an_intact_trail_verifies_and_is_anchored_outside_the_database(ctx, console):
    world = build_world(ctx, console)
    last = _work(ctx, world)
    report = audit.verify(ctx, world.administrator)
    assert report.intact and report.events == last
    assert report.anchored_at == last and report.legacy == 0
    path = ctx.settings.data_dir / audit.CHECKPOINT_FILE
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    checkpoint = _checkpoint(ctx)
    head = raw_rows(ctx, "SELECT seq, hash FROM audit_head")[0]
    assert (checkpoint["seq"], checkpoint["mac"]) == head
    # Every event is keyed; none of the temporary files of the atomic writes is left.
    assert {v for (v,) in raw_rows(ctx, "SELECT mac_version FROM audit_events")} == {1}
    assert sorted(p.name for p in path.parent.iterdir() if "checkpoint" in p.name) == [
        f".{audit.CHECKPOINT_FILE}.lock", audit.CHECKPOINT_FILE,
    ]  # fmt: skip


def test_the_mac_key_is_derived_and_is_not_the_sealing_key(ctx, console):
    world = build_world(ctx, console)
    _work(ctx, world, drafts=1)
    import base64

    raw = base64.b64decode(TEST_KEY)
    anchor = audit.Anchor.for_desk(ctx.settings, ctx.sealer)
    assert len(anchor.key) == 32 and anchor.key != raw
    assert anchor.key == Sealer(raw).derive_key(audit.KEY_PURPOSE)  # stable across restarts
    assert anchor.key != Sealer(raw).derive_key("another purpose")
    assert repr(anchor.key) not in repr(anchor) and anchor.key.hex() not in repr(anchor)


def test_an_edited_event_is_found(ctx, console):
    world = build_world(ctx, console)
    _work(ctx, world)
    _tamper(ctx, "UPDATE audit_events SET actor = 'someone-else' WHERE seq = 4")
    report = audit.verify(ctx, world.supervisor)
    assert report.broken_at == 4 and "edited" in report.problem and "MAC" in report.problem


def test_a_chain_recomputed_without_the_key_is_found(ctx, console):
    """The old attack: edit, then recompute SHA-256 over every later event and move the head."""
    world = build_world(ctx, console)
    _work(ctx, world)
    _tamper(ctx, "UPDATE audit_events SET entity_id = '999' WHERE seq = 5")
    _rewrite_from(ctx, 5, lambda b: hashlib.sha256(b"event:" + b).hexdigest(), version=1,
                  version_field=1)  # fmt: skip
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == 5 and "without the desk's key" in report.problem


def test_a_chain_recomputed_with_the_sealing_key_itself_is_found(ctx, console):
    """Even the raw installation key makes no valid MAC: the audit key is derived from it."""
    import base64

    world = build_world(ctx, console)
    _work(ctx, world)
    raw = base64.b64decode(TEST_KEY)
    _tamper(ctx, "UPDATE audit_events SET actor = 'x' WHERE seq = 6")
    _rewrite_from(ctx, 6, lambda b: hmac.new(raw, b"event:" + b, "sha256").hexdigest(),
                  version=1, version_field=1)  # fmt: skip
    assert audit.verify(ctx, world.administrator).broken_at == 6


def test_a_chain_rewritten_as_unkeyed_events_is_found_by_the_checkpoint(ctx, console):
    """The attacker marks every event as written before MACs existed and recomputes the plain
    SHA-256 chain: consistent in itself, but not the chain this desk checkpointed."""
    world = build_world(ctx, console)
    last = _work(ctx, world)
    _tamper(ctx, "UPDATE audit_events SET details = '{}' WHERE seq = 3")
    _rewrite_from(ctx, 1, lambda b: hashlib.sha256(b).hexdigest(), version=0,
                  version_field=None)  # fmt: skip
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == last and "rewritten" in report.problem
    assert "checkpoint" in report.problem


def test_unkeyed_events_after_keyed_ones_are_found(ctx, console):
    world = build_world(ctx, console)
    last = _work(ctx, world)
    _rewrite_from(ctx, 7, lambda b: hashlib.sha256(b).hexdigest(), version=0,
                  version_field=None)  # fmt: skip
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == 7 and "no MAC" in report.problem
    assert last > 7


def test_a_cut_tail_is_found_even_with_the_head_moved_back(ctx, console):
    world = build_world(ctx, console)
    last = _work(ctx, world)
    keep = last - 3
    _tamper(
        ctx,
        f"DELETE FROM audit_events WHERE seq > {keep}",
        f"UPDATE audit_head SET seq = {keep}, "
        f"hash = (SELECT hash FROM audit_events WHERE seq = {keep}) WHERE id = 1",
    )
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == keep + 1
    assert "tail deleted" in report.problem and f"event {last}" in report.problem


def test_a_cut_tail_stays_found_after_new_work_passes_it(ctx, console):
    """Cut, head moved back, and then the desk carries on past the old end: the checkpoint
    does not follow a chain that no longer holds it, so the rewrite is still named."""
    world = build_world(ctx, console)
    last = _work(ctx, world)
    before = _checkpoint(ctx)
    keep = last - 2
    _tamper(
        ctx,
        f"DELETE FROM audit_events WHERE seq > {keep}",
        f"UPDATE audit_head SET seq = {keep}, "
        f"hash = (SELECT hash FROM audit_events WHERE seq = {keep}) WHERE id = 1",
    )
    now_last = _work(ctx, world)  # genuine, keyed events 'keep+1'... past the old end
    assert now_last > last
    assert _checkpoint(ctx) == before
    report = audit.verify(ctx, world.administrator)
    assert report.broken_at == last and "checkpoint vouches for" in report.problem


def test_a_damaged_checkpoint_is_a_finding_and_stays(ctx, console):
    world = build_world(ctx, console)
    last = _work(ctx, world)
    path = ctx.settings.data_dir / audit.CHECKPOINT_FILE
    forged = _checkpoint(ctx) | {"seq": last - 1}  # without the key: the tag no longer fits
    path.write_text(json.dumps(forged))
    report = audit.verify(ctx, world.administrator)
    assert not report.intact and "damaged" in report.problem
    _work(ctx, world, drafts=1)
    assert json.loads(path.read_text()) == forged  # kept as evidence


def test_a_rolled_back_transaction_moves_no_checkpoint(ctx, console):
    world = build_world(ctx, console)
    _work(ctx, world, drafts=1)
    before = _checkpoint(ctx)
    with ctx.uow() as uow:
        audit.record(uow.session, world.clerk, "office.added", "office", 1, at=ctx.clock())
        uow.session.flush()
    assert _checkpoint(ctx) == before
    assert audit.verify(ctx, world.administrator).intact


def test_a_lagging_checkpoint_still_verifies(ctx, console):
    """A desk killed between its commit and its checkpoint write (or another desk writing the
    same database) leaves the checkpoint on an earlier event of the same chain."""
    world = build_world(ctx, console)
    _work(ctx, world, drafts=1)
    path = ctx.settings.data_dir / audit.CHECKPOINT_FILE
    earlier = path.read_bytes()
    last = _work(ctx, world, drafts=1)
    path.write_bytes(earlier)
    report = audit.verify(ctx, world.administrator)
    assert report.intact and report.anchored_at < last
    _work(ctx, world, drafts=1)  # and it moves on from there
    assert audit.verify(ctx, world.administrator).anchored_at > last


def test_a_session_without_the_key_cannot_record(ctx, console):
    from sqlalchemy.orm import Session

    with Session(ctx.engine) as session, pytest.raises(audit.AuditNotAnchored):
        audit.record(session, console, "office.added", "office", 1, at=ctx.clock())


def test_two_desks_on_one_database_each_anchor_their_own_work(ctx, console, tmp_path, clock):
    """Desks sharing a database (PostgreSQL, many desks) share the key, not the data folder:
    each checkpoint vouches for an event of the one chain."""
    world = build_world(ctx, console)
    _work(ctx, world, drafts=1)
    other_settings = Settings(tmp_path / "other-desk", ctx.settings.database_url,
                              biometric_key=TEST_KEY)  # fmt: skip
    other = Context(other_settings, make_engine(ctx.settings.database_url), ctx.sealer, clock)
    try:
        offices.add_office(other, console, code="DR", name="DRKM Durrës", city="Durrës")
        mine = audit.verify(ctx, world.administrator)
        theirs = audit.verify(other, world.administrator)
    finally:
        other.close()
    assert mine.intact and theirs.intact
    assert mine.anchored_at < theirs.anchored_at == mine.events


@pytest.fixture
def here(monkeypatch, capsys):
    return lambda env, *args: run_in_process(monkeypatch, capsys, env, *args)


def _env(ctx):
    return dict(
        ISSUANCE_DATA_DIR=str(ctx.settings.data_dir),
        ISSUANCE_DATABASE_URL=ctx.settings.database_url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_LANGUAGE="en",
        ISSUANCE_ARGON2_PROFILE="test",
    )


def test_cli_exit_codes_intact_finding_refusal(ctx, console, here):
    world = build_world(ctx, console)
    last = _work(ctx, world)
    intact = here(_env(ctx), "audit", "verify")
    assert intact.returncode == 0 and f"intact: {last} events" in intact.stdout

    _tamper(
        ctx,
        f"DELETE FROM audit_events WHERE seq = {last}",
        f"UPDATE audit_head SET seq = {last - 1}, "
        f"hash = (SELECT hash FROM audit_events WHERE seq = {last - 1}) WHERE id = 1",
    )
    finding = here(_env(ctx), "audit", "verify")
    assert finding.returncode == 1
    assert f"broken at event {last}" in finding.stderr and "tail deleted" in finding.stderr

    refused = here(_env(ctx) | {"ISSUANCE_BIOMETRIC_KEY": "not-a-key"}, "audit", "verify")
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1


def test_cli_with_another_key_finds_every_keyed_event_wrong(ctx, console, here):
    """A desk configured with another installation key cannot vouch for this trail."""
    import base64

    world = build_world(ctx, console)
    _work(ctx, world, drafts=1)
    other_key = base64.b64encode(bytes(range(1, 33))).decode()
    result = here(_env(ctx) | {"ISSUANCE_BIOMETRIC_KEY": other_key}, "audit", "verify")
    assert result.returncode == 1 and "broken at event 1" in result.stderr
    assert os.path.exists(ctx.settings.data_dir / audit.CHECKPOINT_FILE)
