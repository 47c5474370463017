"""Spoken answers: the container check, upload, listening with Range, deleting, spoken
mock interviews, export, import and account deletion."""

from __future__ import annotations

import contextlib
import io
import time

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from roadmap.models import Question
from tests.audio import ebml, ogg_opus, webm
from tests.conftest import make_plan
from tracker.account_deletion import delete_account
from tracker.models import Answer, MockInterview, Recording
from tracker.portability.export import export_user
from tracker.portability.importer import import_message, import_user
from tracker.practice import answer_rate, answer_reveal, answer_save, interview_start
from tracker.recordings import (
    DAMAGED,
    EMPTY,
    HAS_VIDEO,
    MAX_BYTES,
    NOT_AUDIO,
    clean_recording,
    webm_duration,
)


def refusal(data: bytes) -> str:
    with pytest.raises(ValidationError) as info:
        clean_recording(io.BytesIO(data))
    return info.value.messages[0]


# --- the container decides --------------------------------------------------------------


def test_a_webm_recording_without_a_declared_duration_is_timed_by_its_blocks():
    clean = clean_recording(io.BytesIO(webm(65)))
    assert (clean.content_type, clean.extension, clean.duration) == ("audio/webm", ".webm", 65)
    assert clean.size == len(webm(65))


def test_a_short_declared_duration_cannot_hide_a_long_recording():
    assert webm_duration(webm(700, declared=10)) == 700
    assert "11:40 long" in refusal(webm(700, declared=10))


def test_the_declared_duration_counts_when_it_is_the_longer():
    assert webm_duration(webm(30, declared=700)) == 700


def test_an_ogg_opus_recording_is_timed_by_mutagen():
    clean = clean_recording(io.BytesIO(ogg_opus(42)))
    assert (clean.content_type, clean.extension, clean.duration) == ("audio/ogg", ".ogg", 42)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, NOT_AUDIO),  # an image renamed .webm
        (b"<html><script>alert(1)</script>", NOT_AUDIO),
        (b"", NOT_AUDIO),
        (webm(5, doctype=b"matroska"), NOT_AUDIO),
        (webm(5, audio=False), NOT_AUDIO),
        (webm(5, video=True), HAS_VIDEO),
        (webm(5)[:40], DAMAGED),
        (b"\x1a\x45\xdf\xa3" + b"\xff" * 50, DAMAGED),
        (webm(5, blocks=False), EMPTY),  # a header and no sound
        (b"OggS" + b"\x00" * 200, NOT_AUDIO),
    ],
    ids=[
        "png",
        "html",
        "empty-file",
        "matroska",
        "no-audio",
        "video",
        "cut",
        "junk",
        "no-blocks",
        "ogg-junk",
    ],
)
def test_what_is_not_a_webm_or_ogg_recording_is_refused_with_a_message(data, message):
    assert refusal(data) == message


def test_an_over_long_recording_is_refused_saying_how_long():
    assert refusal(webm(11 * 60)) == (
        "The recording is 11:00 long: at most 10:00 fits one answer. Record a shorter one."
    )
    assert "11:40 long" in refusal(ogg_opus(700))
    assert clean_recording(io.BytesIO(webm(600))).duration == 600  # the cap itself is fine


def test_an_over_size_file_is_refused_before_it_is_read():
    upload = SimpleUploadedFile("a.webm", b"\x00")
    upload.size = MAX_BYTES + 1  # what Django says of a big upload: nothing is read
    assert refusal(b"\x00" * (MAX_BYTES + 1)) == refusal_of(upload)
    assert "larger than 10 MB" in refusal_of(upload)


def refusal_of(upload) -> str:
    with pytest.raises(ValidationError) as info:
        clean_recording(upload)
    return info.value.messages[0]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.integers(min_value=0, max_value=400))
def test_any_bytes_are_refused_or_accepted_never_an_error(noise, cut):
    """Hostile bytes after a real header, or a real file cut anywhere: only ValidationError."""
    for data in (b"\x1a\x45\xdf\xa3" + noise, webm(3)[:cut] + noise, b"OggS" + noise):
        with contextlib.suppress(ValidationError):
            clean_recording(io.BytesIO(data))


def test_parsing_is_linear_a_worst_case_10_mb_file_takes_about_a_second():
    """A block every millisecond, no payload: the most elements 10 MB can hold."""
    data = webm(590, step_ms=1, frame=b"")
    assert len(data) < MAX_BYTES
    started = time.perf_counter()
    assert webm_duration(data) == 590
    assert time.perf_counter() - started < 5  # ~1 s here, on a shared machine


def test_unknown_size_is_refused_for_a_non_master_element():
    data = webm(1).replace(
        ebml(0xE7, (0).to_bytes(4, "big")), b"\xe7\x01\xff\xff\xff\xff\xff\xff\xff"
    )
    assert refusal(data) == DAMAGED


# --- upload, listen, delete --------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def question(db) -> Question:
    return Question.objects.current().first()


def upload(client, url, data: bytes, name: str = "answer.webm"):
    return client.post(url, {"audio": SimpleUploadedFile(name, data, "audio/webm")})


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()]


def test_the_owner_records_a_take_and_gets_the_takes_list(learner_client, learner, question, media):
    assert not Answer.objects.filter(learner=learner).exists()
    response = upload(learner_client, reverse("practice_recording", args=[question.key]), webm(65))
    assert response.status_code == 201
    recording = Recording.objects.get()
    assert (recording.learner, recording.content_type, recording.duration) == (
        learner,
        "audio/webm",
        65,
    )
    assert recording.answer.status == "draft" and recording.answer.question == question
    assert recording.file.name.startswith(f"recordings/{learner.pk}/")
    assert recording.file.name.endswith(".webm") and "answer" not in recording.file.name
    body = response.content.decode()
    assert "Take 1" in body and "1:05" in body and reverse("recording", args=[recording.pk]) in body
    assert "<html" not in body
    assert len(stored_files(media)) == 1


def test_a_take_joins_the_draft_being_written(learner_client, learner, question, media):
    draft = answer_save(user=learner, question=question, body="Draft text", submit=False)
    upload(learner_client, reverse("practice_recording", args=[question.key]), webm(5))
    assert Recording.objects.get().answer == draft
    draft.refresh_from_db()
    assert draft.body == "Draft text"  # the written draft is untouched


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 500, NOT_AUDIO),
        (webm(11 * 60), "11:00 long"),
        (b"\x1a\x45\xdf\xa3" + b"\x00" * (MAX_BYTES + 1), "larger than 10 MB"),
    ],
    ids=["not-audio", "too-long", "too-big"],
)
def test_a_refused_upload_says_why_and_stores_nothing(
    learner_client, learner, question, media, data, message
):
    response = upload(learner_client, reverse("practice_recording", args=[question.key]), data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    assert message in response.content.decode()
    assert not Recording.objects.exists() and not stored_files(media)
    assert not Answer.objects.filter(learner=learner).exists()


def test_an_upload_without_a_file_is_refused(learner_client, question, media):
    response = learner_client.post(reverse("practice_recording", args=[question.key]))
    assert response.status_code == 400 and "No recording arrived" in response.content.decode()


def test_an_answer_keeps_at_most_five_takes(learner_client, question, media):
    url = reverse("practice_recording", args=[question.key])
    for _ in range(Recording.MAX_PER_ANSWER):
        assert upload(learner_client, url, webm(2)).status_code == 201
    response = upload(learner_client, url, webm(2))
    assert response.status_code == 400 and "at most 5 recordings" in response.content.decode()
    assert Recording.objects.count() == 5


def test_upload_works_with_csrf_enforced_and_the_header_the_recorder_sends(
    learner, question, media
):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    page = client.get(reverse("practice_answer", args=[question.key]))
    token = page.context["csrf_token"]
    url = reverse("practice_recording", args=[question.key])
    assert upload(client, url, webm(3)).status_code == 403  # no token
    data = {"audio": SimpleUploadedFile("a.webm", webm(3))}
    assert client.post(url, data, headers={"X-CSRFToken": str(token)}).status_code == 201


def test_a_spoken_answer_can_be_submitted_without_text_and_rated(
    learner_client, learner, question, media
):
    url = reverse("practice_answer", args=[question.key])
    learner_client.post(url, {"action": "submit", "body": ""})
    assert not Answer.objects.exists()  # nothing said or written yet: refused
    upload(learner_client, reverse("practice_recording", args=[question.key]), webm(30))
    response = learner_client.post(url, {"action": "submit", "body": ""})
    assert response.status_code == 302
    answer = Answer.objects.get()
    assert answer.status == "submitted"
    page = learner_client.get(url).content.decode()
    # The take sits on the page; the key points and the rating buttons come with the reveal.
    assert "Take 1" in page and reverse("practice_reveal", args=[answer.pk]) in page
    learner_client.post(reverse("practice_reveal", args=[answer.pk]))
    page = learner_client.get(url).content.decode()
    assert "Check yourself" in page and "Take 1" in page and 'name="rating"' in page
    learner_client.post(reverse("practice_rate", args=[answer.pk]), {"covered": [0], "rating": 3})
    answer.refresh_from_db()
    assert answer.rating == 3 and answer.recordings.count() == 1


def test_the_practice_page_says_recording_needs_javascript_and_a_microphone(
    learner_client, question
):
    page = learner_client.get(reverse("practice_answer", args=[question.key])).content.decode()
    assert "Recording needs JavaScript and a microphone" in page
    assert 'id="answer-body"' in page  # the written answer is still there
    assert "js/recorder.js" in page


@pytest.fixture
def take(learner, question, media) -> Recording:
    client = Client()
    client.force_login(learner)
    upload(client, reverse("practice_recording", args=[question.key]), webm(65))
    return Recording.objects.get()


def test_listening_sends_the_whole_file_inline(learner_client, take):
    response = learner_client.get(take.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/webm"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Disposition"] == "inline"
    assert b"".join(response.streaming_content) == webm(65)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [
        ("bytes=0-9", 0, 9),
        ("bytes=100-", 100, None),
        ("bytes=-16", -16, None),
        ("bytes=5-99999999", 5, None),
    ],
)
def test_a_range_request_gets_that_part_to_seek(learner_client, take, header, first, last):
    data = webm(65)
    response = learner_client.get(take.get_absolute_url(), headers={"Range": header})
    assert response.status_code == 206
    expected = data[first : None if last is None else last + 1]
    assert response.content == expected
    start = first if first >= 0 else len(data) + first
    end = last if last is not None else len(data) - 1
    assert response["Content-Range"] == f"bytes {start}-{end}/{len(data)}"
    assert response["Content-Type"] == "audio/webm"


def test_a_range_past_the_end_is_416_and_a_bad_range_gets_the_whole_file(learner_client, take):
    size = len(webm(65))
    response = learner_client.get(take.get_absolute_url(), headers={"Range": f"bytes={size}-"})
    assert response.status_code == 416 and response["Content-Range"] == f"bytes */{size}"
    response = learner_client.get(take.get_absolute_url(), headers={"Range": "bytes=a-b"})
    assert response.status_code == 200


def test_the_mentor_listens_and_nobody_else_does(
    client, take, mentor, other_learner, other_mentor, former_mentor
):
    url = take.get_absolute_url()
    for user, status in [
        (mentor, 200),
        (other_learner, 404),
        (other_mentor, 404),
        (former_mentor, 404),
    ]:
        client.force_login(user)
        assert client.get(url, headers={"Range": "bytes=0-3"}).status_code in (
            {206} if status == 200 else {404}
        ), user
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_only_the_owner_deletes_a_take_and_its_file_goes_too(
    learner_client, take, mentor, media, django_capture_on_commit_callbacks
):
    client = Client()
    client.force_login(mentor)
    assert client.post(reverse("recording_delete", args=[take.pk])).status_code == 404
    assert Recording.objects.filter(pk=take.pk).exists()
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(reverse("recording_delete", args=[take.pk]))
    assert response.status_code == 302
    assert response["Location"].endswith("#recordings")
    assert not Recording.objects.exists() and not stored_files(media)
    assert learner_client.get(reverse("recording_delete", args=[1])).status_code == 405


def test_a_missing_file_is_404_not_500(learner_client, take):
    take.file.storage.delete(take.file.name)
    assert learner_client.get(take.get_absolute_url()).status_code == 404


# --- spoken mock interviews --------------------------------------------------------------


def test_a_spoken_interview_takes_one_recording_per_question_and_hands_it_in(
    learner_client, learner, media
):
    make_plan(learner)
    learner_client.post(reverse("interviews"), {"kind": "technical-screen", "spoken": "on"})
    interview = MockInterview.objects.get()
    assert interview.spoken
    first = interview.questions[0]
    page = learner_client.get(interview.get_absolute_url()).content.decode()
    assert page.count("data-recorder ") == len(interview.questions)
    assert 'id="recording-actions"' in page
    url = reverse("interview_recording", args=[interview.pk, first])
    assert upload(learner_client, url, webm(90)).status_code == 201
    answer = Answer.objects.get(interview=interview)
    assert answer.status == "submitted" and answer.submitted_at and not answer.late
    learner_client.post(reverse("interview_finish", args=[interview.pk]))
    summary = learner_client.get(interview.get_absolute_url()).content.decode()
    assert "1 of" in summary and "answered" in summary
    assert "Spoken answer" in summary and "Take 1" in summary
    # Rated as written: revealed first, then the same rating form.
    assert reverse("practice_reveal", args=[answer.pk]) in summary
    learner_client.post(reverse("practice_reveal", args=[answer.pk]))
    summary = learner_client.get(interview.get_absolute_url()).content.decode()
    assert f'action="{reverse("practice_rate", args=[answer.pk])}"' in summary
    response = upload(learner_client, url, webm(5))
    assert response.status_code == 400 and "ended" in response.content.decode()


def test_a_written_interview_shows_no_recorder_and_custom_sets_can_be_spoken(
    learner_client, learner
):
    make_plan(learner)
    learner_client.post(reverse("interviews"), {"kind": "technical-screen"})
    written = MockInterview.objects.get()
    assert not written.spoken
    assert "data-recorder" not in learner_client.get(written.get_absolute_url()).content.decode()
    learner_client.post(
        reverse("interviews"), {"kind": "custom", "count": 2, "minutes": 20, "spoken": "on"}
    )
    assert MockInterview.objects.get(kind="custom").spoken


def test_an_interview_recording_for_a_question_not_in_it_is_404(learner_client, learner, media):
    question = Question.objects.current().first()
    other = Question.objects.current().exclude(pk=question.pk).first()
    interview = interview_start(
        user=learner, kind="custom", questions=[question], minutes=30, spoken=True
    )
    url = reverse("interview_recording", args=[interview.pk, other.pk])
    assert upload(learner_client, url, webm(5)).status_code == 404


# --- export, import, account deletion ----------------------------------------------------


def test_the_export_lists_recordings_and_the_import_says_they_stay_behind(learner, take):
    data = export_user(learner, base_url="https://rampup.example")
    (entry,) = data["practice"]["recordings"]
    assert entry == {
        "answer": 0,
        "url": f"https://rampup.example/recordings/{take.pk}/",
        "content_type": "audio/webm",
        "size": len(webm(65)),
        "duration": 65.0,
        "created_at": take.created_at.isoformat(),
    }
    delete_account(learner)
    from tests.conftest import make_user

    fresh = make_user("fresh")
    counts = import_user(fresh, data)
    assert counts["recordings_skipped"] == 1 and not Recording.objects.exists()
    assert "1 spoken recording(s) are not in the file" in import_message(counts)


def test_an_import_refuses_a_recording_of_no_answer(learner, take):
    data = export_user(learner, base_url="https://rampup.example")
    data["practice"]["recordings"][0]["answer"] = 7
    data["practice"]["recordings"][0]["content_type"] = "audio/webm"
    from tests.conftest import make_user

    with pytest.raises(ValidationError) as info:
        import_user(make_user("fresh"), data)
    assert "practice.recordings[0].answer" in " ".join(info.value.messages)
    data["practice"]["recordings"][0]["content_type"] = "text/html"
    with pytest.raises(ValidationError):
        import_user(make_user("fresh2"), data)


def test_an_old_export_without_recordings_still_imports(learner, take):
    data = export_user(learner, base_url="https://rampup.example")
    del data["practice"]["recordings"]
    delete_account(learner)
    from tests.conftest import make_user

    assert import_user(make_user("fresh"), data)["recordings_skipped"] == 0


def test_deleting_the_account_deletes_the_recordings_files(
    learner, take, media, django_capture_on_commit_callbacks
):
    assert len(stored_files(media)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        counts = delete_account(learner)
    assert counts["files"] == 1
    assert not Recording.objects.exists() and not stored_files(media)


def test_the_mentor_hears_the_takes_of_rated_answers_on_the_mentee_page(
    client, learner, take, mentor
):
    answer = answer_save(user=learner, question=take.answer.question, body="", submit=True)
    answer_reveal(answer=answer)
    answer_rate(answer=answer, covered=[0], qualities=[], rating=3)
    client.force_login(mentor)
    page = client.get(reverse("mentee", args=[learner.username])).content.decode()
    assert "Spoken answer" in page and take.get_absolute_url() in page
    assert "Delete" not in page and "data-recorder" not in page  # listening only


def _spoken_interview(learner, takes: int) -> MockInterview:
    questions = list(Question.objects.current()[:5])
    interview = interview_start(
        user=learner, kind="custom", questions=questions, minutes=30, spoken=True
    )
    client = Client()
    client.force_login(learner)
    for n in range(takes):
        question = questions[n % len(questions)]
        url = reverse("interview_recording", args=[interview.pk, question.pk])
        assert upload(client, url, webm(2)).status_code == 201
    return interview


def test_the_spoken_interview_page_costs_the_same_queries_with_1_or_25_takes(
    learner_client, learner, media, django_assert_max_num_queries
):
    counts = []
    for takes in (1, 25):
        interview = _spoken_interview(learner, takes)
        for finished in (False, True):
            if finished:
                learner_client.post(reverse("interview_finish", args=[interview.pk]))
            learner_client.get(interview.get_absolute_url())  # the unread badge cached
            with django_assert_max_num_queries(20) as captured:
                learner_client.get(interview.get_absolute_url())
            counts.append((finished, len(captured)))
    # Running: session, user, interview, questions, answers (with their question), their
    # takes, the unread badge; the summary one more. Nothing per question or per take.
    assert counts[0] == counts[2] and counts[1] == counts[3], counts
