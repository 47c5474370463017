"""Accounts: sign up, log in (throttled by django-axes), and the health check."""

from __future__ import annotations

import functools
import json
import logging
from zoneinfo import available_timezones

from axes.utils import reset as axes_reset
from django import forms
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm, UserCreationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from .account_deletion import delete_account
from .images import clean_image
from .models import User
from .portability import export_user, import_message, import_user, json_schema
from .portfolio import square_avatar

logger = logging.getLogger(__name__)


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


def safe_next(request: HttpRequest) -> str:
    """The `next` this request carries if it points into this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next", "")
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


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

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)  # its `next` is already checked
        ctx["for_invite"] = ctx.get("next", "").startswith("/invite/")
        return ctx


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
    target = safe_next(request)  # e.g. the mentor invite that sent them here
    if request.user.is_authenticated:
        return redirect(target or "home")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="tracker.auth.RampupBackend")
        return redirect(target or "home")
    ctx = {"form": form, "next": target, "for_invite": target.startswith("/invite/")}
    return render(request, "registration/signup.html", ctx)


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
        self.fields["time_zone"].choices = [(z, z) for z in sorted(time_zones())]

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
    if "switch_time_zone" in request.POST:  # the one-click "use this browser's zone"
        zone = request.POST["switch_time_zone"]
        if zone in time_zones():
            request.user.time_zone = zone
            request.user.save(update_fields=["time_zone"])
            messages.success(request, f"Your time zone is now {zone}.")
        else:
            messages.error(request, "That time zone is unknown: pick yours below.")
        return redirect("settings")
    form = SettingsForm(request.POST or None, request.FILES or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Settings saved.")
        return redirect("settings")
    return render(request, "accounts/settings.html", {"form": form})


# --- your data: export, import, deletion ----------------------------------------------

MAX_IMPORT_BYTES = 20 * 1024 * 1024
MAX_IMPORT_PROBLEMS = 100


@require_GET
@login_required
def export_view(request: HttpRequest) -> HttpResponse:
    """Everything the user owns, as JSON (described by `export_schema_view`)."""
    data = export_user(request.user, base_url=request.build_absolute_uri("/").rstrip("/"))
    response = JsonResponse(data, json_dumps_params={"indent": 2, "ensure_ascii": False})
    response["Content-Disposition"] = f'attachment; filename="rampup-{request.user.username}.json"'
    return response


@require_GET
@cache_control(public=True, max_age=24 * 60 * 60)
def export_schema_view(request: HttpRequest) -> HttpResponse:
    """The JSON Schema of the export file: public, so tools and readers can fetch it."""
    return JsonResponse(json_schema(), json_dumps_params={"indent": 2})


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
        # The problems at the import form, beside the settings as they are saved; a file
        # broken everywhere would list thousands, and the first ones show the pattern.
        problems = exc.messages[:MAX_IMPORT_PROBLEMS]
        if len(exc.messages) > MAX_IMPORT_PROBLEMS:
            problems.append(f"… and {len(exc.messages) - MAX_IMPORT_PROBLEMS} more problems.")
        context = {"form": SettingsForm(instance=request.user), "import_problems": problems}
        return render(request, "accounts/settings.html", context)
    messages.success(request, import_message(counts))
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
