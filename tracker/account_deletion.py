"""Account deletion: the account, every row it owns and its files, in one transaction.

Kept beside the account views (tracker.views.accounts) rather than with export and import:
deleting is about the account, and what else must go with a user (sessions, login
attempts) belongs here too.
"""

from __future__ import annotations

import logging
from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from . import recordings
from .cache import bump_learner
from .models import Assessment, Notification, Submission, SubmissionImage, User

logger = logging.getLogger(__name__)


def _files_of(user: User) -> list[tuple[Any, str]]:
    """(storage, name) of every file the user owns: evidence images, thumbnails, avatar,
    recordings."""
    files = []
    for image in SubmissionImage.objects.filter(submission__learner=user):
        for field in (image.image, image.thumbnail):
            if field.name:
                files.append((field.storage, field.name))
    # An avatar field may be added to User later; whatever file field it is, delete it.
    avatar = getattr(user, "avatar", None)
    name, storage = getattr(avatar, "name", None), getattr(avatar, "storage", None)
    if name and storage is not None:
        files.append((storage, name))
    files += recordings.files_of(user)
    return files


def _delete_files(files: list[tuple[Any, str]]) -> None:
    for storage, name in files:
        try:
            storage.delete(name)
        except OSError:  # the rows are gone already: an orphan file is logged, not fatal
            logger.exception("Could not delete %s of a deleted account", name)


def delete_account(user: User) -> dict[str, int]:
    """Delete the account, every row it owns and its files; return counts per model.

    Comments left on other people's work stay, shown as from a deleted user: the
    foreign keys to the author (SubmissionEvent.actor, AnswerComment.author,
    Assessment.rater, Invite.used_by, Mentorship.ended_by) are SET_NULL. Mentorships
    where the user is mentor or learner cascade, so access ends at once. Files are
    deleted only after the commit: were the transaction rolled back, the rows would
    still point at them. `files` in the result counts the files scheduled for deletion.
    """
    with transaction.atomic():
        User.objects.select_for_update().get(pk=user.pk)  # no image added meanwhile
        files = _files_of(user)
        touched = _learners_touched_by(user)
        account_forget(user)  # login attempts, sessions, others' links to the account
        _, per_model = user.delete()
        transaction.on_commit(lambda: _delete_files(files))
        # Their comments now read "deleted user": the pages that show them, cached
        # under those learners' versions, must render again (update() sends no signal).
        transaction.on_commit(lambda: [bump_learner(pk) for pk in touched])
    return {**per_model, "files": len(files)}


def _learners_touched_by(user: User) -> set[int]:
    """Other learners whose pages show this user: as mentor, commenter or rater."""
    from .models import AnswerComment, Mentorship, SubmissionEvent

    ids = set(Mentorship.objects.filter(mentor=user).values_list("learner_id", flat=True))
    ids |= set(
        SubmissionEvent.objects.filter(actor=user).values_list("submission__learner_id", flat=True)
    )
    ids |= set(
        AnswerComment.objects.filter(author=user).values_list("answer__learner_id", flat=True)
    )
    ids |= set(Assessment.objects.filter(rater=user).values_list("learner_id", flat=True))
    ids.discard(user.pk)
    return ids


def account_forget(user: User) -> None:
    """What deleting `user` must also remove, beyond the rows that cascade from it.

    Called inside the deletion's transaction, before the user row goes (their
    submissions are still there to be named). Login attempts and sessions name the user
    but have no foreign key; other people's notifications keep their text ("Lena
    submitted Milestone 2") but lose links into the deleted account, which would 404.
    """
    name = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=name).delete()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        # Sessions are not indexed by user: read the live ones once (account deletion is
        # rare; expired ones go with `clearsessions`).
        live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_data")
        mine = [
            s.pk
            for s in live.iterator(chunk_size=2000)
            if s.get_decoded().get("_auth_user_id") == str(user.pk)
        ]
        Session.objects.filter(pk__in=mine).delete()
    if user.email:
        # Email tasks, queued or done, hold the address and the text: they go too.
        DBTaskResult.objects.filter(
            task_path="tracker.tasks.deliver_email", args_kwargs__kwargs__to=user.email
        ).delete()
    submissions = Submission.objects.filter(learner=user).values_list("pk", flat=True)
    own_pages = [reverse("milestone", args=[pk]) for pk in submissions]
    Notification.objects.exclude(user=user).filter(
        Q(url__in=own_pages)
        | Q(url__startswith=reverse("mentee", args=[name]))
        | Q(url__startswith=reverse("portfolio", args=[name]))
    ).update(url="")
