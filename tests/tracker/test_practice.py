"""Practice: FSRS scheduling, caps, gentle restart, drafts, rating, mock interviews, stats."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from roadmap import content
from roadmap.models import Question
from tests.conftest import extra_questions
from tracker import schedule
from tracker.cache import bump_learner
from tracker.models import Answer, Card, MockInterview, Review
from tracker.practice import (
    answer_rate,
    answer_reveal,
    answer_save,
    build_queue,
    interview_finish,
    interview_rows,
    interview_start,
    practice_stats,
    preset_questions,
    spread_backlog,
    suggest_rating,
)

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def question(db) -> Question:
    return Question.objects.current().filter(source="rampup").first()


def rate(user, question, rating, when):
    answer = answer_save(
        user=user, question=question, body="My answer", submit=True, reveal=True, now=when
    )
    return answer_rate(answer=answer, covered=[0], qualities=[], rating=rating, now=when)


def test_good_pushes_the_due_date_out_and_again_brings_it_back(learner, question):
    with time_machine.travel(NOW, tick=False):
        first = rate(learner, question, 3, NOW)
    assert first.was_new
    assert first.due_after - NOW >= timedelta(days=1)
    later = first.due_after
    with time_machine.travel(later, tick=False):
        second = rate(learner, question, 3, later)
    assert second.due_after - later > first.due_after - NOW  # the interval grows
    with time_machine.travel(second.due_after, tick=False):
        third = rate(learner, question, 1, second.due_after)
    # Again brings it back: a shorter interval than the one just completed, days not weeks.
    assert third.due_after - second.due_after < second.due_after - later
    assert third.due_after - second.due_after <= timedelta(days=3)
    card = Card.objects.get(learner=learner, question=question)
    assert (card.reps, card.lapses) == (3, 1)
    assert Review.objects.filter(card=card).count() == 3


def test_ratings_leave_todays_queue(learner, question):
    today = schedule.today_for(learner.time_zone)
    before = build_queue(learner, today)
    assert question in before.new
    rate(learner, question, 3, timezone.now())
    after = build_queue(learner, today)
    assert question not in after.new
    assert question.pk not in {c.question_id for c in after.reviews}
    assert after.new_done_today == 1


def _cards(user, n, due, last_review=None):
    questions = list(Question.objects.current()[:n])
    Card.objects.bulk_create(
        Card(
            learner=user,
            question=q,
            due=due,
            last_review=last_review,
            reps=1,
            state=2,
            stability=5.0,
            difficulty=5.0,
        )
        for q in questions
    )
    return questions


def test_caps_limit_reviews_and_new_questions(learner):
    learner.daily_review_cap, learner.daily_new_cap = 4, 2
    learner.save()
    _cards(learner, 10, timezone.now() - timedelta(days=1), timezone.now() - timedelta(days=2))
    queue = build_queue(learner, schedule.today_for(learner.time_zone))
    assert queue.due_today == 10
    assert len(queue.reviews) == 4
    assert len(queue.new) == 2
    assert queue.restart is None


def test_gentle_restart_spreads_a_200_card_backlog(learner):
    learner.daily_review_cap = 30
    learner.save()
    away = timezone.now() - timedelta(days=20)
    Card.objects.bulk_create(
        Card(
            learner=learner,
            question=q,
            due=away + timedelta(hours=i),
            last_review=away,
            reps=3,
            state=2,
            stability=3.0,
            difficulty=5.0,
        )
        for i, q in enumerate(Question.objects.current()[:79])
    )
    # 79 questions exist; make the backlog 200 with throwaway questions.
    extra = Question.objects.current().first()
    for i in range(121):
        q = Question.objects.create(
            roadmap=extra.roadmap,
            key=f"backlog-{i}",
            order=500 + i,
            text=f"Backlog {i}?",
            level="advanced",
            kind="concept",
            phase=extra.phase,
            dimension=extra.dimension,
            key_points=["a", "b", "c"],
            model_answer="x",
            source="rampup",
        )
        Card.objects.create(
            learner=learner,
            question=q,
            due=away,
            last_review=away,
            reps=3,
            state=2,
            stability=3.0,
            difficulty=5.0,
        )
    queue = build_queue(learner, schedule.today_for(learner.time_zone))
    assert queue.due_today == 200
    assert queue.restart == (20, 200, 7)
    assert spread_backlog(200, 30) == [30, 30, 30, 30, 30, 30, 20]
    assert len(queue.reviews) == 30
    # Most overdue first.
    assert queue.reviews[0].due <= queue.reviews[-1].due


def test_the_page_says_so_after_a_break(learner_client, learner):
    away = timezone.now() - timedelta(days=10)
    _cards(learner, 70, away, away)
    body = learner_client.get("/practice/").content.decode()
    assert "Welcome back — 10 days away" in body
    assert "spread over the next 3 days (30, 30, 10)" in body


def test_suggestion_from_the_ticks(question):
    n = len(question.key_points)
    assert suggest_rating(question, [], []) == 1
    assert suggest_rating(question, list(range(n)), []) == 3
    assert (
        suggest_rating(
            question, list(range(n)), ["specificity", "systems-thinking", "trade-off-awareness"]
        )
        == 4
    )


def test_draft_saved_by_htmx_and_by_plain_post(learner_client, learner, question):
    url = f"/practice/{question.key}/"
    assert learner_client.get(url).status_code == 200
    assert not Answer.objects.exists()  # GET never writes
    response = learner_client.post(
        url, {"action": "draft", "body": "First **draft**"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200 and "<html" not in response.content.decode()
    assert "Draft saved" in response.content.decode()
    assert Answer.objects.get().body == "First **draft**"
    response = learner_client.post(url, {"action": "draft", "body": "Second draft"})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert (answer.body, answer.status) == ("Second draft", "draft")
    assert "Second draft" in learner_client.get(url).content.decode()


def test_preview_renders_safely(learner_client, question):
    response = learner_client.post(
        f"/practice/{question.key}/",
        {"action": "preview", "body": "**x** <script>y</script>"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert "<strong>x</strong>" in body and "<script>" not in body


def test_submitting_keeps_the_answer_and_a_late_autosave_cannot_undo_it(learner_client, question):
    url = f"/practice/{question.key}/"
    learner_client.post(url, {"action": "submit", "body": "Final answer"})
    learner_client.post(url, {"action": "draft", "body": ""}, headers={"HX-Request": "true"})
    answer = Answer.objects.get()
    assert (answer.status, answer.body) == ("submitted", "Final answer")
    body = learner_client.get(url).content.decode()
    # Handed in, not revealed: the disclosure button, no key points and no rating yet.
    assert "Show key points and model answer" in body and 'aria-expanded="false"' in body
    assert question.key_points[0][:30] not in body and 'name="rating"' not in body
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    body = learner_client.get(url).content.decode()
    assert "Check yourself" in body and question.key_points[0][:30] in body
    assert "Model answer" in body and 'data-rate="3" aria-keyshortcuts="3"' in body


def test_rating_is_refused_before_the_reveal_and_the_answer_is_kept(learner_client, question):
    url = f"/practice/{question.key}/"
    learner_client.post(url, {"action": "submit", "body": "What I typed"})
    answer = Answer.objects.get()
    assert answer.revealed_at is None
    response = learner_client.post(
        f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "covered": [0]}, follow=True
    )
    assert "reveal the key points and the model answer first" in response.content.decode()
    assert "What I typed" in response.content.decode()
    answer.refresh_from_db()
    assert (answer.status, answer.body, answer.rating) == ("submitted", "What I typed", None)
    assert not Review.objects.exists()
    # The reveal is recorded once; then the rating goes through.
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    answer.refresh_from_db()
    first = answer.revealed_at
    assert first is not None
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    answer.refresh_from_db()
    assert answer.revealed_at == first
    learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "covered": [0]})
    assert Review.objects.get().rating == 3


def test_reveal_needs_post_and_a_handed_in_answer_of_ones_own(
    learner_client, other_learner, question
):
    other_learner_client = Client()
    other_learner_client.force_login(other_learner)
    url = f"/practice/{question.key}/"
    learner_client.post(url, {"action": "draft", "body": "half"})
    answer = Answer.objects.get()
    assert learner_client.get(f"/practice/answers/{answer.pk}/reveal/").status_code == 405
    assert other_learner_client.post(f"/practice/answers/{answer.pk}/reveal/").status_code == 404
    response = learner_client.post(f"/practice/answers/{answer.pk}/reveal/", follow=True)
    assert "Hand your answer in before" in response.content.decode()
    answer.refresh_from_db()
    assert (answer.revealed_at, answer.body) == (None, "half")


def test_reveal_by_htmx_swaps_in_the_panel(learner_client, question):
    learner_client.post(f"/practice/{question.key}/", {"action": "submit", "body": "A"})
    answer = Answer.objects.get()
    response = learner_client.post(
        f"/practice/answers/{answer.pk}/reveal/", headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert "<html" not in body and 'id="check"' in body
    assert question.key_points[0][:30] in body and "Good <span" in body


def test_empty_answer_cannot_be_submitted(learner_client, question):
    response = learner_client.post(
        f"/practice/{question.key}/", {"action": "submit", "body": "  "}, follow=True
    )
    assert "Write an answer before you submit it." in response.content.decode()
    assert not Answer.objects.filter(status="submitted").exists()


def test_rating_through_the_page_schedules_and_lists_the_past_answer(
    learner_client, learner, question
):
    url = f"/practice/{question.key}/"
    learner_client.post(url, {"action": "submit", "body": "Answer"})
    answer = Answer.objects.get()
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    suggest = learner_client.get(
        f"/practice/answers/{answer.pk}/suggest/",
        {"covered": list(range(len(question.key_points)))},
        headers={"HX-Request": "true"},
    )
    assert 'value="3" class="chip rating-3" data-rate="3" aria-keyshortcuts="3" data-suggested' in (
        suggest.content.decode()
    )
    response = learner_client.post(
        f"/practice/answers/{answer.pk}/rate/",
        {"covered": [0, 1], "qualities": ["specificity"], "rating": 3},
    )
    # On to the next question of the queue.
    assert (
        response["Location"].startswith("/practice/") and question.key not in response["Location"]
    )
    answer.refresh_from_db()
    assert (answer.status, answer.rating, answer.covered_points) == ("rated", 3, [0, 1])
    assert Card.objects.get(learner=learner, question=question).due > timezone.now()
    assert "Your past answers" in learner_client.get(url).content.decode()


def test_rating_needs_a_rating_and_cannot_happen_twice(learner_client, question):
    learner_client.post(f"/practice/{question.key}/", {"action": "submit", "body": "A"})
    answer = Answer.objects.get()
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"covered": [0]})
    assert not Review.objects.exists()
    learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 2})
    learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 4})
    assert Review.objects.count() == 1


def test_a_leech_is_flagged_with_its_phase_resources(learner_client, learner, question):
    when = timezone.now() - timedelta(days=30)
    for i in range(6):
        rate(learner, question, 1, when + timedelta(days=2 * i))
    card = Card.objects.get(learner=learner, question=question)
    assert card.is_leech
    body = learner_client.get("/practice/").content.decode()
    assert "Needs rework" in body
    assert f"{question.phase.get_absolute_url()}#resources-heading" in body


def test_mock_interview_deadline_late_answers_and_summary(learner):
    q1, q2, q3 = Question.objects.current()[:3]
    interview = interview_start(
        user=learner, kind="custom", questions=[q1, q2, q3], minutes=30, now=NOW
    )
    assert interview.deadline == NOW + timedelta(minutes=30)
    a1 = answer_save(
        user=learner,
        question=q1,
        interview=interview,
        body="one",
        submit=True,
        now=NOW + timedelta(minutes=10),
    )
    a2 = answer_save(
        user=learner,
        question=q2,
        interview=interview,
        body="two",
        submit=True,
        now=NOW + timedelta(minutes=35),
    )
    assert (a1.late, a2.late) == (False, True)
    assert interview.is_over(NOW + timedelta(minutes=31))
    interview_finish(interview, now=NOW + timedelta(minutes=36))
    answer_reveal(answer=a1, now=NOW + timedelta(minutes=38))
    answer_rate(answer=a1, covered=[0, 1], qualities=[], rating=3, now=NOW + timedelta(minutes=40))
    rows = interview_rows(interview)
    assert [r.seconds for r in rows] == [600, 1500, None]
    assert rows[0].points == f"2/{len(q1.key_points)}"
    assert rows[2].answer is None
    # The rating fed the schedule like normal practice.
    assert Card.objects.filter(learner=learner, question=q1).exists()


def test_presets_mirror_the_recruiters_rounds(db):
    screen = preset_questions("technical-screen")
    assert len(screen) == 3 and all(q.source == "000_99e8c9792f2a57c3.txt" for q in screen)
    assert len(preset_questions("gpu-screening")) == 4
    debugging = preset_questions("live-debugging")
    assert debugging and all(q.kind == "troubleshooting" for q in debugging)


def test_interview_pages_end_to_end(learner_client, learner):
    response = learner_client.post("/interview/", {"kind": "technical-screen"})
    interview = MockInterview.objects.get()
    assert response["Location"] == f"/interview/{interview.pk}/"
    body = learner_client.get(response["Location"]).content.decode()
    assert "Time left" in body and 'data-seconds="' in body
    qid = interview.questions[0]
    learner_client.post(f"/interview/{interview.pk}/answer/{qid}/", {"body": "My walkthrough"})
    learner_client.post(f"/interview/{interview.pk}/finish/")
    body = learner_client.get(f"/interview/{interview.pk}/").content.decode()
    # (Was "Time is up": finishing early now says so, and the summary counts the rest.)
    assert "You finished early" in body and "My walkthrough" in body
    assert "2 unanswered" in body and "Time ran out" not in body
    answer = Answer.objects.get(interview=interview)
    learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
    learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "covered": [0]})
    # Unanswered questions do not block the summary... but every answered one is rated.
    body = learner_client.get(f"/interview/{interview.pk}/").content.decode()
    assert "Good" in body


def test_custom_interview_bad_input_gets_a_message(learner_client):
    response = learner_client.post("/interview/", {"kind": "custom", "count": 0, "minutes": 1})
    body = response.content.decode()
    assert response.status_code == 200
    assert "greater than or equal to 1" in body and "greater than or equal to 5" in body
    assert not MockInterview.objects.exists()
    response = learner_client.post("/interview/", {"kind": "bogus"}, follow=True)
    assert "Choose one of the interviews." in response.content.decode()


def test_stats_retention_by_axis(learner, question):
    other = Question.objects.current().exclude(pk=question.pk).first()
    rate(learner, question, 3, timezone.now())
    rate(learner, other, 1, timezone.now())
    stats = practice_stats(learner, schedule.today_for(learner.time_zone))
    assert (stats.answered, stats.reviews, stats.retention) == (2, 2, 0.5)
    assert sum(n for _, n, _ in stats.by["level"]) == 2


def test_practice_pages_need_login(client, question):
    for url in ("/practice/", f"/practice/{question.key}/", "/practice/stats/", "/interview/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_draft_form_is_csrf_protected(learner, question):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    url = f"/practice/{question.key}/"
    assert client.post(url, {"action": "draft", "body": "x"}).status_code == 403
    client.get(url)
    response = client.post(
        url,
        {"action": "draft", "body": "x"},
        headers={"X-CSRFToken": client.cookies["csrftoken"].value, "HX-Request": "true"},
    )
    assert response.status_code == 200 and Answer.objects.get().body == "x"


def _many_cards(learner, n):
    extra_questions(f"bulk-{n}", n, order=1000, key_points=("a", "b", "c"))
    content.bump()  # as a content load does: bulk_create sends no signal
    due = timezone.now() - timedelta(hours=1)
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=due, reps=1)
        for q in Question.objects.filter(key__startswith=f"bulk-{n}-")
    )


def test_practice_queue_query_count_is_the_same_with_1_and_500_cards(
    learner_client, learner, django_assert_num_queries
):
    def measure():
        learner_client.get("/practice/")  # warms the content cache
        bump_learner(learner.pk)  # …and forgets the rendered queue
        # session; user (+plan); counts with today's reviews, one row; due cards
        # (+question, phase, dimension); new questions; leeches; unread notifications
        # (the badge); the filter form's dimensions from the content cache
        with django_assert_num_queries(7):
            assert learner_client.get("/practice/").status_code == 200
        # session; user (+plan): the queue from the fragment cache
        with django_assert_num_queries(2):
            assert learner_client.get("/practice/").status_code == 200

    _many_cards(learner, 1)
    measure()
    _many_cards(learner, 500)
    measure()


def test_changing_the_caps_shows_at_once(learner_client, learner):
    assert "Caps: 30 reviews, 5 new a day" in learner_client.get("/practice/").content.decode()
    learner_client.post(
        "/settings/",
        {
            "display_name": "",
            "time_zone": "Europe/Paris",
            "daily_new_cap": 2,
            "daily_review_cap": 12,
        },
    )
    learner.refresh_from_db()
    assert (learner.daily_new_cap, learner.daily_review_cap) == (2, 12)
    assert "Caps: 12 reviews, 2 new a day" in learner_client.get("/practice/").content.decode()


def test_settings_reject_bad_caps_with_a_message(learner_client, learner):
    response = learner_client.post(
        "/settings/", {"time_zone": "Mars/Olympus", "daily_new_cap": 99, "daily_review_cap": 0}
    )
    body = response.content.decode()
    assert "Select a valid choice" in body
    assert "less than or equal to 50" in body and "greater than or equal to 1" in body
    learner.refresh_from_db()
    assert learner.daily_new_cap == 5


def _glance_of_queue(learner, today):
    queue = build_queue(learner, today, leeches=False)
    return len(queue.reviews), len(queue.new), queue.next_question


@pytest.mark.parametrize(
    ("due_in", "new_cap", "review_cap"),
    [
        ([], 10, 100),  # nothing seen yet: new questions only
        ([-timedelta(hours=2), -timedelta(hours=1)], 10, 100),  # due now come first
        ([timedelta(hours=1)], 10, 100),  # an Again card later today: after new ones
        ([timedelta(hours=1)], 0, 100),  # …or first, when no new room is left
        ([-timedelta(hours=1)] * 3, 0, 2),  # the review cap
        ([-timedelta(hours=1)], 0, 0),  # no room at all
    ],
)
def test_the_dashboards_glance_agrees_with_the_queue(learner, due_in, new_cap, review_cap):
    from tracker.practice import practice_glance

    learner.daily_new_cap, learner.daily_review_cap = new_cap, review_cap
    learner.save()
    today = schedule.today_for(learner.time_zone)
    now = timezone.now()
    questions = list(Question.objects.current().order_by("-order")[: len(due_in)])
    Card.objects.bulk_create(
        Card(learner=learner, question=q, due=now + d, reps=1, step=0, state=1)
        for q, d in zip(questions, due_in, strict=True)
    )
    glance = practice_glance(learner, today)
    assert (glance.due, glance.new, glance.next_question) == _glance_of_queue(learner, today)


def test_a_question_the_cached_content_lacks_still_shows_in_the_queue(
    learner_client, learner, django_assert_num_queries
):
    learner_client.get("/practice/")  # the content cached, without the questions below
    base = Question.objects.current().first()
    # Bulk-created, so no signal: the cached content does not know them.
    extra_questions("late", 2, order=3000, text="Late question {i}?")
    late = Question.objects.get(key="late-0")
    Card.objects.create(learner=learner, question=late, due=timezone.now(), reps=1)
    bump_learner(learner.pk)
    # The seven of the page, and those questions (with phase and dimension) in one more.
    with django_assert_num_queries(8):
        body = learner_client.get("/practice/").content.decode()
    assert 'href="/practice/late-0/"' in body and "Late question 0?" in body
    assert base.dimension.name in body
