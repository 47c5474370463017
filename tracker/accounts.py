"""Accounts: sign up, log in (throttled by django-axes), and the health check."""

from __future__ import annotations

import json
import logging
from zoneinfo import available_timezones

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from axes.utils import reset as axes_reset
from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .images import clean_image
from .models import Notification, Submission, User
from .portability import delete_account, export_user, import_user
from .portfolio import square_avatar

logger = logging.getLogger(__name__)


class SignupForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("username", "email")

    email = forms.EmailField(
        required=False, help_text="Optional. Only used to reset your password."
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": (
            "That username and password do not match. Both are case-sensitive. "
            "After several failed attempts, logging in is paused for a while."
        ),
    }


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    redirect_authenticated_user = True


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        """A new password set from the emailed link proves the account is theirs: any
        login lockout on it ends, so no one can keep an owner out by failing on purpose."""
        response = super().form_valid(form)
        axes_reset(username=form.user.get_username())
        return response


@require_http_methods(["GET", "POST"])
@never_cache
def signup(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="tracker.auth.RampupBackend")
        target = request.POST.get("next", "")
        if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
            target = "home"
        return redirect(target)
    return render(request, "registration/signup.html", {"form": form})


@require_GET
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Load balancers ask here: 200 when the database answers, 503 when not.

    The cache is reported but never fails the check: pages render without it
    (tracker.cache_backend), so taking servers out of rotation would only make it worse.
    The error itself goes to the log, never to the (anonymous) caller: it names hosts.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not healthy"
        logger.exception("Health check: the database does not answer")
        return JsonResponse({"status": "error", "database": "down"}, status=503)
    up = getattr(cache, "is_up", lambda: True)()  # a local cache is always there
    return JsonResponse({"status": "ok", "database": "ok", "cache": "ok" if up else "down"})


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
        required=False, label="Avatar",
        help_text="PNG, JPEG, WebP or GIF, at most 5 MB; cropped to a 256 px square.",
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )  # fmt: skip
    remove_avatar = forms.BooleanField(required=False, label="Remove my avatar")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["time_zone"].choices = [(z, z) for z in sorted(available_timezones())]

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


@require_http_methods(["GET", "POST"])
@login_required
def settings_view(request: HttpRequest) -> HttpResponse:
    form = SettingsForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("settings")
    return render(request, "accounts/settings.html", {"form": form})


# --- your data: export, import, deletion ----------------------------------------------

MAX_IMPORT_BYTES = 20 * 1024 * 1024


@require_GET
@login_required
def export_view(request: HttpRequest) -> HttpResponse:
    """Everything the user owns, as JSON (schema in tracker.portability.SCHEMA_DOC)."""
    data = export_user(request.user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="rampup-{request.user.username}.json"'
    return response


@require_POST
@login_required
def import_view(request: HttpRequest) -> HttpResponse:
    upload = request.FILES.get("export")
    try:
        if upload is None:
            raise ValidationError("Choose the export file (rampup-<you>.json) to import.")
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError("That file is larger than 20 MB: it is not a Rampup export.")
        try:
            data = json.loads(upload.read().decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            raise ValidationError("That file is not a Rampup export (it is not JSON).") from None
        if not isinstance(data, dict):
            raise ValidationError("That file is not a Rampup export.")
        counts = import_user(request.user, data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("settings")
    restored = sum(v for k, v in counts.items() if k not in {"images_skipped", "profile"})
    skipped = counts.get("images_skipped", 0)
    note = f" {skipped} evidence image(s) are not in the file: add them again." if skipped else ""
    messages.success(request, f"Imported {restored} records from your export.{note}")
    return redirect("dashboard")


class DeleteAccountForm(forms.Form):
    password = forms.CharField(widget=forms.PasswordInput, label="Your password",
                               help_text="To make sure it is you.")  # fmt: skip

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError("That is not your password.")
        return password


def account_forget(user: User) -> None:
    """What deleting `user` must also remove, beyond the rows that cascade from it.

    Called inside the deletion's transaction, before the user row goes (their
    submissions are still there to be named). Login attempts and sessions name the user
    but have no foreign key; other people's notifications keep their text ("Lena
    submitted Milestone 2") but lose links into the deleted account, which would 404.
    """
    name = user.get_username()
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=name).delete()
    if settings.SESSION_ENGINE == "django.contrib.sessions.backends.db":
        # Sessions are not indexed by user: read the live ones once (account deletion is
        # rare; expired ones go with `clearsessions`).
        live = Session.objects.filter(expire_date__gt=timezone.now()).only("session_data")
        mine = [s.pk for s in live.iterator(chunk_size=2000)
                if s.get_decoded().get("_auth_user_id") == str(user.pk)]  # fmt: skip
        Session.objects.filter(pk__in=mine).delete()
    submissions = Submission.objects.filter(learner=user).values_list("pk", flat=True)
    own_pages = [reverse("milestone", args=[pk]) for pk in submissions]
    Notification.objects.exclude(user=user).filter(
        Q(url__in=own_pages)
        | Q(url__startswith=reverse("mentee", args=[name]))
        | Q(url__startswith=reverse("portfolio", args=[name]))
    ).update(url="")


@require_http_methods(["GET", "POST"])
@login_required
def delete_view(request: HttpRequest) -> HttpResponse:
    form = DeleteAccountForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        user = request.user
        logout(request)
        delete_account(user)
        messages.success(request, "Your account and everything in it are deleted.")
        return redirect("home")
    return render(request, "accounts/delete.html", {"form": form})
