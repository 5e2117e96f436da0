"""``photo check FILE [--json]`` through the ``issuance`` command line's parser, in this
process: output and exit codes (a fresh process runs it in tests/test_cli_startup.py)."""

from __future__ import annotations

import json

import cv2
import pytest

from issuance.cli.main import build_parser
from tests.issuance.biometrics.photo import portraits


def run(argv: list[str]) -> int:
    args = build_parser().parse_args(argv)
    return args.handler(args)


def test_good_photo_exits_0(tmp_path, capsys, good_portrait):
    path = tmp_path / "good.jpg"
    cv2.imwrite(str(path), good_portrait)
    assert run(["photo", "check", str(path)]) == 0
    out = capsys.readouterr().out
    assert "ACCEPTABLE" in out and "NOT ACCEPTABLE" not in out
    assert "sharpness" in out and "limit" in out


def test_bad_photo_exits_1_and_names_the_reason(tmp_path, capsys):
    path = tmp_path / "small.png"
    cv2.imwrite(str(path), portraits.place(portraits.on_backdrop(), (420, 540), 0.35))
    assert run(["photo", "check", str(path), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["acceptable"] is False
    by_name = {check["check"]: check for check in report["checks"]}
    assert by_name["head_size"]["verdict"] == "fail"
    assert by_name["head_size"]["value"] < by_name["head_size"]["low"]
    assert "closer" in by_name["head_size"]["message"]
    assert by_name["face_count"]["verdict"] == "pass"


def test_albanian_words_on_request(tmp_path, capsys):
    path = tmp_path / "small.png"
    cv2.imwrite(str(path), portraits.place(portraits.on_backdrop(), (420, 540), 0.35))
    assert run(["photo", "check", str(path), "--language", "sq"]) == 1
    assert "afrohuni" in capsys.readouterr().out


@pytest.mark.parametrize("content", [b"", b"not an image at all", None])
def test_unreadable_file_exits_2_with_one_line(tmp_path, capsys, content):
    path = tmp_path / "photo.jpg"
    if content is not None:
        path.write_bytes(content)
    assert run(["photo", "check", str(path)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and "photo.jpg" in lines[0] and "Traceback" not in captured.err
