"""The domain and the devices never load Qt: importing any of their modules, in a fresh
interpreter, leaves PySide6 out of ``sys.modules`` (import-linter's contract "No Qt below ui/"
checks the static imports; this also catches imports made while a module loads)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("devices", "issuance")

_PROBE = """
import importlib, json, sys
found = {"qt": {}, "failed": {}}
for name in sys.argv[1:]:
    before = {m for m in sys.modules if m == "PySide6" or m.startswith("PySide6.")}
    try:
        importlib.import_module(name)
    except Exception as error:  # reported, so the test names the module it could not check
        found["failed"][name] = f"{type(error).__name__}: {error}"
        continue
    qt = sorted(m for m in sys.modules if (m == "PySide6" or m.startswith("PySide6.")))
    if len(qt) > len(before):
        found["qt"][name] = qt[:3]
        break  # once loaded, later modules cannot be told apart
print(json.dumps(found))
"""


# ``-I``: no PYTHON* variables, no user site, no current folder on the path; the project is
# found as installed in the virtual environment, like the desk itself.


def _modules() -> list[str]:
    names = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if parts[-1] == "__main__":
                continue  # running a program is not importing a module
            if parts[-1] == "__init__":
                parts = parts[:-1]
            names.append(".".join(parts))
    return names


def test_every_module_is_found() -> None:
    names = _modules()
    # Guards the guard: the walk sees the packages' leaves, not just their roots.
    assert "devices.fingerprint.sbi_client" in names
    assert "issuance.biometrics.photo.evaluator" in names
    assert len(names) > 50


def test_importing_devices_and_issuance_never_loads_pyside6() -> None:
    names = _modules()
    probe = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    assert probe.returncode == 0, probe.stderr
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert found["failed"] == {}
    assert found["qt"] == {}


def test_the_probe_does_see_pyside6() -> None:
    # The same probe, on a module that does load Qt, must report it.
    probe = subprocess.run(
        [sys.executable, "-I", "-c", _PROBE, "ui.tables"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={"PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen"},
    )
    found = json.loads(probe.stdout.strip().splitlines()[-1])
    assert list(found["qt"]) == ["ui.tables"], probe.stderr
