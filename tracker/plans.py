"""The learner's plan and the work in it: creating or changing the plan (with credits
from a background), status, notes and links on goals and resources, the study log.

Each write is keyword-only and atomic: a learner never sees half of a change.
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from roadmap.models import Background, Goal, Phase, Resource, Roadmap

from .models import (
    ItemLink,
    ItemProgress,
    ItemStatus,
    Plan,
    StudyLog,
    User,
)
from .trust import credit_reset


@transaction.atomic
def plan_save(
    *,
    learner: User,
    roadmap: Roadmap,
    start_date: date,
    months: int,
    background: Background | None,
    weekly_hours: int,
    credits: dict[Goal, str] | None = None,
) -> Plan:
    """Create or edit the plan; credit the goals the learner already knows, with evidence.

    Phase dates are derived from the plan, so editing it keeps every bit of progress.
    """
    plan, _ = Plan.objects.update_or_create(
        learner=learner,
        defaults={
            "roadmap": roadmap,
            "start_date": start_date,
            "months": months,
            "background": background,
            "weekly_hours": weekly_hours,
        },
    )
    for goal, evidence in (credits or {}).items():
        item_set_status(learner=learner, item=goal, status=ItemStatus.CREDITED, evidence=evidence)
    return plan


def _progress_for(learner: User, item: Goal | Resource) -> ItemProgress:
    field = "goal" if isinstance(item, Goal) else "resource"
    progress, _ = ItemProgress.objects.get_or_create(learner=learner, **{field: item})
    return progress


@transaction.atomic
def item_set_status(
    *, learner: User, item: Goal | Resource, status: str, evidence: str = ""
) -> ItemProgress:
    if status not in ItemStatus.values:
        raise ValidationError(f"Unknown status “{status}”.")
    evidence = evidence.strip()
    if status == ItemStatus.CREDITED and not evidence:
        raise ValidationError("Say in one line how you already know this.")
    progress = _progress_for(learner, item)
    was_counted = progress.status in {ItemStatus.DONE, ItemStatus.CREDITED}
    if progress.status != status or (
        status == ItemStatus.CREDITED and evidence != progress.credit_evidence
    ):
        credit_reset(progress)  # a mentor reviewed the credit as it was, not this one
    progress.status = status
    if status == ItemStatus.CREDITED:
        progress.credit_evidence = evidence
    if status in {ItemStatus.DONE, ItemStatus.CREDITED}:
        if not was_counted:
            progress.completed_at = timezone.now()
    else:
        progress.completed_at = None
    progress.save()
    return progress


def item_save_note(*, learner: User, item: Goal | Resource, note: str) -> ItemProgress:
    progress = _progress_for(learner, item)
    progress.note = note
    progress.save(update_fields=["note", "updated_at"])  # the model renders note_html
    return progress


def item_add_link(*, learner: User, item: Goal | Resource, title: str, url: str) -> ItemLink:
    with transaction.atomic():
        return ItemLink.objects.create(progress=_progress_for(learner, item), title=title, url=url)


def studylog_add(
    *, learner: User, day: date, minutes: int, phase: Phase | None, what: str
) -> StudyLog:
    return StudyLog.objects.create(
        learner=learner, date=day, minutes=minutes, phase=phase, what=what
    )
