"""Chip encoding through the real PC/SC stack: a card session against the same APDUs replayed raw.

Starts a private pcscd serving two vpcd readers and two of the project's virtual cards: one whose
ATR declares extended-length APDUs (and takes them), one without that declaration that refuses
them (6700). For each, it personalises, reads back through BAC and verifies cards for a holder
with a ~15-20 KB face image, and replays the command APDUs recorded from one session on a fresh
blank card with bare pyscard ``connection.transmit`` calls in a loop (sessions and replays
alternate, same run). Prints the session time, the raw time, their ratio (target <= 1.5x) and
the data bytes per short write APDU (target >= 0.85 x 255).

BAC randomness (``os.urandom`` in issuance.chip.bac, both the terminal's and the card's) is
fixed for the whole run so that the recorded session replays byte for byte: every replayed
answer is checked against the recorded one.

    .venv/bin/python bench/chip_encoding.py [--cards 20]
"""

from __future__ import annotations

import argparse
import hashlib
import io
import statistics
import sys
import tempfile
import time
import types
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from smartcard.System import readers as pyscard_readers  # noqa: E402

import issuance.chip.bac as bac  # noqa: E402
from devices.card_reader.pcsc import PcscContext, PcscReader  # noqa: E402
from devtools.virtual_card import PassportApplet, VpcdCard  # noqa: E402
from devtools.virtual_card.pcscd import inserted_card, private_pcscd  # noqa: E402
from devtools.virtual_card.simulated import EXTENDED_LENGTH_ATR, SHORT_APDU_ATR  # noqa: E402
from issuance.chip import ChipData, build_lds, icao_full_name, load_certificate  # noqa: E402
from issuance.chip.station import CardStation  # noqa: E402
from issuance.security.keys import init_keys  # noqa: E402

RATIO_TARGET = 1.5
SHORT_BYTES_TARGET = 0.85 * 255


def _fixed_urandom(n: int) -> bytes:
    return hashlib.sha256(b"chip bench %d" % n).digest()[:n]


def face_jpeg(width: int = 480, height: int = 640) -> bytes:
    image = Image.effect_noise((width, height), 40).convert("RGB").filter(ImageFilter.BLUR)
    draw = ImageDraw.Draw(image)
    draw.ellipse((width * 0.3, height * 0.2, width * 0.7, height * 0.65), fill=(214, 170, 140))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=25)
    return out.getvalue()


def holder(jpeg: bytes) -> ChipData:
    return ChipData(
        (
            "IRALBAB12345674J80322001X<<<<<",
            "9803221M2812315ALB<<<<<<<<<<<6",
            "CELA<<ENDRIT<<<<<<<<<<<<<<<<<<",
        ),
        jpeg,
        480,
        640,
        icao_full_name("Çela", "Ëndrit"),
        "J80322001X",
        "Prishtinë",
        "Rruga e Dibrës 12, Tiranë",
        "AB1234567",
        "980322",
        "281231",
    )


def run(cards: int) -> None:
    # Deterministic BAC so the recorded session replays byte for byte (see the docstring).
    bac.os = types.SimpleNamespace(urandom=_fixed_urandom)  # type: ignore[assignment]
    with tempfile.TemporaryDirectory() as folder:
        pki = init_keys(Path(folder) / "pki").desk
        data = holder(face_jpeg())
        files = build_lds(data, pki.signer())
        csca = load_certificate(pki.csca_certificate)
        total = sum(len(c) for _, c in files.by_file_id())
        print(
            f"chip content: {total} bytes in {len(files.by_file_id())} files "
            f"(face JPEG {len(data.face_jpeg)} bytes)"
        )
        with private_pcscd(Path(folder) / "pcsc", "Bench PCD") as pcsc, ExitStack() as stack:
            kinds = []
            for extended, reader in ((True, pcsc.reader), (False, pcsc.spare_reader)):
                card = VpcdCard(
                    PassportApplet(extended_length=extended),
                    port=pcsc.port(reader),
                    atr=EXTENDED_LENGTH_ATR if extended else SHORT_APDU_ATR,
                )
                stack.enter_context(inserted_card(card, pcsc, reader))
                kinds.append((extended, reader, card))
            results = [
                measure(card, reader, files, data, csca, cards, ext) for ext, reader, card in kinds
            ]
        print("\nsummary:")
        for line in results:
            print(f"  {line}")


class _Recorder:
    def __init__(self, transport, log: list[tuple[bytes, bytes]]) -> None:
        self.transport, self.log = transport, log
        self.atr = transport.atr

    def transmit(self, apdu: bytes) -> tuple[bytes, int]:
        data, sw = self.transport.transmit(apdu)
        self.log.append((apdu, data + sw.to_bytes(2, "big")))
        return data, sw


class _RecordingReader:
    """A ``CardConnector`` that logs every APDU and its answer."""

    def __init__(self, context: PcscContext, reader: str, log: list) -> None:
        self.name, self.context, self.reader, self.log = f"pcsc:{reader}", context, reader, log

    @contextmanager
    def session(self) -> Iterator[_Recorder]:
        with self.context.session(self.reader, 10.0) as transport:
            yield _Recorder(transport, self.log)

    def close(self) -> None:
        pass


def _recording_station(context: PcscContext, reader: str, log: list) -> CardStation:
    return CardStation(_RecordingReader(context, reader, log))


def _replay(connection, card: VpcdCard, log: list[tuple[bytes, bytes]]) -> float:
    card.applet.wipe()
    commands = [list(apdu) for apdu, _ in log]
    transmit = connection.transmit
    started = time.perf_counter()
    answers = [transmit(apdu) for apdu in commands]
    elapsed = time.perf_counter() - started
    for (_, expected), (data, sw1, sw2) in zip(log, answers, strict=True):
        if bytes(data) + bytes([sw1, sw2]) != expected:
            raise SystemExit("the replay diverged from the recorded session")
    return elapsed


def measure(card: VpcdCard, reader: str, files, data, csca, cards: int, extended: bool) -> str:
    label = "extended-length card" if extended else "short-APDU card"
    pcsc = PcscReader(reader, 10.0)
    context, station = pcsc.context, CardStation(pcsc)
    log: list[tuple[bytes, bytes]] = []
    card.applet.wipe()
    recorded = _recording_station(context, reader, log).personalise(files, data.bac_key(), csca)
    assert recorded.passed

    connection = next(r for r in pyscard_readers() if str(r) == reader).createConnection()
    session_times, raw_times, report = [], [], None
    try:
        for _ in range(cards):
            card.applet.wipe()
            started = time.perf_counter()
            report = station.personalise(files, data.bac_key(), csca)
            session_times.append(time.perf_counter() - started)
            assert report.passed
            connection.connect()
            try:
                raw_times.append(_replay(connection, card, log))
            finally:
                connection.disconnect()
    finally:
        connection.release()
        station.close()
    assert report is not None
    session = statistics.median(session_times)
    raw = statistics.median(raw_times)
    ratio = session / raw
    print(f"\n{label}:")
    print(f"  APDUs per card (write + read back): {report.apdu_count} (recorded {len(log)})")
    print(
        f"  write APDUs: {report.write_apdus}, {report.bytes_per_write:.0f} bytes per APDU "
        f"(largest chunk {report.write_chunk}, extended length {report.extended_length})"
    )
    print(f"  read-back APDUs: {report.read_apdus} (chunk {report.read_chunk})")
    print(
        f"  session (write, lock, BAC read back, verify): median {session * 1000:.1f} ms, "
        f"max {max(session_times) * 1000:.1f} ms over {cards} cards"
    )
    print(
        f"  same APDUs replayed raw (pyscard connection.transmit loop): median "
        f"{raw * 1000:.1f} ms, max {max(raw_times) * 1000:.1f} ms"
    )
    met = "met" if ratio <= RATIO_TARGET else "NOT met"
    print(f"  ratio session / raw: {ratio:.2f}x (target <= {RATIO_TARGET}x: {met})")
    line = f"{label}: {session * 1000:.1f} ms / {raw * 1000:.1f} ms raw = {ratio:.2f}x ({met})"
    if not extended:
        per = report.bytes_per_write
        ok = "met" if per >= SHORT_BYTES_TARGET and not report.extended_length else "NOT met"
        print(
            f"  bytes per short APDU: {per:.0f} (target >= {SHORT_BYTES_TARGET:.0f}: {ok}; "
            f"extended APDUs sent: {any(_is_extended(a) for a, _ in log)})"
        )
        line += f"; {per:.0f} bytes per short APDU ({ok})"
    return line


def _is_extended(apdu: bytes) -> bool:
    return len(apdu) > 5 and apdu[4] == 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20)
    run(parser.parse_args().cards)
