"""Any write to content bumps the content version, so cached pages rebuild."""

from __future__ import annotations

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from . import content, models

CONTENT_MODELS = [
    models.Roadmap,
    models.Phase,
    models.Goal,
    models.Resource,
    models.Milestone,
    models.Rubric,
    models.Dimension,
    models.RubricItem,
    models.SkillDomain,
    models.Skill,
    models.Question,
    models.CareerLevel,
    models.SalaryBand,
    models.Background,
    models.Role,
    models.RolePath,
    models.PayRange,
    models.MarketFact,
    models.TechCategory,
    models.HiringProcess,
    models.HiringRound,
]


def _changed(**kwargs) -> None:
    # Now, so this process stops serving the old content; and again at commit, so no
    # request that read the old rows meanwhile keeps them cached.
    content.bump()
    transaction.on_commit(content.bump)


def connect() -> None:
    for model in CONTENT_MODELS:
        post_save.connect(_changed, sender=model, dispatch_uid=f"content-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content-del-{model.__name__}")
    for through in (
        models.Skill.phases.through,
        models.Question.skills.through,
        models.Background.fast_track_phases.through,
        models.Background.credit_goals.through,
    ):
        m2m_changed.connect(_changed, sender=through, dispatch_uid=f"content-m2m-{through}")
