"""Forms of the account pages: sign-up, login, settings (with the avatar) and account
deletion."""

from __future__ import annotations

import functools
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, UserCreationForm
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.template.loader import render_to_string

from .. import spacing
from ..images import clean_image
from ..models import User
from ..portfolio import square_avatar


@functools.cache
def time_zones() -> frozenset[str]:
    """The IANA zone names this machine knows (reading them scans the disk: once)."""
    return frozenset(available_timezones())


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "email", "time_zone")

    email = forms.EmailField(
        required=False, help_text="Optional. Only used to reset your password."
    )
    # Set from the browser by static/js/timezone.js; without JavaScript it stays UTC.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput, initial="UTC")

    def clean_time_zone(self) -> str:
        # A hidden field is still typed by someone: an unknown zone becomes UTC, the
        # user can pick theirs in settings.
        zone = self.cleaned_data.get("time_zone", "")
        return zone if zone in time_zones() else "UTC"


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That username and password do not match. Both are case-sensitive. "
            "After several failed attempts, logging in is paused for a while."
        ),
    }


def retention_choices(user: User) -> list[tuple[float, str]]:
    """0.80 to 0.95, each with the reviews a day it costs at the learner's cards."""
    stabilities = spacing.card_stabilities(user) if user.pk else []
    choices = []
    for percent in range(80, 96):
        value = percent / 100
        label = f"{percent}%"
        if stabilities:
            label += f" · about {round(spacing.reviews_per_day(stabilities, value))} reviews a day"
        choices.append((value, label))
    return choices


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        choices=[], help_text="Your “today”, streaks and due reviews follow this zone."
    )

    class Meta:
        model = User
        fields = (
            "display_name",
            "time_zone",
            "daily_new_cap",
            "daily_review_cap",
            "desired_retention",
            "mentor_capacity",
            "portfolio_public",
        )
        labels = {
            "daily_new_cap": "New practice questions a day",
            "daily_review_cap": "Practice reviews a day",
            "mentor_capacity": "Mentee capacity",
            "portfolio_public": "Share my portfolio publicly",
        }
        help_texts = {
            "display_name": "Shown instead of your username.",
            "daily_new_cap": "0 to 50. New questions stop for the day at this number.",
            "daily_review_cap": "1 to 500. After a break, a backlog is spread at this rate.",
            "mentor_capacity": "As a mentor: the most mentees you take on. Empty: no limit.",
            "portfolio_public": "Anyone with your portfolio link sees your name, avatar, "
            "progress, approved milestones with their evidence, rubric levels and practice "
            "stats. Off by default.",
        }

    avatar_upload = forms.FileField(
        required=False,
        label="Avatar",
        help_text="PNG, JPEG, WebP or GIF, at most 5 MB; cropped to a 256 px square.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")

    desired_retention = forms.TypedChoiceField(
        coerce=float,
        empty_value=None,
        required=False,
        label="Desired retention",
        help_text="How sure you want to be of recalling an answer when it comes back: "
        "higher means shorter intervals and more reviews a day (90% suits most people).",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(time_zones())]
        self.fields["desired_retention"].choices = retention_choices(self.instance)

    def clean_desired_retention(self) -> float:
        # Left out of the post (an older form): keep the setting as it is.
        value = self.cleaned_data.get("desired_retention")
        return self.instance.desired_retention if value is None else value

    def clean_avatar_upload(self):
        upload = self.cleaned_data.get("avatar_upload")
        if not upload:
            return None
        clean = clean_image(upload)  # raises ValidationError with a clear message
        return square_avatar(clean.content.read())

    @transaction.atomic
    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        old = user.avatar.name if user.avatar else ""
        png = self.cleaned_data.get("avatar_upload")
        if png:
            user.avatar.save("avatar.png", ContentFile(png), save=False)
        elif self.cleaned_data.get("remove_avatar"):
            user.avatar = ""
        user.save()
        if old and old != user.avatar.name:
            storage = default_storage
            transaction.on_commit(lambda: storage.delete(old))
        return user


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        widget=forms.PasswordInput, label="Your password", help_text="To make sure it is you."
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.")
        return password


class QueuedPasswordResetForm(PasswordResetForm):
    """Django's reset form, its email sent by the worker like every other (a slow mail
    server no longer slows the page, and a known address takes no longer to answer than
    an unknown one). No unsubscribe link: the person asked for this one."""

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        from ..tasks import deliver_email

        subject = "".join(render_to_string(subject_template_name, context).splitlines())
        body = render_to_string(email_template_name, context)
        deliver_email.enqueue(to=to_email, subject=subject, body=body, headers={})
