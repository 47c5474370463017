"""Every model with a markdown column renders its HTML itself, on every write path."""

from __future__ import annotations

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory

from roadmap.markdown import RendersMarkdown
from roadmap.models import Goal, Question
from tests.conftest import make_user
from tracker.models import ItemProgress
from tracker.plans import item_save_note

pytestmark = pytest.mark.django_db


def _admin_change_data(obj, admin_user) -> dict:
    """The change form's own data for `obj`, as the admin would post it back."""
    request = RequestFactory().get("/")
    request.user = admin_user
    form_class = site._registry[type(obj)].get_form(request, obj)
    form = form_class(instance=obj)
    data = {name: field.prepare_value(form[name].value()) for name, field in form.fields.items()}
    return {name: value for name, value in data.items() if value is not None}


def test_an_admin_edit_of_a_model_answer_re_renders_its_html(client):
    admin_user = make_user("root", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    question = Question.objects.current().first()
    assert "<strong>edited</strong>" not in question.model_answer_html
    data = _admin_change_data(question, admin_user)
    data["model_answer"] = "An **edited** answer"
    response = client.post(f"/admin/roadmap/question/{question.pk}/change/", data)
    assert response.status_code == 302  # saved, not the form again with errors
    question.refresh_from_db()
    assert question.model_answer == "An **edited** answer"
    assert question.model_answer_html == "<p>An <strong>edited</strong> answer</p>"


def test_a_note_saved_any_way_re_renders_its_html(learner):
    goal = Goal.objects.current().first()
    progress = item_save_note(learner=learner, item=goal, note="*one*")
    assert progress.note_html == "<p><em>one</em></p>"
    # As the admin or a shell would: read the row, change the source, save().
    progress = ItemProgress.objects.get(pk=progress.pk)
    progress.note = "**two**"
    progress.save()
    assert ItemProgress.objects.get(pk=progress.pk).note_html == "<p><strong>two</strong></p>"
    progress.note = "three"
    progress.save(update_fields=["note"])  # the HTML column goes with its source
    assert ItemProgress.objects.get(pk=progress.pk).note_html == "<p>three</p>"


def test_every_html_column_belongs_to_a_model_that_renders_it():
    from django.apps import apps

    for model in apps.get_models():
        html = {f.name for f in model._meta.get_fields() if f.name.endswith("_html")}
        if html:
            assert issubclass(model, RendersMarkdown), model
            assert set(model.markdown_fields.values()) == html, model
