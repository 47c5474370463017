"""Open-source contributions as rubric evidence (tracker.evidence), and the cache bump
both of this app's models share."""

from __future__ import annotations

from django.urls import reverse

from tracker.cache import bump_learner
from tracker.evidence import Evidence
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


def evidence_for(user: User) -> list[Evidence]:
    """A merged pull request is verified evidence: the project's maintainers accepted it
    (anyone can check at its URL). Open ones and issues are shown, not counted. One query."""
    rows = Contribution.objects.owned_by(user).filter(state=Contribution.State.MERGED)
    found = []
    for row in rows:
        for dimension in row.dimensions:
            found.append(
                Evidence(
                    dimension=dimension,
                    title=f"Merged: {row.reference} — {row.title}",
                    url=row.url,
                    kind="contribution",
                    verified=row.is_pull,
                    on=row.merged_on or row.created_at.date(),
                )
            )
    return found


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
