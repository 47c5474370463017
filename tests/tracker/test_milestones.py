"""The milestone page: evidence with links and images, transitions, image access."""

from __future__ import annotations

import io

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from roadmap.models import Milestone
from tracker.models import Submission, SubmissionImage, SubmissionLink
from tracker.submissions import submission_start

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
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
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {
            "evidence": "## My cluster\n\nIt **works**.",
            "link_title_0": "Repo",
            "link_url_0": "https://github.com/me/cluster",
            "images": [png(), png("b.jpg", fmt="JPEG")],
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert "<strong>works</strong>" in submission.evidence_html
    assert list(submission.links.values_list("url", flat=True)) == ["https://github.com/me/cluster"]
    assert submission.images.count() == 2
    assert len(stored_files(media)) == 4  # two images, two thumbnails
    image = submission.images.first()
    shown = learner_client.get(f"/milestones/{submission.pk}/images/{image.pk}/thumb/")
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"


def _bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buf, "PNG")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("t.png", png().read()[:60]), "damaged or incomplete"),
        (
            lambda: SimpleUploadedFile("notes.png", b"just some text, not a png"),
            "not an image we can read",
        ),
        (lambda: SimpleUploadedFile("big.png", _bomb()), "at most 16 megapixels"),
        (
            lambda: SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024)),
            "larger than 5 MB",
        ),
    ],
)
def test_bad_images_get_a_clear_error_and_nothing_is_stored(
    learner_client, submission, media, upload, message
):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {
            "evidence": "New text",
            "images": [png(), upload()],
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    submission.refresh_from_db()
    assert submission.evidence == ""
    assert not SubmissionImage.objects.exists()
    assert stored_files(media) == []


def test_at_most_five_images(learner_client, submission):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {"evidence": "x", "images": [png(f"{i}.png") for i in range(6)]},
    )
    assert "at most 5 images" in response.content.decode()
    assert not SubmissionImage.objects.exists()


def test_a_javascript_link_is_refused(learner_client, submission):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {"evidence": "x", "link_title_0": "x", "link_url_0": "javascript:alert(1)"},
    )
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
    response = learner_client.post(
        f"/milestones/{submission.pk}/transition/", {"to": "approved"}, follow=True
    )
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
    assert (
        client.post(f"/milestones/{submission.pk}/transition/", {"to": "submitted"}).status_code
        == 404
    )
    submission.refresh_from_db()
    assert submission.evidence == "mine"
    assert default_storage.exists(image.image.name)


def test_milestone_page_query_count_is_flat(learner_client, submission, django_assert_num_queries):
    url = f"/milestones/{submission.pk}/"
    # session; user; submission; links; images; has the learner a mentor; unread
    # notifications (the badge); the latest events (+actor)
    with django_assert_num_queries(8):
        learner_client.get(url)
    learner_client.post(
        url,
        {
            "evidence": "x",
            "images": [png(f"{i}.png") for i in range(5)],
            "link_title_0": "a",
            "link_url_0": "https://a.example",
        },
    )
    for to in ["submitted", "draft"] * 10:
        learner_client.post(f"/milestones/{submission.pk}/transition/", {"to": to})
    # The same but the badge: no write touched the learner's notifications.
    with django_assert_num_queries(7):
        learner_client.get(url)
    # Warm: the thread (and the badge count) come from the cache.
    with django_assert_num_queries(6):
        body = learner_client.get(url).content.decode()
    assert body.count("moved it to") == 20  # the latest 20 transitions, from the cache


# --- one form, two buttons: nothing typed is lost (issue 12, items 2 and 3) -----------


def test_submit_for_review_saves_the_typed_evidence_in_the_same_request(learner_client, submission):
    assert (submission.state, submission.evidence) == ("draft", "")
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {
            "evidence": "Typed, never saved",
            "link_title_0": "Repo",
            "link_url_0": "https://github.com/me/vm",
            "to": "submitted",
            "comment": "Ready for a look",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("submitted", "Typed, never saved")
    assert list(submission.links.values_list("title", "url")) == [
        ("Repo", "https://github.com/me/vm")
    ]
    event = submission.events.last()
    assert (event.to_state, event.comment) == ("submitted", "Ready for a look")


def test_save_draft_saves_without_submitting_and_keeps_a_typed_comment(learner_client, submission):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {"evidence": "Half done", "comment": "Question: is a VM enough?"},
        follow=True,
    )
    assert "Draft saved." in response.content.decode()
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("draft", "Half done")
    assert submission.events.last().comment == "Question: is a VM enough?"


def test_submitting_without_evidence_transitions_nothing_and_keeps_everything(
    learner_client, submission
):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {
            "evidence": "   ",
            "link_title_0": "Repo",
            "link_url_0": "https://github.com/me/vm",
            "to": "submitted",
            "comment": "Kept comment",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="id_evidence_error"' in body and "Write your evidence before you submit." in body
    assert 'aria-describedby="id_evidence_helptext id_evidence_error"' in body
    assert 'value="Repo"' in body and 'value="https://github.com/me/vm"' in body
    assert "Kept comment" in body
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("draft", "")
    assert not SubmissionLink.objects.exists()


def test_a_bad_link_url_keeps_title_url_and_evidence_with_the_message_at_the_field(
    learner_client, submission
):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {
            "evidence": "My text",
            "link_title_0": "Runbook",
            "link_url_0": "runbook.example/x",
            "to": "submitted",
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'value="Runbook"' in body and 'value="runbook.example/x"' in body
    assert "My text</textarea>" in body
    assert 'id="id_link_url_0_error"' in body
    assert 'aria-describedby="id_link_url_0_error"' in body
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("draft", "")


def test_an_upload_error_has_a_summary_at_the_top_that_takes_focus(learner_client, submission):
    response = learner_client.post(
        f"/milestones/{submission.pk}/",
        {"evidence": "Kept", "images": [SimpleUploadedFile("notes.png", b"not a png")]},
    )
    body = response.content.decode()
    summary = body.index('id="error-summary"')
    assert summary < body.index('id="id_evidence"')
    assert 'tabindex="-1" autofocus' in body[summary - 200 : summary + 200]
    assert 'href="#id_images"' in body  # the summary links to the field…
    assert 'id="id_images_error"' in body  # …where the message sits too
    assert "choose them again" in body  # a browser cannot keep a chosen file
    assert "Kept</textarea>" in body


def test_an_old_tab_keeps_what_was_typed_when_the_milestone_is_submitted(
    learner_client, submission
):
    learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "First", "to": "submitted"})
    response = learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "Late edit"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "withdraw it to edit" in body and "Late edit" in body
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("submitted", "First")


def test_the_learner_editing_has_one_form_with_both_buttons(learner_client, submission):
    body = learner_client.get(f"/milestones/{submission.pk}/").content.decode()
    assert "/transition/" not in body  # no second form whose button drops the first's edits
    assert body.count('<form method="post" enctype="multipart/form-data"') == 1
    assert "Save draft" in body and 'name="to" value="submitted"' in body


def test_an_old_tab_after_approval_is_told_the_evidence_is_final(learner_client, submission):
    learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "Done", "to": "submitted"})
    learner_client.post(f"/milestones/{submission.pk}/transition/", {"to": "approved"})
    body = learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "Late"}).content
    assert b"approved: its evidence is final" in body and b"Late</textarea>" in body
    submission.refresh_from_db()
    assert (submission.state, submission.evidence) == ("approved", "Done")


def test_a_ticked_remove_box_stays_ticked_when_the_form_is_refused(learner_client, submission):
    learner_client.post(f"/milestones/{submission.pk}/", {"evidence": "x", "images": [png()]})
    image = submission.images.get()
    body = learner_client.post(
        f"/milestones/{submission.pk}/",
        {"evidence": "x", "remove": [image.pk], "link_title_0": "t", "link_url_0": "nope"},
    ).content.decode()
    assert f'name="remove" value="{image.pk}" checked' in body
    assert submission.images.filter(pk=image.pk).exists()
