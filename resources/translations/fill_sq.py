"""Albanian translations of the desk's texts, written into desk_sq.ts for lrelease.

Each part of the desk keeps its reviewed table in ``sq_<part>.json`` (English source text ->
Albanian); `make translations` runs lupdate, then this script, then lrelease, so strings added
in code are never lost and a missing translation fails the build.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

HERE = Path(__file__).resolve().parent


def table() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in sorted(HERE.glob("sq_*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill(path: str) -> list[str]:
    sq = table()
    tree = ET.parse(path)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        if source in sq:
            translation.text = sq[source]
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
