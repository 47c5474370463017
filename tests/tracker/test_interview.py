"""Mock interviews never lose an answer: one form for every box, autosaved drafts, a
summary however the interview ends; and one draft row per answer, even under races."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection, transaction
from django.test import Client

from roadmap import markdown
from roadmap.models import Question
from tests.conftest import make_user
from tracker import practice
from tracker.models import Answer, Mentorship, MockInterview
from tracker.practice import answer_save, interview_start

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


@pytest.fixture
def questions(db) -> list[Question]:
    return list(Question.objects.current().order_by("phase__order", "order")[:3])


@pytest.fixture
def interview(learner, questions) -> MockInterview:
    return interview_start(user=learner, kind="custom", questions=questions, minutes=30, now=NOW)


def url(interview: MockInterview) -> str:
    return f"/interview/{interview.pk}/"


def bodies(questions, *texts) -> dict[str, str]:
    return {f"body-{q.pk}": text for q, text in zip(questions, texts, strict=True)}


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_one_form_saves_every_box_and_a_question_button_hands_in_its_own(
    learner_client, interview, questions
):
    q1, q2, q3 = questions
    assert not Answer.objects.exists()
    response = learner_client.post(
        url(interview), {**bodies(questions, "One", "Two", "Three"), "hand_in": q1.pk}
    )
    assert response.status_code == 302 and response["Location"] == f"{url(interview)}#q-{q1.pk}"
    saved = {a.question_id: (a.body, a.status) for a in Answer.objects.filter(interview=interview)}
    assert saved == {
        q1.pk: ("One", "submitted"),
        q2.pk: ("Two", "draft"),
        q3.pk: ("Three", "draft"),
    }
    # Reloading shows all three texts, in their boxes.
    page = learner_client.get(url(interview)).content.decode()
    assert page.count('<form method="post" action="/interview/') == 1
    for q, text in zip(questions, ("One", "Two", "Three"), strict=True):
        assert f'name="body-{q.pk}"' in page and f">{text}</textarea>" in page
    assert "Answer saved." in page and "Update answer" in page


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_an_empty_box_handed_in_gets_a_message_and_the_others_are_still_saved(
    learner_client, interview, questions
):
    q1, q2, _ = questions
    response = learner_client.post(
        url(interview), {**bodies(questions, "", "Kept", ""), "hand_in": q1.pk}, follow=True
    )
    assert "Write an answer before you save it." in response.content.decode()
    assert Answer.objects.get(interview=interview).body == "Kept"


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_each_box_autosaves_a_draft_through_htmx(learner_client, interview, questions):
    q2 = questions[1]
    response = learner_client.post(
        url(interview),
        {**bodies(questions, "", "Draft *two*", ""), "action": "draft"},
        headers={"HX-Request": "true", "HX-Trigger": f"a-{q2.pk}"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert f'id="draft-{q2.pk}"' in body and "Draft saved at" in body
    answer = Answer.objects.get(interview=interview)  # the empty boxes made no rows
    assert (answer.question_id, answer.body, answer.status) == (q2.pk, "Draft *two*", "draft")
    # The page wires every box to the same autosave as the practice page.
    page = learner_client.get(url(interview)).content.decode()
    assert page.count('data-hx-trigger="input changed delay:1200ms"') == 3
    assert "Draft *two*</textarea>" in page
    assert f'data-hx-params="body-{q2.pk},action"' in page  # a box autosaves only itself


def test_the_form_is_csrf_protected(learner, interview, questions):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    data = {**bodies(questions, "x", "", ""), "action": "draft"}
    assert client.post(url(interview), data).status_code == 403
    client.get(url(interview))
    headers = {
        "X-CSRFToken": client.cookies["csrftoken"].value,
        "HX-Request": "true",
        "HX-Trigger": f"a-{questions[0].pk}",
    }
    response = client.post(url(interview), data, headers=headers)
    assert response.status_code == 200 and Answer.objects.get().body == "x"


@time_machine.travel(NOW + timedelta(minutes=12), tick=False)
def test_finishing_early_counts_drafts_and_unanswered_and_says_so(
    learner_client, interview, questions
):
    q1, q2, q3 = questions
    learner_client.post(url(interview), {**bodies(questions, "Saved", "", ""), "hand_in": q1.pk})
    # Typed into the second box, not saved: the finish button sends it with the rest.
    response = learner_client.post(
        url(interview), {**bodies(questions, "Saved", "Typed only", "  "), "action": "finish"}
    )
    assert response["Location"] == f"{url(interview)}#summary-heading"
    interview.refresh_from_db()
    assert interview.finished_at == NOW + timedelta(minutes=12) and interview.ended_early
    answers = {a.question_id: a for a in Answer.objects.filter(interview=interview)}
    assert answers[q2.pk].status == "submitted" and answers[q2.pk].body == "Typed only"
    page = learner_client.get(url(interview)).content.decode()
    assert "You finished early, with 18\xa0minutes left." in page
    assert "Time ran out" not in page and "Time is up" not in page
    assert "2 of 3 questions answered" in page and "1 unanswered" in page
    assert page.count("Show key points and model answer") == 2 and "Typed only" in page
    assert "Not answered." in page and "textarea" not in page


def test_time_running_out_leads_to_the_summary_with_drafts_as_answers(
    learner_client, interview, questions
):
    q1 = questions[0]
    with time_machine.travel(NOW + timedelta(minutes=10), tick=False):
        learner_client.post(
            url(interview),
            {**bodies(questions, "Half an answer", "", ""), "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
        )
    with time_machine.travel(NOW + timedelta(minutes=31), tick=False):
        page = learner_client.get(url(interview)).content.decode()
        assert Answer.objects.get().status == "draft"  # GET wrote nothing
        assert "Time ran out at" in page and "finished early" not in page
        assert "1 of 3 questions answered" in page and "2 unanswered" in page
        assert "Half an answer" in page and "Show key points and model answer" in page
        # Rating the draft hands it in as typed, on time.
        answer = Answer.objects.get()
        learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
        learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 3, "covered": [0]})
        answer.refresh_from_db()
        assert (answer.status, answer.rating, answer.late) == ("rated", 3, False)
        assert answer.submitted_at == NOW + timedelta(minutes=10)


@pytest.mark.parametrize("seconds_left", [2, -40])
def test_the_countdown_hitting_zero_saves_everything_and_says_time_ran_out(
    learner_client, interview, questions, seconds_left
):
    with time_machine.travel(interview.deadline - timedelta(seconds=seconds_left), tick=False):
        response = learner_client.post(
            url(interview), {**bodies(questions, "Last words", "", ""), "action": "timeout"}
        )
    assert response["Location"] == f"{url(interview)}#summary-heading"
    interview.refresh_from_db()
    assert interview.finished_at == interview.deadline and not interview.ended_early
    assert Answer.objects.get().status == "submitted"
    page = learner_client.get(url(interview)).content.decode()
    assert "Time ran out at" in page and "2 unanswered" in page


def test_a_timeout_sent_long_before_the_deadline_does_not_end_the_interview(
    learner_client, interview, questions
):
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        learner_client.post(url(interview), {**bodies(questions, "x", "", ""), "action": "timeout"})
    interview.refresh_from_db()
    assert interview.finished_at is None and Answer.objects.get().body == "x"


def test_a_rated_answer_is_not_reopened_by_a_stale_tab(
    learner_client, learner, interview, questions
):
    q1 = questions[0]
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        learner_client.post(
            url(interview), {**bodies(questions, "Mine", "", ""), "action": "finish"}
        )
        answer = Answer.objects.get()
        learner_client.post(f"/practice/answers/{answer.pk}/reveal/")
        learner_client.post(f"/practice/answers/{answer.pk}/rate/", {"rating": 2})
        learner_client.post(
            url(interview), {**bodies(questions, "Changed", "", ""), "hand_in": q1.pk}
        )
    answer = Answer.objects.get()
    assert (answer.body, answer.status) == ("Mine", "rated")


def test_the_interview_list_says_how_each_one_ended(learner_client, learner, questions):
    early = interview_start(user=learner, kind="custom", questions=questions, minutes=30, now=NOW)
    practice.interview_finish(early, now=NOW + timedelta(minutes=3))
    interview_start(user=learner, kind="custom", questions=questions, minutes=30, now=NOW)
    with time_machine.travel(NOW + timedelta(hours=1), tick=False):
        interview_start(user=learner, kind="custom", questions=questions, minutes=30)
        page = learner_client.get("/interview/").content.decode()
    assert "finished early" in page and "time ran out" in page and "in progress" in page


def test_only_the_owner_sees_or_saves_their_interview(
    client, learner, other_learner, interview, questions
):
    mentor = make_user("mia")
    Mentorship.objects.create(learner=learner, mentor=mentor)
    data = {**bodies(questions, "Intruder", "", ""), "hand_in": questions[0].pk}
    for outsider in (other_learner, mentor):
        client.force_login(outsider)
        assert client.get(url(interview)).status_code == 404
        assert client.post(url(interview), data).status_code == 404
        assert client.post(url(interview), {"action": "finish"}).status_code == 404
    client.logout()
    response = client.post(url(interview), data)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not Answer.objects.exists()
    interview.refresh_from_db()
    assert interview.finished_at is None


def test_wrong_method_is_refused(learner_client, interview):
    assert learner_client.put(url(interview)).status_code == 405


# --- one draft per answer ------------------------------------------------------------


def test_the_database_refuses_a_second_draft_of_one_answer(learner, interview, questions):
    q = questions[0]
    answer_save(user=learner, question=q, body="one", submit=False)
    answer_save(
        user=learner, question=q, interview=interview, body="in the interview", submit=False
    )
    for extra in ({}, {"interview": interview}):
        with pytest.raises(IntegrityError), transaction.atomic():
            Answer.objects.create(learner=learner, question=q, **extra)
    # A rated answer and a new draft of the same question live side by side.
    answer_save(user=learner, question=q, body="one", submit=True)
    Answer.objects.filter(interview=None).update(status="rated")
    answer_save(user=learner, question=q, body="again", submit=False)
    assert Answer.objects.filter(interview=None).count() == 2


def test_fifty_concurrent_draft_saves_leave_one_row(transactional_db, monkeypatch):
    # Real commits (transactional_db, which also reloads the roadmap content after a flush):
    # each thread has its own connection and sees the others' rows.
    user = make_user("racer")
    question = Question.objects.current().first()
    real_render = markdown.render_markdown

    def slow_render(text: str) -> str:
        time.sleep(0.02)  # widens the window between reading and inserting the draft
        return real_render(text)

    # The model renders its HTML as it saves: between the read and the insert.
    monkeypatch.setattr(markdown, "render_markdown", slow_render)
    barrier, errors = threading.Barrier(50), []

    def save(i: int) -> None:
        try:
            barrier.wait()
            # The in-memory SQLite test database refuses (does not queue) a second
            # writer: "table is locked". Retry that; PostgreSQL never says it.
            for _ in range(5000):
                try:
                    answer_save(user=user, question=question, body=f"draft {i}", submit=False)
                    return
                except OperationalError as error:
                    if "locked" not in str(error):
                        raise
                    time.sleep(0.002)
            errors.append("still locked")
        except Exception as error:  # reported below, from the test's thread
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=save, args=(i,)) for i in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert Answer.objects.filter(learner=user, question=question).count() == 1


# --- review findings: stale tabs, emptied boxes, status wording ------------------------


def _base(page: str, question: Question) -> str:
    import re

    match = re.search(rf'name="base-{question.pk}" value="([0-9a-f]+)"', page)
    assert match, "each box carries the version of the text it was loaded with"
    return match.group(1)


@pytest.mark.parametrize("action", ["finish", "timeout"])
def test_a_stale_tab_finishing_or_timing_out_loses_nothing_saved_elsewhere(
    learner_client, interview, questions, action
):
    q1, q2, q3 = questions
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        laptop = learner_client.get(url(interview)).content.decode()  # loaded with empty boxes
        stale = {f"base-{q.pk}": _base(laptop, q) for q in questions}
    # On the phone: one answer handed in, one autosaved.
    with time_machine.travel(NOW + timedelta(minutes=20), tick=False):
        phone = learner_client.get(url(interview)).content.decode()
        phone_bases = {f"base-{q.pk}": _base(phone, q) for q in questions}
        learner_client.post(
            url(interview),
            {**bodies(questions, "Phone one", "", ""), **phone_bases, "hand_in": q1.pk},
        )
        learner_client.post(
            url(interview),
            {**bodies(questions, "", "Phone two", ""), **phone_bases, "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q2.pk}"},
        )
    # The laptop, still showing empty boxes, finishes (or its countdown fires).
    when = NOW + timedelta(minutes=25 if action == "finish" else 30)
    with time_machine.travel(when, tick=False):
        response = learner_client.post(
            url(interview), {**bodies(questions, "", "", ""), **stale, "action": action}
        )
    assert response["Location"] == f"{url(interview)}#summary-heading"
    answers = {a.question_id: (a.body, a.status) for a in Answer.objects.all()}
    assert answers == {q1.pk: ("Phone one", "submitted"), q2.pk: ("Phone two", "submitted")}
    page = learner_client.get(url(interview)).content.decode()
    assert "2 of 3 questions answered" in page


def test_a_stale_tab_with_its_own_text_sees_both_texts_and_nothing_is_overwritten(
    learner_client, interview, questions
):
    q1 = questions[0]
    with time_machine.travel(NOW + timedelta(minutes=1), tick=False):
        stale = {
            f"base-{q.pk}": _base(learner_client.get(url(interview)).content.decode(), q)
            for q in questions
        }
        learner_client.post(
            url(interview),
            {**bodies(questions, "Saved elsewhere", "", ""), **stale, "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
        )
        # The stale tab's autosave of its own text is refused, and says so.
        response = learner_client.post(
            url(interview),
            {**bodies(questions, "Typed here", "", ""), **stale, "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
        )
        assert "changed in another tab" in response.content.decode()
        assert "data-hx-swap-oob" not in response.content.decode()  # its version stays stale
        # Finishing from it keeps the stored text, shows this tab's text, and does not end.
        response = learner_client.post(
            url(interview),
            {**bodies(questions, "Typed here", "", ""), **stale, "action": "finish"},
        )
    page = response.content.decode()
    assert response.status_code == 409
    assert "Saved elsewhere</textarea>" in page and "Typed here</textarea>" in page
    assert "Not saved from this tab" in page
    interview.refresh_from_db()
    assert interview.finished_at is None
    assert Answer.objects.get().body == "Saved elsewhere"


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_autosave_returns_the_new_version_so_the_same_tab_keeps_saving(
    learner_client, interview, questions
):
    q1 = questions[0]
    base = _base(learner_client.get(url(interview)).content.decode(), q1)
    for text in ("First", "First and second"):
        response = learner_client.post(
            url(interview),
            {f"body-{q1.pk}": text, f"base-{q1.pk}": base, "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
        )
        assert "Draft saved at" in response.content.decode()
        base = _base(response.content.decode(), q1)
        assert 'data-hx-swap-oob="true"' in response.content.decode()
    assert Answer.objects.get().body == "First and second"


def test_a_finished_interview_refuses_to_change_answers(learner_client, interview, questions):
    q1 = questions[0]
    with time_machine.travel(NOW + timedelta(minutes=5), tick=False):
        learner_client.post(
            url(interview), {**bodies(questions, "Handed in", "", ""), "action": "finish"}
        )
        base = practice.body_version("Handed in")  # a tab that had loaded it
        response = learner_client.post(
            url(interview),
            {**bodies(questions, "Rewritten", "", ""), f"base-{q1.pk}": base, "hand_in": q1.pk},
        )
        assert response.status_code == 409 and "had already ended" in response.content.decode()
        assert "Rewritten</textarea>" in response.content.decode()
        draft = learner_client.post(
            url(interview),
            {f"body-{q1.pk}": "Rewritten", f"base-{q1.pk}": base, "action": "draft"},
            headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
        )
        assert "this interview has ended" in draft.content.decode()
    assert Answer.objects.get().body == "Handed in"


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_saving_an_emptied_handed_in_box_writes_nothing(learner_client, interview, questions):
    q1 = questions[0]
    learner_client.post(
        url(interview), {**bodies(questions, "My answer", "", ""), "hand_in": q1.pk}
    )
    base = practice.body_version("My answer")
    response = learner_client.post(
        url(interview),
        {**bodies(questions, "", "", ""), f"base-{q1.pk}": base, "hand_in": q1.pk},
        follow=True,
    )
    assert "Write an answer before you save it." in response.content.decode()
    answer = Answer.objects.get()
    assert (answer.body, answer.status) == ("My answer", "submitted")


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_an_autosave_without_hx_trigger_still_targets_its_box(learner_client, interview, questions):
    q2 = questions[1]
    response = learner_client.post(
        url(interview),
        {f"body-{q2.pk}": "No trigger header", "action": "draft"},
        headers={"HX-Request": "true"},
    )
    assert f'id="draft-{q2.pk}"' in response.content.decode()
    assert "draft-None" not in response.content.decode()


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_each_save_button_names_its_question(learner_client, interview, questions):
    page = learner_client.get(url(interview)).content.decode()
    for n in (1, 2, 3):
        assert f'aria-label="Save answer, question {n}"' in page


@time_machine.travel(NOW + timedelta(minutes=5), tick=False)
def test_editing_a_handed_in_answer_says_saved_not_draft(learner_client, interview, questions):
    q1 = questions[0]
    learner_client.post(url(interview), {**bodies(questions, "v1", "", ""), "hand_in": q1.pk})
    response = learner_client.post(
        url(interview),
        {f"body-{q1.pk}": "v2", f"base-{q1.pk}": practice.body_version("v1"), "action": "draft"},
        headers={"HX-Request": "true", "HX-Trigger": f"a-{q1.pk}"},
    )
    body = response.content.decode()
    assert "Saved at 09:05." in body and "Draft" not in body
    answer = Answer.objects.get()
    assert (answer.body, answer.status) == ("v2", "submitted")


def test_a_signed_out_htmx_request_gets_401_not_the_login_page(client, interview, questions):
    response = client.post(
        url(interview),
        {f"body-{questions[0].pk}": "x", "action": "draft"},
        headers={"HX-Request": "true", "HX-Trigger": f"a-{questions[0].pk}"},
    )
    assert response.status_code == 401 and "<form" not in response.content.decode()
    # Without htmx the redirect to log in stays.
    assert client.get(url(interview)).status_code == 302
    assert client.get("/practice/", headers={"HX-Request": "true"}).status_code == 401
