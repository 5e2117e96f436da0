"""Chip encoding through the real PC/SC stack: APDU count, bytes per APDU, time per card.

Starts pcscd (or reuses one serving vsmartcard's vpcd readers) and the project's virtual card,
then personalises, reads back and verifies cards for a holder with a ~15-20 KB face image,
once with a card that accepts extended-length APDUs and once with a short-APDU-only card.

    .venv/bin/python bench/chip_encoding.py [--cards 20]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from devices.card_reader import open_card_station  # noqa: E402
from devices.virtual_card import PassportApplet, VpcdCard  # noqa: E402
from devices.virtual_card.pcscd import inserted_card, private_pcscd  # noqa: E402
from issuance.chip import ChipData, build_lds, icao_full_name, init_keys, load_certificate  # noqa: E402

READER = "Bench PCD 00 00"


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
    with tempfile.TemporaryDirectory() as folder:
        pki = init_keys(Path(folder) / "pki")
        data = holder(face_jpeg())
        files = build_lds(data, pki.signer())
        csca = load_certificate(pki.csca_certificate)
        total = sum(len(c) for _, c in files.by_file_id())
        print(
            f"chip content: {total} bytes in {len(files.by_file_id())} files "
            f"(face JPEG {len(data.face_jpeg)} bytes)"
        )
        with private_pcscd(Path(folder) / "pcsc", "Bench PCD") as pcsc:
            card = VpcdCard(PassportApplet(), port=pcsc.port(pcsc.reader))
            with inserted_card(card, pcsc, pcsc.reader):
                for extended in (True, False):
                    measure(card, files, data, csca, cards, extended)


def measure(card: VpcdCard, files, data, csca, cards: int, extended: bool) -> None:
    station = open_card_station(f"pcsc:{READER}")
    card.applet.extended_length = extended
    times, report = [], None
    for _ in range(cards):
        card.applet.wipe()
        started = time.perf_counter()
        report = station.personalise(files, data.bac_key(), csca)
        times.append(time.perf_counter() - started)
        assert report.passed
    assert report is not None
    label = "extended-length card" if extended else "short-APDU card"
    print(f"\n{label}:")
    print(f"  APDUs per card (write + read back): {report.apdu_count}")
    print(
        f"  write APDUs: {report.write_apdus}, {report.bytes_per_write:.0f} bytes per APDU "
        f"(largest chunk {report.write_chunk})"
    )
    print(f"  read-back APDUs: {report.read_apdus} (chunk {report.read_chunk})")
    print(
        f"  time per card (write, lock, BAC read back, verify): "
        f"median {statistics.median(times) * 1000:.1f} ms, max {max(times) * 1000:.1f} ms "
        f"over {cards} cards"
    )


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cards", type=int, default=20)
    run(parser.parse_args().cards)
