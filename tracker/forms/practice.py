"""Forms of the practice pages: rating an answer, and a custom mock interview."""

from __future__ import annotations

from django import forms

from roadmap import content
from roadmap.models import Question

from ..models import Quality, Rating


class RateForm(forms.Form):
    covered = forms.TypedMultipleChoiceField(coerce=int, required=False)
    qualities = forms.MultipleChoiceField(choices=Quality.choices, required=False)
    rating = forms.TypedChoiceField(
        coerce=int, choices=Rating.choices, error_messages={"required": "Choose how it went."}
    )

    def __init__(self, *args, question: Question, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["covered"].choices = [(i, p) for i, p in enumerate(question.key_points)]


class CustomInterviewForm(forms.Form):
    level = forms.ChoiceField(choices=[("", "Any level"), *Question.Level.choices], required=False)
    phase = forms.ChoiceField(required=False)
    count = forms.IntegerField(min_value=1, max_value=10, initial=3, label="Number of questions")
    minutes = forms.IntegerField(min_value=5, max_value=180, initial=30, label="Minutes")
    spoken = forms.BooleanField(
        required=False,
        label="Spoken mode",
        help_text="Answer each question out loud: one recording per question.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].choices = [("", "Any phase")] + [
            (p.key, p.label) for p in content.phases()
        ]

    def questions(self) -> list[Question]:
        qs = Question.objects.current()
        if self.cleaned_data["level"]:
            qs = qs.filter(level=self.cleaned_data["level"])
        if self.cleaned_data["phase"]:
            qs = qs.filter(phase__key=self.cleaned_data["phase"])
        return list(qs.order_by("?")[: self.cleaned_data["count"]])
