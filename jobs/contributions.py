"""Open-source contributions as rubric evidence (tracker.evidence), and the cache bump
both of this app's models share."""

from __future__ import annotations

import json

from django.db.models import F, TextField
from django.db.models.functions import Cast
from django.urls import reverse

from tracker.cache import bump_learner
from tracker.evidence import Evidence, Row, Source, columns
from tracker.models import User

from .models import Contribution

# The projects seed 003 names (its landscape and its "where candidates come from"):
# suggested in the form, never required.
PROJECTS = (
    "vLLM",
    "Ray",
    "DeepSpeed",
    "Triton",
    "SGLang",
    "NCCL",
    "Kubeflow",
    "Megatron-LM",
    "KServe",
    "SkyPilot",
)


def bump(sender, instance, **kwargs) -> None:
    bump_learner(instance.learner_id)


def _rows(user: User):
    return columns(
        Contribution.objects.owned_by(user).filter(state=Contribution.State.MERGED),
        "contribution",
        key=F("url"),
        title=F("title"),
        text=Cast("dimensions", TextField()),
        at=F("created_at"),
        on=F("merged_on"),
    )


def _build(rows: list[Row]) -> list[Evidence]:
    """A merged pull request is verified evidence: the project's maintainers accepted it
    (anyone can check at its URL). Open ones and issues are shown, not counted."""
    found = []
    for row in sorted(rows, key=lambda r: (r.at, r.pk), reverse=True):
        shown = Contribution(url=row.key, title=row.title)
        for dimension in json.loads(row.text or "[]"):
            found.append(
                Evidence(
                    dimension=dimension,
                    title=f"Merged: {shown.reference} — {row.title}",
                    url=row.key,
                    kind="contribution",
                    verified=shown.is_pull,
                    on=row.on or row.at.date(),
                )
            )
    return found


# A provider (tracker.evidence): its rows come in the one query of every source's.
evidence_for = Source("contribution", _rows, _build)


def merged(user: User) -> list[Contribution]:
    return list(Contribution.objects.owned_by(user).filter(state=Contribution.State.MERGED))


def contributions_url() -> str:
    return reverse("jobs:contributions")


def resume_bullets(*, approved, contributions: list[Contribution]) -> list[str]:
    """Plain-text bullets, "Built …, measured …", from approved milestones and merged
    contributions, for the learner to paste into a resume or LinkedIn."""
    lines = []
    for submission in approved:
        milestone = submission.milestone.text.rstrip(".")
        built = milestone[len("You can ") :] if milestone.startswith("You can ") else milestone
        line = f"Built and showed: {built[0].lower()}{built[1:]}" if built else "Built"
        links = [link.url for link in submission.links.all()][:1]
        if links:
            line += f" ({links[0]})"
        lines.append(f"• {line}.")
    for row in contributions:
        kind = "pull request" if row.is_pull else "issue"
        line = f"• Contributed a merged {kind} to {row.project}: {row.title}"
        if row.impact:
            line += f", measured {row.impact}"
        lines.append(f"{line} ({row.url}).")
    return lines
