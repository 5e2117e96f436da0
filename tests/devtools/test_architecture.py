"""The README's layers diagram is the import graph of the code as it is."""

from __future__ import annotations

from pathlib import Path

from devtools import architecture

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_diagram_is_the_import_graph_of_today():
    text = README.read_text(encoding="utf-8")
    assert architecture.render(text) == text, "stale: run make architecture"


def test_the_diagram_shows_each_unit_once_and_no_import_from_core_to_adapters(tmp_path):
    readme = tmp_path / "README.md"
    readme.write_text(f"before\n{architecture.BEGIN}\nold\n{architecture.END}\nafter\n")
    assert architecture.main([str(readme)]) == 0
    text = readme.read_text()
    assert text.startswith("before\n") and text.endswith("after\n") and "old" not in text
    for layer in architecture.LAYERS:
        for unit in layer:
            assert text.count(f'["{unit.replace("issuance.", "issuance/")}"]') == 1
    assert "to `devices/`, `ui/` or `devtools/`: 0." in text
    assert architecture.main(["--check", str(readme)]) == 0
    readme.write_text(text.replace("-->|", "-->|9", 1))
    assert architecture.main(["--check", str(readme)]) == 1


def test_every_core_module_belongs_to_a_unit_of_the_diagram():
    units = {u for layer in architecture.LAYERS for u in layer}
    modules = {a for a, _ in architecture.edges()} | {b for _, b in architecture.edges()}
    assert modules <= units
