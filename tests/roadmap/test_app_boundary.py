"""Content never depends on learners: nothing in `roadmap` imports `tracker`."""

from __future__ import annotations

import ast
from pathlib import Path

import roadmap


def test_roadmap_imports_nothing_of_tracker():
    root = Path(roadmap.__file__).parent
    offenders = []
    for path in root.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0:
                names = [node.module or ""]
            offenders += [
                f"{path.relative_to(root)}: {n}"
                for n in names
                if n == "tracker" or n.startswith("tracker.")
            ]
    assert not offenders, offenders
