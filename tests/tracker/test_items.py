"""Status, notes and links on goals and resources: htmx partial, plain POST, access."""

from __future__ import annotations

import pytest
from django.test import Client

from roadmap.models import Goal, Phase
from tracker.cache import bump_learner
from tracker.middleware import CSRF_PLACEHOLDER
from tracker.models import ItemLink, ItemProgress
from tracker.plans import item_add_link

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(db) -> Goal:
    return Goal.objects.current().filter(phase__order=1).first()


def status_url(goal: Goal) -> str:
    return f"/progress/goal/{goal.pk}/status/"


def test_htmx_status_change_returns_the_row_partial(learner_client, learner, plan, goal):
    assert not ItemProgress.objects.filter(learner=learner, goal=goal).exists()
    response = learner_client.post(
        status_url(goal), {"status": "done"}, headers={"HX-Request": "true"}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert f'id="goal-{goal.pk}"' in body
    assert 'value="done" class="chip" aria-pressed="true"' in body
    progress = ItemProgress.objects.get(learner=learner, goal=goal)
    assert progress.status == "done" and progress.completed_at is not None


def test_plain_post_redirects_back_to_the_row(learner_client, learner, plan, goal):
    response = learner_client.post(status_url(goal), {"status": "doing"})
    assert response.status_code == 302
    assert response["Location"] == f"{goal.phase.get_absolute_url()}#goal-{goal.pk}"
    assert ItemProgress.objects.get(learner=learner, goal=goal).status == "doing"


def test_the_phase_page_shows_the_status(learner_client, plan, goal):
    learner_client.post(status_url(goal), {"status": "done"})
    body = learner_client.get(goal.phase.get_absolute_url()).content.decode()
    assert "<html" in body
    assert 'value="done" class="chip" aria-pressed="true"' in body


def test_get_never_changes_anything(learner_client, learner, plan, goal):
    assert learner_client.get(status_url(goal) + "?status=done").status_code == 405
    assert not ItemProgress.objects.filter(learner=learner).exists()


def test_credit_needs_evidence(learner_client, learner, plan, goal):
    response = learner_client.post(
        status_url(goal), {"status": "credited", "evidence": " "}, headers={"HX-Request": "true"}
    )
    assert "Say in one line how you already know this." in response.content.decode()
    assert not ItemProgress.objects.filter(learner=learner, status="credited").exists()
    learner_client.post(status_url(goal), {"status": "credited", "evidence": "SRE for 5 years"})
    progress = ItemProgress.objects.get(learner=learner, goal=goal)
    assert (progress.status, progress.credit_evidence) == ("credited", "SRE for 5 years")


def test_an_unknown_status_is_a_message_not_a_500(learner_client, plan, goal):
    response = learner_client.post(
        status_url(goal), {"status": "finished"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


def test_note_is_rendered_safely(learner_client, learner, plan, goal):
    response = learner_client.post(
        f"/progress/goal/{goal.pk}/note/",
        {"note": "**Bold** <script>alert(1)</script> [x](javascript:alert(1))"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    rendered = body.split('<div class="prose note">', 1)[1].split("</div>", 1)[0]
    assert "<strong>Bold</strong>" in rendered
    assert "<script" not in rendered and "javascript:" not in rendered
    assert "&lt;script&gt;" in body  # the source, escaped, in the textarea
    assert ItemProgress.objects.get(learner=learner, goal=goal).note.startswith("**Bold**")


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://x.org", "x"])
def test_a_link_must_be_http_or_https(learner_client, learner, plan, goal, url):
    response = learner_client.post(
        f"/progress/goal/{goal.pk}/links/",
        {"title": "Mine", "url": url},
        headers={"HX-Request": "true"},
    )
    assert "starting with http:// or https://" in response.content.decode()
    assert not ItemLink.objects.exists()


def test_a_link_is_added_and_removed(learner_client, learner, plan, goal):
    learner_client.post(
        f"/progress/goal/{goal.pk}/links/",
        {"title": "My notes", "url": "https://example.com/notes"},
    )
    link = ItemLink.objects.get(progress__learner=learner)
    body = learner_client.get(goal.phase.get_absolute_url()).content.decode()
    assert 'href="https://example.com/notes"' in body
    learner_client.post(f"/progress/links/{link.pk}/delete/")
    assert not ItemLink.objects.exists()


def test_another_learner_cannot_delete_my_link(client, learner, other_learner, plan, goal):
    link = item_add_link(learner=learner, item=goal, title="t", url="https://e.com")
    client.force_login(other_learner)
    assert client.post(f"/progress/links/{link.pk}/delete/").status_code == 404
    assert ItemLink.objects.filter(pk=link.pk).exists()


def test_anonymous_is_sent_to_log_in(client, goal):
    response = client.post(status_url(goal), {"status": "done"})
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert not ItemProgress.objects.exists()


def test_without_a_plan_the_learner_is_sent_to_create_one(learner_client, learner, goal):
    response = learner_client.post(status_url(goal), {"status": "done"})
    assert response["Location"] == "/plan/"
    assert not ItemProgress.objects.exists()


@pytest.mark.parametrize("kind", ["goals", "milestone"])
def test_unknown_kind_or_item_is_404(learner_client, plan, kind):
    assert learner_client.post(f"/progress/{kind}/1/status/", {"status": "done"}).status_code == 404
    assert (
        learner_client.post("/progress/goal/999999/status/", {"status": "done"}).status_code == 404
    )


def test_status_form_is_csrf_protected(learner, plan, goal):
    client = Client(enforce_csrf_checks=True)
    client.force_login(learner)
    assert client.post(status_url(goal), {"status": "done"}).status_code == 403
    client.get(goal.phase.get_absolute_url())
    token = client.cookies["csrftoken"].value
    response = client.post(
        status_url(goal), {"status": "done"}, headers={"X-CSRFToken": token, "HX-Request": "true"}
    )
    assert response.status_code == 200
    assert ItemProgress.objects.get(learner=learner, goal=goal).status == "done"


def test_retired_items_stay_in_the_learners_history(learner_client, learner, plan, goal):
    learner_client.post(status_url(goal), {"status": "done"})
    Goal.objects.filter(pk=goal.pk).update(is_active=False)
    body = learner_client.get(goal.phase.get_absolute_url()).content.decode()
    assert "Retired items in your history" in body
    assert goal.title in body
    # …but a retired item can no longer change.
    assert learner_client.post(status_url(goal), {"status": "todo"}).status_code == 404


def test_phase_page_query_count_does_not_grow_with_progress(
    learner_client, learner, plan, django_assert_num_queries
):
    phase = Phase.objects.get(key="ml-gpu-computing")
    url = phase.get_absolute_url()
    goals = list(phase.goals.all())
    learner_client.post(status_url(goals[0]), {"status": "done"})

    def measure() -> str:
        learner_client.get(url)  # warms the content cache
        bump_learner(learner.pk)  # …and forgets the learner's rendered rows
        # session; user (+plan); progress rows; their links; submission; unread
        # notifications (the badge)
        with django_assert_num_queries(6):
            learner_client.get(url)
        # session; user (+plan): the rows come from the fragment cache
        with django_assert_num_queries(2):
            return learner_client.get(url).content.decode()

    measure()
    for i in range(50):
        g = Goal.objects.create(phase=phase, key=f"more-{i}", order=50 + i, title=f"More {i}")
        learner_client.post(status_url(g), {"status": "done"})
        item_add_link(learner=learner, item=g, title="t", url="https://e.com")
    assert measure().count('aria-pressed="true">Done') == 51


def test_a_cached_page_carries_each_visitors_own_csrf_token(learner, plan, goal):
    """The rows are a cached fragment; the CSRF field is filled per visitor on the way out."""
    import re

    url = goal.phase.get_absolute_url()
    clients, tokens = [], []
    for _ in range(2):  # two browsers of the same learner: the second gets the cached rows
        client = Client(enforce_csrf_checks=True)
        client.force_login(learner)
        body = client.get(url).content.decode()
        assert CSRF_PLACEHOLDER not in body
        clients.append(client)
        tokens.append(re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)[1])
    assert tokens[0] != tokens[1]
    for client, token in zip(clients, tokens, strict=True):
        response = client.post(status_url(goal), {"status": "doing", "csrfmiddlewaretoken": token})
        assert response.status_code == 302  # accepted: not a 403


BAD_POSTS = [
    # (endpoint, data, the field in error)
    ("links", {"title": "My kubelet notes", "url": "javascript:alert(1)"}, "url"),
    ("links", {"title": "", "url": "https://kept.example/typed"}, "title"),
    ("note", {"note": "kept-typed-note " * 1400}, "note"),
    ("status", {"status": "credited", "evidence": "x" * 201}, "evidence"),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "plain"])
@pytest.mark.parametrize(("endpoint", "data", "field"), BAD_POSTS)
def test_a_form_with_an_error_keeps_everything_typed(
    learner_client, learner, plan, goal, htmx, endpoint, data, field
):
    headers = {"HX-Request": "true"} if htmx else {}
    url = f"/progress/goal/{goal.pk}/{endpoint}/"
    response = learner_client.post(url, data, headers=headers)
    body = response.content.decode()
    assert response.status_code == 200
    assert ("<html" in body) is not htmx  # without JavaScript: the whole page again
    for value in data.values():
        if value and value != "credited":
            assert (value if len(value) < 200 else value.strip()[:200]) in body
    field_id = f"goal-{goal.pk}-{field}"
    assert f'aria-describedby="{field_id}_error"' in body  # the message at the field…
    assert f'<a href="#{field_id}">' in body  # …and in the summary at the top, linking to it
    assert 'class="error-summary" role="alert" tabindex="-1"' in body
    assert not ItemLink.objects.exists()
    assert not ItemProgress.objects.filter(learner=learner, status="credited").exists()


def test_the_kept_row_is_not_served_from_the_cache_afterwards(learner_client, plan, goal):
    learner_client.get(goal.phase.get_absolute_url())  # the rows are cached now
    learner_client.post(f"/progress/goal/{goal.pk}/links/", {"title": "T", "url": "ftp://x"})
    body = learner_client.get(goal.phase.get_absolute_url()).content.decode()
    assert "error-summary" not in body and "ftp://x" not in body
