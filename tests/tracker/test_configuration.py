"""What an operator reads: every variable the settings read is in .env.example, and
responses are compressed for browsers that ask."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)


def test_env_example_lists_every_variable_the_settings_read():
    source = (ROOT / "tracker" / "settings.py").read_text()
    read = set(re.findall(r'env_[a-z]+\(\s*"([A-Z_]+)"', source))
    read |= set(re.findall(r'environ(?:\.get)?[\[(]\s*"([A-Z_]+)"', source))
    listed = set(re.findall(r"^#?\s*([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.M))
    assert read, "no variables found: the pattern no longer matches the settings"
    assert read - listed == set(), "add these to .env.example"


def test_pages_are_compressed_for_browsers_that_ask(learner_client, plan):
    response = learner_client.get("/dashboard/", headers={"Accept-Encoding": "gzip, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]


def test_images_are_not_compressed_again(client, learner):
    learner.portfolio_public = True
    learner.save()
    response = client.get(f"/u/{learner.username}/card.png", headers={"Accept-Encoding": "gzip"})
    assert response["Content-Type"] == "image/png"
    assert not response.has_header("Content-Encoding")


def test_a_silent_mail_server_cannot_hold_a_worker():
    assert 0 < settings.EMAIL_TIMEOUT <= 30
