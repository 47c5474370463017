"""Data versions per learner and area, which the writes to that area bump.

Pages that derive a lot from a learner's rows (the dashboard's progress, streak and
burn-up; a phase page's rows; the study log) cache their rendered fragments under the
versions of the areas they show, the content version and the learner's today, so they
are rebuilt exactly when something they show may have changed — and only then: a
practice rating bumps `practice`, so the dashboard's progress fragment (keyed by
`progress`) stays. Every cache key for learner data is built here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from operator import attrgetter
from typing import Any
from uuid import uuid4

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from .prepared import Prepared

# How long a rendered fragment is kept: keys change with the data, so this only bounds
# how long an unused one takes memory (the {% fragment %} tag uses it too).
FRAGMENT_TIMEOUT = settings.FRAGMENT_CACHE_TIMEOUT

# What a learner's pages show, by the rows behind it. A page keys its fragment by the
# areas it shows; a write bumps the areas of the rows it changes (`_owners`).
PROGRESS = "progress"  # plan items, milestones and their submissions
PRACTICE = "practice"  # cards, answers, reviews, mock interviews
LOG = "log"  # the study log
ASSESSMENT = "assessment"  # rubric scores, the resume screen
PROFILE = "profile"  # name, time zone, caps: shown on every page, so in every key
NOTIFICATIONS = "notifications"  # the badge and the list
AREAS = (PROGRESS, PRACTICE, LOG, ASSESSMENT, PROFILE, NOTIFICATIONS)
# What pages about a learner show others (the portfolio, a mentor's view): all but the inbox.
SHOWN_TO_ALL = (PROGRESS, PRACTICE, LOG, ASSESSMENT)


def _key(learner_id: int, area: str) -> str:
    return f"learner:{learner_id}:{area}:version"


def versions(learner_ids: Sequence[int], areas: Iterable[str] = AREAS) -> list[str]:
    """Each learner's versions of `areas`, joined, in one cache round trip (plus one per
    version never set, e.g. after an eviction)."""
    areas = tuple(areas)
    keys = [_key(i, a) for i in learner_ids for a in areas]
    found = cache.get_many(keys)
    for key in keys:
        if key not in found:
            fresh = uuid4().hex
            cache.add(key, fresh, None)
            # With the cache down the read-back misses too: a fresh version each time, so
            # nothing cached under an old one is ever served.
            found[key] = cache.get(key) or fresh
    step = len(areas)
    return ["-".join(found[k] for k in keys[n : n + step]) for n in range(0, len(keys), step)]


def learner_version(learner_id: int, areas: Iterable[str] = AREAS) -> str:
    return versions([learner_id], areas)[0]


def learner_versions(learner_ids: list[int], areas: Iterable[str] = AREAS) -> list[str]:
    """The versions of many learners in one cache round trip (a mentor's mentees)."""
    return versions(learner_ids, areas)


def fragment_key(
    *parts: object,
    learners: Sequence[int],
    areas: Iterable[str] = AREAS,
    viewer: int | None = None,
) -> str:
    """The one recipe for a rendered fragment's cache key: the versions of the `areas`
    (and always the profile) of every learner whose rows it shows, the viewer's profile
    when it shows who is looking, the content version, and whatever else it varies by
    (the learner's today, the viewer's time zone, filters). Used with {% fragment %}."""
    return fragment_keys(*parts, learners=learners, groups={"": areas}, viewer=viewer)[""]


def fragment_keys(
    *parts: object,
    learners: Sequence[int],
    groups: dict[str, Iterable[str]],
    viewer: int | None = None,
) -> dict[str, str]:
    """`fragment_key` for several fragments of one page, each showing its own `areas`
    (name -> areas): one cache round trip for all of them."""
    from roadmap import content

    wanted = tuple(dict.fromkeys(a for areas in groups.values() for a in (*areas, PROFILE)))
    per_learner = [v.split("-") for v in versions(learners, wanted)]
    found = {a: [v[n] for v in per_learner] for n, a in enumerate(wanted)}
    tail = [content.version(), *parts]
    if viewer is not None:
        tail.insert(0, versions([viewer], (PROFILE,))[0])
    keys = {}
    for name, areas in groups.items():
        shown = ["-".join(found[a]) for a in dict.fromkeys((*areas, PROFILE))]
        keys[name] = ":".join(str(p) for p in (*shown, *tail))
    return keys


class Lazy(dict):
    """name -> value, each computed on first use from `makers` (name -> function of
    this dict): a page's data for its cached fragments, so a hit computes nothing and a
    miss computes only what that fragment shows. Templates read it as `d.name`."""

    def __init__(self, **makers) -> None:
        super().__init__()
        self.makers = makers

    def __missing__(self, name: str):
        if name not in self.makers:
            raise KeyError(name)
        value = self[name] = self.makers[name](self)
        return value


# How long one request may hold a stale per-learner value's rebuild (`per_learner`).
REBUILD_LOCK_SECONDS = 10


def per_learner(
    name: str,
    learner_ids: list[int],
    *,
    areas: Iterable[str],
    stamps: dict[int, object],
    build: Callable[[set[int]], dict[int, Any]],
    rebuild_every: int = 0,
) -> dict[int, Any]:
    """learner id -> a value derived from their rows (a mentor's row for each mentee),
    cached per learner under the versions of `areas` and their `stamp` (what else it
    varies by): a write rebuilds that learner's value only. Two cache round trips when
    all are fresh; `build(ids)` makes the missing ones at once (a fixed number of queries).

    No stampede: a stale value is rebuilt by the one request that takes its short lock
    (`cache.add`), while the others serve the stale value for those few moments. A value
    never built is built by whoever needs it. With `rebuild_every` (seconds), a stale
    value is rebuilt at most that often: a learner writing continuously costs one
    rebuild a period, not one per request, and their value lags by at most the period."""
    keys = {i: f"{name}:{i}" for i in learner_ids}
    current = {
        i: f"{v}:{stamps[i]}"
        for i, v in zip(learner_ids, versions(learner_ids, areas), strict=True)
    }
    cached = cache.get_many(list(keys.values()))
    values: dict[int, Any] = {}
    missing: set[int] = set()
    locks: list[str] = []
    for i in learner_ids:
        stamp, value = cached.get(keys[i], (None, None))
        if stamp == current[i]:
            values[i] = value
        elif stamp is None:
            missing.add(i)
        elif cache.add(f"{keys[i]}:lock", 1, REBUILD_LOCK_SECONDS):
            missing.add(i)
            locks.append(f"{keys[i]}:lock")
        else:
            values[i] = value  # another request is rebuilding it
    if missing:
        fresh = build(missing)
        cache.set_many({keys[i]: (current[i], fresh[i]) for i in missing}, FRAGMENT_TIMEOUT)
        if locks and rebuild_every:
            cache.set_many(dict.fromkeys(locks, 1), rebuild_every)
        elif locks:
            cache.delete_many(locks)
        values.update(fresh)
    return values


def learner_value(
    name: str, learner_id: int, *, areas: Iterable[str], stamp: object, build: Callable[[], Any]
) -> Any:
    """One value derived from a learner's rows (their practice stats), cached as
    `per_learner` caches many: under the versions of `areas`, their profile and `stamp`."""
    return per_learner(
        name,
        [learner_id],
        areas=(*areas, PROFILE),
        stamps={learner_id: stamp},
        build=lambda ids: {learner_id: build()},
    )[learner_id]


def by_inputs(name: str, inputs: object, build: Callable[[], Any]) -> Any:
    """A value that is a pure function of `inputs` (a chart drawn from scores), cached
    under a hash of their repr: a write that leaves the inputs as they were (most do)
    does not draw it again, whatever versions it bumped. `inputs` must repr alike in
    every process: numbers, strings, dates and tuples or lists of them."""
    key = f"{name}:{hashlib.sha256(repr(inputs).encode()).hexdigest()}"
    found = cache.get(key)
    if found is None:
        found = build()
        cache.set(key, found, FRAGMENT_TIMEOUT)
    return found


def bump_learner(learner_id: int | None, areas: Iterable[str] = AREAS) -> None:
    if learner_id is not None:
        cache.set_many({_key(learner_id, a): uuid4().hex for a in areas}, None)


def _owners() -> dict[type, tuple[str, tuple[str, ...]]]:
    """Whose pages each model's rows show, and which of their areas: the path from a row
    to the learner's id, and the areas a write to that model bumps. New learner data
    goes here."""
    from . import models as m

    return {
        m.Plan: ("learner_id", AREAS),  # dates and length: every page's schedule
        m.ItemProgress: ("learner_id", (PROGRESS,)),
        m.ItemLink: ("progress.learner_id", (PROGRESS,)),
        m.Submission: ("learner_id", (PROGRESS,)),
        m.SubmissionLink: ("submission.learner_id", (PROGRESS,)),
        m.SubmissionImage: ("submission.learner_id", (PROGRESS,)),
        m.SubmissionEvent: ("submission.learner_id", (PROGRESS,)),
        m.StudyLog: ("learner_id", (LOG,)),
        m.Card: ("learner_id", (PRACTICE,)),
        m.Answer: ("learner_id", (PRACTICE,)),
        m.Review: ("learner_id", (PRACTICE,)),
        m.MockInterview: ("learner_id", (PRACTICE,)),
        m.AnswerComment: ("answer.learner_id", (PRACTICE,)),
        m.Recording: ("learner_id", (PRACTICE,)),  # takes beside rated answers
        m.Assessment: ("learner_id", (ASSESSMENT,)),
        m.Score: ("assessment.learner_id", (ASSESSMENT,)),
        m.ScreenAnswer: ("learner_id", (ASSESSMENT,)),
        m.User: ("pk", (PROFILE,)),  # caps, time zone, name: shown in cached fragments
        m.Notification: ("user_id", (NOTIFICATIONS,)),
    }


def _owner(instance) -> tuple[int | None, tuple[str, ...]]:
    path, areas = _owners()[type(instance)]
    try:
        return attrgetter(path)(instance), areas
    except AttributeError:  # a related row already gone (Django's DoesNotExist is one too)
        return None, areas


# User fields no page shows: a login saves last_login (and may rehash the password),
# which must not throw away the user's and every mentee's cached fragments.
UNSHOWN_USER_FIELDS = frozenset({"last_login", "password"})


def _changed(sender, instance, update_fields=None, **kwargs) -> None:
    from .models import Mentorship, User

    if isinstance(instance, User) and update_fields and update_fields <= UNSHOWN_USER_FIELDS:
        return
    learner_id, areas = _owner(instance)
    bump_learner(learner_id, areas)

    if isinstance(instance, User):
        # A mentor's name shows on their mentees' pages: those render again too.
        for mentee in Mentorship.objects.filter(mentor=instance).values_list(
            "learner_id", flat=True
        ):
            bump_learner(mentee, (PROFILE,))
    # Again at commit: a request that read the old rows meanwhile must not keep them.
    transaction.on_commit(lambda: bump_learner(learner_id, areas))


def connect() -> None:
    for model in _owners():
        post_save.connect(_changed, sender=model, dispatch_uid=f"learner-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"learner-del-{model.__name__}")


def unread_notifications(user) -> int:
    """The badge count, cached under the user's notifications version (a notification
    bumps it)."""
    from .models import Notification

    key = f"unread:{user.pk}:{learner_version(user.pk, (NOTIFICATIONS,))}"
    count = cache.get(key)
    if count is None:
        found = _UNREAD.row(Notification, user.pk)
        count = found[0] if found else 0
        cache.set(key, count, FRAGMENT_TIMEOUT)
    return count


def _unread_query(user_id: int):
    """The count of the user's own unread notifications (`visible_to`, by id so that it
    compiles once): no row when there are none."""
    from django.db.models import Count

    from .models import Notification

    return (
        Notification.objects.filter(user=user_id)
        .unread()
        .order_by()
        .values("user")
        .annotate(n=Count("pk"))
        .values_list("n")
    )


# Compiled once: every page's badge reads it on the first view after a notification.
_UNREAD = Prepared(_unread_query, ("id",))
