"""Portability: export, import into an empty account, and account deletion.

The round trip is the contract: what one account exports, another imports, and its own
export then says the same (after `normalise` takes out what an import cannot carry).
Deletion must remove every row and file of the user and nothing of anyone else's, and
leave their comments on other people's work in place as from a deleted user.
"""

from __future__ import annotations

import copy
import io
import json
import re
from collections import Counter
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.db.models import Q
from django.test import TestCase
from django.urls import reverse
from PIL import Image

from roadmap.models import Background, Phase, Question, Rubric, RubricItem
from tests.audio import webm
from tests.conftest import make_plan, make_user
from tracker import schedule
from tracker.account_deletion import delete_account
from tracker.assessment import assessment_create, screen_save
from tracker.images import clean_image
from tracker.mentoring import answer_comment, invite_create, notify
from tracker.models import (
    Answer,
    AnswerComment,
    Assessment,
    Card,
    Invite,
    ItemLink,
    ItemProgress,
    Mentorship,
    MockInterview,
    Notification,
    Plan,
    Recording,
    ReminderSent,
    Review,
    Score,
    ScreenAnswer,
    StudyLog,
    Submission,
    SubmissionEvent,
    SubmissionImage,
    SubmissionLink,
    User,
)
from tracker.models.core import HISTORY_START, PLAN_START_AHEAD_DAYS, PLAN_START_PAST_DAYS
from tracker.plans import item_add_link, item_save_note, item_set_status, studylog_add
from tracker.portability import (
    EXPORT_VERSION,
    SCHEMA_DOC,
    export_user,
    import_user,
    schema_doc,
)
from tracker.portability.schema import SCHEDULE_AHEAD_DAYS
from tracker.practice import answer_rate, answer_save, interview_finish, interview_start
from tracker.recordings import clean_recording, recording_add
from tracker.submissions import (
    submission_comment,
    submission_save_evidence,
    submission_start,
    submission_transition,
)

pytestmark = pytest.mark.django_db

BASE_URL = "https://rampup.example/"
SELF = "<you>"  # what `normalise` calls the exporting user


def normalise(data: dict) -> dict:
    """An export with what an import cannot or need not carry taken out, for comparing
    the export of an account with the export of its imported copy.

    Dropped: `exported_at`, the username and email, the images and recordings (their files are not
    re-imported), the mentorships (never imported), and what only another person can
    grant: their entries in a review thread and a mentor's assessments. Ids in
    notification urls become `<id>`. The exporting user is `<you>`.
    """
    out = copy.deepcopy(data)
    out.pop("exported_at", None)
    out.pop("mentorships", None)
    me = out["user"].pop("username", None)
    out["user"].pop("email", None)
    out["practice"].pop("recordings", None)
    for submission in out["submissions"]:
        submission.pop("images", None)
        submission["events"] = [
            {**event, "actor": SELF}
            for event in submission["events"]
            if me is not None and event["actor"] == me
        ]
    out["assessments"] = [
        {**assessment, "rater": SELF}
        for assessment in out["assessments"]
        if assessment["role"] == Assessment.Role.SELF
    ]
    for note in out["notifications"]:
        note["url"] = re.sub(r"\d+", "<id>", note["url"])
    return out


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def png() -> io.BytesIO:
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(buf, "PNG")
    buf.seek(0)
    return buf


def first_phase() -> Phase:
    return Phase.objects.current().order_by("order").first()


def questions() -> list[Question]:
    return list(Question.objects.current().order_by("phase__order", "order")[:3])


def approved_submission(user: User, note: str) -> Submission:
    """A submission with evidence, a link and an image, submitted and self-approved."""
    submission = submission_start(learner=user, milestone=first_phase().milestones.first())
    submission_save_evidence(
        submission=submission,
        evidence=f"{note}: my **cluster**",
        links=[("Repo", "https://example.com/repo")],
        images=[clean_image(png())],
    )
    submission_transition(submission=submission, actor=user, to_state="submitted")
    submission_transition(submission=submission, actor=user, to_state="approved")
    return submission


def build_rich(user: User, mentor: User | None = None) -> dict:
    """Some of everything a learner owns, made through the services."""
    user.time_zone = "Europe/Berlin"
    user.daily_new_cap = 7
    user.mentor_capacity = 3
    user.email = f"{user.username}@example.com"
    user.save()
    make_plan(user)
    Plan.objects.filter(learner=user).update(background=Background.objects.current().first())
    phase = first_phase()
    goal, other_goal = list(phase.goals.all()[:2])
    resource = phase.resources.first()
    item_set_status(learner=user, item=goal, status="done")
    item_save_note(learner=user, item=goal, note="Read the **whole** chapter")
    item_add_link(learner=user, item=goal, title="My notes", url="https://example.com/notes")
    item_add_link(learner=user, item=goal, title="Gist", url="https://example.com/gist")
    item_set_status(learner=user, item=other_goal, status="credited", evidence="Did it at work")
    item_set_status(learner=user, item=resource, status="doing")
    item_save_note(learner=user, item=resource, note="Half way")

    submission = approved_submission(user, "Lena's evidence")
    submission_comment(submission=submission, author=user, comment="Pleased with this one")

    rubric = Rubric.objects.current().first()
    first_dim, second_dim = list(rubric.dimensions.all()[:2])
    assessment_create(
        learner=user,
        rater=user,
        role="self",
        scores={first_dim: (3, "Built a *thing*"), second_dim: (2, "")},
    )
    check = rubric.items.filter(kind=RubricItem.Kind.SCREEN_CHECK).first()
    flag = rubric.items.filter(kind=RubricItem.Kind.RED_FLAG).first()
    screen_save(learner=user, answers={check: (True, "On my resume"), flag: (False, "")})

    q1, q2, _ = questions()
    answer = answer_save(
        user=user, question=q1, body="Because **latency**", submit=True, reveal=True
    )
    answer_rate(answer=answer, covered=[0], qualities=["specificity"], rating=3)
    draft = answer_save(user=user, question=q2, body="A draft", submit=False)
    recording_add(answer=draft, clean=clean_recording(io.BytesIO(webm(3))))
    interview = interview_start(user=user, kind="technical-screen")
    asked = Question.objects.get(pk=interview.questions[0])
    answer_save(user=user, question=asked, body="Under pressure", submit=True, interview=interview)
    interview_finish(interview)

    today = schedule.today_for(user.time_zone)
    studylog_add(learner=user, day=today, minutes=45, phase=phase, what="Chapter 3")
    studylog_add(learner=user, day=today - timedelta(days=1), minutes=30, phase=None, what="Misc")
    notify(user, Notification.Kind.APPROVED, "Milestone 1 approved", submission.get_absolute_url())

    if mentor is not None:
        Mentorship.objects.create(learner=user, mentor=mentor)
        submission_comment(submission=submission, author=mentor, comment="Nice work")
        assessment_create(
            learner=user, rater=mentor, role="mentor", scores={first_dim: (2, "Needs depth")}
        )
    return {"submission": submission, "answer": answer}


def tracker_counts() -> dict[str, int]:
    """Rows in every tracker model: nothing written means these do not move."""
    models = [
        Plan,
        ItemProgress,
        ItemLink,
        Submission,
        SubmissionLink,
        SubmissionImage,
        SubmissionEvent,
        StudyLog,
        Card,
        Answer,
        Review,
        MockInterview,
        Assessment,
        Score,
        ScreenAnswer,
        Notification,
        Mentorship,
        Invite,
        AnswerComment,
        ReminderSent,
    ]
    return {m.__name__: m.objects.count() for m in models}


def owned_counts(user_id: int) -> dict[str, int]:
    """The user's rows in every tracker model (by id: it outlives the deleted User)."""
    mine = {
        Plan: Q(learner_id=user_id),
        ItemProgress: Q(learner_id=user_id),
        ItemLink: Q(progress__learner_id=user_id),
        Submission: Q(learner_id=user_id),
        SubmissionLink: Q(submission__learner_id=user_id),
        SubmissionImage: Q(submission__learner_id=user_id),
        SubmissionEvent: Q(submission__learner_id=user_id),
        ReminderSent: Q(submission__learner_id=user_id),
        StudyLog: Q(learner_id=user_id),
        Card: Q(learner_id=user_id),
        Answer: Q(learner_id=user_id),
        AnswerComment: Q(answer__learner_id=user_id),
        Recording: Q(learner_id=user_id),
        Review: Q(learner_id=user_id),
        MockInterview: Q(learner_id=user_id),
        Assessment: Q(learner_id=user_id),
        Score: Q(assessment__learner_id=user_id),
        ScreenAnswer: Q(learner_id=user_id),
        Notification: Q(user_id=user_id),
        Invite: Q(learner_id=user_id),
    }
    return {model.__name__: model.objects.filter(q).count() for model, q in mine.items()}


@pytest.fixture
def mentor(db) -> User:
    return make_user("mia", display_name="Mia Mentor")


@pytest.fixture
def rich(learner, mentor) -> dict:
    return build_rich(learner, mentor)


# --- (a) the round trip ----------------------------------------------------------------


def test_round_trip_into_an_empty_account_exports_the_same(learner, rich):
    first = export_user(learner, base_url=BASE_URL)
    # Every section holds data, so the comparison below covers every kind of row.
    for section in (
        "progress",
        "submissions",
        "assessments",
        "screen_answers",
        "study_log",
        "notifications",
        "mentorships",
    ):
        assert first[section], section
    assert all(first["practice"].values())
    assert first["plan"]["background"] is not None

    bea = make_user("bea", email="bea@example.com")
    counts = import_user(bea, json.loads(json.dumps(first)))  # through a file, as a user would

    events = first["submissions"][0]["events"]
    mine = [e for e in events if e["actor"] == learner.username]
    assert counts == {
        "plan": 1,
        "progress": 3,
        "item_links": 2,
        "submissions": 1,
        "submission_links": 1,
        "submission_events": len(mine),
        "images_skipped": 1,
        "recordings_skipped": 1,
        # Mia's comment and her scores are hers: an import of Lena's file cannot carry them.
        "others_events_dropped": len(events) - len(mine),
        "mentor_assessments_dropped": 1,
        "approvals_reopened": 0,
        "notification_links_dropped": 0,
        "credit_reviews_dropped": 0,
        "applications": 0,  # the job search's sections: tests/jobs/test_portability.py
        "contributions": 0,
        "assessments": 1,
        "scores": 2,
        "screen_answers": 2,
        "cards": 1,
        "interviews": 1,
        "answers": 3,
        "reviews": 1,
        "study_log": 2,
        "notifications": len(first["notifications"]),
        "profile": 1,
    }
    second = export_user(bea, base_url=BASE_URL)
    assert normalise(second) == normalise(first)

    # What normalise set aside is as documented: images and mentorships are not carried,
    # other people's words stay behind, the user is themself.
    assert second["submissions"][0]["images"] == []
    assert second["practice"]["recordings"] == []
    assert second["mentorships"] == []
    assert second["user"]["username"] == "bea" and second["user"]["email"] == "bea@example.com"
    actors = [e["actor"] for e in second["submissions"][0]["events"]]
    assert set(actors) == {"bea"} and "mia" in [
        e["actor"] for e in first["submissions"][0]["events"]
    ]
    raters = {a["role"]: a["rater"] for a in second["assessments"]}
    assert raters == {"self": "bea"}
    # Derived columns are rebuilt: markdown rendered, the interview answer linked.
    bea.refresh_from_db()
    assert (bea.time_zone, bea.daily_new_cap, bea.mentor_capacity) == ("Europe/Berlin", 7, 3)
    note = ItemProgress.objects.get(learner=bea, note__startswith="Read")
    assert note.note_html == "<p>Read the <strong>whole</strong> chapter</p>"
    assert Answer.objects.get(learner=bea, interview__isnull=False).interview.learner == bea
    assert Review.objects.get(learner=bea).card.learner == bea


def test_exported_times_survive_the_round_trip(learner, rich):
    first = export_user(learner, base_url=BASE_URL)
    bea = make_user("bea")
    import_user(bea, json.loads(json.dumps(first)))
    # Her own entries come across (her mentor's comment does not: see the round trip).
    original = SubmissionEvent.objects.filter(submission__learner=learner, actor=learner)
    original = original.order_by("pk")
    copied = SubmissionEvent.objects.filter(submission__learner=bea).order_by("pk")
    assert [e.created_at for e in copied] == [e.created_at for e in original]


def test_normalise_takes_out_only_what_an_import_cannot_carry(learner, rich):
    data = export_user(learner, base_url=BASE_URL)
    out = normalise(data)
    assert "exported_at" not in out and "mentorships" not in out
    assert "username" not in out["user"] and "email" not in out["user"]
    assert "images" not in out["submissions"][0]
    assert "/milestones/<id>/" in {n["url"] for n in out["notifications"]}
    assert data["submissions"][0]["images"]  # the input is left as it was


# --- (b) a non-empty account -----------------------------------------------------------


def test_import_into_an_account_with_data_is_refused_and_writes_nothing(
    learner, other_learner, rich
):
    data = export_user(learner, base_url=BASE_URL)
    make_plan(other_learner)
    studylog_add(
        learner=other_learner, day=schedule.today_for("UTC"), minutes=10, phase=None, what="Reading"
    )
    before = tracker_counts()
    with pytest.raises(ValidationError) as caught:
        import_user(other_learner, data)
    assert caught.value.messages == [
        "An export can only be imported into an empty account; this one already has a plan, "
        "a study log."
    ]
    assert tracker_counts() == before
    other_learner.refresh_from_db()
    assert other_learner.time_zone == "UTC"


# --- (c) bad files ---------------------------------------------------------------------


def test_a_wrong_version_or_schema_is_refused(learner, rich):
    data = export_user(learner, base_url=BASE_URL)
    bea = make_user("bea")
    with pytest.raises(ValidationError, match="version 3; this site reads versions 1 and 2"):
        import_user(bea, {**data, "version": EXPORT_VERSION + 1})
    with pytest.raises(ValidationError, match="not a Rampup export file"):
        import_user(bea, {**data, "schema": "something-else"})
    with pytest.raises(ValidationError, match="not a Rampup export file"):
        import_user(bea, ["not", "a", "dict"])  # type: ignore[arg-type]


def test_unknown_content_keys_are_listed_together_and_nothing_is_written(learner, rich):
    data = json.loads(json.dumps(export_user(learner, base_url=BASE_URL)))
    data["progress"][0]["item"] = "no-such-goal"
    data["submissions"][0]["milestone"] = "no-such-milestone"
    data["practice"]["cards"][0]["question"] = "no-such-question"
    data["study_log"][0]["phase"] = "no-such-phase"
    data["assessments"][0]["scores"][0]["dimension"] = "no-such-dimension"
    bea = make_user("bea")
    before = tracker_counts()
    with pytest.raises(ValidationError) as caught:
        import_user(bea, data)
    [message, *rest] = caught.value.messages
    assert message.startswith("These items are not in this site's roadmap")
    phase, goal = data["progress"][0]["phase"], "no-such-goal"
    for missing in (
        f"goal {phase}/{goal}",
        "milestone",
        "no-such-milestone",
        "question no-such-question",
        "phase no-such-phase",
        "no-such-dimension",
    ):
        assert missing in message
    # The rating refers to a card whose question is unknown: said once, as a missing key.
    assert rest == [
        "review of "
        + data["practice"]["reviews"][0]["question"]
        + ": the file has no card for this question."
    ]
    assert tracker_counts() == before


def test_invalid_values_and_damaged_files_are_refused(learner, rich):
    data = json.loads(json.dumps(export_user(learner, base_url=BASE_URL)))
    bea = make_user("bea")
    bad = json.loads(json.dumps(data))
    bad["progress"][0]["status"] = "finished"
    bad["study_log"][0]["minutes"] = 0
    with pytest.raises(ValidationError) as caught:
        import_user(bea, bad)
    text = " ".join(caught.value.messages)
    assert "status: Value 'finished' is not a valid choice." in text
    assert "minutes: Ensure this value is greater than or equal to 1." in text

    broken = json.loads(json.dumps(data))
    del broken["practice"]["cards"][0]["due"]
    with pytest.raises(ValidationError, match="damaged or incomplete"):
        import_user(bea, broken)

    twice = json.loads(json.dumps(data))
    twice["practice"]["cards"].append(twice["practice"]["cards"][0])
    with pytest.raises(ValidationError, match="twice"):
        import_user(bea, twice)
    assert tracker_counts()["Card"] == Card.objects.filter(learner=learner).count()


# --- (d) the file is JSON and holds only the user's own data ----------------------------


def test_export_is_json_and_holds_no_one_elses_data(learner, other_learner, rich):
    make_plan(other_learner)
    goal = first_phase().goals.first()
    item_save_note(learner=other_learner, item=goal, note="Otto's secret note")
    studylog_add(
        learner=other_learner,
        day=schedule.today_for("UTC"),
        minutes=5,
        phase=None,
        what="Otto's private log",
    )
    answer_save(user=other_learner, question=questions()[0], body="Otto's answer", submit=True)
    # The learner mentors Otto: a mentor's export still holds only their own data.
    Mentorship.objects.create(learner=other_learner, mentor=learner)

    data = export_user(learner, base_url=BASE_URL)
    text = json.dumps(data)
    assert json.loads(text) == data
    for secret in ("Otto's secret note", "Otto's private log", "Otto's answer", "otto"):
        assert secret not in text
    image = data["submissions"][0]["images"][0]
    submission = rich["submission"]
    assert image == {
        "url": f"https://rampup.example/milestones/{submission.pk}/images/"
        f"{submission.images.get().pk}/full/",
        "width": 40,
        "height": 30,
        "caption": "",
    }
    assert data["schema"] == "rampup-export" and data["version"] == 2
    assert data["user"]["portfolio_public"] is False  # absent field: reported as off


def test_schema_doc_names_every_top_level_key(learner):
    data = export_user(learner, base_url=BASE_URL)
    assert data["plan"] is None and data["progress"] == []
    for key in data:  # the apps' sections (applications, contributions) included
        assert f"`{key}`" in schema_doc()
    for key in data["practice"]:
        assert f"`{key}`" in SCHEMA_DOC


# --- (e) deleting the account ----------------------------------------------------------


def test_delete_account_removes_the_users_rows_and_files_and_nothing_else(
    learner, other_learner, mentor, rich, media
):
    # Otto: a learner with data of his own, and an image; Lena is his mentor.
    make_plan(other_learner)
    otto_submission = approved_submission(other_learner, "Otto's evidence")
    otto_answer = answer_save(user=other_learner, question=questions()[0], body="x", submit=True)
    Mentorship.objects.create(learner=other_learner, mentor=learner)
    lena_comment = submission_comment(
        submission=otto_submission, author=learner, comment="Lena was here"
    )
    lena_answer_comment = answer_comment(answer=otto_answer, author=learner, body="Good start")
    dimension = Rubric.objects.current().first().dimensions.first()
    lena_scores = assessment_create(
        learner=other_learner, rater=learner, role="mentor", scores={dimension: (3, "")}
    )
    # Lena's rows of the remaining kinds: an invite, a reminder, a comment on her answer.
    invite_create(learner=learner)
    ReminderSent.objects.create(
        submission=rich["submission"], submitted_at=rich["submission"].submitted_at, days=7
    )
    answer_comment(answer=rich["answer"], author=mentor, body="Think about tail latency")
    # An avatar, as a later change may add one: whatever file field it is, it goes too.
    avatar_name = default_storage.save("avatars/lena.png", ContentFile(b"avatar"))
    learner.avatar = SimpleNamespace(name=avatar_name, storage=default_storage)

    lena_id = learner.pk
    lena_files = [
        name
        for image in SubmissionImage.objects.filter(submission__learner=learner)
        for name in (image.image.name, image.thumbnail.name)
    ] + [avatar_name, Recording.objects.get(learner=learner).file.name]
    otto_files = [
        name
        for image in SubmissionImage.objects.filter(submission__learner=other_learner)
        for name in (image.image.name, image.thumbnail.name)
    ]
    before = owned_counts(lena_id)
    assert all(before.values()), before
    otto_before = owned_counts(other_learner.pk)
    assert all(default_storage.exists(name) for name in lena_files + otto_files)

    with TestCase.captureOnCommitCallbacks(execute=True) as callbacks:
        deleted = delete_account(learner)
        # Files wait for the commit: a rollback must leave rows and files together.
        assert all(default_storage.exists(name) for name in lena_files)
    assert callbacks

    assert owned_counts(lena_id) == dict.fromkeys(before, 0)
    assert not User.objects.filter(pk=lena_id).exists()
    assert not Mentorship.objects.filter(Q(learner_id=lena_id) | Q(mentor_id=lena_id)).exists()
    assert not any(default_storage.exists(name) for name in lena_files)
    assert all(default_storage.exists(name) for name in otto_files)
    assert deleted["tracker.User"] == 1
    assert deleted["tracker.Submission"] == 1
    assert deleted["tracker.SubmissionImage"] == 1
    assert deleted["tracker.Mentorship"] == 2  # her mentor's, and hers of Otto
    assert deleted["files"] == 4  # two of the image, the avatar, the recording

    # Otto keeps everything, and Lena's words on his work, from a "deleted user".
    assert owned_counts(other_learner.pk) == otto_before
    lena_comment.refresh_from_db()
    assert lena_comment.comment == "Lena was here" and lena_comment.actor is None
    lena_answer_comment.refresh_from_db()
    assert lena_answer_comment.author is None
    lena_scores.refresh_from_db()
    assert lena_scores.rater is None and lena_scores.scores.count() == 1
    assert User.objects.filter(pk=mentor.pk).exists()


def test_delete_account_of_a_new_user_deletes_just_the_user(db):
    user = make_user("newbie")
    with TestCase.captureOnCommitCallbacks(execute=True):
        deleted = delete_account(user)
    assert deleted == {"tracker.User": 1, "files": 0}


# --- (f) hostile files: the same rules as the forms, every problem with its path -------


def exported(learner) -> dict:
    """The learner's export as a user's file holds it (through JSON)."""
    return json.loads(json.dumps(export_user(learner, base_url=BASE_URL)))


def refused(user: User, data: dict) -> list[str]:
    before = tracker_counts()
    with pytest.raises(ValidationError) as caught:
        import_user(user, data)
    assert tracker_counts() == before  # one transaction: nothing written
    return caught.value.messages


def test_dates_the_app_cannot_compute_with_are_refused_with_their_path(learner, rich):
    data = exported(learner)
    data["submissions"][0]["events"][0]["created_at"] = "9999-12-31T00:00:00+00:00"
    data["plan"]["start_date"] = "9999-01-01"
    data["study_log"][0]["date"] = "0001-01-01"
    data["practice"]["cards"][0]["due"] = "9999-12-31T23:59:59+00:00"
    data["progress"][0]["completed_at"] = "1999-12-31T23:59:59"
    found = refused(make_user("bea"), data)
    assert found[0] == (
        "This export file holds values this site does not accept; nothing was imported."
    )
    text = "\n".join(found)
    assert "submissions[0].events[0].created_at: 9999-12-31 is out of range" in text
    assert "plan.start_date: 9999-01-01 is out of range" in text
    assert "study_log[0].date: 0001-01-01 is out of range: it must lie between 2000-01-01" in text
    assert "practice.cards[0].due: 9999-12-31 is out of range" in text
    assert "progress[0].completed_at: 1999-12-31 is out of range" in text


def test_control_characters_are_refused_and_a_nul_never_reaches_the_database(learner, rich):
    data = exported(learner)
    data["progress"][0]["note"] = "fine\nline\tand \x00 a NUL"  # PostgreSQL: a 500 before
    data["study_log"][0]["what"] = "two\nlines"  # a one-line field
    data["submissions"][0]["evidence"] = "lone \ud800 surrogate"  # no UTF-8 database takes it
    found = refused(make_user("bea"), data)
    text = "\n".join(found)
    assert "progress[0].note: contains the control character U+0000 at position 15" in text
    assert "study_log[0].what: contains the control character U+000A" in text
    assert "submissions[0].evidence: Input should be a valid string" in text
    # Newlines and tabs in text are fine: the same note without the NUL comes in.
    data["progress"][0]["note"] = "fine\r\nline\tand no NUL"
    data["study_log"][0]["what"] = "one line"
    data["submissions"][0]["evidence"] = "evidence"
    import_user(make_user("cleo"), data)
    assert ItemProgress.objects.filter(note="fine\r\nline\tand no NUL").exists()


def test_links_lengths_choices_and_types_follow_the_forms(learner, rich):
    data = exported(learner)
    data["progress"][0]["links"][0]["url"] = "ftp://example.com/file"
    data["submissions"][0]["links"][0]["url"] = "javascript:alert(1)"
    data["study_log"][0]["what"] = "x" * 301
    data["assessments"][0]["scores"][0]["score"] = 6
    data["practice"]["answers"][0]["qualities"] = ["charm"]
    data["practice"]["cards"][0]["stability"] = float("nan")
    data["user"]["time_zone"] = "Mars/Olympus"
    data["progress"][0]["surprise"] = True
    found = refused(make_user("bea"), data)
    assert found[0] == "This export file is damaged or incomplete; nothing was imported."
    text = "\n".join(found)
    url_message = "Enter a full web address starting with http:// or https://."
    assert f"progress[0].links[0].url: {url_message}" in text
    assert f"submissions[0].links[0].url: {url_message}" in text
    assert "study_log[0].what: Ensure this value has at most 300 characters." in text
    score = "assessments[0].scores[0].score: Ensure this value is less than or equal to 5."
    assert score in text
    assert "practice.answers[0].qualities[0]: Value 'charm' is not a valid choice." in text
    assert "practice.cards[0].stability:" in text
    assert "user.time_zone: Mars/Olympus is not a time zone" in text
    assert "progress[0].surprise: unknown field" in text


def forged_file(learner) -> dict:
    """An account that never had a mentor, claiming a mentor's approval and scores."""
    make_plan(learner)
    submission = submission_start(learner=learner, milestone=first_phase().milestones.first())
    submission_save_evidence(submission=submission, evidence="My work", links=[], images=[])
    submission_transition(submission=submission, actor=learner, to_state="submitted")
    data = exported(learner)
    entry = data["submissions"][0]
    entry.update(state="approved", self_approved=False, approved_at=entry["submitted_at"])
    at = entry["submitted_at"]
    entry["events"] += [
        {
            "actor": "mia",
            "from_state": "submitted",
            "to_state": "approved",
            "comment": "Great, approved",
            "created_at": at,
        },
        {
            "actor": learner.username,
            "from_state": "submitted",
            "to_state": "approved",
            "comment": "",
            "created_at": at,
        },
    ]
    dimensions = Rubric.objects.current().first().dimensions.all()
    data["assessments"].append(
        {
            "role": "mentor",
            "rater": "mia",
            "created_at": at,
            "scores": [
                {"rubric": d.rubric.key, "dimension": d.key, "score": 5, "evidence": ""}
                for d in dimensions
            ],
        }
    )
    data["notifications"] = [
        {"kind": "approved", "text": n, "url": url, "created_at": at, "read_at": None}
        for n, url in (
            ("script", "javascript:alert(document.cookie)"),
            ("off-site", "https://evil.example/login"),
            ("protocol-relative", "//evil.example/"),
            ("on-site", f"/milestones/{submission.pk}/"),
        )
    ]
    return data


def test_an_import_cannot_forge_a_mentors_endorsement(learner, client):
    data = forged_file(learner)
    data["user"]["portfolio_public"] = True
    bea = make_user("bea")
    client.force_login(bea)
    upload = SimpleUploadedFile("rampup-lena.json", json.dumps(data).encode())
    response = client.post(reverse("import"), {"export": upload}, follow=True)

    message = " ".join(str(m) for m in response.context["messages"])
    assert "Not imported, because only the person who gave them can vouch for them" in message
    assert "1 assessment(s) by a mentor" in message
    assert "2 comment(s) or review step(s) by other people" in message
    assert "1 milestone(s) approved by a mentor are back to “submitted”" in message
    assert "3 notification link(s) that did not lead to this site were removed" in message
    submission = Submission.objects.get(learner=bea)
    assert (submission.state, submission.self_approved, submission.approved_at) == (
        "submitted",
        False,
        None,
    )
    assert not SubmissionEvent.objects.filter(submission=submission, to_state="approved").exists()
    assert not Assessment.objects.filter(learner=bea, role="mentor").exists()
    urls = dict(Notification.objects.filter(user=bea).values_list("text", "url"))
    assert urls == {"script": "", "off-site": "", "protocol-relative": "", "on-site": ANY_PATH}
    client.logout()
    response = client.get(reverse("portfolio", args=["bea"]))
    assert response.status_code == 200
    portfolio = response.content.decode()
    assert '<span class="tag">mentor-confirmed</span>' not in portfolio
    assert "No approved milestone yet." in portfolio


class _AnyMilestonePath:
    def __eq__(self, other: object) -> bool:
        return isinstance(other, str) and re.fullmatch(r"/milestones/\d+/", other) is not None


ANY_PATH = _AnyMilestonePath()


def test_the_import_form_shows_every_problem_and_keeps_the_settings(learner, rich, client):
    data = exported(learner)
    data["study_log"][0]["minutes"] = 0
    data["plan"]["start_date"] = "9999-01-01"
    bea = make_user("bea", display_name="Bea Typed This")
    client.force_login(bea)
    upload = SimpleUploadedFile("rampup-lena.json", json.dumps(data).encode())
    response = client.post(reverse("import"), {"export": upload})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'aria-describedby="id_export_error"' in html and 'id="id_export_error"' in html
    assert "study_log[0].minutes: Ensure this value is greater than or equal to 1." in html
    assert "plan.start_date: 9999-01-01 is out of range" in html
    assert 'value="Bea Typed This"' in html  # the settings form beside it, as saved
    assert tracker_counts()["Plan"] == 1  # Lena's only


def test_the_export_schema_is_public_cacheable_and_linked_from_settings(client, learner):
    response = client.get(reverse("export_schema"))
    assert response.status_code == 200
    assert "public" in response["Cache-Control"] and "max-age" in response["Cache-Control"]
    schema = response.json()
    assert schema["title"] == "Rampup export"
    assert schema["properties"]["version"]["enum"] == [1, 2]
    assert "submissions" in schema["required"] and "$defs" in schema
    client.force_login(learner)
    assert reverse("export_schema") in client.get(reverse("settings")).content.decode()


# --- (g) no page of a learner, or of their mentor, fails on dates at their extremes ---

PAST = (
    "completed_at",
    "submitted_at",
    "approved_at",
    "created_at",
    "last_review",
    "started_at",
    "rated_at",
    "reviewed_at",
    "finished_at",
    "read_at",
)
AHEAD = ("due", "due_before", "due_after", "deadline")


def at_extremes(data: dict, *, high: bool) -> dict:
    """`data` with every date and time an import accepts set to its lowest or highest."""
    now = datetime.now(UTC)
    past = now + timedelta(days=1, minutes=-5) if high else datetime(2000, 1, 1, tzinfo=UTC)
    ahead = now + timedelta(days=SCHEDULE_AHEAD_DAYS - 1) if high else past

    def walk(node):
        if isinstance(node, dict):
            for name, value in node.items():
                if name in PAST and value is not None:
                    node[name] = past.isoformat()
                elif name in AHEAD and value is not None:
                    node[name] = ahead.isoformat()
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(data)
    for log in data["study_log"]:
        log["date"] = (past.date() if high else HISTORY_START).isoformat()
    today = now.date()
    data["plan"]["start_date"] = (
        today + timedelta(days=PLAN_START_AHEAD_DAYS - 1)
        if high
        else today - timedelta(days=PLAN_START_PAST_DAYS - 1)
    ).isoformat()
    return data


@pytest.mark.parametrize("high", [False, True], ids=["lowest", "highest"])
def test_every_page_renders_with_dates_at_the_allowed_extremes(learner, rich, client, high):
    data = at_extremes(exported(learner), high=high)
    data["user"]["portfolio_public"] = True
    bea = make_user("bea")
    import_user(bea, data)
    mentor = make_user("mo")
    Mentorship.objects.create(learner=bea, mentor=mentor)
    submission = Submission.objects.get(learner=bea)
    question = Answer.objects.filter(learner=bea).first().question
    interview = MockInterview.objects.get(learner=bea)
    client.force_login(bea)
    pages = [
        reverse(name)
        for name in (
            "dashboard",
            "plan",
            "plan_calendar",
            "log",
            "practice",
            "practice_stats",
            "interviews",
            "assessment",
            "notifications",
            "settings",
            "export",
            "mentors",
        )
    ]
    pages += [
        reverse("milestone", args=[submission.pk]),
        reverse("interview", args=[interview.pk]),
        reverse("practice_answer", args=[question.key]),
        reverse("portfolio", args=["bea"]),
        reverse("card", args=["bea"]),
    ]
    pages += [reverse("roadmap:phase", args=[p.key]) for p in Phase.objects.current()]
    for url in pages:
        assert client.get(url).status_code == 200, url
    client.force_login(mentor)
    for url in (
        reverse("mentor_home"),
        reverse("mentee", args=["bea"]),
        reverse("milestone", args=[submission.pk]),
    ):
        assert client.get(url).status_code == 200, url
    with TestCase.captureOnCommitCallbacks(execute=True):
        delete_account(bea)
    assert not User.objects.filter(username="bea").exists()


HOSTILE = (
    None,
    True,
    -1,
    10**30,
    1.5,
    float("inf"),
    "",
    "x" * 70_000,
    "\x00",
    [],
    {},
    [{}],
    "9999-12-31T00:00:00",
    "javascript:alert(1)",
    "../../etc/passwd",
)


def leaves(node, path=()):
    """Every (path, value) of a JSON document's scalars and empty containers."""
    if isinstance(node, dict) and node:
        for name, value in node.items():
            yield from leaves(value, (*path, name))
    elif isinstance(node, list) and node:
        for i, value in enumerate(node):
            yield from leaves(value, (*path, i))
    else:
        yield path, node


def test_any_hostile_value_anywhere_is_refused_with_a_message_or_imported(learner, rich):
    """The 106-hostile-files spirit: a ValidationError or a clean import, never a crash and
    never a partial write."""
    data = exported(learner)
    bea = make_user("bea")
    before = tracker_counts()
    outcomes = Counter()
    # Each place gets one of the values, in turn, so every value meets a dozen places
    # and the test stays quick.
    for n, (path, _) in enumerate(leaves(data)):
        for value in (HOSTILE[n % len(HOSTILE)],):
            hostile = copy.deepcopy(data)
            node = hostile
            for part in path[:-1]:
                node = node[part]
            node[path[-1]] = value
            try:
                with transaction.atomic():
                    import_user(bea, hostile)
                    outcomes["imported"] += 1
                    raise Rollback
            except ValidationError as error:
                assert error.messages, path
                outcomes["refused"] += 1
            except Rollback:
                pass
    assert tracker_counts() == before  # no refused file left a row behind
    assert outcomes["refused"] > outcomes["imported"] > 0


class Rollback(Exception):
    """Undoes one successful import, so the next one starts from an empty account."""


def test_practice_rows_hold_what_the_scheduler_and_the_rating_form_assume(learner, rich):
    data = exported(learner)
    card = data["practice"]["cards"][0]
    card.update(state=3, step=None)  # relearning without a step: fsrs fails on the next rating
    answer = next(a for a in data["practice"]["answers"] if a["covered_points"])
    answer["covered_points"] = [0, 0, 40]
    bea = make_user("bea")
    assert "practice.cards[0]: a card in (re)learning needs its step" in refused(bea, data)
    # Checked against the question once the file's shape is right.
    card.update(state=exported(learner)["practice"]["cards"][0]["state"], step=0)
    n = data["practice"]["answers"].index(answer)
    [problem] = refused(bea, data)
    assert problem.startswith(f"practice.answers[{n}].covered_points: {answer['question']} has ")

    answer["covered_points"] = [1, 0, 1]
    answer["qualities"] = ["specificity", "specificity"]
    import_user(make_user("cleo"), data)
    imported = Answer.objects.get(
        learner__username="cleo",
        question__key=answer["question"],
        status=answer["status"],
        body=answer["body"],
    )
    assert (imported.covered_points, imported.qualities) == ([0, 1], ["specificity"])


def test_a_file_wrong_everywhere_lists_the_first_hundred_problems(learner, client):
    data = exported(learner)
    data["study_log"] = [
        {"date": "0001-01-01", "minutes": 0, "phase": None, "what": "x"} for _ in range(200)
    ]
    client.force_login(make_user("bea"))
    upload = SimpleUploadedFile("rampup-lena.json", json.dumps(data).encode())
    html = client.post(reverse("import"), {"export": upload}).content.decode()
    assert "study_log[48].minutes" in html and "study_log[49].minutes" not in html
    assert "… and 301 more problems." in html


def test_practice_settings_reveal_and_review_qualities_travel_and_are_checked(learner, rich):
    learner.desired_retention = 0.85
    learner.save(update_fields=["desired_retention"])
    data = exported(learner)
    assert data["user"]["desired_retention"] == 0.85
    assert any(r["qualities"] == ["specificity"] for r in data["practice"]["reviews"])
    assert all("mentor_rating" not in a for a in data["practice"]["answers"])
    data["user"]["desired_retention"] = 0.5
    data["practice"]["reviews"][0]["qualities"] = ["charm"]
    text = "\n".join(refused(make_user("cid"), data))
    assert "user.desired_retention: Ensure this value is greater than or equal to 0.8." in text
    assert "practice.reviews[0].qualities[0]: Value 'charm' is not a valid choice." in text
    data["user"]["desired_retention"] = 0.95
    data["practice"]["reviews"][0]["qualities"] = []
    dana = make_user("dana")
    import_user(dana, data)
    assert User.objects.get(pk=dana.pk).desired_retention == 0.95
