"""Your data through the pages: download the export, import it, delete the account."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from roadmap.models import Goal
from tests.conftest import PASSWORD, make_plan
from tracker.models import ItemProgress, Plan, User
from tracker.plans import item_save_note

pytestmark = pytest.mark.django_db


def test_export_is_a_json_download_of_my_data_only(learner_client, learner, other_learner):
    make_plan(learner)
    item_save_note(learner=learner, item=Goal.objects.current().first(), note="mine only")
    item_save_note(learner=other_learner, item=Goal.objects.current().first(), note="not yours")
    response = learner_client.get("/settings/export.json")
    assert response["Content-Disposition"] == 'attachment; filename="rampup-lena.json"'
    data = json.loads(response.content)
    assert data["schema"] == "rampup-export" and data["version"] == 2
    assert "mine only" in response.content.decode()
    assert "not yours" not in response.content.decode()


def test_import_through_the_page_restores_an_export(client, learner, learner_client):
    make_plan(learner)
    item_save_note(learner=learner, item=Goal.objects.current().first(), note="carried over")
    export = learner_client.get("/settings/export.json").content
    newcomer = User.objects.create_user("newcomer", password=PASSWORD)
    client.force_login(newcomer)
    response = client.post(
        "/settings/import/", {"export": SimpleUploadedFile("rampup-lena.json", export)}
    )
    assert response["Location"] == "/dashboard/"
    assert Plan.objects.filter(learner=newcomer).exists()
    assert ItemProgress.objects.get(learner=newcomer).note == "carried over"


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        (b"not json", "not JSON"),
        (b"[1, 2]", "not a Rampup export"),
        (b'{"schema": "other", "version": 1}', ""),
    ],
)
def test_a_bad_import_gets_a_message_and_writes_nothing(learner_client, learner, payload, message):
    response = learner_client.post(
        "/settings/import/", {"export": SimpleUploadedFile("x.json", payload)}, follow=True
    )
    body = response.content.decode()
    # At the import form, tied to its input (not a banner at the top of the page).
    assert 'id="id_export_error"' in body and message in body
    assert 'aria-describedby="id_export_error"' in body
    assert not Plan.objects.filter(learner=learner).exists()


def test_deleting_needs_the_password_then_removes_the_account(learner_client, learner):
    make_plan(learner)
    response = learner_client.post("/settings/delete/", {"password": "wrong"})
    assert "That is not your password." in response.content.decode()
    assert User.objects.filter(pk=learner.pk).exists()
    response = learner_client.post("/settings/delete/", {"password": PASSWORD})
    assert response["Location"] == "/"
    assert not User.objects.filter(pk=learner.pk).exists()
    assert not Plan.objects.filter(learner_id=learner.pk).exists()
    assert "_auth_user_id" not in learner_client.session


def test_a_deeply_nested_import_file_is_a_message_not_a_500(learner_client, learner):
    nested = b"[" * 100_000 + b"]" * 100_000
    response = learner_client.post(
        "/settings/import/", {"export": SimpleUploadedFile("x.json", nested)}, follow=True
    )
    assert "not JSON" in response.content.decode()
