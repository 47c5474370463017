"""Reminder settings, one-click unsubscribe, the private calendar feed, and muting
notifications."""

from __future__ import annotations

import secrets
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ..calendar_feed import feed_ics
from ..forms.accounts import SettingsForm
from ..forms.reminders import ReminderForm
from ..models import EmailKind, Notification, NotificationMute, ReminderSettings
from ..models.reminders import calendar_token
from ..reminders import (
    email_mute,
    notification_mute,
    notification_unmute,
    reminder_settings,
    unsubscribe_target,
)


def reminders_context(request: HttpRequest, form: ReminderForm | None = None) -> dict:
    """What the settings page's reminders and calendar card shows."""
    row = reminder_settings(request.user)
    feed = request.build_absolute_uri(reverse("calendar_feed", args=[row.calendar_token]))
    return {"reminder_form": form or ReminderForm.for_settings(row), "calendar_url": feed}


@require_POST
@login_required
def reminders_save(request: HttpRequest) -> HttpResponse:
    row = reminder_settings(request.user)
    form = ReminderForm.for_settings(row, request.POST)
    if form.is_valid():
        form.save(row)
        messages.success(request, "Reminder settings saved.")
        return redirect("settings")
    # The settings page again, this form with what was typed and its errors.
    ctx = {"form": SettingsForm(instance=request.user), **reminders_context(request, form)}
    return render(request, "accounts/settings.html", ctx, status=400)


@require_POST
@login_required
def calendar_rotate(request: HttpRequest) -> HttpResponse:
    """A new secret: the old feed address stops working at once."""
    row = reminder_settings(request.user)
    row.calendar_token = calendar_token()
    row.save(update_fields=["calendar_token"])
    messages.success(request, "Your calendar has a new address: the old one no longer works.")
    return redirect("/settings/#calendar")


@require_GET
@never_cache
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    """The learner's calendar for calendar apps, which cannot log in: the token in the
    address is the only key, and opens this feed and nothing else."""
    row = (
        ReminderSettings.objects.select_related("user")
        .filter(calendar_token=token, user__is_active=True)
        .first()
    )
    # The index finds the row; compare_digest keeps the final check constant-time.
    if row is None or not secrets.compare_digest(row.calendar_token, token):
        raise Http404
    ics = feed_ics(row.user, request)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="rampup.ics"'
    return response


@csrf_exempt  # RFC 8058: the mail app POSTs without a session; the signed token is the key
@require_http_methods(["GET", "POST"])
@never_cache
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    """GET asks (link scanners open links, and must not unsubscribe anyone); POST, from
    the page's button or a mail app's one-click, turns that kind off for that user."""
    target = unsubscribe_target(token)
    if target is None:
        raise Http404
    user, kind = target
    done = False
    if request.method == "POST":
        email_mute(user=user, kind=kind)
        done = True
    label = EmailKind(kind).label
    return render(request, "tracker/unsubscribe.html", {"label": label, "done": done})


def notifications_context(user, notes: list[Notification]) -> dict:
    """The list grouped by day in the reader's time zone (newest first), and their mutes
    (one query)."""
    days: list[tuple[date, list[Notification]]] = []
    for note in notes:
        day = timezone.localdate(note.created_at)
        if not days or days[-1][0] != day:
            days.append((day, []))
        days[-1][1].append(note)
    mutes = list(NotificationMute.objects.owned_by(user).select_related("about"))
    kinds = dict(Notification.Kind.choices)
    for mute in mutes:
        mute.label = f"About {mute.about.shown_name}" if mute.about else kinds.get(mute.kind)
    return {"notes": notes, "days": days, "mutes": mutes, "today": timezone.localdate()}


@require_POST
@login_required
def notification_mute_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Mute what this notification is: its kind, or the mentee it is about."""
    note = get_object_or_404(Notification.objects.visible_to(request.user), pk=pk)
    if request.POST.get("what") == "about" and note.about_id:
        notification_mute(user=request.user, about=note.about)
        messages.success(request, f"No more notifications about {note.about.shown_name}.")
    else:
        notification_mute(user=request.user, kind=note.kind)
        messages.success(request, f"No more “{note.get_kind_display().lower()}” notifications.")
    return redirect("notifications")


@require_POST
@login_required
def notification_unmute_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not notification_unmute(user=request.user, pk=pk):
        raise Http404
    messages.success(request, "Unmuted.")
    return redirect("notifications")
