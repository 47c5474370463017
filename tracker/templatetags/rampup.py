"""Template tags: a CSRF field that survives fragment caching."""

from __future__ import annotations

from django import template
from django.utils.safestring import mark_safe

from tracker.middleware import CSRF_FIELD

register = template.Library()


@register.simple_tag
def csrf_field() -> str:
    """Like {% csrf_token %}, but safe inside {% cache %}: the fragment stores a
    placeholder and CsrfPlaceholderMiddleware puts this visitor's token in on the way
    out. So cache keys need not vary by visitor, and nobody gets another's token."""
    return mark_safe(CSRF_FIELD)
