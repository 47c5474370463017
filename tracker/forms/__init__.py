"""The forms, by domain: `learning` (plan, progress, evidence, study log), `rows` (one
row per dimension, check or goal: assessment, resume screen, credits), `practice` and
`accounts`.
Import them from here."""

from .learning import (
    DateInput,
    EvidenceForm,
    LinkForm,
    MultipleFileInput,
    MultipleImageField,
    NoteForm,
    PlanForm,
    StatusForm,
    StudyLogForm,
    http_url,
)
from .practice import CustomInterviewForm, MentorRateForm, RateForm, StudyMoreForm
from .rows import AssessmentForm, CreditForm, PerRowForm, ScreenForm

__all__ = [
    "AssessmentForm",
    "CreditForm",
    "CustomInterviewForm",
    "DateInput",
    "EvidenceForm",
    "LinkForm",
    "MentorRateForm",
    "MultipleFileInput",
    "MultipleImageField",
    "NoteForm",
    "PerRowForm",
    "PlanForm",
    "RateForm",
    "ScreenForm",
    "StatusForm",
    "StudyLogForm",
    "StudyMoreForm",
    "http_url",
]
