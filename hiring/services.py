"""Writes of the hiring rounds: start an attempt, screen a resume, save work, judge."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone

from roadmap import content
from roadmap.models import HiringRound, MarketFact
from tracker.images import CleanImage
from tracker.mentoring import notify
from tracker.models import Mentorship, MockInterview, Notification, User
from tracker.practice import interview_start

from . import resume as screen
from . import rounds
from .models import Attempt, AttemptImage, TrialUpdate

INTERVIEW_KINDS = {
    rounds.TECHNICAL: MockInterview.Kind.TECHNICAL_SCREEN,
    rounds.GPU: MockInterview.Kind.GPU_SCREENING,
}


def target_companies() -> list[str]:
    """Company names from the target-company and hiring-company facts (seeds 000, 001)."""
    facts = content.market()["facts"]
    texts = [f.text for f in facts[MarketFact.Kind.TARGET_COMPANY.replace("-", "_")]]
    texts += [f.title for f in facts[MarketFact.Kind.HIRING_COMPANY.replace("-", "_")]]
    return screen.companies_from(texts)


def _outline(round: HiringRound) -> str:
    """A structured answer's skeleton: one heading per thing the round asks."""
    if round.key == rounds.TRIAL:
        heads = ["Deliverable", "Success criteria", "Plan for the 2–4 weeks"]
    else:
        heads = list(round.asks)
    return "\n\n".join(f"## {h}\n" for h in heads)


def _tell_mentors(attempt: Attempt, text: str) -> None:
    """Each active mentor gets a link to run or judge the round as the recruiter."""
    mentorships = Mentorship.objects.active().filter(learner_id=attempt.learner_id)
    for m in mentorships.select_related("mentor"):
        notify(m.mentor, Notification.Kind.REVIEW_WAITING, text, attempt.get_absolute_url())


@transaction.atomic
def attempt_start(*, learner: User, round: HiringRound, spoken: bool = False) -> Attempt:
    """Start a rehearsal of `round`; a screen runs as a timed mock interview, answered out
    loud (one recording per question) when `spoken`."""
    now = timezone.now()
    attempt = Attempt(learner=learner, round=round, started_at=now)
    if round.key in (rounds.TAKE_HOME, rounds.SCALE, rounds.TRIAL):
        attempt.document = _outline(round)
    if round.key in INTERVIEW_KINDS:
        attempt.interview = interview_start(
            user=learner, kind=INTERVIEW_KINDS[round.key], now=now, spoken=spoken
        )
        attempt.deadline = attempt.interview.deadline
    elif round.key in rounds.TIMED:
        attempt.deadline = now + timedelta(minutes=rounds.TIMED[round.key])
    attempt.save()
    _tell_mentors(attempt, f"{learner.shown_name} started a {round.title.lower()}: run it live")
    return attempt


@transaction.atomic
def resume_screen(*, learner: User, round: HiringRound, text: str, filename: str = "") -> Attempt:
    """Screen `text` and keep it as an attempt judged by the rules (not by a person)."""
    findings = screen.screen(text, companies=target_companies())
    ok = screen.passes(findings)
    attempt = Attempt.objects.create(
        learner=learner,
        round=round,
        resume=text,
        resume_file=filename[:200],
        checks=screen.as_data(findings),
        outcome=Attempt.Outcome.PASS if ok else Attempt.Outcome.NOT_YET,
        reasons=[f.why for f in findings if not f.ok],
        judged_at=timezone.now(),
    )
    _tell_mentors(attempt, f"{learner.shown_name} screened a resume: read it as a recruiter")
    return attempt


def attempt_save_work(
    *,
    attempt: Attempt,
    document: str | None,
    worksheet: dict | None,
    images: list[CleanImage] = (),
    remove_images: list[int] = (),
) -> None:
    """Save the document and the worksheet, and add or remove the take-home's diagrams
    (already cleaned by tracker.images), all in one transaction. A file written for a
    diagram whose row is not saved is deleted again; a removed diagram's files go once
    the transaction commits (hiring.apps: AttemptImage's post_delete)."""
    fields = []
    if document is not None:
        attempt.document = document
        fields += ["document", "document_html"]
    if worksheet is not None:
        attempt.worksheet = worksheet
        fields.append("worksheet")
    written: list[str] = []
    try:
        with transaction.atomic():
            if fields:
                attempt.save(update_fields=fields)
            if not (images or remove_images):
                return
            # Lock the attempt: two uploads side by side must not pass the cap together.
            Attempt.objects.select_for_update().filter(pk=attempt.pk).first()
            for image in AttemptImage.objects.filter(attempt=attempt, pk__in=list(remove_images)):
                image.delete()
            kept = AttemptImage.objects.filter(attempt=attempt).count()
            if kept + len(images) > AttemptImage.MAX_PER_ATTEMPT:
                raise ValidationError(
                    f"A take-home holds at most {AttemptImage.MAX_PER_ATTEMPT} diagrams; "
                    f"it has {kept}. Remove some first."
                )
            for clean in images:
                row = AttemptImage(attempt=attempt, width=clean.width, height=clean.height)
                clean.write_to(row, "diagram", written)
                row.save()
    except Exception:
        for name in written:
            default_storage.delete(name)
        raise


def delete_files_on_commit(sender, instance: AttemptImage, **kwargs) -> None:
    """A diagram's files go once its row is gone for good: removed by its owner, or with
    the attempt or the account (connected to post_delete in hiring.apps)."""
    storage = instance.image.storage
    names = [n for n in (instance.image.name, instance.thumbnail.name) if n]
    transaction.on_commit(lambda: [storage.delete(n) for n in names])


def judgement_reasons(
    criteria: list[tuple[str, str]], ticked: list[str], ratings: dict[str, int]
) -> list[str]:
    """The reasons of a judgement: the criteria not shown, and ratings under 3."""
    labels = dict(criteria)
    reasons = [f"Not shown: {labels[k]}" for k, _ in criteria if k not in ticked]
    reasons += [
        f"{name.replace('_', ' ').capitalize()} rated {value} of 5"
        for name, value in ratings.items()
        if value < 3
    ]
    return reasons


def attempt_judge(
    *,
    attempt: Attempt,
    judge: User,
    outcome: str,
    ticked: list[str],
    criteria: list[tuple[str, str]],
    ratings: dict[str, int],
    comment: str,
) -> Attempt:
    """Record pass / not yet. The reasons are the criteria not shown (and low ratings),
    so "not yet" always says what to work on; a pass keeps them as what to polish."""
    reasons = judgement_reasons(criteria, ticked, ratings)
    attempt.qualities = [k for k, _ in criteria if k in ticked]
    attempt.ratings = ratings
    attempt.outcome = outcome
    attempt.reasons = reasons
    attempt.comment = comment
    attempt.judged_by = judge
    attempt.judged_at = timezone.now()
    attempt.save(
        update_fields=[
            "qualities", "ratings", "outcome", "reasons", "comment", "judged_by", "judged_at",
        ]
    )  # fmt: skip
    if attempt.interview_id and attempt.interview.finished_at is None:
        MockInterview.objects.filter(pk=attempt.interview_id).update(finished_at=attempt.judged_at)
    return attempt


def trial_update_add(*, attempt: Attempt, body: str) -> TrialUpdate:
    return TrialUpdate.objects.create(attempt=attempt, body=body)
