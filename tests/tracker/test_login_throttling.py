"""Login throttling locks a username from one client address, behind a proxy too."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.test import RequestFactory
from django.utils import timezone

from tests.conftest import PASSWORD, make_user
from tracker.auth import client_ip

PROXY = "10.0.0.1"  # the TLS proxy: REMOTE_ADDR of every request


def via_proxy(client_address: str) -> dict:
    return {"REMOTE_ADDR": PROXY, "HTTP_X_FORWARDED_FOR": client_address}


CLIENT_1, CLIENT_2 = via_proxy("203.0.113.1"), via_proxy("198.51.100.2")


@pytest.fixture(autouse=True)
def one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


def login(client, username: str, password: str, where: dict):
    return client.post("/accounts/login/", {"username": username, "password": password}, **where)


def lock(client, username: str, where: dict, limit: int) -> None:
    for _ in range(limit):
        login(client, username, "wrong", where)
    assert login(client, username, PASSWORD, where).status_code == 429


@pytest.mark.parametrize(
    ("count", "forwarded", "expected"),
    [
        (0, "203.0.113.1", PROXY),  # no proxy trusted: the header is the client's to forge
        (1, "203.0.113.1", "203.0.113.1"),
        (1, "6.6.6.6, 203.0.113.1", "203.0.113.1"),  # a forged entry on the left is ignored
        (2, "6.6.6.6, 203.0.113.1, 10.0.0.2", "203.0.113.1"),
        (2, "203.0.113.1", PROXY),  # fewer hops than proxies: not through them all
        (1, "not-an-address", PROXY),
        (1, "", PROXY),
    ],
)
def test_the_client_address_counts_trusted_proxies_from_the_right(
    settings, count, forwarded, expected
):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_failures_for_one_user_lock_neither_another_user_nor_another_client(
    client, learner, settings
):
    other = make_user("bea")
    lock(client, "lena", CLIENT_1, settings.AXES_FAILURE_LIMIT)
    # Bea, behind the same proxy and even on the same address, logs in.
    assert login(client, "bea", PASSWORD, CLIENT_1).status_code == 302
    assert client.session["_auth_user_id"] == str(other.pk)
    client.post("/accounts/logout/", **CLIENT_1)
    # Lena herself, from her own address, logs in.
    assert login(client, "lena", PASSWORD, CLIENT_2).status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)


def test_failures_for_other_names_from_the_same_address_do_not_lock_a_user(
    client, learner, settings
):
    for i in range(settings.AXES_FAILURE_LIMIT):
        login(client, f"guess{i}", "wrong", CLIENT_1)
    assert login(client, "lena", PASSWORD, CLIENT_1).status_code == 302


def test_a_failure_during_the_lockout_does_not_extend_it(client, learner, settings):
    start = timezone.now()
    with time_machine.travel(start, tick=False) as clock:
        lock(client, "lena", CLIENT_1, settings.AXES_FAILURE_LIMIT)
        clock.move_to(start + settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
        assert login(client, "lena", "wrong", CLIENT_1).status_code == 429
        clock.move_to(start + settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
        assert login(client, "lena", PASSWORD, CLIENT_1).status_code == 302


def test_a_password_reset_ends_the_lockout(client, learner, settings, mailoutbox):
    learner.email = "lena@example.com"
    learner.save()
    lock(client, "lena", CLIENT_1, settings.AXES_FAILURE_LIMIT)
    client.post("/accounts/password_reset/", {"email": "lena@example.com"}, **CLIENT_1)
    link = re.search(r"/accounts/reset/\S+/", mailoutbox[0].body).group(0)
    form_url = client.get(link, **CLIENT_1)["Location"]  # the token moves to the session
    new = "a-brand-new-passphrase"
    done = client.post(form_url, {"new_password1": new, "new_password2": new}, **CLIENT_1)
    assert done.status_code == 302
    assert login(client, "lena", new, CLIENT_1).status_code == 302
    assert client.session["_auth_user_id"] == str(learner.pk)
