"""Mentoring services: invites, mentorships, notifications (in-app and email), reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from .cache import NOTIFICATIONS, bump_learner
from .mail import send_email
from .models import (
    Answer,
    AnswerComment,
    Assessment,
    EmailKind,
    Invite,
    Mentorship,
    Notification,
    Quality,
    Rating,
    ReminderSent,
    Submission,
    User,
)

REMINDER_DAYS = (7, 14)


def has_active_mentor(learner: User | int) -> bool:
    return Mentorship.objects.active().filter(learner=learner).exists()


def is_mentor_of(user: User, learner: User | int) -> bool:
    return Mentorship.objects.active().mentored_by(user).filter(learner=learner).exists()


def mentors_of(learner: User) -> list[User]:
    return [
        m.mentor for m in Mentorship.objects.active().owned_by(learner).select_related("mentor")
    ]


def notify(
    user: User, kind: str, text: str, url: str = "", about: User | None = None
) -> Notification | None:
    """An in-app notification, and the same by email once the transaction commits.
    Nothing when `user` muted this kind, or `about` (the mentee it concerns)."""
    from .reminders import notification_muted, wants_email

    if notification_muted(user, kind=kind, about=about):
        return None
    note = Notification.objects.create(user=user, kind=kind, text=text[:300], url=url, about=about)
    if user.email:
        # Through the notification, so following the mail marks it read as well.
        link = f"{settings.SITE_URL}{note.get_absolute_url()}"

        def mail() -> None:
            # The preference is read once the write has committed, outside the request's
            # transaction (and its query budget).
            if wants_email(user, EmailKind.NOTIFICATIONS):
                send_email(
                    to=user.email,
                    subject=text,
                    body=f"{text}\n\n{link}\n\nYou can see all your notifications at "
                    f"{settings.SITE_URL}/notifications/",
                    user=user,
                    kind=EmailKind.NOTIFICATIONS,
                )

        transaction.on_commit(mail)
    return note


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def notifications_mark_read(*, user: User, notes: models.QuerySet[Notification]) -> int:
    """Mark `user`'s unread ones among `notes` read now; how many were unread. (One
    UPDATE statement: atomic without a transaction of its own.)"""
    changed = notes.owned_by(user).filter(read_at__isnull=True).update(read_at=timezone.now())
    if changed:
        # The badge is cached under the user's version, and update() sends no signal.
        bump_learner(user.pk, (NOTIFICATIONS,))
    return changed


# --- invites and mentorships ----------------------------------------------------------


def invite_create(*, learner: User) -> Invite:
    return Invite.objects.create(learner=learner)


def invite_revoke(*, invite: Invite) -> None:
    if invite.state == "open":
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


# What a link that no longer works says. Nothing else: not whose invite it was.
INVITE_PROBLEMS = {
    "revoked": "This invite was withdrawn. Ask for a new link.",
    "used": "This invite has been used already. Ask for a new link.",
    "expired": "This invite has expired (links last 14 days). Ask for a new one.",
}


@transaction.atomic
def invite_accept(*, invite: Invite, user: User) -> Mentorship:
    """Accept an invite as `user`, or raise ValidationError saying why not."""
    invite = Invite.objects.select_for_update().select_related("learner").get(pk=invite.pk)
    if invite.learner_id == user.pk:
        raise ValidationError("This is your own invite: send the link to your mentor.")
    if invite.state in INVITE_PROBLEMS:
        raise ValidationError(INVITE_PROBLEMS[invite.state])
    if Mentorship.objects.active().mentored_by(user).filter(learner=invite.learner).exists():
        raise ValidationError(f"You already mentor {invite.learner.shown_name}.")
    active = Mentorship.objects.active().mentored_by(user).count()
    if user.mentor_capacity is not None and active >= user.mentor_capacity:
        raise ValidationError(
            f"You are at your capacity of {user.mentor_capacity} mentees. End a mentorship "
            "or raise your capacity in your settings first."
        )
    invite.used_at = timezone.now()
    invite.used_by = user
    invite.save(update_fields=["used_at", "used_by"])
    try:
        with transaction.atomic():
            mentorship = Mentorship.objects.create(learner=invite.learner, mentor=user)
    except IntegrityError:
        raise ValidationError(f"You already mentor {invite.learner.shown_name}.") from None
    notify(
        invite.learner,
        Notification.Kind.INVITE_ACCEPTED,
        f"{user.shown_name} accepted your invite and is now your mentor.",
        "/mentors/",
    )
    return mentorship


@transaction.atomic
def mentorship_end(*, mentorship: Mentorship, by: User) -> None:
    """End it now: the mentor loses access at once. The history stays."""
    if mentorship.ended_at is not None:
        return
    mentorship.ended_at = timezone.now()
    mentorship.ended_by = by
    mentorship.save(update_fields=["ended_at", "ended_by"])
    if by.pk == mentorship.learner_id:
        notify(
            mentorship.mentor,
            Notification.Kind.MENTORSHIP_ENDED,
            f"{by.shown_name} ended your mentorship: you no longer see their progress.",
            "/mentor/",
            about=by,
        )
    else:
        notify(
            mentorship.learner,
            Notification.Kind.MENTORSHIP_ENDED,
            f"{by.shown_name} ended your mentorship: they no longer see your progress.",
            "/mentors/",
        )


# --- review notifications -------------------------------------------------------------


def _label(submission: Submission) -> str:
    phase = submission.milestone.phase
    return f"Milestone {phase.order} ({phase.title})"


def on_transition(submission: Submission, actor: User, to_state: str, from_state: str) -> None:
    """Tell the other side of the review what just happened, in words of its own."""
    url = submission.get_absolute_url()
    label = _label(submission)
    learner = submission.learner
    if to_state == Submission.State.SUBMITTED:
        # A resubmission answers a request for changes: the mentor should know it is
        # the revised version, not a first look.
        if from_state == Submission.State.CHANGES_REQUESTED:
            kind = Notification.Kind.RESUBMITTED
            text = f"{learner.shown_name} resubmitted {label} with the requested changes."
        else:
            kind = Notification.Kind.REVIEW_WAITING
            text = f"{learner.shown_name} submitted {label} for review."
        for mentor in mentors_of(learner):
            notify(mentor, kind, text, url, about=learner)
    elif to_state == Submission.State.DRAFT and from_state == Submission.State.SUBMITTED:
        for mentor in mentors_of(learner):
            notify(
                mentor,
                Notification.Kind.WITHDRAWN,
                f"{learner.shown_name} took {label} back from review to keep editing.",
                url,
                about=learner,
            )
    elif actor.pk != learner.pk and to_state == Submission.State.CHANGES_REQUESTED:
        notify(
            learner,
            Notification.Kind.CHANGES_REQUESTED,
            f"{actor.shown_name} asked for changes on {label}.",
            url,
        )
    elif actor.pk != learner.pk and to_state == Submission.State.APPROVED:
        notify(learner, Notification.Kind.APPROVED, f"{actor.shown_name} approved {label}.", url)


def on_comment(submission: Submission, author: User) -> None:
    url = submission.get_absolute_url()
    label = _label(submission)
    if author.pk == submission.learner_id:
        for mentor in mentors_of(submission.learner):
            notify(
                mentor,
                Notification.Kind.COMMENT,
                f"{author.shown_name} commented on {label}.",
                url,
                about=submission.learner,
            )
    else:
        notify(
            submission.learner,
            Notification.Kind.COMMENT,
            f"{author.shown_name} commented on your {label}.",
            url,
        )


def on_mentor_score(assessment: Assessment) -> None:
    """A mentor's rubric scores: the learner sees them beside their own."""
    notify(
        assessment.learner,
        Notification.Kind.SCORED,
        f"{assessment.rater.shown_name} scored you on the rubric: see their scores beside yours.",
        "/assessment/",
    )


@transaction.atomic
def answer_comment(*, answer: Answer, author: User, body: str) -> AnswerComment:
    if not body.strip():
        raise ValidationError("Write a comment first.")
    comment = AnswerComment.objects.create(answer=answer, author=author, body=body)
    if author.pk != answer.learner_id:
        question = _shorten(" ".join(answer.question.text.split()), 120)
        notify(
            answer.learner,
            Notification.Kind.ANSWER_COMMENT,
            f"{author.shown_name} commented on your answer to “{question}”",
            f"/practice/{answer.question.key}/",
        )
    return comment


@transaction.atomic
def answer_mentor_rate(
    *, answer: Answer, mentor: User, rating: int, qualities: list[str]
) -> Answer:
    """The mentor's rating of a rated answer, next to the learner's own. It does not move
    the learner's schedule: that follows their own recall. The learner is told."""
    if answer.status != Answer.Status.RATED:
        raise ValidationError("Only answers the learner has rated can be rated.")
    if rating not in Rating.values:
        raise ValidationError("Choose Again, Hard, Good or Easy.")
    answer.mentor_rating = rating
    answer.mentor_qualities = [q for q in Quality.values if q in set(qualities)]
    answer.mentor_rated_by = mentor
    answer.mentor_rated_at = timezone.now()
    answer.save(
        update_fields=["mentor_rating", "mentor_qualities", "mentor_rated_by", "mentor_rated_at"]
    )
    question = _shorten(" ".join(answer.question.text.split()), 120)
    notify(
        answer.learner,
        Notification.Kind.ANSWER_COMMENT,
        f"{mentor.shown_name} rated your answer to “{question}”: {Rating(rating).label}",
        f"/practice/{answer.question.key}/",
    )
    return answer


# --- reminders ------------------------------------------------------------------------


def send_reminders(now: datetime | None = None) -> int:
    """Nudge mentors about submissions waiting 7 and 14 days. Idempotent: each wait of
    each submission is reminded once per threshold, however often this runs."""
    now = now or timezone.now()
    sent = 0
    waiting = Submission.objects.filter(
        state=Submission.State.SUBMITTED,
        submitted_at__lte=now - timedelta(days=min(REMINDER_DAYS)),
        learner__in=Mentorship.objects.active().values("learner_id"),
    ).select_related("learner", "milestone__phase")
    for submission in waiting:
        waited = (now - submission.submitted_at).days
        for days in REMINDER_DAYS:
            if waited < days:
                continue
            with transaction.atomic():
                _, created = ReminderSent.objects.get_or_create(
                    submission=submission, submitted_at=submission.submitted_at, days=days
                )
                if not created:
                    continue
                for mentor in mentors_of(submission.learner):
                    notify(
                        mentor,
                        Notification.Kind.REMINDER,
                        f"{submission.learner.shown_name}'s milestone "
                        f"{submission.milestone.phase.order} has waited {days} days for "
                        "your review.",
                        submission.get_absolute_url(),
                        about=submission.learner,
                    )
                    sent += 1
    return sent
