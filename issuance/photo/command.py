"""``issuance photo check FILE [--json]``: the live evaluator run on a photo file.

OpenCV, numpy and the evaluator are imported when a photo is checked, not when the
``issuance`` command line declares the command.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from issuance.photo.errors import UnreadablePhoto

if TYPE_CHECKING:
    import numpy as np

    from issuance.photo.evaluator import Evaluation

EXIT_ACCEPTABLE = 0
EXIT_NOT_ACCEPTABLE = 1
EXIT_UNREADABLE = 2


def register(subparsers: argparse._SubParsersAction) -> None:
    """Adds ``photo check`` to the ``issuance`` command line."""
    photo = subparsers.add_parser("photo", help="portrait photo tools")
    actions = photo.add_subparsers(dest="photo_action", required=True)
    check = actions.add_parser("check", help="run the ICAO quality checks on a photo file")
    check.add_argument("file", type=Path, help="image file (JPEG, PNG, ...)")
    check.add_argument("--json", action="store_true", help="print the verdicts as JSON")
    check.add_argument("--language", choices=("sq", "en"), default="en")
    check.set_defaults(handler=run_check)


def run_check(args: argparse.Namespace) -> int:
    from issuance.photo.evaluator import PhotoEvaluator

    try:
        image = read_image(args.file)
    except UnreadablePhoto as error:
        print(error.message(getattr(args, "language", "en")), file=sys.stderr)
        return EXIT_UNREADABLE
    evaluation = PhotoEvaluator().evaluate(image)
    language = getattr(args, "language", "en")
    if args.json:
        print(json.dumps(as_json(evaluation, language), ensure_ascii=False, indent=2))
    else:
        print(as_text(evaluation, language))
    return EXIT_ACCEPTABLE if evaluation.acceptable else EXIT_NOT_ACCEPTABLE


def read_image(path: Path) -> np.ndarray:
    import cv2
    import numpy as np

    # imdecode over the bytes: cv2.imread cannot open non-ASCII paths on every platform.
    try:
        data = np.fromfile(str(path), dtype=np.uint8)
    except OSError as error:
        raise UnreadablePhoto(path.name) from error
    image = cv2.imdecode(data, cv2.IMREAD_COLOR) if data.size else None
    if image is None:
        raise UnreadablePhoto(path.name)
    return image


def as_json(evaluation: Evaluation, language: str = "en") -> dict:
    return {
        "acceptable": evaluation.acceptable,
        "checks": [
            {
                "check": result.check.value,
                "verdict": result.verdict.value,
                "value": None if result.value is None else round(result.value, 4),
                "threshold": result.limit.describe(),
                "low": result.limit.low,
                "high": result.limit.high,
                "source": result.limit.source,
                "message": result.message(language),
            }
            for result in evaluation.checks
        ],
    }


def as_text(evaluation: Evaluation, language: str = "en") -> str:
    lines = []
    for result in evaluation.checks:
        value = "—" if result.value is None else f"{result.value:.3g}"
        line = f"{result.verdict.value.upper():13} {result.check.value:20} {value:>8}  "
        line += f"(limit {result.limit.describe()})"
        if not result.passed:
            line += f"  {result.message(language)}"
        lines.append(line)
    verdict = "ACCEPTABLE" if evaluation.acceptable else "NOT ACCEPTABLE"
    lines.append(verdict)
    return "\n".join(lines)
