"""Reading and writing the debugging-lab scenarios (`labs/*.toml` in a roadmap folder).

Kept beside roadmap.loader rather than in it: the loader calls `read_labs` while it
checks a folder and `load_labs` inside its transaction, so a broken scenario stops the
whole load (`file: key: problem`, like every other file) and a removed one is retired.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from . import lab_schema
from . import models as m

if TYPE_CHECKING:
    from .loader import Checker, Writer


def read_labs(checker: Checker, folder: Path, read_toml) -> list[dict]:
    """Every scenario of `folder/labs/`, checked; problems go to `checker`. The folder is
    optional: a roadmap without labs has none."""
    scenarios: list[dict] = []
    seen: dict[str, str] = {}
    for path in sorted((folder / "labs").glob("*.toml")):
        name = f"labs/{path.name}"
        data = read_toml(checker, path, name)
        if data is None:
            continue
        parsed = checker.parse(name, data, lab_schema.LabScenarioFile)
        if parsed is None:
            continue
        lab_schema.check_scenario(parsed, lambda key, problem, f=name: checker.add(f, key, problem))
        if parsed["key"] in seen:
            checker.add(
                name, parsed["key"], f"duplicate scenario key (also in {seen[parsed['key']]})"
            )
        seen.setdefault(parsed["key"], name)
        scenarios.append(parsed)
    return scenarios


def load_labs(w: Writer, roadmap: m.Roadmap, scenarios: list[dict]) -> None:
    """Upsert every scenario by key and retire the ones no longer in the files."""
    for s in scenarios:
        w.upsert(
            m.LabScenario,
            {"roadmap": roadmap, "key": s["key"]},
            {
                "order": s["order"],
                "title": s["title"],
                "summary": s["summary"],
                "symptom": s["symptom"],
                "remediation": s["remediation"],
                "source": s["source"],
                "spec": s,
            },
        )
    w.retire(m.LabScenario, m.LabScenario.objects.filter(roadmap=roadmap))
