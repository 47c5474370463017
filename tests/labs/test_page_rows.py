"""The attempt page's console, command buttons and node options, written in Python
(labs/views.py), write what the template's loops wrote, every text escaped."""

from __future__ import annotations

import re
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from labs import services
from labs.forms import RunForm
from labs.models import LabRun
from labs.views import _RUNS, RunRow, _command_buttons, _console_rows, _node_options
from roadmap.lab_schema import COMMANDS

NODE_COMMAND = next(c for c, (_, scope, _) in COMMANDS.items() if scope == "node")
CLUSTER_COMMAND = next(c for c, (_, scope, _) in COMMANDS.items() if scope == "cluster")


def template(source: str, **context) -> str:
    return Template(source).render(Context(context))


def squashed(html: str) -> str:
    """Without the blank lines a template's tags leave."""
    return re.sub(r"\n\s*\n", "\n", html).strip()


def test_the_console_rows_are_what_the_template_wrote():
    runs = [
        {"run": SimpleNamespace(order=n), "title": f"$ <cmd {n}>", "body": body, "at": "09:0{n}:00"}
        for n, body in ((1, ""), (2, "<pre>two</pre>"), (3, "<pre>three</pre>"))
    ]
    expected = template(
        "{% for r in runs reversed %}\n  {% if r.body %}\n"
        '  <details class="lab-run" open id="{% if forloop.first %}run-latest{% else %}'
        'run-{{ r.run.order }}{% endif %}">\n'
        '    <summary><span class="lab-run-n">#{{ r.run.order }}</span> <code>{{ r.title }}'
        '</code> <span class="small muted">{{ r.at }}</span></summary>\n'
        "    {{ r.body|safe }}\n  </details>\n  {% else %}\n"
        '  <p class="lab-run lab-run-closed" id="run-{{ r.run.order }}"><span class="lab-run-n">'
        '#{{ r.run.order }}</span> <code>{{ r.title }}</code> <span class="small muted">'
        "{{ r.at }}</span>\n"
        '    <a href="?show={{ r.run.order }}#run-{{ r.run.order }}">Show output'
        '<span class="visually-hidden"> of #{{ r.run.order }}</span></a></p>\n'
        "  {% endif %}\n  {% endfor %}",
        runs=runs,
    )
    written = _console_rows(runs)
    assert squashed(written) == squashed(expected)
    assert 'id="run-latest"' in written and 'id="run-2"' in written
    assert "$ &lt;cmd 1&gt;" in written and "<cmd" not in written


def test_the_command_buttons_are_what_the_template_wrote():
    commands = [CLUSTER_COMMAND, NODE_COMMAND]
    listed = [{"key": c, "typed": COMMANDS[c][0], "scope": COMMANDS[c][1]} for c in commands]
    expected = template(
        "{% for c in commands %}\n"
        '      <li><button type="submit" name="command" value="{{ c.key }}" '
        'class="button button-ghost lab-command"\n'
        '          data-hx-post="{{ url }}" data-hx-target="#console" '
        'data-hx-swap="outerHTML show:#console:top"><code>{{ c.typed }}</code>'
        '{% if c.scope == "node" %} <span class="small muted">on the node</span>{% endif %}'
        "</button></li>\n      {% endfor %}",
        commands=listed,
        url="/hiring/labs/7/run/",
    )
    written = _command_buttons(commands, "/hiring/labs/7/run/")
    assert squashed(written) == squashed(expected)
    assert written.count("on the node") == 1


@pytest.mark.parametrize("data", [None, {"command": NODE_COMMAND, "node": "1"}])
def test_the_node_options_are_what_the_template_wrote(data):
    spec = {"commands": [NODE_COMMAND]}
    form = RunForm(data, spec=spec, nodes=["gpu-01", "gpu<02>"])
    expected = template(
        "{% for value, label in run_form.fields.node.choices %}"
        '<option value="{{ value }}"{% if run_form.node.value|stringformat:"s" == '
        'value|stringformat:"s" %} selected{% endif %}>{{ label }}</option>{% endfor %}',
        run_form=form,
    )
    written = _node_options(form)
    assert written == expected
    assert ("selected" in written) == (data is not None)
    assert "gpu&lt;02&gt;" in written


@pytest.mark.django_db
def test_the_runs_are_read_as_rows_in_order(attempt):
    spec = attempt.scenario.spec
    node_command = next(c for c in spec["commands"] if COMMANDS[c][1] == "node")
    cluster_command = next(c for c in spec["commands"] if COMMANDS[c][1] == "cluster")
    services.attempt_run(attempt=attempt, command=node_command, node=1)
    services.attempt_run(attempt=attempt, command=cluster_command, node=None)
    rows = [RunRow(*row) for row in _RUNS.rows(LabRun, attempt.pk)]
    runs = list(attempt.runs.all())
    assert rows == [RunRow(r.order, r.command, r.node, r.ran_at) for r in runs]
    assert [r.node for r in rows] == [1, None] and rows[0].ran_at.tzinfo is not None
