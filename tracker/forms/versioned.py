"""A stale tab never overwrites what another tab saved.

A form that edits stored values carries, in a hidden field, the version of the values
its page was loaded with (a fingerprint, as the mock interview's answer boxes do with
`tracker.practice.body_version`). When the stored values have changed since (saved from
another tab or device) and this tab's values differ from them, the form is refused with
a message and comes back holding this tab's values, so neither side is lost; the hidden
field then carries the new version, so pressing Save again is a deliberate overwrite.

A post without the field (an older page) is not checked.
"""

from __future__ import annotations

import json
from decimal import Decimal
from functools import cached_property

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

STALE = "stale"


def _plain(value):
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float | Decimal):
        return float(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value).replace("\r\n", "\n")


def values_version(values: dict) -> str:
    """The fingerprint of a set of stored values (order of keys and number types aside)."""
    from tracker.practice import body_version

    return body_version(json.dumps({k: _plain(v) for k, v in values.items()}, sort_keys=True))


class Versioned:
    """Mix into a form before `forms.Form` / `forms.ModelForm`.

    `stored`: the values as stored now, by field name (None: nothing stored to protect,
    e.g. a new row). Without it, an unbound form versions its `initial` values, and a
    model form its instance's (a model form's `initial` holds them, bound or not).
    """

    version_field = "version"
    versioned_fields: tuple[str, ...] | None = None  # None: every field of the form
    stale_message = (
        "This was changed in another tab or on another device after this page loaded it. "
        "The form still holds what you typed here; reload the page in another tab to see "
        "the saved version, or press Save again to replace it with this."
    )

    def __init__(self, *args, stored: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self._stored = stored
        # Read when the page renders, so fields a subclass adds after this still count.
        self.fields[self.version_field] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=lambda: self.stored_version
        )

    @cached_property
    def stored(self) -> dict | None:
        if self._stored is not None:
            return self._stored
        instance = getattr(self, "instance", None)
        if self.is_bound and (instance is None or instance.pk is None):
            return None
        return {
            name: self.get_initial_for_field(field, name)
            for name, field in self.fields.items()
            if name != self.version_field
        }

    @cached_property
    def stored_version(self) -> str | None:
        return None if self.stored is None else values_version(self._watched(self.stored))

    def _watched(self, values: dict) -> dict:
        names = self.versioned_fields or [k for k in self.fields if k != self.version_field]
        return {k: values.get(k) for k in sorted(names)}

    @property
    def saved_version(self) -> str | None:
        """The version of the values this (valid) form saves: the page's next base."""
        return values_version(self._watched(self.cleaned_data)) if self.is_valid() else None

    @property
    def is_stale(self) -> bool:
        return self.has_error(NON_FIELD_ERRORS, STALE)

    def clean(self):
        data = super().clean()
        base = data.get(self.version_field)
        if self.stored is None or not base or base == self.stored_version:
            return data
        typed = self._watched(data)
        if values_version(typed) == self.stored_version:
            return data  # this tab wants what is stored already: nothing to lose
        self.add_error(None, ValidationError(self.stale_message, code=STALE))
        # The page comes back with this tab's values and the stored version: a second
        # Save is a choice made knowing the other one is there.
        self.data = self.data.copy()
        self.data[self.add_prefix(self.version_field)] = self.stored_version
        return data
