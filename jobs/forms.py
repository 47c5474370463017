"""The job-search forms. Every one keeps what was typed when it comes back with an error."""

from __future__ import annotations

from decimal import Decimal

from django import forms

from roadmap import content
from tracker.forms import DateInput
from tracker.forms.versioned import Versioned

from .models import Application, Contribution, Level, Stage, parse_github_url
from .offers import PERIODS


class ApplicationForm(Versioned, forms.ModelForm):
    """An application's details. Its version field keeps a stale tab from overwriting an
    edit (or a stage move) saved in another one."""

    stale_message = (
        "This application was changed in another tab after this page loaded it. The form "
        "still holds what you typed here; press Save again to replace the saved version "
        "with it, or open the board in another tab to see the saved one first."
    )

    class Meta:
        model = Application
        fields = [
            "company",
            "role",
            "level",
            "region",
            "source",
            "stage",
            "applied_on",
            "follow_up_on",
            "contacts",
            "notes",
        ]
        widgets = {
            "applied_on": DateInput(),
            "follow_up_on": DateInput(),
            "contacts": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "source": "Outbound: a recruiter or you reached out. Seed 000: outbound search "
            "and referrals work far better than job boards; a job-board application is worth "
            "a referral alongside.",
            "follow_up_on": "When to chase it: shown on your dashboard from that day.",
            "contacts": "Recruiter, hiring manager, who referred you.",
            "notes": "Markdown.",
        }


class MoveForm(forms.Form):
    """A move on the board. `from_stage` is the stage the card showed: a move from a stale
    board (the application has moved since, in another tab) is refused with a message,
    so an old button never silently moves an application back."""

    stage = forms.ChoiceField(choices=Stage.choices)
    from_stage = forms.ChoiceField(choices=Stage.choices, required=False)

    def __init__(self, *args, application: Application | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application

    def clean(self):
        data = super().clean()
        shown, now = data.get("from_stage"), self.application and self.application.stage
        if shown and now and shown != now and data.get("stage") != now:
            raise forms.ValidationError(
                f"{self.application.company} had already moved to "
                f"{self.application.get_stage_display().lower()} (in another tab or on another "
                "device), so nothing was changed. The board now shows where it stands.",
                code="stale",
            )
        return data


def _content_choices(kind: str) -> list[tuple[str, str]]:
    phases = content.phases()
    if kind == "skills":
        skills = {s.key: s.name for p in phases for s in p.skills.all()}
        return sorted(skills.items(), key=lambda kv: kv[1].lower())
    rubric = content.rubric()
    return [(d.key, d.name) for d in rubric.dimensions.all()] if rubric else []


class ContributionForm(forms.ModelForm):
    url = forms.URLField(
        max_length=300, assume_scheme="https", label="GitHub pull request or issue"
    )
    skills = forms.MultipleChoiceField(
        required=False, widget=forms.CheckboxSelectMultiple, choices=()
    )
    dimensions = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        help_text="A merged pull request counts as evidence for these on your assessment.",
    )

    class Meta:
        model = Contribution
        fields = ["url", "title", "state", "merged_on", "impact", "skills", "dimensions"]
        widgets = {"merged_on": DateInput()}
        labels = {"impact": "What it measured or changed"}
        help_texts = {"url": "https://github.com/vllm-project/vllm/pull/1234"}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["skills"].choices = _content_choices("skills")
        self.fields["dimensions"].choices = _content_choices("dimensions")

    def clean_url(self) -> str:
        url = self.cleaned_data["url"].strip()
        parse_github_url(url)
        return url.rstrip("/")


class OfferForm(forms.Form):
    """A GET form: the check stores nothing."""

    base = forms.DecimalField(min_value=Decimal(1), max_value=Decimal(10**9), decimal_places=2)
    period = forms.ChoiceField(
        choices=[(p, f"a {p}" if p != "hour" else "an hour") for p in PERIODS], initial="year"
    )
    currency = forms.CharField(max_length=3, min_length=3, initial="USD")
    equity = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10**9),
        decimal_places=2,
        help_text="A year, in the offer's currency (grant ÷ vesting years).",
    )
    bonus = forms.DecimalField(
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(10**9),
        decimal_places=2,
        help_text="A year; signing bonuses excluded, as seed 003's table does.",
    )
    level = forms.ChoiceField(choices=Level.choices, initial=Level.MID)
    region = forms.ChoiceField(required=False, choices=())
    company_type = forms.ChoiceField(required=False, choices=())
    premiums = forms.MultipleChoiceField(
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=(),
        label="Premiums that apply to you (seed 003)",
    )
    rate = forms.DecimalField(
        required=False,
        min_value=Decimal("0.000001"),
        max_value=Decimal(10**6),
        decimal_places=6,
        label="Exchange rate (optional)",
        help_text="1 unit of the offer's currency = this many units of the currency below. "
        "Without it, bands in another currency are not compared.",
    )
    rate_currency = forms.CharField(required=False, max_length=3, label="Rate into currency")

    def __init__(self, *args, bands: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", "Any / not listed")] + [
            (r, r) for r in bands["regions"]
        ]
        self.fields["company_type"].choices = [("", "Not given")] + bands["company_types"]
        self.fields["premiums"].choices = [
            (p.key, f"{p.title} (+{p.low_percent}–{p.high_percent}%)") for p in bands["premiums"]
        ]

    def clean_currency(self) -> str:
        value = self.cleaned_data["currency"].upper()
        if not value.isalpha():
            raise forms.ValidationError("A three-letter currency code, like USD or EUR.")
        return value

    def clean_rate_currency(self) -> str:
        value = self.cleaned_data["rate_currency"].upper()
        if value and not value.isalpha():
            raise forms.ValidationError("A three-letter currency code, like USD or EUR.")
        return value

    def clean(self):
        data = super().clean()
        if data.get("rate") and not data.get("rate_currency"):
            self.add_error("rate_currency", "Say which currency the rate converts into.")
        if data.get("rate_currency") and not data.get("rate"):
            self.add_error("rate", "Give the rate, or leave the currency empty.")
        return data
