"""Template tags: a CSRF field that survives fragment caching, the fragment cache, and
a phase page's item row."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.cache import CacheNode
from django.utils.safestring import mark_safe

from tracker.middleware import CSRF_FIELD

register = template.Library()


@register.simple_tag
def csrf_field() -> str:
    """Like {% csrf_token %}, but safe inside {% cache %}: the fragment stores a
    placeholder and CsrfPlaceholderMiddleware puts this visitor's token in on the way
    out. So cache keys need not vary by visitor, and nobody gets another's token."""
    return mark_safe(CSRF_FIELD)


@register.simple_tag(takes_context=True)
def item_row(context) -> str:
    """A phase page's item row (`row` of the context), written by tracker.item_rows."""
    from tracker.item_rows import item_row_html

    return item_row_html(
        context["row"],
        enrolled=bool(context.get("enrolled")),
        open_panel=bool(context.get("open_panel")),
    )


class _FragmentTimeout:
    """The cache tag's timeout, as the one setting: never a number in a template."""

    var = "FRAGMENT_CACHE_TIMEOUT"

    def resolve(self, context) -> int:
        return settings.FRAGMENT_CACHE_TIMEOUT


@register.tag
def fragment(parser, token):
    """`{% fragment name key… %}…{% endfragment %}`: Django's {% cache %} with the site's
    fragment timeout. Build `key` with tracker.cache.fragment_key (learner fragments) or
    from the content version (content fragments)."""
    bits = token.split_contents()
    if len(bits) < 3:
        raise template.TemplateSyntaxError("{% fragment %} takes a name and at least one key")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    vary_on = [parser.compile_filter(bit) for bit in bits[2:]]
    return CacheNode(nodelist, _FragmentTimeout(), bits[1], vary_on, None)
