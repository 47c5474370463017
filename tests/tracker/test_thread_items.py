"""tracker.templatetags.rampup's `thread_items` writes a milestone thread's events as
the template loop did: who (escaped; a deleted user named so), the move, the time in
the viewer's zone as `date` writes it, and the rendered comment."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.template import Context, Template
from django.utils import timezone

from tracker.submissions import ThreadEvent

WHEN = datetime(2026, 3, 1, 23, 5, 7, tzinfo=UTC)


def items(*events: ThreadEvent) -> str:
    return Template("{{ events|thread_items }}").render(Context({"events": events}))


def test_a_move_by_a_named_actor_with_its_time_in_the_viewers_zone():
    event = ThreadEvent(1, "<b>Ann</b>", "draft", "submitted", "", WHEN)
    when = Template('{{ w|date:\'Y-m-d\\TH:i:sO\' }}">{{ w|date:"j M Y, H:i" }}')
    with timezone.override(ZoneInfo("Asia/Kolkata")):
        html = items(event)
        shown = when.render(Context({"w": WHEN}))
    assert "<strong>&lt;b&gt;Ann&lt;/b&gt;</strong>" in html
    assert "moved it to <em>submitted</em>" in html
    assert f'<time datetime="{shown}</time>' in html
    assert "2 Mar 2026, 04:35" in html
    assert "prose comment" not in html


def test_a_start_a_comment_and_a_deleted_user():
    started = ThreadEvent(1, "Ann", "", "draft", "", WHEN)
    said = ThreadEvent(2, None, "", "", "<p>rendered</p>", WHEN)
    html = items(started, said)
    assert html.index("started the draft") < html.index("commented")
    assert "<strong>Deleted user</strong>" in html
    assert '<div class="prose comment"><p>rendered</p></div>' in html
    assert html.count("<li>") == 2
