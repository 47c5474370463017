"""The practice stats page's tables, written in Python (tracker/views/practice.py), write
what the template's loops with `date` and `widthratio` wrote, every label escaped."""

from __future__ import annotations

from datetime import date

from django.template import Context, Template

from tracker.qualities import QualityWeeks
from tracker.views.practice import _axis_rows, _quality_rows, _recent_days

WEEKS = [date(2026, 9, 14), date(2026, 9, 21), date(2026, 12, 28)]
QUALITIES = QualityWeeks(
    weeks=WEEKS,
    reviews=[0, 7, 3],
    rates=[("Specificity", [None, 0.125, 2 / 3]), ("Trade-offs", [None, 0.5, 0.005])],
)


def template(source: str, **context) -> str:
    return Template(source).render(Context(context))


def test_the_quality_rows_are_what_the_template_wrote():
    rows = [
        (week, n, [rates[k] for _, rates in QUALITIES.rates])
        for k, (week, n) in enumerate(zip(QUALITIES.weeks, QUALITIES.reviews, strict=True))
    ]
    expected = template(
        '{% for week, n, shares in rows %}<tr><th scope="row">{{ week|date:"j M" }}</th>'
        '<td class="num">{{ n }}</td>{% for share in shares %}<td class="num">'
        "{% if share is None %}—{% else %}{% widthratio share 1 100 %}%{% endif %}</td>"
        "{% endfor %}</tr>{% endfor %}",
        rows=rows,
    )
    assert _quality_rows(QUALITIES) == expected
    assert '<th scope="row">28 Dec</th><td class="num">3</td><td class="num">67%</td>' in expected


def test_the_recent_days_are_what_the_template_wrote():
    days = [(date(2026, 12, 3), 2), (date(2026, 11, 1), 1)]
    expected = template(
        '{% for day, n in days %}{{ day|date:"j M" }} ({{ n }})'
        "{% if not forloop.last %}, {% endif %}{% endfor %}",
        days=days,
    )
    assert _recent_days(days) == expected == "3 Dec (2), 1 Nov (1)"
    assert _recent_days([]) == ""


def test_the_axis_rows_escape_their_labels():
    rows = [("<b>Systems</b> & more", 4, 0.75), ("Retired", 0, None)]
    expected = template(
        '{% for label, n, retention in rows %}<tr><td>{{ label }}</td><td class="num">{{ n }}'
        '</td><td class="num">{% if retention is not None %}{% widthratio retention 1 100 %}%'
        "{% else %}—{% endif %}</td></tr>{% endfor %}",
        rows=rows,
    )
    assert _axis_rows(rows) == expected
    assert "&lt;b&gt;Systems&lt;/b&gt; &amp; more" in expected
