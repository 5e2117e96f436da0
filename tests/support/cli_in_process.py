"""``issuance`` commands run in the test's own process, for tests that check what a command
does rather than how a fresh process starts (that is what the real-process tests are for).

``run_in_process`` gives what ``subprocess.run(..., capture_output=True, text=True)`` gives: the
exit code, stdout and stderr, with the environment's ``ISSUANCE_*`` variables and stdin as the
process would have had them.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from issuance.cli import main as cli


def run_in_process(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    env: Mapping[str, str],
    *args: str,
    stdin: str = "",
    main: Callable[[list[str]], int] = cli.main,
) -> subprocess.CompletedProcess[str]:
    for name in [name for name in os.environ if name.startswith("ISSUANCE_")]:
        monkeypatch.delenv(name)
    for name, value in env.items():
        if name.startswith("ISSUANCE_"):
            monkeypatch.setenv(name, value)
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    capsys.readouterr()  # what the test printed before is not the command's
    try:
        code = main(list(args))
    except SystemExit as exit:  # argparse's refusals and --help
        code = exit.code
    out, err = capsys.readouterr()
    return subprocess.CompletedProcess(list(args), code, out, err)


def context_environment(ctx: Any, **more: str) -> dict[str, str]:
    """The process environment of a command run against the test's context (its data folder,
    database and biometric key), in English, with ``more`` variables."""
    from tests.conftest import TEST_KEY

    env = dict(os.environ)
    env.update(
        ISSUANCE_DATA_DIR=str(ctx.settings.data_dir),
        ISSUANCE_DATABASE_URL=ctx.settings.database_url,
        ISSUANCE_BIOMETRIC_KEY=TEST_KEY,
        ISSUANCE_LANGUAGE="en",
        **more,
    )
    return env


def assert_refused(result: subprocess.CompletedProcess[str], fragment: str) -> None:
    """The command refused (exit 2) with a sentence containing ``fragment``, no traceback."""
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr and fragment in result.stderr, result.stderr
