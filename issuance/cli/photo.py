"""``issuance photo check FILE [--json]``: the live evaluator run on a photo file.

OpenCV, numpy and the evaluator are imported when a photo is checked, not when the
``issuance`` command line declares the command.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from issuance.biometrics.photo.errors import UnreadablePhoto
from issuance.ports.limits import LimitExceeded

if TYPE_CHECKING:
    from issuance.biometrics.photo.evaluator import Evaluation

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
    from issuance.biometrics.photo.evaluator import PhotoEvaluator
    from issuance.biometrics.photo.files import read_image  # numpy and OpenCV: only here

    try:
        with _native_stderr_silenced():
            image = read_image(args.file)
    except (UnreadablePhoto, LimitExceeded) as error:
        print(error.message(getattr(args, "language", "en")), file=sys.stderr)
        return EXIT_UNREADABLE
    evaluation = PhotoEvaluator().evaluate(image)
    language = getattr(args, "language", "en")
    if args.json:
        print(json.dumps(as_json(evaluation, language), ensure_ascii=False, indent=2))
    else:
        print(as_text(evaluation, language))
    return EXIT_ACCEPTABLE if evaluation.acceptable else EXIT_NOT_ACCEPTABLE


@contextlib.contextmanager
def _native_stderr_silenced() -> Iterator[None]:
    """The image decoders' own warnings ("Corrupt JPEG data: ...", "libpng warning: ...") are
    written by C code straight to file descriptor 2; the command's refusal is one line, so
    they are kept out of it. Only for this single-threaded command, never in the desk."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no descriptor 2 to protect
        yield
        return
    sink = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(sink, 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
    finally:
        os.close(sink)
        os.close(saved)


def as_json(evaluation: Evaluation, language: str = "en") -> dict:
    from issuance.biometrics.photo.messages import check_name

    return {
        "acceptable": evaluation.acceptable,
        "checks": [
            {
                "check": result.check.value,
                "name": check_name(result.check)[0 if language == "sq" else 1],
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
