"""The access matrix: every URL of the project, for every persona.

URL patterns are discovered from the resolver, so a new URL is covered the moment it
exists — or this test fails until someone says here what it should do. Six personas:
the owner of the data, their mentor, another learner, another mentor, a former mentor
and an anonymous visitor. Outcomes: 200, a redirect, a redirect to log in, or 404 —
never a 500, and never the owner's data in the response of anyone who may not see it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from PIL import Image

from labs.models import LabAttempt
from labs.services import attempt_save_notes as lab_attempt_save_notes
from labs.services import attempt_start as lab_attempt_start
from roadmap.models import Goal, LabScenario, Milestone, Phase, Question
from tests.audio import webm
from tests.conftest import make_plan, make_user
from tracker.mentoring import invite_create, notify
from tracker.models import (
    Answer,
    ItemLink,
    ItemProgress,
    Mentorship,
    MockInterview,
    NotificationMute,
    StudyLog,
)
from tracker.plans import item_add_link, item_save_note, studylog_add
from tracker.practice import answer_rate, answer_save, interview_start
from tracker.recordings import clean_recording, recording_add
from tracker.reminders import reminder_settings, unsubscribe_token
from tracker.submissions import submission_save_evidence, submission_start

pytestmark = pytest.mark.django_db
SECRET = "OWNER-ONLY-7f3a"  # in every piece of the owner's data; nobody else may see it


def discovered() -> set[str]:
    """Every named URL pattern outside the admin, with its namespace."""

    def walk(patterns, namespace=""):
        for p in patterns:
            if isinstance(p, URLResolver):
                if p.namespace == "admin":
                    continue
                ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
                yield from walk(p.url_patterns, ns)
            elif isinstance(p, URLPattern) and p.name:
                yield f"{namespace}{p.name}"

    return set(walk(get_resolver().url_patterns))


@dataclass
class World:
    """The owner's data, with the secret marker in each piece."""

    goal: Goal
    link: object
    submission: object
    image: object
    log: object
    milestone: Milestone
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(learner, settings, tmp_path) -> World:
    settings.MEDIA_ROOT = tmp_path
    make_plan(learner)
    goal = Goal.objects.current().first()
    item_save_note(learner=learner, item=goal, note=f"My note {SECRET}")
    link = item_add_link(learner=learner, item=goal, title=f"Link {SECRET}", url="https://e.com")
    milestone = Milestone.objects.current().first()
    submission = submission_start(learner=learner, milestone=milestone)
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(buf, "PNG")
    from tracker.images import clean_image

    submission_save_evidence(
        submission=submission,
        evidence=f"Evidence {SECRET}",
        links=[(f"Repo {SECRET}", "https://e.com/repo")],
        images=[clean_image(SimpleUploadedFile("a.png", buf.getvalue()))],
    )
    log = studylog_add(
        learner=learner,
        day=submission.created_at.date(),
        minutes=30,
        phase=None,
        what=f"Studied {SECRET}",
    )
    question = Question.objects.current().first()
    rated = answer_save(
        user=learner, question=question, body=f"Rated {SECRET}", submit=True, reveal=True
    )
    interview = interview_start(user=learner, kind="custom", questions=[question], minutes=30)
    answer_save(
        user=learner, question=question, interview=interview, body=f"Mock {SECRET}", submit=True
    )
    # Rate it: the rated answer shows in the mentee view, and a fresh one stays open.
    answer_rate(answer=rated, covered=[0], qualities=[], rating=3)
    answer = answer_save(user=learner, question=question, body=f"Answer {SECRET}", submit=True)
    world = World(goal, link, submission, submission.images.get(), log, milestone)
    from tracker.plans import item_set_status

    credited = item_set_status(
        learner=learner,
        item=Goal.objects.current().exclude(pk=goal.pk).first(),
        status="credited",
        evidence=f"Known {SECRET}",
    )
    mentor, other_mentor, former = (make_user(n) for n in ("mia", "max", "fern"))
    mentorship = Mentorship.objects.create(learner=learner, mentor=mentor)
    Mentorship.objects.create(learner=make_user("someone"), mentor=other_mentor)
    Mentorship.objects.create(learner=learner, mentor=former, ended_at=timezone.now())
    invite = invite_create(learner=learner)
    recording = recording_add(answer=answer, clean=clean_recording(io.BytesIO(webm(2))))
    lab = lab_attempt_start(
        learner=learner, scenario=LabScenario.objects.get(key="degraded-nvlink")
    )
    lab_attempt_save_notes(attempt=lab, hypotheses=f"Lab notes {SECRET}", remediation="")
    notification = notify(learner, "comment", f"Note {SECRET}", submission.get_absolute_url())
    from jobs.models import Application, Contribution

    application = Application.objects.create(
        learner=learner, company=f"Co {SECRET}", follow_up_on=submission.created_at.date()
    )
    contribution = Contribution.objects.create(
        learner=learner,
        url="https://github.com/vllm-project/vllm/pull/1",
        title=f"PR {SECRET}",
        state="merged",
    )
    world.extra = {
        **_hiring_world(learner),
        "credit": credited,
        "application": application,
        "contribution": contribution,
        "answer": answer,
        "rated": rated,
        "interview": interview,
        "question": question,
        "mentorship": mentorship,
        "invite": invite,
        "lab": lab,
        "notification": notification,
        "recording": recording,
        "calendar_token": reminder_settings(learner).calendar_token,
        "unsubscribe_token": unsubscribe_token(learner, "digest"),
        "mute": NotificationMute.objects.create(user=learner, kind="approved"),
        "personas": {"mentor": mentor, "other_mentor": other_mentor, "former_mentor": former},
    }
    return world


def _hiring_world(learner) -> dict:
    """A resume screen, a trial project and a take-home with a diagram of the owner's,
    each holding the secret."""
    from hiring.services import attempt_save_work, attempt_start, resume_screen
    from roadmap.models import HiringRound
    from tracker.images import clean_image

    rounds = {r.key: r for r in HiringRound.objects.current()}
    resume = resume_screen(learner=learner, round=rounds["resume-screen"], text=f"CV {SECRET}")
    trial = attempt_start(learner=learner, round=rounds["trial-project"])
    attempt_save_work(attempt=trial, document=f"Deliverable {SECRET}", worksheet=None)
    take_home = attempt_start(learner=learner, round=rounds["infrastructure-design-take-home"])
    buf = io.BytesIO()
    Image.new("RGB", (20, 20), "blue").save(buf, "PNG")
    attempt_save_work(
        attempt=take_home,
        document=f"Design {SECRET}",
        worksheet=None,
        images=[clean_image(SimpleUploadedFile("d.png", buf.getvalue()))],
    )
    return {
        "resume": resume,
        "trial": trial,
        "take_home": take_home,
        "diagram": take_home.images.get(),
    }


PUBLIC = "public"  # everyone: 200
SELF = "self"  # the signed-in user's own page: 200 for any user, login for anonymous
OWNED = "owned"  # one object of the owner's: 200 owner, 404 others, login for anonymous
ACCOUNT = "account"  # account pages: checked in tests/tracker/test_accounts.py
MENTEE = "mentee"  # the mentor's view of the owner: 200 for their mentor, 404 for everyone else
SHARED = "shared"  # the owner's public portfolio pages: off by default, so 404 for everyone
LINK = "link"  # a page for whoever holds its secret link (a mentor invite): 200 for everyone

# name -> (kind, method, kwargs from the world, POST data)
MATRIX = {
    "home": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:index": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:phase": (PUBLIC, "get", lambda w: {"phase": w.goal.phase.key}, None),
    "roadmap:skills": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:rubric": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:questions": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:question": (
        PUBLIC,
        "get",
        lambda w: {"key": Question.objects.current().first().key},
        None,
    ),
    "roadmap:career": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:roles": (PUBLIC, "get", lambda w: {}, None),
    "roadmap:landscape": (PUBLIC, "get", lambda w: {}, None),
    "hiring:index": (PUBLIC, "get", lambda w: {}, None),
    "hiring:resume": (SELF, "get", lambda w: {}, None),
    "hiring:start": (SELF, "post", lambda w: {"key": "technical-screen"}, {}),
    "hiring:attempt": (OWNED, "get", lambda w: {"pk": w.extra["resume"].pk}, None),
    "hiring:attempt_save": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["trial"].pk},
        {"document": "x"},
    ),
    "hiring:attempt_judge": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["trial"].pk},
        {"outcome": "pass", "comment": "ok", "communication": 3, "code_quality": 3, "ambiguity": 3},
    ),
    "hiring:trial_update": (OWNED, "post", lambda w: {"pk": w.extra["trial"].pk}, {"body": "x"}),
    "hiring:diagram": (
        OWNED,
        "get",
        lambda w: {
            "pk": w.extra["take_home"].pk,
            "image_id": w.extra["diagram"].pk,
            "size": "full",
        },
        None,
    ),
    "healthz": (PUBLIC, "get", lambda w: {}, None),
    "dashboard": (SELF, "get", lambda w: {}, None),
    "plan": (SELF, "get", lambda w: {}, None),
    "plan_calendar": (SELF, "get", lambda w: {}, None),
    "log": (SELF, "get", lambda w: {}, None),
    "item_status": (OWNED, "post", lambda w: {"kind": "goal", "pk": w.goal.pk}, {"status": "done"}),
    "item_note": (OWNED, "post", lambda w: {"kind": "goal", "pk": w.goal.pk}, {"note": "n"}),
    "item_link_add": (
        OWNED,
        "post",
        lambda w: {"kind": "goal", "pk": w.goal.pk},
        {"title": "t", "url": "https://x.example"},
    ),
    "item_link_delete": (OWNED, "post", lambda w: {"pk": w.link.pk}, {}),
    "milestone_start": (OWNED, "post", lambda w: {"milestone_id": w.milestone.pk}, {}),
    "milestone": (OWNED, "get", lambda w: {"pk": w.submission.pk}, None),
    "milestone_transition": (OWNED, "post", lambda w: {"pk": w.submission.pk}, {"to": "submitted"}),
    "milestone_comment": (OWNED, "post", lambda w: {"pk": w.submission.pk}, {"comment": "hi"}),
    "milestone_image": (
        OWNED,
        "get",
        lambda w: {"pk": w.submission.pk, "image_id": w.image.pk, "size": "thumb"},
        None,
    ),
    "log_delete": (OWNED, "post", lambda w: {"pk": w.log.pk}, {}),
    "practice": (SELF, "get", lambda w: {}, None),
    "practice_stats": (SELF, "get", lambda w: {}, None),
    "practice_more": (SELF, "get", lambda w: {}, None),
    "practice_answer": (SELF, "get", lambda w: {"key": w.extra["question"].key}, None),
    "practice_rate": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["answer"].pk},
        {"covered": [0], "rating": 3},
    ),
    "practice_suggest": (OWNED, "get", lambda w: {"pk": w.extra["answer"].pk}, None),
    "practice_reveal": (OWNED, "post", lambda w: {"pk": w.extra["answer"].pk}, {}),
    "interviews": (SELF, "get", lambda w: {}, None),
    "interview": (OWNED, "get", lambda w: {"pk": w.extra["interview"].pk}, None),
    "interview_answer": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["interview"].pk, "question_id": w.extra["question"].pk},
        {"body": "changed"},
    ),
    "interview_finish": (OWNED, "post", lambda w: {"pk": w.extra["interview"].pk}, {}),
    "settings": (SELF, "get", lambda w: {}, None),
    "portfolio_settings": (SELF, "post", lambda w: {}, {"sections": ["rubric"]}),
    "export": (SELF, "get", lambda w: {}, None),
    "export_schema": (PUBLIC, "get", lambda w: {}, None),
    "import": (SELF, "post", lambda w: {}, {}),
    "delete_account": (SELF, "get", lambda w: {}, None),
    "mentors": (SELF, "get", lambda w: {}, None),
    "invite_new": (SELF, "post", lambda w: {}, {}),
    "invite_revoke": (OWNED, "post", lambda w: {"pk": w.extra["invite"].pk}, {}),
    "invite": (LINK, "get", lambda w: {"token": w.extra["invite"].token}, None),
    "mentorship_end": (OWNED, "post", lambda w: {"pk": w.extra["mentorship"].pk}, {}),
    "mentor_home": (SELF, "get", lambda w: {}, None),
    "mentee": (MENTEE, "get", lambda w: {"username": "lena"}, None),
    "mentee_answer_comment": (
        MENTEE,
        "post",
        lambda w: {"username": "lena", "pk": w.extra["answer"].pk},
        {"body": "Nice"},
    ),
    "mentee_answer_rate": (
        MENTEE,
        "post",
        lambda w: {"username": "lena", "pk": w.extra["rated"].pk},
        {"rating": 2, "qualities": ["specificity"]},
    ),
    "mentee_credit_review": (
        MENTEE,
        "post",
        lambda w: {"username": "lena", "pk": w.extra["credit"].pk},
        {"decision": "confirmed"},
    ),
    "portfolio": (SHARED, "get", lambda w: {"username": "lena"}, None),
    "card": (SHARED, "get", lambda w: {"username": "lena"}, None),
    "avatar": (SHARED, "get", lambda w: {"username": "lena"}, None),
    "evidence_image": (SHARED, "get", lambda w: {"username": "lena", "image_id": w.image.pk}, None),
    "notifications": (SELF, "get", lambda w: {}, None),
    "notification": (OWNED, "get", lambda w: {"pk": w.extra["notification"].pk}, None),
    "assessment": (SELF, "get", lambda w: {}, None),
    # Spoken answers: a real take each time (a callable: an upload is read once).
    "practice_recording": (
        OWNED,
        "post",
        lambda w: {"key": w.extra["question"].key},
        lambda: {"audio": SimpleUploadedFile("a.webm", webm(2))},
    ),
    "interview_recording": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["interview"].pk, "question_id": w.extra["question"].pk},
        lambda: {"audio": SimpleUploadedFile("a.webm", webm(2))},
    ),
    "recording": (OWNED, "get", lambda w: {"pk": w.extra["recording"].pk}, None),
    "recording_delete": (OWNED, "post", lambda w: {"pk": w.extra["recording"].pk}, {}),
    "assessment_screen": (SELF, "post", lambda w: {}, {}),
    "jobs:board": (SELF, "get", lambda w: {}, None),
    "jobs:new": (SELF, "get", lambda w: {}, None),
    "jobs:funnel": (SELF, "get", lambda w: {}, None),
    "jobs:targets": (SELF, "get", lambda w: {}, None),
    "jobs:offer": (SELF, "get", lambda w: {}, None),
    "jobs:contributions": (SELF, "get", lambda w: {}, None),
    "jobs:resume": (SELF, "get", lambda w: {}, None),
    "jobs:application": (OWNED, "get", lambda w: {"pk": w.extra["application"].pk}, None),
    "jobs:move": (OWNED, "post", lambda w: {"pk": w.extra["application"].pk}, {"stage": "offer"}),
    "jobs:delete": (OWNED, "post", lambda w: {"pk": w.extra["application"].pk}, {}),
    "jobs:contribution": (OWNED, "get", lambda w: {"pk": w.extra["contribution"].pk}, None),
    "jobs:contribution_delete": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["contribution"].pk},
        {},
    ),
    "signup": (ACCOUNT, "get", lambda w: {}, None),
    "login": (ACCOUNT, "get", lambda w: {}, None),
    "logout": (ACCOUNT, "post", lambda w: {}, {}),
    "password_change": (ACCOUNT, "get", lambda w: {}, None),
    "password_change_done": (ACCOUNT, "get", lambda w: {}, None),
    "password_reset": (ACCOUNT, "get", lambda w: {}, None),
    "password_reset_done": (ACCOUNT, "get", lambda w: {}, None),
    "password_reset_confirm": (ACCOUNT, "get", lambda w: {}, None),
    "password_reset_complete": (ACCOUNT, "get", lambda w: {}, None),
    "labs:index": (SELF, "get", lambda w: {}, None),
    "labs:start": (SELF, "post", lambda w: {"key": "degraded-nvlink"}, {}),
    "labs:attempt": (OWNED, "get", lambda w: {"pk": w.extra["lab"].pk}, None),
    "labs:run": (OWNED, "post", lambda w: {"pk": w.extra["lab"].pk}, {"command": "stragglers"}),
    "labs:notes": (OWNED, "post", lambda w: {"pk": w.extra["lab"].pk}, {"hypotheses": "x"}),
    "labs:submit": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["lab"].pk},
        {"cause": "thermal", "remediation": "r"},
    ),
    "labs:comment": (OWNED, "post", lambda w: {"pk": w.extra["lab"].pk}, {"body": "Nice"}),
    "reminders_save": (SELF, "post", lambda w: {}, {"reminders-remind_at": "08:00"}),
    "calendar_rotate": (SELF, "post", lambda w: {}, {}),
    # The calendar feed and the unsubscribe link open for whoever holds the secret link
    # (a calendar app, a mail app): the owner's secret data is in neither.
    "calendar_feed": (LINK, "get", lambda w: {"token": w.extra["calendar_token"]}, None),
    "unsubscribe": (LINK, "get", lambda w: {"token": w.extra["unsubscribe_token"]}, None),
    "notification_mute": (
        OWNED,
        "post",
        lambda w: {"pk": w.extra["notification"].pk},
        {"what": "kind"},
    ),
    "notification_unmute": (OWNED, "post", lambda w: {"pk": w.extra["mute"].pk}, {}),
}

# Endpoints addressed by a *content* id (a goal, a milestone): another learner acting
# there acts on their own progress or their own draft, never on the owner's.
OWN_COPY = {"item_status", "item_note", "item_link_add", "milestone_start", "practice_recording"}
# A stored take answers 201 (created) with the takes list.
UPLOADS = {"practice_recording", "interview_recording"}


def test_every_url_is_in_the_matrix():
    missing = discovered() - MATRIX.keys()
    assert not missing, f"Say in MATRIX what these URLs should do: {sorted(missing)}"
    assert not MATRIX.keys() - discovered(), "MATRIX names URLs that no longer exist"


def _call(client, method, url, data):
    data = data() if callable(data) else data
    return client.post(url, data) if method == "post" else client.get(url)


PERSONAS = ["anonymous", "other_learner", "other_mentor", "former_mentor", "mentor", "owner"]
# What the owner's mentor may reach of the owner's: reading and reviewing milestones,
# the mentee view, commenting, and ending the mentorship.
MENTOR_OK = {
    "milestone",
    "milestone_image",
    "milestone_transition",
    "milestone_comment",
    "mentee",
    "mentee_answer_comment",
    "mentee_answer_rate",
    "mentee_credit_review",
    "mentorship_end",
    "recording",
    "hiring:attempt",  # the mentor runs the round as the recruiter or the client
    "hiring:attempt_judge",
    "hiring:diagram",  # the take-home's diagrams, beside its document
    "labs:attempt",
    "labs:comment",
}


def expected(name: str, persona: str) -> set[int]:
    kind = MATRIX[name][0]
    if kind == SHARED:
        return {404}  # until the owner switches the portfolio on (tests/tracker/test_share.py)
    if name == "home" and persona != "anonymous":
        return {302}  # a signed-in user's home is their dashboard
    if kind in (PUBLIC, LINK):
        return {200}
    if persona == "anonymous":
        return {302}  # to the login page (checked below)
    if name in UPLOADS and (name in OWN_COPY or persona == "owner"):
        return {201}
    if kind == SELF or name in OWN_COPY:
        return {200, 302}
    if persona == "mentor" and name in MENTOR_OK:
        return {200, 302}
    if kind == OWNED and persona == "owner":
        return {200, 302}
    return {404}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[0] != ACCOUNT))
def test_access(name, persona, world, client, learner, other_learner):
    kind, method, kwargs, data = MATRIX[name]
    url = reverse(name, kwargs=kwargs(world))
    users = {"owner": learner, "other_learner": other_learner, **world.extra["personas"]}
    if persona != "anonymous":
        if persona != "owner":
            make_plan(users[persona])
        client.force_login(users[persona])
    response = _call(client, method, url, data)
    assert response.status_code in expected(name, persona), (name, persona, response.status_code)
    if persona == "anonymous" and kind not in (PUBLIC, SHARED, LINK):
        assert response["Location"].startswith("/accounts/login/")
    body = b"" if name in {"milestone_image", "recording", "hiring:diagram"} else response.content
    may_see = persona == "owner" or (persona == "mentor" and name in MENTOR_OK)
    if not may_see:
        assert SECRET not in body.decode(errors="replace"), (name, persona)
        # …and the owner's rows are untouched.
        owner_progress = ItemProgress.objects.get(learner=learner, goal=world.goal)
        assert SECRET in owner_progress.note and owner_progress.status == "todo"
        assert ItemLink.objects.filter(pk=world.link.pk).exists()
        assert StudyLog.objects.filter(pk=world.log.pk).exists()
        world.submission.refresh_from_db()
        assert world.submission.state == "draft"
        world.extra["answer"].refresh_from_db()
        assert world.extra["answer"].status == "submitted"
        world.extra["rated"].refresh_from_db()
        assert world.extra["rated"].mentor_rating is None  # only the active mentor rates
        assert Answer.objects.filter(learner=learner, body__contains=SECRET).count() == 3
        assert MockInterview.objects.get(pk=world.extra["interview"].pk).finished_at is None
        assert Mentorship.objects.get(pk=world.extra["mentorship"].pk).ended_at is None
        assert (
            world.extra["invite"].__class__.objects.get(pk=world.extra["invite"].pk).state == "open"
        )
        world.extra["notification"].refresh_from_db()
        assert world.extra["notification"].read_at is None  # nobody else can mark it read
        world.extra["resume"].refresh_from_db()
        assert world.extra["resume"].judged_by_id is None  # nobody else judged it
        world.extra["trial"].refresh_from_db()
        trial = world.extra["trial"]
        assert SECRET in trial.document and trial.is_open and not trial.updates.exists()
        assert world.extra["take_home"].images.count() == 1  # nobody else removed it
        lab = LabAttempt.objects.get(pk=world.extra["lab"].pk)
        assert SECRET in lab.hypotheses and lab.is_open and not lab.runs.exists()
        world.extra["application"].refresh_from_db()  # neither moved nor deleted
        assert world.extra["application"].stage == "applied"
        world.extra["contribution"].refresh_from_db()
        world.extra["credit"].refresh_from_db()  # nobody else vouched for it
        assert world.extra["credit"].credit_review == ""
    shows_nothing_secret = {
        "milestone_image",
        "hiring:diagram",
        "recording",
        "plan",
        "plan_calendar",
        "practice",
        "settings",
        "practice_stats",
        "practice_more",
        "practice_suggest",
        "interviews",
        "assessment",
        "mentors",
        "invite",
        "mentor_home",
        "notifications",
        "notification",
        "delete_account",
        "labs:index",
        "jobs:new",
        "jobs:funnel",
        "jobs:targets",
        "jobs:offer",
    }
    owner_page = persona == "owner" and method == "get" and kind in (SELF, OWNED)
    if owner_page and name not in shows_nothing_secret:
        assert SECRET in response.content.decode(), f"{name} should show the owner's data"
    if persona == "mentor" and name == "mentee":
        assert SECRET in response.content.decode(), "the mentor sees the mentee's answers"


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[1] == "post"))
def test_post_endpoints_refuse_get(name, world, client, learner):
    client.force_login(learner)
    url = reverse(name, kwargs=MATRIX[name][2](world))
    assert client.get(url).status_code == 405


def test_admin_is_for_staff_only(client, learner):
    client.force_login(learner)
    response = client.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_unknown_ids_are_404_for_the_owner_too(client, learner, world):
    client.force_login(learner)
    for url in (
        "/milestones/999999/",
        "/log/999999/delete/",
        "/progress/links/999999/delete/",
        f"/milestones/{world.submission.pk}/images/999999/full/",
        "/recordings/999999/",
        "/roadmap/not-a-phase/",
        "/questions/not-a-question/",
    ):
        method = "post" if url.endswith("delete/") else "get"
        assert _call(client, method, url, {}).status_code == 404, url


def test_phase_page_of_another_learner_shows_only_their_own_rows(client, world, other_learner):
    make_plan(other_learner)
    client.force_login(other_learner)
    body = client.get(Phase.objects.current().first().get_absolute_url()).content.decode()
    assert SECRET not in body


class _Forms(HTMLParser):
    """Collects POST forms and whether each carries a CSRF token field."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method", "").lower() == "post":
            self.forms.append({"action": a.get("action"), "token": False})
        if tag == "input" and a.get("name") == "csrfmiddlewaretoken" and self.forms:
            self.forms[-1]["token"] = True


NOT_HTML = {
    "milestone_image",
    "hiring:diagram",
    "recording",
    "plan_calendar",
    "calendar_feed",
    "unsubscribe",  # csrf-exempt: a mail app posts to it (RFC 8058); the token is the key
    "password_reset_confirm",
}  # (the last needs a token)


@pytest.mark.parametrize(
    "name", sorted(n for n, row in MATRIX.items() if row[1] == "get" and n not in NOT_HTML)
)
def test_every_post_form_on_every_page_carries_a_csrf_token(name, world, client, learner):
    """Without the token field a form fails with 403 for anyone without JavaScript."""
    client.force_login(learner)
    MockInterview.objects.filter(pk=world.extra["interview"].pk).update(finished_at=None)
    response = client.get(reverse(name, kwargs=MATRIX[name][2](world)))
    parser = _Forms()
    parser.feed(response.content.decode(errors="replace"))
    missing = [f["action"] for f in parser.forms if not f["token"]]
    assert not missing, f"{name}: POST forms without a CSRF token: {missing}"


# Responses that choose their own caching: an evidence image never changes under its URL,
# and the export schema is the same for everyone.
OWN_CACHING = {"milestone_image", "hiring:diagram", "export_schema"}


@pytest.mark.parametrize("name", sorted(n for n, row in MATRIX.items() if row[1] == "get"))
def test_no_page_of_a_signed_in_user_is_stored(name, world, client, learner):
    """Back and Forward must fetch a signed-in page again, never show a copy from before
    the last change (every page shows at least their name and unread count)."""
    client.force_login(learner)
    kwargs = MATRIX[name][2](world)
    if name == "password_reset_confirm":
        kwargs = {"uidb64": "x", "token": "y"}
    response = client.get(reverse(name, kwargs=kwargs))
    cache_control = response.get("Cache-Control", "")
    if name in OWN_CACHING:
        assert "max-age" in cache_control and "no-store" not in cache_control
    else:
        assert "no-store" in cache_control, (name, response.status_code, cache_control)


@pytest.mark.parametrize(
    "name", sorted(n for n, row in MATRIX.items() if row[0] == PUBLIC and n != "healthz")
)
def test_public_pages_keep_their_caching_for_visitors(name, world, client):
    response = client.get(reverse(name, kwargs=MATRIX[name][2](world)))
    assert "no-store" not in response.get("Cache-Control", "")
