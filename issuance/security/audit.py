"""The audit trail: every state change appends one chained, keyed event in its own transaction.

Each event carries a MAC: HMAC-SHA256, under a key derived (HKDF) from the desk's installation
key and never stored in the database, over its canonical JSON including the previous event's
MAC. Whoever can only write the database can delete or edit events but cannot make MACs that
verify, so an edited event, or a chain recomputed after an edit, is found by ``verify``.

A cut-off tail with the ``audit_head`` row moved back would still be a consistent chain; so
after every transaction that recorded events the desk writes a *checkpoint* (the newest
sequence number and its MAC, itself MAC-ed) to ``audit-checkpoint.json`` in its data folder,
outside the database. ``verify`` checks that the database still holds that event, unchanged.
The checkpoint only ever moves forward, and only from a checkpoint that still matches the
chain: once the database disagrees with it, it stays put as evidence until an administrator,
having looked, moves the file away (the next event then starts a fresh one).

Events written before MACs existed (``mac_version`` 0, revision 0004) keep their plain SHA-256
and still verify; the first keyed event links to the last of them, so they are protected from
then on. No unkeyed event may follow a keyed one. See README, "Audit trail threat model".
"""

from __future__ import annotations

import fcntl
import hashlib
import hmac
import json
import logging
import os
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Table, insert, select
from sqlalchemy import event as orm_event
from sqlalchemy.orm import Session

from issuance.db.models import Application, AuditEvent, AuditHead
from issuance.labels import in_language
from issuance.security.permissions import Actor, UseCase, authorize, office_scope, require_office

if TYPE_CHECKING:
    from issuance.bootstrap import Context
    from issuance.config import Settings
    from issuance.security.sealing import Sealer

log = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# How an event's ``hash`` was made: 0 = plain SHA-256 (events written before revision 0004),
# 1 = HMAC-SHA256 under the audit key.
MAC_LEGACY, MAC_KEYED = 0, 1
KEY_PURPOSE = "issuance/audit-trail/hmac-sha256/v1"
CHECKPOINT_FILE = "audit-checkpoint.json"
_CHECKPOINT_FORMAT = 1
# Where a session finds the desk's audit key and checkpoint (``Context`` puts it there).
ANCHOR_INFO = "audit_anchor"

# What each action is called on the desk (Albanian, English): the trail keeps the code, the
# operator reads the name.
ACTION_NAMES: dict[str, tuple[str, str]] = {
    "application.started": ("Aplikimi u hap", "Application started"),
    "application.transition": ("Ndryshim i gjendjes", "State changed"),
    "application.discarded": ("Drafti u hodh poshtë", "Draft discarded"),
    "application.cancelled": ("Aplikimi u anulua", "Application cancelled"),
    "application.child_exemption": (
        "Fëmijë: pa shenja gishtash dhe pa nënshkrim", "Child: no fingerprints or signature"
    ),
    "application.privacy_notice": (
        "Aplikanti pranoi njoftimin e privatësisë", "Applicant accepted the privacy notice"
    ),
    "application.biometrics_purged": (
        "Biometria dhe skanimet u fshinë (afati i ruajtjes)",
        "Biometrics and scans purged (retention period)",
    ),
    "applicant.contact": ("Kontakti i aplikantit", "Applicant's contact"),
    "capture.stored": ("Kapja biometrike u ruajt", "Biometric capture stored"),
    "capture.override": ("Cilësia u pranua nga mbikëqyrësi", "Quality accepted by a supervisor"),
    "signature.stored": ("Nënshkrimi u ruajt", "Signature stored"),
    "document.attached": ("Dokumenti u bashkëngjit", "Document attached"),
    "document.removed": ("Dokumenti u hoq", "Document removed"),
    "application.face_not_compared": ("Fytyra nuk u krahasua me aplikimet e tjera",
                                      "Face not compared with other applications"),
    "application.fingers_not_compared": ("Gjurmët e gishtave nuk u krahasuan me aplikimet e "
                                         "tjera",
                                         "Fingerprints not compared with other applications"),
    "application.possible_duplicates": ("U gjetën dyfishime të mundshme",
                                        "Possible duplicates found"),
    "application.duplicate_decided": ("U vendos për një dyfishim të mundshëm",
                                      "Possible duplicate decided"),
    "card.production_started": ("Prodhimi i kartës filloi", "Card production started"),
    "card.produced": ("Karta u prodhua", "Card produced"),
    "card.spoiled": ("Karta u dëmtua", "Card spoiled"),
    "card.voided": ("Karta u anulua pa u përdorur", "Card voided unused"),
    "card.handed_over": ("Karta iu dorëzua aplikantit", "Card handed over"),
    "card.superseded": ("Karta e vjetër doli nga përdorimi", "Old card taken out of service"),
    "card.revoked": ("Karta u revokua", "Card revoked"),
    "card.replacement_reason": ("Arsyeja e zëvendësimit", "Replacement reason"),
    "civil_registry.confirmed": ("Gjendja Civile konfirmoi", "Civil registry confirmed"),
    "outbox.alert": ("Alarm i kutisë dalëse", "Outbox alert"),
    "outbox.retried": ("Alarmi u dërgua përsëri", "Alert sent again"),
    "outbox.resolved": ("Alarmi u zgjidh me shënim", "Alert resolved with a note"),
    "operator.added": ("Operatori u shtua", "Operator added"),
    "operator.login": ("Hyrje në sistem", "Logged in"),
    "operator.login_failed": ("Hyrje e dështuar", "Failed login"),
    "operator.locked": ("Llogaria u bllokua", "Account locked"),
    "operator.unlocked": ("Llogaria u zhbllokua", "Account unlocked"),
    "operator.password_reset": ("Fjalëkalimi u rivendos", "Password reset"),
    "office.added": ("Zyra u shtua", "Office added"),
    "office.nid_block": ("Zyrës iu caktua blloku i NID", "Office NID block assigned"),
    "stock.received": ("U pranua një kuti kartash të bardha", "Box of blank cards received"),
    "stock.warning_level": ("Niveli i paralajmërimit të kartave të bardha u ndryshua",
                            "Blank stock warning level changed"),
    "stock.blank_voided": ("Karta e bardhë u anulua pa u përdorur", "Blank voided unused"),
    "desk.added": ("Sporteli u shtua", "Desk added"),
    "desk.settings_changed": ("Cilësimet e sportelit u ndryshuan", "Desk settings changed"),
    "backup.created": ("U bë një kopje rezervë", "Backup made"),
    "backup.restored": ("Kopja rezervë u rikthye", "Backup restored"),
}


def action_name(action: str, language: str) -> str:
    return in_language(ACTION_NAMES, action, language, default=action)


# --- the key and the checkpoint: the desk's, never the database's ---------------------------


@dataclass(frozen=True)
class Anchor:
    """The audit key (derived from the installation key, never the key itself) and the file
    the chain's head is checkpointed to. ``Context`` hands one to every session it opens."""

    key: bytes = field(repr=False)
    checkpoint: Path

    @classmethod
    def for_desk(cls, settings: Settings, sealer: Sealer) -> Anchor:
        return cls(sealer.derive_key(KEY_PURPOSE), settings.data_dir / CHECKPOINT_FILE)

    def mac(self, message: bytes) -> str:
        return hmac.new(self.key, message, hashlib.sha256).hexdigest()


class AuditNotAnchored(RuntimeError):
    """A session that carries no audit key (it was not opened by ``Context.uow``): a bug, and
    never a reason to write an unkeyed event."""


@dataclass(frozen=True)
class Checkpoint:
    seq: int
    mac: str


class CheckpointDamaged(Exception):
    """The checkpoint file is not one this desk wrote (unreadable, or its tag is wrong)."""


def _anchor(session: Session) -> Anchor:
    anchor = session.info.get(ANCHOR_INFO)
    if not isinstance(anchor, Anchor):
        raise AuditNotAnchored("this session has no audit key: open it with Context.uow()")
    return anchor


def _checkpoint_tag(anchor: Anchor, seq: int, mac: str) -> str:
    return anchor.mac(f"checkpoint:{_CHECKPOINT_FORMAT}:{seq}:{mac}".encode())


def _same(a: str, b: str) -> bool:
    # Constant time, and safe for whatever text someone wrote into the database.
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def read_checkpoint(anchor: Anchor) -> Checkpoint | None:
    """This desk's checkpoint; None when it has none. Raises CheckpointDamaged for a file
    this desk did not write."""
    try:
        raw = anchor.checkpoint.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CheckpointDamaged(str(exc)) from exc
    try:
        data = json.loads(raw)
        seq, mac, tag = data["seq"], data["mac"], data["tag"]
        if data["format"] != _CHECKPOINT_FORMAT or type(seq) is not int:
            raise ValueError("unknown format")
        if not (isinstance(mac, str) and isinstance(tag, str)):
            raise ValueError("not text")
    except (ValueError, TypeError, KeyError) as exc:
        raise CheckpointDamaged("unreadable") from exc
    if not _same(tag, _checkpoint_tag(anchor, seq, mac)):
        raise CheckpointDamaged("its tag does not match")
    return Checkpoint(seq, mac)


def _write_checkpoint(anchor: Anchor, checkpoint: Checkpoint) -> None:
    """Replace the checkpoint atomically (temporary file, fsync, rename; mode 0600), unless
    it already vouches for this event or a later one (processes sharing the data folder
    finish their commits in any order) or it is damaged (it stays, as evidence)."""
    from issuance.ports.private_files import private_folder

    path = anchor.checkpoint
    private_folder(path.parent)  # the data folder, when nothing made it before: 0700
    lock = os.open(path.with_name(f".{path.name}.lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)  # the desk, its outbox thread, a CLI: one at a time
        try:
            current = read_checkpoint(anchor)
        except CheckpointDamaged:
            return
        if current is not None and current.seq >= checkpoint.seq:
            return
        text = json.dumps({
            "format": _CHECKPOINT_FORMAT, "seq": checkpoint.seq, "mac": checkpoint.mac,
            "tag": _checkpoint_tag(anchor, checkpoint.seq, checkpoint.mac),
        })  # fmt: skip
        fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)  # 0600
        try:
            with os.fdopen(fd, "w") as out:
                out.write(text + "\n")
                out.flush()
                os.fsync(out.fileno())
            # No fsync of the folder: a rename lost to a power cut leaves the previous
            # checkpoint, an earlier point of the same chain, which still verifies.
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    finally:
        os.close(lock)  # releases the lock


# --- recording ----------------------------------------------------------------------------

_HEAD = "audit_head"
_CHECKPOINT_HOLDS = "audit_checkpoint_holds"
_PENDING = "audit_pending_checkpoint"
_WATCHED = "audit_watched"


def _canonical(
    *,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    entity_type: str,
    entity_id: str,
    details: dict[str, Any],
    prev_hash: str,
    mac_version: int,
) -> bytes:
    body: dict[str, Any] = {
        "seq": seq,
        "at": at.isoformat(timespec="microseconds"),
        "actor": actor,
        "action": action,
        "entity_type": entity_type,
        "entity_id": entity_id,
        "details": details,
        "prev": prev_hash,
    }
    if mac_version != MAC_LEGACY:  # the legacy form stays byte for byte what it was
        body["v"] = mac_version
    return json.dumps(body, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def _event_mac(anchor: Anchor, mac_version: int, canonical: bytes) -> str | None:
    if mac_version == MAC_LEGACY:
        return hashlib.sha256(canonical).hexdigest()
    if mac_version == MAC_KEYED:
        return anchor.mac(b"event:" + canonical)
    return None


def record(
    session: Session,
    actor: Actor,
    action: str,
    entity_type: str,
    entity_id: object,
    details: dict[str, Any] | None = None,
    *,
    at: datetime,
) -> AuditEvent:
    """Append an event inside the caller's transaction (it commits or rolls back with it);
    the desk's checkpoint follows once the transaction has committed."""
    anchor = _anchor(session)
    head = _locked_head(session, anchor)
    fields: dict[str, Any] = dict(
        seq=head.seq + 1,
        at=at,
        actor=actor.label,
        action=action,
        entity_type=entity_type,
        entity_id=str(entity_id),
        details=details or {},
        prev_hash=head.hash,
    )
    mac = _event_mac(anchor, MAC_KEYED, _canonical(**fields, mac_version=MAC_KEYED))
    event = AuditEvent(**fields, mac_version=MAC_KEYED, hash=mac)
    session.add(event)
    head.seq, head.hash = event.seq, event.hash
    if session.info.get(_CHECKPOINT_HOLDS):
        session.info[_PENDING] = Checkpoint(event.seq, event.hash)
    return event


@dataclass(frozen=True)
class Event:
    """One event of ``record_many``: what ``record`` takes after the actor."""

    action: str
    entity_type: str
    entity_id: object
    details: dict[str, Any] | None = None


def record_many(session: Session, actor: Actor, events: Sequence[Event], *, at: datetime) -> None:
    """Append ``events`` in order inside the caller's transaction, chained and keyed exactly
    as ``record`` one by one would (the same rows, the same MACs), in one INSERT statement:
    no ORM object per event. For the outbox's rounds of confirmations."""
    if not events:
        return
    anchor = _anchor(session)
    head = _locked_head(session, anchor)
    if any(isinstance(pending, AuditEvent) for pending in session.new):
        session.flush()  # events recorded one by one before these keep the lower ids
    seq, prev, label = head.seq, head.hash, actor.label
    rows = []
    for event in events:
        seq += 1
        fields: dict[str, Any] = dict(
            seq=seq,
            at=at,
            actor=label,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=str(event.entity_id),
            details=event.details or {},
            prev_hash=prev,
        )
        mac = _event_mac(anchor, MAC_KEYED, _canonical(**fields, mac_version=MAC_KEYED))
        assert mac is not None  # MAC_KEYED always makes one
        rows.append({**fields, "mac_version": MAC_KEYED, "hash": mac})
        prev = mac
    session.connection().execute(insert(cast(Table, AuditEvent.__table__)), rows)
    head.seq, head.hash = seq, prev
    if session.info.get(_CHECKPOINT_HOLDS):
        session.info[_PENDING] = Checkpoint(seq, prev)


def _locked_head(session: Session, anchor: Anchor) -> AuditHead:
    """The chain's head, locked once per transaction (FOR UPDATE on PostgreSQL; on SQLite the
    BEGIN IMMEDIATE transaction already serialises writers), read afresh from the database.

    With the head locked every committed event is visible, so this is where the desk checks
    that the chain still holds its checkpoint; if not, the checkpoint is left where it is."""
    transaction = session.get_transaction()
    cached = session.info.get(_HEAD)
    if cached is not None and cached[0] is transaction:
        return cached[1]
    locked = (
        select(AuditHead)
        .where(AuditHead.id == 1)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    head = session.execute(locked).scalar_one()
    session.info[_HEAD] = (transaction, head)
    session.info[_CHECKPOINT_HOLDS] = _chain_holds_checkpoint(session, anchor, head)
    if not session.info.get(_WATCHED):
        orm_event.listen(session, "after_commit", _after_commit)
        orm_event.listen(session, "after_rollback", _after_rollback)
        session.info[_WATCHED] = True
    return head


def _chain_holds_checkpoint(session: Session, anchor: Anchor, head: AuditHead) -> bool:
    try:
        checkpoint = read_checkpoint(anchor)
    except CheckpointDamaged as exc:
        log.error("audit checkpoint %s is damaged (%s); it is kept as evidence", anchor.checkpoint,
                  exc)  # fmt: skip
        return False
    if checkpoint is None:
        return True
    if checkpoint.seq > head.seq:
        held = None
    elif checkpoint.seq == head.seq:
        held = head.hash
    else:
        held = session.execute(
            select(AuditEvent.hash).where(AuditEvent.seq == checkpoint.seq)
        ).scalar_one_or_none()
    if held is None or not _same(held, checkpoint.mac):
        log.error(
            "the audit trail no longer holds event %d as checkpointed in %s: "
            "run 'issuance audit verify'; the checkpoint is kept as evidence",
            checkpoint.seq, anchor.checkpoint,
        )  # fmt: skip
        return False
    return True


def _after_commit(session: Session) -> None:
    pending = session.info.pop(_PENDING, None)
    if pending is None:
        return
    try:
        _write_checkpoint(_anchor(session), pending)
    except OSError:
        # The change is committed; failing it now would only invite a second one. The
        # checkpoint lags (an earlier point of the chain), which verifies but anchors less.
        log.exception("audit checkpoint not written")


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)


# --- verifying ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ChainReport:
    events: int
    broken_at: int | None = None
    problem: str = ""
    # Events written before MACs (plain SHA-256), and the event this desk's checkpoint
    # vouches for (None: this desk has no checkpoint yet).
    legacy: int = 0
    anchored_at: int | None = None

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def verify_chain(session: Session) -> ChainReport:
    anchor = _anchor(session)
    expected_prev, expected_seq, count, legacy, keyed = GENESIS_HASH, 1, 0, 0, False
    events = session.execute(select(AuditEvent).order_by(AuditEvent.seq)).scalars()
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return ChainReport(count, expected_seq, f"event {expected_seq} is missing (deleted)")
        if not _same(event.prev_hash, expected_prev):
            return ChainReport(count, event.seq, "link to the previous event does not match")
        if event.mac_version == MAC_LEGACY:
            if keyed:
                return ChainReport(
                    count, event.seq,
                    "event has no MAC although earlier events have one (rewritten in the "
                    "unkeyed format)",
                )  # fmt: skip
            legacy += 1
        elif event.mac_version == MAC_KEYED:
            keyed = True
        else:
            return ChainReport(count, event.seq, f"unknown MAC version {event.mac_version}")
        canonical = _canonical(
            seq=event.seq,
            at=event.at,
            actor=event.actor,
            action=event.action,
            entity_type=event.entity_type,
            entity_id=event.entity_id,
            details=event.details,
            prev_hash=event.prev_hash,
            mac_version=event.mac_version,
        )
        expected = _event_mac(anchor, event.mac_version, canonical)
        if expected is None or not _same(expected, event.hash):
            if event.mac_version == MAC_LEGACY:
                return ChainReport(count, event.seq, "content does not match its hash (edited)")
            return ChainReport(
                count, event.seq,
                "content does not match its MAC (edited, or rewritten without the desk's key)",
            )  # fmt: skip
        expected_prev, expected_seq = event.hash, expected_seq + 1
    last = expected_seq - 1
    head = session.get(AuditHead, 1)
    if head is None or head.seq != last or not _same(head.hash, expected_prev):
        return ChainReport(count, expected_seq, "the newest events are missing (tail deleted)")
    return _against_checkpoint(session, anchor, ChainReport(count, legacy=legacy), last)


def _against_checkpoint(
    session: Session, anchor: Anchor, report: ChainReport, last: int
) -> ChainReport:
    """The database's chain, consistent in itself, against what this desk wrote down."""
    try:
        checkpoint = read_checkpoint(anchor)
    except CheckpointDamaged as exc:
        return ChainReport(
            report.events, 0,
            f"this desk's checkpoint {anchor.checkpoint} is damaged or was not written with "
            f"the desk's key ({exc})", report.legacy,
        )  # fmt: skip
    if checkpoint is None:
        return report
    if checkpoint.seq > last:
        return ChainReport(
            report.events, last + 1,
            f"the newest events are missing (tail deleted and head moved back): this desk's "
            f"checkpoint vouches for event {checkpoint.seq}, the database ends at event {last}",
            report.legacy, checkpoint.seq,
        )  # fmt: skip
    held = session.execute(
        select(AuditEvent.hash).where(AuditEvent.seq == checkpoint.seq)
    ).scalar_one_or_none()
    if held is None or not _same(held, checkpoint.mac):
        return ChainReport(
            report.events, checkpoint.seq,
            f"event {checkpoint.seq} is not the one this desk's checkpoint vouches for "
            "(the chain was rewritten)", report.legacy, checkpoint.seq,
        )  # fmt: skip
    return ChainReport(report.events, legacy=report.legacy, anchored_at=checkpoint.seq)


def verify(ctx: Context, actor: Actor) -> ChainReport:
    authorize(actor, UseCase.VERIFY_AUDIT)
    # Read-only: walking the chain never waits for (nor holds up) the desk's writers, and on
    # one snapshot the events and the head agree.
    with ctx.read() as uow:
        return verify_chain(uow.session)


@dataclass(frozen=True)
class TrailEntry:
    """One event of an entity's trail, as the screens show it."""

    seq: int
    at: datetime
    actor: str
    action: str
    details: dict[str, Any]


def history(ctx: Context, actor: Actor, entity_type: str, entity_id: object) -> list[TrailEntry]:
    """An entity's trail. An office-bound actor (a supervisor) reads only the trails of their
    own office's applications; an administrator reads every trail."""
    authorize(actor, UseCase.VIEW_HISTORY)
    with ctx.read() as uow:
        if office_scope(actor) is not None:
            office, what = None, "application" if entity_type == "application" else "record"
            if what == "application" and str(entity_id).isdigit():
                office = uow.session.scalar(
                    select(Application.office_id).where(Application.id == int(str(entity_id)))
                )
            require_office(actor, office, what)
        query = (
            select(AuditEvent)
            .where(AuditEvent.entity_type == entity_type, AuditEvent.entity_id == str(entity_id))
            .order_by(AuditEvent.seq)
        )
        return [
            TrailEntry(e.seq, e.at, e.actor, e.action, dict(e.details))
            for e in uow.session.execute(query).scalars()
        ]
