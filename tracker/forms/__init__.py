"""The forms, by domain: `learning` (plan, progress, evidence, study log), `rows` (one
row per dimension, check or goal: assessment, resume screen, credits) and `accounts`.
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
from .rows import AssessmentForm, CreditForm, PerRowForm, ScreenForm

__all__ = [
    "AssessmentForm",
    "CreditForm",
    "DateInput",
    "EvidenceForm",
    "LinkForm",
    "MultipleFileInput",
    "MultipleImageField",
    "NoteForm",
    "PerRowForm",
    "PlanForm",
    "ScreenForm",
    "StatusForm",
    "StudyLogForm",
    "http_url",
]
