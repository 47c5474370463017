"""Notifications: each event in words of its own, who gets it, read state and the badge,
the list page's query count."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import TestCase

from roadmap.models import Dimension, Milestone, Question
from tests.conftest import make_plan, make_user
from tracker.assessment import assessment_create
from tracker.mentoring import answer_comment, invite_accept, invite_create, mentorship_end, notify
from tracker.models import Notification, Submission
from tracker.practice import answer_rate, answer_save
from tracker.submissions import (
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(db):
    return make_user("mia", display_name="Mia Mentor", email="mia@example.com")


@pytest.fixture
def mentorship(learner, mentor):
    learner.email = "lena@example.com"
    learner.save()
    return invite_accept(invite=invite_create(learner=learner), user=mentor)


def _submitted(learner) -> Submission:
    make_plan(learner)
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="My cluster", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    return s


def _texts(user, kind: str) -> list[str]:
    return list(Notification.objects.filter(user=user, kind=kind).values_list("text", flat=True))


def _badge(client) -> int:
    """The number on the bell of the next page, 0 without a badge."""
    found = re.search(r'class="count-badge">(\d+)<', client.get("/log/").content.decode())
    return int(found[1]) if found else 0


LABEL = "Milestone 1 (Foundations: Linux, Networking, and Cloud Basics)"


# --- each event, its words, its recipient ----------------------------------------------


def test_a_first_submission_and_a_resubmission_read_differently(learner, mentor, mentorship):
    s = _submitted(learner)
    assert _texts(mentor, "review_waiting") == [f"Lena Learner submitted {LABEL} for review."]
    submission_transition(submission=s, actor=mentor, to_state="changes_requested")
    submission_transition(submission=s, actor=learner, to_state="submitted")
    assert _texts(mentor, "resubmitted") == [
        f"Lena Learner resubmitted {LABEL} with the requested changes."
    ]
    assert len(_texts(mentor, "review_waiting")) == 1  # not a second "submitted"


def test_taking_a_submission_back_tells_the_mentor(learner, mentor, mentorship):
    s = _submitted(learner)
    submission_transition(submission=s, actor=learner, to_state="draft")
    assert _texts(mentor, "withdrawn") == [
        f"Lena Learner took {LABEL} back from review to keep editing."
    ]


def test_the_learner_hears_of_each_review_decision(learner, mentor, mentorship):
    s = _submitted(learner)
    submission_transition(
        submission=s, actor=mentor, to_state="changes_requested", comment="Add the plan output"
    )
    assert _texts(learner, "changes_requested") == [f"Mia Mentor asked for changes on {LABEL}."]
    submission_transition(submission=s, actor=learner, to_state="submitted")
    submission_transition(submission=s, actor=mentor, to_state="approved")
    assert _texts(learner, "approved") == [f"Mia Mentor approved {LABEL}."]
    assert not Notification.objects.filter(user=learner, kind="comment").exists()


def test_milestone_comments_reach_the_other_side(learner, mentor, mentorship):
    s = _submitted(learner)
    submission_comment(submission=s, author=mentor, comment="Which region?")
    assert _texts(learner, "comment") == [f"Mia Mentor commented on your {LABEL}."]
    submission_comment(submission=s, author=learner, comment="eu-west-1")
    assert _texts(mentor, "comment") == [f"Lena Learner commented on {LABEL}."]


def test_a_mentors_rubric_score_notifies_the_learner_by_app_and_mail(
    client, learner, mentor, mentorship
):
    client.force_login(mentor)
    data = {f"score_{d.pk}": 3 for d in Dimension.objects.current()}
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(f"/mentor/{learner.username}/", data).status_code == 302
    note = Notification.objects.get(user=learner, kind="scored")
    assert note.text == "Mia Mentor scored you on the rubric: see their scores beside yours."
    assert note.url == "/assessment/"
    assert [m.to for m in mail.outbox] == [["lena@example.com"]]
    assert mail.outbox[0].subject.startswith("Rampup: Mia Mentor scored you on the rubric")


def test_scoring_yourself_notifies_nobody(learner, mentor, mentorship):
    first = Dimension.objects.current().first()
    assessment_create(learner=learner, rater=learner, role="self", scores={first: (3, "")})
    assert not Notification.objects.filter(kind="scored").exists()


def test_a_comment_on_an_answer_names_the_question(learner, mentor, mentorship):
    question = Question.objects.current().first()
    answer = answer_save(
        user=learner, question=question, body="My answer", submit=True, reveal=True
    )
    answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
    answer_comment(answer=answer, author=mentor, body="Name the trade-off.")
    (text,) = _texts(learner, "answer_comment")
    assert text.startswith("Mia Mentor commented on your answer to “")
    assert " ".join(question.text.split())[:60] in text
    assert Notification.objects.get(kind="answer_comment").url == f"/practice/{question.key}/"


def test_accepting_and_ending_say_who_did_what(learner, mentor, mentorship, other_learner):
    assert _texts(learner, "invite_accepted") == [
        "Mia Mentor accepted your invite and is now your mentor."
    ]
    mentorship_end(mentorship=mentorship, by=mentor)
    assert _texts(learner, "mentorship_ended") == [
        "Mia Mentor ended your mentorship: they no longer see your progress."
    ]
    again = invite_accept(invite=invite_create(learner=learner), user=mentor)
    mentorship_end(mentorship=again, by=learner)
    assert _texts(mentor, "mentorship_ended") == [
        "Lena Learner ended your mentorship: you no longer see their progress."
    ]


def test_a_line_break_in_a_name_never_breaks_the_mail_subject(learner, mentor, mentorship):
    mentor.display_name = "Mia\r\nBcc: everyone@example.com"
    mentor.save()
    s = _submitted(learner)
    mail.outbox.clear()
    with TestCase.captureOnCommitCallbacks(execute=True):
        submission_transition(submission=s, actor=mentor, to_state="approved")
    (sent,) = mail.outbox
    assert "\n" not in sent.subject and "\r" not in sent.subject
    assert sent.subject.startswith("Rampup: Mia Bcc: everyone@example.com approved")
    assert len(sent.subject) <= 90 and sent.subject.endswith("…")


# --- read state and the badge ----------------------------------------------------------


def test_opening_one_marks_it_read_and_the_badge_drops_at_once(client, learner, mentor, mentorship):
    s = _submitted(learner)
    submission_comment(submission=s, author=mentor, comment="One")
    submission_comment(submission=s, author=mentor, comment="Two")
    client.force_login(learner)
    assert _badge(client) == 3  # "accepted your invite" and two comments
    first, second = Notification.objects.filter(user=learner, kind="comment")
    response = client.get(f"/notifications/{first.pk}/")
    assert response.status_code == 302 and response["Location"] == f"/milestones/{s.pk}/"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None
    assert _badge(client) == 2
    read_at = first.read_at
    client.get(f"/notifications/{first.pk}/")  # opening it again changes nothing
    first.refresh_from_db()
    assert first.read_at == read_at and _badge(client) == 2


def test_seeing_the_list_reads_what_it_shows_and_still_marks_it_new(
    client, learner, mentor, mentorship
):
    s = _submitted(learner)
    submission_comment(submission=s, author=mentor, comment="One")
    client.force_login(learner)
    assert _badge(client) == 2
    page = client.get("/notifications/").content.decode()
    assert page.count('<span class="badge">New</span>') == 2
    assert 'class="count-badge"' not in page  # this page's bell is read already
    assert not Notification.objects.filter(user=learner, read_at=None).exists()
    assert _badge(client) == 0
    assert "New</span>" not in client.get("/notifications/").content.decode()
    # …and a new one counts again.
    submission_comment(submission=s, author=mentor, comment="Two")
    assert _badge(client) == 1


def test_the_list_reads_by_date_and_sweeps_what_is_past_its_page(client, learner):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    newest = notify(learner, "comment", "Newest", "/dashboard/")
    # Created later (a higher id) but dated earlier, as an imported export makes them.
    older = [
        Notification.objects.create(
            user=learner, kind="comment", text=f"Old {i}", created_at=now - timedelta(days=i + 1)
        )
        for i in range(55)
    ]
    client.force_login(learner)
    assert _badge(client) == 56
    page = client.get("/notifications/").content.decode()
    assert page.count("New</span>") == 50 and "Newest" in page and "Old 54" not in page
    assert _badge(client) == 0
    assert all(n.read_at for n in Notification.objects.filter(pk__in=[newest.pk, older[-1].pk]))


def test_links_go_only_to_pages_of_this_site(client, learner):
    client.force_login(learner)
    for url in (
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "javascript:x",
        "milestones/1/",
        "",
    ):
        note = notify(learner, "comment", "Imported", url)
        response = client.get(f"/notifications/{note.pk}/")
        assert response["Location"] == "/notifications/", url
        note.refresh_from_db()
        assert note.read_at is not None
    page = client.get("/notifications/").content.decode()
    assert "evil.example" not in page and "javascript:" not in page


def test_another_users_notification_is_404_and_stays_unread(
    client, learner, other_learner, mentor, mentorship
):
    note = notify(learner, "comment", "Mine", "/dashboard/")
    for who in (other_learner, mentor):
        client.force_login(who)
        assert client.get(f"/notifications/{note.pk}/").status_code == 404
    client.logout()
    assert client.get(f"/notifications/{note.pk}/")["Location"].startswith("/accounts/login/")
    note.refresh_from_db()
    assert note.read_at is None


def test_the_list_is_for_get_and_opening_refuses_post(client, learner):
    note = notify(learner, "comment", "Mine", "/dashboard/")
    client.force_login(learner)
    assert client.post("/notifications/").status_code == 405
    assert client.post(f"/notifications/{note.pk}/").status_code == 405


def test_the_list_query_count_is_the_same_with_1_and_50(client, learner, django_assert_num_queries):
    client.force_login(learner)

    def measure(n):
        for i in range(n):
            notify(learner, "comment", f"Note {i}", "/dashboard/")
        # session; user; the newest 50; mark them read; the mutes; unread count (the badge)
        with django_assert_num_queries(6):
            page = client.get("/notifications/").content.decode()
        assert page.count("New</span>") == n
        # session; user; the newest 50; the mutes (nothing new to mark; the badge's 0 is
        # cached)
        with django_assert_num_queries(4):
            client.get("/notifications/")

    measure(1)
    measure(49)
