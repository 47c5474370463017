"""The milestone page: evidence with links and images, transitions, image access."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from roadmap.models import Milestone
from tracker.models import Submission, SubmissionImage, SubmissionLink
from tracker.services import submission_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage"}}  # fmt: skip
    return settings.MEDIA_ROOT


@pytest.fixture
def submission(learner, plan) -> Submission:
    return submission_start(learner=learner, milestone=Milestone.objects.current().first())


def png(name="shot.png", size=(64, 48), fmt="PNG") -> SimpleUploadedFile:
    buf = io.BytesIO()
    Image.new("RGB", size, "teal").save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue(), content_type="image/png")


def stored_files(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def test_starting_a_milestone_creates_one_draft(learner_client, learner, plan):
    milestone = Milestone.objects.current().first()
    r1 = learner_client.post(f"/milestones/start/{milestone.pk}/")
    r2 = learner_client.post(f"/milestones/start/{milestone.pk}/")
    submission = Submission.objects.get(learner=learner, milestone=milestone)
    assert r1["Location"] == r2["Location"] == f"/milestones/{submission.pk}/"
    assert submission.state == "draft"


def test_evidence_links_and_images_are_saved(learner_client, submission, media):
    response = learner_client.post(f"/milestones/{submission.pk}/", {
        "evidence": "## My cluster\n\nIt **works**.",
        "link_title_0": "Repo", "link_url_0": "https://github.com/me/cluster",
        "images": [png(), png("b.jpg", fmt="JPEG")],
    })  # fmt: skip
    assert response.status_code == 302
    submission.refresh_from_db()
    assert "<strong>works</strong>" in submission.evidence_html
    assert list(submission.links.values_list("url", flat=True)) == [
        "https://github.com/me/cluster"]  # fmt: skip
    assert submission.images.count() == 2
    assert len(stored_files(media)) == 4  # two images, two thumbnails
    image = submission.images.first()
    shown = learner_client.get(f"/milestones/{submission.pk}/images/{image.pk}/thumb/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"


def _bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(("upload", "message"), [
    (lambda: SimpleUploadedFile("t.png", png().read()[:60]), "damaged or incomplete"),
    (lambda: SimpleUploadedFile("notes.png", b"just some text, not a png"),
     "not an image we can read"),
    (lambda: SimpleUploadedFile("big.png", _bomb()), "at most 16 megapixels"),
    (lambda: SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024)),
     "larger than 5 MB"),
])  # fmt: skip
def test_bad_images_get_a_clear_error_and_nothing_is_stored(learner_client, submission, media,
                                                            upload, message):  # fmt: skip
    response = learner_client.post(f"/milestones/{submission.pk}/", {
        "evidence": "New text", "images": [png(), upload()],
    })  # fmt: skip
    assert response.status_code == 200
    assert message in response.content.decode()
    submission.refresh_from_db()
    assert submission.evidence == ""
    assert not SubmissionImage.objects.exists()
    assert stored_files(media) == []


def test_at_most_five_images(learner_client, submission):
    response = learner_client.post(f"/milestones/{submission.pk}/", {
        "evidence": "x", "images": [png(f"{i}.png") for i in range(6)]})  # fmt: skip
    assert "at most 5 images" in response.content.decode()
    assert not SubmissionImage.objects.exists()


def test_a_javascript_link_is_refused(learner_client, submission):
    response = learner_client.post(f"/milestones/{submission.pk}/", {
        "evidence": "x", "link_title_0": "x", "link_url_0": "javascript:alert(1)"})  # fmt: skip
    assert "starting with http:// or https://" in response.content.decode()
    assert not SubmissionLink.objects.exists()


def test_submit_then_self_approve_through_the_page(learner_client, submission):
    learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "Proof."})
    learner_client.post(f"/milestones/{submission.pk}/transition/", {"to": "submitted"})
    body = learner_client.get(f"/milestones/{submission.pk}/").content.decode()
    assert "Self-approve" in body
    learner_client.post(f"/milestones/{submission.pk}/transition/", {"to": "approved"})
    submission.refresh_from_db()
    assert submission.state_label == "Self-approved"
    assert "Self-approved" in learner_client.get(f"/milestones/{submission.pk}/").content.decode()


def test_an_illegal_transition_is_a_message(learner_client, submission):
    response = learner_client.post(f"/milestones/{submission.pk}/transition/",
                                   {"to": "approved"}, follow=True)  # fmt: skip
    assert "cannot go from draft to approved" in response.content.decode()
    submission.refresh_from_db()
    assert submission.state == "draft"


def test_outsiders_get_404_and_anonymous_logs_in(client, other_learner, submission, media):
    learner = submission.learner
    client.force_login(learner)
    client.post(f"/milestones/{submission.pk}/", {"evidence": "mine", "images": [png()]})
    image = submission.images.get()
    urls = [f"/milestones/{submission.pk}/", f"/milestones/{submission.pk}/images/{image.pk}/full/"]
    client.logout()
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(other_learner)
    for url in urls:
        assert client.get(url).status_code == 404
    assert client.post(f"/milestones/{submission.pk}/", {"evidence": "hacked"}).status_code == 404
    assert client.post(f"/milestones/{submission.pk}/transition/",
                       {"to": "submitted"}).status_code == 404  # fmt: skip
    submission.refresh_from_db()
    assert submission.evidence == "mine"
    assert default_storage.exists(image.image.name)


def test_milestone_page_query_count_is_flat(learner_client, submission,
                                            django_assert_num_queries):  # fmt: skip
    url = f"/milestones/{submission.pk}/"
    # session; user; submission; links; images; events (+actor); has the learner a mentor;
    # unread notifications (the badge)
    with django_assert_num_queries(8):
        learner_client.get(url)
    learner_client.post(url, {"evidence": "x", "images": [png(f"{i}.png") for i in range(5)],
                              "link_title_0": "a", "link_url_0": "https://a.example"})  # fmt: skip
    for to in ["submitted", "draft"] * 10:
        learner_client.post(f"/milestones/{submission.pk}/transition/", {"to": to})
    with django_assert_num_queries(8):
        learner_client.get(url)
    # Warm: the thread (and the badge count) come from the cache.
    with django_assert_num_queries(6):
        body = learner_client.get(url).content.decode()
    assert body.count("moved it to") == 20  # every transition, from the cache
