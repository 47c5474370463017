"""Lab scenarios are content: `labs/*.toml` in a roadmap folder, checked by load_roadmap
like every other file (`file: key: problem`), upserted by key, retired, never deleted."""

from __future__ import annotations

import pytest
from django.conf import settings

from roadmap.models import LabScenario
from tests.roadmap.test_loader import edit, problems, run, seeds  # noqa: F401 (fixture)

FOLDER = settings.ROADMAP_KEY


def test_the_six_scenarios_load(db):
    keys = set(LabScenario.objects.current().values_list("key", flat=True))
    assert keys == {
        "degraded-nvlink",
        "flapping-ib-port",
        "thermal-throttling",
        "nccl-socket-fallback",
        "input-pipeline",
        "oom-after-four-hours",
    }
    oom = LabScenario.objects.get(key="oom-after-four-hours")
    assert oom.spec["cluster"]["gpu"].startswith("A100") and "OOM" in oom.symptom
    assert "<strong>" in oom.symptom_html


def test_a_scenario_with_a_missing_field_is_refused_as_file_key_problem(seeds):  # noqa: F811
    path = seeds / "labs" / "thermal-throttling.toml"
    edit(path, 'remediation = """', 'not_remediation = """')
    found = problems(seeds)
    assert (
        f"{FOLDER}/labs/thermal-throttling.toml: thermal-throttling: missing field 'remediation'"
        in found
    )
    assert any("unknown field 'not_remediation'" in line for line in found)


def test_a_missing_field_in_a_nested_table_names_its_table(seeds):  # noqa: F811
    edit(seeds / "labs" / "input-pipeline.toml", "expected_step_ms = 700\n", "")
    file = f"{FOLDER}/labs/input-pipeline.toml"
    found = problems(seeds)
    assert f"{file}: input-pipeline.cluster: missing field 'expected_step_ms'" in found


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        (
            'kind = "thermal-throttle"',
            'kind = "gremlins"',
            "field 'kind' is 'gremlins', expected one of",
        ),
        (
            'command = "dcgmi-diag"',
            'command = "memory"',
            "memory: not among this scenario's commands",
        ),
        ('shows = "GPU {gpu} Thermal', 'shows = "GPU {gpuu} Thermal', "unknown placeholder 'gpuu'"),
        ('method = ["topology-first",', 'method = ["vibes",', "method: unknown check 'vibes'"),
    ],
)
def test_it_reports_bad_values_in_a_scenario(seeds, old, new, problem):  # noqa: F811
    edit(seeds / "labs" / "thermal-throttling.toml", old, new)
    found = problems(seeds)
    assert any(
        line.startswith(f"{FOLDER}/labs/thermal-throttling.toml: ") and problem in line
        for line in found
    ), found


def test_a_removed_scenario_is_retired_and_comes_back(seeds, db):  # noqa: F811
    text = (seeds / "labs" / "input-pipeline.toml").read_text()
    (seeds / "labs" / "input-pipeline.toml").unlink()
    out = run(seeds)
    assert "retired" in out
    row = LabScenario.objects.get(key="input-pipeline")
    assert row.is_active is False
    (seeds / "labs" / "input-pipeline.toml").write_text(text)
    run(seeds)
    row.refresh_from_db()
    assert row.is_active is True
    assert "no changes" in run(seeds)
