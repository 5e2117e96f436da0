"""Each test run, each xdist worker and each demo has a pcscd of its own: nobody sees anybody
else's card, and nothing reaches the machine's pcscd."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from devices.card_reader.pcsc import card_present, list_readers
from devtools.virtual_card.pcscd import SOCKET_VARIABLE
from tests.issuance.chip.conftest import READER, SPARE_READER

ROOT = Path(__file__).resolve().parents[3]


def _python(code: str, tmp_path: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k != SOCKET_VARIABLE}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=ROOT, env=env,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout.splitlines()


def test_this_run_sees_only_its_own_readers(pcscd):
    assert list_readers() == [READER, SPARE_READER]
    assert os.environ[SOCKET_VARIABLE] == str(pcscd.socket)
    assert pcscd.socket != Path("/run/pcscd/pcscd.comm")
    assert (pcscd.port(READER), pcscd.port(SPARE_READER)) != (35963, 35964)


def test_a_second_pcscd_beside_ours_serves_only_its_own_card(blank_card, pcscd, tmp_path):
    lines = _python(
        f"""
        from pathlib import Path
        from devices.card_reader.pcsc import card_present, list_readers
        from devtools.virtual_card import VpcdCard
        from devtools.virtual_card.pcscd import inserted_card, private_pcscd
        with private_pcscd(Path({str(tmp_path)!r}), "Other PCD") as other:
            print(other.port(other.reader), other.port(other.spare_reader))
            print(list_readers(), card_present(other.reader))
            with inserted_card(VpcdCard(port=other.port(other.reader)), other, other.reader):
                print(card_present(other.reader))
        """,
        tmp_path,
    )
    ports = {int(p) for p in lines[0].split()}
    assert not ports & {pcscd.port(READER), pcscd.port(SPARE_READER)}
    assert lines[1] == "['Other PCD 00 00', 'Other PCD 00 01'] False"  # not our session card
    assert lines[2] == "True"
    # Our card stayed in our reader all along, and we never saw theirs.
    assert card_present(READER) and not card_present(SPARE_READER)
    assert list_readers() == [READER, SPARE_READER]


def test_a_process_already_talking_to_one_pcscd_is_refused_another(tmp_path):
    lines = _python(
        f"""
        from pathlib import Path
        from devtools.virtual_card.pcscd import PcscdNotReady, private_pcscd
        with private_pcscd(Path({str(tmp_path)!r}) / "a", "First PCD"):
            try:
                with private_pcscd(Path({str(tmp_path)!r}) / "b", "Second PCD"):
                    print("started")
            except PcscdNotReady as exc:
                print("refused:", exc)
        """,
        tmp_path,
    )
    assert lines[0].startswith("refused: this process already talks to another pcscd")


def test_the_demo_puts_its_card_in_a_pcscd_of_its_own(pcscd, tmp_path):
    lines = _python(
        """
        import os
        from devices.card_reader.pcsc import card_present, list_readers
        from devtools.demo.stack import _virtual_card
        out = []
        with _virtual_card(out) as reader:
            print(reader)
            print(list_readers(), card_present(reader.removeprefix("pcsc:")))
            print(os.environ["PCSCLITE_CSOCK_NAME"])
        print(out[0])
        """,
        tmp_path,
    )
    assert lines[0] == "pcsc:Demo PCD 00 00"
    assert lines[1] == "['Demo PCD 00 00', 'Demo PCD 00 01'] True"
    assert lines[2] != str(pcscd.socket) and lines[2] in lines[3]
    assert list_readers() == [READER, SPARE_READER]
