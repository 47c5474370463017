"""The take-home's diagrams: uploaded images, made safe by tracker.images exactly as
milestone evidence images are, capped in size and count, private to the owner and their
active mentors, described in the export and deleted with the account."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hiring.models import Attempt, AttemptImage
from hiring.services import attempt_save_work, attempt_start
from roadmap.models import HiringRound
from tests.conftest import make_user
from tracker.account_deletion import delete_account
from tracker.images import clean_image
from tracker.models import Mentorship
from tracker.portability import export_user, import_user

pytestmark = pytest.mark.django_db

TAKE_HOME = "infrastructure-design-take-home"
TYPED = "## Serving\nvLLM, continuous batching, typed before the upload"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }
    return settings.MEDIA_ROOT


def stored(media) -> list:
    return [p for p in media.rglob("*") if p.is_file()] if media.exists() else []


def png(name="diagram.png", size=(640, 360), fmt="PNG", exif=False) -> SimpleUploadedFile:
    buf = io.BytesIO()
    img = Image.new("RGB", size, "teal")
    if exif:
        data = Image.Exif()
        data[0x010E] = "GPS home 51.5N 0.1W"  # ImageDescription: must not survive
        img.save(buf, fmt, exif=data.tobytes())
    else:
        img.save(buf, fmt)
    return SimpleUploadedFile(name, buf.getvalue() + b"<script>alert(1)</script>")


def _bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (6000, 5000)).save(buf, "PNG")
    return buf.getvalue()


@pytest.fixture
def take_home(learner) -> Attempt:
    return attempt_start(
        learner=learner, round=HiringRound.objects.get(key=TAKE_HOME, is_active=True)
    )


def _post(client, attempt, **extra):
    return client.post(
        f"/hiring/attempts/{attempt.pk}/save/",
        {"document": TYPED, "gpu_type": "H100", "users": 50000, **extra},
    )


def _worksheet(attempt) -> dict:
    from hiring.forms import WorkForm

    return WorkForm.worksheet_initial(attempt.worksheet)


def test_a_diagram_is_re_encoded_stored_and_shown_to_the_learner_and_the_mentor(
    client, learner, mentor, take_home, media
):
    client.force_login(learner)
    response = client.post(
        f"/hiring/attempts/{take_home.pk}/save/",
        {**_worksheet(take_home), "document": TYPED, "images": [png(exif=True)]},
    )
    assert response.status_code == 302
    take_home.refresh_from_db()
    assert take_home.document == TYPED
    diagram = take_home.images.get()
    assert (diagram.width, diagram.height) == (640, 360)
    assert len(stored(media)) == 2  # the image and its thumbnail
    served = client.get(diagram.url("full"))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    body = b"".join(served.streaming_content)
    assert b"script" not in body and b"GPS home" not in body  # pixels only
    page = client.get(take_home.get_absolute_url()).content.decode()
    assert diagram.url("thumb") in page and 'name="remove"' in page
    client.force_login(mentor)
    page = client.get(take_home.get_absolute_url()).content.decode()
    assert diagram.url("thumb") in page and 'name="remove"' not in page
    assert client.get(diagram.url("thumb")).status_code == 200


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("t.png", png().read()[:60]), "damaged or incomplete"),
        (lambda: SimpleUploadedFile("notes.png", b"just text, not a png"), "not an image"),
        (lambda: SimpleUploadedFile("big.png", _bomb()), "at most 16 megapixels"),
        (
            lambda: SimpleUploadedFile("huge.png", b"\x89PNG" + b"0" * (6 * 1024 * 1024)),
            "larger than 5 MB",
        ),
    ],
)
def test_a_broken_or_hostile_image_gets_a_message_at_the_field_and_keeps_what_was_typed(
    learner_client, take_home, media, upload, message
):
    before = take_home.document
    response = learner_client.post(
        f"/hiring/attempts/{take_home.pk}/save/",
        {**_worksheet(take_home), "document": TYPED, "users": 1234, "images": [upload()]},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="id_images_error"' in page
    assert "vLLM, continuous batching, typed before the upload" in page  # nothing typed lost
    assert 'value="1234"' in page
    take_home.refresh_from_db()
    assert take_home.document == before and not take_home.images.exists()
    assert stored(media) == []


def test_the_count_is_capped_and_a_removed_diagram_leaves_storage(
    learner_client, take_home, media, django_capture_on_commit_callbacks
):
    cap = AttemptImage.MAX_PER_ATTEMPT
    response = _post(
        learner_client, take_home, **_worksheet(take_home), images=[png() for _ in range(cap)]
    )
    assert response.status_code == 302 and take_home.images.count() == cap
    response = learner_client.post(
        f"/hiring/attempts/{take_home.pk}/save/",
        {**_worksheet(take_home), "document": TYPED, "images": [png()]},
    )
    assert response.status_code == 400
    assert f"at most {cap} diagrams" in response.content.decode()
    first = take_home.images.first()
    with django_capture_on_commit_callbacks(execute=True):
        response = learner_client.post(
            f"/hiring/attempts/{take_home.pk}/save/",
            {**_worksheet(take_home), "document": TYPED, "remove": [first.pk], "images": [png()]},
        )
    assert response.status_code == 302
    assert take_home.images.count() == cap and not take_home.images.filter(pk=first.pk).exists()
    assert len(stored(media)) == 2 * cap  # the removed one's two files are gone


def test_the_autosave_never_touches_the_diagrams(learner_client, take_home, media):
    attempt_save_work(
        attempt=take_home,
        document="x",
        worksheet=None,
        images=[clean_image(png())],
    )
    kept = take_home.images.get()
    response = learner_client.post(
        f"/hiring/attempts/{take_home.pk}/save/",
        {**_worksheet(take_home), "document": "typing", "remove": [kept.pk], "images": [png()]},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and "Saved" in response.content.decode()
    assert list(take_home.images.all()) == [kept]


def test_only_the_owner_and_active_mentors_get_a_diagram(client, learner, take_home, media):
    attempt_save_work(attempt=take_home, document="x", worksheet=None, images=[clean_image(png())])
    diagram = take_home.images.get()
    former = make_user("fern")
    Mentorship.objects.create(learner=learner, mentor=former, ended_at=timezone.now())
    for user in (make_user("otto"), former):
        client.force_login(user)
        assert client.get(diagram.url("full")).status_code == 404
    client.force_login(learner)
    other = attempt_start(learner=learner, round=HiringRound.objects.get(key="trial-project"))
    # A diagram is reached only through its own attempt.
    assert client.get(f"/hiring/attempts/{other.pk}/diagrams/{diagram.pk}/full/").status_code == 404


def test_diagrams_are_in_the_export_not_carried_by_an_import_and_gone_with_the_account(
    learner, take_home, media, django_capture_on_commit_callbacks
):
    attempt_save_work(attempt=take_home, document="x", worksheet=None, images=[clean_image(png())])
    data = json.loads(json.dumps(export_user(learner, base_url="https://x.example")))
    (entry,) = [a for a in data["hiring"]["attempts"] if a["round"] == TAKE_HOME]
    (image,) = entry["images"]
    assert image["url"].endswith(take_home.images.get().url("full"))
    assert (image["width"], image["height"]) == (640, 360)
    bea = make_user("bea")
    counts = import_user(bea, data)
    assert counts["images_skipped"] == 1
    assert not AttemptImage.objects.filter(attempt__learner=bea).exists()
    assert len(stored(media)) == 2
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(learner)
    assert not AttemptImage.objects.exists()
    assert stored(media) == []


def test_the_import_message_says_the_diagrams_stay_behind(learner, take_home, media):
    from tracker.portability import import_message

    attempt_save_work(attempt=take_home, document="x", worksheet=None, images=[clean_image(png())])
    counts = import_user(make_user("bea"), export_user(learner, base_url="https://x.example"))
    assert "1 image(s) (evidence, diagrams) are not in the file" in import_message(counts)
