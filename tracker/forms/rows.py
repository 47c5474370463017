"""Forms with one row per thing: a choice and a line of evidence for each rubric
dimension (assessment), each resume-screen check or red flag, each goal a background
offers to credit. One base builds the fields, the rows and the cleaned values."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from roadmap.models import Dimension, Goal, RubricItem

SCORES = [(i, str(i)) for i in range(1, 6)]


class PerRowForm(forms.Form):
    """For each of `objects`: a `<choice_name>_<pk>` field and an `evidence_<pk>` field."""

    choice_name = "choice"

    def __init__(self, *args: Any, objects: Sequence, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.objects = list(objects)
        for obj in self.objects:
            self.fields[f"{self.choice_name}_{obj.pk}"] = self.choice_field(obj)
            self.fields[f"evidence_{obj.pk}"] = self.evidence_field(obj)

    def choice_field(self, obj) -> forms.Field:
        raise NotImplementedError

    def evidence_field(self, obj) -> forms.Field:
        raise NotImplementedError

    def rows(self) -> Iterator[tuple[Any, forms.BoundField, forms.BoundField]]:
        for obj in self.objects:
            yield obj, self[f"{self.choice_name}_{obj.pk}"], self[f"evidence_{obj.pk}"]

    def values(self) -> dict[Any, tuple[Any, str]]:
        """Each object's cleaned (choice, evidence)."""
        return {
            obj: (
                self.cleaned_data[f"{self.choice_name}_{obj.pk}"],
                self.cleaned_data[f"evidence_{obj.pk}"],
            )
            for obj in self.objects
        }


@dataclass
class ScoreInput:
    """What the page needs to write one dimension's radio row itself: rendering five
    radio widgets through Django's widget templates was most of the assessment page's
    time. The value is the typed one (bound) or the earlier score (unbound)."""

    name: str
    auto_id: str
    value: str
    errors: list
    choices: list[tuple[str, str]]  # (value, what that level means)

    def radios(self) -> SafeString:
        """The five labelled radios, as Django's RadioSelect would check and name them
        (tests/tracker/test_score_inputs.py compares): written here, as a template loop
        they were a fifth of the assessment page's time."""
        name, auto_id = escape(self.name), escape(self.auto_id)
        invalid = f' aria-invalid="true" aria-describedby="{auto_id}_error"' if self.errors else ""
        return mark_safe(  # noqa: S308 - every value below is escaped
            "".join(
                f'<label class="score-option"><input type="radio" name="{name}" '
                f'value="{escape(value)}" id="{auto_id}_{n}" required{invalid}'
                f"{' checked' if value == self.value else ''}> "
                f'<span class="score-num">{escape(value)}</span>\n'
                f'    <span class="score-desc small">{escape(descriptor)}</span></label>\n'
                for n, (value, descriptor) in enumerate(self.choices)
            )
        )


@dataclass
class EvidenceInput:
    name: str
    auto_id: str
    label: str
    help_text: str
    value: str
    errors: list
    max_length: int


class AssessmentForm(PerRowForm):
    """A score (1–5) and evidence for each dimension: the learner's, or their mentor's.
    Its rows are plain values the template writes inputs from (`ScoreInput`)."""

    choice_name = "score"

    def rows(self) -> Iterator[tuple[Dimension, ScoreInput, EvidenceInput]]:
        for dimension, score, evidence in super().rows():
            value = score.value()
            yield (
                dimension,
                ScoreInput(
                    name=score.html_name,
                    auto_id=score.auto_id,
                    value="" if value is None else str(value),
                    errors=score.errors,
                    choices=[
                        (
                            label,
                            dimension.descriptors.get(label, "") if n in (1, 3, 5) else "between",
                        )
                        for n, label in SCORES
                    ],
                ),
                EvidenceInput(
                    name=evidence.html_name,
                    auto_id=evidence.auto_id,
                    label=evidence.label,
                    help_text=evidence.help_text,
                    value=evidence.value() or "",
                    errors=evidence.errors,
                    max_length=evidence.field.max_length,
                ),
            )

    def __init__(self, *args: Any, dimensions: Sequence[Dimension], **kwargs: Any):
        super().__init__(*args, objects=dimensions, **kwargs)
        self.dimensions = self.objects

    def choice_field(self, obj: Dimension) -> forms.Field:
        return forms.TypedChoiceField(
            choices=SCORES,
            coerce=int,
            widget=forms.RadioSelect,
            label=obj.name,
            error_messages={"required": f"Give {obj.name} a score from 1 to 5."},
        )

    def evidence_field(self, obj: Dimension) -> forms.Field:
        return forms.CharField(
            required=False,
            max_length=10_000,
            label=f"Evidence for {obj.name}",
            widget=forms.Textarea(attrs={"rows": 3}),
            help_text="Markdown: what you built or did that shows this level.",
        )

    def scores(self) -> dict[Dimension, tuple[int, str]]:
        return self.values()

    @classmethod
    def starting_from(cls, scores, *, dimensions: Sequence[Dimension]) -> AssessmentForm:
        """An unbound form pre-filled with earlier `scores` (Score rows) to change."""
        initial = {}
        for score in scores:
            initial[f"score_{score.dimension_id}"] = score.score
            initial[f"evidence_{score.dimension_id}"] = score.evidence
        return cls(initial=initial, dimensions=dimensions)


class ScreenForm(PerRowForm):
    """Whether each resume-screen check (or red flag) applies, with a line of evidence."""

    choice_name = "applies"

    def __init__(self, *args: Any, items: Sequence[RubricItem], **kwargs: Any):
        super().__init__(*args, objects=items, **kwargs)
        self.items = self.objects

    def choice_field(self, obj: RubricItem) -> forms.Field:
        return forms.BooleanField(required=False, label=obj.text)

    def evidence_field(self, obj: RubricItem) -> forms.Field:
        return forms.CharField(
            required=False,
            max_length=300,
            label="Evidence",
            widget=forms.TextInput(attrs={"placeholder": "e.g. a line of your resume"}),
        )

    def answers(self) -> dict[RubricItem, tuple[bool, str]]:
        return self.values()


class CreditForm(PerRowForm):
    """One checkbox and one line of evidence per goal the background offers to credit."""

    choice_name = "credit"

    def __init__(self, *args: Any, goals: Sequence[Goal], **kwargs: Any):
        super().__init__(*args, objects=goals, **kwargs)
        self.goals = self.objects

    def choice_field(self, obj: Goal) -> forms.Field:
        return forms.BooleanField(required=False, label=obj.title)

    def evidence_field(self, obj: Goal) -> forms.Field:
        return forms.CharField(
            required=False,
            max_length=200,
            label="How you know it",
            widget=forms.TextInput(attrs={"placeholder": "e.g. ran prod Kubernetes for 3 years"}),
        )

    def clean(self):
        data = super().clean()
        for goal in self.goals:
            if data.get(f"credit_{goal.pk}") and not data.get(f"evidence_{goal.pk}", "").strip():
                self.add_error(f"evidence_{goal.pk}", "Say in one line how you already know this.")
        return data

    def credits(self) -> dict[Goal, str]:
        return {
            goal: evidence.strip()
            for goal, (credited, evidence) in self.values().items()
            if credited
        }
