"""Forms for the plan, progress on goals and resources, milestone evidence and the study
log. Every message here is one a tired learner can act on."""

from __future__ import annotations

from datetime import date, timedelta

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.urls import reverse

from roadmap import content
from roadmap.models import Background, Phase

from ..images import ALLOWED_FORMATS, MAX_BYTES, CleanImage, clean_image
from ..models import (
    PLAN_MONTHS_MAX,
    PLAN_MONTHS_MIN,
    PLAN_START_AHEAD_DAYS,
    PLAN_START_PAST_DAYS,
    ItemStatus,
    SubmissionImage,
)

http_url = URLValidator(
    schemes=["http", "https"], message="Enter a full web address starting with http:// or https://."
)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class PlanForm(forms.Form):
    start_date = forms.DateField(
        widget=DateInput(), help_text="The day your plan starts. It can be in the past."
    )
    months = forms.IntegerField(
        label="Plan length (months)",
        min_value=PLAN_MONTHS_MIN,
        max_value=PLAN_MONTHS_MAX,
        error_messages={
            "min_value": f"A plan runs at least {PLAN_MONTHS_MIN} months.",
            "max_value": f"A plan runs at most {PLAN_MONTHS_MAX} months.",
        },
        help_text=f"{PLAN_MONTHS_MIN} to {PLAN_MONTHS_MAX}. The phases stretch or shrink with it.",
    )
    background = forms.ModelChoiceField(
        queryset=Background.objects.none(),
        required=False,
        empty_label="Other / none of these",
        help_text="Your background suggests a plan length and goals you may already know.",
    )
    weekly_hours = forms.IntegerField(
        label="Study hours per week",
        min_value=1,
        max_value=80,
        error_messages={
            "min_value": "Plan at least 1 hour a week.",
            "max_value": "80 hours a week is the most we plan for.",
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["background"].queryset = Background.objects.current()
        self.fields["background"].to_field_name = "key"
        # Choices from the content cache: no query to draw the select.
        self.fields["background"].choices = [("", "Other / none of these")] + [
            (b.key, b.name) for b in content.backgrounds()
        ]
        # Choosing a background re-renders the form with its preset (htmx); without
        # JavaScript the "Apply" button does the same with a plain GET.
        self.fields["background"].widget.attrs.update(
            {
                "data-hx-get": reverse("plan"),
                "data-hx-trigger": "change",
                "data-hx-target": "#plan-form",
                "data-hx-swap": "outerHTML",
                "data-hx-include": "closest form",
            }
        )

    def clean_start_date(self) -> date:
        start = self.cleaned_data["start_date"]
        if start < self.today - timedelta(days=PLAN_START_PAST_DAYS):
            raise ValidationError("Choose a start date within the last five years.")
        if start > self.today + timedelta(days=PLAN_START_AHEAD_DAYS):
            raise ValidationError("Choose a start date within the next year.")
        return start


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=ItemStatus.choices)
    evidence = forms.CharField(required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("status") == ItemStatus.CREDITED and not data.get("evidence", "").strip():
            self.add_error("evidence", "Say in one line how you already know this.")
        return data


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Markdown. Only you and your mentor see it.",
    )


class LinkForm(forms.Form):
    title = forms.CharField(max_length=120)
    url = forms.CharField(label="URL", max_length=500, validators=[http_url])


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several image files, each decoded, size-checked and re-encoded."""

    widget = MultipleFileInput

    def clean(self, data, initial=None) -> list[CleanImage]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(clean_image(upload))
            except ValidationError as exc:
                errors.extend(f"{upload.name}: {m}" for m in exc.messages)
        if errors:
            raise ValidationError(errors)
        return cleaned


class EvidenceForm(forms.Form):
    """The milestone's evidence, saved as a draft or saved and submitted in one request
    (`submitting`): one form, so no button can drop edits typed in another."""

    LINK_ROWS = 5

    evidence = forms.CharField(
        required=False,
        max_length=50_000,
        label="Evidence (markdown)",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="Markdown: what you built, how, what broke and how you fixed it.",
    )
    images = MultipleImageField(
        required=False,
        label="Add images",
        help_text=(
            f"Up to {SubmissionImage.MAX_PER_SUBMISSION} images in all; "
            f"{', '.join(sorted(ALLOWED_FORMATS))}; at most {MAX_BYTES // (1024 * 1024)} MB each."
        ),
        widget=MultipleFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
    )
    comment = forms.CharField(
        required=False,
        max_length=20_000,
        label="Comment (optional, markdown)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Sent with your submission; with “Save draft” it goes into the history.",
    )

    def __init__(
        self,
        *args,
        existing_images: int = 0,
        image_ids: list[int] = (),
        submitting: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.existing_images = existing_images
        self.submitting = submitting
        for i in range(self.LINK_ROWS):
            self.fields[f"link_title_{i}"] = forms.CharField(
                required=False, max_length=120, label=f"Link {i + 1} title"
            )
            self.fields[f"link_url_{i}"] = forms.CharField(
                required=False, max_length=500, label=f"Link {i + 1} URL", validators=[http_url]
            )
        self.fields["remove"] = forms.TypedMultipleChoiceField(
            required=False,
            coerce=int,
            choices=[(i, i) for i in image_ids],
            widget=forms.CheckboxSelectMultiple,
        )

    def link_rows(self):
        for i in range(self.LINK_ROWS):
            yield self[f"link_title_{i}"], self[f"link_url_{i}"]

    def clean(self):
        data = super().clean()
        for i in range(self.LINK_ROWS):
            title, url = data.get(f"link_title_{i}", ""), data.get(f"link_url_{i}", "")
            if url and not title:
                self.add_error(f"link_title_{i}", "Give the link a title.")
            if title and not url and f"link_url_{i}" not in self.errors:
                self.add_error(f"link_url_{i}", "Add the link's address.")
        if self.submitting and "evidence" not in self.errors and not data["evidence"].strip():
            self.add_error("evidence", "Write your evidence before you submit.")
        kept = self.existing_images - len(data.get("remove") or [])
        if kept + len(data.get("images") or []) > SubmissionImage.MAX_PER_SUBMISSION:
            self.add_error(
                "images",
                f"A submission holds at most {SubmissionImage.MAX_PER_SUBMISSION} images; "
                f"it has {kept}. Remove some first.",
            )
        return data

    def links(self) -> list[tuple[str, str]]:
        return [
            (self.cleaned_data[f"link_title_{i}"], self.cleaned_data[f"link_url_{i}"])
            for i in range(self.LINK_ROWS)
            if self.cleaned_data.get(f"link_url_{i}")
        ]


class StudyLogForm(forms.Form):
    date = forms.DateField(widget=DateInput())
    minutes = forms.IntegerField(
        min_value=1,
        max_value=24 * 60,
        error_messages={
            "min_value": "Log at least 1 minute.",
            "max_value": "A day has 1,440 minutes.",
        },
    )
    phase = forms.TypedChoiceField(required=False, coerce=int, empty_value=None)
    what = forms.CharField(label="What you did", max_length=300)

    def __init__(self, *args, today: date, phases: list[Phase], **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.phases = {p.pk: p for p in phases}
        self.fields["phase"].choices = [("", "No particular phase")] + [
            (p.pk, p.label) for p in phases
        ]

    def clean_phase(self) -> Phase | None:
        pk = self.cleaned_data["phase"]
        return self.phases.get(pk) if pk is not None else None

    def clean_date(self) -> date:
        day = self.cleaned_data["date"]
        if day > self.today:
            raise ValidationError("You can't log study for a day that hasn't happened yet.")
        if day < self.today - timedelta(days=366):
            raise ValidationError("Log study from the last year only.")
        return day
