"""Mentoring services: invites, mentorships, notifications (in-app and email), reminders."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import (
    Answer,
    AnswerComment,
    Invite,
    Mentorship,
    Notification,
    ReminderSent,
    Submission,
    User,
)

REMINDER_DAYS = (7, 14)


def has_active_mentor(learner: User) -> bool:
    return Mentorship.objects.active().filter(learner=learner).exists()


def is_mentor_of(user: User, learner: User) -> bool:
    return (
        user.is_authenticated
        and Mentorship.objects.active().filter(mentor=user, learner=learner).exists()
    )


def mentors_of(learner: User) -> list[User]:
    return [m.mentor for m in Mentorship.objects.active().filter(learner=learner)
            .select_related("mentor")]  # fmt: skip


def notify(user: User, kind: str, text: str, url: str = "") -> Notification:
    """An in-app notification, and the same by email once the transaction commits."""
    note = Notification.objects.create(user=user, kind=kind, text=text[:300], url=url)
    if user.email:
        link = f"{settings.SITE_URL}{url}" if url else settings.SITE_URL
        transaction.on_commit(lambda: send_mail(
            subject=f"Rampup: {text[:80]}",
            message=f"{text}\n\n{link}\n\nYou can see all your notifications at "
                    f"{settings.SITE_URL}/notifications/",
            from_email=None,
            recipient_list=[user.email],
            fail_silently=True,
        ))  # fmt: skip
    return note


# --- invites and mentorships ----------------------------------------------------------


def invite_create(*, learner: User) -> Invite:
    return Invite.objects.create(learner=learner)


def invite_revoke(*, invite: Invite) -> None:
    if invite.state == "open":
        invite.revoked_at = timezone.now()
        invite.save(update_fields=["revoked_at"])


@transaction.atomic
def invite_accept(*, invite: Invite, user: User) -> Mentorship:
    """Accept an invite as `user`, or raise ValidationError saying why not."""
    invite = Invite.objects.select_for_update().select_related("learner").get(pk=invite.pk)
    if invite.learner_id == user.pk:
        raise ValidationError("This is your own invite: send the link to your mentor.")
    problems = {
        "revoked": "This invite was withdrawn. Ask for a new link.",
        "used": "This invite has been used already. Ask for a new link.",
        "expired": "This invite has expired (links last 14 days). Ask for a new one.",
    }
    if invite.state in problems:
        raise ValidationError(problems[invite.state])
    if Mentorship.objects.active().filter(learner=invite.learner, mentor=user).exists():
        raise ValidationError(f"You already mentor {invite.learner.shown_name}.")
    active = Mentorship.objects.active().filter(mentor=user).count()
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
    other = mentorship.mentor if by.pk == mentorship.learner_id else mentorship.learner
    notify(other, Notification.Kind.MENTORSHIP_ENDED,
           f"{by.shown_name} ended the mentorship between {mentorship.mentor.shown_name} "
           f"and {mentorship.learner.shown_name}.",
           "/mentor/" if other.pk == mentorship.mentor_id else "/mentors/")  # fmt: skip


# --- review notifications -------------------------------------------------------------


def on_transition(submission: Submission, actor: User, to_state: str) -> None:
    """Tell the other side of the review what just happened."""
    url = submission.get_absolute_url()
    label = f"Milestone {submission.milestone.phase.order}"
    learner = submission.learner
    if to_state == Submission.State.SUBMITTED:
        for mentor in mentors_of(learner):
            notify(mentor, Notification.Kind.REVIEW_WAITING,
                   f"{learner.shown_name} submitted {label} for review.", url)  # fmt: skip
    elif actor.pk != learner.pk and to_state == Submission.State.CHANGES_REQUESTED:
        notify(learner, Notification.Kind.CHANGES_REQUESTED,
               f"{actor.shown_name} asked for changes on {label}.", url)  # fmt: skip
    elif actor.pk != learner.pk and to_state == Submission.State.APPROVED:
        notify(learner, Notification.Kind.APPROVED,
               f"{actor.shown_name} approved {label}.", url)  # fmt: skip


def on_comment(submission: Submission, author: User) -> None:
    url = submission.get_absolute_url()
    label = f"Milestone {submission.milestone.phase.order}"
    if author.pk == submission.learner_id:
        for mentor in mentors_of(submission.learner):
            notify(mentor, Notification.Kind.COMMENT,
                   f"{author.shown_name} commented on {label}.", url)  # fmt: skip
    else:
        notify(submission.learner, Notification.Kind.COMMENT,
               f"{author.shown_name} commented on {label}.", url)  # fmt: skip


@transaction.atomic
def answer_comment(*, answer: Answer, author: User, body: str) -> AnswerComment:
    if not body.strip():
        raise ValidationError("Write a comment first.")
    comment = AnswerComment.objects.create(answer=answer, author=author, body=body)
    if author.pk != answer.learner_id:
        notify(answer.learner, Notification.Kind.COMMENT,
               f"{author.shown_name} commented on your answer.",
               f"/practice/{answer.question.key}/")  # fmt: skip
    return comment


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
                    notify(mentor, Notification.Kind.REMINDER,
                           f"{submission.learner.shown_name}'s milestone "
                           f"{submission.milestone.phase.order} has waited {days} days for "
                           "your review.", submission.get_absolute_url())  # fmt: skip
                    sent += 1
    return sent
