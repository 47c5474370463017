"""Account pages: sign up, log in (throttled by django-axes), password reset, settings,
export, import and deletion of one's data, and the health check. Their forms are in
tracker/forms/accounts.py."""

from __future__ import annotations

import json
import logging

from axes.utils import reset as axes_reset
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..account_deletion import delete_account
from ..forms.accounts import DeleteAccountForm, LoginForm, SettingsForm, SignupForm, time_zones
from ..forms.portfolio import PortfolioForm
from ..portability import export_user, import_message, import_user, json_schema
from ..portfolio import forget_card
from .reminders import reminders_context

logger = logging.getLogger(__name__)


def safe_next(request: HttpRequest) -> str:
    """The `next` this request carries if it points into this site, else ""."""
    target = request.POST.get("next") or request.GET.get("next", "")
    ok = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if ok else ""


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
        if "portfolio_public" in form.changed_data and not request.user.portfolio_public:
            forget_card(request.user)  # stopped sharing: the stored card goes
        messages.success(request, "Settings saved.")
        return redirect("settings")
    ctx = {
        "form": form,
        "portfolio_form": PortfolioForm(instance=request.user),
        **reminders_context(request),
    }
    return render(request, "accounts/settings.html", ctx)


@require_POST
@login_required
def portfolio_settings(request: HttpRequest) -> HttpResponse:
    """Its own form: saving it never touches (or discards) the settings form's edits."""
    portfolio_form = PortfolioForm(request.POST, instance=request.user)
    if portfolio_form.is_valid():
        portfolio_form.save()
        messages.success(request, "Portfolio choices saved.")
        return redirect(reverse("settings") + "#portfolio")
    ctx = {
        "form": SettingsForm(instance=request.user),
        "portfolio_form": portfolio_form,
        **reminders_context(request),
    }
    return render(request, "accounts/settings.html", ctx)


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
        context = {
            "form": SettingsForm(instance=request.user),
            "portfolio_form": PortfolioForm(instance=request.user),
            "import_problems": problems,
            **reminders_context(request),
        }
        return render(request, "accounts/settings.html", context)
    messages.success(request, import_message(counts))
    return redirect("dashboard")


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
