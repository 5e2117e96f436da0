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


BORDER_CHECK_NAMES = {
    "neutral_expression": ("Shprehje neutrale", "Neutral expression"),
    "mouth_closed": ("Goja e mbyllur", "Mouth closed"),
    "eyes_open": ("Sytë të hapur", "Eyes open"),
    "looking_at_camera": ("Shikimi në kamerë", "Looking at the camera"),
    "glasses_glare": ("Pa reflekse në syze", "No glare on glasses"),
    "head_pitch": ("Koka pa përkulje (pitch)", "Head not tipped (pitch)"),
}


@pytest.mark.parametrize("language", ["en", "sq"])
def test_json_shows_the_border_checks_by_name_and_why_a_smile_fails(tmp_path, capsys, language):
    from tests.issuance.biometrics.photo import made_worse

    path = tmp_path / "smile.png"
    cv2.imwrite(str(path), made_worse.smiling())
    assert run(["photo", "check", str(path), "--json", "--language", language]) == 1
    by_name = {check["check"]: check for check in json.loads(capsys.readouterr().out)["checks"]}
    for check, names in BORDER_CHECK_NAMES.items():
        assert by_name[check]["name"] == names[0 if language == "sq" else 1]
        assert by_name[check]["value"] is not None and by_name[check]["source"]
    failing = {name for name, check in by_name.items() if check["verdict"] == "fail"}
    assert failing == {"neutral_expression", "mouth_closed"}
    smile = by_name["neutral_expression"]
    assert smile["value"] > smile["high"]
    assert ("buzëqeshni" if language == "sq" else "smile") in smile["message"]
    assert by_name["eyes_open"]["verdict"] == "pass"


def test_json_of_a_neutral_portrait_passes_the_border_checks(tmp_path, capsys, good_portrait):
    path = tmp_path / "good.png"
    cv2.imwrite(str(path), good_portrait)
    assert run(["photo", "check", str(path), "--json"]) == 0
    by_name = {check["check"]: check for check in json.loads(capsys.readouterr().out)["checks"]}
    assert all(by_name[check]["verdict"] == "pass" for check in BORDER_CHECK_NAMES)
