"""Sections of the README that are generated from the code, between two HTML comments."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path


def replace_between(text: str, begin: str, end: str, body: str) -> str:
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}\n{end}{tail}"


def main(
    argv: list[str] | None, prog: str, begin: str, end: str, render: Callable[[str], str]
) -> int:
    """``prog [--check] [README]``: rewrite the section, or (``--check``) fail when stale."""
    parser = argparse.ArgumentParser(prog=prog)
    parser.add_argument("readme", nargs="?", type=Path, default=Path("README.md"))
    parser.add_argument("--check", action="store_true", help="fail if the README is stale")
    args = parser.parse_args(argv)
    text = args.readme.read_text(encoding="utf-8")
    if begin not in text or end not in text:
        print(f"{args.readme}: no {begin} … {end} markers", file=sys.stderr)
        return 2
    new = render(text)
    if args.check:
        if new != text:
            print(f"{args.readme}: {begin} is stale: run make architecture", file=sys.stderr)
            return 1
        return 0
    args.readme.write_text(new, encoding="utf-8")
    return 0
