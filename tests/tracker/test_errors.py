"""A database outage answers 503 with Retry-After, not the friendly 500 page."""

from __future__ import annotations

import pytest
from django.db import InterfaceError, OperationalError
from django.test import Client


@pytest.fixture
def quiet_client(learner) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(learner)
    return client


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
def test_a_database_outage_in_a_view_is_503_with_retry_after(quiet_client, monkeypatch, error):
    def down(*args, **kwargs):
        raise error('connection to server at "db.internal", port 5432 failed')

    monkeypatch.setattr("tracker.views.dashboard.get_plan", down)
    response = quiet_client.get("/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "back in a moment" in body
    assert "db.internal" not in body


def test_a_database_outage_while_loading_the_session_is_503(quiet_client, monkeypatch):
    def down(self, *args, **kwargs):
        raise OperationalError("could not connect to server")

    # The first query of a request: the middleware asks for the user's time zone.
    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", down)
    response = quiet_client.get("/dashboard/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"


def test_any_other_failure_is_still_the_500_page(quiet_client, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("django.contrib.sessions.backends.db.SessionStore.load", broken)
    response = quiet_client.get("/dashboard/")
    assert response.status_code == 500
    assert "Retry-After" not in response
    assert "Something went wrong" in response.content.decode()
