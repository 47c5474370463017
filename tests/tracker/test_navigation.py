"""The navigation follows the roles: a learner's pages, a mentor's (only for someone
who mentors), the public guide; a mentor-only account starts on its mentees."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone

from tests.conftest import PASSWORD, make_plan, make_user
from tracker.models import Mentorship

pytestmark = pytest.mark.django_db


def nav_labels(html: str) -> list[str]:
    wide = re.search(
        r'<ul class="nav-links nav-wide">(.*?)</ul>\s*<details class="nav-menu"', html, re.S
    )
    return re.findall(r"<a [^>]*>([^<]+)</a>", wide.group(1))


def menu_groups(html: str) -> list[str]:
    return re.findall(r'<p class="nav-group-label"[^>]*>([^<]+)</p>', html)


def test_a_visitor_sees_the_guide_only(client):
    html = client.get("/roadmap/").content.decode()
    assert nav_labels(html) == [
        "Roadmap",
        "Questions",
        "Rubric",
        "Skills",
        "Career",
        "Roles",
        "Hiring",
    ]
    assert menu_groups(html) == ["Guide"]


def test_a_learner_without_mentees_sees_no_mentoring(client, learner):
    make_plan(learner)
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    labels = nav_labels(html)
    assert labels[:6] == ["Dashboard", "Plan", "Practice", "Assess", "Log", "My mentors"]
    assert "Mentees" not in labels
    assert menu_groups(html) == ["Your plan", "Guide", "Account"]
    assert '<a href="/dashboard/" aria-current="page">Dashboard</a>' in html


def test_a_mentor_sees_their_mentees_and_a_former_mentor_does_not(client, learner):
    make_plan(learner)
    mentor, former = make_user("mia"), make_user("fern")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    Mentorship.objects.create(learner=learner, mentor=former, ended_at=timezone.now())
    client.force_login(mentor)
    html = client.get("/roadmap/").content.decode()
    assert "Mentees" in nav_labels(html)
    assert "Start your own plan" in nav_labels(html)  # no plan of their own
    assert "Dashboard" not in nav_labels(html)
    assert menu_groups(html) == ["Your plan", "Mentoring", "Guide", "Account"]
    client.force_login(former)
    assert "Mentees" not in nav_labels(client.get("/roadmap/").content.decode())


def test_a_mentor_only_account_lands_on_its_mentees(client, learner):
    mentor = make_user("mia")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    response = client.post("/accounts/login/", {"username": "mia", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"] == "/mentor/"


def test_a_learner_who_also_mentors_lands_on_the_dashboard(client, learner, other_learner):
    make_plan(learner)
    Mentorship.objects.create(learner=other_learner, mentor=learner)
    client.force_login(learner)
    assert client.get("/")["Location"] == "/dashboard/"
    assert "Mentees" in nav_labels(client.get("/dashboard/").content.decode())


def test_the_phone_menu_works_without_javascript(client, learner):
    """Every item sits in a <details> menu, which opens without any script."""
    make_plan(learner)
    client.force_login(learner)
    html = client.get("/dashboard/").content.decode()
    menu = html[
        html.index('<details class="nav-menu">') : html.index(
            "</details>", html.index('<details class="nav-menu">')
        )
    ]
    for label in [
        "Dashboard",
        "Plan",
        "Practice",
        "Assess",
        "Log",
        "My mentors",
        "Roadmap",
        "Questions",
        "Rubric",
        "Skills",
        "Career",
        "Roles",
        "Hiring",
        "Settings",
    ]:
        assert f">{label}</a>" in menu, label
