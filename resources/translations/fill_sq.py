"""Albanian translations of the desk's texts, written into desk_sq.ts for lrelease (and the
English plural forms, into desk_en.ts).

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


def table(language: str = "sq") -> dict[str, str | list[str]]:
    """The merged ``<language>_*.json`` tables; a text with a count (``%n``) maps to its list
    of plural forms (Albanian and English: one, then other)."""
    merged: dict[str, str | list[str]] = {}
    for path in sorted(HERE.glob(f"{language}_*.json")):
        merged.update(json.loads(path.read_text(encoding="utf-8")))
    return merged


def fill(path: str) -> list[str]:
    tree = ET.parse(path)
    # desk_sq.ts is Albanian (sq_*.json); desk_en.ts holds only the English plural forms.
    language = (tree.getroot().get("language") or "sq").split("_")[0]
    words = table(language)
    missing = []
    for message in tree.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        assert translation is not None
        value = words.get(source)
        forms = translation.findall("numerusform")
        if message.get("numerus") == "yes":
            if not isinstance(value, list) or len(value) != len(forms):
                missing.append(f"{source} (needs {len(forms)} plural forms)")
                continue
            for form, text in zip(forms, value, strict=True):
                form.text = text
        elif isinstance(value, str):
            translation.text = value
        else:
            missing.append(source)
            continue
        translation.attrib.pop("type", None)
    tree.write(path, encoding="utf-8", xml_declaration=True)
    return missing


if __name__ == "__main__":
    untranslated = fill(sys.argv[1])
    for source in untranslated:
        print(f"untranslated: {source}", file=sys.stderr)
    sys.exit(1 if untranslated else 0)
