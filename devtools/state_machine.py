"""The application's state machine as the code has it, drawn into the README.

States and transitions come from ``issuance.domain.workflow``; who may make each transition
from ``issuance.security.permissions``; which use case makes it, and from where (a desk screen,
a command, the outbox worker), from the source: the functions of ``issuance/services`` and
``issuance/delivery`` that call ``workflow.apply`` (or ``transition``) with each target, and
the modules of ``ui/`` and ``issuance/cli/`` that call those functions.

``python -m devtools.state_machine [--check] [README]`` (``make architecture`` runs it).
"""

from __future__ import annotations

import ast
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from devtools import readme
from devtools.readme import replace_between
from issuance.domain.workflow import STATE_NAMES, TRANSITIONS, State, required_use_case
from issuance.security.permissions import ALLOWED

BEGIN, END = "<!-- states:begin -->", "<!-- states:end -->"
ROOT = Path(__file__).resolve().parents[1]
# Where use cases live, and where people (or the outbox worker) start them.
USE_CASE_PACKAGES = ("issuance/services", "issuance/delivery")
ENTRY_PACKAGES = ("ui", "issuance/cli")
# The outbox handlers run in the desk's delivery thread and in ``issuance outbox run``.
WORKER = "issuance/delivery/registers.py"


@dataclass
class Transitions:
    # target state -> the use cases ("module.function") that move an application into it
    makers: dict[State, set[str]] = field(default_factory=lambda: defaultdict(set))
    # use case -> the entry-point modules that call it
    callers: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))

    def entry_points(self, target: State) -> set[str]:
        return {c for maker in self.makers[target] for c in self.callers[maker]}


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


def _targets(function: ast.FunctionDef) -> set[State]:
    """The states a function moves an application into: ``State.X`` arguments of its calls
    to ``apply``/``transition``, or every state when it passes a parameter through."""
    found: set[State] = set()
    for node in ast.walk(function):
        if not isinstance(node, ast.Call):
            continue
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(
            node.func, "id", ""
        )
        if name not in ("apply", "transition"):
            continue
        for arg in [*node.args, *(k.value for k in node.keywords)]:
            if isinstance(arg, ast.Attribute) and getattr(arg.value, "id", "") == "State":
                found.add(State[arg.attr])
    return found


def scan() -> Transitions:
    result = Transitions()
    calls: dict[str, set[str]] = {}  # use case -> names it calls (for use cases calling others)
    for package in USE_CASE_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for node in tree.body:
                if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
                    name = f"{_module(path)}.{node.name}"
                    calls[name] = _called(node) | {
                        n for h in _helpers_called(tree, node) for n in _called(h)
                    }
                    for target in _targets(node) | _private_targets(tree, node):
                        result.makers[target].add(name)
    # A use case that calls another one makes the same transitions (to a fixed point).
    changed = True
    while changed:
        changed = False
        for makers in result.makers.values():
            for name, called in calls.items():
                if name not in makers and any(m.rsplit(".", 1)[1] in called for m in makers):
                    makers.add(name)
                    changed = True
    names = {maker.rsplit(".", 1)[1]: maker for makers in result.makers.values()
             for maker in makers}  # fmt: skip
    for package in ENTRY_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            source = path.read_text(encoding="utf-8")
            for ref in ast.walk(ast.parse(source)):
                if isinstance(ref, ast.Attribute) and ref.attr in names:
                    maker = names[ref.attr]
                    if getattr(ref.value, "id", "") == maker.split(".")[-2]:
                        result.callers[maker].add(_module(path))
    for maker in {m for makers in result.makers.values() for m in makers}:
        if maker.startswith("issuance.delivery."):
            result.callers[maker].add("outbox worker")
    return result


def _called(function: ast.FunctionDef) -> set[str]:
    names = set()
    for node in ast.walk(function):
        if isinstance(node, ast.Call):
            func = node.func
            names.add(func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", ""))
    return names


def _helpers_called(tree: ast.Module, function: ast.FunctionDef) -> list[ast.FunctionDef]:
    helpers = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)
               and n.name.startswith("_")}  # fmt: skip
    return [helpers[n] for n in _called(function) if n in helpers]


def _private_targets(tree: ast.Module, function: ast.FunctionDef) -> set[State]:
    """States reached through the module's private helpers that the function calls."""
    found: set[State] = set()
    for helper in _helpers_called(tree, function):
        found |= _targets(helper)
    return found


def roles(target: State, source: State | None = None) -> str:
    """Who may make the transition (from ``source``; None: from any state that leads there —
    a draft is discarded by its clerk, a submitted application cancelled by a supervisor)."""
    sources = [source] if source is not None else [
        s for s, targets in TRANSITIONS.items() if target in targets
    ]  # fmt: skip
    allowed = {r for s in sources for r in ALLOWED[required_use_case(s, target)]}
    return ", ".join(sorted(r.value for r in allowed))


def diagram(found: Transitions) -> str:
    lines = ["```mermaid", "stateDiagram-v2", "  [*] --> draft"]
    for source, targets in TRANSITIONS.items():
        for target in sorted(targets, key=list(State).index):
            lines.append(f"  {source.value} --> {target.value}: {roles(target, source)}")
    for state, targets in TRANSITIONS.items():
        if not targets:
            lines.append(f"  {state.value} --> [*]")
    lines.append("```")
    lines += ["", "| into | who | use case | started from |", "| --- | --- | --- | --- |"]
    for target in list(State)[1:]:
        makers = ", ".join(f"`{m.removeprefix('issuance.')}`" for m in sorted(
            found.makers[target])) or "—"  # fmt: skip
        starts = ", ".join(f"`{e}`" if e != "outbox worker" else e for e in sorted(
            found.entry_points(target))) or "—"  # fmt: skip
        lines.append(f"| {STATE_NAMES[target][1]} | {roles(target)} | {makers} | {starts} |")
    return "\n".join(lines)


def render(readme: str) -> str:
    return replace_between(readme, BEGIN, END, diagram(scan()))


def main(argv: list[str] | None = None) -> int:
    return readme.main(argv, "python -m devtools.state_machine", BEGIN, END, render)


if __name__ == "__main__":
    sys.exit(main())
