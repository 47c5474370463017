"""A version per learner that every write to their data bumps.

Pages that derive a lot from a learner's rows (the dashboard's progress, streak and
burn-up; a phase page's rows; the study log) cache their rendered fragments under
this version, the content version and the learner's today, so they are rebuilt
exactly when something they show may have changed.
"""

from __future__ import annotations

from collections.abc import Sequence
from operator import attrgetter
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

# How long a rendered fragment is kept: keys change with the data, so this only bounds
# how long an unused one takes memory (the {% fragment %} tag uses it too).
FRAGMENT_TIMEOUT = settings.FRAGMENT_CACHE_TIMEOUT


def _key(learner_id: int) -> str:
    return f"learner:{learner_id}:version"


def learner_version(learner_id: int) -> str:
    current = cache.get(_key(learner_id))
    if current is None:
        fresh = uuid4().hex
        cache.add(_key(learner_id), fresh, None)
        # With the cache down the read-back misses too: a fresh version each time, so
        # nothing cached under an old one is ever served.
        current = cache.get(_key(learner_id)) or fresh
    return current


def learner_versions(learner_ids: list[int]) -> list[str]:
    """The versions of many learners in one cache round trip (a mentor's mentees)."""
    keys = [_key(i) for i in learner_ids]
    found = cache.get_many(keys)
    return [found.get(k) or learner_version(i) for k, i in zip(keys, learner_ids, strict=True)]


def fragment_key(*parts: object, learners: Sequence[int]) -> str:
    """The one recipe for a rendered fragment's cache key: the data version of every
    learner whose rows it shows, the content version, and whatever else it varies by
    (the learner's today, the viewer's time zone, filters). Used with {% fragment %}."""
    from roadmap import content

    return ":".join(str(p) for p in (*learner_versions(list(learners)), content.version(), *parts))


def bump_learner(learner_id: int | None) -> None:
    if learner_id is not None:
        cache.set(_key(learner_id), uuid4().hex, None)


def _owners() -> dict[type, str]:
    """Whose pages each model's rows show: the learner whose data version a write to
    that model bumps, as the path from a row to their id. New learner data goes here."""
    from . import models as m

    owners = dict.fromkeys(
        (
            m.Plan,
            m.ItemProgress,
            m.Submission,
            m.StudyLog,
            m.Card,
            m.Answer,
            m.Review,
            m.MockInterview,
            m.Assessment,
            m.ScreenAnswer,
        ),
        "learner_id",
    )
    owners.update(
        {
            m.User: "pk",  # caps, time zone, name: shown in cached fragments
            m.ItemLink: "progress.learner_id",
            m.SubmissionLink: "submission.learner_id",
            m.SubmissionImage: "submission.learner_id",
            m.SubmissionEvent: "submission.learner_id",
            m.Score: "assessment.learner_id",
            m.AnswerComment: "answer.learner_id",
            m.Notification: "user_id",
        }
    )
    return owners


def _owner(instance) -> int | None:
    try:
        return attrgetter(_owners()[type(instance)])(instance)
    except AttributeError:  # a related row already gone (Django's DoesNotExist is one too)
        return None


# User fields no page shows: a login saves last_login (and may rehash the password),
# which must not throw away the user's and every mentee's cached fragments.
UNSHOWN_USER_FIELDS = frozenset({"last_login", "password"})


def _changed(sender, instance, update_fields=None, **kwargs) -> None:
    from .models import Mentorship, User

    if isinstance(instance, User) and update_fields and update_fields <= UNSHOWN_USER_FIELDS:
        return
    learner_id = _owner(instance)
    bump_learner(learner_id)

    if isinstance(instance, User):
        # A mentor's name shows on their mentees' pages: those render again too.
        for mentee in Mentorship.objects.filter(mentor=instance).values_list(
            "learner_id", flat=True
        ):
            bump_learner(mentee)
    # Again at commit: a request that read the old rows meanwhile must not keep them.
    transaction.on_commit(lambda: bump_learner(learner_id))


def connect() -> None:
    for model in _owners():
        post_save.connect(_changed, sender=model, dispatch_uid=f"learner-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"learner-del-{model.__name__}")


def unread_notifications(user) -> int:
    """The badge count, cached under the user's version (a notification bumps it)."""
    from .models import Notification

    key = f"unread:{user.pk}:{learner_version(user.pk)}"
    count = cache.get(key)
    if count is None:
        count = Notification.objects.visible_to(user).unread().count()
        cache.set(key, count, FRAGMENT_TIMEOUT)
    return count
