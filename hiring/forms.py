"""Forms of the hiring rounds."""

from __future__ import annotations

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tracker.forms.learning import MultipleFileInput, MultipleImageField
from tracker.forms.versioned import Versioned
from tracker.images import ALLOWED_FORMATS, MAX_BYTES
from tracker.models import Quality

from . import worksheet
from .models import DOCUMENT_MAX_CHARS, RESUME_MAX_CHARS, Attempt, AttemptImage
from .resume import PDF_MAX_BYTES, UnreadablePdf, pdf_text

# Seed 003: what the take-home design is judged on.
TAKE_HOME_CRITERIA = [
    ("gpu-utilisation", "GPU utilisation estimates"),
    ("batching-kv-cache", "Batching and KV-cache trade-offs"),
    ("cost", "Cost consciousness"),
    ("failure-modes", "Awareness of failure modes"),
]
# Seed 000: what the client watches in a trial project, rated 1–5.
TRIAL_RATINGS = [
    ("communication", "Communication"),
    ("code_quality", "Code quality"),
    ("ambiguity", "Working in ambiguity"),
]


class ResumeForm(forms.Form):
    text = forms.CharField(
        label="Paste your resume",
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=RESUME_MAX_CHARS,
        required=False,
    )
    pdf = forms.FileField(
        label="…or upload a PDF",
        required=False,
        help_text="Up to 2 MB and 10 pages. Only its text is kept, not the file.",
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )

    def clean(self):
        data = super().clean()
        upload = data.get("pdf")
        if upload:
            if upload.size > PDF_MAX_BYTES:
                self.add_error("pdf", "That PDF is over 2 MB.")
                return data
            try:
                data["text"] = pdf_text(upload.read(PDF_MAX_BYTES + 1))
            except UnreadablePdf as e:
                self.add_error("pdf", str(e))
                return data
            data["filename"] = upload.name
        elif not (data.get("text") or "").strip() and "text" not in self.errors:
            self.add_error("text", "Paste your resume or upload a PDF.")
        return data


class WorkForm(Versioned, forms.Form):
    """The document (take-home, scale discussion, trial deliverable), the worksheet, and
    the take-home's diagrams (`image_ids`: the attempt's, which a tick removes; None for
    a form without diagrams, such as the autosave's). Its version field keeps a stale tab
    from overwriting what another tab saved: it covers the document and the worksheet,
    not the diagrams, which the Save button adds and removes one by one."""

    stale_message = (
        "This work was changed in another tab after this page loaded it. "
        "Your text is still here: copy it and reload to see the saved version, or save "
        "again to replace that one with this."
    )

    document = forms.CharField(
        label="Your document (markdown)",
        widget=forms.Textarea(attrs={"rows": 18}),
        max_length=DOCUMENT_MAX_CHARS,
        required=False,
    )

    def __init__(
        self,
        *args,
        with_worksheet: bool = False,
        image_ids: list[int] | None = None,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.with_worksheet = with_worksheet
        self.versioned_fields = (
            "document",
            *(("gpu_type", *worksheet.BOUNDS) if with_worksheet else ()),
        )
        self.image_ids = image_ids
        if image_ids is not None:
            self.fields["images"] = MultipleImageField(
                required=False,
                label="Add diagrams",
                help_text=(
                    f"Up to {AttemptImage.MAX_PER_ATTEMPT} images in all; "
                    f"{', '.join(sorted(ALLOWED_FORMATS))}; at most "
                    f"{MAX_BYTES // (1024 * 1024)} MB each."
                ),
                widget=MultipleFileInput(
                    attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}
                ),
            )
            self.fields["remove"] = forms.TypedMultipleChoiceField(
                required=False,
                coerce=int,
                choices=[(i, i) for i in image_ids],
                widget=forms.CheckboxSelectMultiple,
            )
        if with_worksheet:
            defaults = worksheet.Inputs()
            self.fields["gpu_type"] = forms.CharField(
                label="GPU type", max_length=60, initial=defaults.gpu_type
            )
            for name, (label, unit, low, high) in worksheet.BOUNDS.items():
                field_class = (
                    forms.IntegerField
                    if name in ("users", "tokens_per_completion")
                    else forms.FloatField
                )
                self.fields[name] = field_class(
                    label=f"{label} ({unit})",
                    min_value=low,
                    max_value=high,
                    initial=worksheet.plain(getattr(defaults, name)),
                )

    @classmethod
    def stored_of(cls, attempt) -> dict:
        """The attempt's document and worksheet as stored: the form's initial values."""
        return {"document": attempt.document, **cls.worksheet_initial(attempt.worksheet)}

    def clean(self):
        data = super().clean()
        if self.image_ids is not None:
            kept = len(self.image_ids) - len(data.get("remove") or [])
            if kept + len(data.get("images") or []) > AttemptImage.MAX_PER_ATTEMPT:
                self.add_error(
                    "images",
                    f"A take-home holds at most {AttemptImage.MAX_PER_ATTEMPT} diagrams; "
                    f"it has {kept}. Remove some first.",
                )
        return data

    def worksheet_html(self) -> str:
        """The worksheet's fields as HTML, each with its label and its errors, as the
        site's field template lays one out: built here, since fourteen fields through
        the template language (or the widget templates) were most of the page's time."""
        if not self.with_worksheet:
            return ""
        parts = []
        for name in ("gpu_type", *worksheet.BOUNDS):
            bound, field = self[name], self.fields[name]
            errors, value = bound.errors, bound.value()
            error_id = f"{bound.auto_id}_error"
            kind = (
                format_html(' type="text" maxlength="{}"', field.max_length)
                if name == "gpu_type"
                else format_html(
                    ' type="number" step="any" min="{}" max="{}"', field.min_value, field.max_value
                )
            )
            parts.append(
                format_html(
                    '<div class="field{}"><label for="{}">{}</label>{}'
                    '<input id="{}" name="{}" value="{}" required{}{}></div>',
                    " field-error" if errors else "",
                    bound.auto_id,
                    field.label,
                    format_html(
                        '<ul class="errorlist" id="{}">{}</ul>',
                        error_id,
                        format_html_join("", "<li>{}</li>", ((e,) for e in errors)),
                    )
                    if errors
                    else "",
                    bound.auto_id,
                    bound.html_name,
                    "" if value is None else value,
                    kind,
                    format_html(' aria-invalid="true" aria-describedby="{}"', error_id)
                    if errors
                    else "",
                )
            )
        return mark_safe("".join(parts))  # noqa: S308 (each part built by format_html)

    @staticmethod
    def worksheet_initial(stored: dict) -> dict:
        """The worksheet's fields as stored, the defaults for any not stored yet."""
        names = ["gpu_type", *worksheet.BOUNDS]
        defaults = worksheet.Inputs()
        return {n: worksheet.plain(stored.get(n, getattr(defaults, n))) for n in names}

    def worksheet_data(self) -> dict | None:
        if not self.with_worksheet:
            return None
        names = ["gpu_type", *worksheet.BOUNDS]
        return {n: self.cleaned_data[n] for n in names}


class JudgeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=[(Attempt.Outcome.PASS, "Pass"), (Attempt.Outcome.NOT_YET, "Not yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose pass or not yet."},
    )
    ticked = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, label="What the answer showed"
    )
    comment = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), max_length=4000, required=False
    )

    def __init__(self, *args, criteria: list[tuple[str, str]], trial: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        self.fields["ticked"].choices = criteria
        if not criteria:
            del self.fields["ticked"]
        self.rating_names = [n for n, _ in TRIAL_RATINGS] if trial else []
        for name, label in TRIAL_RATINGS if trial else []:
            self.fields[name] = forms.TypedChoiceField(
                label=label,
                coerce=int,
                choices=[(i, str(i)) for i in range(1, 6)],
                error_messages={"required": f"Rate {label.lower()}."},
            )

    def ratings(self) -> dict[str, int]:
        return {n: self.cleaned_data[n] for n in self.rating_names}


def criteria_for(round_key: str) -> list[tuple[str, str]]:
    from . import rounds

    if round_key in (rounds.TECHNICAL, rounds.GPU, rounds.SCALE):
        return list(Quality.choices)
    if round_key == rounds.TAKE_HOME:
        return TAKE_HOME_CRITERIA
    return []


class UpdateForm(forms.Form):
    body = forms.CharField(
        label="This week's update (markdown)",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=8000,
    )
