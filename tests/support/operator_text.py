"""What no operator ever reads: exception names, SQL, internal codes, English in the Albanian desk.

One checker for every test that looks at text a screen shows (labels, message boxes, tool tips)
or a refusal carries.
"""

from __future__ import annotations

import re

# Two or more capitalised humps of at least two lower-case letters: IntegrityError,
# CardNotBlank, RuntimeError; a person's name ("McDonald", "Çela") does not look like this.
CLASS_NAME = re.compile(r"\b[A-Z][a-z]{2,}(?:[A-Z][a-z]{2,})+\b")
SQL = re.compile(
    r"\[SQL:|\b(?:SELECT|INSERT INTO|UPDATE \w+ SET|DELETE FROM|UNIQUE constraint|"
    r"CONSTRAINT|IntegrityError|sqlite3|psycopg|Traceback)\b"
)
SNAKE_CASE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]+\b")
UPPER_CASE = re.compile(r"\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\b")
# Common English words that are not Albanian words: one of them in the Albanian desk is a
# sentence someone forgot to translate.
ENGLISH = frozenset(
    "the and error failed failure not found is was please cannot could unexpected database "
    "invalid refused with for of to try again permission denied unknown none true false "
    "exception traceback".split()
)
WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def problems(text: str, language: str) -> list[str]:
    """Every reason ``text`` is not fit for an operator (empty when it is)."""
    found = []
    for name, pattern in (
        ("class name", CLASS_NAME),
        ("SQL", SQL),
        ("snake_case code", SNAKE_CASE),
        ("UPPER_CASE code", UPPER_CASE),
    ):
        match = pattern.search(text)
        if match:
            found.append(f"{name}: {match.group()!r}")
    if language == "sq":
        english = sorted({w for w in WORD.findall(text.lower()) if w in ENGLISH})
        if english:
            found.append(f"English words: {english}")
    return found


def assert_operator_text(text: str, language: str) -> None:
    assert text.strip(), "an empty message says nothing to the operator"
    found = problems(text, language)
    assert not found, f"{found} in {text!r}"
