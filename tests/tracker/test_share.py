"""Sharing: the public portfolio, the progress card and the avatar."""

from __future__ import annotations

import io
from unittest import mock

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from roadmap.models import Milestone, Phase
from tests.conftest import make_plan, make_user
from tracker import portfolio as portfolio_module
from tracker.images import clean_image
from tracker.models import Mentorship, User
from tracker.plans import item_set_status
from tracker.submissions import submission_save_evidence, submission_start, submission_transition

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def png(size=(300, 200), color="teal") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "PNG")
    return buf.getvalue()


def approve_first_milestone(learner, evidence="I built **the VM**", image=True):
    milestone = Milestone.objects.current().order_by("phase__order").first()
    s = submission_start(learner=learner, milestone=milestone)
    images = [clean_image(SimpleUploadedFile("a.png", png()))] if image else []
    submission_save_evidence(
        submission=s, evidence=evidence, images=images, links=[("Repo", "https://github.com/me/vm")]
    )
    submission_transition(submission=s, actor=learner, to_state="submitted")
    submission_transition(submission=s, actor=learner, to_state="approved")
    return s


def go_public(user):
    user.portfolio_public = True
    user.save()


def test_the_portfolio_is_off_by_default_for_everyone(client, learner):
    make_plan(learner)
    for who in (None, learner, make_user("stranger")):
        if who:
            client.force_login(who)
        else:
            client.logout()
        assert client.get(f"/u/{learner.username}/").status_code == 404
        assert client.get(f"/u/{learner.username}/card.png").status_code == 404


def test_switched_on_it_shows_the_work_to_anyone(client, learner_client, learner):
    make_plan(learner)
    s = approve_first_milestone(learner)
    response = learner_client.post(
        "/settings/",
        {
            "display_name": "Lena L",
            "time_zone": "UTC",
            "daily_new_cap": 5,
            "daily_review_cap": 30,
            "portfolio_public": "on",
        },
    )
    assert response.status_code == 302
    client.logout()
    body = client.get(f"/u/{learner.username}/").content.decode()
    assert "Lena L" in body and "<strong>the VM</strong>" in body
    assert "https://github.com/me/vm" in body
    assert '<meta property="og:image" content="http://testserver/u/lena/card.png">' in body
    image = s.images.get()
    assert f"/u/lena/images/{image.pk}/" in body
    assert client.get(f"/u/lena/images/{image.pk}/").status_code == 200
    # Evidence of a milestone not approved stays private.
    other = submission_start(
        learner=learner, milestone=Milestone.objects.current().order_by("phase__order")[1]
    )
    submission_save_evidence(
        submission=other,
        evidence="draft",
        links=[],
        images=[clean_image(SimpleUploadedFile("b.png", png()))],
    )
    assert client.get(f"/u/lena/images/{other.images.get().pk}/").status_code == 404
    assert "draft" not in client.get(f"/u/{learner.username}/").content.decode()


def test_mentor_confirmed_shows_only_where_the_mentor_scored_as_high(client, learner):
    from roadmap.models import Dimension
    from tracker.assessment import assessment_create

    go_public(learner)
    mentor = make_user("mia")
    dims = list(Dimension.objects.current())
    assessment_create(
        learner=learner, rater=learner, role="self", scores={d: (4, "") for d in dims}
    )
    # Lower than the learner's 4 on one dimension, higher on another.
    assessment_create(
        learner=learner, rater=mentor, role="mentor", scores={dims[0]: (3, ""), dims[1]: (5, "")}
    )
    body = client.get("/u/lena/").content.decode()
    assert body.count("mentor-confirmed") == 1
    row = body.split(f"<td>{dims[0].name}</td>", 1)[1].split("</tr>", 1)[0]
    assert "mentor-confirmed" not in row
    assert "Strong candidate" in body


def _card(client, username) -> Image.Image:
    response = client.get(f"/u/{username}/card.png")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    return Image.open(io.BytesIO(response.content))


def test_the_card_is_1200_by_630_for_the_edge_cases(client):
    long_name = make_user("longname", display_name="A" * 60)
    go_public(long_name)
    assert _card(client, "longname").size == (1200, 630)  # a 60-character name, no plan

    done = make_user("finisher", display_name="Finn")
    go_public(done)
    make_plan(done)
    for phase in Phase.objects.current():
        for item in (*phase.goals.all(), *phase.resources.all()):
            item_set_status(learner=done, item=item, status="done")
    for milestone in Milestone.objects.current():
        s = submission_start(learner=done, milestone=milestone)
        submission_save_evidence(submission=s, evidence="x", links=[])
        submission_transition(submission=s, actor=done, to_state="submitted")
        submission_transition(submission=s, actor=done, to_state="approved")
    assert portfolio_module.build_portfolio(done).progress.percent == 100
    assert _card(client, "finisher").size == (1200, 630)


def test_the_card_is_drawn_once_then_again_after_a_change(client, learner):
    go_public(learner)
    make_plan(learner)
    with mock.patch.object(portfolio_module, "draw_card", wraps=portfolio_module.draw_card) as d:
        first = client.get("/u/lena/card.png").content
        client.get("/u/lena/card.png")
        assert d.call_count == 1
        item_set_status(
            learner=learner, item=Phase.objects.current().first().goals.first(), status="done"
        )
        second = client.get("/u/lena/card.png").content
        assert d.call_count == 2
    assert first != second


def test_avatar_upload_is_checked_cropped_and_private_until_shared(client, learner_client, learner):
    base = {"display_name": "", "time_zone": "UTC", "daily_new_cap": 5, "daily_review_cap": 30}
    response = learner_client.post(
        "/settings/", {**base, "avatar_upload": SimpleUploadedFile("me.png", png((400, 200)))}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    with learner.avatar.open("rb") as fh:
        assert Image.open(fh).size == (256, 256)
    assert learner_client.get("/u/lena/avatar.png").status_code == 200
    client.logout()
    assert client.get("/u/lena/avatar.png").status_code == 404  # not public yet
    go_public(learner)
    assert client.get("/u/lena/avatar.png").status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("notes.png", b"just text"), "not an image we can read"),
        (SimpleUploadedFile("cut.png", png()[:60]), "damaged or incomplete"),
    ],
)
def test_a_bad_avatar_gets_a_message_and_nothing_is_stored(
    learner_client, learner, upload, message, tmp_path
):
    response = learner_client.post(
        "/settings/",
        {
            "display_name": "Changed",
            "time_zone": "UTC",
            "daily_new_cap": 5,
            "daily_review_cap": 30,
            "avatar_upload": upload,
        },
    )
    assert response.status_code == 200 and message in response.content.decode()
    learner.refresh_from_db()
    assert not learner.avatar and learner.display_name == "Lena Learner"
    assert not list(tmp_path.rglob("*.png"))


def test_a_mentor_sees_the_avatar_of_a_private_mentee(client, learner):
    learner.avatar.save("avatar.png", SimpleUploadedFile("a.png", png((256, 256))))
    mentor = make_user("mia")
    client.force_login(mentor)
    assert client.get("/u/lena/avatar.png").status_code == 404
    Mentorship.objects.create(learner=learner, mentor=mentor)
    assert client.get("/u/lena/avatar.png").status_code == 200


def test_portfolio_query_count_is_flat(client, learner, django_assert_num_queries):
    go_public(learner)
    make_plan(learner)
    approve_first_milestone(learner, image=False)

    def measure():
        client.get("/u/lena/")  # warms the content cache and the page body
        # the learner: everything else comes from the cached body
        with django_assert_num_queries(1):
            assert client.get("/u/lena/").status_code == 200

    measure()
    for goal in list(Phase.objects.current()[1].goals.all()):
        item_set_status(learner=learner, item=goal, status="done")
    measure()
    assert User.objects.filter(portfolio_public=True).count() == 1
