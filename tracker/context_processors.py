"""Template context for every page."""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from .cache import unread_notifications


def notifications(request) -> dict:
    """The unread count for the badge in the navigation (lazy, and cached)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_count": SimpleLazyObject(lambda: unread_notifications(user))}
