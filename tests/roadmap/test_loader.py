"""load_roadmap: validation of every error kind, nothing written on error, idempotency,
retirement instead of deletion."""

from __future__ import annotations

import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from roadmap.models import Goal, Phase, Question, Roadmap

SEEDS = settings.SEEDS_DIR / settings.ROADMAP_KEY
FOLDER = settings.ROADMAP_KEY


@pytest.fixture
def seeds(tmp_path) -> Path:
    """A private copy of the real seeds folder to break on purpose."""
    target = tmp_path / settings.ROADMAP_KEY
    shutil.copytree(SEEDS, target)
    return target


def run(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("load_roadmap", str(path), *args, stdout=out, stderr=out)
    return out.getvalue()


def problems(path: Path) -> list[str]:
    err = StringIO()
    with pytest.raises(CommandError, match="nothing was written"):
        call_command("load_roadmap", str(path), stdout=StringIO(), stderr=err)
    return err.getvalue().splitlines()


def edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, count))


def test_the_real_seeds_are_valid():
    out = StringIO()
    call_command("load_roadmap", "--check", stdout=out)
    assert "1 roadmap(s) valid" in out.getvalue()


def test_a_second_run_says_no_changes(db):
    out = run(settings.SEEDS_DIR)
    assert "no changes" in out


def test_it_reports_invalid_toml_with_the_file(seeds):
    (seeds / "rubric.toml").write_text("key = \n")
    found = problems(seeds)
    assert found[0].startswith(f"{FOLDER}/rubric.toml: -: invalid TOML:")


def test_it_reports_unknown_and_missing_fields(seeds):
    edit(seeds / "phases.toml", "weeks = 4", "wekes = 4")
    found = problems(seeds)
    assert f"{FOLDER}/phases.toml: foundations: unknown field 'wekes'" in found
    assert f"{FOLDER}/phases.toml: foundations: missing field 'weeks'" in found


def test_it_reports_duplicate_keys(seeds):
    text = (seeds / "phases.toml").read_text()
    first_goal = re.search(r'\[\[phases\.goals\]\]\nkey = "([^"]+)"', text).group(1)
    second = re.findall(r'\[\[phases\.goals\]\]\nkey = "([^"]+)"', text)[1]
    edit(seeds / "phases.toml", f'key = "{second}"', f'key = "{first_goal}"')
    assert f"{FOLDER}/phases.toml: {first_goal}: duplicate key in goals (2 times)" in problems(
        seeds
    )


def test_it_reports_dangling_references(seeds):
    path = next((seeds / "questions").glob("*.toml"))
    key = re.search(r'key = "([^"]+)"', path.read_text()).group(1)
    edit(path, 'dimension = "', 'dimension = "nope-', 1)
    found = problems(seeds)
    assert any(
        p.startswith(f"{FOLDER}/questions/{path.name}: {key}: unknown dimension 'nope-")
        for p in found
    ), found


def test_it_reports_levels_out_of_range(seeds):
    edit(seeds / "rubric.toml", "5 = ", "7 = ")
    edit(seeds / "phases.toml", "weeks = 4", "weeks = 0")
    path = next((seeds / "questions").glob("*.toml"))
    edit(path, 'level = "', 'level = "expert-', 1)
    found = problems(seeds)
    assert f"{FOLDER}/rubric.toml: systems-python: descriptor level 7 out of range 1..5" in found
    assert f"{FOLDER}/rubric.toml: systems-python: missing descriptor for level 5" in found
    assert f"{FOLDER}/phases.toml: foundations: field 'weeks' is 0, out of range 1..52" in found
    assert any(
        "field 'level' is 'expert-" in p and "expected one of: fundamentals" in p for p in found
    )


def test_it_lists_every_problem_not_just_the_first(seeds):
    edit(seeds / "phases.toml", "weeks = 4", "weeks = 0")
    edit(seeds / "skills.toml", 'dimension = "', 'dimension = "nope-', 1)
    (seeds / "career.toml").write_text('[[levels]]\nkey = "Bad Key"\n')
    found = problems(seeds)
    assert len(found) >= 5
    assert any("key 'Bad Key' is not a slug" in p for p in found)


def test_it_writes_nothing_when_any_file_is_wrong(seeds, db):
    phase = Phase.objects.get(key="foundations")
    edit(seeds / "phases.toml", f'title = "{phase.title}"', 'title = "Renamed"')
    edit(seeds / "rubric.toml", "5 = ", "7 = ")
    problems(seeds)
    phase.refresh_from_db()
    assert phase.title != "Renamed"


def test_check_validates_without_writing(seeds, db):
    phase = Phase.objects.get(key="foundations")
    edit(seeds / "phases.toml", f'title = "{phase.title}"', 'title = "Renamed"')
    assert "valid" in run(seeds, "--check")
    phase.refresh_from_db()
    assert phase.title != "Renamed"


def test_it_upserts_by_key_and_counts_the_update(seeds, db):
    phase = Phase.objects.get(key="foundations")
    before = Phase.objects.count()
    edit(seeds / "phases.toml", f'title = "{phase.title}"', 'title = "Renamed"')
    out = run(seeds)
    assert "1 updated" in out and "0 created" in out
    phase.refresh_from_db()
    assert phase.title == "Renamed"
    assert Phase.objects.count() == before


def test_a_removed_item_is_retired_not_deleted_and_comes_back(seeds, db):
    credited = (seeds / "backgrounds.toml").read_text()
    goal = next(
        g
        for g in Goal.objects.current().select_related("phase")
        if f"{g.phase.key}/{g.key}" not in credited
    )
    text = (seeds / "phases.toml").read_text()
    block = re.search(
        r'\[\[phases\.goals\]\]\nkey = "' + goal.key + r'"\ntitle = "[^"]*"\n', text
    ).group(0)
    (seeds / "phases.toml").write_text(text.replace(block, ""))
    out = run(seeds)
    assert "1 retired" in out
    goal.refresh_from_db()
    assert goal.is_active is False
    assert not Goal.objects.current().filter(pk=goal.pk).exists()

    (seeds / "phases.toml").write_text(text)
    run(seeds)
    goal.refresh_from_db()
    assert goal.is_active is True


def test_it_loads_into_an_empty_database_and_reports_created(db):
    Question.skills.through.objects.all().delete()
    from roadmap import models as m

    for model in (
        m.LabScenario,
        m.HiringRound,
        m.HiringProcess,
        m.TechCategory,
        m.MarketFact,
        m.PayRange,
        m.RolePath,
        m.Role,
        m.Background,
        m.Question,
        m.Skill,
        m.SkillDomain,
        m.RubricItem,
        m.Dimension,
        m.Rubric,
        m.Milestone,
        m.Resource,
        m.Goal,
        m.SalaryBand,
        m.CareerLevel,
        m.Phase,
        m.Roadmap,
    ):
        model.objects.all().delete()
    out = run(settings.SEEDS_DIR)
    assert "0 updated, 0 retired, 0 unchanged" in out
    assert Roadmap.objects.count() == 1
    assert "no changes" in run(settings.SEEDS_DIR)


def test_a_broken_roles_file_is_reported_as_file_key_problem(seeds):
    edit(seeds / "roles.toml", 'role = "ai-infrastructure-engineer"', 'role = "astronaut"')
    edit(seeds / "roles.toml", 'focus = "Model deployment', 'fokus = "Model deployment')
    edit(seeds / "market.toml", 'period = "year"', 'period = "decade"')
    edit(seeds / "market.toml", 'key = "remote-pay-gap"', 'key = "remote-share"')
    edit(seeds / "hiring.toml", 'length = "5 min"', "length = 5")
    edit(seeds / "hiring.toml", 'kind = "advice"', 'kind = "gossip"')
    found = problems(seeds)
    assert (
        f"{FOLDER}/roles.toml: devops-sre-to-ai-infrastructure: unknown role 'astronaut'" in found
    )
    assert f"{FOLDER}/roles.toml: mlops-engineer: unknown field 'fokus'" in found
    assert f"{FOLDER}/roles.toml: mlops-engineer: missing field 'focus'" in found
    assert any(
        p.startswith(f"{FOLDER}/market.toml: big-tech: field 'period' is 'decade'") for p in found
    )
    assert f"{FOLDER}/market.toml: remote-share: duplicate key in facts (2 times)" in found
    assert f"{FOLDER}/hiring.toml: resume-screen: field 'length' must be a string" in found
    assert any(
        p.startswith(f"{FOLDER}/hiring.toml: get-found-not-posted: field 'kind' is 'gossip'")
        for p in found
    )


def test_a_fact_key_is_unique_across_the_three_files(seeds):
    edit(seeds / "hiring.toml", 'key = "competing-offers"', 'key = "remote-share"')
    assert (
        f"{FOLDER}/hiring.toml: remote-share: duplicate fact key (also in market.toml)"
        in problems(seeds)
    )


def test_a_pay_range_needs_its_currency_and_period(seeds):
    text = (seeds / "market.toml").read_text()
    cto = text.index('key = "cto-ai-startup"')
    (seeds / "market.toml").write_text(
        text[:cto]
        + text[cto:].replace('kind = "senior-path"', 'kind = "senior-path"\nsalary_min = 1', 1)
    )
    assert (
        f"{FOLDER}/market.toml: cto-ai-startup: a pay range needs its currency and period"
        in problems(seeds)
    )


def test_a_removed_round_and_fact_are_retired_and_a_rerun_changes_nothing(seeds, db):
    from roadmap.models import HiringRound, MarketFact

    text = (seeds / "hiring.toml").read_text()
    start = text.index('[[processes.rounds]]\nkey = "trial-project"')
    end = text.index("[[processes]]", start)
    fact = text.index('[[facts]]\nkey = "side-work-counts"')
    fact_end = text.index("[[facts]]", fact + 1)
    (seeds / "hiring.toml").write_text(text[:start] + text[end:fact] + text[fact_end:])
    # The rubric names the trial project as a round that shows Startup Fit: not any more.
    rubric = (seeds / "rubric.toml").read_text()
    edit(seeds / "rubric.toml", '  "recruiter-screen/trial-project",\n', "")
    out = run(seeds)
    assert "hiring rounds: 0 created, 0 updated, 1 retired" in out
    # The facts after it move up one place (their order is updated).
    assert re.search(r"market facts: 0 created, \d+ updated, 1 retired", out)
    trial = HiringRound.objects.get(key="trial-project")
    assert trial.is_active is False
    assert not MarketFact.objects.current().filter(key="side-work-counts").exists()
    assert "no changes" in run(seeds)

    (seeds / "hiring.toml").write_text(text)
    (seeds / "rubric.toml").write_text(rubric)
    run(seeds)
    trial.refresh_from_db()
    assert trial.is_active is True


def test_a_market_fact_must_come_from_one_of_the_five_documents(seeds):
    edit(seeds / "market.toml", 'source = "001_1be50ca8a5595062.txt"', 'source = "rampup"')
    found = problems(seeds)
    assert any(
        p.startswith(f"{FOLDER}/market.toml: big-tech: field 'source' is 'rampup'") for p in found
    )


def test_it_reports_unknown_keys_in_what_builds_a_dimension(seeds):
    edit(seeds / "rubric.toml", '"ml-platform-serving/ml-pipeline"', '"ml-platform-serving/nope"')
    edit(seeds / "rubric.toml", '"mlops-tools"', '"no-skill"')
    edit(seeds / "rubric.toml", '"silent-cron-job-failure"', '"no-question"')
    edit(seeds / "rubric.toml", '"ml-platform-serving/kubeflow-docs"', '"foundations/nope"')
    found = problems(seeds)
    prefix = f"{FOLDER}/rubric.toml: orchestration: builds:"
    assert f"{prefix} unknown goal 'ml-platform-serving/nope'" in found
    assert f"{prefix} unknown skill 'no-skill'" in found
    assert f"{prefix} unknown question 'no-question'" in found
    assert f"{prefix} unknown resource 'foundations/nope'" in found


def test_it_reports_an_unknown_hiring_round_in_what_builds_a_dimension(seeds):
    edit(seeds / "rubric.toml", '"recruiter-screen/trial-project"', '"recruiter-screen/nope"')
    found = problems(seeds)
    assert (
        f"{FOLDER}/rubric.toml: startup-fit: builds: unknown hiring round 'recruiter-screen/nope'"
        in found
    )


def test_what_builds_a_dimension_is_stored(db):
    from roadmap.models import Dimension

    builds = Dimension.objects.get(key="orchestration").builds
    assert "ml-platform-serving/ml-pipeline" in builds["goals"]
    assert builds["resources"] == ["ml-platform-serving/kubeflow-docs"]
