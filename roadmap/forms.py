"""The public pages' forms: the question bank's filter."""

from __future__ import annotations

from django import forms

from .models import Dimension, Phase, Question


class QuestionFilterForm(forms.Form):
    level = forms.ChoiceField(required=False)
    phase = forms.ChoiceField(required=False)
    dimension = forms.ChoiceField(required=False)

    def __init__(self, data, *, phases: list[Phase], dimensions: list[Dimension]):
        super().__init__(data)
        self.fields["level"].choices = [("", "All levels"), *Question.Level.choices]
        self.fields["phase"].choices = [("", "All phases")] + [(p.key, p.label) for p in phases]
        self.fields["dimension"].choices = [("", "All dimensions")] + [
            (d.key, d.name) for d in dimensions
        ]
        for field in self.fields.values():
            field.error_messages["invalid_choice"] = "“%(value)s” is not one of the choices."

    def filters(self) -> dict[str, str]:
        """The valid filters; a bad value in the URL is dropped (and reported)."""
        self.is_valid()
        return {
            f"{name}__key" if name != "level" else name: value
            for name, value in self.cleaned_data.items()
            if value
        }
