"""`create_demo_accounts` refuses to open a published password on a production site."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from tracker.models import User


def test_it_refuses_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--i-know-this-is-production"):
        call_command("create_demo_accounts")
    assert not User.objects.filter(username__startswith="demo-").exists()


def test_it_creates_them_when_told_it_is_production(db, settings):
    settings.DEBUG = False
    call_command("create_demo_accounts", "--i-know-this-is-production")
    assert User.objects.filter(username="demo-learner").exists()


def test_it_creates_them_in_development(db, settings):
    settings.DEBUG = True
    call_command("create_demo_accounts")
    assert User.objects.get(username="demo-mentor").check_password("rampup-demo")
