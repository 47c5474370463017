"""What the public portfolio shows: the learner's choices in settings."""

from __future__ import annotations

from django import forms

from ..models import User
from ..portfolio import SECTIONS, shown_sections


class PortfolioForm(forms.ModelForm):
    sections = forms.MultipleChoiceField(
        choices=list(SECTIONS.items()),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label="Sections to show",
        help_text="The page, its print view and the progress card all follow this.",
    )

    class Meta:
        model = User
        fields = ("portfolio_headline", "portfolio_pitch", "portfolio_hide_self_scores")
        labels = {
            "portfolio_headline": "Headline",
            "portfolio_pitch": "Short pitch",
            "portfolio_hide_self_scores": "Hide my self-scores (show only my mentor’s)",
        }
        help_texts = {
            "portfolio_headline": "One line under your name, e.g. “SRE moving into GPU "
            "infrastructure”.",
            "portfolio_pitch": "Up to 600 characters of plain text: what you built, what you "
            "want next.",
        }
        widgets = {"portfolio_pitch": forms.Textarea(attrs={"rows": 3, "maxlength": 600})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["sections"] = sorted(shown_sections(self.instance))

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=False)
        chosen = set(self.cleaned_data["sections"])
        user.portfolio_hidden = [key for key in SECTIONS if key not in chosen]
        if commit:
            user.save(
                update_fields=[
                    "portfolio_headline",
                    "portfolio_pitch",
                    "portfolio_hide_self_scores",
                    "portfolio_hidden",
                ]
            )
        return user
