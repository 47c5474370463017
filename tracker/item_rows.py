"""A phase page's item row (a goal or a resource with the learner's status, note and
links, and the forms that change them), written in Python.

A phase has a dozen or more rows, each with four forms and four fields; through the
template language (an {% include %} per field, {% url %} per form) the rows were most of
a cold phase page's time. This writes the same HTML directly: the same inputs, names,
ids, labels, aria attributes, and on a re-render the typed values and the messages.
The `item-row` partial of roadmap/phase.html calls it ({% item_row %}), so the phase
page and the htmx responses of tracker.views.items share it.
"""

from __future__ import annotations

from django.forms import Form
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils.html import conditional_escape, escape
from django.utils.safestring import SafeString, mark_safe

from .middleware import CSRF_FIELD

STATUSES = (("todo", "To do"), ("doing", "Doing"), ("done", "Done"), ("skipped", "Skip"))
HX = 'data-hx-target="closest .item" data-hx-swap="outerHTML"'

# URL patterns with stand-ins for the kind and the id, reversed once per script prefix:
# a row then costs a string replacement per URL rather than a reverse().
_KIND, _PK = "KIND0", 987654321
_patterns: dict[tuple[str, str], str] = {}


def _url(name: str, *args) -> str:
    key = (get_script_prefix(), name)
    pattern = _patterns.get(key)
    if pattern is None:
        stand_ins = (_KIND, _PK) if len(args) == 2 else (_PK,)
        pattern = _patterns[key] = reverse(name, args=stand_ins)
    if len(args) == 2:
        return pattern.replace(_KIND, args[0], 1).replace(str(_PK), str(args[1]), 1)
    return pattern.replace(str(_PK), str(args[0]), 1)


def _bound(form: Form | None, name: str):
    """The bound field `name` of a form that came back with errors, else None."""
    if form is None or name not in form.fields:
        return None
    return form[name]


def _errors(field) -> list:
    return list(field.errors) if field is not None else []


def _field(
    anchor: str,
    field,
    name: str,
    label: str,
    kind: str,
    maxlength: int,
    saved: str = "",
    *,
    required: bool = False,
    preserve: bool = False,
) -> str:
    """One field of a row's form: its typed value and messages when `field` is bound,
    else `saved`."""
    fid = f"{anchor}-{name}"
    errors = _errors(field)
    value = saved if field is None else field.value()
    value = escape("" if value is None else value)
    invalid = f' aria-invalid="true" aria-describedby="{fid}_error"' if errors else ""
    keep = ' data-hx-preserve="true"' if preserve else ""
    out = [
        f'<div class="field{" field-error" if errors else ""}">\n',
        f'  <label for="{fid}">{escape(label)}</label>\n',
    ]
    if errors:
        items = "".join(f"<li>{conditional_escape(e)}</li>" for e in errors)
        out.append(f'  <ul class="errorlist" id="{fid}_error">{items}</ul>\n')
    if kind == "textarea":
        out.append(
            f'  <textarea{keep} id="{fid}" name="{name}" rows="3" maxlength="{maxlength}"'
            f"{invalid}>{value}</textarea>\n"
        )
    else:
        placeholder = ' placeholder="https://"' if kind == "url" else ""
        out.append(
            f'  <input{keep} type="{kind}" id="{fid}" name="{name}" maxlength="{maxlength}"'
            f'{placeholder}{" required" if required else ""} value="{value}"{invalid}>\n'
        )
    out.append("</div>\n")
    return "".join(out)


def item_row_html(row: dict, *, enrolled: bool, open_panel: bool = False) -> SafeString:
    """The row's <li>: what `row` (kind, item, progress, and optionally retired and the
    form that came back with errors) shows to a visitor or to the enrolled learner."""
    kind, item = row["kind"], row["item"]
    p = row.get("progress")
    status = (p.status if p else "") or "todo"
    anchor = f"{kind}-{item.pk}"
    title = escape(item.title)
    retired = bool(row.get("retired"))
    out = [f'<li class="item item-{escape(status)}" id="{anchor}">\n  <div class="item-main">\n']
    if kind == "resource" and item.url:
        shown = f'<a href="{escape(item.url)}" rel="noopener noreferrer">{title}</a>'
    else:
        shown = title
    out.append(f'    <span class="item-title">{shown}</span>\n')
    if kind == "resource":
        out.append(f'    <span class="tag">{escape(item.get_kind_display())}</span>\n')
    if retired:
        out.append('    <span class="tag">Retired</span>\n')
    if enrolled:
        label = escape(p.get_status_display()) if p else "To do"
        out.append(f'    <span class="badge status-{escape(status)}">{label}</span>\n')
    out.append("  </div>\n")
    if enrolled and not retired:
        out.append(_learner_part(row, kind, item, p, status, anchor, title, open_panel))
    out.append("</li>\n")
    return mark_safe("".join(out))


def _learner_part(row, kind, item, p, status, anchor, title, open_panel) -> str:
    status_url = _url("item_status", kind, item.pk)
    note_url = _url("item_note", kind, item.pk)
    link_url = _url("item_link_add", kind, item.pk)
    form = row.get("form")
    out = [
        f'  <form class="status-form" method="post" action="{status_url}"\n'
        f'        data-hx-post="{status_url}" {HX}>\n'
        f"    {CSRF_FIELD}\n"
        f'    <fieldset id="{anchor}-status" tabindex="-1">\n'
        f'      <legend class="visually-hidden">Status of “{title}”</legend>\n'
    ]
    for value, label in STATUSES:
        pressed = "true" if status == value else "false"
        out.append(
            f'      <button type="submit" name="status" value="{value}" class="chip"'
            f' aria-pressed="{pressed}">{label}</button>\n'
        )
    out.append("    </fieldset>\n  </form>\n")
    status_errors = _errors(_bound(form, "status"))
    if status_errors:
        items = "".join(f"<li>{conditional_escape(m)}</li>" for m in status_errors)
        out.append(f'  <ul class="errorlist" role="alert">{items}</ul>\n')
    if p is not None and p.status == "credited":
        out.append(f'  <p class="small muted">Already known: {escape(p.credit_evidence)}</p>\n')
    if p is not None and p.note_html:
        out.append(f'  <div class="prose note">{p.note_html}</div>\n')
    links = list(p.links.all()) if p is not None else []
    if links:
        out.append('  <ul class="link-list">')
        for link in links:
            delete_url = _url("item_link_delete", link.pk)
            link_title = escape(link.title)
            out.append(
                f'\n    <li><a href="{escape(link.url)}" rel="noopener noreferrer nofollow">'
                f"{link_title}</a>\n"
                f'      <form method="post" action="{delete_url}" class="inline-form"'
                f' data-hx-post="{delete_url}" {HX}>{CSRF_FIELD}'
                '<button type="submit" class="link-button small">Remove'
                f'<span class="visually-hidden"> link {link_title}</span></button></form></li>\n'
            )
        out.append("  </ul>\n")
    has_errors = bool(form is not None and form.errors)
    credited = status == "credited"
    out.append(
        f'  <details class="item-more"{" open" if open_panel or has_errors else ""}>\n'
        f"    <summary>Note, links{'' if credited else ', already known'}</summary>\n"
    )
    if has_errors:
        out.append(render_to_string("_error_summary.html", {"form": form}))
    out.append(
        f'    <form method="post" action="{note_url}#{anchor}" data-hx-post="{note_url}" {HX}>\n'
        f"      {CSRF_FIELD}\n"
        + _field(
            anchor,
            _bound(form, "note"),
            "note",
            "Your note (markdown)",
            "textarea",
            20000,
            p.note if p is not None else "",
            preserve=True,
        )
        + '      <button type="submit" class="button button-small">Save note</button>\n'
        "    </form>\n"
        f'    <form method="post" action="{link_url}#{anchor}" data-hx-post="{link_url}" {HX}'
        ' class="link-form">\n'
        f"      {CSRF_FIELD}\n"
        + _field(anchor, _bound(form, "title"), "title", "Link title", "text", 120, required=True)
        + _field(anchor, _bound(form, "url"), "url", "Link URL", "url", 500, required=True)
        + '      <button type="submit" class="button button-small">Add link</button>\n'
        "    </form>\n"
    )
    if not credited:
        out.append(
            f'    <form method="post" action="{status_url}#{anchor}" data-hx-post="{status_url}"'
            f' {HX} class="link-form">\n'
            f"      {CSRF_FIELD}\n"
            '      <input type="hidden" name="status" value="credited">\n'
            + _field(
                anchor,
                _bound(form, "evidence"),
                "evidence",
                "Already know this? Say how, in one line",
                "text",
                200,
                preserve=True,
            )
            + '      <button type="submit" class="button button-small button-ghost">'
            "Mark as already known</button>\n"
            "    </form>\n"
        )
    out.append("  </details>\n")
    return "".join(out)
