"""Mentoring: invites, the review state machine with a mentor, notifications and email,
reminders, the mentor's pages and their query counts."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from roadmap.models import Milestone
from tests.conftest import make_plan, make_user
from tracker.cache import bump_learner
from tracker.mentoring import (
    invite_accept,
    invite_create,
    invite_revoke,
    mentorship_end,
    send_reminders,
)
from tracker.models import Invite, Mentorship, Notification, Submission
from tracker.submissions import (
    allowed_transitions,
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def mentor(db):
    return make_user("mia", email="mia@example.com")


@pytest.fixture
def mentorship(learner, mentor):
    return invite_accept(invite=invite_create(learner=learner), user=mentor)


def submitted(learner) -> Submission:
    make_plan(learner)
    s = submission_start(learner=learner, milestone=Milestone.objects.current().first())
    submission_save_evidence(submission=s, evidence="My cluster", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    return s


# --- invites ---------------------------------------------------------------------------


def test_accepting_an_invite_starts_a_mentorship_and_notifies(learner, mentor):
    learner.email = "lena@example.com"
    learner.save()
    invite = invite_create(learner=learner)
    assert invite.state == "open" and invite.expires_at > timezone.now() + timedelta(days=13)
    with pytest.raises(ValidationError, match="your own invite"):
        invite_accept(invite=invite, user=learner)
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        invite_accept(invite=invite, user=mentor)
    assert Mentorship.objects.active().filter(learner=learner, mentor=mentor).exists()
    invite.refresh_from_db()
    assert invite.state == "used"
    note = Notification.objects.get(user=learner)
    assert note.kind == "invite_accepted" and note.url == "/mentors/"
    assert mail.outbox[-1].to == ["lena@example.com"]
    assert f"http://127.0.0.1:8000/notifications/{note.pk}/" in mail.outbox[-1].body


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        (lambda i: invite_revoke(invite=i), "withdrawn"),
        (lambda i: Invite.objects.filter(pk=i.pk).update(expires_at=timezone.now()), "expired"),
        (lambda i: Invite.objects.filter(pk=i.pk).update(used_at=timezone.now()), "used already"),
    ],
)
def test_unusable_invites_say_why(learner, mentor, setup, message):
    invite = invite_create(learner=learner)
    setup(invite)
    invite.refresh_from_db()
    with pytest.raises(ValidationError, match=message):
        invite_accept(invite=invite, user=mentor)
    assert not Mentorship.objects.exists()


def test_a_second_invite_to_the_same_mentor_is_refused(learner, mentor, mentorship):
    with pytest.raises(ValidationError, match="already mentor"):
        invite_accept(invite=invite_create(learner=learner), user=mentor)


def test_capacity_is_enforced(learner, other_learner, mentor):
    mentor.mentor_capacity = 1
    mentor.save()
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    with pytest.raises(ValidationError, match="capacity of 1"):
        invite_accept(invite=invite_create(learner=other_learner), user=mentor)


def test_invite_page_messages(client, learner, mentor):
    invite = invite_create(learner=learner)
    client.force_login(learner)
    assert "your own invite" in client.get(invite.get_absolute_url()).content.decode()
    client.force_login(mentor)
    assert (
        "Accept and become their mentor" in client.get(invite.get_absolute_url()).content.decode()
    )
    response = client.post(invite.get_absolute_url())
    assert response["Location"] == "/mentor/"
    response = client.post(invite.get_absolute_url(), follow=True)
    assert "used already" in response.content.decode()
    assert client.get("/invite/not-a-token/").status_code == 404


def test_a_learner_creates_and_revokes_invites_on_the_mentors_page(learner_client, learner):
    learner_client.post("/mentors/invite/")
    invite = Invite.objects.get(learner=learner)
    body = learner_client.get("/mentors/").content.decode()
    assert f"/invite/{invite.token}/" in body
    learner_client.post(f"/mentors/invites/{invite.pk}/revoke/")
    invite.refresh_from_db()
    assert invite.state == "revoked"


# --- reviews ---------------------------------------------------------------------------


def test_with_a_mentor_the_mentor_reviews_and_self_approval_is_gone(learner, mentor, mentorship):
    s = submitted(learner)
    assert allowed_transitions(s, learner) == ["draft"]  # withdraw only
    assert set(allowed_transitions(s, mentor)) == {"approved", "changes_requested"}
    with pytest.raises(PermissionDenied):
        submission_transition(submission=s, actor=learner, to_state="approved")
    submission_transition(
        submission=s,
        actor=mentor,
        to_state="changes_requested",
        comment="Add the **Terraform** plan output.",
    )
    submission_save_evidence(submission=s, evidence="Now with the plan output", links=[])
    submission_transition(submission=s, actor=learner, to_state="submitted")
    submission_transition(submission=s, actor=mentor, to_state="approved")
    s.refresh_from_db()
    assert s.state_label == "Approved" and not s.self_approved
    moves = list(s.events.values_list("actor__username", "to_state"))
    assert moves == [
        ("lena", "draft"),
        ("lena", "submitted"),
        ("mia", "changes_requested"),
        ("lena", "submitted"),
        ("mia", "approved"),
    ]


def test_review_notifications_and_emails_carry_the_right_links(learner, mentor, mentorship):
    from django.test import TestCase

    learner.email = "lena@example.com"
    learner.save()
    with TestCase.captureOnCommitCallbacks(execute=True):
        s = submitted(learner)
        submission_transition(submission=s, actor=mentor, to_state="changes_requested")
        submission_comment(submission=s, author=mentor, comment="See line 3")
    kinds = dict(Notification.objects.values_list("kind", "user__username"))
    assert kinds["review_waiting"] == "mia"
    assert kinds["changes_requested"] == "lena"
    assert kinds["comment"] == "lena"
    url = f"/milestones/{s.pk}/"
    reviews = Notification.objects.exclude(kind="invite_accepted")
    assert set(reviews.values_list("url", flat=True)) == {url}
    review_mail = [m for m in mail.outbox if "milestone" in m.subject.lower()]
    assert len(review_mail) == 3
    # The mail links through the notification, which marks it read and goes on to `url`.
    links = {f"http://127.0.0.1:8000/notifications/{n.pk}/" for n in reviews}
    assert {line for m in review_mail for line in m.body.splitlines()} >= links
    assert {m.to[0] for m in mail.outbox} == {"mia@example.com", "lena@example.com"}


def test_ending_the_mentorship_revokes_access_at_once(client, learner, mentor, mentorship):
    s = submitted(learner)
    client.force_login(mentor)
    assert client.get(f"/milestones/{s.pk}/").status_code == 200
    assert client.get(f"/mentor/{learner.username}/").status_code == 200
    mentorship_end(mentorship=mentorship, by=learner)
    assert client.get(f"/milestones/{s.pk}/").status_code == 404
    assert client.get(f"/mentor/{learner.username}/").status_code == 404
    assert Notification.objects.filter(user=mentor, kind="mentorship_ended").exists()
    # …and the learner may approve their own work again.
    assert "approved" in allowed_transitions(s, learner)


def test_mentor_scores_show_beside_the_learners_own(client, learner, mentor, mentorship):
    from roadmap.models import Dimension

    client.force_login(mentor)
    data = {f"score_{d.pk}": 2 for d in Dimension.objects.current()}
    assert client.post(f"/mentor/{learner.username}/", data).status_code == 302
    client.force_login(learner)
    own = {f"score_{d.pk}": 5 for d in Dimension.objects.current()}
    client.post("/assessment/", own)
    body = client.get("/assessment/").content.decode()
    assert "and your mentor’s" in body
    assert body.count('<span class="tag level-advanced">discuss</span>') == 5
    assert "radar-series-1" in body


def test_a_mentors_scores_with_a_gap_come_back_with_what_was_typed(
    client, learner, mentor, mentorship
):
    """The page's parts are cached, but a form with errors renders afresh around them."""
    from roadmap.models import Dimension

    make_plan(learner)
    first, *rest = Dimension.objects.current()
    client.force_login(mentor)
    url = f"/mentor/{learner.username}/"
    client.get(url)  # every part cached, the empty form with them
    data = {f"score_{d.pk}": 4 for d in rest} | {f"evidence_{first.pk}": "Led the rollout"}
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and "Every dimension needs a score" in body
    kept = f'name="score_{rest[0].pk}" value="4" id="id_score_{rest[0].pk}_3" required checked'
    assert "Led the rollout</textarea>" in body and kept in body
    assert "Phases and milestones" in body and "Practice answers" in body
    assert not learner.assessments.exists()
    # …and the cached page is unchanged: no error, nothing typed.
    body = client.get(url).content.decode()
    assert "Every dimension needs a score" not in body and "Led the rollout" not in body


# --- reminders -------------------------------------------------------------------------


def test_reminders_at_7_and_14_days_once_each(learner, mentor, mentorship):
    s = submitted(learner)
    start = s.submitted_at
    with time_machine.travel(start + timedelta(days=6)):
        assert send_reminders() == 0
    with time_machine.travel(start + timedelta(days=7, hours=1)):
        assert send_reminders() == 1
        assert send_reminders() == 0  # cron every hour: idempotent
    with time_machine.travel(start + timedelta(days=15)):
        assert send_reminders() == 1
        assert send_reminders() == 0
    reminders = Notification.objects.filter(user=mentor, kind="reminder")
    assert reminders.count() == 2
    assert "waited 7 days" in reminders.last().text


def test_the_reminder_command_runs(learner, mentor, mentorship, capsys):
    from django.core.management import call_command

    call_command("send_reminders")
    assert "0 reminder" in capsys.readouterr().out


# --- pages -----------------------------------------------------------------------------


def test_mentor_home_lists_mentees_and_the_queue_oldest_first(
    client, learner, other_learner, mentor
):
    for who in (learner, other_learner):
        invite_accept(invite=invite_create(learner=who), user=mentor)
    old = submitted(learner)
    new = submitted(other_learner)
    Submission.objects.filter(pk=old.pk).update(submitted_at=timezone.now() - timedelta(days=9))
    client.force_login(mentor)
    body = client.get("/mentor/").content.decode()
    assert body.index(f"/milestones/{old.pk}/") < body.index(f"/milestones/{new.pk}/")
    assert "waiting 9 days" in body and 'class="waiting-late"' in body
    assert "Lena Learner" in body and "Otto Other" in body


# The mentor home's query counts at 1, 50 and 200 mentees: tests/tracker/test_mentor_home.py


def test_the_badge_counts_unread_and_the_list_clears_it(client, learner, mentor, mentorship):
    s = submitted(learner)
    client.force_login(mentor)
    body = client.get("/dashboard/").content.decode()
    assert '<span class="count-badge">1<span class="visually-hidden"> unread</span>' in body
    note = Notification.objects.get(user=mentor)
    assert note.url == f"/milestones/{s.pk}/"
    page = client.get("/notifications/").content.decode()
    assert f'href="/notifications/{note.pk}/"' in page and '<span class="badge">New</span>' in page
    # Seeing the list read it: the badge is gone on the next page.
    assert "count-badge" not in client.get("/dashboard/").content.decode()
    client.force_login(learner)
    assert f"/notifications/{note.pk}/" not in client.get("/notifications/").content.decode()


def test_mentor_pages_show_a_mentees_change_at_once(client, learner, mentor, mentorship):
    client.force_login(mentor)
    assert "Nothing waits for your review." in client.get("/mentor/").content.decode()
    mentee_page = client.get(f"/mentor/{learner.username}/").content.decode()
    assert "has no plan yet" in mentee_page
    s = submitted(learner)  # makes a plan and submits milestone 1
    assert f"/milestones/{s.pk}/" in client.get("/mentor/").content.decode()
    assert "has no plan yet" not in client.get(f"/mentor/{learner.username}/").content.decode()


def test_a_mentor_comment_on_an_answer_reaches_the_learner(client, learner, mentor, mentorship):
    from roadmap.models import Question
    from tracker.practice import answer_rate, answer_save

    question = Question.objects.current().first()
    answer = answer_save(
        user=learner, question=question, body="My answer", submit=True, reveal=True
    )
    answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
    client.force_login(mentor)
    client.post(
        f"/mentor/{learner.username}/answers/{answer.pk}/comment/",
        {"body": "Name the **trade-off**."},
    )
    client.force_login(learner)
    page = client.get(f"/practice/{question.key}/").content.decode()
    assert "<strong>trade-off</strong>" in page and "mia" in page
    assert Notification.objects.filter(user=learner, kind="answer_comment").exists()


def test_the_cached_thread_shows_times_in_each_viewers_zone(client, learner, mentor, mentorship):
    s = submitted(learner)
    mentor.time_zone = "Pacific/Kiritimati"  # UTC+14
    mentor.save()
    client.force_login(learner)
    event = s.events.last()
    utc_time = event.created_at.strftime("%H:%M")
    assert utc_time in client.get(f"/milestones/{s.pk}/").content.decode()
    client.force_login(mentor)
    from zoneinfo import ZoneInfo

    local = event.created_at.astimezone(ZoneInfo("Pacific/Kiritimati")).strftime("%H:%M")
    assert local in client.get(f"/milestones/{s.pk}/").content.decode()


def test_an_old_tab_saving_evidence_after_submitting_gets_a_message(client, learner):
    s = submitted(learner)
    client.force_login(learner)
    response = client.post(f"/milestones/{s.pk}/", {"evidence": "late edit"}, follow=True)
    assert "withdraw it to edit" in response.content.decode()
    s.refresh_from_db()
    assert s.evidence == "My cluster"


def test_a_mentors_new_name_or_deletion_shows_at_once_in_the_thread(
    client, learner, mentor, mentorship
):
    from django.test import TestCase

    from tracker.account_deletion import delete_account

    s = submitted(learner)
    submission_comment(submission=s, author=mentor, comment="Nice work")
    client.force_login(learner)
    assert "mia" in client.get(f"/milestones/{s.pk}/").content.decode()
    mentor.display_name = "Mia Mentor"
    mentor.save()
    assert "Mia Mentor" in client.get(f"/milestones/{s.pk}/").content.decode()
    with TestCase.captureOnCommitCallbacks(execute=True):
        delete_account(mentor)
    body = client.get(f"/milestones/{s.pk}/").content.decode()
    assert "Mia Mentor" not in body and "Deleted user" in body


# --- review screens (issue 12, item 9) ---------------------------------------------------


def test_the_mentors_request_for_changes_is_at_the_top_of_the_learners_page(
    client, learner, mentor, mentorship
):
    s = submitted(learner)
    client.force_login(learner)
    assert "asked for changes" not in client.get(f"/milestones/{s.pk}/").content.decode()
    submission_transition(
        submission=s, actor=mentor, to_state="changes_requested", comment="Add the **plan output**."
    )
    body = client.get(f"/milestones/{s.pk}/").content.decode()  # the cached thread is stale?
    request_box = body.index('class="card review-request"')
    assert request_box < body.index('id="id_evidence"') < body.index('id="thread-heading"')
    assert "<strong>plan output</strong>" in body[request_box : body.index('id="id_evidence"')]
    # Resubmitted: the request is answered and leaves the top.
    client.post(f"/milestones/{s.pk}/", {"evidence": "With the plan", "to": "submitted"})
    assert "review-request" not in client.get(f"/milestones/{s.pk}/").content.decode()


def test_after_approval_the_mentor_is_not_asked_to_approve_again(
    client, learner, mentor, mentorship
):
    s = submitted(learner)
    client.force_login(mentor)
    assert "approve or request changes" in client.get(f"/milestones/{s.pk}/").content.decode()
    submission_transition(submission=s, actor=mentor, to_state="approved")
    body = client.get(f"/milestones/{s.pk}/").content.decode()
    assert "approve or request changes" not in body
    assert "nothing left to review" in body


def test_the_learner_sees_how_long_the_submission_has_waited(client, learner, mentor, mentorship):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        s = submitted(learner)
    client.force_login(learner)
    with time_machine.travel(start + timedelta(hours=5), tick=False):
        assert (
            "waiting less than a day for review"
            in client.get(f"/milestones/{s.pk}/").content.decode()
        )
    with time_machine.travel(start + timedelta(days=3, hours=2), tick=False):
        assert "waiting 3 days for review" in client.get(f"/milestones/{s.pk}/").content.decode()
    submission_transition(submission=s, actor=mentor, to_state="approved")
    assert "for review" not in client.get(f"/milestones/{s.pk}/").content.decode()


def test_the_mentors_rubric_form_is_prefilled_with_their_last_scores(
    client, learner, mentor, mentorship
):
    from roadmap.models import Dimension
    from tracker.assessment import assessment_create

    dimensions = list(Dimension.objects.current())
    other = make_user("former")
    # Another (say, a former) mentor's later scores are theirs, not this mentor's.
    assessment_create(
        learner=learner,
        rater=mentor,
        role="mentor",
        scores={d: (2, f"Seen {d.pk}") for d in dimensions},
    )
    assessment_create(
        learner=learner, rater=other, role="mentor", scores={d: (5, "Other") for d in dimensions}
    )
    client.force_login(mentor)
    body = client.get(f"/mentor/{learner.username}/").content.decode()
    for d in dimensions:
        assert f'name="score_{d.pk}" value="2" id="id_score_{d.pk}_1" required checked' in body
        assert f"Seen {d.pk}</textarea>" in body
    assert body.count(" checked") == len(dimensions)
    # A new score shows at once (the form sits in a cached fragment).
    client.post(f"/mentor/{learner.username}/", {f"score_{d.pk}": 4 for d in dimensions})
    body = client.get(f"/mentor/{learner.username}/").content.decode()
    assert all(
        f'name="score_{d.pk}" value="4" id="id_score_{d.pk}_3" required checked' in body
        for d in dimensions
    )


def test_milestone_page_query_counts_under_review_are_flat(
    client, learner, mentor, mentorship, django_assert_num_queries
):
    s = submitted(learner)
    url = f"/milestones/{s.pk}/"

    def review_round(n: int) -> None:
        for i in range(n):
            submission_transition(
                submission=s, actor=mentor, to_state="changes_requested", comment=f"Round {i}"
            )
            submission_comment(submission=s, author=mentor, comment="More detail")
            submission_transition(submission=s, actor=learner, to_state="submitted")
        submission_transition(
            submission=s, actor=mentor, to_state="changes_requested", comment="Last round"
        )

    review_round(1)
    client.force_login(learner)
    # session; user; submission; links; images; has the learner a mentor; the request
    # (at the top); events (+actor, the thread: a cache miss); unread badge
    with django_assert_num_queries(9):
        assert "Last round" in client.get(url).content.decode()
    Submission.objects.filter(pk=s.pk).update(state="submitted")
    review_round(20)
    with django_assert_num_queries(9):
        client.get(url)
    with django_assert_num_queries(7):  # warm: the thread and the badge from the cache
        client.get(url)
    client.force_login(mentor)
    bump_learner(learner.pk)  # cold: a login no longer empties the mentee's cached pages
    # session; user; submission; links; images; is the viewer their mentor; the request;
    # events (+actor); unread badge
    with django_assert_num_queries(9):
        assert "You asked for changes" in client.get(url).content.decode()


def test_the_cached_thread_shows_a_submit_from_the_one_form_at_once(
    client, learner, mentor, mentorship
):
    s = submitted(learner)
    submission_transition(submission=s, actor=mentor, to_state="changes_requested")
    client.force_login(learner)
    before = client.get(f"/milestones/{s.pk}/").content.decode()  # fills the thread cache
    assert before.count("moved it to") == 2
    client.post(
        f"/milestones/{s.pk}/",
        {"evidence": "Fixed", "to": "submitted", "comment": "Added the plan"},
    )
    after = client.get(f"/milestones/{s.pk}/").content.decode()
    assert after.count("moved it to") == 3 and "Added the plan" in after
    assert "waiting less than a day for review" in after


def test_a_mentor_reads_a_self_approval_in_the_third_person(client, learner, mentor):
    s = submitted(learner)
    submission_transition(submission=s, actor=learner, to_state="approved")
    client.force_login(learner)
    assert "You approved this yourself" in client.get(f"/milestones/{s.pk}/").content.decode()
    invite_accept(invite=invite_create(learner=learner), user=mentor)
    client.force_login(mentor)
    body = client.get(f"/milestones/{s.pk}/").content.decode()
    assert "You approved this yourself" not in body
    assert "approved this themself, without a mentor at the time" in body


def test_only_the_owner_may_post_the_evidence_form(
    client, learner, mentor, mentorship, other_learner
):
    s = submitted(learner)
    submission_transition(submission=s, actor=mentor, to_state="changes_requested")
    data = {"evidence": "Not yours", "to": "submitted"}
    client.force_login(mentor)
    assert client.post(f"/milestones/{s.pk}/", data).status_code == 403
    former = make_user("fred")
    Mentorship.objects.create(learner=learner, mentor=former, ended_at=timezone.now())
    for outsider in (other_learner, former):
        client.force_login(outsider)
        assert client.post(f"/milestones/{s.pk}/", data).status_code == 404
    client.logout()
    assert "/accounts/login/" in client.post(f"/milestones/{s.pk}/", data)["Location"]
    s.refresh_from_db()
    assert (s.state, s.evidence) == ("changes_requested", "My cluster")


def test_the_mentee_page_shows_a_rating_a_comment_a_rename_and_a_take_at_once(
    client, learner, mentor, mentorship
):
    """Each rated answer is cached under its own fields, not the learner's versions: what
    changes it (the mentor's rating, a comment, a new take, a rename) shows at once."""
    from django.core.files.base import ContentFile

    from roadmap.models import Question
    from tracker.models import Recording
    from tracker.practice import answer_rate, answer_save

    question = Question.objects.current().first()
    answer = answer_save(
        user=learner, question=question, body="My answer", submit=True, reveal=True
    )
    answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
    client.force_login(mentor)
    url = f"/mentor/{learner.username}/"
    page = client.get(url).content.decode()
    assert "My answer" in page and "mentor’s rating" not in page and "Spoken answer" not in page
    client.post(f"{url}answers/{answer.pk}/rate/", {"rating": "4", "qualities": ["specificity"]})
    page = client.get(url).content.decode()
    assert "mentor’s rating: <strong>Easy</strong>" in page
    assert 'value="4" class="chip rating-4" aria-pressed="true"' in page
    client.post(f"{url}answers/{answer.pk}/comment/", {"body": "Name the **trade-off**."})
    assert "<strong>trade-off</strong>" in client.get(url).content.decode()
    mentor.display_name = "Mia Renamed"
    mentor.save()
    assert "Mia Renamed" in client.get(url).content.decode()  # the comment's author
    Recording.objects.create(
        learner=learner,
        answer=answer,
        file=ContentFile(b"x", name="take.webm"),
        content_type="audio/webm",
        size=1,
        duration=3,
    )
    assert "Spoken answer" in client.get(url).content.decode()


def test_the_mentee_page_costs_at_most_ten_queries_with_comments_and_new_answers(
    client, learner, mentor, mentorship, django_assert_max_num_queries
):
    from roadmap.models import Question
    from tracker.mentoring import answer_comment
    from tracker.practice import answer_rate, answer_save

    make_plan(learner)
    url = f"/mentor/{learner.username}/"
    client.force_login(mentor)
    client.get(url)  # the content caches
    for n, question in enumerate(Question.objects.current()[:3]):
        answer = answer_save(
            user=learner, question=question, body=f"Answer {n}", submit=True, reveal=True
        )
        answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
        answer_comment(answer=answer, author=mentor, body=f"Comment {n}")
        bump_learner(mentor.pk)  # the mentor's badge too
        # session; user; the mentorship (+latest assessments); the badge; items; submissions;
        # rated answers (their keys); their comments (+author); the new answer (+question)
        with django_assert_max_num_queries(10):
            page = client.get(url).content.decode()
        assert f"Answer {n}" in page and f"Comment {n}" in page
