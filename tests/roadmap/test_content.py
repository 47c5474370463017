"""Invariants of the real seeds/: what the source documents promise is all there."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from roadmap.models import (
    Background,
    CareerLevel,
    Dimension,
    Phase,
    Question,
    Roadmap,
    Rubric,
    RubricItem,
    SalaryBand,
    Skill,
    SkillDomain,
)

pytestmark = pytest.mark.django_db
QUOTED = Path(__file__).parent / "data" / "quoted_questions.txt"


def test_five_phases_with_the_documented_weeks():
    phases = Phase.objects.current()
    assert [p.weeks for p in phases] == [4, 6, 6, 8, 8]
    assert [p.order for p in phases] == [1, 2, 3, 4, 5]
    assert [p.goals.count() for p in phases] == [3, 3, 3, 3, 4]
    assert [p.resources.count() for p in phases] == [3, 3, 3, 4, 4]
    assert all(p.milestones.count() == 1 for p in phases)
    assert all(m.text.startswith("You can") for p in phases for m in p.milestones.all())


def test_every_phase_and_level_has_at_least_three_questions():
    counts = Counter(Question.objects.current().values_list("phase__key", "level"))
    for phase in Phase.objects.current():
        for level in Question.Level.values:
            assert counts[(phase.key, level)] >= 3, (phase.key, level)
    assert Question.objects.current().count() >= 60


def test_every_question_has_three_to_six_key_points_and_a_model_answer():
    for q in Question.objects.current():
        assert 3 <= len(q.key_points) <= 6, q.key
        assert q.model_answer_html.strip(), q.key
        assert q.skills.exists(), q.key


def test_every_question_quoted_in_the_sources_is_present():
    quoted = [line.strip() for line in QUOTED.read_text().splitlines() if line.strip()]
    assert len(quoted) >= 20
    texts = set(Question.objects.current().values_list("text", flat=True))
    missing = [q for q in quoted if q not in texts]
    assert not missing
    assert Question.objects.current().exclude(source="rampup").count() >= len(quoted)


def test_rubric_has_five_dimensions_with_descriptors_at_1_3_5_and_the_rule_as_data():
    rubric = Rubric.objects.current().get()
    dimensions = Dimension.objects.current()
    assert [d.name for d in dimensions] == [
        "Systems Python",
        "Production ML",
        "Infrastructure",
        "Orchestration",
        "Startup Fit",
    ]
    for d in dimensions:
        assert all(d.descriptor(level) for level in (1, 3, 5)), d.key
    assert (rubric.strong_min_score, rubric.strong_min_dimensions) == (3, 4)


def test_recruiter_lists_are_complete():
    kinds = Counter(RubricItem.objects.current().values_list("kind", flat=True))
    assert kinds == {"screen_check": 4, "red_flag": 4, "listen_for": 4, "strong_marker": 4}
    listen = set(RubricItem.objects.filter(kind="listen_for").values_list("key", flat=True))
    assert listen == {"specificity", "trade-off-awareness", "debugging-stories", "systems-thinking"}


def test_skills_in_three_tiers_and_four_domains_each_linked_to_phases_and_a_dimension():
    tiers = Counter(Skill.objects.current().exclude(tier="").values_list("tier", flat=True))
    assert tiers == {"non-negotiable": 5, "highly-valued": 5, "emerging": 3}
    assert SkillDomain.objects.current().count() == 4
    for domain in SkillDomain.objects.current():
        assert domain.skills.count() >= 3, domain.key
    for skill in Skill.objects.current():
        assert skill.phases.exists(), skill.key
        assert skill.dimension_id


def test_career_ladder_and_sourced_salary_bands():
    levels = CareerLevel.objects.current()
    assert levels.count() == 5
    assert all(len(level.responsibilities) == 3 for level in levels)
    assert levels.first().salary_min == 90000
    assert SalaryBand.objects.current().filter(source="000_99e8c9792f2a57c3.txt").count() == 8
    assert not SalaryBand.objects.current().filter(source="").exists()


def test_backgrounds_and_the_roadmap_facts():
    ramp = {
        b.key: (b.ramp_up_min_months, b.ramp_up_max_months) for b in Background.objects.current()
    }
    assert ramp["devops-sre"] == (3, 6)
    assert ramp["backend"] == (6, 12)
    assert "ml-engineering" in ramp
    roadmap = Roadmap.objects.current().get()
    assert (len(roadmap.role_is), len(roadmap.role_is_not)) == (6, 6)
    assert (len(roadmap.fit), len(roadmap.not_fit)) == (3, 3)
    assert len(roadmap.typical_day) == 6
    assert len(roadmap.areas) == 5
    assert roadmap.plan_months == 12
