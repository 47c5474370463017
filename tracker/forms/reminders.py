"""Which emails to get, and when."""

from __future__ import annotations

from django import forms

from ..models import EmailKind, ReminderSettings


class ReminderForm(forms.Form):
    emails = forms.MultipleChoiceField(
        label="Email me when",
        choices=EmailKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Every email has a link that turns its kind off in one click.",
    )
    remind_at = forms.TimeField(
        label="Remind me at",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text="In your time zone. Daily reminders go out from this time of day; the "
        "digest on Monday.",
    )

    @classmethod
    def for_settings(cls, row: ReminderSettings, data=None) -> ReminderForm:
        initial = {
            "emails": [k for k in EmailKind.values if row.wants(k)],
            "remind_at": row.remind_at,
        }
        return cls(data, initial=initial, prefix="reminders")

    def save(self, row: ReminderSettings) -> None:
        chosen = set(self.cleaned_data["emails"])
        row.muted = [k for k in EmailKind.values if k not in chosen]
        row.remind_at = self.cleaned_data["remind_at"].replace(second=0, microsecond=0)
        row.save(update_fields=["muted", "remind_at"])
