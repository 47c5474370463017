"""Shared fixtures: the real roadmap content, and the personas every view is tested with.

Personas (each a fixture, or built with `make_user` where a test needs several):
- `learner`: owns the data under test;
- `other_learner`: another learner, who must never see the learner's data;
- `mentor`: the learner's mentor, in an active mentorship: sees and reviews, never edits;
- `other_mentor`: mentors someone else, so sees nothing of the learner's;
- `former_mentor`: mentored the learner once; the mentorship ended, so nothing now;
- the anonymous visitor: a plain `client`.
The access matrix (tests/test_access_matrix.py) runs every URL for all six.
"""

from __future__ import annotations

import functools
import os
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache

from roadmap.loader import Bundle, load_roadmap, read_roadmap
from roadmap.models import Roadmap
from tracker import schedule
from tracker.models import Plan, User
from tracker.plans import plan_save

PASSWORD = "correct-horse-battery-staple"


@functools.cache
def seeds_bundle() -> Bundle:
    """The real seeds/, read and checked once per test session."""
    return read_roadmap(settings.SEEDS_DIR / settings.ROADMAP_KEY)


def ensure_content() -> None:
    if not Roadmap.objects.filter(key=settings.ROADMAP_KEY).exists():
        load_roadmap(seeds_bundle())


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Load the real roadmap once; every test's transaction rolls back on top of it."""
    with django_db_blocker.unblock():
        ensure_content()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: cached content from another test's
    (rolled back) rows must not leak in."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _content_after_flush(request):
    """Transactional tests (browser tests) flush every table: load the content again."""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        request.getfixturevalue("transactional_db")
        ensure_content()


def make_user(username: str, **extra) -> User:
    return User.objects.create_user(username=username, password=PASSWORD, **extra)


def extra_questions(
    prefix: str, n: int, *, order: int, text: str = "Q{i}?", key_points=("a",)
) -> list:
    """`n` more practice questions beside the roadmap's (keys `<prefix>-<i>`), in the
    first question's phase and dimension, bulk-created: no signal, so the cached content
    does not know them until `content.bump()`."""
    from roadmap.models import Question

    base = Question.objects.current().first()
    return Question.objects.bulk_create(
        Question(
            roadmap=base.roadmap,
            key=f"{prefix}-{i}",
            order=order + i,
            text=text.format(i=i),
            level="advanced",
            kind="concept",
            phase=base.phase,
            dimension=base.dimension,
            key_points=list(key_points),
            model_answer="x",
            source="rampup",
        )
        for i in range(n)
    )


@pytest.fixture
def learner(db) -> User:
    """The learner: owns the data under test."""
    return make_user("lena", display_name="Lena Learner")


@pytest.fixture
def other_learner(db) -> User:
    """Another learner: must get 404 for everything of the learner's."""
    return make_user("otto", display_name="Otto Other")


@pytest.fixture
def learner_client(client, learner):
    client.force_login(learner)
    return client


def make_plan(user: User, *, days_ago: int = 60, months: int = 12) -> Plan:
    return plan_save(
        learner=user,
        roadmap=Roadmap.objects.get(key=settings.ROADMAP_KEY),
        start_date=schedule.today_for(user.time_zone) - timedelta(days=days_ago),
        months=months,
        background=None,
        weekly_hours=10,
    )


@pytest.fixture
def plan(learner) -> Plan:
    """The learner's plan: 12 months, started 60 days ago."""
    return make_plan(learner)


@pytest.fixture
def other_plan(other_learner) -> Plan:
    return make_plan(other_learner)


# Playwright's sync API runs an event loop in the test thread; Django refuses ORM
# calls from such a thread unless told this is safe (it is: one thread per test).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    # Debian's Chromium: Playwright's own browser download does not work here. A
    # missing browser fails the browser tests; it never skips them.
    return {
        **browser_type_launch_args,
        "executable_path": os.environ.get("CHROMIUM", "/usr/bin/chromium"),
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture
def mentor(learner) -> User:
    """The learner's mentor: an active mentorship."""
    from tracker.models import Mentorship

    user = make_user("mia", display_name="Mia Mentor")
    Mentorship.objects.create(learner=learner, mentor=user)
    return user


@pytest.fixture
def other_mentor(other_learner) -> User:
    """Mentors another learner: must get 404 for everything of the learner's."""
    from tracker.models import Mentorship

    user = make_user("max", display_name="Max Mentor")
    Mentorship.objects.create(learner=other_learner, mentor=user)
    return user


@pytest.fixture
def former_mentor(learner) -> User:
    """Mentored the learner once; the mentorship has ended, and with it all access."""
    from django.utils import timezone

    from tracker.models import Mentorship

    user = make_user("fern", display_name="Fern Former")
    Mentorship.objects.create(learner=learner, mentor=user, ended_at=timezone.now())
    return user


def pytest_collection_modifyitems(items) -> None:
    """Only tests under tests/browser may take Playwright's fixtures. Another test that
    does (a parameter named `page` is enough) is parametrized by browser, and pytest then
    runs every browser test at its place, before the other database tests, whose content
    the browser tests' flushes have emptied."""
    stray = [
        item.nodeid
        for item in items
        if "browser_name" in getattr(getattr(item, "callspec", None), "params", {})
        and not item.nodeid.startswith("tests/browser/")
    ]
    if stray:
        raise pytest.UsageError(f"Playwright fixtures outside tests/browser: {stray}")
