"""Template context for every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .cache import unread_notifications


def notifications(request) -> dict:
    """The unread count for the badge in the navigation (lazy, and cached)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: unread_notifications(user))}


@dataclass(frozen=True)
class NavItem:
    label: str
    url_name: str
    # The pages (namespace:name) on which this item is the current one.
    current_on: frozenset[str]


def _items(*rows: tuple[str, str, tuple[str, ...]]) -> tuple[NavItem, ...]:
    return tuple(NavItem(label, url, frozenset((url, *also))) for label, url, also in rows)


LEARNER_ITEMS = _items(
    ("Dashboard", "dashboard", ()),
    ("Plan", "plan", ()),
    ("Practice", "practice", ("practice_answer", "practice_stats", "interviews", "interview")),
    ("Assess", "assessment", ()),
    ("Log", "log", ()),
    ("My mentors", "mentors", ("invite",)),
    ("Labs", "labs:index", ("labs:attempt",)),
    (
        "Jobs",
        "jobs:board",
        tuple(
            f"jobs:{n}"
            for n in [
                "new",
                "application",
                "funnel",
                "targets",
                "offer",
                "contributions",
                "contribution",
                "resume",
            ]
        ),
    ),
)
MENTOR_ITEMS = _items(("Mentees", "mentor_home", ("mentee",)))
GUIDE_ITEMS = _items(
    ("Roadmap", "roadmap:index", ("roadmap:phase",)),
    ("Questions", "roadmap:questions", ("roadmap:question",)),
    ("Rubric", "roadmap:rubric", ()),
    ("Skills", "roadmap:skills", ()),
    ("Career", "roadmap:career", ()),
    ("Roles", "roadmap:roles", ()),
    ("Hiring", "hiring:index", ()),
)


def mentors_someone(user) -> bool:
    """Whether `user` has an active mentee. The auth backend annotates it on the user
    it loads for each request (no query then); a user from elsewhere asks once."""
    if not user.is_authenticated:
        return False
    if not hasattr(user, "mentors_someone"):
        from .models import Mentorship

        user.mentors_someone = Mentorship.objects.active().mentored_by(user).exists()
    return user.mentors_someone


def navigation(request) -> dict:
    """The navigation in groups, each role seeing what it uses: the learner's pages,
    the mentor's (only for people who mentor someone) and the public guide."""
    user = getattr(request, "user", None)
    match = request.resolver_match
    current = (
        f"{match.namespace}:{match.url_name}"
        if match and match.namespace
        else (match.url_name if match else "")
    )
    groups = []
    if user is not None and user.is_authenticated:
        from .views.common import get_plan

        is_mentor = mentors_someone(user)
        if get_plan(user) is not None or not is_mentor:
            groups.append(("Your plan", LEARNER_ITEMS))
        else:  # a mentor-only account: their own plan is one link away
            groups.append(("Your plan", _items(("Start your own plan", "plan", ()))))
        if is_mentor:
            groups.append(("Mentoring", MENTOR_ITEMS))
    groups.append(("Guide", GUIDE_ITEMS))
    return {
        "nav_groups": [
            {
                "label": label,
                "items": [
                    {
                        "label": i.label,
                        "url": reverse(i.url_name),
                        "current": current in i.current_on,
                    }
                    for i in items
                ],
            }
            for label, items in groups
        ]
    }
