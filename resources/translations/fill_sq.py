"""Albanian translations of the desk's texts, written into desk_sq.ts for lrelease.

Qt Linguist works on the .ts directly; this table is the reviewed source for strings added
in code, so `make translations` can refresh the .ts after `lupdate` without losing them.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

SQ = {
    "Residence cards": "Kartat e qëndrimit",
    "Log out": "Dil",
    "Logged in as {user} ({role})": "Jeni identifikuar si {user} ({role})",
    "Residence cards — login": "Kartat e qëndrimit — hyrja",
    "only supervisors and administrators": "vetëm për mbikëqyrës dhe administratorë",
    "Log in": "Hyr",
    "Username": "Përdoruesi",
    "Password": "Fjalëkalimi",
    "6-digit code": "Kodi 6-shifror",
    "Biometric residence cards for foreign residents": (
        "Kartat biometrike të qëndrimit për shtetasit e huaj"
    ),
    "Enter your username and password.": "Shkruani përdoruesin dhe fjalëkalimin.",
    "Checking…": "Duke kontrolluar…",
    "Unexpected error; see the log.": "Gabim i papritur; shihni regjistrin.",
}


def fill(path: str) -> list[str]:
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in SQ:
            translation.text = SQ[source]
            translation.attrib.pop("type", None)
        else:
            missing.append(source)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    untranslated = fill(sys.argv[1])
    for source in untranslated:
        print(f"untranslated: {source}", file=sys.stderr)
    sys.exit(1 if untranslated else 0)
