"""Biometrics, signatures and scans are encrypted at rest."""

from __future__ import annotations

import base64
import multiprocessing
import os
import stat
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from sqlalchemy.engine import make_url

from issuance.config import Settings
from issuance.security.sealing import Sealer, SealingKeyError, UnsealError, load_key
from issuance.services import enrolment
from tests.conftest import raw_rows
from tests.support.world import build_world, enrol_complete, fake_jpeg, fake_png

JPEG, PNG, PDF = b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"%PDF-"
SEALED_COLUMNS = {
    "biometric_captures": "data_sealed",
    "signatures": "image_sealed",
    "uploaded_documents": "data_sealed",
}


def _raw_database_bytes(ctx) -> bytes:
    url = make_url(ctx.settings.database_url)
    if url.get_backend_name() == "sqlite":
        files = [Path(url.database), Path(url.database + "-wal")]
        return b"".join(f.read_bytes() for f in files if f.exists())
    blobs = []
    for table, column in SEALED_COLUMNS.items():
        blobs += [bytes(row[0]) for row in raw_rows(ctx, f"SELECT {column} FROM {table}") if row[0]]
    return b"".join(blobs)


def test_raw_database_holds_no_image_or_pdf(ctx, console):
    world = build_world(ctx, console)
    application_id = enrol_complete(ctx, world.clerk)
    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    enrolment.attach_document(ctx, world.clerk, application_id, "pasaporta.pdf", pdf)
    raw = _raw_database_bytes(ctx)
    assert len(raw) > 1000
    assert JPEG not in raw and PNG not in raw and PDF not in raw
    # ... and yet the clerk gets the very bytes back.
    face = enrolment.read_capture(ctx, world.supervisor, application_id, "face", "face")
    assert face == fake_jpeg()
    finger = enrolment.read_capture(ctx, world.clerk, application_id, "finger", "left_index")
    assert finger == fake_png()


def test_ciphertext_is_bound_to_its_row():
    sealer = Sealer(os.urandom(32))
    sealed = sealer.seal(b"face", "capture:1:face:face")
    assert sealer.open(sealed, "capture:1:face:face") == b"face"
    with pytest.raises(UnsealError):
        sealer.open(sealed, "capture:2:face:face")
    with pytest.raises(UnsealError):
        Sealer(os.urandom(32)).open(sealed, "capture:1:face:face")


def test_demo_key_is_created_once_and_private(tmp_path):
    settings = Settings(data_dir=tmp_path / "d", database_url="sqlite://")
    key = load_key(settings)
    assert len(key) == 32
    assert stat.S_IMODE(settings.key_file.stat().st_mode) == 0o600
    assert load_key(settings) == key


DESKS, ROUNDS = 4, 150


def _desk_keys(folders: list[str], start, wait_for_file: bool) -> list[str]:
    """One desk, on a fresh data folder each round, started together with the others.

    A desk that ``wait_for_file`` starts the instant another desk's key file appears: the moment
    a key written in place would still be empty or half there.
    """
    keys = []
    for folder in folders:
        settings = Settings(Path(folder), "sqlite://")
        start.wait(timeout=60)
        while wait_for_file and not settings.key_file.exists():
            pass
        try:
            keys.append(load_key(settings).hex())
        except SealingKeyError as refused:
            keys.append(f"refused: {refused.en}")
    return keys


def _start_desk(folders: list[str], start, results, wait_for_file: bool) -> None:
    results.put(_desk_keys(folders, start, wait_for_file))


def _assert_one_complete_key_each(folders, keys_per_desk):
    for round_, folder in enumerate(folders):
        seen = {keys[round_] for keys in keys_per_desk}
        written = Path(folder, "biometric.key")
        assert seen == {base64.b64decode(written.read_text()).hex()}, (round_, seen)
        assert stat.S_IMODE(written.stat().st_mode) == 0o600
        assert os.listdir(folder) == ["biometric.key"]  # no temporary file left behind


def test_desks_starting_together_share_one_complete_key(tmp_path):
    folders = [str(tmp_path / f"round{i}") for i in range(ROUNDS)]
    mp = multiprocessing.get_context("spawn")
    start, results = mp.Barrier(DESKS), mp.Queue()
    desks = [
        mp.Process(target=_start_desk, args=(folders, start, results, n % 2 == 1))
        for n in range(DESKS)
    ]
    for desk in desks:
        desk.start()
    keys_per_desk = [results.get(timeout=120) for _ in desks]
    for desk in desks:
        desk.join(timeout=30)
        assert desk.exitcode == 0
    _assert_one_complete_key_each(folders, keys_per_desk)


def test_threads_starting_together_share_one_complete_key(tmp_path):
    folders = [str(tmp_path / f"round{i}") for i in range(ROUNDS * 2)]
    start = threading.Barrier(DESKS)
    with ThreadPoolExecutor(DESKS) as pool:
        desks = [pool.submit(_desk_keys, folders, start, False) for _ in range(DESKS)]
        keys_per_desk = [desk.result() for desk in desks]
    _assert_one_complete_key_each(folders, keys_per_desk)


def test_configured_key_wins_and_bad_key_is_refused(tmp_path):
    key = os.urandom(32)
    settings = Settings(tmp_path, "sqlite://", biometric_key=base64.b64encode(key).decode())
    assert load_key(settings) == key
    assert not settings.key_file.exists()
    with pytest.raises(SealingKeyError):
        load_key(Settings(tmp_path, "sqlite://", biometric_key="bm90IGEga2V5"))


def test_documents_must_be_small_pdfs(ctx, console):
    world = build_world(ctx, console)
    application = enrolment.start_draft(ctx, world.clerk)
    with pytest.raises(enrolment.NotAPdf):
        enrolment.attach_document(ctx, world.clerk, application.id, "x.pdf", fake_png())
    big = b"%PDF-1.4\n" + b"0" * (5 * 1024 * 1024) + b"\n%%EOF\n"
    with pytest.raises(enrolment.DocumentTooLarge) as refused:
        enrolment.attach_document(ctx, world.clerk, application.id, "x.pdf", big)
    assert "5 MB" in refused.value.message("en")
    assert raw_rows(ctx, "SELECT count(*) FROM uploaded_documents") == [(0,)]
