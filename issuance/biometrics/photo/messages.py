"""Names of the photo checks and what the clerk is told, in Albanian and English."""

from __future__ import annotations

from enum import StrEnum


class Check(StrEnum):
    FACE_COUNT = "face_count"
    FACE_CENTRED = "face_centred"
    HEAD_SIZE = "head_size"
    HEAD_POSITION = "head_position"
    EYES_FOUND = "eyes_found"
    EYES_LEVEL = "eyes_level"
    FRONTAL = "frontal"
    SHARPNESS = "sharpness"
    EXPOSURE = "exposure"
    CLIPPED_SHADOWS = "clipped_shadows"
    CLIPPED_HIGHLIGHTS = "clipped_highlights"
    EVEN_LIGHTING = "even_lighting"
    BACKGROUND_PLAIN = "background_plain"
    BACKGROUND_LIGHT = "background_light"
    COLOUR = "colour"
    NEUTRAL_EXPRESSION = "neutral_expression"
    MOUTH_CLOSED = "mouth_closed"
    EYES_OPEN = "eyes_open"
    LOOKING_AT_CAMERA = "looking_at_camera"
    GLASSES_GLARE = "glasses_glare"
    HEAD_PITCH = "head_pitch"


_NAMES: dict[Check, tuple[str, str]] = {
    Check.FACE_COUNT: ("Një fytyrë", "One face"),
    Check.FACE_CENTRED: ("Fytyra në qendër", "Face centred"),
    Check.HEAD_SIZE: ("Madhësia e kokës", "Head size"),
    Check.HEAD_POSITION: ("Lartësia e syve", "Eye line height"),
    Check.EYES_FOUND: ("Sytë të dukshëm", "Eyes visible"),
    Check.EYES_LEVEL: ("Koka pa anim (roll)", "Head not tilted (roll)"),
    Check.FRONTAL: ("Koka pa kthim (yaw)", "Head not turned (yaw)"),
    Check.HEAD_PITCH: ("Koka pa përkulje (pitch)", "Head not tipped (pitch)"),
    Check.SHARPNESS: ("Qartësia", "Sharpness"),
    Check.EXPOSURE: ("Ekspozimi", "Exposure"),
    Check.CLIPPED_SHADOWS: ("Hije pa detaje", "Crushed shadows"),
    Check.CLIPPED_HIGHLIGHTS: ("Drita pa detaje", "Burnt-out highlights"),
    Check.EVEN_LIGHTING: ("Ndriçim i njëtrajtshëm", "Even lighting"),
    Check.BACKGROUND_PLAIN: ("Sfond i thjeshtë", "Plain background"),
    Check.BACKGROUND_LIGHT: ("Sfond i çelët", "Light background"),
    Check.COLOUR: ("Foto me ngjyra", "Colour photo"),
    Check.NEUTRAL_EXPRESSION: ("Shprehje neutrale", "Neutral expression"),
    Check.MOUTH_CLOSED: ("Goja e mbyllur", "Mouth closed"),
    Check.EYES_OPEN: ("Sytë të hapur", "Eyes open"),
    Check.LOOKING_AT_CAMERA: ("Shikimi në kamerë", "Looking at the camera"),
    Check.GLASSES_GLARE: ("Pa reflekse në syze", "No glare on glasses"),
}

# A failing measure is either below its limit ("low") or above it ("high").
LOW = "low"
HIGH = "high"

_MESSAGES: dict[tuple[Check, str], tuple[str, str]] = {
    (Check.FACE_COUNT, LOW): ("Nuk u gjet asnjë fytyrë.", "No face found."),
    (Check.FACE_COUNT, HIGH): (
        "Në foto ka më shumë se një fytyrë.",
        "There is more than one face in the picture.",
    ),
    (Check.FACE_CENTRED, HIGH): (
        "Fytyra nuk është në qendër; lëvizni majtas ose djathtas.",
        "The face is not centred; move left or right.",
    ),
    (Check.HEAD_SIZE, LOW): (
        "Koka është shumë e vogël; afrohuni te kamera.",
        "The head is too small; move closer to the camera.",
    ),
    (Check.HEAD_SIZE, HIGH): (
        "Koka është shumë e madhe; largohuni nga kamera.",
        "The head is too large; move back from the camera.",
    ),
    (Check.HEAD_POSITION, LOW): (
        "Sytë janë shumë lart në foto; ngrini kamerën ose uluni më poshtë.",
        "The eyes are too high in the picture; raise the camera or sit lower.",
    ),
    (Check.HEAD_POSITION, HIGH): (
        "Sytë janë shumë poshtë në foto; ulni kamerën ose uluni më drejt.",
        "The eyes are too low in the picture; lower the camera or sit up straight.",
    ),
    (Check.EYES_FOUND, LOW): (
        "Të dy sytë duhet të duken qartë (pa syze të errëta, pa flokë mbi sy).",
        "Both eyes must be clearly visible (no dark glasses, no hair over the eyes).",
    ),
    (Check.EYES_LEVEL, HIGH): (
        "Koka është e anuar; mbajeni drejt.",
        "The head is tilted; hold it straight.",
    ),
    (Check.FRONTAL, HIGH): (
        "Kthejeni kokën drejt kamerës.",
        "Turn your head to face the camera.",
    ),
    (Check.SHARPNESS, LOW): (
        "Fotoja është e turbullt; qëndroni pa lëvizur.",
        "The photo is blurred; keep still.",
    ),
    (Check.EXPOSURE, LOW): ("Fotoja është shumë e errët.", "The photo is too dark."),
    (Check.EXPOSURE, HIGH): ("Fotoja është shumë e ndritshme.", "The photo is too bright."),
    (Check.CLIPPED_SHADOWS, HIGH): (
        "Pjesë të fytyrës janë krejt të zeza; shtoni dritë.",
        "Parts of the face are crushed to black; add light.",
    ),
    (Check.CLIPPED_HIGHLIGHTS, HIGH): (
        "Pjesë të fytyrës janë krejt të bardha (shkëlqim); ulni dritën.",
        "Parts of the face are burnt out to white (glare); reduce the light.",
    ),
    (Check.EVEN_LIGHTING, HIGH): (
        "Ndriçimi i fytyrës është i pabarabartë (hije në njërën anë).",
        "The face is unevenly lit (shadow on one side).",
    ),
    (Check.BACKGROUND_PLAIN, HIGH): (
        "Sfondi nuk është i njëtrajtshëm; përdorni sfond të thjeshtë.",
        "The background is not plain; use a plain backdrop.",
    ),
    (Check.BACKGROUND_LIGHT, LOW): (
        "Sfondi është shumë i errët; përdorni sfond të çelët.",
        "The background is too dark; use a light backdrop.",
    ),
    (Check.COLOUR, LOW): (
        "Fotoja duhet të jetë me ngjyra.",
        "The photo must be in colour.",
    ),
    (Check.NEUTRAL_EXPRESSION, HIGH): (
        "Mos buzëqeshni; mbani shprehje neutrale.",
        "Do not smile; keep a neutral expression.",
    ),
    (Check.MOUTH_CLOSED, HIGH): (
        "Mbyllni gojën.",
        "Close your mouth.",
    ),
    (Check.EYES_OPEN, LOW): (
        "Hapni të dy sytë.",
        "Open both eyes.",
    ),
    (Check.LOOKING_AT_CAMERA, HIGH): (
        "Shikoni drejt në objektiv me sy.",
        "Look straight at the lens with your eyes.",
    ),
    (Check.GLASSES_GLARE, HIGH): (
        "Syzet reflektojnë dritën; anoni pak syzet ose hiqini.",
        "The glasses reflect the light; tilt them slightly or take them off.",
    ),
    (Check.HEAD_PITCH, HIGH): (
        "Koka është e përkulur lart ose poshtë; mbajeni drejt, mjekrën paralel me dyshemenë.",
        "The head is tipped up or down; hold it level, chin parallel to the floor.",
    ),
}

_NEEDS_ONE_FACE = (
    "Nuk u mat: duhet saktësisht një fytyrë.",
    "Not measured: exactly one face is needed.",
)
_NEEDS_EYES = (
    "Nuk u mat: duhen të dy sytë.",
    "Not measured: both eyes are needed.",
)
_NEEDS_OPEN_EYES = (
    "Nuk u mat: sytë janë të mbyllur.",
    "Not measured: the eyes are closed.",
)
_NEEDS_BACKGROUND = (
    "Nuk u mat: nuk duket sfond rreth kokës.",
    "Not measured: no background is visible around the head.",
)


def failure_message(check: Check, problem: str) -> tuple[str, str]:
    """(Albanian, English) words for a failing check; ``problem`` is LOW or HIGH."""
    return _MESSAGES.get((check, problem)) or _MESSAGES[(check, HIGH if problem == LOW else LOW)]


def not_measured_message(missing: str) -> tuple[str, str]:
    """Why a check could not be measured: ``missing`` is "face", "eyes", "open_eyes" or
    "background"."""
    reasons = {"eyes": _NEEDS_EYES, "open_eyes": _NEEDS_OPEN_EYES, "background": _NEEDS_BACKGROUND}
    return reasons.get(missing, _NEEDS_ONE_FACE)


def check_name(check: Check) -> tuple[str, str]:
    """(Albanian, English) name of a check, as the command line's report shows it."""
    return _NAMES[check]
