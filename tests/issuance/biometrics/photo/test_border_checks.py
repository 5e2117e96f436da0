"""The checks a border officer cares about, from dlib's 68 landmarks: neutral expression, mouth
closed, eyes open and looking at the lens, no glare on glasses, head roll, yaw and pitch.

Real photographs only: the neutral astronaut passes, each made-worse astronaut fails exactly
its own check, and a second real person (Grace Hopper, neutral) passes them too."""

from __future__ import annotations

import subprocess
import sys

import pytest

from issuance.biometrics.photo import Check, Verdict
from issuance.biometrics.photo.messages import check_name
from tests.issuance.biometrics.photo import made_worse
from tests.issuance.biometrics.photo.test_evaluator import rotate
from tests.support import people

BORDER_CHECKS = (
    Check.NEUTRAL_EXPRESSION,
    Check.MOUTH_CLOSED,
    Check.EYES_OPEN,
    Check.LOOKING_AT_CAMERA,
    Check.GLASSES_GLARE,
    Check.EYES_LEVEL,
    Check.FRONTAL,
    Check.HEAD_PITCH,
)

# Made-worse portrait -> the one check it must fail, and words the clerk is told (sq, en).
MADE_WORSE = {
    "mouth_open": (made_worse.mouth_open, Check.MOUTH_CLOSED, ("gojën", "Close your mouth")),
    "eyes_closed": (made_worse.eyes_closed, Check.EYES_OPEN, ("sytë", "Open both eyes")),
    "looking_aside": (made_worse.looking_aside, Check.LOOKING_AT_CAMERA, ("objektiv", "lens")),
    "glare": (made_worse.glare_on_glasses, Check.GLASSES_GLARE, ("Syzet", "glasses")),
    "head_rolled": (lambda: rotate(made_worse.portrait(made_worse.astronaut()), 12),
                    Check.EYES_LEVEL, ("anuar", "tilted")),
    "head_turned_left": (lambda: made_worse.turned(yaw=20), Check.FRONTAL, ("Kthejeni", "Turn")),
    "head_turned_right": (lambda: made_worse.turned(yaw=-20), Check.FRONTAL, ("Kthejeni", "Turn")),
    "head_tipped_back": (lambda: made_worse.turned(pitch=-25), Check.HEAD_PITCH,
                         ("përkulur", "tipped")),
}  # fmt: skip


def failed(evaluation) -> set[Check]:
    return {result.check for result in evaluation.failures}


def test_the_neutral_portrait_passes_every_border_check(evaluator, good_portrait):
    evaluation = evaluator.evaluate(good_portrait)
    for check in BORDER_CHECKS:
        result = evaluation.result(check)
        assert result.verdict is Verdict.PASS, (check, result.value)
        assert result.value is not None and result.limit.accepts(result.value)


@pytest.mark.parametrize("name", sorted(MADE_WORSE))
def test_each_made_worse_portrait_fails_only_its_own_check(evaluator, name):
    make, check, (albanian, english) = MADE_WORSE[name]
    evaluation = evaluator.evaluate(make())
    assert failed(evaluation) == {check}, (name, {c.value for c in failed(evaluation)})
    result = evaluation.result(check)
    assert result.value is not None and not result.limit.accepts(result.value)
    assert albanian in result.message("sq") and english in result.message("en")


def test_the_open_mouth_smile_as_photographed_fails_expression_and_mouth(evaluator):
    # The original astronaut: a broad smile with the teeth showing is both a smile and an
    # open mouth, and nothing else is wrong with the photograph.
    evaluation = evaluator.evaluate(made_worse.smiling())
    assert failed(evaluation) == {Check.NEUTRAL_EXPRESSION, Check.MOUTH_CLOSED}
    smile = evaluation.result(Check.NEUTRAL_EXPRESSION)
    assert "buzëqeshni" in smile.message("sq") and "smile" in smile.message("en")


def test_closed_eyes_are_reported_once_and_their_gaze_is_not_judged(evaluator):
    evaluation = evaluator.evaluate(made_worse.eyes_closed())
    for check in (Check.EYES_FOUND, Check.LOOKING_AT_CAMERA):
        result = evaluation.result(check)
        assert result.verdict is Verdict.NOT_MEASURED and result.value is None
        assert "closed" in result.message("en") and "mbyllur" in result.message("sq")
    assert not evaluation.acceptable


def test_pose_angles_follow_the_applied_turn(evaluator, good_portrait):
    upright = evaluator.evaluate(good_portrait)
    assert upright.value(Check.EYES_LEVEL) < 5 and upright.value(Check.FRONTAL) < 5
    assert upright.value(Check.HEAD_PITCH) < 8
    rolled = evaluator.evaluate(rotate(good_portrait, -12)).value(Check.EYES_LEVEL)
    assert 10 < rolled < 18  # her own 2–3° of roll plus the 12° applied
    turned = [evaluator.evaluate(made_worse.turned(yaw=y)).value(Check.FRONTAL) for y in (10, 20)]
    assert upright.value(Check.FRONTAL) < turned[0] < turned[1]


def test_a_second_real_person_with_a_neutral_face_passes_the_border_checks(evaluator):
    # Grace Hopper's portrait (dark backdrop, so not acceptable overall) is neutral, mouth
    # closed, eyes open on the lens, no glasses, head straight.
    evaluation = evaluator.evaluate(people.grace_hopper())
    for check in BORDER_CHECKS:
        assert evaluation.result(check).verdict is Verdict.PASS, (check, evaluation.value(check))


def test_every_check_has_a_name_in_both_languages():
    for check in Check:
        albanian, english = check_name(check)
        assert albanian and english and albanian != english


def test_the_landmark_model_is_not_loaded_on_import():
    code = (
        "import sys; import issuance.biometrics.photo.evaluator; "
        "assert 'dlib' not in sys.modules and 'face_recognition_models' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
