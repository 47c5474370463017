"""Forms of the practice pages: rating an answer, a custom mock interview, a "study more"
session."""

from __future__ import annotations

from django import forms

from roadmap import content
from roadmap.models import Dimension, Question

from ..models import Quality, Rating
from ..study_more import WEAKEST, Kind, weakest_dimension


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


class StudyMoreForm(forms.Form):
    """A "study more" session: which cards, filtered by phase, level and dimension (or
    the learner's weakest dimension)."""

    kind = forms.ChoiceField(label="Questions", choices=Kind.choices, initial=Kind.BOTH)
    phase = forms.ChoiceField(required=False)
    level = forms.ChoiceField(required=False)
    dimension = forms.ChoiceField(required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["phase"].choices = [("", "All phases")] + [
            (p.key, p.label) for p in content.phases()
        ]
        self.fields["level"].choices = [("", "All levels"), *Question.Level.choices]
        self.fields["dimension"].choices = [
            ("", "All dimensions"),
            (WEAKEST, "My weakest dimension"),
        ] + [(d.key, d.name) for d in Dimension.objects.current()]

    def clean(self):
        data = super().clean()
        if data.get("dimension") == WEAKEST:
            weakest = weakest_dimension(self.user)
            if weakest is None:
                self.add_error(
                    "dimension",
                    "No ratings yet to tell your weakest dimension: pick one, or rate a few "
                    "answers first.",
                )
            else:
                data["dimension"] = weakest.key
                self.weakest = weakest
        return data

    def filters(self) -> dict[str, str]:
        names = {"phase": "phase__key", "level": "level", "dimension": "dimension__key"}
        return {names[n]: self.cleaned_data[n] for n in names if self.cleaned_data.get(n)}


class MentorRateForm(forms.Form):
    """A mentor's rating of a mentee's answer."""

    rating = forms.TypedChoiceField(coerce=int, choices=Rating.choices)
    qualities = forms.MultipleChoiceField(choices=Quality.choices, required=False)
