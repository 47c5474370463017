"""What a recruiter may trust: scores and credits someone else vouched for.

- The readiness verdict takes the mentor's score where a mentor scored a dimension
  (their latest sitting), the learner's own elsewhere, and says which it took.
- "Mentor-confirmed" is shown only where the mentor's score is at least the learner's:
  a mentor who scored lower did not confirm anything.
- A mentor confirms or questions each goal the learner credited from prior experience;
  a credit nobody confirmed is labelled so on the portfolio. A changed credit (its
  status or its evidence) needs a new review.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from roadmap.models import Dimension, Rubric

from .assessment import Verdict, verdict
from .models import ItemProgress, ItemStatus, User


@dataclass(frozen=True)
class TrustedVerdict:
    verdict: Verdict
    scores: dict[int, int]  # dimension id -> the score the verdict used
    by_mentor: list[Dimension]  # the dimensions where the mentor's score stood in


def mentor_confirmed(self_score: int | None, mentor_score: int | None) -> bool:
    """A mentor confirms a self-score only by scoring it at least as high."""
    return self_score is not None and mentor_score is not None and mentor_score >= self_score


def trusted_verdict(rubric: Rubric, own: dict[int, int], mentor: dict[int, int]) -> TrustedVerdict:
    """The verdict on the mentor's score where there is one, the learner's elsewhere."""
    scores = {**own, **mentor}
    by_mentor = [d for d in rubric.dimensions.all() if d.pk in mentor]
    return TrustedVerdict(verdict(rubric, scores), scores, by_mentor)


class CreditReview:
    CONFIRMED = "confirmed"
    QUESTIONED = "questioned"
    CHOICES = [("", "Not reviewed"), (CONFIRMED, "Confirmed"), (QUESTIONED, "Questioned")]


@transaction.atomic
def credit_review(*, mentor: User, progress: ItemProgress, decision: str) -> ItemProgress:
    """The mentor's word on one credited goal. `progress` must come through the mentor's
    `visible_to` (the view checks), and be a credit."""
    if decision not in (CreditReview.CONFIRMED, CreditReview.QUESTIONED):
        raise ValidationError("Confirm or question the credit.")
    if progress.status != ItemStatus.CREDITED or progress.learner_id == mentor.pk:
        raise ValidationError("Only a mentee's credited goal can be reviewed.")
    progress.credit_review = decision
    progress.credit_reviewed_by = mentor
    progress.credit_reviewed_at = timezone.now()
    progress.save(
        update_fields=["credit_review", "credit_reviewed_by", "credit_reviewed_at", "updated_at"]
    )
    return progress


def credit_reset(progress: ItemProgress) -> None:
    """A credit that changed is no longer the one the mentor reviewed."""
    progress.credit_review = ""
    progress.credit_reviewed_by = None
    progress.credit_reviewed_at = None
