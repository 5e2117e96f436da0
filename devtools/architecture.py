"""The layers as they are: the import graph (grimp, as import-linter sees it) folded to the
packages of the layers contract, written as a Mermaid diagram into the README between its
markers (``make architecture``; tests/devtools/test_architecture.py keeps it in step).

``python -m devtools.architecture [--check] [README]``
"""

from __future__ import annotations

import sys
from collections import Counter

import grimp

from devtools import readme
from devtools.readme import replace_between

BEGIN, END = "<!-- layers:begin -->", "<!-- layers:end -->"
# Top to bottom, as in pyproject's layers contract; a unit is a package or a few small modules.
LAYERS: list[list[str]] = [
    ["devtools"],
    ["issuance.cli"],
    ["ui"],
    ["devices"],
    ["issuance.bootstrap"],
    ["issuance.services", "issuance.queries"],
    ["issuance.delivery"],
    ["issuance.domain"],
    ["issuance.security"],
    ["issuance.biometrics", "issuance.documents", "issuance.chip", "issuance.db"],
    ["issuance.ports"],
    ["issuance.kernel"],
]
KERNEL = {"issuance.config", "issuance.errors", "issuance.incidents", "issuance.labels",
          "issuance.logs", "issuance.wall_clock", "issuance.lazy_exports", "issuance"}  # fmt: skip


def unit(module: str) -> str:
    parts = module.split(".")
    if parts[0] != "issuance":
        return parts[0]
    top = ".".join(parts[:2])
    return "issuance.kernel" if top in KERNEL else top


def edges() -> Counter[tuple[str, str]]:
    graph = grimp.build_graph(
        "issuance", "devices", "ui", "devtools", exclude_type_checking_imports=True
    )
    found: Counter[tuple[str, str]] = Counter()
    for module in graph.modules:
        for imported in graph.find_modules_directly_imported_by(module):
            a, b = unit(module), unit(imported)
            if a != b:
                found[(a, b)] += 1
    return found


def _node(name: str) -> str:
    return name.replace("issuance.", "core_").replace(".", "_")


def diagram(found: Counter[tuple[str, str]]) -> str:
    lines = ["```mermaid", "flowchart TD"]
    for depth, layer in enumerate(LAYERS):
        lines.append(f"  subgraph L{depth}[\" \"]")
        lines += [f"    {_node(u)}[\"{u.replace('issuance.', 'issuance/')}\"]" for u in layer]
        lines.append("  end")
    for (a, b), count in sorted(found.items()):
        lines.append(f"  {_node(a)} -->|{count}| {_node(b)}")
    lines.append("```")
    outside = ("devices", "ui", "devtools")
    core_to_adapters = sum(
        n for (a, b), n in found.items()
        if a.startswith("issuance.") and a != "issuance.cli" and b in outside
    )  # fmt: skip
    adapters_to_core = {b: n for (a, b), n in found.items() if a == "devices"}
    lines.append("")
    lines.append(
        f"Module imports from the core (entry points aside) to `devices/`, `ui/` or `devtools/`: "
        f"{core_to_adapters}. From `devices/` into the core: "
        + ", ".join(f"`{b}` {n}" for b, n in sorted(adapters_to_core.items()))
        + " (the kernel: only `issuance.errors`, by import-linter's contract). Arrows: module"
        " imports between the units; type-only imports are not counted."
    )
    return "\n".join(lines)


def render(readme: str) -> str:
    return replace_between(readme, BEGIN, END, diagram(edges()))


def main(argv: list[str] | None = None) -> int:
    return readme.main(argv, "python -m devtools.architecture", BEGIN, END, render)


if __name__ == "__main__":
    sys.exit(main())
