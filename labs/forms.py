"""The lab page's forms. One page form carries the notebook, the node, the command and
the diagnosis, so whichever button is pressed, nothing typed is lost."""

from __future__ import annotations

from django import forms

from roadmap.lab_schema import COMMANDS
from tracker.forms.versioned import Versioned

from .models import NOTES_MAX


class NotesForm(Versioned, forms.Form):
    """The notebook. Its version field keeps a stale tab from overwriting notes saved
    in another one (`stored`: the attempt's notes as stored now)."""

    version_field = "notes_version"
    versioned_fields = ("hypotheses", "remediation")
    stale_message = (
        "Your notebook was changed in another tab after this page loaded it. "
        "Your text is still here: copy it and reload to see the saved notebook, or save "
        "again to replace that one with this."
    )

    @staticmethod
    def stored_of(attempt) -> dict:
        return {"hypotheses": attempt.hypotheses, "remediation": attempt.remediation}

    hypotheses = forms.CharField(
        label="Hypotheses",
        required=False,
        strip=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you suspect and why; saved as you type. Your mentor sees it too.",
    )
    remediation = forms.CharField(
        label="Remediation",
        required=False,
        strip=False,
        max_length=NOTES_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What you would do: now, to fix it, and so it never takes days to find again.",
    )


class RunForm(forms.Form):
    command = forms.ChoiceField(choices=[])
    node = forms.TypedChoiceField(choices=[], coerce=int, required=False, empty_value=None)

    def __init__(self, *args, spec: dict, nodes: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["command"].choices = [(c, COMMANDS[c][0]) for c in spec["commands"]]
        self.fields["node"].choices = list(enumerate(nodes))


class SubmitForm(NotesForm):
    cause = forms.ChoiceField(
        label="Root cause",
        widget=forms.RadioSelect,
        choices=[],
        error_messages={
            "required": "Choose the root cause you found.",
        },
    )

    def __init__(self, *args, causes: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [(c["key"], c["title"]) for c in causes]
        self.fields["remediation"].required = True
        self.fields["remediation"].error_messages["required"] = (
            "Say how you would fix it: the round asks for the remedy too."
        )


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Markdown.",
    )
