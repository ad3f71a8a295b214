"""Scoring reads drills and scenarios; neither of them imports scoring (no import cycle)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.add(node.module)
    return names


@pytest.mark.parametrize("app", ["drills", "scenarios"])
def test_the_app_does_not_import_scoring(app):
    importing = sorted(
        str(path.relative_to(ROOT))
        for path in (ROOT / app).rglob("*.py")
        if any(name == "scoring" or name.startswith("scoring.") for name in imported_modules(path))
    )
    assert importing == []
